<#
.SYNOPSIS
    WAC Doctor collector: records why Windows Admin Center in the Azure portal may not connect to this Arc server.

.DESCRIPTION
    Writes a snapshot zip in the layout `wac-doctor collect` writes, for `wac-doctor analyze <zip>` anywhere:
    azcmagent show / config list, the agent and gateway services, the ServerManagementGateway registry key, the
    modern gateway's port (appsettings.json), the AdminCenter extension status, TLS cipher suites, the WinHTTP proxy,
    and per endpoint DNS, TCP, TLS and HTTPS (through the agent's proxy when set), plus https://localhost:<port>.
    Every probe runs in parallel inside one time budget (-TimeoutSeconds).

    Read-only: it changes nothing on the server. Its command lines are fixed (the table below). Proxy credentials,
    tokens and SAS signatures are redacted unless -NoRedact. Needs only Windows PowerShell 5.1 (or PowerShell 7).

    With -AsJson nothing is written to disk: the same snapshot goes to stdout as ONE compact JSON document, for Azure
    Arc Run Command (whose output is text): {"wacDoctorSnapshot":1,"manifest":{...},"entries":{"<entry>":"<text>"}}.
    `wac-doctor analyze` reads that document, bare or as `az connectedmachine run-command show` JSON.

    Exit codes: 0 written; 1 written, but some collectors failed (each failure is recorded in the snapshot);
    2 bad parameters or the zip could not be written.

.PARAMETER OutputPath
    The snapshot zip to write (default .\wac-doctor-snapshot.zip).
.PARAMETER TimeoutSeconds
    Time budget of the whole run: every probe and command ends by start + this (default 5; 0.1 to 600).
.PARAMETER DnsServer
    address[:port] of DNS servers to ask instead of the system's (comma-separated), as --dns-server.
.PARAMETER Resolve
    host:port:address: connect there instead of the DNS answer (DNS is still asked), as curl's --resolve.
.PARAMETER ConnectTo
    host:port:address:port: connect to address:port instead of host:port, as curl's --connect-to.
.PARAMETER CaFile
    PEM file of CA certificates to trust instead of the system's roots (TLS inspection tests), as --ca-file.
.PARAMETER Endpoints
    host or host:port list replacing the default endpoints (comma-separated).
.PARAMETER Region
    Azure region for the regional endpoints (default: azcmagent show's location).
.PARAMETER Port
    The WAC port for https://localhost:<port> (default: extension setting, else SmePort, else appsettings.json,
    else 6516). Given, localhost is probed on any OS.
.PARAMETER NoRedact
    Keep proxy credentials, tokens and signatures in the snapshot.
.PARAMETER AsJson
    Write the snapshot to stdout as one compact JSON document instead of a zip (-OutputPath is not used); the
    summary goes to stderr, progress is not shown. Size-bounded: each entry's escaped text is at most 1 MiB and
    all entries together at most 4 MiB (later entries are cut first; each cut is listed in "truncated" and in the
    manifest's notes). Non-ASCII characters are \u-escaped, so the console code page cannot garble it.

.EXAMPLE
    powershell -NoProfile -ExecutionPolicy Bypass -File .\wac-doctor-collect.ps1 -OutputPath C:\Temp\wac-snapshot.zip
.EXAMPLE
    az connectedmachine run-command create -g <rg> --machine-name <server> -n wac-doctor --script @wac-doctor-collect.ps1 --parameters name=AsJson value=''
    (then: az connectedmachine run-command show -g <rg> --machine-name <server> -n wac-doctor > run.json; wac-doctor analyze run.json)
.EXAMPLE
    .\wac-doctor-collect.ps1 -Endpoints wac.azure.com -ConnectTo ::127.0.0.1:8443 -DnsServer 127.0.0.1:5353 -CaFile test-ca.pem -TimeoutSeconds 3
#>
# Parameters are read from $args by the script itself (no param block), so that a bad or missing value is a usage
# error with exit code 2, not a PowerShell binding error (exit code 1 under -File).
$CollectorArgs = @($args)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# ---------------------------------------------------------------------------------------------------------------
# The command table, endpoints, limits and redaction rules: generated from core/sources/live/collector-spec.ts
# (node dist/scripts/collector-spec.js --write). test/collector/spec.test.ts fails when they drift.
# BEGIN GENERATED SPEC
$Spec = ConvertFrom-Json @'
{
  "tool": {"name":"wac-doctor","version":"0.1.0"},
  "entries": {"manifest":"wac-doctor-snapshot.json","probes":"probes.json","extensionStatusPrefix":"files/Packages/Plugins/Microsoft.AdminCenter.AdminCenter"},
  "commands": [
    {"id":"azcmagent-show","file":"azcmagent","args":["show","-j"],"entry":"commands/azcmagent-show.json"},
    {"id":"azcmagent-show-text","file":"azcmagent","args":["show"],"entry":"commands/azcmagent-show.txt"},
    {"id":"azcmagent-config-list","file":"azcmagent","args":["config","list","-j"],"entry":"commands/azcmagent-config-list.json"},
    {"id":"azcmagent-config-list-text","file":"azcmagent","args":["config","list"],"entry":"commands/azcmagent-config-list.txt"},
    {"id":"get-service","file":"Get-Service","args":["-Name","himds,GCArcService,ExtensionService,arcproxy,ServerManagementGateway,WindowsAdminCenter,WindowsAdminCenterAccountManagement"],"entry":"commands/get-service.json"},
    {"id":"get-service-errors","file":"Get-Service","args":["-Name","himds,GCArcService,ExtensionService,arcproxy,ServerManagementGateway,WindowsAdminCenter,WindowsAdminCenterAccountManagement"],"entry":"commands/get-service-errors.txt"},
    {"id":"sc-query-himds","file":"sc.exe","args":["query","himds"],"entry":"commands/sc-query-himds.txt"},
    {"id":"sc-query-gcarcservice","file":"sc.exe","args":["query","GCArcService"],"entry":"commands/sc-query-gcarcservice.txt"},
    {"id":"sc-query-extensionservice","file":"sc.exe","args":["query","ExtensionService"],"entry":"commands/sc-query-extensionservice.txt"},
    {"id":"sc-query-arcproxy","file":"sc.exe","args":["query","arcproxy"],"entry":"commands/sc-query-arcproxy.txt"},
    {"id":"sc-query-servermanagementgateway","file":"sc.exe","args":["query","ServerManagementGateway"],"entry":"commands/sc-query-servermanagementgateway.txt"},
    {"id":"sc-query-windowsadmincenter","file":"sc.exe","args":["query","WindowsAdminCenter"],"entry":"commands/sc-query-windowsadmincenter.txt"},
    {"id":"sc-query-windowsadmincenteraccountmanagement","file":"sc.exe","args":["query","WindowsAdminCenterAccountManagement"],"entry":"commands/sc-query-windowsadmincenteraccountmanagement.txt"},
    {"id":"reg-query-sme","file":"reg.exe","args":["query","HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway"],"entry":"commands/reg-query-sme.txt"},
    {"id":"netsh-winhttp-proxy","file":"netsh.exe","args":["winhttp","show","proxy"],"entry":"commands/netsh-winhttp-show-proxy.txt"},
    {"id":"get-tlsciphersuite","file":"Get-TlsCipherSuite","args":[],"entry":"commands/get-tlsciphersuite.json"}
  ],
  "services": ["himds","GCArcService","ExtensionService","arcproxy","ServerManagementGateway","WindowsAdminCenter","WindowsAdminCenterAccountManagement"],
  "files": {"azcmagentExe":"AzureConnectedMachineAgent\\azcmagent.exe","appsettings":["WindowsAdminCenter\\Service\\appsettings.json","WindowsAdminCenter\\appsettings.json"],"extensionRoot":"Packages\\Plugins\\Microsoft.AdminCenter.AdminCenter","hosts":"System32\\drivers\\etc\\hosts"},
  "endpoints": [
    {"host":"{region}.service.waconazure.com","path":"/"},
    {"host":"wac.azure.com","path":"/"},
    {"host":"pas.windows.net"},
    {"host":"guestnotificationservice.azure.com","regionPath":"/urls/allowlist?api-version=2020-01-01&location={region}","relayAllowlist":true},
    {"host":"login.microsoftonline.com"},
    {"host":"management.azure.com"},
    {"host":"gbl.his.arc.azure.com"},
    {"host":"agentserviceapi.guestconfiguration.azure.com"},
    {"host":"{region}-gas.guestconfiguration.azure.com"}
  ],
  "bodyHosts": {"exact":["wac.azure.com"],"suffix":[".service.waconazure.com"]},
  "relay": {"suffix":".servicebus.windows.net","max":8},
  "bypassGroups": {"aad":["login.windows.net","login.microsoftonline.com","pas.windows.net"],"arm":["management.azure.com"],"arc":["his.arc.azure.com","guestconfiguration.azure.com"]},
  "endpointOrder": ["wac.azure.com","service.waconazure.com","pas.windows.net","guestnotificationservice.azure.com","servicebus.windows.net","login.microsoftonline.com","management.azure.com","his.arc.azure.com","guestconfiguration.azure.com"],
  "himds": {"url":"http://127.0.0.1:40342","path":"/agentstatus?api-version=2019-08-15"},
  "limits": {"defaultTimeoutMs":5000,"dependencyShare":0.6,"graceMs":250,"maxBodyKept":4096,"maxBody":65536,"defaultWacPort":6516,"maxStatusFileBytes":262144},
  "document": {"version":1,"key":"wacDoctorSnapshot","maxChars":4194304,"maxEntryChars":1048576},
  "redaction": [
    {"pattern":"\\b([a-z][a-z0-9+.-]{0,20}:\\/\\/)[^\\s\"'<>]{0,512}@(?=[A-Za-z0-9.-]{1,253}(?::\\d{1,5})?(?:[/\\s\"'<>,;)]|$))","flags":"i","replacement":"$1***@"},
    {"pattern":"([?&;](?:sig|signature|code|token|access_token|refresh_token|client_secret|password|pwd)=)[^&\\s\"'<>]+","flags":"i","replacement":"$1***"},
    {"pattern":"\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]{8,}","flags":"i","replacement":"$1 ***"},
    {"pattern":"\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*","flags":"","replacement":"***jwt***"},
    {"pattern":"\\b(AccountKey|SharedAccessKey|SharedAccessSignature|client_secret|ClientSecret|proxyPassword|password|passwd|pwd)(\\s*[=:]\\s*)(\"?)[^\\s;\"',]+","flags":"i","replacement":"$1$2$3***"},
    {"pattern":"(\"(?:password|proxyPassword|clientSecret|client_secret|accessToken|access_token|refreshToken|token|sig)\"\\s*:\\s*\")[^\"]*\"","flags":"i","replacement":"$1***\""},
    {"pattern":"(Proxy-Authorization:\\s*)\\S.*$","flags":"im","replacement":"$1***"}
  ]
}
'@
# END GENERATED SPEC
# ---------------------------------------------------------------------------------------------------------------

# ---- probes: run in parallel runspaces, so everything they need is in this one block ----------------------------
$ProbeLibrary = {
    Set-StrictMode -Version Latest
    $ErrorActionPreference = 'Stop'

    function Get-RemainingMs {
        param([long]$Deadline)
        $ms = [long](($Deadline - [DateTime]::UtcNow.Ticks) / 10000)
        if ($ms -lt 0) { return 0 }
        return $ms
    }

    function Get-ElapsedMs {
        param([long]$Started)
        return [int](([DateTime]::UtcNow.Ticks - $Started) / 10000)
    }

    function Get-InnermostMessage {
        param($ErrorObject)
        $e = $ErrorObject
        if ($e -is [System.Management.Automation.ErrorRecord]) { $e = $e.Exception }
        while ($e -is [System.Management.Automation.MethodInvocationException] -and $null -ne $e.InnerException) { $e = $e.InnerException }
        while (($e -is [System.AggregateException] -or $e -is [System.IO.IOException] -or $e -is [System.Security.Authentication.AuthenticationException]) -and $null -ne $e.InnerException) { $e = $e.InnerException }
        return $e
    }

    function Get-SocketErrorText {
        param($Exception, [string]$Where)
        $codes = @{
            'ConnectionRefused' = 'ECONNREFUSED'; 'TimedOut' = 'ETIMEDOUT'; 'HostUnreachable' = 'EHOSTUNREACH'
            'NetworkUnreachable' = 'ENETUNREACH'; 'ConnectionReset' = 'ECONNRESET'; 'ConnectionAborted' = 'ECONNABORTED'
            'AddressNotAvailable' = 'EADDRNOTAVAIL'; 'AccessDenied' = 'EACCES'
        }
        $e = Get-InnermostMessage $Exception
        if ($e -is [System.Net.Sockets.SocketException]) {
            $name = [string]$e.SocketErrorCode
            if ($codes.ContainsKey($name)) { return ('{0} {1}' -f $codes[$name], $Where).Trim() }
            return ('{0} {1}' -f $name, $Where).Trim()
        }
        return [string]$e.Message
    }

    function Test-PrivateAddress {
        param([string]$Address)
        $ip = $null
        $text = $Address.Trim().Trim('[', ']') -replace '%.*$', ''
        if (-not [System.Net.IPAddress]::TryParse($text, [ref]$ip)) { return $false }
        if ($ip.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6 -and $ip.IsIPv4MappedToIPv6) { $ip = $ip.MapToIPv4() }
        $b = $ip.GetAddressBytes()
        if ($ip.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetwork) {
            return ($b[0] -eq 10) -or ($b[0] -eq 172 -and $b[1] -ge 16 -and $b[1] -le 31) -or ($b[0] -eq 192 -and $b[1] -eq 168) -or
                ($b[0] -eq 100 -and $b[1] -ge 64 -and $b[1] -le 127) -or ($b[0] -eq 127) -or ($b[0] -eq 169 -and $b[1] -eq 254)
        }
        if ([System.Net.IPAddress]::IsLoopback($ip)) { return $true }
        return (($b[0] -band 0xfe) -eq 0xfc) -or ($b[0] -eq 0xfe -and ($b[1] -band 0xc0) -eq 0x80)
    }

    function Test-IpAddress {
        param([string]$Text)
        $ip = $null
        return [System.Net.IPAddress]::TryParse($Text.Trim('[', ']'), [ref]$ip)
    }

    function Select-PreferredAddress {
        param([object[]]$Addresses)
        foreach ($a in @($Addresses)) { if ([string]$a -match '^\d{1,3}(\.\d{1,3}){3}$') { return [string]$a } }
        if (@($Addresses).Count -gt 0) { return [string]@($Addresses)[0] }
        return $null
    }

    function Find-ConnectOverride {
        param([object[]]$Overrides, [string]$HostName, [int]$Port)
        $h = $HostName.ToLowerInvariant()
        $best = $null
        $bestScore = -1
        foreach ($o in @($Overrides)) {
            if ($o.host -and $o.host -ne $h) { continue }
            if ($null -ne $o.port -and $o.port -ne $Port) { continue }
            $score = 0
            if ($o.host) { $score += 2 }
            if ($null -ne $o.port) { $score += 1 }
            if ($score -gt $bestScore) { $best = $o; $bestScore = $score }
        }
        return $best
    }

    # ---- DNS: straight to each resolver, A and AAAA over UDP (resent each second), TCP when truncated ----
    function New-DnsQuery {
        param([string]$Name, [int]$Type, [int]$Id)
        $bytes = New-Object System.Collections.Generic.List[byte]
        foreach ($v in @((($Id -shr 8) -band 0xff), ($Id -band 0xff), 1, 0, 0, 1, 0, 0, 0, 0, 0, 0)) { $bytes.Add([byte]$v) }
        foreach ($label in $Name.TrimEnd('.').Split('.')) {
            $l = [System.Text.Encoding]::ASCII.GetBytes($label)
            $bytes.Add([byte]$l.Length)
            $bytes.AddRange($l)
        }
        foreach ($v in @(0, 0, $Type, 0, 1)) { $bytes.Add([byte]$v) }
        return , $bytes.ToArray()
    }

    function Read-DnsName {
        param([byte[]]$Buffer, [int]$Offset)
        $labels = New-Object System.Collections.Generic.List[string]
        $pos = $Offset
        $end = -1
        $jumps = 0
        while ($true) {
            if ($pos -ge $Buffer.Length) { throw 'truncated name' }
            $len = [int]$Buffer[$pos]
            if ($len -eq 0) { $pos++; break }
            if (($len -band 0xc0) -eq 0xc0) {
                if ($pos + 1 -ge $Buffer.Length) { throw 'truncated pointer' }
                if ($end -lt 0) { $end = $pos + 2 }
                $pos = (($len -band 0x3f) -shl 8) -bor [int]$Buffer[$pos + 1]
                $jumps++
                if ($jumps -gt 20) { throw 'compression loop' }
                continue
            }
            if ($pos + 1 + $len -gt $Buffer.Length) { throw 'truncated label' }
            $labels.Add([System.Text.Encoding]::ASCII.GetString($Buffer, $pos + 1, $len))
            $pos += 1 + $len
        }
        if ($end -lt 0) { $end = $pos }
        return @{ Name = ($labels -join '.').ToLowerInvariant(); Next = $end }
    }

    function Read-DnsPacket {
        param([byte[]]$Buffer)
        if ($Buffer.Length -lt 12) { throw 'short packet' }
        $flags = ([int]$Buffer[2] -shl 8) -bor [int]$Buffer[3]
        $packet = @{
            Id = ([int]$Buffer[0] -shl 8) -bor [int]$Buffer[1]
            Response = (($flags -band 0x8000) -ne 0)
            Truncated = (($flags -band 0x0200) -ne 0)
            Rcode = $flags -band 0x0f
            Answers = New-Object System.Collections.Generic.List[object]
        }
        $qd = ([int]$Buffer[4] -shl 8) -bor [int]$Buffer[5]
        $an = ([int]$Buffer[6] -shl 8) -bor [int]$Buffer[7]
        $pos = 12
        for ($i = 0; $i -lt $qd; $i++) { $pos = (Read-DnsName $Buffer $pos).Next + 4 }
        for ($i = 0; $i -lt $an; $i++) {
            $n = Read-DnsName $Buffer $pos
            $pos = $n.Next
            if ($pos + 10 -gt $Buffer.Length) { throw 'truncated record' }
            $type = ([int]$Buffer[$pos] -shl 8) -bor [int]$Buffer[$pos + 1]
            $rdlen = ([int]$Buffer[$pos + 8] -shl 8) -bor [int]$Buffer[$pos + 9]
            $rd = $pos + 10
            if ($rd + $rdlen -gt $Buffer.Length) { throw 'truncated data' }
            $data = $null
            if ($type -eq 1 -and $rdlen -eq 4) { $data = '{0}.{1}.{2}.{3}' -f $Buffer[$rd], $Buffer[$rd + 1], $Buffer[$rd + 2], $Buffer[$rd + 3] }
            elseif ($type -eq 28 -and $rdlen -eq 16) {
                $raw = New-Object byte[] 16
                [System.Array]::Copy($Buffer, $rd, $raw, 0, 16)
                $data = (New-Object System.Net.IPAddress -ArgumentList (, $raw)).ToString()
            }
            elseif ($type -eq 5) { $data = (Read-DnsName $Buffer $rd).Name }
            if ($null -ne $data) { $packet.Answers.Add(@{ Name = $n.Name; Type = $type; Data = $data }) }
            $pos = $rd + $rdlen
        }
        return $packet
    }

    function Invoke-DnsTcpQuery {
        param([hashtable]$Server, [byte[]]$Query, [int]$Id, [long]$Deadline)
        $client = New-Object System.Net.Sockets.TcpClient -ArgumentList ([System.Net.IPAddress]::Parse($Server.address).AddressFamily)
        try {
            $ar = $client.BeginConnect($Server.address, $Server.port, $null, $null)
            if (-not $ar.AsyncWaitHandle.WaitOne([int](Get-RemainingMs $Deadline))) { return @{ TimedOut = $true } }
            $client.EndConnect($ar)
            $stream = $client.GetStream()
            $head = [byte[]]@((($Query.Length -shr 8) -band 0xff), ($Query.Length -band 0xff))
            $stream.Write($head, 0, 2)
            $stream.Write($Query, 0, $Query.Length)
            $buf = New-Object System.IO.MemoryStream
            $chunk = New-Object byte[] 4096
            while ($true) {
                $rem = Get-RemainingMs $Deadline
                if ($rem -le 0) { return @{ TimedOut = $true } }
                $stream.ReadTimeout = [int][Math]::Max(1, $rem)
                $n = $stream.Read($chunk, 0, $chunk.Length)
                if ($n -le 0) { return @{ Error = 'connection closed without an answer' } }
                $buf.Write($chunk, 0, $n)
                $all = $buf.ToArray()
                if ($all.Length -ge 2) {
                    $len = ([int]$all[0] -shl 8) -bor [int]$all[1]
                    if ($all.Length -ge 2 + $len) {
                        $msg = New-Object byte[] $len
                        [System.Array]::Copy($all, 2, $msg, 0, $len)
                        $p = Read-DnsPacket $msg
                        if ($p.Id -ne $Id) { return @{ Error = 'answer with a foreign id' } }
                        return @{ Packet = $p; Transport = 'tcp' }
                    }
                }
            }
        } catch {
            if ((Get-RemainingMs $Deadline) -le 0) { return @{ TimedOut = $true } }
            return @{ Error = (Get-SocketErrorText $_ '') }
        } finally {
            $client.Close()
        }
    }

    function Get-ResolverLabel {
        param([hashtable]$Server)
        if ($Server.port -eq 53) { return $Server.address }
        if ($Server.address.Contains(':')) { return ('[{0}]:{1}' -f $Server.address, $Server.port) }
        return ('{0}:{1}' -f $Server.address, $Server.port)
    }

    function Get-CnameChain {
        param([string]$Name, $Answers)
        $chain = New-Object System.Collections.Generic.List[string]
        $current = $Name.ToLowerInvariant()
        for ($i = 0; $i -lt 10; $i++) {
            $next = $null
            foreach ($a in $Answers) { if ($a.Type -eq 5 -and $a.Name -eq $current) { $next = $a.Data; break } }
            if ($null -eq $next) { break }
            $current = $next
            $chain.Add($current)
        }
        return @{ Chain = $chain.ToArray(); Final = $current }
    }

    function Get-AddressList {
        param($Answers, [int]$Type, [string]$Final)
        $all = @(foreach ($a in $Answers) { if ($a.Type -eq $Type) { $a } })
        $named = @(foreach ($a in $all) { if ($a.Name -eq $Final) { $a } })
        if ($named.Count -gt 0) { $all = $named }
        return , @(foreach ($a in $all) { [string]$a.Data })
    }

    # One resolver's answer for one name, as probes.json records it (the A query decides the status).
    function ConvertTo-ResolverAnswer {
        param([hashtable]$State, [string]$Name, [int]$Ms)
        $rcodes = @{ 0 = 'ok'; 3 = 'nxdomain'; 2 = 'servfail'; 5 = 'refused' }
        $a = $State.Results[1]
        $out = [ordered]@{ status = ''; addresses = @(); resolver = $State.Label; ms = $Ms }
        if ($null -eq $a -and $null -ne $State.Error) { $a = @{ Error = $State.Error; Transport = 'udp' } }
        if ($null -eq $a -or ($a.ContainsKey('TimedOut') -and $a.TimedOut)) {
            $out.status = 'timeout'
            $out.error = ('no answer from {0} within {1} ms' -f $State.Label, $Ms)
            return $out
        }
        if ($a.ContainsKey('Error')) {
            $out.status = 'error'
            $out.transport = 'udp'
            if ($a.ContainsKey('Transport')) { $out.transport = $a.Transport }
            $out.error = $a.Error
            return $out
        }
        $p = $a.Packet
        $out.transport = $a.Transport
        if ($rcodes.ContainsKey($p.Rcode)) { $out.status = $rcodes[$p.Rcode] } else { $out.status = 'error' }
        $c = Get-CnameChain $Name $p.Answers
        $addresses = New-Object System.Collections.Generic.List[string]
        foreach ($x in (Get-AddressList $p.Answers 1 $c.Final)) { $addresses.Add($x) }
        $six = $State.Results[28]
        if ($null -ne $six -and $six.ContainsKey('Packet') -and $six.Packet.Rcode -eq 0) {
            foreach ($x in (Get-AddressList $six.Packet.Answers 28 $c.Final)) { if (-not $addresses.Contains($x)) { $addresses.Add($x) } }
        }
        $out.addresses = $addresses.ToArray()
        if ($c.Chain.Length -gt 0) { $out.cname = $c.Chain }
        if ($addresses.Count -gt 0) {
            $private = $false
            foreach ($x in $addresses) { if (Test-PrivateAddress $x) { $private = $true } }
            $out.private = $private
        }
        if ($out.status -eq 'error') { $out.error = ('rcode {0}' -f $p.Rcode) }
        elseif ($out.status -eq 'ok' -and $addresses.Count -eq 0) { $out.error = 'no A or AAAA records' }
        return $out
    }

    # A and AAAA of every name from every resolver at once, in one select loop (no thread per query).
    # $OnName is called with (name, answers) as soon as all resolvers answered for that name, or at the end.
    function Invoke-DnsBatch {
        param([string[]]$Names, [object[]]$Resolvers, [long]$Deadline, [scriptblock]$OnName)
        $started = [DateTime]::UtcNow.Ticks
        $states = New-Object System.Collections.Generic.List[object]
        $byName = @{}
        $rng = New-Object System.Random
        foreach ($name in $Names) {
            $byName[$name] = New-Object System.Collections.Generic.List[object]
            foreach ($r in @($Resolvers)) {
                $ip = [System.Net.IPAddress]::Parse($r.address)
                $st = @{ Name = $name; Server = $r; Label = (Get-ResolverLabel $r); Queries = @{}; Results = @{}; Error = $null; Socket = $null; LastSend = 0; Ms = 0 }
                foreach ($t in @(1, 28)) {
                    $id = $rng.Next(0, 65536)
                    $st.Queries[$t] = @{ Id = $id; Packet = (New-DnsQuery $name $t $id) }
                }
                try {
                    $sock = New-Object System.Net.Sockets.Socket -ArgumentList $ip.AddressFamily, ([System.Net.Sockets.SocketType]::Dgram), ([System.Net.Sockets.ProtocolType]::Udp)
                    $sock.Connect((New-Object System.Net.IPEndPoint -ArgumentList $ip, $r.port))
                    $st.Socket = $sock
                } catch {
                    $st.Error = Get-SocketErrorText $_ ''
                }
                $states.Add($st)
                $byName[$name].Add($st)
            }
        }
        $published = @{}
        $publish = {
            param([string]$N)
            $published[$N] = $true
            $list = $byName[$N]
            $answers = @(foreach ($st in $list) { ConvertTo-ResolverAnswer $st $N $st.Ms })
            & $OnName $N $answers
        }
        $buffer = New-Object byte[] 65535
        try {
            while ($true) {
                $open = @(foreach ($st in $states) { if ($null -eq $st.Error -and $st.Results.Count -lt 2) { $st } })
                foreach ($st in $states) { if ($st.Ms -eq 0 -and ($null -ne $st.Error -or $st.Results.Count -ge 2)) { $st.Ms = [Math]::Max(1, (Get-ElapsedMs $started)) } }
                foreach ($name in $Names) {
                    if ($published.ContainsKey($name)) { continue }
                    $pending = @(foreach ($st in $byName[$name]) { if ($null -eq $st.Error -and $st.Results.Count -lt 2) { $st } })
                    if ($pending.Count -eq 0) { & $publish $name }
                }
                if ($open.Count -eq 0) { break }
                $rem = Get-RemainingMs $Deadline
                if ($rem -le 0) { break }
                $now = [DateTime]::UtcNow.Ticks
                foreach ($st in $open) {
                    if (($now - $st.LastSend) / 10000 -ge 1000) {
                        $st.LastSend = $now
                        foreach ($t in @(1, 28)) {
                            if (-not $st.Results.ContainsKey($t)) {
                                try { [void]$st.Socket.Send($st.Queries[$t].Packet) } catch { $st.Error = Get-SocketErrorText $_ '' }
                            }
                        }
                    }
                }
                $list = New-Object System.Collections.ArrayList
                $failed = New-Object System.Collections.ArrayList
                foreach ($st in $open) { if ($null -eq $st.Error) { [void]$list.Add($st.Socket); [void]$failed.Add($st.Socket) } }
                if ($list.Count -eq 0) { continue }
                $wait = [Math]::Min($rem, 1000)
                # A connected socket hears ICMP port-unreachable as an error, so a dead resolver fails fast.
                [System.Net.Sockets.Socket]::Select($list, $null, $failed, [int]($wait * 1000))
                foreach ($sock in $failed) { if (-not $list.Contains($sock)) { [void]$list.Add($sock) } }
                foreach ($sock in $list) {
                    $st = $null
                    foreach ($x in $open) { if ([object]::ReferenceEquals($x.Socket, $sock)) { $st = $x } }
                    if ($null -eq $st) { continue }
                    try {
                        $n = $sock.Receive($buffer)
                    } catch {
                        $st.Error = Get-SocketErrorText $_ ''
                        continue
                    }
                    $msg = New-Object byte[] $n
                    [System.Array]::Copy($buffer, $msg, $n)
                    try { $p = Read-DnsPacket $msg } catch { continue }
                    if (-not $p.Response) { continue }
                    foreach ($t in @(1, 28)) {
                        if ($st.Queries[$t].Id -ne $p.Id -or $st.Results.ContainsKey($t)) { continue }
                        if ($p.Truncated) {
                            $st.Results[$t] = Invoke-DnsTcpQuery $st.Server $st.Queries[$t].Packet $p.Id $Deadline
                        } else {
                            $st.Results[$t] = @{ Packet = $p; Transport = 'udp' }
                        }
                    }
                }
            }
        } finally {
            foreach ($st in $states) { if ($null -ne $st.Socket) { $st.Socket.Close() } }
        }
        $ms = Get-ElapsedMs $started
        foreach ($st in $states) { if ($st.Ms -eq 0) { $st.Ms = $ms } }
        foreach ($name in $Names) { if (-not $published.ContainsKey($name)) { & $publish $name } }
    }

    function Invoke-DnsResolve {
        param([string]$Name, [object[]]$Resolvers, [long]$Deadline)
        $box = @{ Answers = @() }
        Invoke-DnsBatch @($Name) $Resolvers $Deadline { param($n, $answers) $box.Answers = $answers }.GetNewClosure()
        return , @($box.Answers)
    }

    # The first resolver that answered definitively (a stub resolver moves on only on failure), else the first.
    function Select-DnsAnswer {
        param([object[]]$Answers)
        foreach ($a in @($Answers)) { if ($a.status -eq 'ok' -or $a.status -eq 'nxdomain') { return $a } }
        if (@($Answers).Count -gt 0) { return @($Answers)[0] }
        return $null
    }

    # ---- TCP, the proxy tunnel, TLS, HTTP ----
    function Connect-TcpEndpoint {
        param([string]$Address, [int]$Port, [long]$Deadline)
        $started = [DateTime]::UtcNow.Ticks
        if ((Get-RemainingMs $Deadline) -le 0) { return @{ ok = $false; ms = 0; error = 'not attempted: no time left' } }
        $ip = [System.Net.IPAddress]::Parse($Address.Trim('[', ']'))
        $client = New-Object System.Net.Sockets.TcpClient -ArgumentList $ip.AddressFamily
        try {
            $ar = $client.BeginConnect($ip, $Port, $null, $null)
            if (-not $ar.AsyncWaitHandle.WaitOne([int](Get-RemainingMs $Deadline))) {
                $client.Close()
                return @{ ok = $false; ms = (Get-ElapsedMs $started); error = ('timed out after {0} ms connecting to {1}:{2}' -f (Get-ElapsedMs $started), $Address, $Port) }
            }
            $client.EndConnect($ar)
            $client.NoDelay = $true
            return @{ ok = $true; ms = (Get-ElapsedMs $started); client = $client }
        } catch {
            $client.Close()
            return @{ ok = $false; ms = (Get-ElapsedMs $started); error = ('connect {0}' -f (Get-SocketErrorText $_ ('{0}:{1}' -f $Address, $Port))) }
        }
    }

    function Read-HttpHead {
        param($Stream, [long]$Deadline, [int]$Max)
        $buf = New-Object System.IO.MemoryStream
        $one = New-Object byte[] 1
        $tail = 0
        while ($true) {
            $rem = Get-RemainingMs $Deadline
            if ($rem -le 0) { return @{ TimedOut = $true } }
            $Stream.ReadTimeout = [int][Math]::Max(1, $rem)
            $n = $Stream.Read($one, 0, 1)
            if ($n -le 0) { return @{ Closed = $true; Text = [System.Text.Encoding]::GetEncoding(28591).GetString($buf.ToArray()) } }
            $buf.WriteByte($one[0])
            $tail = (($tail -shl 8) -bor $one[0]) -band 0xffffffff
            if ($tail -eq 0x0d0a0d0a) { return @{ Text = [System.Text.Encoding]::GetEncoding(28591).GetString($buf.ToArray()) } }
            if ($buf.Length -gt $Max) { return @{ Oversized = $true } }
        }
    }

    # CONNECT host:port through an HTTP proxy. Credentials are never sent: a 407 is the finding.
    function Open-ProxyTunnel {
        param([string]$ProxyAddress, [int]$ProxyPort, [string]$HostName, [int]$Port, [long]$Deadline, [string]$UserAgent)
        $started = [DateTime]::UtcNow.Ticks
        $tcp = Connect-TcpEndpoint $ProxyAddress $ProxyPort $Deadline
        if (-not $tcp.ok) { return @{ ok = $false; ms = $tcp.ms; error = ('proxy {0}:{1}: {2}' -f $ProxyAddress, $ProxyPort, $tcp.error); proxyUnreachable = $true } }
        $client = $tcp.client
        try {
            $stream = $client.GetStream()
            $req = [System.Text.Encoding]::ASCII.GetBytes(("CONNECT {0}:{1} HTTP/1.1`r`nHost: {0}:{1}`r`nUser-Agent: {2}`r`n`r`n" -f $HostName, $Port, $UserAgent))
            $stream.Write($req, 0, $req.Length)
            $head = Read-HttpHead $stream $Deadline 16384
            if ($head.ContainsKey('TimedOut')) { $client.Close(); return @{ ok = $false; ms = (Get-ElapsedMs $started); error = ('timed out after {0} ms waiting for the proxy to answer CONNECT {1}:{2}' -f (Get-ElapsedMs $started), $HostName, $Port) } }
            if ($head.ContainsKey('Oversized')) { $client.Close(); return @{ ok = $false; ms = (Get-ElapsedMs $started); error = 'the proxy sent an oversized answer to CONNECT' } }
            if ($head.ContainsKey('Closed')) { $client.Close(); return @{ ok = $false; ms = (Get-ElapsedMs $started); error = 'the proxy closed the connection without answering CONNECT' } }
            $m = [regex]::Match($head.Text, '^HTTP/\d(?:\.\d)?\s+(\d{3})\s*([^\r\n]*)')
            if (-not $m.Success) {
                $client.Close()
                $first = ($head.Text -split "`r`n")[0]
                if ($first.Length -gt 80) { $first = $first.Substring(0, 80) }
                return @{ ok = $false; ms = (Get-ElapsedMs $started); error = ('the proxy answered CONNECT with "{0}", not HTTP' -f $first) }
            }
            $status = [int]$m.Groups[1].Value
            $text = $m.Groups[2].Value.Trim()
            if ($status -eq 200) { return @{ ok = $true; ms = (Get-ElapsedMs $started); client = $client; stream = $stream; status = 200; statusText = $text } }
            $client.Close()
            $err = 'the proxy answered CONNECT {0}:{1} with {2}' -f $HostName, $Port, $status
            if ($text) { $err = '{0} {1}' -f $err, $text }
            return @{ ok = $false; ms = (Get-ElapsedMs $started); status = $status; statusText = $text; error = $err }
        } catch {
            $client.Close()
            if ((Get-RemainingMs $Deadline) -le 0) { return @{ ok = $false; ms = (Get-ElapsedMs $started); error = ('timed out after {0} ms waiting for the proxy to answer CONNECT {1}:{2}' -f (Get-ElapsedMs $started), $HostName, $Port) } }
            return @{ ok = $false; ms = (Get-ElapsedMs $started); error = ('proxy {0}:{1}: {2}' -f $ProxyAddress, $ProxyPort, (Get-SocketErrorText $_ '')) }
        }
    }

    function Get-CertName {
        param($Certificate, [bool]$Issuer)
        $dn = $Certificate.Subject
        if ($Issuer) { $dn = $Certificate.Issuer }
        foreach ($attr in @('CN', 'O', 'OU')) {
            $m = [regex]::Match($dn, ('(?:^|,\s*){0}=("(?:[^"]|"")*"|[^,]*)' -f $attr))
            if ($m.Success) { return $m.Groups[1].Value.Trim('"') }
        }
        return $null
    }

    function Format-IsoTime {
        param([DateTime]$Time)
        return $Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
    }

    # TLS with SNI, never rejecting: the validation callback records the chain, and the verdict uses OpenSSL's
    # wording (as the Node collector reports it). With -CaFile, the chain must end at one of those CAs.
    function Invoke-TlsHandshake {
        param($Stream, [string]$HostName, [long]$Deadline, [bool]$CheckTrust, [object[]]$CaCertificates)
        $started = [DateTime]::UtcNow.Ticks
        $capture = @{ Leaf = $null; Chain = @(); Extra = @(); Errors = 0; Status = @() }
        $callback = {
            param($source, $certificate, $chain, $errors)
            if ($null -ne $certificate) { $capture.Leaf = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $certificate }
            $capture.Errors = [int]$errors
            if ($null -ne $chain) {
                $capture.Chain = @(foreach ($el in $chain.ChainElements) { New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $el.Certificate })
                $capture.Extra = @(foreach ($c in $chain.ChainPolicy.ExtraStore) { New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList $c })
                $capture.Status = @(foreach ($s in $chain.ChainStatus) { [string]$s.Status })
            }
            return $true
        }.GetNewClosure()
        $ssl = New-Object System.Net.Security.SslStream -ArgumentList $Stream, $false, ([System.Net.Security.RemoteCertificateValidationCallback]$callback)
        $timeout = @{ ok = $false; error = '' }
        try {
            $rem = Get-RemainingMs $Deadline
            if ($rem -le 0) { throw (New-Object System.TimeoutException) }
            $Stream.ReadTimeout = [int][Math]::Max(1, $rem)
            $Stream.WriteTimeout = [int][Math]::Max(1, $rem)
            $sni = $HostName
            $protocols = [System.Security.Authentication.SslProtocols]::None
            try {
                $ssl.AuthenticateAsClient($sni, $null, $protocols, $false)
            } catch [System.ArgumentException], [System.NotSupportedException] {
                # .NET Framework before 4.7 has no "system default": ask for TLS 1.2 and older.
                $ssl.AuthenticateAsClient($sni, $null, [System.Security.Authentication.SslProtocols]'Tls12, Tls11, Tls', $false)
            }
        } catch {
            $ssl.Dispose()
            if ((Get-RemainingMs $Deadline) -le 0 -or (Get-InnermostMessage $_) -is [System.TimeoutException]) {
                $timeout.error = 'timed out after {0} ms waiting for the TLS handshake' -f (Get-ElapsedMs $started)
                return @{ tls = $timeout }
            }
            $inner = Get-InnermostMessage $_
            $msg = [string]$inner.Message
            if ($inner -is [System.IO.EndOfStreamException] -or $msg -match 'unexpected EOF|0 bytes from the transport') { $msg = 'the connection closed during the TLS handshake' }
            return @{ tls = [ordered]@{ ok = $false; error = $msg } }
        }
        $out = [ordered]@{ ok = $true }
        $proto = [string]$ssl.SslProtocol
        $pm = [regex]::Match($proto, '^Tls(\d)(\d)?$')
        if ($pm.Success) {
            $minor = '0'
            if ($pm.Groups[2].Success) { $minor = $pm.Groups[2].Value }
            $out.protocol = 'TLS {0}.{1}' -f $pm.Groups[1].Value, $minor
        } elseif ($proto -eq 'Tls') { $out.protocol = 'TLS 1.0' } else { $out.protocol = $proto }
        if ($null -ne $ssl.PSObject.Properties['NegotiatedCipherSuite']) { $out.cipher = [string]$ssl.NegotiatedCipherSuite }
        else { $out.cipher = '{0}-{1}-{2}' -f $ssl.KeyExchangeAlgorithm, $ssl.CipherAlgorithm, $ssl.HashAlgorithm }
        $leaf = $capture.Leaf
        if ($null -eq $leaf) {
            $ssl.Dispose()
            $out.ok = $false
            $out.error = 'the server sent no certificate'
            return @{ tls = $out }
        }
        $subject = Get-CertName $leaf $false
        $issuer = Get-CertName $leaf $true
        if ($subject) { $out.subject = $subject }
        if ($issuer) { $out.issuer = $issuer }
        $chainCerts = @($capture.Chain)
        if ($null -ne $CaCertificates -and @($CaCertificates).Count -gt 0) {
            $custom = New-Object System.Security.Cryptography.X509Certificates.X509Chain
            $custom.ChainPolicy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
            $custom.ChainPolicy.VerificationFlags = [System.Security.Cryptography.X509Certificates.X509VerificationFlags]::AllowUnknownCertificateAuthority
            foreach ($c in (@($capture.Chain) + @($capture.Extra) + @($CaCertificates))) { [void]$custom.ChainPolicy.ExtraStore.Add($c) }
            [void]$custom.Build($leaf)
            $chainCerts = @(foreach ($el in $custom.ChainElements) { $el.Certificate })
        }
        $names = New-Object System.Collections.Generic.List[string]
        foreach ($c in $chainCerts) {
            $n = Get-CertName $c $true
            if ($n) { $names.Add($n) }
            if ($names.Count -ge 10) { break }
        }
        if ($names.Count -eq 0 -and $issuer) { $names.Add($issuer) }
        $out.chain = $names.ToArray()
        $out.validTo = Format-IsoTime $leaf.NotAfter
        # SslPolicyErrors: 2 = RemoteCertificateNameMismatch, 4 = RemoteCertificateChainErrors.
        if (-not (Test-IpAddress $HostName)) { $out.hostnameMatch = (($capture.Errors -band 2) -eq 0) }
        $result = @{ tls = $out; ssl = $ssl }
        if (-not $CheckTrust) { return $result }

        $root = $null
        if ($chainCerts.Count -gt 0) { $root = $chainCerts[$chainCerts.Count - 1] }
        $selfSigned = ($null -ne $root -and $root.Subject -eq $root.Issuer)
        $trustedRoot = $false
        if ($null -ne $CaCertificates -and @($CaCertificates).Count -gt 0) {
            foreach ($ca in @($CaCertificates)) { if ($null -ne $root -and $root.Thumbprint -eq $ca.Thumbprint) { $trustedRoot = $true } }
        } else {
            $chainTrouble = @(foreach ($s in $capture.Status) { if ($s -eq 'UntrustedRoot' -or $s -eq 'PartialChain' -or $s -eq 'NotSignatureValid' -or $s -eq 'ExplicitDistrust') { $s } })
            $trustedRoot = (($capture.Errors -band 4) -eq 0) -or ($chainTrouble.Count -eq 0)
        }
        $now = [DateTime]::UtcNow
        $code = $null
        if (-not $trustedRoot) {
            if (-not $selfSigned) { $code = 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }
            elseif ($chainCerts.Count -le 1) { $code = 'DEPTH_ZERO_SELF_SIGNED_CERT' }
            else { $code = 'SELF_SIGNED_CERT_IN_CHAIN' }
        } elseif ($leaf.NotAfter.ToUniversalTime() -lt $now) { $code = 'CERT_HAS_EXPIRED' }
        elseif ($leaf.NotBefore.ToUniversalTime() -gt $now) { $code = 'CERT_NOT_YET_VALID' }
        elseif ($out.Contains('hostnameMatch') -and -not $out.hostnameMatch) { $code = 'ERR_TLS_CERT_ALTNAME_INVALID' }
        $words = @{
            'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' = 'unable to get local issuer certificate'; 'SELF_SIGNED_CERT_IN_CHAIN' = 'self-signed certificate in certificate chain'
            'DEPTH_ZERO_SELF_SIGNED_CERT' = 'self-signed certificate'; 'CERT_HAS_EXPIRED' = 'certificate has expired'
            'CERT_NOT_YET_VALID' = 'certificate is not yet valid'; 'ERR_TLS_CERT_ALTNAME_INVALID' = 'certificate does not match the host name'
        }
        $out.trustedPublicCa = ($null -eq $code) -or ($code -eq 'CERT_HAS_EXPIRED' -or $code -eq 'CERT_NOT_YET_VALID' -or $code -eq 'ERR_TLS_CERT_ALTNAME_INVALID')
        if ($null -ne $code) {
            $out.ok = $false
            $who = 'unnamed'
            if ($issuer) { $who = $issuer }
            $out.error = '{0} ({1}; issuer "{2}")' -f $words[$code], $code, $who
        }
        return $result
    }

    function Read-HttpBody {
        param($Stream, [long]$Deadline, [hashtable]$Headers, [byte[]]$Initial, [int]$Max)
        $body = New-Object System.IO.MemoryStream
        $raw = New-Object System.IO.MemoryStream
        if ($Initial.Length -gt 0) { $raw.Write($Initial, 0, $Initial.Length) }
        $chunk = New-Object byte[] 16384
        $length = -1
        if ($Headers.ContainsKey('content-length')) { $length = [long]$Headers['content-length'] }
        $chunked = $Headers.ContainsKey('transfer-encoding') -and $Headers['transfer-encoding'] -match 'chunked'
        while ($true) {
            if (-not $chunked -and $length -ge 0 -and $raw.Length -ge $length) { break }
            if ($raw.Length -ge $Max + 65536) { break }
            if ($chunked) {
                $text = [System.Text.Encoding]::GetEncoding(28591).GetString($raw.ToArray())
                if ($text -match "(?:^|\r\n)0\r\n(?:[^\r\n]*\r\n)*\r\n") { break }
            }
            $rem = Get-RemainingMs $Deadline
            if ($rem -le 0) { throw (New-Object System.TimeoutException) }
            $Stream.ReadTimeout = [int][Math]::Max(1, $rem)
            $n = $Stream.Read($chunk, 0, $chunk.Length)
            if ($n -le 0) { break }
            $raw.Write($chunk, 0, $n)
        }
        $bytes = $raw.ToArray()
        if ($chunked) {
            $pos = 0
            while ($pos -lt $bytes.Length) {
                $lineEnd = -1
                for ($i = $pos; $i -lt $bytes.Length - 1; $i++) { if ($bytes[$i] -eq 13 -and $bytes[$i + 1] -eq 10) { $lineEnd = $i; break } }
                if ($lineEnd -lt 0) { break }
                $sizeText = ([System.Text.Encoding]::ASCII.GetString($bytes, $pos, $lineEnd - $pos) -split ';')[0].Trim()
                $size = 0
                if (-not [int]::TryParse($sizeText, [System.Globalization.NumberStyles]::HexNumber, $null, [ref]$size) -or $size -eq 0) { break }
                $start = $lineEnd + 2
                $take = [Math]::Min($size, $bytes.Length - $start)
                $body.Write($bytes, $start, $take)
                $pos = $start + $size + 2
            }
        } else {
            $take = $bytes.Length
            if ($length -ge 0 -and $length -lt $take) { $take = [int]$length }
            $body.Write($bytes, 0, $take)
        }
        $all = $body.ToArray()
        $keep = [Math]::Min($all.Length, $Max)
        return [System.Text.Encoding]::UTF8.GetString($all, 0, $keep)
    }

    # GET path over an established connection (no redirects; the body is cut at the spec's limit).
    function Invoke-HttpGet {
        param($Stream, [string]$HostName, [int]$Port, [string]$Path, [long]$Deadline, [string]$UserAgent, [hashtable]$ExtraHeaders, [int]$MaxBody)
        $started = [DateTime]::UtcNow.Ticks
        $result = $null
        try {
            $hostHeader = $HostName
            if ($Port -ne 443) { $hostHeader = '{0}:{1}' -f $HostName, $Port }
            $extra = ''
            if ($null -ne $ExtraHeaders) { foreach ($k in $ExtraHeaders.Keys) { $extra += ("{0}: {1}`r`n" -f $k, $ExtraHeaders[$k]) } }
            $req = [System.Text.Encoding]::ASCII.GetBytes(("GET {0} HTTP/1.1`r`nHost: {1}`r`nUser-Agent: {2}`r`nAccept: */*`r`nAccept-Encoding: identity`r`nConnection: close`r`n{3}`r`n" -f $Path, $hostHeader, $UserAgent, $extra))
            $rem = Get-RemainingMs $Deadline
            if ($rem -le 0) { throw (New-Object System.TimeoutException) }
            $Stream.WriteTimeout = [int][Math]::Max(1, $rem)
            $Stream.Write($req, 0, $req.Length)
            $Stream.Flush()
            $head = Read-HttpHead $Stream $Deadline 65536
            if ($head.ContainsKey('TimedOut')) { throw (New-Object System.TimeoutException) }
            if (-not $head.ContainsKey('Text') -or $head.ContainsKey('Closed')) { return @{ error = 'the server closed the connection without an HTTP answer' } }
            $receivedAt = [DateTime]::UtcNow
            $lines = $head.Text -split "`r`n"
            $m = [regex]::Match($lines[0], '^HTTP/\d(?:\.\d)?\s+(\d{3})')
            if (-not $m.Success) { return @{ error = 'not an HTTP answer' } }
            $headers = @{}
            foreach ($l in $lines[1..($lines.Length - 1)]) {
                $i = $l.IndexOf(':')
                if ($i -gt 0) { $headers[$l.Substring(0, $i).Trim().ToLowerInvariant()] = $l.Substring($i + 1).Trim() }
            }
            $status = [int]$m.Groups[1].Value
            $result = @{ status = $status; receivedAt = $receivedAt }
            if ($headers.ContainsKey('date')) { $result.date = $headers['date'] }
            $result.body = Read-HttpBody $Stream $Deadline $headers (New-Object byte[] 0) $MaxBody
            return $result
        } catch {
            if ((Get-RemainingMs $Deadline) -le 0 -or (Get-InnermostMessage $_) -is [System.TimeoutException] -or (Get-SocketErrorText $_ '') -match 'ETIMEDOUT') {
                $r = @{ error = ('timed out after {0} ms waiting for the HTTP answer to GET {1}' -f (Get-ElapsedMs $started), $Path) }
                if ($null -ne $result -and $result.ContainsKey('status')) { $r.status = $result.status }
                return $r
            }
            return @{ error = (Get-SocketErrorText $_ '') }
        }
    }

    # ---- one endpoint, layer by layer ----
    function Get-BypassReason {
        param($Proxy, [string]$HostName, [int]$Port, $Groups)
        $h = $HostName.ToLowerInvariant()
        foreach ($g in @($Proxy.bypassGroups)) {
            $key = ([string]$g).Trim().ToLowerInvariant()
            $suffixes = $null
            if ($null -ne $Groups.PSObject.Properties[$key]) { $suffixes = $Groups.$key }
            foreach ($s in @($suffixes)) { if ($null -ne $s -and ($h -eq $s -or $h.EndsWith('.' + $s))) { return ('proxy.bypass {0}' -f $g) } }
        }
        foreach ($entry in @($Proxy.noProxy)) {
            if ($entry -eq '*') { return 'NO_PROXY *' }
            $parts = ($entry -replace '^\*?\.', '').Split(':')
            if ($parts.Length -gt 1 -and $parts[1] -and [int]$parts[1] -ne $Port) { continue }
            $name = $parts[0]
            if ($name -and ($h -eq $name -or $h.EndsWith('.' + $name))) { return ('NO_PROXY {0}' -f $entry) }
        }
        if ($h -eq 'localhost' -or $h -eq '127.0.0.1' -or $h -eq '::1') { return 'loopback' }
        return $null
    }

    function Resolve-OtherAddress {
        param([string]$HostName, [int]$Port, $Ctx)
        $o = Find-ConnectOverride @(foreach ($x in @($Ctx.overrides)) { if ($x.host -ne '') { $x } }) $HostName $Port
        $to = $Port
        if ($null -ne $o -and $null -ne $o.toPort) { $to = $o.toPort }
        if ($null -ne $o -and $o.address) { return @{ address = $o.address; port = $to } }
        if (Test-IpAddress $HostName) { return @{ address = $HostName.Trim('[', ']'); port = $to } }
        $key = $HostName.ToLowerInvariant()
        if ($Ctx.hosts.ContainsKey($key)) { return @{ address = (Select-PreferredAddress $Ctx.hosts[$key]); port = $to } }
        $answers = Invoke-DnsResolve $HostName $Ctx.resolvers $Ctx.deadline
        $chosen = Select-DnsAnswer $answers
        if ($null -ne $chosen -and $chosen.status -eq 'ok' -and @($chosen.addresses).Count -gt 0) { return @{ address = (Select-PreferredAddress $chosen.addresses); port = $to } }
        $why = 'no resolver'
        if ($null -ne $chosen) { $why = $chosen.status }
        return @{ port = $to; error = ('cannot resolve {0}: DNS {1}' -f $HostName, $why) }
    }

    # DNS of several endpoints in one task; each name's answers are shared with its connection task (which waits
    # for them only when it needs the address) as soon as they are in.
    function Invoke-DnsTask {
        param([string[]]$Names, $Ctx, [hashtable]$Shared, [hashtable]$Events)
        $onName = { param($n, $answers) $Shared[$n] = $answers; [void]$Events[$n].Set() }.GetNewClosure()
        try {
            Invoke-DnsBatch $Names $Ctx.resolvers $Ctx.deadline $onName
        } finally {
            foreach ($n in $Names) { if (-not $Shared.ContainsKey($n)) { $Shared[$n] = @() }; [void]$Events[$n].Set() }
        }
    }

    function Wait-DnsAnswers {
        param([string]$HostName, $Ctx, [hashtable]$Shared, [System.Threading.ManualResetEvent]$Done)
        [void]$Done.WaitOne([int]((Get-RemainingMs $Ctx.deadline) + 200))
        if ($Shared.ContainsKey($HostName)) { return , @($Shared[$HostName]) }
        return , @()
    }

    function Invoke-EndpointProbe {
        param($Target, $Ctx, [hashtable]$Shared, [System.Threading.ManualResetEvent]$Done)
        $started = [DateTime]::UtcNow.Ticks
        $hostName = [string]$Target.host
        $port = [int]$Target.port
        $url = 'https://{0}' -f $hostName
        if ($port -ne 443) { $url = '{0}:{1}' -f $url, $port }
        if ($Target.path) { $url += $Target.path }
        $record = [ordered]@{ host = $hostName; port = $port; url = $url }
        $fromHosts = $null
        if ($Ctx.hosts.ContainsKey($hostName)) { $fromHosts = @($Ctx.hosts[$hostName]); $record.hostsFile = $fromHosts }
        $proxy = $Ctx.proxy
        $bypass = $null
        if ($null -ne $proxy) { $bypass = Get-BypassReason $proxy $hostName $port $Ctx.bypassGroups }
        $tunnel = $null
        $stream = $null
        $client = $null
        $meta = @{}
        if ($null -ne $proxy -and $null -eq $bypass) {
            $record.via = 'proxy'
            $record.proxy = $proxy.url
            if ($proxy.unsupported) {
                $record.tcp = [ordered]@{ ok = $false; error = ('proxy {0}: {1}' -f $proxy.url, $proxy.unsupported) }
                $tunnel = @{ ok = $false; ms = 0; error = $proxy.unsupported }
            } else {
                $where = Resolve-OtherAddress $proxy.host $proxy.port $Ctx
                if (-not $where.ContainsKey('address') -or -not $where.address) {
                    $tunnel = @{ ok = $false; ms = 0; error = ('proxy {0}: {1}' -f $proxy.url, $where.error); proxyUnreachable = $true }
                } else {
                    $record.address = '{0}:{1} (proxy)' -f $where.address, $where.port
                    $tunnel = Open-ProxyTunnel $where.address $where.port $hostName $port $Ctx.deadline $Ctx.userAgent
                }
                if ($tunnel.ContainsKey('status') -and $tunnel.status -eq 407) {
                    $err = 'Proxy Authentication Required'
                    if ($tunnel.error) { $err = $tunnel.error }
                    $record.http = [ordered]@{ status = 407; error = $err }
                } elseif ($tunnel.ok) {
                    $record.tcp = [ordered]@{ ok = $true; ms = $tunnel.ms }
                } else {
                    $record.tcp = [ordered]@{ ok = $false; ms = $tunnel.ms }
                    if ($tunnel.error) { $record.tcp.error = $tunnel.error }
                }
                if ($tunnel.ok) { $client = $tunnel.client; $stream = $tunnel.stream }
            }
        } else {
            if ($null -ne $bypass) { $record.via = 'bypass'; $record.bypass = $bypass } else { $record.via = 'direct' }
            $o = Find-ConnectOverride $Ctx.overrides $hostName $port
            $address = $null
            $toPort = $port
            if ($null -ne $o) {
                $record.override = $o.text
                if ($o.address) { $address = $o.address }
                if ($null -ne $o.toPort) { $toPort = $o.toPort }
            }
            if (-not $address -and $null -ne $fromHosts -and $fromHosts.Count -gt 0) { $address = Select-PreferredAddress $fromHosts }
            if (-not $address) {
                $chosen = Select-DnsAnswer (Wait-DnsAnswers $hostName $Ctx $Shared $Done)
                if ($null -ne $chosen -and $chosen.status -eq 'ok') {
                    $address = Select-PreferredAddress $chosen.addresses
                    if (-not $address) { $record.tcp = [ordered]@{ ok = $false; error = 'not attempted: DNS returned no A or AAAA records' } }
                }
            }
            if ($address) {
                $shown = $address
                if ($address.Contains(':')) { $shown = '[{0}]' -f $address }
                $record.address = '{0}:{1}' -f $shown, $toPort
                $tcp = Connect-TcpEndpoint $address $toPort $Ctx.deadline
                if ($tcp.ok) { $record.tcp = [ordered]@{ ok = $true; ms = $tcp.ms }; $client = $tcp.client; $stream = $client.GetStream() }
                else { $record.tcp = [ordered]@{ ok = $false; ms = $tcp.ms; error = $tcp.error } }
            }
        }
        if ($null -ne $stream) {
            try {
                $tls = Invoke-TlsHandshake $stream $hostName $Ctx.deadline $true $Ctx.ca
                $record.tls = $tls.tls
                if ($tls.ContainsKey('ssl') -and $null -ne $tls.ssl -and $Target.path) {
                    $res = Invoke-HttpGet $tls.ssl $hostName $port $Target.path $Ctx.deadline $Ctx.userAgent $null $Ctx.maxBody
                    $http = [ordered]@{}
                    if ($res.ContainsKey('status')) { $http.status = $res.status }
                    if ($res.ContainsKey('error')) { $http.error = $res.error }
                    else {
                        $body = [string]$res.body
                        if ($body.Length -gt $Ctx.maxBodyKept) { $body = $body.Substring(0, $Ctx.maxBodyKept) }
                        $http.body = $body
                        $meta.fullBody = [string]$res.body
                    }
                    if ($res.ContainsKey('date')) { $meta.date = $res.date; $meta.receivedAt = $res.receivedAt }
                    $record.http = $http
                }
                if ($tls.ContainsKey('ssl') -and $null -ne $tls.ssl) { $tls.ssl.Dispose() }
            } finally {
                if ($null -ne $client) { $client.Close() }
            }
        }
        $answers = Wait-DnsAnswers $hostName $Ctx $Shared $Done
        if ($answers.Count -gt 0) { $record.resolvers = $answers }
        $dns = $null
        if ($null -ne $fromHosts -and $fromHosts.Count -gt 0) {
            $private = $false
            foreach ($x in $fromHosts) { if (Test-PrivateAddress $x) { $private = $true } }
            $dns = [ordered]@{ status = 'ok'; addresses = $fromHosts; resolver = 'hosts file'; private = $private }
        } else {
            $chosen = Select-DnsAnswer $answers
            if ($null -ne $chosen) {
                $dns = [ordered]@{}
                foreach ($k in $chosen.Keys) { if ($k -ne 'ms' -and $k -ne 'transport') { $dns[$k] = $chosen[$k] } }
                if ($answers.Count -gt 1 -and $chosen.status -ne 'ok' -and $chosen.status -ne 'nxdomain') {
                    $dns.resolver = (@(foreach ($a in $answers) { $a.resolver }) -join ', ')
                }
            }
        }
        # Through a proxy the proxy resolves the name: a local DNS failure is not this endpoint's failure.
        if ($null -ne $dns -and ($record.via -ne 'proxy' -or $dns.status -eq 'ok')) {
            $record.dns = $dns
            if ($dns.Contains('private')) { $record.private = $dns.private }
        }
        $record.durationMs = Get-ElapsedMs $started
        $out = @{ record = $record; meta = $meta }
        if ($null -ne $tunnel) {
            $t = @{ ok = [bool]$tunnel.ok }
            foreach ($k in @('status', 'proxyUnreachable', 'error')) { if ($tunnel.ContainsKey($k)) { $t[$k] = $tunnel[$k] } }
            $out.tunnel = $t
        }
        return $out
    }

    # https://localhost:<port>: the gateway's own certificate, so the handshake is judged, not the trust.
    function Invoke-LocalHttpsProbe {
        param([int]$Port, $Ctx)
        $started = [DateTime]::UtcNow.Ticks
        $o = Find-ConnectOverride $Ctx.overrides 'localhost' $Port
        $address = '127.0.0.1'
        $to = $Port
        if ($null -ne $o -and $o.address) { $address = $o.address }
        if ($null -ne $o -and $null -ne $o.toPort) { $to = $o.toPort }
        $out = [ordered]@{ port = $Port; durationMs = 0 }
        $tcp = Connect-TcpEndpoint $address $to $Ctx.deadline
        if (-not $tcp.ok) {
            $out.error = $tcp.error
        } else {
            try {
                $tls = Invoke-TlsHandshake $tcp.client.GetStream() 'localhost' $Ctx.deadline $false $null
                $out.tls = $tls.tls
                if ($tls.ContainsKey('ssl') -and $null -ne $tls.ssl) {
                    $res = Invoke-HttpGet $tls.ssl 'localhost' $Port '/' $Ctx.deadline $Ctx.userAgent $null $Ctx.maxBody
                    if ($res.ContainsKey('status')) { $out.httpStatus = $res.status }
                    if ($res.ContainsKey('error')) { $out.error = $res.error }
                    $tls.ssl.Dispose()
                }
            } finally {
                $tcp.client.Close()
            }
        }
        $out.durationMs = Get-ElapsedMs $started
        return $out
    }

    # Plain HTTP GET to a loopback service (the HIMDS status endpoint, when azcmagent is missing).
    function Invoke-PlainHttpGet {
        param([string]$Address, [int]$Port, [string]$Path, [long]$Deadline, [string]$UserAgent, [hashtable]$Headers)
        $tcp = Connect-TcpEndpoint $Address $Port $Deadline
        if (-not $tcp.ok) { return @{ error = $tcp.error } }
        try {
            return Invoke-HttpGet $tcp.client.GetStream() $Address $Port $Path $Deadline $UserAgent $Headers 65536
        } finally {
            $tcp.client.Close()
        }
    }
}

# ---- the machine: the seams tests replace (Pester mocks them; the recorded runs redefine them) -------------------
. $ProbeLibrary

function Get-CollectorNow { return [DateTime]::UtcNow }

# WAC_DOCTOR_TRACE=1: when each phase started (ms since the run began), on stderr.
function Write-CollectorTrace {
    param([System.Diagnostics.Stopwatch]$Clock, [string]$What)
    if ($env:WAC_DOCTOR_TRACE) { [Console]::Error.WriteLine(('wac-doctor-collect: {0,6} ms {1}' -f $Clock.ElapsedMilliseconds, $What)) }
}

function Get-CollectorPlatform {
    if ($PSVersionTable.PSEdition -eq 'Desktop') { return 'win32' }
    if ($IsWindows) { return 'win32' }
    if ($IsLinux) { return 'linux' }
    if ($IsMacOS) { return 'darwin' }
    return 'unknown'
}

function Get-CollectorPaths {
    $pf = $env:ProgramFiles
    if (-not $pf) { $pf = 'C:\Program Files' }
    $drive = $env:SystemDrive
    if (-not $drive) { $drive = 'C:' }
    if ($drive -match ':$') { $drive += '\' }
    $sysRoot = $env:SystemRoot
    if (-not $sysRoot) { $sysRoot = 'C:\Windows' }
    $hosts = [System.IO.Path]::Combine($sysRoot, $Spec.files.hosts)
    if ((Get-CollectorPlatform) -ne 'win32') { $hosts = '/etc/hosts' }
    return @{
        AzcmagentExe  = [System.IO.Path]::Combine($pf, $Spec.files.azcmagentExe)
        Appsettings   = @(foreach ($f in $Spec.files.appsettings) { [System.IO.Path]::Combine($pf, $f) })
        ExtensionRoot = [System.IO.Path]::Combine($drive, $Spec.files.extensionRoot)
        HostsFile     = $hosts
    }
}

function Get-CollectorSystemInfo {
    $info = @{ hostname = [System.Net.Dns]::GetHostName() }
    if ((Get-CollectorPlatform) -eq 'win32') {
        $os = Get-CimInstance -ClassName Win32_OperatingSystem
        $cs = Get-CimInstance -ClassName Win32_ComputerSystem
        $fact = [ordered]@{ platform = 'windows' }
        if ($os.Caption) { $fact.name = ([string]$os.Caption).Trim() }
        if ($os.Version) { $fact.version = ([string]$os.Version).Trim() }
        $build = 0
        if ([int]::TryParse([string]$os.BuildNumber, [ref]$build) -and $build -gt 0) { $fact.build = $build }
        $info.os = $fact
        if ($cs.TotalPhysicalMemory) { $info.memoryTotalBytes = [long]$cs.TotalPhysicalMemory }
        if ($cs.DNSHostName) { $info.hostname = [string]$cs.DNSHostName }
    } else {
        $fact = [ordered]@{ platform = 'other'; name = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription }
        if ((Get-CollectorPlatform) -eq 'linux') { $fact.platform = 'linux' }
        $info.os = $fact
    }
    return $info
}

function Get-CommandLineText {
    param([string]$File, [string[]]$ArgumentList)
    $base = ($File -replace '^.*[\\/]', '') -replace '\.exe$', ''
    $parts = @($base) + @(foreach ($a in $ArgumentList) { if ($a.Length -ge 60) { '<script>' } elseif ($a -match '[\s"]') { '"{0}"' -f $a } else { $a } })
    return $parts -join ' '
}

function ConvertTo-NativeArgument {
    param([string]$Argument)
    if ($Argument -notmatch '[\s"]' -and $Argument -ne '') { return $Argument }
    return '"{0}"' -f (($Argument -replace '(\\*)"', '$1$1\"') -replace '(\\+)$', '$1$1')
}

function Resolve-NativeCommand {
    param([string]$File)
    $names = @($File)
    if ((Get-CollectorPlatform) -eq 'win32' -and [System.IO.Path]::GetExtension($File) -eq '') {
        $ext = $env:PATHEXT
        if (-not $ext) { $ext = '.COM;.EXE;.BAT;.CMD' }
        $names = @(foreach ($e in $ext.Split(';')) { if ($e) { $File + $e.ToLowerInvariant() } })
    }
    foreach ($dir in ([string]$env:PATH).Split([System.IO.Path]::PathSeparator)) {
        if (-not $dir) { continue }
        foreach ($n in $names) {
            $candidate = [System.IO.Path]::Combine($dir.Trim('"'), $n)
            if ([System.IO.File]::Exists($candidate)) { return $candidate }
        }
    }
    if ($File -eq 'azcmagent') {
        $exe = (Get-CollectorPaths).AzcmagentExe
        if ([System.IO.File]::Exists($exe)) { return $exe }
    }
    return $null
}

# Runs fixed command lines at once (no shell), each killed at the time limit; stdout and stderr kept apart.
function Invoke-NativeCommandSet {
    param([object[]]$Commands, [int]$TimeoutMs)
    $limit = [DateTime]::UtcNow.AddMilliseconds($TimeoutMs)
    $running = New-Object System.Collections.Generic.List[object]
    foreach ($c in $Commands) {
        $r = @{ Command = (Get-CommandLineText $c.File $c.Args); ExitCode = $null; StdOut = ''; StdErr = ''; NotFound = $false; TimedOut = $false; Error = $null; Process = $null; DurationMs = 0; Started = [DateTime]::UtcNow }
        $path = Resolve-NativeCommand $c.File
        if ($null -eq $path) {
            $r.NotFound = $true
            $r.Error = '{0} not found' -f $c.File
        } else {
            try {
                $psi = New-Object System.Diagnostics.ProcessStartInfo
                $psi.FileName = $path
                $psi.Arguments = (@(foreach ($a in $c.Args) { ConvertTo-NativeArgument $a }) -join ' ')
                $psi.UseShellExecute = $false
                $psi.CreateNoWindow = $true
                $psi.RedirectStandardOutput = $true
                $psi.RedirectStandardError = $true
                $psi.RedirectStandardInput = $true
                $psi.StandardOutputEncoding = [System.Text.Encoding]::UTF8
                $psi.StandardErrorEncoding = [System.Text.Encoding]::UTF8
                $p = [System.Diagnostics.Process]::Start($psi)
                $p.StandardInput.Close()
                $r.Process = $p
                $r.OutTask = $p.StandardOutput.ReadToEndAsync()
                $r.ErrTask = $p.StandardError.ReadToEndAsync()
            } catch {
                $r.Error = [string](Get-InnermostMessage $_).Message
            }
        }
        $running.Add($r)
    }
    foreach ($r in $running) {
        if ($null -eq $r.Process) { continue }
        $left = [int][Math]::Max(0, ($limit - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $r.Process.WaitForExit($left)) {
            try { $r.Process.Kill() } catch { $r.Error = 'could not be stopped' }
            $r.TimedOut = $true
        } else {
            $r.Process.WaitForExit()
            $r.ExitCode = $r.Process.ExitCode
        }
        if ($r.OutTask.Wait(500)) { $r.StdOut = $r.OutTask.Result }
        if ($r.ErrTask.Wait(500)) { $r.StdErr = $r.ErrTask.Result }
        $r.DurationMs = [int]([DateTime]::UtcNow - $r.Started).TotalMilliseconds
        if ($r.TimedOut) { $r.Error = 'killed after {0} ms (timeout)' -f $r.DurationMs }
        $r.Process.Dispose()
    }
    return , @(foreach ($r in $running) { @{ Command = $r.Command; ExitCode = $r.ExitCode; StdOut = $r.StdOut; StdErr = $r.StdErr; NotFound = $r.NotFound; TimedOut = $r.TimedOut; Error = $r.Error; DurationMs = $r.DurationMs } })
}

# ---- parameters ----------------------------------------------------------------------------------------------------
function New-UsageError {
    param([string]$Message)
    $e = New-Object System.ArgumentException -ArgumentList $Message
    $e.Data['wacDoctorUsage'] = $true
    return $e
}

# -Name value / -Name:value, names case-insensitive; lists comma-separated or repeated.
function ConvertFrom-CollectorArguments {
    param([object[]]$Arguments)
    $names = @{ outputpath = 'OutputPath'; timeoutseconds = 'TimeoutSeconds'; dnsserver = 'DnsServer'; resolve = 'Resolve'; connectto = 'ConnectTo'; cafile = 'CaFile'; endpoints = 'Endpoints'; region = 'Region'; port = 'Port'; noredact = 'NoRedact'; asjson = 'AsJson' }
    $lists = @('DnsServer', 'Resolve', 'ConnectTo', 'Endpoints')
    $raw = @{ OutputPath = 'wac-doctor-snapshot.zip'; TimeoutSeconds = '5'; DnsServer = @(); Resolve = @(); ConnectTo = @(); CaFile = ''; Endpoints = @(); Region = ''; Port = ''; NoRedact = $false; AsJson = $false; Unknown = @() }
    $unknown = New-Object System.Collections.Generic.List[string]
    $i = 0
    $list = @($Arguments)
    while ($i -lt $list.Count) {
        $token = $list[$i]
        $i++
        $m = [regex]::Match([string]$token, '^-([A-Za-z]+)(?::(.*))?$')
        if ($token -isnot [string] -or -not $m.Success -or -not $names.ContainsKey($m.Groups[1].Value.ToLowerInvariant())) { $unknown.Add([string]$token); continue }
        $name = $names[$m.Groups[1].Value.ToLowerInvariant()]
        # Switches: -AsJson, -AsJson:$false, and -AsJson true|false|1|0|'' (how Run Command passes a parameter's value).
        if ($name -eq 'NoRedact' -or $name -eq 'AsJson') {
            $raw[$name] = $true
            $given = $null
            if ($m.Groups[2].Success) { $given = $m.Groups[2].Value }
            elseif ($i -lt $list.Count -and $list[$i] -is [string] -and $list[$i] -match '^(\$?(true|false|1|0))?$') { $given = $list[$i]; $i++ }
            if ($null -ne $given -and $given -match '^\$?(false|0)$') { $raw[$name] = $false }
            continue
        }
        if ($m.Groups[2].Success) { $value = $m.Groups[2].Value }
        elseif ($i -lt $list.Count -and -not ($list[$i] -is [string] -and $list[$i] -match '^-[A-Za-z]+(:|$)' -and $names.ContainsKey(($list[$i] -replace '^-([A-Za-z]+).*$', '$1').ToLowerInvariant()))) { $value = $list[$i]; $i++ }
        else { throw (New-UsageError ('-{0} needs a value' -f $name)) }
        if ($lists -contains $name) { $raw[$name] = @($raw[$name]) + @(foreach ($v in @($value)) { [string]$v }) } else { $raw[$name] = [string]$value }
    }
    $raw.Unknown = $unknown.ToArray()
    return $raw
}

function Split-OptionList {
    param([string[]]$Values)
    return , @(foreach ($v in @($Values)) { foreach ($p in ([string]$v).Split(',')) { if ($p.Trim()) { $p.Trim() } } })
}

function Split-Colons {
    param([string]$Text)
    $parts = New-Object System.Collections.Generic.List[string]
    $cur = ''
    $depth = 0
    foreach ($ch in $Text.ToCharArray()) {
        if ($ch -eq '[') { $depth++ }
        if ($ch -eq ']') { $depth-- }
        if ($ch -eq ':' -and $depth -eq 0) { $parts.Add($cur); $cur = '' } else { $cur += $ch }
    }
    $parts.Add($cur)
    return , $parts.ToArray()
}

function Test-HostName {
    param([string]$Text)
    return $Text -match '^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?$'
}

function ConvertTo-OptionPort {
    param([string]$Text, [string]$Option, [string]$Whole)
    if ($Text -eq '') { return $null }
    if ($Text -notmatch '^\d{1,5}$' -or [int]$Text -lt 1 -or [int]$Text -gt 65535) { throw (New-UsageError ('{0} {1}: "{2}" is not a port; expected 1-65535' -f $Option, $Whole, $Text)) }
    return [int]$Text
}

function ConvertTo-OptionAddress {
    param([string]$Text, [string]$Option, [string]$Whole)
    $a = $Text.Trim().Trim('[', ']')
    if ($a.ToLowerInvariant() -eq 'localhost') { return '127.0.0.1' }
    if (-not (Test-IpAddress $a)) { throw (New-UsageError ('{0} {1}: "{2}" is not an IP address; expected e.g. 127.0.0.1 or [::1]' -f $Option, $Whole, $Text)) }
    return $a
}

function ConvertTo-ConnectOverride {
    param([string]$Text)
    $parts = Split-Colons $Text.Trim()
    if ($parts.Length -ne 4 -or (-not $parts[2] -and -not $parts[3])) { throw (New-UsageError ('-ConnectTo {0}: expected host:port:address:port, e.g. wac.azure.com:443:127.0.0.1:8443' -f $Text)) }
    $h = $parts[0].ToLowerInvariant()
    if ($h -and -not (Test-HostName $h)) { throw (New-UsageError ('-ConnectTo {0}: "{1}" is not a host name' -f $Text, $parts[0])) }
    $o = @{ host = $h; port = (ConvertTo-OptionPort $parts[1] '-ConnectTo' $Text); address = $null; toPort = (ConvertTo-OptionPort $parts[3] '-ConnectTo' $Text); text = $Text }
    if ($parts[2]) { $o.address = ConvertTo-OptionAddress $parts[2] '-ConnectTo' $Text }
    return $o
}

function ConvertTo-ResolveOverride {
    param([string]$Text)
    $parts = Split-Colons ($Text.Trim() -replace '^\+', '')
    if ($parts.Length -ne 3 -or -not $parts[0] -or -not $parts[1] -or -not $parts[2]) { throw (New-UsageError ('-Resolve {0}: expected host:port:address, e.g. wac.azure.com:443:127.0.0.1' -f $Text)) }
    $h = $parts[0].ToLowerInvariant()
    if ($h -ne '*' -and -not (Test-HostName $h)) { throw (New-UsageError ('-Resolve {0}: "{1}" is not a host name' -f $Text, $parts[0])) }
    if ($h -eq '*') { $h = '' }
    return @{ host = $h; port = (ConvertTo-OptionPort $parts[1] '-Resolve' $Text); address = (ConvertTo-OptionAddress $parts[2].Split(',')[0] '-Resolve' $Text); toPort = $null; text = $Text }
}

function ConvertTo-DnsServer {
    param([string]$Text)
    $t = $Text.Trim()
    if (Test-IpAddress $t) { if (-not $t.StartsWith('[')) { return @{ address = $t; port = 53 } } }
    $m = [regex]::Match($t, '^\[([^\]]+)\](?::(\d+))?$')
    if (-not $m.Success) { $m = [regex]::Match($t, '^([^:]+):(\d+)$') }
    if (-not $m.Success -or -not (Test-IpAddress $m.Groups[1].Value)) { throw (New-UsageError ('-DnsServer {0}: expected address[:port], e.g. 10.0.0.2 or [::1]:5353' -f $Text)) }
    $p = 53
    if ($m.Groups[2].Success -and $m.Groups[2].Value) { $p = ConvertTo-OptionPort $m.Groups[2].Value '-DnsServer' $Text }
    return @{ address = $m.Groups[1].Value; port = $p }
}

function Get-RegionLabel {
    param([string]$Text)
    if ($null -eq $Text) { return $null }
    $r = ($Text.Trim().ToLowerInvariant() -replace '\s+', '')
    if ($r -match '^[a-z0-9]{2,40}$') { return $r }
    return $null
}

function New-EndpointTarget {
    param([string]$HostName, [int]$Port, [string]$Region)
    $t = @{ host = $HostName; port = $Port; path = $null; relayAllowlist = $false }
    $isBody = ($Spec.bodyHosts.exact -contains $HostName)
    foreach ($s in $Spec.bodyHosts.suffix) { if ($HostName.EndsWith($s)) { $isBody = $true } }
    if ($isBody) { $t.path = '/'; return $t }
    foreach ($e in $Spec.endpoints) {
        if ($e.host -eq $HostName -and $null -ne $e.PSObject.Properties['relayAllowlist'] -and $Region) {
            $t.path = $e.regionPath.Replace('{region}', $Region)
            $t.relayAllowlist = $true
        }
    }
    return $t
}

function Get-DefaultEndpoints {
    param([string]$Region)
    $list = New-Object System.Collections.Generic.List[object]
    foreach ($e in $Spec.endpoints) {
        if ($e.host.Contains('{region}') -and -not $Region) { continue }
        $h = $e.host.Replace('{region}', [string]$Region)
        $t = @{ host = $h; port = 443; path = $null; relayAllowlist = $false }
        if ($null -ne $e.PSObject.Properties['path']) { $t.path = $e.path }
        if ($Region -and $null -ne $e.PSObject.Properties['regionPath']) { $t.path = $e.regionPath.Replace('{region}', $Region) }
        if ($Region -and $null -ne $e.PSObject.Properties['relayAllowlist']) { $t.relayAllowlist = $true }
        $list.Add($t)
    }
    return , $list.ToArray()
}

function ConvertTo-CollectorOptions {
    param([hashtable]$Raw)
    $get = { param($k) if ($Raw.ContainsKey($k)) { $Raw[$k] } else { $null } }
    if (@((& $get 'Unknown')).Count -gt 0) { throw (New-UsageError ('unknown parameter or argument "{0}"; see Get-Help .\wac-doctor-collect.ps1' -f @((& $get 'Unknown'))[0])) }
    $seconds = 0.0
    if (-not [double]::TryParse([string](& $get 'TimeoutSeconds'), [System.Globalization.NumberStyles]::Float, [System.Globalization.CultureInfo]::InvariantCulture, [ref]$seconds) -or $seconds -lt 0.1 -or $seconds -gt 600) {
        throw (New-UsageError ('-TimeoutSeconds {0}: expected seconds from 0.1 to 600' -f (& $get 'TimeoutSeconds')))
    }
    if (-not (& $get 'OutputPath')) { throw (New-UsageError '-OutputPath needs a file path') }
    $o = @{
        OutputPath = [string](& $get 'OutputPath'); TimeoutMs = [int][Math]::Round($seconds * 1000); Redact = -not (& $get 'NoRedact'); AsJson = [bool](& $get 'AsJson')
        Overrides = New-Object System.Collections.Generic.List[object]; DnsServers = $null; Ca = @(); Endpoints = $null; Region = $null; Port = $null
    }
    foreach ($r in (Split-OptionList (& $get 'Resolve'))) { $o.Overrides.Add((ConvertTo-ResolveOverride $r)) }
    foreach ($c in (Split-OptionList (& $get 'ConnectTo'))) { $o.Overrides.Add((ConvertTo-ConnectOverride $c)) }
    $dns = Split-OptionList (& $get 'DnsServer')
    if ($dns.Count -gt 0) { $o.DnsServers = @(foreach ($d in $dns) { ConvertTo-DnsServer $d }) }
    if ((& $get 'Region')) {
        $o.Region = Get-RegionLabel (& $get 'Region')
        if (-not $o.Region) { throw (New-UsageError ('-Region {0}: expected an Azure region name such as westeurope' -f (& $get 'Region'))) }
    }
    if ((& $get 'Port')) {
        if ((& $get 'Port') -notmatch '^\d{1,5}$' -or [int](& $get 'Port') -lt 1 -or [int](& $get 'Port') -gt 65535) { throw (New-UsageError ('-Port {0}: expected an integer from 1 to 65535' -f (& $get 'Port'))) }
        $o.Port = [int](& $get 'Port')
    }
    $eps = Split-OptionList (& $get 'Endpoints')
    if ($eps.Count -gt 0) {
        $o.Endpoints = @(foreach ($e in $eps) {
                $m = [regex]::Match($e.Trim(), '^([^:]+)(?::(\d{1,5}))?$')
                if (-not $m.Success -or -not (Test-HostName $m.Groups[1].Value) -or ($m.Groups[2].Success -and ([int]$m.Groups[2].Value -lt 1 -or [int]$m.Groups[2].Value -gt 65535))) {
                    throw (New-UsageError ('-Endpoints "{0}": expected host or host:port' -f $e))
                }
                $p = 443
                if ($m.Groups[2].Success) { $p = [int]$m.Groups[2].Value }
                @{ host = $m.Groups[1].Value.ToLowerInvariant(); port = $p }
            })
    }
    if ((& $get 'CaFile')) {
        try { $pem = [System.IO.File]::ReadAllText((& $get 'CaFile')) } catch { throw (New-UsageError ('-CaFile {0}: cannot read ({1}); expected a PEM file' -f (& $get 'CaFile'), (Get-InnermostMessage $_).Message)) }
        $blocks = [regex]::Matches($pem, '-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----')
        if ($blocks.Count -eq 0) { throw (New-UsageError ('-CaFile {0}: no PEM certificate in it; expected -----BEGIN CERTIFICATE-----' -f (& $get 'CaFile'))) }
        $o.Ca = @(foreach ($b in $blocks) {
                $der = [System.Convert]::FromBase64String(($b.Groups[1].Value -replace '\s', ''))
                New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList (, $der)
            })
    }
    return $o
}

# ---- machine collectors --------------------------------------------------------------------------------------------
function Get-FirstLine {
    param([string]$Text)
    foreach ($l in ($Text -split "`n")) { if ($l.Trim()) { $t = $l.Trim(); if ($t.Length -gt 200) { $t = $t.Substring(0, 200) }; return $t } }
    return ''
}

function Get-FailureText {
    param([hashtable]$Result)
    if ($Result.TimedOut) { return '{0}: no answer before the timeout ({1} ms)' -f $Result.Command, $Result.DurationMs }
    if ($Result.Error) { return '{0}: {1}' -f $Result.Command, $Result.Error }
    $why = Get-FirstLine $Result.StdErr
    if (-not $why) { $why = Get-FirstLine $Result.StdOut }
    if ($why) { return '{0}: exited with code {1}: {2}' -f $Result.Command, $Result.ExitCode, $why }
    return '{0}: exited with code {1}' -f $Result.Command, $Result.ExitCode
}

function Get-SpecCommand {
    param([string]$Id)
    foreach ($c in $Spec.commands) { if ($c.id -eq $Id) { return $c } }
    throw ('no command {0} in the spec' -f $Id)
}

function Test-AgentJson {
    param([string]$Text, [string]$Marker)
    if ($Text -notmatch $Marker) { return $false }
    try { $null = ConvertFrom-Json $Text; return $true } catch { return $false }
}

# azcmagent show / config list: -j first, then without (old agents have no -j). Region and proxy for the probes.
function Invoke-AgentCollector {
    param([int]$TimeoutMs)
    $limit = [DateTime]::UtcNow.AddMilliseconds($TimeoutMs)
    $pairs = @(
        @{ Json = (Get-SpecCommand 'azcmagent-show'); Text = (Get-SpecCommand 'azcmagent-show-text'); Marker = '"agentVersion"\s*:'; Source = 'azcmagent show -j' },
        @{ Json = (Get-SpecCommand 'azcmagent-config-list'); Text = (Get-SpecCommand 'azcmagent-config-list-text'); Marker = '"localsettings"\s*:|"[a-z]+\.[a-z.]+"\s*:'; Source = 'azcmagent config list -j' }
    )
    $result = @{ Present = $false; CliMissing = $false; Commands = New-Object System.Collections.Generic.List[object]; Unavailable = New-Object System.Collections.Generic.List[object]; Location = $null; ProxyUrl = $null; ProxyBypass = @(); AgentStatus = $null }
    $first = Invoke-NativeCommandSet @(foreach ($p in $pairs) { @{ File = $p.Json.file; Args = @($p.Json.args) } }) $TimeoutMs
    $missing = 0
    for ($i = 0; $i -lt $pairs.Count; $i++) {
        $p = $pairs[$i]
        $r = $first[$i]
        $errors = New-Object System.Collections.Generic.List[string]
        if ($r.NotFound) { $missing++; continue }
        if ($r.ExitCode -eq 0 -and (Test-AgentJson $r.StdOut $p.Marker)) {
            $result.Commands.Add(@{ Entry = $p.Json.entry; Text = $r.StdOut; Kind = 'json'; Id = $p.Json.id })
            continue
        }
        if ($r.ExitCode -eq 0) { $errors.Add(('{0}: output not recognized as JSON' -f $r.Command)) } else { $errors.Add((Get-FailureText $r)) }
        if (-not $r.TimedOut) {
            $left = [int][Math]::Max(0, ($limit - [DateTime]::UtcNow).TotalMilliseconds)
            $t = (Invoke-NativeCommandSet @(@{ File = $p.Text.file; Args = @($p.Text.args) }) $left)[0]
            if ($t.ExitCode -eq 0 -and $t.StdOut.Trim()) {
                $result.Commands.Add(@{ Entry = $p.Text.entry; Text = $t.StdOut; Kind = 'text'; Id = $p.Text.id })
                continue
            }
            if ($t.ExitCode -eq 0) { $errors.Add(('{0}: no output' -f $t.Command)) } else { $errors.Add((Get-FailureText $t)) }
        }
        $result.Unavailable.Add(@{ source = $p.Source; message = ($errors -join '; ') })
    }
    $result.CliMissing = ($missing -eq $pairs.Count)
    $result.Present = -not $result.CliMissing
    foreach ($c in $result.Commands) {
        try {
            if ($c.Kind -eq 'json') {
                $j = ConvertFrom-Json $c.Text
                if ($c.Id -eq 'azcmagent-show') {
                    if ($null -ne $j.PSObject.Properties['location']) { $result.Location = [string]$j.location }
                } else {
                    $settings = @()
                    if ($null -ne $j.PSObject.Properties['localsettings']) { $settings = @($j.localsettings) }
                    foreach ($s in $settings) {
                        if ($s.key -eq 'proxy.url') { $result.ProxyUrl = [string]$s.value }
                        if ($s.key -eq 'proxy.bypass') { $result.ProxyBypass = ConvertTo-BypassList ([string]$s.value) }
                    }
                    foreach ($prop in $j.PSObject.Properties) {
                        if ($prop.Name -eq 'proxy.url') { $result.ProxyUrl = [string]$prop.Value }
                        if ($prop.Name -eq 'proxy.bypass') { $result.ProxyBypass = ConvertTo-BypassList ([string]$prop.Value) }
                    }
                }
            } else {
                foreach ($line in ($c.Text -split "`r?`n")) {
                    $m = [regex]::Match($line, '^\s*([A-Za-z][\w. ]*?)\s*(?:\(preview\))?\s*:\s*(.*)$')
                    if (-not $m.Success) { continue }
                    $k = $m.Groups[1].Value.Trim().ToLowerInvariant()
                    $v = $m.Groups[2].Value.Trim()
                    if ($c.Id -eq 'azcmagent-show-text' -and $k -eq 'location') { $result.Location = $v }
                    if ($c.Id -eq 'azcmagent-config-list-text' -and $k -eq 'proxy.url') { $result.ProxyUrl = $v }
                    if ($c.Id -eq 'azcmagent-config-list-text' -and $k -eq 'proxy.bypass') { $result.ProxyBypass = ConvertTo-BypassList $v }
                }
            }
        } catch {
            Write-Debug ('unreadable {0}' -f $c.Entry)
        }
    }
    return $result
}

function ConvertTo-BypassList {
    param([string]$Text)
    return , @(foreach ($p in ($Text.Trim().Trim('[', ']') -split '[,\s]+')) { $v = $p.Trim().Trim('"'); if ($v) { $v } })
}

function Get-HimdsStatus {
    param([long]$Deadline, [string]$UserAgent)
    $u = [System.Uri]$Spec.himds.url
    $res = Invoke-PlainHttpGet $u.Host $u.Port $Spec.himds.path $Deadline $UserAgent @{ Metadata = 'true' }
    $where = 'HIMDS {0}:{1}' -f $u.Host, $u.Port
    if ($res.ContainsKey('error') -and -not $res.ContainsKey('status')) { return @{ error = ('{0}: {1}' -f $where, $res.error) } }
    if ($res.status -ne 200) { return @{ error = ('{0} answered HTTP {1}' -f $where, $res.status) } }
    try { $body = ConvertFrom-Json $res.body } catch { return @{ error = ('{0}: the answer is not JSON' -f $where) } }
    $status = [ordered]@{ source = ('HIMDS {0}://{1}:{2}/agentstatus' -f $u.Scheme, $u.Host, $u.Port) }
    foreach ($pair in @(@('status', @('status', 'agentStatus')), @('lastHeartbeat', @('lastHeartBeat', 'lastHeartbeat')), @('version', @('agentVersion', 'version')))) {
        foreach ($name in $pair[1]) {
            $prop = $body.PSObject.Properties[$name]
            if ($null -ne $prop -and ([string]$prop.Value).Trim() -and -not $status.Contains($pair[0])) {
                $v = ([string]$prop.Value).Trim()
                if ($v.Length -gt 100) { $v = $v.Substring(0, 100) }
                $status[$pair[0]] = $v
            }
        }
    }
    return @{ status = $status }
}

function Invoke-ServiceCollector {
    param([int]$TimeoutMs)
    $out = @{ Commands = New-Object System.Collections.Generic.List[object]; Unavailable = New-Object System.Collections.Generic.List[object] }
    $names = @($Spec.services)
    $found = $null
    $why = $null
    try {
        $found = @(Get-Service -Name $names -ErrorAction SilentlyContinue)
    } catch [System.Management.Automation.CommandNotFoundException] {
        $why = 'Get-Service is not available'
    } catch {
        $why = [string](Get-InnermostMessage $_).Message
    }
    if ($null -ne $found) {
        $missing = @(foreach ($n in $names) { $hit = $false; foreach ($s in $found) { if ([string]$s.Name -eq $n) { $hit = $true } }; if (-not $hit) { $n } })
        if ($found.Count -gt 0) {
            $json = ConvertTo-Json -InputObject @($found | Select-Object -Property Name, DisplayName, Status, StartType)
            $out.Commands.Add(@{ Entry = (Get-SpecCommand 'get-service').entry; Text = ($json + "`r`n") })
        }
        if ($missing.Count -gt 0) {
            $text = (@(foreach ($n in $missing) { "Get-Service : Cannot find any service with service name '$n'." }) -join "`n") + "`n"
            $out.Commands.Add(@{ Entry = (Get-SpecCommand 'get-service-errors').entry; Text = $text })
        }
        return $out
    }
    $out.Unavailable.Add(@{ source = 'Get-Service'; message = ('Get-Service: {0}; using sc query' -f $why) })
    $specs = @(foreach ($n in $names) { Get-SpecCommand ('sc-query-{0}' -f $n.ToLowerInvariant()) })
    $results = Invoke-NativeCommandSet @(foreach ($s in $specs) { @{ File = $s.file; Args = @($s.args) } }) $TimeoutMs
    for ($i = 0; $i -lt $specs.Count; $i++) {
        $r = $results[$i]
        $name = $specs[$i].args[1]
        $text = '{0}{1}' -f $r.StdOut, $r.StdErr
        if ($r.NotFound -or $r.TimedOut -or $text -notmatch 'SERVICE_NAME|FAILED') {
            $out.Unavailable.Add(@{ source = ('sc query {0}' -f $name); message = (Get-FailureText $r) })
            continue
        }
        $out.Commands.Add(@{ Entry = $specs[$i].entry; Text = ("> sc query {0}`n{1}" -f $name, $text) })
    }
    return $out
}

function Invoke-RegistryCollector {
    param([int]$TimeoutMs)
    $spec = Get-SpecCommand 'reg-query-sme'
    $r = (Invoke-NativeCommandSet @(@{ File = $spec.file; Args = @($spec.args) }) $TimeoutMs)[0]
    $command = 'reg query {0}' -f $spec.args[1]
    $output = '{0}{1}' -f $r.StdOut, $r.StdErr
    # Exit code 1 with "unable to find the specified registry key" is a result (the key is absent), not a failure.
    if ($r.NotFound -or $r.TimedOut -or -not $output.Trim()) {
        $why = 'no output (exit code {0})' -f $r.ExitCode
        if ($r.NotFound) { $why = 'reg.exe not found' } elseif ($r.TimedOut) { $why = 'no answer before the timeout ({0} ms)' -f $r.DurationMs }
        return @{ Command = $null; Unavailable = @{ source = $command; message = ('{0}: {1}' -f $command, $why) }; SmePort = $null }
    }
    $text = "> {0}`n{1}" -f $command, $output
    $sme = $null
    $m = [regex]::Match($output, '(?im)^\s*SmePort\s+REG_DWORD\s+0x([0-9a-f]+)')
    if ($m.Success) { $sme = [Convert]::ToInt32($m.Groups[1].Value, 16) }
    return @{ Command = @{ Entry = $spec.entry; Text = $text }; Unavailable = $null; SmePort = $sme }
}

function Invoke-RawCommandCollector {
    param([string]$Id, [int]$TimeoutMs)
    $spec = Get-SpecCommand $Id
    $r = (Invoke-NativeCommandSet @(@{ File = $spec.file; Args = @($spec.args) }) $TimeoutMs)[0]
    if ($r.NotFound -or $r.TimedOut -or $r.ExitCode -ne 0 -or -not $r.StdOut.Trim()) { return @{ Command = $null; Unavailable = @{ source = $r.Command; message = (Get-FailureText $r) } } }
    return @{ Command = @{ Entry = $spec.entry; Text = $r.StdOut }; Unavailable = $null }
}

function Invoke-CipherSuiteCollector {
    $spec = Get-SpecCommand 'get-tlsciphersuite'
    try {
        $suites = @(Get-TlsCipherSuite | Select-Object -Property Name, Protocols, Exchange, Cipher, CipherLength, Hash, Certificate)
        return @{ Command = @{ Entry = $spec.entry; Text = ((ConvertTo-Json -InputObject $suites -Depth 3) + "`r`n") }; Unavailable = $null }
    } catch [System.Management.Automation.CommandNotFoundException] {
        return @{ Command = $null; Unavailable = @{ source = 'Get-TlsCipherSuite'; message = 'Get-TlsCipherSuite: not available (Windows Server 2016 or later has it)' } }
    } catch {
        return @{ Command = $null; Unavailable = @{ source = 'Get-TlsCipherSuite'; message = ('Get-TlsCipherSuite: {0}' -f (Get-InnermostMessage $_).Message) } }
    }
}

function Read-TextFile {
    param([string]$Path)
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    $text = [System.Text.Encoding]::UTF8.GetString($bytes)
    if ($bytes.Length -ge 2 -and $bytes[0] -eq 0xff -and $bytes[1] -eq 0xfe) { $text = [System.Text.Encoding]::Unicode.GetString($bytes, 2, $bytes.Length - 2) }
    return $text.TrimStart([char]0xfeff)
}

function Get-LatestSequenceFile {
    param([string]$Dir, [string]$Extension)
    if (-not (Test-Path -LiteralPath $Dir -PathType Container)) { return $null }
    $best = $null
    $bestN = -1
    foreach ($f in @(Get-ChildItem -LiteralPath $Dir -File)) {
        $m = [regex]::Match($f.Name, ('^(\d+)\{0}$' -f $Extension), 'IgnoreCase')
        if ($m.Success -and [long]$m.Groups[1].Value -gt $bestN) { $bestN = [long]$m.Groups[1].Value; $best = $f.FullName }
    }
    return $best
}

function Get-JsonProp {
    param($Object, [string]$Name)
    if ($null -eq $Object -or $Object -isnot [System.Management.Automation.PSCustomObject]) { return $null }
    foreach ($p in $Object.PSObject.Properties) { if ($p.Name -ieq $Name) { return $p.Value } }
    return $null
}

function ConvertTo-ValidPort {
    param($Value)
    $n = 0
    if ($null -ne $Value -and [int]::TryParse(([string]$Value).Trim(), [ref]$n) -and $n -ge 1 -and $n -le 65535) { return $n }
    return $null
}

# The AdminCenter extension on disk: the newest version's Status\<n>.status and RuntimeSettings\<n>.settings.
function Invoke-ExtensionCollector {
    param([string]$Root)
    $out = @{ Fact = $null; Source = $null; Files = New-Object System.Collections.Generic.List[object]; Error = $null }
    if (-not (Test-Path -LiteralPath $Root -PathType Container)) {
        $out.Fact = [ordered]@{ installed = $false; name = 'AdminCenter' }
        $out.Source = 'no {0}' -f $Root
        return $out
    }
    $versions = @(foreach ($d in @(Get-ChildItem -LiteralPath $Root -Directory)) { $v = $null; if ([version]::TryParse($d.Name, [ref]$v)) { @{ Name = $d.Name; Version = $v; Path = $d.FullName } } })
    if ($versions.Count -eq 0) {
        $out.Fact = [ordered]@{ installed = $false; name = 'AdminCenter' }
        $out.Source = '{0} has no version folder' -f $Root
        return $out
    }
    $top = @($versions | Sort-Object -Property { $_.Version } -Descending)[0]
    $fact = [ordered]@{ installed = $true; name = 'AdminCenter'; version = $top.Name }
    $statusFile = Get-LatestSequenceFile ([System.IO.Path]::Combine($top.Path, 'Status')) '.status'
    if ($statusFile) {
        $text = ''
        try { $text = Read-TextFile $statusFile } catch { $text = '' }
        $fields = $null
        try {
            $json = ConvertFrom-Json $text
            $item = @($json)[0]
            $status = Get-JsonProp $item 'status'
            $state = [string](Get-JsonProp $status 'status')
            if ($state) {
                $state = $state.ToLowerInvariant()
                $operation = [string](Get-JsonProp $status 'operation')
                $fields = [ordered]@{}
                if ($state -eq 'error') { $fields.provisioningState = 'Failed' } elseif ($state -eq 'transitioning') { if ($operation -match 'install') { $fields.provisioningState = 'Creating' } else { $fields.provisioningState = 'Updating' } } else { $fields.provisioningState = 'Succeeded' }
                if ($state -eq 'error') { $fields.statusLevel = 'Error' } elseif ($state -eq 'warning') { $fields.statusLevel = 'Warning' } else { $fields.statusLevel = 'Info' }
                $code = Get-JsonProp $status 'code'
                if ($null -ne $code) { $fields.statusCode = [string]$code }
                $message = [string](Get-JsonProp (Get-JsonProp $status 'formattedMessage') 'message')
                if ($message) { $fields.statusMessage = $message }
            }
        } catch {
            $fields = $null
        }
        if ($null -ne $fields) { foreach ($k in $fields.Keys) { $fact[$k] = $fields[$k] } } else { $out.Error = '{0}: not an extension status file' -f $statusFile }
        if ($text -and $text.Length -lt $Spec.limits.maxStatusFileBytes) {
            $out.Files.Add(@{ Entry = ('{0}/{1}/Status/{2}' -f $Spec.entries.extensionStatusPrefix, $top.Name, [System.IO.Path]::GetFileName($statusFile)); Text = $text })
        }
    } else {
        $out.Error = '{0}: no Status\<n>.status file' -f $top.Path
    }
    $settingsFile = Get-LatestSequenceFile ([System.IO.Path]::Combine($top.Path, 'RuntimeSettings')) '.settings'
    if ($settingsFile) {
        try {
            # Public settings only (port, proxy): protected settings are never read.
            $json = ConvertFrom-Json (Read-TextFile $settingsFile)
            $rs = @(Get-JsonProp $json 'runtimeSettings')[0]
            $pub = Get-JsonProp (Get-JsonProp $rs 'handlerSettings') 'publicSettings'
            $p = ConvertTo-ValidPort (Get-JsonProp $pub 'port')
            if ($null -ne $p) { $fact.settingsPort = $p }
            $proxy = Get-JsonProp $pub 'proxy'
            $mode = Get-JsonProp $proxy 'mode'
            $address = Get-JsonProp $proxy 'address'
            if ($mode) { $fact.proxyMode = [string]$mode }
            if ($address) { $fact.proxyAddress = [string]$address }
        } catch {
            Write-Debug 'unreadable runtime settings'
        }
    }
    $out.Fact = $fact
    if ($statusFile) { $out.Source = $statusFile } else { $out.Source = $top.Path }
    return $out
}

# The modern gateway's port: Kestrel.Endpoints.WindowsAdminCenter.Url, else the first https endpoint.
function Invoke-AppsettingsCollector {
    param([string[]]$Files)
    foreach ($file in $Files) {
        if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { continue }
        try { $text = Read-TextFile $file } catch { continue }
        $urls = New-Object System.Collections.Generic.List[string]
        $json = $null
        try { $json = ConvertFrom-Json $text } catch { $json = $null }
        $endpoints = Get-JsonProp (Get-JsonProp $json 'Kestrel') 'Endpoints'
        if ($null -ne $endpoints) {
            $wac = Get-JsonProp (Get-JsonProp $endpoints 'WindowsAdminCenter') 'Url'
            if ($wac -is [string]) { $urls.Add($wac) }
            foreach ($p in $endpoints.PSObject.Properties) { $u = Get-JsonProp $p.Value 'Url'; if ($u -is [string] -and $u -match '^https:') { $urls.Add($u) } }
        } else {
            $m = [regex]::Match($text, '"Url"\s*:\s*"(https:[^"]+)"', 'IgnoreCase')
            if ($m.Success) { $urls.Add($m.Groups[1].Value) }
        }
        foreach ($u in $urls) {
            $m = [regex]::Match(($u -replace '^https?://', 'x:'), ':(\d{1,5})(?:/|$)')
            if ($m.Success) {
                $p = ConvertTo-ValidPort $m.Groups[1].Value
                if ($null -ne $p) {
                    $shown = $u
                    if ($shown.Length -gt 100) { $shown = $shown.Substring(0, 100) }
                    return @{ port = $p; file = $file; excerpt = ('"Url": "{0}"' -f $shown) }
                }
            }
        }
        return @{ file = $file; error = ('{0}: no Kestrel https endpoint URL with a port' -f $file) }
    }
    return @{}
}

function Read-HostsFile {
    param([string]$Path)
    $map = @{}
    if (-not $Path -or -not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $map }
    try { $lines = [System.IO.File]::ReadAllLines($Path) } catch { return $map }
    foreach ($raw in $lines) {
        $line = ($raw -replace '#.*', '').Trim()
        if (-not $line) { continue }
        $parts = $line -split '\s+'
        if (-not (Test-IpAddress $parts[0])) { continue }
        for ($i = 1; $i -lt $parts.Length; $i++) {
            $key = $parts[$i].ToLowerInvariant().TrimEnd('.')
            if (-not $map.ContainsKey($key)) { $map[$key] = New-Object System.Collections.Generic.List[string] }
            if (-not $map[$key].Contains($parts[0])) { $map[$key].Add($parts[0]) }
        }
    }
    $out = @{}
    foreach ($k in $map.Keys) { $out[$k] = $map[$k].ToArray() }
    return $out
}

function Get-SystemResolvers {
    $servers = New-Object System.Collections.Generic.List[object]
    $seen = @{}
    try {
        foreach ($nic in [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces()) {
            if ($nic.OperationalStatus -ne [System.Net.NetworkInformation.OperationalStatus]::Up) { continue }
            foreach ($a in $nic.GetIPProperties().DnsAddresses) {
                $text = $a.ToString() -replace '%.*$', ''
                if ($a.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6 -and $a.IsIPv6SiteLocal) { continue }
                if (-not $seen.ContainsKey($text)) { $seen[$text] = $true; $servers.Add(@{ address = $text; port = 53 }) }
            }
        }
    } catch {
        Write-Debug 'no DNS client configuration'
    }
    return , @($servers.ToArray() | Select-Object -First 3)
}

function Test-HasNetwork {
    try {
        foreach ($nic in [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces()) {
            if ($nic.NetworkInterfaceType -eq [System.Net.NetworkInformation.NetworkInterfaceType]::Loopback) { continue }
            foreach ($u in $nic.GetIPProperties().UnicastAddresses) { if (-not [System.Net.IPAddress]::IsLoopback($u.Address)) { return $true } }
        }
    } catch {
        return $true
    }
    return $false
}

# proxy.url, else HTTPS_PROXY; URLs are kept without user:password (never sent, never stored).
function Get-ProxyChoice {
    param([string]$AgentUrl, [string[]]$Bypass)
    $choice = ConvertTo-ProxyChoice $AgentUrl 'proxy.url' $Bypass @()
    if ($null -ne $choice) { return $choice }
    $envUrl = $env:HTTPS_PROXY
    if (-not $envUrl) { $envUrl = $env:https_proxy }
    $np = $env:NO_PROXY
    if (-not $np) { $np = $env:no_proxy }
    $noProxy = @(foreach ($p in ([string]$np).Split(',')) { if ($p.Trim()) { $p.Trim().ToLowerInvariant() } })
    return ConvertTo-ProxyChoice $envUrl 'HTTPS_PROXY' $Bypass $noProxy
}

function Remove-UrlCredential {
    param([string]$Url)
    $t = $Url.Trim()
    $m = [regex]::Match($t, '^[a-z][a-z0-9+.-]*://', 'IgnoreCase')
    $scheme = ''
    if ($m.Success) { $scheme = $m.Value }
    $rest = $t.Substring($scheme.Length)
    $cut = [regex]::Match($rest, '[/?#]')
    $hostPart = $rest
    if ($cut.Success) { $hostPart = $rest.Substring(0, $cut.Index) }
    $at = $hostPart.LastIndexOf('@')
    if ($at -lt 0) { return $t }
    return $scheme + $rest.Substring($at + 1)
}

function ConvertTo-ProxyChoice {
    param([string]$Raw, [string]$Source, [string[]]$Bypass, [string[]]$NoProxy)
    if ($null -eq $Raw) { return $null }
    $text = $Raw.Trim()
    if (-not $text -or $text -match '^(none|not set|\(none\)|\[\])$') { return $null }
    $withScheme = $text
    if ($text -notmatch '^[a-z][a-z0-9+.-]*://') { $withScheme = 'http://' + $text }
    $choice = @{ url = (Remove-UrlCredential $text); source = $Source; host = ''; port = 0; unsupported = $null; hasCredentials = $false; bypassGroups = @($Bypass); noProxy = @($NoProxy) }
    $u = $null
    if (-not [System.Uri]::TryCreate($withScheme, [System.UriKind]::Absolute, [ref]$u)) {
        $choice.unsupported = 'not a URL'
        $choice.hasCredentials = $text.Contains('@')
        return $choice
    }
    $choice.hasCredentials = [bool]$u.UserInfo
    $choice.host = $u.Host.Trim('[', ']')
    $choice.port = $u.Port
    if ($u.Scheme -ne 'http') { $choice.unsupported = '{0} proxies are not probed (only http:// with CONNECT)' -f $u.Scheme }
    return $choice
}

function Get-ProxyProbe {
    param($Choice, [object[]]$Tunnels)
    if ($Choice.unsupported) { return [ordered]@{ url = $Choice.url; status = 'error'; error = $Choice.unsupported } }
    $list = @($Tunnels)
    if ($list.Count -eq 0) { return $null }
    foreach ($t in $list) { if ($t.ContainsKey('status') -and $t.status -eq 407) { $e = '407 Proxy Authentication Required'; if ($t.ContainsKey('error') -and $t.error) { $e = $t.error }; return [ordered]@{ url = $Choice.url; status = 'auth-required'; error = $e } } }
    foreach ($t in $list) { if ($t.ok) { return [ordered]@{ url = $Choice.url; status = 'ok' } } }
    foreach ($t in $list) { if ($t.ContainsKey('proxyUnreachable') -and $t.proxyUnreachable) { $r = [ordered]@{ url = $Choice.url; status = 'unreachable' }; if ($t.ContainsKey('error')) { $r.error = $t.error }; return $r } }
    $r = [ordered]@{ url = $Choice.url; status = 'error' }
    foreach ($t in $list) { if ($t.ContainsKey('error') -and $t.error) { $r.error = $t.error; break } }
    return $r
}

function Get-RelayHosts {
    param([string]$Body)
    $out = New-Object System.Collections.Generic.List[string]
    try { $items = @(ConvertFrom-Json $Body) } catch { return , @() }
    foreach ($item in $items) {
        if ($item -isnot [string]) { continue }
        $h = (($item.Trim().ToLowerInvariant() -replace '^[a-z]+://', '') -replace '[/:?#].*$', '')
        if ($h.EndsWith($Spec.relay.suffix) -and (Test-HostName $h) -and -not $out.Contains($h)) { $out.Add($h) }
        if ($out.Count -ge $Spec.relay.max) { break }
    }
    return , $out.ToArray()
}

# ---- redaction (the CLI's rules, from the spec) and the zip ----------------------------------------------------------
function Invoke-Redaction {
    param([string]$Text)
    $out = $Text
    foreach ($r in $Spec.redaction) {
        $opts = [System.Text.RegularExpressions.RegexOptions]::None
        if ($r.flags.Contains('i')) { $opts = $opts -bor [System.Text.RegularExpressions.RegexOptions]::IgnoreCase }
        if ($r.flags.Contains('m')) { $opts = $opts -bor [System.Text.RegularExpressions.RegexOptions]::Multiline }
        $out = [regex]::Replace($out, $r.pattern, $r.replacement, $opts)
    }
    return $out
}

function Invoke-DeepRedaction {
    param($Value)
    if ($Value -is [string]) { return (Invoke-Redaction $Value) }
    if ($Value -is [System.Collections.IDictionary]) {
        $copy = [ordered]@{}
        foreach ($k in $Value.Keys) { $copy[$k] = Invoke-DeepRedaction $Value[$k] }
        return $copy
    }
    if ($Value -is [System.Collections.IList]) {
        $list = New-Object System.Collections.Generic.List[object]
        foreach ($v in $Value) { $list.Add((Invoke-DeepRedaction $v)) }
        return , $list.ToArray()
    }
    return $Value
}

function Write-SnapshotZip {
    param([string]$Path, [object[]]$Entries, [DateTime]$Time)
    Add-Type -AssemblyName System.IO.Compression
    $full = [System.IO.Path]::GetFullPath($Path)
    $tmp = '{0}.{1}.tmp' -f $full, $PID
    $utf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false
    try {
        $fs = [System.IO.File]::Open($tmp, [System.IO.FileMode]::Create)
        try {
            $zip = New-Object System.IO.Compression.ZipArchive -ArgumentList $fs, ([System.IO.Compression.ZipArchiveMode]::Create)
            try {
                foreach ($e in $Entries) {
                    $entry = $zip.CreateEntry($e.Name, [System.IO.Compression.CompressionLevel]::Optimal)
                    $entry.LastWriteTime = New-Object System.DateTimeOffset -ArgumentList $Time
                    $w = $entry.Open()
                    $bytes = $utf8.GetBytes([string]$e.Text)
                    $w.Write($bytes, 0, $bytes.Length)
                    $w.Dispose()
                }
            } finally {
                $zip.Dispose()
            }
        } finally {
            $fs.Dispose()
        }
        Move-Item -LiteralPath $tmp -Destination $full -Force
    } catch {
        if (Test-Path -LiteralPath $tmp) { Remove-Item -LiteralPath $tmp -Force }
        throw
    }
    return $full
}

# One JSON string literal, ASCII only (\uXXXX beyond it), so no console code page can garble the document.
function ConvertTo-AsciiJsonString {
    param([string]$Text)
    $json = ConvertTo-Json -Compress -InputObject $Text
    return [regex]::Replace($json, '[^\x00-\x7F]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
}

# -AsJson: {"wacDoctorSnapshot":1,"manifest":{...},"entries":{name:text,...},"truncated":[...]}, compact. Each entry's
# escaped text is at most $Spec.document.maxEntryChars, all of them at most maxChars: a longer one is cut (whole
# characters, never half a surrogate pair), listed in "truncated" and said in the manifest's notes.
function ConvertTo-SnapshotDocument {
    param([System.Collections.IDictionary]$Manifest, [object[]]$Entries)
    $remaining = [long]$Spec.document.maxChars
    $parts = New-Object System.Collections.Generic.List[string]
    $truncated = New-Object System.Collections.Generic.List[object]
    $notes = New-Object System.Collections.Generic.List[string]
    foreach ($n in @($Manifest.notes)) { $notes.Add([string]$n) }
    foreach ($e in $Entries) {
        $text = [string]$e.Text
        $json = ConvertTo-AsciiJsonString $text
        $limit = [long][Math]::Min([long]$Spec.document.maxEntryChars, [Math]::Max(2, $remaining))
        if ($json.Length -gt $limit) {
            $keep = $text.Length
            while ($keep -gt 0 -and $json.Length -gt $limit) {
                $keep = [int][Math]::Floor($keep * [Math]::Min(0.95, ($limit - 2) / [double]$json.Length))
                if ($keep -gt 0 -and [char]::IsHighSurrogate($text[$keep - 1])) { $keep-- }
                $json = ConvertTo-AsciiJsonString $text.Substring(0, $keep)
            }
            $truncated.Add([ordered]@{ entry = $e.Name; chars = $text.Length; keptChars = $keep })
            $notes.Add(('-AsJson: {0} cut to {1} of {2} characters (the document holds at most {3} characters of JSON-escaped entries, {4} per entry)' -f $e.Name, $keep, $text.Length, $Spec.document.maxChars, $Spec.document.maxEntryChars))
        }
        $remaining -= $json.Length
        $parts.Add(('{0}:{1}' -f (ConvertTo-AsciiJsonString ([string]$e.Name)), $json))
    }
    $m = [ordered]@{}
    foreach ($k in $Manifest.Keys) { $m[$k] = $Manifest[$k] }
    $m.notes = $notes.ToArray()
    $manifestJson = [regex]::Replace((ConvertTo-Json -Compress -Depth 5 -InputObject $m), '[^\x00-\x7F]', { param($x) '\u{0:x4}' -f [int][char]$x.Value })
    $doc = '{{"{0}":{1},"manifest":{2},"entries":{{{3}}}' -f $Spec.document.key, $Spec.document.version, $manifestJson, ($parts.ToArray() -join ',')
    if ($truncated.Count -gt 0) { $doc += ',"truncated":' + (ConvertTo-Json -Compress -Depth 3 -InputObject @($truncated.ToArray())) }
    return @{ Text = $doc + '}'; Truncated = $truncated.ToArray() }
}

function Start-ProbeRunspacePool {
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $functions = $ProbeLibrary.Ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)
    foreach ($f in $functions) {
        $iss.Commands.Add((New-Object System.Management.Automation.Runspaces.SessionStateFunctionEntry -ArgumentList $f.Name, $f.Body.GetScriptBlock().ToString()))
    }
    $pool = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspacePool(4, 24, $iss, $Host)
    return @{ Pool = $pool; Opening = $pool.BeginOpen($null, $null) }
}

function Format-IsoNow {
    param([DateTime]$Time)
    return $Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
}

function Get-EndpointRank {
    param([string]$HostName)
    $order = @($Spec.endpointOrder)
    for ($i = 0; $i -lt $order.Count; $i++) { if ($HostName -eq $order[$i] -or $HostName.EndsWith('.' + $order[$i])) { return $i } }
    return $order.Count
}

# ---- the run -------------------------------------------------------------------------------------------------------
function Invoke-WacDoctorCollect {
    param([hashtable]$Options)
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $timeoutMs = $Options.TimeoutMs
    $deadline = [DateTime]::UtcNow.Ticks + [long]$timeoutMs * 10000
    $dependencyUntil = [DateTime]::UtcNow.Ticks + [long]($timeoutMs * $Spec.limits.dependencyShare) * 10000
    $createdAt = Format-IsoNow (Get-CollectorNow)
    $platform = Get-CollectorPlatform
    $windows = ($platform -eq 'win32')
    $paths = Get-CollectorPaths
    $userAgent = '{0}/{1}' -f $Spec.tool.name, $Spec.tool.version
    $notes = New-Object System.Collections.Generic.List[string]
    $unavailable = New-Object System.Collections.Generic.List[object]
    $commands = New-Object System.Collections.Generic.List[object]
    $files = New-Object System.Collections.Generic.List[object]
    $activity = 'WAC Doctor: collecting'
    # The probe runspaces start now; DNS of the names known without the agent starts before it answers.
    Write-CollectorTrace $sw 'start'
    $Runner = Start-ProbeRunspacePool
    Write-CollectorTrace $sw 'runspaces opening'
    $resolverSource = '-DnsServer'
    $resolvers = $Options.DnsServers
    if ($null -eq $resolvers) { $resolvers = Get-SystemResolvers; $resolverSource = 'the system DNS client configuration' }
    $offline = -not (Test-HasNetwork) -and $Options.Overrides.Count -eq 0 -and $null -eq $Options.DnsServers
    $ctx = @{
        deadline = $deadline; resolvers = @($resolvers); hosts = @{}; overrides = $Options.Overrides.ToArray(); proxy = $null; ca = @($Options.Ca)
        bypassGroups = $Spec.bypassGroups; userAgent = $userAgent; maxBody = [int]$Spec.limits.maxBody; maxBodyKept = [int]$Spec.limits.maxBodyKept
    }
    $pool = $Runner.Pool
    $tasks = New-Object System.Collections.Generic.List[object]
    $shared = [hashtable]::Synchronized(@{})
    $dnsDone = @{}
    $startTask = {
        param([string]$Kind, [string]$Label, [string]$Call, [object[]]$TaskArgs)
        $ps = [System.Management.Automation.PowerShell]::Create()
        $ps.RunspacePool = $pool
        [void]$ps.AddScript(('Set-StrictMode -Version Latest; $ErrorActionPreference = ''Stop''; {0}' -f $Call))
        foreach ($a in $TaskArgs) { [void]$ps.AddArgument($a) }
        $tasks.Add(@{ Kind = $Kind; Label = $Label; PS = $ps; Handle = $ps.BeginInvoke(); Done = $false; Result = $null; Target = $null })
        return $tasks[$tasks.Count - 1]
    }
    $queueDns = {
        param([string[]]$Names)
        $new = @(foreach ($n in $Names) { if (-not $dnsDone.ContainsKey($n)) { $n } })
        if ($new.Count -eq 0) { return }
        $events = @{}
        foreach ($n in $new) { $dnsDone[$n] = New-Object System.Threading.ManualResetEvent -ArgumentList $false; $events[$n] = $dnsDone[$n] }
        [void](& $startTask 'dns' ('dns {0}' -f ($new -join ', ')) 'Invoke-DnsTask $args[0] $args[1] $args[2] $args[3]' @(, $new + @($ctx, $shared, $events)))
    }
    $queueTargets = {
        param([object[]]$List)
        & $queueDns @(foreach ($x in $List) { $x.host })
        foreach ($x in $List) {
            $t = & $startTask 'probe' ('probe {0}' -f $x.host) 'Invoke-EndpointProbe $args[0] $args[1] $args[2] $args[3]' @($x, $ctx, $shared, $dnsDone[$x.host])
            $t.Target = $x
        }
    }
    if (-not $offline) {
        $early = @()
        if ($null -ne $Options.Endpoints) { $early = @(foreach ($e in $Options.Endpoints) { $e.host }) }
        else { $early = @(foreach ($t in (Get-DefaultEndpoints $null)) { $t.host }) }
        [void]$Runner.Opening.AsyncWaitHandle.WaitOne()
        $pool.EndOpen($Runner.Opening)
        Write-CollectorTrace $sw 'runspaces open'
        & $queueDns $early
    }

    # --- the agent: the probes need its proxy and region (waiting at most 60% of the budget)
    Write-CollectorTrace $sw 'azcmagent show, azcmagent config list'
    Write-Progress -Activity $activity -Status 'azcmagent show, azcmagent config list' -PercentComplete 5
    $agent = Invoke-AgentCollector ([int](Get-RemainingMs $dependencyUntil))
    foreach ($c in $agent.Commands) { $commands.Add($c) }
    foreach ($u in $agent.Unavailable) { $unavailable.Add($u) }
    if ($agent.CliMissing) {
        $h = Get-HimdsStatus ([Math]::Min($deadline, $dependencyUntil)) $userAgent
        $where = @('azcmagent', $paths.AzcmagentExe)
        if ($h.ContainsKey('status')) {
            $agent.Present = $true
            $agent.AgentStatus = $h.status
            $unavailable.Add(@{ source = 'azcmagent'; message = ('azcmagent: not found ({0}); the agent status came from {1}' -f ($where -join ', '), $h.status.source) })
        } else {
            $unavailable.Add(@{ source = 'azcmagent'; message = ('azcmagent: not installed (not found as {0}), and {1}' -f ($where -join ' or '), $h.error) })
        }
    }
    $examine = $windows -and $agent.Present

    # --- the gateway's configuration (where the WAC port comes from)
    $registry = $null
    $extension = $null
    $appsettings = @{}
    if ($examine) {
        Write-Progress -Activity $activity -Status 'registry, AdminCenter extension, gateway appsettings.json' -PercentComplete 15
        $registry = Invoke-RegistryCollector ([int](Get-RemainingMs $dependencyUntil))
        $extension = Invoke-ExtensionCollector $paths.ExtensionRoot
        $appsettings = Invoke-AppsettingsCollector $paths.Appsettings
    }
    $wacPort = $Spec.limits.defaultWacPort
    if ($null -ne $Options.Port) { $wacPort = $Options.Port }
    elseif ($null -ne $extension -and $null -ne $extension.Fact -and $extension.Fact.Contains('settingsPort')) { $wacPort = $extension.Fact.settingsPort }
    elseif ($null -ne $registry -and $null -ne $registry.SmePort) { $wacPort = $registry.SmePort }
    elseif ($appsettings.ContainsKey('port')) { $wacPort = $appsettings.port }

    # --- what the connections need: the proxy, the region, the hosts file
    $proxy = Get-ProxyChoice $agent.ProxyUrl $agent.ProxyBypass
    $ctx.proxy = $proxy
    $ctx.hosts = Read-HostsFile $paths.HostsFile
    $region = $Options.Region
    if (-not $region) { $region = Get-RegionLabel $agent.Location }
    $relayNote = $null
    $targets = New-Object System.Collections.Generic.List[object]
    if ($offline) {
        $notes.Add('no network interface besides loopback: endpoints not probed')
    } elseif ($null -ne $Options.Endpoints) {
        foreach ($e in $Options.Endpoints) { $targets.Add((New-EndpointTarget $e.host $e.port $region)) }
    } else {
        foreach ($t in (Get-DefaultEndpoints $region)) { $targets.Add($t) }
        if (-not $region) {
            $relayNote = 'the relay host names come from the guest notification service allowlist, which needs the machine''s region (azcmagent show''s location, or --region)'
            $notes.Add('region unknown: <region>.service.waconazure.com, <region>-gas.guestconfiguration.azure.com and the relay hosts were not probed')
        }
    }

    # --- every probe at once, in runspaces, by the one deadline
    Write-CollectorTrace $sw 'probes'
    Write-Progress -Activity $activity -Status ('probing {0} endpoints' -f $targets.Count) -PercentComplete 25
    & $queueTargets $targets.ToArray()
    $wantLocal = ($examine -or $null -ne $Options.Port) -and -not $offline
    if ($wantLocal) {
        if (-not $Runner.Opening.IsCompleted) { [void]$Runner.Opening.AsyncWaitHandle.WaitOne() }
        [void](& $startTask 'local' ('https://localhost:{0}' -f $wacPort) 'Invoke-LocalHttpsProbe $args[0] $args[1]' @($wacPort, $ctx))
    }

    # --- the rest of the machine while the probes run
    $services = $null
    $extras = New-Object System.Collections.Generic.List[object]
    if ($examine) {
        Write-Progress -Activity $activity -Status 'services' -PercentComplete 35
        $services = Invoke-ServiceCollector ([int](Get-RemainingMs $deadline))
    }
    if ($windows) {
        Write-Progress -Activity $activity -Status 'WinHTTP proxy, TLS cipher suites' -PercentComplete 40
        $extras.Add((Invoke-RawCommandCollector 'netsh-winhttp-proxy' ([int](Get-RemainingMs $deadline))))
        $extras.Add((Invoke-CipherSuiteCollector))
    }
    $system = @{}
    try { $system = Get-CollectorSystemInfo } catch { $unavailable.Add(@{ source = 'os and memory'; message = ('os and memory: {0}' -f (Get-InnermostMessage $_).Message) }) }

    # --- wait for the probes (relays join when the allowlist answers), by the deadline plus a grace
    $graceUntil = $deadline + [long]($Spec.limits.graceMs + 750) * 10000
    $relaysQueued = $false
    $shownDone = -1
    while ($true) {
        $pending = 0
        foreach ($t in @($tasks.ToArray())) {
            if ($t.Done) { continue }
            if ($t.Handle.IsCompleted) {
                $t.Done = $true
                try { $t.Result = @($t.PS.EndInvoke($t.Handle)) } catch { $t.Result = $null }
                $t.PS.Dispose()
                if ($t.Kind -eq 'probe' -and $t.Target.relayAllowlist -and -not $relaysQueued) {
                    $r = $null
                    if ($null -ne $t.Result -and $t.Result.Count -gt 0) { $r = $t.Result[0] }
                    $status = $null
                    if ($null -ne $r -and $r.record.Contains('http') -and $r.record.http.Contains('status')) { $status = $r.record.http.status }
                    if ($status -eq 200) {
                        $relaysQueued = $true
                        $body = ''
                        if ($r.meta.ContainsKey('fullBody')) { $body = $r.meta.fullBody }
                        $relays = Get-RelayHosts $body
                        if ($relays.Count -eq 0) { $relayNote = 'the relay allowlist listed no *.servicebus.windows.net host' }
                        & $queueTargets @(foreach ($h in $relays) { @{ host = $h; port = 443; path = $null; relayAllowlist = $false } })
                    } else {
                        $relayNote = 'the relay allowlist (https://{0}{1}) could not be read' -f $t.Target.host, $t.Target.path
                        if ($status) { $relayNote = '{0}: HTTP {1}' -f $relayNote, $status }
                    }
                }
            } else {
                $pending++
            }
        }
        # Relays may have joined during this pass: count again.
        $pending = @(foreach ($t in $tasks) { if (-not $t.Done) { $t } }).Count
        $done = $tasks.Count - $pending
        if ($done -ne $shownDone) {
            $shownDone = $done
            Write-Progress -Activity $activity -Status ('{0} of {1} probes done' -f $done, $tasks.Count) -PercentComplete ([Math]::Min(95, 45 + [int](50 * $done / [Math]::Max(1, $tasks.Count))))
        }
        if ($pending -eq 0) { break }
        if ([DateTime]::UtcNow.Ticks -ge $graceUntil) { break }
        Start-Sleep -Milliseconds 20
    }
    Write-CollectorTrace $sw 'probes done'
    $late = @(foreach ($t in $tasks) { if (-not $t.Done) { $t } })
    foreach ($t in $late) {
        Write-CollectorTrace $sw ('late: {0} ({1}; {2})' -f $t.Label, $t.PS.InvocationStateInfo.State, $t.PS.InvocationStateInfo.Reason)
        [void]$t.PS.BeginStop($null, $null)
        if ($t.Kind -ne 'dns') { $unavailable.Add(@{ source = $t.Label; message = ('{0}: no answer before the timeout' -f $t.Label) }) }
    }
    if ($late.Count -eq 0) { $pool.Close() } else { [void]$pool.BeginClose($null, $null) }

    # --- assemble, as the Node collector does
    $hostName = [string]$system.hostname
    $doc = [ordered]@{ wacDoctorProbes = 1; tool = [ordered]@{ name = $Spec.tool.name; version = $Spec.tool.version }; createdAt = $createdAt; host = $hostName; platform = $platform; timeoutMs = $timeoutMs }
    if ($system.ContainsKey('os')) { $doc.os = $system.os } else { $unavailable.Add(@{ source = 'os and memory'; message = 'os and memory: no answer' }) }
    if ($system.ContainsKey('memoryTotalBytes')) { $doc.memoryTotalBytes = $system.memoryTotalBytes }
    $envProxy = $env:HTTPS_PROXY
    if (-not $envProxy) { $envProxy = $env:https_proxy }
    if (-not $envProxy) { $envProxy = '' }
    $doc.env = [ordered]@{ httpsProxy = $envProxy }
    if ($null -ne $agent.AgentStatus) { $doc.agentStatus = $agent.AgentStatus }
    if ($examine) {
        if ($null -ne $services) {
            foreach ($c in $services.Commands) { $commands.Add($c) }
            foreach ($u in $services.Unavailable) { $unavailable.Add($u) }
        }
        if ($null -ne $registry) {
            if ($null -ne $registry.Command) { $commands.Add($registry.Command) }
            if ($null -ne $registry.Unavailable) { $unavailable.Add($registry.Unavailable) }
        }
        if ($null -ne $extension -and $null -ne $extension.Fact) {
            $ext = [ordered]@{}
            foreach ($k in $extension.Fact.Keys) { $ext[$k] = $extension.Fact[$k] }
            if ($extension.Source) { $ext.source = $extension.Source }
            $doc.extension = $ext
            foreach ($f in $extension.Files) { $files.Add($f) }
            if ($extension.Error) { $unavailable.Add(@{ source = 'extension status'; message = $extension.Error }) }
        }
        if ($appsettings.ContainsKey('port')) {
            $doc.appsettingsPort = [ordered]@{ port = $appsettings.port; file = $appsettings.file; excerpt = $appsettings.excerpt }
        } elseif ($appsettings.ContainsKey('error')) {
            $unavailable.Add(@{ source = 'appsettings.json'; message = $appsettings.error })
        }
    }
    foreach ($x in $extras) {
        if ($null -ne $x.Command) { $commands.Add($x.Command) }
        if ($null -ne $x.Unavailable) { $unavailable.Add($x.Unavailable) }
    }
    $records = New-Object System.Collections.Generic.List[object]
    $tunnels = New-Object System.Collections.Generic.List[object]
    $clock = $null
    foreach ($t in $tasks) {
        if (-not $t.Done -or $null -eq $t.Result -or $t.Result.Count -eq 0) { continue }
        $r = $t.Result[0]
        if ($t.Kind -eq 'probe') {
            $records.Add($r.record)
            if ($r.ContainsKey('tunnel')) { $tunnels.Add($r.tunnel) }
            if ($null -eq $clock -and $r.meta.ContainsKey('date')) {
                $server = [DateTime]::MinValue
                if ([DateTime]::TryParse($r.meta.date, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal', [ref]$server)) {
                    $clock = [ordered]@{ offsetMs = [long]($server - $r.meta.receivedAt.ToUniversalTime()).TotalMilliseconds; source = ('HTTP Date header of {0}' -f $r.record.url); resolutionMs = 1000 }
                }
            }
        } elseif ($t.Kind -eq 'local' -and $examine) {
            $doc.localHttps = $r
        } elseif ($t.Kind -eq 'local') {
            $doc.localHttps = $r
        }
    }
    $sorted = @($records.ToArray() | Sort-Object -Property @{ Expression = { Get-EndpointRank $_.host } }, @{ Expression = { $_.host } })
    $doc.endpoints = $sorted
    if ($null -ne $proxy) {
        $fact = Get-ProxyProbe $proxy $tunnels.ToArray()
        if ($null -ne $fact) { $fact.source = $proxy.source; $doc.proxy = $fact }
        if ($proxy.hasCredentials) { $notes.Add(('the proxy URL ({0}) carries credentials; they were not sent (authenticated proxies are not supported by the WAC extension)' -f $proxy.source)) }
    }
    if ($null -ne $clock) { $doc.clock = $clock }
    $hasRelay = $false
    foreach ($r in $sorted) { if ($r.host.EndsWith($Spec.relay.suffix)) { $hasRelay = $true } }
    if ($relayNote -and -not $hasRelay) { $notes.Add(('servicebus: {0}' -f $relayNote)) }
    $labels = @(foreach ($r in @($resolvers)) { Get-ResolverLabel $r })
    $dnsText = 'no resolver'
    if ($labels.Count -gt 0) { $dnsText = $labels -join ', ' }
    $notes.Insert(0, ('DNS: {0} ({1}); timeout {2} ms' -f $dnsText, $resolverSource, $timeoutMs))
    if ($Options.Overrides.Count -gt 0) { $notes.Add(('connections redirected by {0}' -f (@(foreach ($o in $Options.Overrides) { $o.text }) -join ', '))) }
    $allNotes = New-Object System.Collections.Generic.List[string]
    foreach ($n in $notes) { $allNotes.Add($n) }
    foreach ($u in $unavailable) { $allNotes.Add([string]$u.message) }
    $doc.notes = $allNotes.ToArray()

    # --- the zip: manifest, commands/*, probes.json, files/*; redacted unless -NoRedact
    Write-CollectorTrace $sw 'writing the snapshot'
    Write-Progress -Activity $activity -Status 'writing the snapshot' -PercentComplete 97
    $redact = $Options.Redact
    $entries = New-Object System.Collections.Generic.List[object]
    foreach ($c in $commands) { $text = [string]$c.Text; if ($redact) { $text = Invoke-Redaction $text }; $entries.Add(@{ Name = $c.Entry; Text = $text }) }
    $probeDoc = $doc
    if ($redact) { $probeDoc = Invoke-DeepRedaction $doc }
    $entries.Add(@{ Name = $Spec.entries.probes; Text = ((ConvertTo-Json -InputObject $probeDoc -Depth 20) + "`n") })
    foreach ($f in $files) { $text = [string]$f.Text; if ($redact) { $text = Invoke-Redaction $text }; $entries.Add(@{ Name = $f.Entry; Text = $text }) }
    $manifestNotes = @(foreach ($n in $allNotes) { if ($redact) { Invoke-Redaction $n } else { $n } })
    $manifest = [ordered]@{
        tool = $Spec.tool.name; version = $Spec.tool.version; createdAt = $createdAt; host = $hostName; platform = $platform
        redacted = [bool]$redact; entries = @(foreach ($e in $entries) { $e.Name }); notes = $manifestNotes
    }
    $zipEntries = @(@{ Name = $Spec.entries.manifest; Text = ((ConvertTo-Json -InputObject $manifest -Depth 5) + "`n") }) + $entries.ToArray()
    $path = $null
    $document = $null
    if ($Options.AsJson) {
        $document = ConvertTo-SnapshotDocument $manifest $entries.ToArray()
    } else {
        $createdTime = [DateTime]::Parse($createdAt, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal')
        $path = Write-SnapshotZip $Options.OutputPath $zipEntries $createdTime
    }
    Write-Progress -Activity $activity -Completed
    $exit = 0
    if ($unavailable.Count -gt 0) { $exit = 1 }
    return @{
        ExitCode = $exit; Path = $path; Document = $document; Entries = @(foreach ($e in $zipEntries) { $e.Name }); DurationMs = [int]$sw.ElapsedMilliseconds
        Unavailable = @(foreach ($u in $unavailable) { [string]$u.message }); Redacted = [bool]$redact; Endpoints = $sorted.Count
    }
}

# The summary: on the host, or on stderr with -AsJson (stdout is the document alone).
function Write-CollectSummary {
    param([hashtable]$Result)
    $toStderr = $null -ne $Result.Document
    $say = { param([string]$Line) if ($toStderr) { [Console]::Error.WriteLine($Line) } else { Write-Host $Line } }
    $how = 'redacted'
    if (-not $Result.Redacted) { $how = 'NOT redacted' }
    if ($toStderr) {
        & $say ('wac-doctor: wrote the snapshot document to stdout ({0} entries, {1:N0} characters, {2}, {3} endpoints probed) in {4:N1} s' -f $Result.Entries.Count, $Result.Document.Text.Length, $how, $Result.Endpoints, ($Result.DurationMs / 1000))
        foreach ($t in $Result.Document.Truncated) { & $say ('  cut: {0} ({1} of {2} characters kept)' -f $t.entry, $t.keptChars, $t.chars) }
    } else {
        $size = (Get-Item -LiteralPath $Result.Path).Length
        & $say ('wac-doctor: wrote {0} ({1} entries, {2:N0} bytes, {3}, {4} endpoints probed) in {5:N1} s' -f $Result.Path, $Result.Entries.Count, $size, $how, $Result.Endpoints, ($Result.DurationMs / 1000))
        foreach ($e in $Result.Entries) { & $say ('  {0}' -f $e) }
    }
    if ($Result.Unavailable.Count -gt 0) {
        & $say ('wac-doctor: {0} collector(s) failed (recorded in the snapshot):' -f $Result.Unavailable.Count)
        foreach ($u in $Result.Unavailable) {
            $line = $u
            if ($Result.Redacted) { $line = Invoke-Redaction $u }
            & $say ('  {0}' -f $line)
        }
    }
    if ($toStderr) { & $say 'wac-doctor: save the output (az connectedmachine run-command show ... > run.json) and analyze it anywhere with: wac-doctor analyze run.json' }
    else { & $say ('wac-doctor: analyze it anywhere with: wac-doctor analyze {0}' -f [System.IO.Path]::GetFileName($Result.Path)) }
}

function Invoke-CollectorMain {
    param([hashtable]$Raw)
    try {
        $options = ConvertTo-CollectorOptions $Raw
    } catch {
        $e = Get-InnermostMessage $_
        if ($e -is [System.ArgumentException] -and $e.Data.Contains('wacDoctorUsage')) {
            [Console]::Error.WriteLine(('wac-doctor-collect: {0}' -f $e.Message))
            return 2
        }
        throw
    }
    # -AsJson: stdout carries the document alone; progress records would only be noise in a run command's output.
    if ($options.AsJson) { $ProgressPreference = 'SilentlyContinue' }
    try {
        $result = Invoke-WacDoctorCollect $options
    } catch {
        [Console]::Error.WriteLine(('wac-doctor-collect: {0}' -f (Get-InnermostMessage $_).Message))
        return 2
    }
    if ($options.AsJson) {
        [Console]::Out.Write($result.Document.Text)
        [Console]::Out.Write("`n")
        [Console]::Out.Flush()
    }
    Write-CollectSummary $result
    return $result.ExitCode
}

if ($MyInvocation.InvocationName -ne '.') {
    try {
        $raw = ConvertFrom-CollectorArguments $CollectorArgs
    } catch {
        [Console]::Error.WriteLine(('wac-doctor-collect: {0}' -f (Get-InnermostMessage $_).Message))
        exit 2
    }
    exit (Invoke-CollectorMain $raw)
}
