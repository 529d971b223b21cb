#!/usr/bin/env bash
# Installs what the Windows collector's tests need, when missing: PowerShell 7.6.9 (a .NET global tool) and Pester
# 5.7.1 (the NuGet package, restored by a throwaway project and copied into the user's PowerShell module folder).
# Needs only the .NET SDK and NuGet. Idempotent; used by .ci/run, and by hand: bash scripts/install-powershell.sh
set -euo pipefail
PWSH_VERSION=7.6.9
PESTER_VERSION=5.7.1
TOOLS="${DOTNET_TOOLS:-$HOME/.dotnet/tools}"

pwsh_bin() {
  if command -v pwsh >/dev/null 2>&1; then command -v pwsh; elif [ -x "$TOOLS/pwsh" ]; then echo "$TOOLS/pwsh"; fi
}

if [ -z "$(pwsh_bin)" ]; then
  dotnet tool install --global PowerShell --version "$PWSH_VERSION" >/dev/null
fi
PWSH="$(pwsh_bin)"
[ -n "$PWSH" ] || { echo "install-powershell: pwsh not found after dotnet tool install" >&2; exit 1; }

have_pester() {
  "$PWSH" -NoProfile -NonInteractive -Command "if (Get-Module -ListAvailable -Name Pester | Where-Object { \$_.Version -eq [version]'$PESTER_VERSION' }) { exit 0 } else { exit 1 }"
}

if ! have_pester; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cat >"$work/restore.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net$(dotnet --version | cut -d. -f1).0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Pester" Version="$PESTER_VERSION" /></ItemGroup>
</Project>
XML
  dotnet restore "$work/restore.csproj" --packages "$work/packages" >/dev/null
  modules="$("$PWSH" -NoProfile -NonInteractive -Command '($env:PSModulePath -split [IO.Path]::PathSeparator)[0]')"
  dest="$modules/Pester/$PESTER_VERSION"
  mkdir -p "$dest"
  cp -R "$work/packages/pester/$PESTER_VERSION/tools/." "$dest/"
  have_pester || { echo "install-powershell: Pester $PESTER_VERSION not importable from $dest" >&2; exit 1; }
fi
echo "PowerShell $("$PWSH" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()') at $PWSH; Pester $PESTER_VERSION"
