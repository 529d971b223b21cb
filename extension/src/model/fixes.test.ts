import { strict as assert } from 'node:assert';
import { confirmationDetail, copyText, placeholders, resolveFix, terminalPlan } from './fixes';
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
    // Quoted placeholders (as the catalog writes them) and ones inside a value.
    assert.deepEqual(placeholders("az connectedmachine extension update --machine-name '<machine-name>' --settings 'proxy={mode:application,address:''<http://proxy-host:port>''}'"), ['<machine-name>', '<http://proxy-host:port>']);
    assert.deepEqual(placeholders('msiexec.exe /i AzureConnectedMachineAgent.msi /qn /l*v installationlog.txt'), []);
  });

  it('plans the shell per platform and refuses what cannot run here', () => {
    const ps = { shell: 'powershell' as const, command: 'Start-Service -Name WindowsAdminCenter' };
    assert.deepEqual(terminalPlan(ps, 'win32', false), { ok: true, shellPath: 'powershell.exe', shellLabel: 'Windows PowerShell', execute: true, placeholders: [] });
    assert.equal(terminalPlan(ps, 'linux', true).ok && (terminalPlan(ps, 'linux', true) as { shellPath?: string }).shellPath, 'pwsh');
    assert.equal(terminalPlan(ps, 'linux', false).ok, false);
    assert.equal(terminalPlan({ shell: 'bash', command: 'sudo systemctl start himdsd' }, 'win32', false).ok, false);
    const az = terminalPlan({ shell: 'azcli', command: "az role assignment create --assignee '<user-or-group>'" }, 'linux', true);
    assert.ok(az.ok && !az.execute && az.placeholders[0] === '<user-or-group>', 'placeholders: typed, not run');
  });

  it('runs az commands in PowerShell (they are quoted for it), never in the default shell', () => {
    const az = { shell: 'azcli' as const, command: "az provider register --namespace 'Microsoft.HybridCompute'" };
    assert.deepEqual(terminalPlan(az, 'win32', false), { ok: true, shellPath: 'powershell.exe', shellLabel: 'Windows PowerShell (needs the Azure CLI, signed in)', execute: true, placeholders: [] });
    const linux = terminalPlan(az, 'linux', true);
    assert.ok(linux.ok && linux.shellPath === 'pwsh');
    const none = terminalPlan(az, 'darwin', false);
    assert.ok(!none.ok && /written for PowerShell/.test(none.reason));
  });

  it('copies through the one redactor, and never runs a command that carries a secret', () => {
    const leaky = { shell: 'powershell' as const, command: 'azcmagent config set proxy.url http://svc:S3cr3t@proxy.contoso.com:8080' };
    assert.equal(copyText([leaky], true), 'azcmagent config set proxy.url http://***@proxy.contoso.com:8080');
    assert.equal(copyText([leaky], false), leaky.command);
    const plan = terminalPlan(leaky, 'win32', false);
    assert.ok(!plan.ok && /looks like a secret/.test(plan.reason));
    const fix = resolveFix(store, { targetId: target.id, ruleId: 'agent-version' })!;
    assert.equal(copyText(fix.commands, true), fix.commands.map((c) => c.command).join('\n'), 'catalog commands are unchanged');
  });

  it('shows the exact command first in the confirmation', () => {
    const fix = resolveFix(store, { targetId: target.id, ruleId: 'wac-service' })!;
    const plan = terminalPlan(fix.commands[0]!, 'win32', false);
    assert.ok(plan.ok);
    const detail = confirmationDetail(fix, fix.commands[0]!, plan);
    assert.equal(detail.split('\n')[0], "Start-Service -Name 'WindowsAdminCenter'");
    assert.match(detail, /Windows PowerShell/);
  });
});
