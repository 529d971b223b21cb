# Runs wac-doctor-collect.ps1 as on a recorded Windows machine (fixtures/live/<name>): its Windows-only commands and
# cmdlets answer from the recording, the network probes are real (point them at loopback servers with -DnsServer,
# -ConnectTo, -CaFile). Used by test/collector/parity.test.ts; any other parameter goes to the collector.
#   pwsh -File RecordedRun.ps1 -Fixture fixtures/live/windows -Now 2026-11-26T12:00:00Z -OutputPath x.zip ...
#   (-AsJson: the snapshot document on stdout instead of the zip)
param(
    [string]$Fixture,
    [string]$Now = '',
    [string]$OutputPath = 'wac-doctor-snapshot.zip',
    [string]$TimeoutSeconds = '5',
    [string[]]$DnsServer = @(),
    [string[]]$ConnectTo = @(),
    [string]$CaFile = '',
    [string[]]$Endpoints = @(),
    [switch]$NoRedact,
    [switch]$AsJson
)
$ErrorActionPreference = 'Stop'
# Dot-sourcing the collector binds its own parameters (same names) in this scope: keep ours first.
$run = @{
    OutputPath = $OutputPath; TimeoutSeconds = $TimeoutSeconds; DnsServer = $DnsServer; Resolve = @(); ConnectTo = $ConnectTo
    CaFile = $CaFile; Endpoints = $Endpoints; Region = ''; Port = ''; NoRedact = [bool]$NoRedact; AsJson = [bool]$AsJson; Unknown = @()
}
$fixtureDir = $Fixture
$nowText = $Now
. (Join-Path $PSScriptRoot 'Replay.ps1')
. (Join-Path (Split-Path -Parent $PSScriptRoot) 'wac-doctor-collect.ps1')

$script:Machine = Read-RecordedMachine $fixtureDir
$script:RecordedNow = $null
if ($nowText) { $script:RecordedNow = [DateTime]::Parse($nowText, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal') }

# The script's seams, redefined (later definitions win in this scope).
function Get-CollectorPlatform { return 'win32' }
function Get-CollectorPaths { return Get-RecordedPaths $script:Machine }
function Get-CollectorNow { if ($null -ne $script:RecordedNow) { return $script:RecordedNow }; return [DateTime]::UtcNow }
function Invoke-NativeCommandSet { param([object[]]$Commands, [int]$TimeoutMs) return Invoke-RecordedCommandSet $script:Machine $Commands }
function Get-Service { param([string[]]$Name, $ErrorAction) return Get-RecordedService $script:Machine $Name }
function Get-TlsCipherSuite { return Get-RecordedCipherSuite $script:Machine }
function Get-NetFirewallRule { param([string[]]$Name) return Get-RecordedFirewallRule $script:Machine $Name }
function Get-CimInstance { param([string]$ClassName) return Get-RecordedCim $script:Machine $ClassName }

$code = Invoke-CollectorMain $run
exit $code
