import { strict as assert } from 'node:assert';
import { confirmationDetail, placeholders, resolveFix, terminalPlan } from './fixes';
import { TargetStore } from './store';
import { FAILED_SAMPLE, filesTarget } from './testing';

describe('extension fix commands', () => {
  const store = new TargetStore();
  const target = filesTarget(FAILED_SAMPLE);
  store.upsert(target);

  it('resolves commands only from a stored finding, by rule and index', () => {
    const all = resolveFix(store, { targetId: target.id, ruleId: 'agent-version' })!;
    assert.equal(all.commands.length, 2);
    assert.deepEqual(resolveFix(store, { targetId: target.id, ruleId: 'agent-version', commandIndex: 1 })!.commands, [all.commands[1]]);
    assert.equal(resolveFix(store, { targetId: target.id, ruleId: 'agent-version', commandIndex: 5 }), undefined);
    assert.equal(resolveFix(store, { targetId: target.id, ruleId: 'agent-status' }), undefined, 'a passing rule has no fix');
    assert.equal(resolveFix(store, { targetId: 'files:elsewhere', ruleId: 'agent-version' }), undefined);
  });

  it('finds placeholders the user must fill in', () => {
    assert.deepEqual(placeholders('az connectedmachine extension create --machine-name <machine-name> --resource-group <resource-group> --settings \'{"port":"6516"}\''), ['<machine-name>', '<resource-group>']);
    assert.deepEqual(placeholders('msiexec.exe /i AzureConnectedMachineAgent.msi /qn /l*v installationlog.txt'), []);
  });

  it('plans the shell per platform and refuses what cannot run here', () => {
    const ps = { shell: 'powershell' as const, command: 'Start-Service -Name WindowsAdminCenter' };
    assert.deepEqual(terminalPlan(ps, 'win32', false), { ok: true, shellPath: 'powershell.exe', shellLabel: 'Windows PowerShell', execute: true, placeholders: [] });
    assert.equal(terminalPlan(ps, 'linux', true).ok && (terminalPlan(ps, 'linux', true) as { shellPath?: string }).shellPath, 'pwsh');
    assert.equal(terminalPlan(ps, 'linux', false).ok, false);
    assert.equal(terminalPlan({ shell: 'bash', command: 'sudo systemctl start himdsd' }, 'win32', false).ok, false);
    const az = terminalPlan({ shell: 'azcli', command: 'az role assignment create --assignee <user-or-group>' }, 'linux', false);
    assert.ok(az.ok && !az.execute && az.placeholders[0] === '<user-or-group>', 'placeholders: typed, not run');
  });

  it('shows the exact command first in the confirmation', () => {
    const fix = resolveFix(store, { targetId: target.id, ruleId: 'wac-service' })!;
    const plan = terminalPlan(fix.commands[0]!, 'win32', false);
    assert.ok(plan.ok);
    const detail = confirmationDetail(fix, fix.commands[0]!, plan);
    assert.equal(detail.split('\n')[0], 'Start-Service -Name WindowsAdminCenter');
    assert.match(detail, /Windows PowerShell/);
  });
});
