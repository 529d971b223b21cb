import { strict as assert } from 'node:assert';
import rule from './wac-existing-install';
import { fact, runRuleOn } from '../test/support/testing';

const regPresent = fact('registry.serverManagementGateway', { present: true, values: { SmePort: '443' }, smePort: 443 });

describe('rule wac-existing-install', () => {
  it('passes when the AdminCenter extension owns the gateway', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.31.0.0' }), regPresent);
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The AdminCenter extension 0.31.0.0 is installed, so the WAC gateway on the machine belongs to it.');
  });

  it('passes when the extension list includes AdminCenter', () => {
    const f = runRuleOn(rule, fact('extension.installed', ['Microsoft.Azure.Monitor.AzureMonitorWindowsAgent', 'Microsoft.AdminCenter.AdminCenter']), regPresent);
    assert.equal(f.status, 'pass');
  });

  it('warns when a manually installed gateway exists without the extension', () => {
    const f = runRuleOn(rule, fact('extension.installed', ['Microsoft.Azure.Monitor.AzureMonitorWindowsAgent']), regPresent,
      fact('service.servermanagementgateway', { name: 'ServerManagementGateway', state: 'running' }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message,
      'A manually installed Windows Admin Center is present (the ServerManagementGateway registry key exists (SmePort 443); the ServerManagementGateway service is running) and the installed extensions (Microsoft.Azure.Monitor.AzureMonitorWindowsAgent) don\'t include AdminCenter. Installing WAC in the portal replaces it and removes its ability to manage other machines.');
    assert.equal(f.fix!.commands.length, 0);
    assert.match(f.fix!.summary, /move that role to another server/);
  });

  it('warns on a standalone modern gateway service', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: false }), fact('service.windowsadmincenter', { name: 'WindowsAdminCenter', state: 'stopped' }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /\(the WindowsAdminCenter service is stopped\) and the AdminCenter extension is not installed/);
  });

  it('passes when no gateway exists', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: false }),
      fact('registry.serverManagementGateway', { present: false, values: {} }),
      fact('service.servermanagementgateway', { name: 'ServerManagementGateway', state: 'not_found' }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'No manually installed Windows Admin Center gateway was found, and the AdminCenter extension is not installed.');
  });

  it('skips in check when nothing says whether a gateway exists', () => {
    const f = runRuleOn(rule, fact('extension.installed', []));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /^The installed extensions \(none\) don't include AdminCenter, and nothing says whether a manually installed gateway exists/);
  });

  it('skips, naming the extension inputs, without them', () => {
    const f = runRuleOn(rule, regPresent);
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['extension.adminCenter | extension.installed']);
    assert.match(f.message, /az connectedmachine extension list/);
  });
});
