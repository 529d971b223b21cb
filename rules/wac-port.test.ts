import { strict as assert } from 'node:assert';
import { fixes } from '../core/catalog/fixes';
import rule from './wac-port';
import { fact, runRuleOn } from '../test/support/testing';

const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';
const reg = (smePort?: number) => fact('registry.serverManagementGateway', {
  present: true, values: smePort === undefined ? {} : { SmePort: String(smePort) }, ...(smePort === undefined ? {} : { smePort }),
});
const ext = (settingsPort?: number, version = '0.0.0.340') => fact('extension.adminCenter', { installed: true, version, ...(settingsPort === undefined ? {} : { settingsPort }) });

describe('rule wac-port', () => {
  it('passes when every source agrees and the port is allowed for incoming connections', () => {
    const f = runRuleOn(rule, fact('wac.port', { port: 6516, source: 'extension' }), ext(6516), reg(6516), fact('config.incomingConnectionsPorts', [22, 6516]));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The WAC port 6516 agrees across the AdminCenter extension settings (6516) and SmePort (6516), and is in incomingconnections.ports [22,6516].');
  });

  it('fails when SmePort disagrees with the extension settings, naming both', () => {
    const f = runRuleOn(rule, fact('wac.port', { port: 6516, source: 'extension' }), ext(6516), reg(443), fact('machine.resourceId', RID),
      fact('config.incomingConnectionsPorts', [443]));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'SmePort is 443 but the AdminCenter extension is configured for 6516: the gateway and the portal disagree about the WAC port.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      'az connectedmachine extension delete --name AdminCenter --machine-name \'srv01\' --resource-group \'rg-arc\' --subscription \'00000000-0000-0000-0000-000000000000\' --yes',
      'az connectedmachine extension create --name AdminCenter --publisher Microsoft.AdminCenter --type AdminCenter --machine-name \'srv01\' --resource-group \'rg-arc\' --subscription \'00000000-0000-0000-0000-000000000000\' --location \'<region>\' --settings \'port=6516\'',
      ...fixes.setWacServiceConfiguration('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01', 6516).commands.map((c) => c.command),
      'azcmagent config set incomingconnections.ports \'443,6516\'',
    ]);
  });

  it('fails when appsettings.json disagrees with the extension', () => {
    const f = runRuleOn(rule, fact('wac.port', { port: 6516, source: 'extension' }), ext(6516, '0.31.0.0'), fact('wac.appsettingsPort', 6600));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^appsettings\.json says 6600 but the AdminCenter extension is configured for 6516/);
  });

  it('passes an agreed port missing from incomingconnections.ports, pointing to incoming-ports (no double report)', () => {
    const f = runRuleOn(rule, fact('wac.port', { port: 443, source: 'SmePort' }), reg(443), fact('config.incomingConnectionsPorts', [22]));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The WAC port 443 comes from SmePort (it is missing from incomingconnections.ports [22]: see incoming-ports).');
    assert.equal(f.fix, undefined);
  });

  it('skips when no source states the port, even with other port facts', () => {
    for (const others of [[ext(undefined), fact('config.incomingConnectionsPorts', [6516])], [fact('config.incomingConnectionsPorts', [])]]) {
      const f = runRuleOn(rule, fact('wac.port', { port: 6516, source: 'default' }), ...others);
      assert.equal(f.status, 'skip');
      assert.match(f.message, /^No source states the WAC port .* 6516, the default, would only be a guess\. incoming-ports checks it/);
    }
  });

  it('skips when only --port states the port', () => {
    const f = runRuleOn(rule, fact('wac.port', { port: 8443, source: 'option' }), fact('config.incomingConnectionsPorts', [8443]));
    assert.equal(f.status, 'skip');
    assert.equal(f.message, 'Only --port states the WAC port (8443); there is nothing to compare it with.');
  });

  it('warns when the registry key is absent and the modern gateway is not installed', () => {
    const f = runRuleOn(rule, fact('wac.port', { port: 6516, source: 'extension' }), ext(6516),
      fact('registry.serverManagementGateway', { present: false, values: {} }), fact('service.windowsadmincenter', { name: 'WindowsAdminCenter', state: 'not_found' }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message,
      'The ServerManagementGateway registry key does not exist and the WindowsAdminCenter service does not exist: no gateway appears to be installed for port 6516.');
    assert.equal(f.fix!.commands.length, 6);
  });

  it('passes a modern gateway without the legacy key', () => {
    const f = runRuleOn(rule, fact('wac.port', { port: 6516, source: 'extension' }), ext(6516, '0.31.0.0'),
      fact('registry.serverManagementGateway', { present: false, values: {} }), fact('wac.appsettingsPort', 6516));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The WAC port 6516 agrees across the AdminCenter extension settings (6516) and appsettings.json (6516).');
  });

  it('skips in check when the port is only the default', () => {
    const f = runRuleOn(rule, fact('wac.port', { port: 6516, source: 'default' }));
    assert.equal(f.status, 'skip');
    assert.equal(f.message, 'No source states the WAC port (the extension settings, SmePort or appsettings.json); 6516, the default, would only be a guess. incoming-ports checks it against incomingconnections.ports.');
  });

  it('skips, naming what is missing, without wac.port', () => {
    const f = runRuleOn(rule, reg(6516));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['wac.port']);
  });
});
