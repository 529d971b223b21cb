import { strict as assert } from 'node:assert';
import { adminCenterStatement, agentVersionStatement, memoryStatement, osStatement, registrationStatements } from './statements';

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
    assert.match(failed!.statusMessage!, /WACInstallFailed/);
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
});
