#!/usr/bin/env bash
# Installs what `npm run test:e2e` needs, idempotently (about a second when everything is there):
#   Debian: build-essential pkg-config python3 libkrb5-dev (code-server's native modules), ripgrep, chromium
#   npm:    code-server@4.100.3 into test/e2e/node_modules, from test/e2e/package-lock.json
# code-server's @vscode/ripgrep postinstall downloads a binary from GitHub, which is unreachable here:
# its cache is seeded with the Debian rg first. See shared/reference/conventions.md §7.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CS_VERSION=4.100.3
# From code-server@4.100.3's @vscode/ripgrep (package.json version, lib/postinstall.js VERSION).
RG_PKG_VERSION=1.15.11
RG_VERSION=v13.0.0-10

log() { printf 'e2e setup: %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# 1. Debian packages, only those missing.
PKGS=(build-essential pkg-config python3 libkrb5-dev ripgrep chromium)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. code-server, unless the pinned version is already installed.
installed="$(node -p "try { require('$HERE/node_modules/code-server/package.json').version } catch { '' }")"
if [ "$installed" = "$CS_VERSION" ] && [ -x "$HERE/node_modules/.bin/code-server" ]; then
  log "code-server $CS_VERSION already installed"
  exit 0
fi

case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "e2e setup: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
TMP="$(node -p 'require("os").tmpdir()')"
CACHE="$TMP/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$CACHE"
# lib/download.js reuses <tmpdir>/vscode-ripgrep-cache-<pkgver>/<asset>; rg must be at the archive root.
tar -C "$(dirname "$(command -v rg)")" -czf "$CACHE/ripgrep-$RG_VERSION-$RG_TARGET.tar.gz" rg

log "npm install code-server@$CS_VERSION (builds native modules; about a minute)"
cd "$HERE"
# npm_config_yes: node-pty's `npx node-gyp` cancels without a TTY otherwise; --unsafe-perm: root postinstall.
if [ -f package-lock.json ]; then
  TMPDIR="$TMP" npm_config_yes=true npm ci --unsafe-perm --no-audit --no-fund --loglevel=error
else
  TMPDIR="$TMP" npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error
fi
log "done"
