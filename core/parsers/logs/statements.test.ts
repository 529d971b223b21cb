import { strict as assert } from 'node:assert';
import { prng } from '../../../test/support/prng';
import { scanLogText } from './index';
import { adminCenterStatement, agentStateStatement, agentVersionStatement, memoryStatement, osStatement, registrationStatements, STATEMENT_HINT } from './statements';

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
});
