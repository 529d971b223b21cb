# Recorded Windows machines (fixtures/live/<name>) for the collector's tests: the outputs core/sources/live's RecordedRunner
# replays for the Node collector, served to the script in place of the Windows-only commands and cmdlets.
# Dot-source it; Pester mocks call these functions, and RecordedRun.ps1 redefines the script's seams with them.
Set-StrictMode -Version Latest

function Read-RecordedMachine {
    param([string]$Fixture)
    $dir = (Resolve-Path -LiteralPath $Fixture).Path
    $commands = @(Get-Content -LiteralPath (Join-Path $dir 'commands.json') -Raw | ConvertFrom-Json)
    $system = Get-Content -LiteralPath (Join-Path $dir 'system.json') -Raw | ConvertFrom-Json
    $ps = $false
    foreach ($c in $commands) {
        if ($c.command -like 'powershell *' -and -not ($null -ne $c.PSObject.Properties['notFound'] -and $c.notFound)) { $ps = $true }
    }
    return @{ Dir = $dir; Commands = $commands; System = $system; HasPowerShell = $ps }
}

function Read-RecordedText {
    param([hashtable]$Machine, $Command, [string]$Stream)
    if ($null -ne $Command.PSObject.Properties[$Stream]) { return [string]$Command.$Stream }
    $fileProp = $Command.PSObject.Properties[$Stream + 'File']
    if ($null -eq $fileProp) { return '' }
    $path = Join-Path $Machine.Dir $fileProp.Value
    if (-not (Test-Path -LiteralPath $path)) { return '' }
    return [System.IO.File]::ReadAllText($path)
}

# Invoke-NativeCommandSet, replayed: a command that was not recorded is "not found", as on a machine without it.
function Invoke-RecordedCommandSet {
    param([hashtable]$Machine, [object[]]$Commands)
    $out = foreach ($c in $Commands) {
        $line = Get-CommandLineText $c.File $c.Args
        $hit = $null
        foreach ($r in $Machine.Commands) { if ($r.command -eq $line) { $hit = $r; break } }
        $result = @{ Command = $line; ExitCode = $null; StdOut = ''; StdErr = ''; NotFound = $false; TimedOut = $false; Error = $null; DurationMs = 0 }
        if ($null -eq $hit -or ($null -ne $hit.PSObject.Properties['notFound'] -and $hit.notFound)) {
            $result.NotFound = $true
            $result.Error = '{0} not found' -f $c.File
        } elseif ($null -ne $hit.PSObject.Properties['timedOut'] -and $hit.timedOut) {
            $result.TimedOut = $true
            $result.Error = 'killed (timeout)'
        } else {
            $result.ExitCode = $hit.exitCode
            $result.StdOut = Read-RecordedText $Machine $hit 'stdout'
            $result.StdErr = Read-RecordedText $Machine $hit 'stderr'
        }
        $result
    }
    return , @($out)
}

function New-CommandNotFound {
    param([string]$Name)
    return New-Object System.Management.Automation.CommandNotFoundException -ArgumentList ("The term '{0}' is not recognized as a name of a cmdlet, function, script file, or executable program." -f $Name)
}

# Get-Service, replayed from get-service.json (the machine's Get-Service | ConvertTo-Json), only the names asked.
function Get-RecordedService {
    param([hashtable]$Machine, [string[]]$Name)
    if (-not $Machine.HasPowerShell) { throw (New-CommandNotFound 'Get-Service') }
    $all = @(Get-Content -LiteralPath (Join-Path $Machine.Dir 'get-service.json') -Raw | ConvertFrom-Json)
    foreach ($s in $all) { if ($Name -contains $s.Name) { $s } }
}

function Get-RecordedCipherSuite {
    param([hashtable]$Machine)
    $path = Join-Path $Machine.Dir 'get-tlsciphersuite.json'
    if (-not (Test-Path -LiteralPath $path)) { throw (New-CommandNotFound 'Get-TlsCipherSuite') }
    foreach ($x in @(Get-Content -LiteralPath $path -Raw | ConvertFrom-Json)) { $x }
}

function Get-RecordedCim {
    param([hashtable]$Machine, [string]$ClassName)
    $s = $Machine.System
    if ($ClassName -eq 'Win32_OperatingSystem') {
        return [pscustomobject]@{ Caption = $s.os.name; Version = $s.os.version; BuildNumber = [string]$s.os.build }
    }
    if ($ClassName -eq 'Win32_ComputerSystem') {
        return [pscustomobject]@{ TotalPhysicalMemory = [long]$s.memoryTotalBytes; DNSHostName = $s.hostname }
    }
    throw ('no recorded {0}' -f $ClassName)
}

function Get-RecordedPaths {
    param([hashtable]$Machine)
    $d = $Machine.Dir
    return @{
        AzcmagentExe  = Join-Path $d 'azcmagent.exe'
        Appsettings   = @((Join-Path (Join-Path (Join-Path (Join-Path $d 'Program Files') 'WindowsAdminCenter') 'Service') 'appsettings.json'))
        ExtensionRoot = Join-Path (Join-Path (Join-Path $d 'Packages') 'Plugins') 'Microsoft.AdminCenter.AdminCenter'
        HostsFile     = Join-Path $d 'hosts'
    }
}
