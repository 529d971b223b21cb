import { strict as assert } from 'node:assert';
import rule from './wac-service';
import type { ServiceState } from '../core/model/facts';
import { fact, runRuleOn } from '../test/support/testing';

const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';
const legacy = (state: ServiceState, startType?: string) =>
  fact('service.servermanagementgateway', { name: 'ServerManagementGateway', state, ...(startType ? { startType } : {}) });
const modern = (state: ServiceState) => fact('service.windowsadmincenter', { name: 'WindowsAdminCenter', state });
const account = (state: ServiceState) => fact('service.windowsadmincenteraccountmanagement', { name: 'WindowsAdminCenterAccountManagement', state });

describe('rule wac-service', () => {
  it('passes when the legacy gateway runs', () => {
    const f = runRuleOn(rule, legacy('running', 'automatic'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'ServerManagementGateway (legacy gateway, Sme.exe) is running.');
  });

  it('passes when the modern gateway runs, mentioning the others', () => {
    const f = runRuleOn(rule, modern('running'), legacy('not_found'), account('running'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'WindowsAdminCenter (modernized gateway) is running. WindowsAdminCenterAccountManagement is running.');
  });

  it('passes when WindowsAdminCenterAccountManagement is stopped beside the modern gateway (it is demand-start)', () => {
    const f = runRuleOn(rule, modern('running'), account('stopped'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'WindowsAdminCenter (modernized gateway) is running. WindowsAdminCenterAccountManagement is stopped (demand-start: it starts when needed, so stopped is normal).');
    assert.equal(f.fix, undefined);
  });

  it('warns when WindowsAdminCenterAccountManagement is disabled, and sets it back to Manual', () => {
    const f = runRuleOn(rule, modern('running'),
      fact('service.windowsadmincenteraccountmanagement', { name: 'WindowsAdminCenterAccountManagement', state: 'stopped', startType: 'disabled' }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'WindowsAdminCenter (modernized gateway) is running, but WindowsAdminCenterAccountManagement is stopped, start type disabled: it is demand-start and cannot start when needed while disabled.');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Set-Service -Name \'WindowsAdminCenterAccountManagement\' -StartupType Manual' }]);
  });

  it('fails when the installed gateway is stopped, and starts that one', () => {
    const f = runRuleOn(rule, legacy('stopped', 'automatic'), modern('not_found'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The WAC gateway service is not running: ServerManagementGateway is stopped, start type automatic.');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Start-Service -Name \'ServerManagementGateway\'' }]);
  });

  it('fails on a disabled gateway with a fix that re-enables it', () => {
    const f = runRuleOn(rule, legacy('stopped', 'disabled'));
    assert.equal(f.status, 'fail');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ['Set-Service -Name \'ServerManagementGateway\' -StartupType Automatic', 'Start-Service -Name \'ServerManagementGateway\'']);
  });

  it('prefers the modern gateway when both are installed and stopped', () => {
    const f = runRuleOn(rule, legacy('stopped'), modern('stopped'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The WAC gateway service is not running: WindowsAdminCenter is stopped; ServerManagementGateway is stopped.');
    assert.equal(f.fix!.commands[0]!.command, 'Start-Service -Name \'WindowsAdminCenter\'');
  });

  it('fails when no gateway service is installed, reinstalling the extension on the WAC port', () => {
    const f = runRuleOn(rule, legacy('not_found'), modern('not_found'), fact('machine.resourceId', RID), fact('wac.port', { port: 443, source: 'extension' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'No WAC gateway service installed: neither ServerManagementGateway nor WindowsAdminCenter exists on the machine.');
    assert.match(f.fix!.commands[0]!.command, /^az connectedmachine extension delete --name AdminCenter --machine-name 'srv01' --resource-group 'rg-arc'/);
    assert.match(f.fix!.commands[1]!.command, /--settings 'port=443'$/);
  });

  it('warns while the gateway is starting', () => {
    const f = runRuleOn(rule, modern('start_pending'));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /WindowsAdminCenter is start pending/);
  });

  it('skips in check when the only service queried is absent', () => {
    const f = runRuleOn(rule, legacy('not_found'));
    assert.equal(f.status, 'skip');
    assert.equal(f.message, 'ServerManagementGateway is not installed and the state of WindowsAdminCenter wasn\'t provided (sc query WindowsAdminCenter), so the gateway service could not be judged.');
  });

  it('skips, naming the services, without either service fact', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.45.0'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['service.servermanagementgateway | service.windowsadmincenter | log.signatures']);
    assert.match(f.message, /sc query/);
  });

  it('fails when WinRM, which the modern gateway depends on, is stopped or disabled', () => {
    const winrm = (state: ServiceState, startType?: string) => fact('service.winrm', { name: 'WinRM', state, ...(startType ? { startType } : {}) });
    const f = runRuleOn(rule, modern('running'), winrm('stopped', 'automatic'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'WinRM is stopped, start type automatic, and WindowsAdminCenter (modernized gateway) depends on it (WindowsAdminCenter is running): start WinRM.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ["Start-Service -Name 'WinRM'"]);
    const both = runRuleOn(rule, modern('stopped'), winrm('stopped', 'disabled'));
    assert.equal(both.status, 'fail');
    assert.deepEqual(both.fix!.commands.map((c) => c.command), ["Set-Service -Name 'WinRM' -StartupType Automatic", "Start-Service -Name 'WinRM'", "Start-Service -Name 'WindowsAdminCenter'"]);
    // Running WinRM, or the legacy gateway (which does not depend on it): no WinRM finding.
    assert.equal(runRuleOn(rule, modern('running'), winrm('running')).status, 'pass');
    assert.equal(runRuleOn(rule, legacy('running'), winrm('stopped')).status, 'pass');
  });
});
