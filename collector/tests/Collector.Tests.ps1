# Pester 5: wac-doctor-collect.ps1 on the recorded Windows machines (fixtures/live), its Windows-only commands and
# cmdlets mocked with the recorded outputs, no network (the machine is made offline), asserting the snapshot's content.
BeforeAll {
    $script:Root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $script:Fixtures = Join-Path (Join-Path $script:Root 'fixtures') 'live'
    . (Join-Path $PSScriptRoot 'Replay.ps1')
    . (Join-Path (Split-Path -Parent $PSScriptRoot) 'wac-doctor-collect.ps1')
    # Pester mocks only commands that exist: off Windows these cmdlets do not.
    foreach ($name in @('Get-Service', 'Get-TlsCipherSuite', 'Get-CimInstance', 'Get-NetFirewallRule')) {
        if ($null -eq (Get-Command -Name $name -ErrorAction SilentlyContinue)) { New-Item -Path ('function:global:{0}' -f $name) -Value { param($Name, $ClassName, $ErrorAction) throw 'not mocked' } | Out-Null }
    }
    $script:Tmp = Join-Path ([System.IO.Path]::GetTempPath()) ('wac-doctor-pester-{0}' -f [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Tmp | Out-Null

    function Use-RecordedMachine {
        param([string]$Name)
        $script:Machine = Read-RecordedMachine (Join-Path $script:Fixtures $Name)
        Mock Get-CollectorPlatform { 'win32' }
        Mock Get-CollectorNow { [DateTime]::new(2026, 11, 26, 12, 0, 0, [DateTimeKind]::Utc) }
        Mock Get-CollectorPaths { Get-RecordedPaths $script:Machine }
        Mock Test-HasNetwork { $false }
        Mock Invoke-NativeCommandSet { Invoke-RecordedCommandSet $script:Machine $Commands }
        Mock Get-Service { Get-RecordedService $script:Machine $Name }
        Mock Get-TlsCipherSuite { Get-RecordedCipherSuite $script:Machine }
        Mock Get-NetFirewallRule { Get-RecordedFirewallRule $script:Machine $Name }
        Mock Get-CimInstance { Get-RecordedCim $script:Machine $ClassName }
    }

    function Invoke-Recorded {
        param([hashtable]$Extra = @{})
        $zip = Join-Path $script:Tmp ('{0}.zip' -f [guid]::NewGuid().ToString('N'))
        $raw = @{ OutputPath = $zip; TimeoutSeconds = '5'; DnsServer = @(); Resolve = @(); ConnectTo = @(); CaFile = ''; Endpoints = @(); Region = ''; Port = ''; NoRedact = $false; Unknown = @() }
        foreach ($k in $Extra.Keys) { $raw[$k] = $Extra[$k] }
        $result = Invoke-WacDoctorCollect (ConvertTo-CollectorOptions $raw)
        return @{ Result = $result; Entries = (Read-ZipEntries $zip) }
    }

    function Read-ZipEntries {
        param([string]$Path)
        Add-Type -AssemblyName System.IO.Compression
        $map = [ordered]@{}
        $fs = [System.IO.File]::OpenRead($Path)
        try {
            $zip = New-Object System.IO.Compression.ZipArchive -ArgumentList $fs, ([System.IO.Compression.ZipArchiveMode]::Read)
            foreach ($e in $zip.Entries) {
                $r = New-Object System.IO.StreamReader -ArgumentList $e.Open()
                $map[$e.FullName] = $r.ReadToEnd()
                $r.Dispose()
            }
            $zip.Dispose()
        } finally {
            $fs.Dispose()
        }
        return $map
    }
}

AfterAll {
    Remove-Item -LiteralPath $script:Tmp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'a Windows Server 2022 with the modern gateway (fixtures/live/windows)' {
    BeforeAll {
        Use-RecordedMachine 'windows'
        $script:Run = Invoke-Recorded
        $script:Probes = $script:Run.Entries['probes.json'] | ConvertFrom-Json
        $script:Manifest = $script:Run.Entries['wac-doctor-snapshot.json'] | ConvertFrom-Json
    }

    It 'writes the Node snapshot layout, manifest first, each command entry from the spec table' {
        @($script:Run.Entries.Keys) | Should -Be @(
            'wac-doctor-snapshot.json', 'commands/azcmagent-show.json', 'commands/azcmagent-config-list.json', 'commands/get-service.json',
            'commands/get-service-errors.txt', 'commands/reg-query-sme.txt', 'commands/netsh-winhttp-show-proxy.txt', 'commands/get-tlsciphersuite.json',
            'commands/get-netfirewallrule-wac.txt', 'probes.json', 'files/Packages/Plugins/Microsoft.AdminCenter.AdminCenter/0.85.0.0/Status/1.status')
        $script:Manifest.tool | Should -Be 'wac-doctor'
        $script:Manifest.platform | Should -Be 'win32'
        $script:Manifest.host | Should -Be 'SRV-WAC-03'
        $script:Run.Entries['wac-doctor-snapshot.json'] | Should -Match '"createdAt": "2026-11-26T12:00:00\.000Z"'
        $script:Manifest.redacted | Should -BeTrue
        @($script:Manifest.entries) | Should -Be @($script:Run.Entries.Keys | Select-Object -Skip 1)
        $script:Run.Result.ExitCode | Should -Be 0
    }

    It 'keeps azcmagent outputs as they were printed' {
        $script:Run.Entries['commands/azcmagent-show.json'] | Should -Be ([System.IO.File]::ReadAllText((Join-Path $script:Machine.Dir 'azcmagent-show.json')))
        Should -Invoke Invoke-NativeCommandSet -Scope Describe -ParameterFilter { $Commands[0].File -eq 'azcmagent' -and ($Commands[0].Args -join ' ') -eq 'show -j' }
        Should -Invoke Invoke-NativeCommandSet -Scope Describe -ParameterFilter { $Commands[0].File -eq 'reg.exe' -and $Commands[0].Args[1] -eq 'HKLM\SOFTWARE\Microsoft\ServerManagementGateway' }
    }

    It 'writes Get-Service as the Node collector does: JSON of the found services, the missing ones in its error wording' {
        $services = @($script:Run.Entries['commands/get-service.json'] | ConvertFrom-Json)
        @($services.Name) | Should -Be @('arcproxy', 'ExtensionService', 'GCArcService', 'himds', 'WindowsAdminCenter', 'WindowsAdminCenterAccountManagement')
        ($services | Where-Object { $_.Name -eq 'himds' }).Status | Should -Be 4
        $script:Run.Entries['commands/get-service-errors.txt'] | Should -Be ("Get-Service : Cannot find any service with service name 'ServerManagementGateway'.`n")
        Should -Invoke Get-Service -Scope Describe -Times 1 -Exactly -ParameterFilter { @($Name).Count -eq 7 -and $Name -contains 'WindowsAdminCenterAccountManagement' }
    }

    It 'echoes the registry command line before reg.exe output (a missing key is a result)' {
        $script:Run.Entries['commands/reg-query-sme.txt'] | Should -Match '^> reg query HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway\n.*unable to find the specified registry key'
    }

    It 'records the extension, the gateway port, the OS and memory in probes.json' {
        $script:Probes.wacDoctorProbes | Should -Be 1
        $script:Probes.extension.version | Should -Be '0.85.0.0'
        $script:Probes.extension.provisioningState | Should -Be 'Succeeded'
        $script:Probes.extension.settingsPort | Should -Be 6516
        $script:Probes.extension.statusMessage | Should -Match 'running on port 6516'
        $script:Probes.appsettingsPort.port | Should -Be 6516
        $script:Probes.appsettingsPort.excerpt | Should -Be '"Url": "https://*:6516"'
        $script:Probes.os.name | Should -Be 'Microsoft Windows Server 2022 Datacenter'
        $script:Probes.os.build | Should -Be 20348
        $script:Probes.memoryTotalBytes | Should -Be 8589398016
        $script:Run.Entries['files/Packages/Plugins/Microsoft.AdminCenter.AdminCenter/0.85.0.0/Status/1.status'] | Should -Match 'Windows Admin Center is running on port 6516'
    }

    It 'never copies appsettings.json (it can hold proxy credentials) nor the protected settings' {
        $all = ($script:Run.Entries.Values -join "`n")
        $all | Should -Not -Match 'c3ZjLWFyYzpTM2NyZXQh'
        $all | Should -Not -Match 'MIIBsAYJKoZIhvcNAQcDoIIBoTCCAZ0CAQAx'
    }

    It 'keeps TLS cipher suites and the WinHTTP proxy as recorded' {
        @($script:Run.Entries['commands/get-tlsciphersuite.json'] | ConvertFrom-Json).Name | Should -Contain 'TLS_AES_256_GCM_SHA384'
        # The installer's firewall rule as Get-NetFirewallRule | Format-List prints it, and the cmdlet's error for the other name.
        $script:Run.Entries['commands/get-netfirewallrule-wac.txt'] | Should -Match '(?m)^Name\s+: WacInboundOpenException\s*$'
        $script:Run.Entries['commands/get-netfirewallrule-wac.txt'] | Should -Match '(?m)^Enabled\s+: True\s*$'
        $script:Run.Entries['commands/get-netfirewallrule-wac.txt'] | Should -Match "No MSFT_NetFirewallRule objects found with property 'Name' equal to 'SmeInboundOpenException'"
        $script:Run.Entries['commands/netsh-winhttp-show-proxy.txt'] | Should -Match 'Direct access \(no proxy server\)'
    }

    It 'says why no endpoint was probed on a machine without network' {
        @($script:Probes.endpoints).Count | Should -Be 0
        @($script:Probes.notes) | Should -Contain 'no network interface besides loopback: endpoints not probed'
    }
}

Describe 'a Windows Server 2019 with an old agent, no PowerShell service cmdlet and an authenticating proxy (fixtures/live/windows-legacy)' {
    BeforeAll {
        Use-RecordedMachine 'windows-legacy'
        $script:Run = Invoke-Recorded
    }

    It 'falls back to the text outputs of azcmagent and to sc query, as the Node collector does' {
        $names = @($script:Run.Entries.Keys)
        $names | Should -Contain 'commands/azcmagent-show.txt'
        $names | Should -Contain 'commands/azcmagent-config-list.txt'
        $names | Should -Not -Contain 'commands/get-service.json'
        $names | Should -Contain 'commands/sc-query-servermanagementgateway.txt'
        $script:Run.Entries['commands/sc-query-himds.txt'] | Should -Match '^> sc query himds\n'
        $script:Run.Entries['commands/reg-query-sme.txt'] | Should -Match 'SmePort\s+REG_DWORD\s+0x1974'
    }

    It 'redacts the proxy credentials everywhere by default' {
        $all = ($script:Run.Entries.Values -join "`n")
        $all | Should -Not -Match 'S3cret|svc-arc'
        $all | Should -Match '\*\*\*@proxy\.corp\.example:3128'
    }

    It 'records each collector that failed, and exits 1' {
        $script:Run.Result.ExitCode | Should -Be 1
        $notes = @(($script:Run.Entries['probes.json'] | ConvertFrom-Json).notes)
        ($notes -join "`n") | Should -Match 'Get-Service: Get-Service is not available; using sc query'
        ($notes -join "`n") | Should -Match 'netsh winhttp show proxy: netsh.exe not found'
        ($notes -join "`n") | Should -Match 'Get-TlsCipherSuite: not available'
        ($script:Run.Entries['wac-doctor-snapshot.json'] | ConvertFrom-Json).notes | Should -Contain 'Get-Service: Get-Service is not available; using sc query'
    }

    It 'keeps them with -NoRedact' {
        $raw = Invoke-Recorded @{ NoRedact = $true }
        ($raw.Entries.Values -join "`n") | Should -Match 'svc-arc:S3cret!@proxy\.corp\.example'
        ($raw.Entries['wac-doctor-snapshot.json'] | ConvertFrom-Json).redacted | Should -BeFalse
    }
}

Describe 'failures and parameters' {
    BeforeAll { Use-RecordedMachine 'windows' }

    It 'records an azcmagent that did not answer in time and exits 1' {
        Mock Invoke-NativeCommandSet {
            , @(foreach ($c in $Commands) { @{ Command = (Get-CommandLineText $c.File $c.Args); ExitCode = $null; StdOut = ''; StdErr = ''; NotFound = $false; TimedOut = $true; Error = 'killed (timeout)'; DurationMs = 3000 } })
        } -ParameterFilter { $Commands[0].File -eq 'azcmagent' }
        $run = Invoke-Recorded
        $run.Result.ExitCode | Should -Be 1
        @($run.Entries.Keys) | Should -Not -Contain 'commands/azcmagent-show.json'
        (@(($run.Entries['probes.json'] | ConvertFrom-Json).notes) -join "`n") | Should -Match 'azcmagent show -j: no answer before the timeout \(3000 ms\)'
    }

    It 'answers bad parameters with exit code 2 and one line, writing nothing' {
        $bad = @(
            @{ TimeoutSeconds = 'soon' }, @{ TimeoutSeconds = '0' }, @{ ConnectTo = @('wac.azure.com:443') }, @{ DnsServer = @('not-an-ip') },
            @{ Port = '70000' }, @{ Region = 'west europe!' }, @{ Endpoints = @('bad host') }, @{ Unknown = @('-Bogus') }, @{ CaFile = (Join-Path $script:Tmp 'missing.pem') }
        )
        foreach ($b in $bad) {
            $raw = @{ OutputPath = (Join-Path $script:Tmp 'never.zip'); TimeoutSeconds = '5'; DnsServer = @(); Resolve = @(); ConnectTo = @(); CaFile = ''; Endpoints = @(); Region = ''; Port = ''; NoRedact = $false; Unknown = @() }
            foreach ($k in $b.Keys) { $raw[$k] = $b[$k] }
            Invoke-CollectorMain $raw 2>$null | Should -Be 2
        }
        Test-Path -LiteralPath (Join-Path $script:Tmp 'never.zip') | Should -BeFalse
    }

    It 'reads its own parameters: -Name value, -Name:value, lists, unknown ones kept for the usage error' {
        $r = ConvertFrom-CollectorArguments @('-outputpath', 'x.zip', '-ConnectTo', 'a:1:127.0.0.1:2,b:1:127.0.0.1:3', '-ConnectTo:c:1:127.0.0.1:4', '-NoRedact', '-Bogus')
        $r.OutputPath | Should -Be 'x.zip'
        @($r.ConnectTo) | Should -Be @('a:1:127.0.0.1:2,b:1:127.0.0.1:3', 'c:1:127.0.0.1:4')
        $r.NoRedact | Should -BeTrue
        @($r.Unknown) | Should -Be @('-Bogus')
        (ConvertTo-CollectorOptions (ConvertFrom-CollectorArguments @("-ConnectTo", "a:1:127.0.0.1:2,b:1:127.0.0.1:3"))).Overrides.Count | Should -Be 2
        { ConvertFrom-CollectorArguments @('-TimeoutSeconds') } | Should -Throw '*-TimeoutSeconds needs a value*'
        { ConvertFrom-CollectorArguments @('-Port', '-Region', 'x') } | Should -Throw '*-Port needs a value*'
    }

    It 'parses the curl-style options as the CLI does' {
        $o = ConvertTo-ConnectOverride '::127.0.0.1:8443'
        $o.host | Should -Be ''
        $o.port | Should -BeNullOrEmpty
        $o.address | Should -Be '127.0.0.1'
        $o.toPort | Should -Be 8443
        (ConvertTo-ConnectOverride 'wac.azure.com:443:[::1]:9443').address | Should -Be '::1'
        (ConvertTo-DnsServer '[::1]:5353').port | Should -Be 5353
        (ConvertTo-DnsServer '10.0.0.2').port | Should -Be 53
        (ConvertTo-ResolveOverride 'wac.azure.com:443:localhost').address | Should -Be '127.0.0.1'
        (Find-ConnectOverride @((ConvertTo-ConnectOverride '::127.0.0.1:1'), (ConvertTo-ConnectOverride 'wac.azure.com:443:127.0.0.1:2')) 'wac.azure.com' 443).toPort | Should -Be 2
    }

    It 'redacts with the CLI redactor''s rules' {
        Invoke-Redaction 'http://user:pass@proxy:3128' | Should -Be 'http://***@proxy:3128'
        Invoke-Redaction 'https://x.blob.core.windows.net/c?sv=1&sig=abc%2Bdef&se=2' | Should -Be 'https://x.blob.core.windows.net/c?sv=1&sig=***&se=2'
        Invoke-Redaction 'Authorization: Bearer abcdefghijklmnop' | Should -Be 'Authorization: Bearer ***'
        Invoke-Redaction '{"password": "hunter2"}' | Should -Be '{"password": "***"}'
        Invoke-Redaction 'eyJhbGciOi.eyJzdWIiOiIx.c2ln' | Should -Be '***jwt***'
    }

    It 'reads DNS answers: CNAME chains, compression, AAAA' {
        $q = New-DnsQuery 'wac.azure.com' 1 4660
        $q[0] | Should -Be 0x12
        $q[1] | Should -Be 0x34
        # answer: wac.azure.com CNAME x.trafficmanager.net (compressed), x.trafficmanager.net A 20.50.2.1
        $hex = '123481800001000200000000' + '03776163' + '05617a757265' + '03636f6d00' + '00010001' +
            'c00c000500010000003c0016' + '0178' + '0e' + '747261666669636d616e61676572' + '036e657400' +
            'c02b000100010000003c0004' + '14320201'
        $bytes = [byte[]]@(for ($i = 0; $i -lt $hex.Length; $i += 2) { [Convert]::ToByte($hex.Substring($i, 2), 16) })
        $p = Read-DnsPacket $bytes
        $p.Id | Should -Be 0x1234
        $p.Rcode | Should -Be 0
        $p.Answers[0].Data | Should -Be 'x.trafficmanager.net'
        $p.Answers[1].Name | Should -Be 'x.trafficmanager.net'
        $p.Answers[1].Data | Should -Be '20.50.2.1'
        (Get-CnameChain 'wac.azure.com' $p.Answers).Chain | Should -Be @('x.trafficmanager.net')
    }
}

Describe '-AsJson: the snapshot as one JSON document, for Azure Arc Run Command' {
    BeforeAll {
        function Invoke-RecordedDocument {
            param([hashtable]$Extra = @{})
            $raw = @{ OutputPath = (Join-Path $script:Tmp 'never-asjson.zip'); TimeoutSeconds = '5'; DnsServer = @(); Resolve = @(); ConnectTo = @(); CaFile = ''; Endpoints = @(); Region = ''; Port = ''; NoRedact = $false; AsJson = $true; Unknown = @() }
            foreach ($k in $Extra.Keys) { $raw[$k] = $Extra[$k] }
            return Invoke-WacDoctorCollect (ConvertTo-CollectorOptions $raw)
        }
    }

    Context 'on the recorded Windows Server 2022 (fixtures/live/windows)' {
        BeforeAll {
            Use-RecordedMachine 'windows'
            $script:Zip = Invoke-Recorded
            $script:DocRun = Invoke-RecordedDocument
            $script:Text = $script:DocRun.Document.Text
            $script:Doc = $script:Text | ConvertFrom-Json
        }

        It 'writes no zip, and gives one compact ASCII line that parses, version 1' {
            Test-Path -LiteralPath (Join-Path $script:Tmp 'never-asjson.zip') | Should -BeFalse
            $script:DocRun.Path | Should -BeNullOrEmpty
            $script:Text | Should -Not -Match '[\r\n]'
            $script:Text | Should -Not -Match '[^\x00-\x7F]'
            $script:Text | Should -Match '^\{"wacDoctorSnapshot":1,"manifest":\{'
            $script:Doc.wacDoctorSnapshot | Should -Be 1
            @($script:Doc.PSObject.Properties.Name) | Should -Be @('wacDoctorSnapshot', 'manifest', 'entries')
            $script:DocRun.ExitCode | Should -Be $script:Zip.Result.ExitCode
        }

        It 'holds exactly the zip''s entries, in order, with the same text, and the zip''s manifest' {
            $names = @($script:Doc.entries.PSObject.Properties.Name)
            $names | Should -Be @($script:Zip.Entries.Keys | Select-Object -Skip 1)
            foreach ($n in $names) { $script:Doc.entries.$n | Should -BeExactly $script:Zip.Entries[$n] -Because $n }
            $zipManifest = $script:Zip.Entries['wac-doctor-snapshot.json'] | ConvertFrom-Json
            (ConvertTo-Json -Compress -Depth 5 $script:Doc.manifest) | Should -Be (ConvertTo-Json -Compress -Depth 5 $zipManifest)
            @($script:Doc.manifest.entries) | Should -Be $names
        }
    }

    Context 'redaction, as for the zip (fixtures/live/windows-legacy)' {
        BeforeAll { Use-RecordedMachine 'windows-legacy' }

        It 'redacts the proxy credentials by default and keeps them with -NoRedact' {
            $redacted = (Invoke-RecordedDocument).Document.Text
            $redacted | Should -Not -Match 'S3cret|svc-arc'
            $redacted | Should -Match '\*\*\*@proxy\.corp\.example:3128'
            $kept = (Invoke-RecordedDocument @{ NoRedact = $true }).Document.Text
            $kept | Should -Match 'svc-arc:S3cret!@proxy\.corp\.example'
            ($kept | ConvertFrom-Json).manifest.redacted | Should -BeFalse
        }
    }

    Context 'size bound' {
        It 'cuts entries past the caps (whole characters), lists each cut and says it in the manifest''s notes' {
            $saved = @($Spec.document.maxChars, $Spec.document.maxEntryChars)
            try {
                $Spec.document.maxChars = 3000
                $Spec.document.maxEntryChars = 1200
                $emoji = [char]::ConvertFromUtf32(0x1F600)
                $entries = @(
                    @{ Name = 'commands/small.txt'; Text = 'ok' },
                    @{ Name = 'commands/big.txt'; Text = (('é"' + $emoji) * 2000) },
                    @{ Name = 'probes.json'; Text = ('x' * 1000) },
                    @{ Name = 'files/late.txt'; Text = ('y' * 5000) }
                )
                $manifest = [ordered]@{ tool = 'wac-doctor'; entries = @(foreach ($e in $entries) { $e.Name }); notes = @('first note') }
                $out = ConvertTo-SnapshotDocument $manifest $entries
                $doc = $out.Text | ConvertFrom-Json
                @($doc.entries.PSObject.Properties.Name) | Should -Be @('commands/small.txt', 'commands/big.txt', 'probes.json', 'files/late.txt')
                $doc.entries.'commands/small.txt' | Should -Be 'ok'
                $doc.entries.'probes.json' | Should -Be ('x' * 1000)
                @($doc.truncated.entry) | Should -Be @('commands/big.txt', 'files/late.txt')
                $big = $doc.entries.'commands/big.txt'
                $big.Length | Should -BeGreaterThan 0
                ('é"' + $emoji) * 2000 | Should -BeLike ($big + '*')
                [char]::IsHighSurrogate($big[$big.Length - 1]) | Should -BeFalse
                $out.Text | Should -Not -Match '[^\x00-\x7F]'
                # Entries' escaped text within the caps: the rest of the document is the manifest and the cut list.
                ($out.Text.Length - (ConvertTo-Json -Compress -Depth 5 $doc.manifest).Length - (ConvertTo-Json -Compress -Depth 3 @($doc.truncated)).Length) | Should -BeLessOrEqual 3200
                @($doc.manifest.notes)[0] | Should -Be 'first note'
                (@($doc.manifest.notes) -join "`n") | Should -Match '-AsJson: commands/big\.txt cut to \d+ of 8000 characters \(the document holds at most 3000 characters'
                (@($doc.manifest.notes) -join "`n") | Should -Match '-AsJson: files/late\.txt cut to \d+ of 5000 characters'
            } finally {
                $Spec.document.maxChars = $saved[0]
                $Spec.document.maxEntryChars = $saved[1]
            }
        }
    }

    Context 'parameters' {
        It 'reads -AsJson as a switch, with a Run Command style value, or -AsJson:$false' {
            (ConvertFrom-CollectorArguments @('-AsJson')).AsJson | Should -BeTrue
            (ConvertFrom-CollectorArguments @('-asjson', 'true', '-NoRedact', '0')).AsJson | Should -BeTrue
            (ConvertFrom-CollectorArguments @('-asjson', 'true', '-NoRedact', '0')).NoRedact | Should -BeFalse
            (ConvertFrom-CollectorArguments @('-AsJson', '')).AsJson | Should -BeTrue
            (ConvertFrom-CollectorArguments @('-AsJson:$false')).AsJson | Should -BeFalse
            $r = ConvertFrom-CollectorArguments @('-AsJson', 'x.zip')
            @($r.Unknown) | Should -Be @('x.zip')
            (ConvertTo-CollectorOptions (ConvertFrom-CollectorArguments @('-AsJson'))).AsJson | Should -BeTrue
            (ConvertTo-CollectorOptions (ConvertFrom-CollectorArguments @())).AsJson | Should -BeFalse
        }
    }
}
