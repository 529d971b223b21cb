import { strict as assert } from 'node:assert';
import { prng } from '../../../test/support/prng';
import { scanLogText } from './index';
import { adminCenterStatement, agentStateStatement, agentVersionStatement, cloudStatement, configStatement, memoryProseStatement, memoryStatement, osStatement, privateEndpointStatements, registrationStatements, serviceStartStatement, STATEMENT_HINT } from './statements';

describe('text statements', () => {
  it('operating systems stated in words', () => {
    assert.deepEqual(osStatement('This is the error I get on all windows 2012 R2 hosts'), { platform: 'windows', name: 'Windows Server 2012 R2', prose: true });
    assert.deepEqual(osStatement('- Windows Server 2019, build 17763'), { platform: 'windows', name: 'Windows Server 2019', build: 17763, prose: true });
    assert.deepEqual(osStatement('The Arc machine runs Windows 10 Enterprise'), { platform: 'windows', name: 'Windows 10 Enterprise', prose: true });
    assert.equal(osStatement('I open the portal from my Windows 11 laptop'), undefined, "the admin's PC is not the machine");
    assert.deepEqual(osStatement('the node runs Azure Local 23H2'), { platform: 'windows', name: 'Azure Local', prose: true });
    assert.equal(osStatement('For Arc VM registry on Azure Local components'), undefined);
    assert.equal(osStatement('https://learn.microsoft.com/windows-server-2016/requirements'), undefined);
    assert.equal(osStatement('Server 2012 was mentioned'), undefined, 'a bare "Server 2012" needs the word Windows');
    assert.equal(osStatement('all our Windows 2012R2 boxes')?.name, 'Windows Server 2012 R2');
    assert.equal(osStatement('the WS2012R2 file servers')?.name, 'Windows Server 2012 R2');
    assert.equal(osStatement('W2K16 hosts')?.name, 'Windows Server 2016');
  });

  it('another product\'s server is not the OS; a client Windows of the admin\'s device is not the machine\'s', () => {
    assert.deepEqual(osStatement('the Windows box is a Server 2008 R2 SP1'), { platform: 'windows', name: 'Windows Server 2008 R2', prose: true });
    for (const other of ['SQL Server 2019 on Windows', 'Exchange Server 2016 on a Windows box', 'the SharePoint Server 2019 farm (Windows)']) assert.equal(osStatement(other), undefined, other);
    assert.deepEqual(osStatement('SQL Server 2019 on Windows Server 2022'), { platform: 'windows', name: 'Windows Server 2022', prose: true });
    for (const device of ['We test it from a Windows 11 jump box', 'I open WAC in Edge on my Windows 11 laptop, the server is remote', 'the admin workstation (Windows 10 Enterprise) reaches the VM']) {
      assert.equal(osStatement(device), undefined, device);
    }
    assert.deepEqual(osStatement('the Arc machine runs Windows 10 Enterprise'), { platform: 'windows', name: 'Windows 10 Enterprise', prose: true });
  });

  it('a requirement or a range of versions is not the machine\'s OS', () => {
    assert.equal(osStatement('- Windows Server 2012 R2 and above'), undefined);
    assert.equal(osStatement('Windows Server 2016 or later is required'), undefined);
    assert.equal(osStatement('affects environments from WS2016 up to WS2025'), undefined);
    assert.equal(osStatement('Windows Server 2019 - 2025 are supported'), undefined);
    assert.equal(osStatement('Windows Server 2012 R2+'), undefined);
    assert.equal(osStatement('the box runs Windows Server 2012 R2 and we cannot upgrade')?.name, 'Windows Server 2012 R2', '"and" alone is no bound');
  });

  it('agent settings made by a typed azcmagent config command', () => {
    assert.deepEqual(configStatement('azcmagent config set proxy.url "http://user:pw@10.0.0.5:3128"'), { key: 'proxy.url', value: 'http://user:pw@10.0.0.5:3128' });
    assert.deepEqual(configStatement('PS C:\\> & azcmagent.exe config set incomingconnections.ports 22,6516'), { key: 'incomingconnections.ports', value: '22,6516' });
    assert.deepEqual(configStatement('I ran `azcmagent config set incomingconnections.port 22,3516`.'), { key: 'incomingconnections.ports', value: '22,3516' }, 'the singular slip, backticks and the full stop');
    assert.deepEqual(configStatement("sudo azcmagent config set extensions.blocklist 'Microsoft.CPlat.Core/RunCommandLinux'"), { key: 'extensions.blocklist', value: 'Microsoft.CPlat.Core/RunCommandLinux' });
    assert.deepEqual(configStatement('azcmagent config clear proxy.url'), { key: 'proxy.url', value: '' });
    assert.equal(configStatement('azcmagent config set extensions.allowlist Microsoft.AdminCenter/AdminCenter --add'), undefined, 'a list changed, not set');
    assert.equal(configStatement('azcmagent config set cpulimit 50'), undefined, 'a key the facts do not read');
    assert.equal(configStatement('azcmagent config set proxy.url'), undefined, 'no value');
    assert.equal(configStatement('azcmagent config list'), undefined);
  });

  it('an agent service that cannot be started, as Start-Service says it (also wrapped in an MSI log)', () => {
    assert.deepEqual(serviceStartStatement("WARNING: Service 'Guest Configuration Extension service (ExtensionService)' cannot be started due to the following error: Cannot start service"), { name: 'extensionservice', state: 'stopped' });
    assert.deepEqual(serviceStartStatement("WixQuietExec64:  (himds)' cannot be started due to the following error: Cannot start"), { name: 'himds', state: 'stopped' });
    assert.equal(serviceStartStatement("Service 'Print Spooler (Spooler)' cannot be started"), undefined, 'not an agent service');
    assert.equal(serviceStartStatement('WixQuietExec64:  VERBOSE: In Start-ServiceInternal'), undefined);
  });

  it('endpoints the agent found private', () => {
    assert.deepEqual(privateEndpointStatements('No indication of Private Link Scope but found private endpoint agentserviceapi.guestconfiguration.azure.com'), ['agentserviceapi.guestconfiguration.azure.com']);
    assert.deepEqual(privateEndpointStatements('Private Link Scope resource ID must be provided as endpoint gbl.his.arc.azure.com. is configured private'), ['gbl.his.arc.azure.com'], "a fully qualified name's final dot dropped");
    assert.deepEqual(privateEndpointStatements('Private Link Scope resource ID must be provided as endpoint GBL.his.arc.azure.com is configured private'), ['gbl.his.arc.azure.com']);
    assert.deepEqual(privateEndpointStatements('found private endpoint 10.0.0.4'), [], 'an address is no host');
    assert.deepEqual(privateEndpointStatements('the private endpoint was deleted'), []);
  });

  it('physical memory as the install scripts print it', () => {
    assert.equal(memoryStatement('VERBOSE: Total Physical Memory:     16,383 MB'), 16383 * 1024 ** 2);
    assert.equal(memoryStatement('Total physical memory: 16000548 kB'), 16000548 * 1024);
    assert.equal(memoryStatement('Total Physical Memory: 0 MB'), undefined);
    assert.equal(memoryStatement('Total Physical Memory: lots'), undefined);
  });

  it('the AdminCenter extension: version and failure texts', () => {
    assert.deepEqual(adminCenterStatement('> Extension Version: Microsoft.AdminCenter.AdminCenter 0.85.0.0'), { version: '0.85.0.0' });
    const failed = adminCenterStatement('the extension retries three times before reporting `WACInstallFailed`.');
    assert.equal(failed?.provisioningState, 'Failed');
    assert.match(failed.statusMessage!, /WACInstallFailed/);
    assert.equal(adminCenterStatement('(ExtensionOperationFailed) Extension AdminCenter failed: Enable failed')?.provisioningState, 'Failed');
    assert.equal(adminCenterStatement('(ExtensionOperationFailed) Extension MicrosoftMonitoringAgent failed'), undefined, 'another extension');
    assert.equal(adminCenterStatement('AdminCenter provisioningState: Succeeded'), undefined);
    assert.equal(adminCenterStatement("The handler for VM extension type 'Microsoft.AdminCenter.AdminCenter' has reported terminal failure for VM extension 'AdminCenter'")?.provisioningState, 'Failed');
  });

  it('the agent version in words: an upgrade names the version it went to; an offered version is not installed', () => {
    assert.equal(agentVersionStatement('we upgraded from agent version 1.35 to 1.40 last week'), '1.40');
    assert.equal(agentVersionStatement('Our servers run agent version 1.35'), '1.35');
    assert.equal(agentVersionStatement('INFO local version is 1.33.02399.1041'), '1.33.02399.1041');
    assert.equal(agentVersionStatement('New Agent version found 1.67.03504.3207'), undefined);
    assert.equal(agentVersionStatement('[2023-10-17][08:15:02] INFO Azure Connected Machine Agent Version is now 1.35.2473.1323'), '1.35.2473.1323');
  });

  it('the agent version next to the agent\'s name, without the word "version"; not another agent\'s, not a size', () => {
    const v = agentVersionStatement;
    assert.equal(v('The server runs Windows Server 2016, Connected Machine agent is 1.38.'), '1.38');
    assert.equal(v('Arc agent (1.41) on all nodes'), '1.41');
    assert.equal(v('Agent 1.60. WAC extension install fails'), '1.60');
    assert.equal(v('Setting up azcmagent (1.58.03228.700) ...'), '1.58.03228.700');
    assert.equal(v('hybrid agent is on 1.44.02800.11'), '1.44.02800.11');
    assert.equal(v('azcmagent=1.52'), '1.52');
    for (const other of ['Azure Monitor agent 1.22 is installed', 'the Log Analytics agent 1.14', 'Dependency agent 1.9', 'Guest Configuration agent 1.29',
      'the agent 1.5 GB of memory', 'agent 1.2x slower', 'agent 1.5 hours later', 'agent 10.20', 'agentless 1.3', 'the new agent 1.67 is available',
      'WAC requires agent 1.40 or later', 'machines older than azcmagent 1.41', 'the Connected Machine agent 1.37+ is needed', 'Arc agent 1.40 is required']) {
      assert.equal(v(other), undefined, other);
    }
    assert.equal(v('we went from agent 1.38 to 1.45 last week'), '1.45');
    // Requirements with the word "version" are bounds too.
    for (const bound of ['WAC requires agent version 1.40 or later', 'Arc agent version 1.37 or newer is required', 'minimum agent version: 1.37']) assert.equal(v(bound), undefined, bound);
    assert.equal(v('The Connected Machine agent version is 1.45'), '1.45');
    // The offered version is not taken for the installed one named beside it.
    assert.equal(v('New Agent version found 1.40, agent 1.35 installed'), '1.35');
  });

  it('the machine\'s memory in a person\'s words; requirements, uses and changes are not it', () => {
    const gib = 1024 ** 3;
    assert.equal(memoryProseStatement('Server: Windows Server 2022 Standard, 2 GB memory.'), 2 * gib);
    assert.equal(memoryProseStatement('a node with 8GB RAM'), 8 * gib);
    assert.equal(memoryProseStatement('16 GB of physical memory'), 16 * gib);
    assert.equal(memoryProseStatement('RAM: 4 GB'), 4 * gib);
    assert.equal(memoryProseStatement('memory is 1,5 GB'), 1.5 * gib);
    assert.equal(memoryProseStatement('512 MB RAM'), 512 * 1024 ** 2);
    for (const not of ['WAC requires 3 GB of RAM', 'at least 3 GB memory', 'the minimum is 3 GB RAM', 'only 2 GB memory free', '2 GB memory used by the gateway',
      'we increased it to 8 GB RAM', 'the gateway uses 900 MB memory', 'memory usage 80%', 'a 2 GB memory leak', '100 MB RAM', '8 GB disk', 'RAM']) {
      assert.equal(memoryProseStatement(not), undefined, not);
    }
  });

  it('the Azure cloud: a typed --cloud, or a sovereign cloud named in words (not negated); never the public cloud from prose', () => {
    assert.deepEqual(cloudStatement('azcmagent connect --resource-group rg --cloud AzureChinaCloud --location chinanorth2'), { cloud: 'AzureChinaCloud', prose: false });
    assert.deepEqual(cloudStatement('azcmagent connect --cloud "AzureUSGovernment"'), { cloud: 'AzureUSGovernment', prose: false });
    assert.deepEqual(cloudStatement('--cloud=azurecloud'), { cloud: 'AzureCloud', prose: false });
    assert.deepEqual(cloudStatement('Our Arc servers are in China (Azure China 21Vianet).'), { cloud: 'AzureChinaCloud', prose: true });
    assert.deepEqual(cloudStatement('the subscription is in Azure Government'), { cloud: 'AzureUSGovernment', prose: true });
    assert.deepEqual(cloudStatement('on the US Gov cloud'), { cloud: 'AzureUSGovernment', prose: true });
    for (const not of ['we are not in Azure Government', 'this is not Azure China', 'moving from Azure China to global', 'the Azure portal', 'a government agency', 'public cloud, or Azure Government']) {
      assert.equal(cloudStatement(not), undefined, not);
    }
  });

  it('a narrative\'s agent version, memory and cloud become facts marked as stated in the text', () => {
    const text = ['Customer cannot open WAC from the portal.', 'The Arc servers are in Azure China (21Vianet), Connected Machine agent is 1.38, 2 GB RAM.', ''].join('\n');
    const { observations } = scanLogText('ticket.txt', text, 'pasted', 'text');
    const got = (name: string) => observations.find((o) => o.name === name);
    assert.equal(got('agent.version')?.value, '1.38');
    assert.equal(got('memory.totalBytes')?.value, 2 * 1024 ** 3);
    assert.equal(got('agent.cloud')?.value, 'AzureChinaCloud');
    for (const name of ['agent.version', 'memory.totalBytes', 'agent.cloud']) assert.equal(got(name)!.evidence[0]!.prose, true, name);
    // A log's own lines are not a person's sentences: memory and cloud in words are read from pasted text only.
    const log = scanLogText('agent.log', text, 'bundle', 'agent-log').observations.map((o) => o.name);
    assert.ok(!log.includes('memory.totalBytes') && !log.includes('agent.cloud'), log.join(', '));
  });

  it('the WAC extension failing, in words', () => {
    assert.equal(adminCenterStatement('The Windows Admin Center extension failed to install on SRV01.')?.provisioningState, 'Failed');
    assert.equal(adminCenterStatement('Failed to install Windows Admin Center: timeout')?.provisioningState, 'Failed');
    assert.equal(adminCenterStatement('The WAC extension installed fine.'), undefined);
  });

  it('registration states as Azure Local prints them', () => {
    assert.deepEqual(registrationStatements('AgentConnectedStatus: Disconnected, HimdsServiceStatus: Stopped'), { agentStatus: 'Disconnected', services: [{ name: 'himds', state: 'stopped' }] });
    assert.equal(registrationStatements('Status: fine'), undefined);
  });

  it('STATEMENT_HINT admits every line a statement reads, in any case and spacing the statement takes', () => {
    const statements: Array<[string, (line: string) => unknown]> = [
      ['os', osStatement], ['memory', memoryStatement], ['admin center', adminCenterStatement],
      ['version', agentVersionStatement], ['state', agentStateStatement], ['registration', registrationStatements],
      ['config', configStatement], ['private', (l) => (privateEndpointStatements(l).length > 0 ? true : undefined)],
      ['service start', serviceStartStatement], ['memory in words', memoryProseStatement], ['cloud', cloudStatement],
    ];
    const lines = [
      'This is the error I get on all windows 2012 R2 hosts', 'the WS12R2 file servers', 'our Win8 servers', 'W2K16 hosts',
      'The Arc machine runs Windows 10 Enterprise', 'the node runs Azure Local 23H2', 'on Azure Stack HCI',
      'Total Physical Memory: 16,383 MB', 'Total physical memory: 16000548 kB', 'TOTAL PHYSICAL MEMORY = 8 GB',
      'Extension Version: Microsoft.AdminCenter.AdminCenter 0.85.0.0', 'the adminCenter extension v0.86.0.0 is installed',
      'reporting WACInstallFailed', 'Failed to retrieve certificate from key vault', 'wac_service_not_reachable',
      '(ExtensionOperationFailed) Extension AdminCenter failed: Enable failed', 'The Windows Admin Center extension failed to install',
      'Failed to install WAC: timeout', 'Our servers run agent version 1.35', 'INFO local version is 1.33.02399.1041',
      'we upgraded the agent to 1.40', 'updated agent to 1.41.0', 'Agent is not connected', 'Agent not connected',
      'Arc Agent connected', 'AGENT IS CONNECTED', "Expected 'Connected', but got $null.", 'EXPECTED CONNECTED,  BUT  GOT Expired',
      'AgentConnectedStatus: Disconnected, HimdsServiceStatus: Stopped', 'ArcAgentStatus = Expired',
      'Agent Version is now 1.35.2473.1323', 'azcmagent config set proxy.url http://10.0.0.5:3128', 'AZCMAGENT CONFIG CLEAR proxy.url',
      'found private endpoint gbl.his.arc.azure.com', 'as endpoint westeurope.his.arc.azure.com is configured private',
      "Service 'Guest Configuration Extension service (ExtensionService)' cannot be started", "(himds)' cannot  be  started",
      'Connected Machine agent is 1.38', 'Arc agent (1.41)', 'Agent 1.60', 'azcmagent=1.52', 'hybrid agent is on 1.44', 'Setting up azcmagent (1.58.03228.700)',
      'a VM with 2 GB memory', '8GB RAM', 'RAM: 4 GB', 'memory is 1,5 GB', 'azcmagent connect --cloud AzureChinaCloud',
      'in Azure China 21Vianet', 'the subscription is in Azure Government', 'on the US Gov cloud',
    ];
    // Variants the statements read alike: letters' case flipped (where a statement ignores case) and spaces widened.
    const r = prng(1204);
    const variants = lines.flatMap((l) => [l, l.toUpperCase(), l.toLowerCase(),
      ...Array.from({ length: 8 }, () => [...l].map((c) => (r() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('').replace(/ /g, () => (r() < 0.3 ? '  ' : r() < 0.1 ? '\t' : ' ')))]);
    let read = 0;
    const missed: string[] = [];
    for (const line of variants) {
      const by = statements.filter(([, f]) => f(line) !== undefined).map(([name]) => name);
      if (by.length === 0) continue;
      read++;
      if (!STATEMENT_HINT.test(line)) missed.push(`${by.join(', ')}: ${line}`);
    }
    assert.deepEqual(missed, []);
    assert.ok(read > 150, `${read} lines read by a statement`);
  });

  it('statements the old case-sensitive hint let through unread become facts (a Linux onboarding transcript)', () => {
    const text = ['Onboarding log', 'Total physical memory: 16000548 kB', 'Agent not connected', 'ArcAgentStatus = Expired', 'we upgraded the agent to 1.40', ''].join('\n');
    const facts = scanLogText('onboard.txt', text, 'pasted', 'text').observations.map((o) => [o.name, o.value]);
    assert.deepEqual(facts.filter(([n]) => n === 'memory.totalBytes'), [['memory.totalBytes', 16000548 * 1024]]);
    assert.deepEqual(facts.filter(([n]) => n === 'agent.version'), [['agent.version', '1.40']]);
    assert.deepEqual(facts.filter(([n]) => n === 'agent.status').map(([, v]) => v), ['Disconnected', 'Expired']);
  });

  it('a ticket\'s typed config commands and private endpoints become facts; the commands are marked as stated', () => {
    const text = [
      'We set the proxy with azcmagent config set proxy.url http://10.0.0.5:3128 and later cleared it:',
      'azcmagent config clear proxy.url',
      'Ports: azcmagent config set incomingconnections.ports 22',
      'No indication of Private Link Scope but found private endpoint agentserviceapi.guestconfiguration.azure.com',
      '',
    ].join('\n');
    const obs = scanLogText('ticket.txt', text, 'pasted', 'text').observations;
    const byName = new Map(obs.map((o) => [o.name, o]));
    assert.equal(byName.get('config.proxyUrl')?.value, '', 'the later clear wins');
    assert.deepEqual(byName.get('config.incomingConnectionsPorts')?.value, [22]);
    assert.equal(byName.get('config.incomingConnectionsPorts')?.evidence[0]?.prose, true);
    assert.equal(byName.get('config.incomingConnectionsPorts')?.evidence[0]?.line, 3);
    assert.deepEqual(byName.get('probe.agentserviceapi.guestconfiguration.azure.com')?.value, { host: 'agentserviceapi.guestconfiguration.azure.com', port: 443, private: true });
  });

  it('a failure of the WAC service named without a host is the *.waconazure.com family\'s', () => {
    const text = ['The WAC relay endpoint does not resolve (NXDOMAIN) from the server.', 'Console: net::ERR_NAME_NOT_RESOLVED', 'DNS NXDOMAIN for *.waconazure.com', ''].join('\n');
    const probes = scanLogText('ticket.txt', text, 'pasted', 'text').observations.filter((o) => o.name.startsWith('probe.'));
    assert.deepEqual(probes.map((o) => o.name), ['probe.*.waconazure.com']);
    assert.equal((probes[0]!.value as { layer?: string }).layer, 'dns');
    assert.deepEqual(probes[0]!.evidence.map((e) => e.line), [1, 3], 'the browser line names no endpoint: not attributed');
  });
});
