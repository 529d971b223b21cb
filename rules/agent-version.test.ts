import { strict as assert } from 'node:assert';
import rule from './agent-version';
import { fact, runRuleOn, storeWith } from '../test/support/testing';
import { runRule } from '../core/engine/run';

const WINDOWS_UPGRADE = [
  'Invoke-WebRequest -Uri https://aka.ms/AzureConnectedMachineAgent -OutFile AzureConnectedMachineAgent.msi',
  'msiexec.exe /i AzureConnectedMachineAgent.msi /qn /l*v installationlog.txt',
];

describe('rule agent-version', () => {
  it('passes on the newest release in the table', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.67.03504.3207'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Agent 1.67.03504.3207 is the newest known release (1.67, table as of 2026-08).');
    assert.equal(f.fix, undefined);
  });

  it('passes on a version newer than the table, naming the table date', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.70.03600.3300'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, "Agent 1.70.03600.3300 is newer than the newest release in WAC Doctor's table (1.67, table as of 2026-08).");
  });

  it('warns when behind but within a year, saying how far', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.60.03293.2680'));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'Agent 1.60.03293.2680: 1.60 is 7 releases / 7 months behind 1.67 (table as of 2026-08); it is still within the 12-month support window, but upgrading picks up WAC and connectivity fixes.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), WINDOWS_UPGRADE);
  });

  it('fails when released more than 12 months before the newest release', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.45.02669.1635'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Agent 1.45.02669.1635: 1.45 is 22 releases / 24 months behind 1.67 (table as of 2026-08); only agents released in the last 12 months are supported, so this one is out of support.');
  });

  it('suggests azcmagent upgrade from 1.62 on, on Windows and Linux', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.64.03414.2961'));
    assert.equal(f.status, 'warn');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'azcmagent upgrade' }]);
    const linux = runRuleOn(rule, fact('agent.version', '1.62.03350.900'), fact('os', { platform: 'linux' }));
    assert.deepEqual(linux.fix!.commands, [{ shell: 'bash', command: 'sudo azcmagent upgrade' }]);
    assert.deepEqual(runRuleOn(rule, fact('agent.version', '1.61.03310.2719')).fix!.commands.map((c) => c.command), WINDOWS_UPGRADE);
  });

  it('marks a release month that is still approximate', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.52.03000.1000'));
    assert.match(f.message, /\(the 1\.52 release month 2025-05 is approximate\)/);
  });

  it('says the release table may be out of date more than six months after its date', () => {
    const late = runRule(rule, storeWith(fact('agent.version', '1.67.03504.3207')), { now: new Date('2027-03-02T00:00:00Z') });
    assert.equal(late.status, 'pass');
    assert.equal(late.message, "Agent 1.67.03504.3207 is the newest known release (1.67, table as of 2026-08). WAC Doctor's release table is from 2026-08, more than 6 months before this report (2027-03): newer agent releases may exist, so this verdict may be out of date.");
    const onTime = runRule(rule, storeWith(fact('agent.version', '1.67.03504.3207')), { now: new Date('2027-02-20T00:00:00Z') });
    assert.doesNotMatch(onTime.message, /out of date/);
    const failing = runRule(rule, storeWith(fact('agent.version', '1.36.02345.678')), { now: new Date('2028-01-01T00:00:00Z') });
    assert.equal(failing.status, 'fail');
    assert.match(failing.message, /newer agent releases may exist/);
  });

  it('fails on 1.35 and 1.36, which break WAC', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.36.02345.678'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Agent 1.36.02345.678 is a release known to break WAC (1.35 and 1.36); upgrade to 1.37 or later.');
    assert.equal(runRuleOn(rule, fact('agent.version', '1.35.02478.1194')).status, 'fail');
  });

  it('fails below 1.13.21320.014, comparing per component', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.13.21319.999'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Agent 1.13.21319.999 is older than 1.13.21320.014, the minimum Windows Admin Center needs; upgrade to the latest release.');
    assert.notEqual(runRuleOn(rule, fact('agent.version', '1.13.21320.14')).message, f.message);
  });

  it('uses the Linux upgrade commands when the OS is Linux', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.36.02345.678'), fact('os', { platform: 'linux', name: 'Ubuntu 22.04.4 LTS' }));
    assert.match(f.fix!.commands[0]!.command, /apt-get install --only-upgrade -y azcmagent/);
    assert.equal(f.fix!.commands[0]!.shell, 'bash');
  });

  it('warns on a version that is not a version number', () => {
    const f = runRuleOn(rule, fact('agent.version', 'unknown'));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'Agent version "unknown" is not a version number, so it could not be checked against the WAC minimum (1.13.21320.014) and the known-bad releases.');
  });

  it('skips without the agent version', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'windows' }));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['agent.version']);
    assert.match(f.message, /azcmagent show/);
  });
});
