import { strict as assert } from 'node:assert';
import rule, { formatAge } from './agent-status';
import { fact, runRuleOn } from '../test/support/testing';
import { analyzeFiles } from '../core/sources/pasted';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// TEST_NOW is 2026-11-26T12:00:00Z.
const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';

describe('rule agent-status', () => {
  it('passes when Connected with a recent heartbeat, giving its age', () => {
    const f = runRuleOn(rule, fact('agent.status', 'Connected'), fact('agent.lastHeartbeat', '2026-11-26T11:57:00Z'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Agent status is Connected (last heartbeat 2026-11-26T11:57:00Z, 3 min before the report time).');
  });

  it('passes when Connected without a heartbeat', () => {
    const f = runRuleOn(rule, fact('agent.status', 'Connected'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Agent status is Connected.');
  });

  it('warns when Connected but the heartbeat is older than 30 minutes', () => {
    const f = runRuleOn(rule, fact('agent.status', 'Connected'), fact('agent.lastHeartbeat', '2026-11-26T09:55:00Z'), fact('machine.resourceId', RID));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'Agent status is Connected, but the last heartbeat 2026-11-26T09:55:00Z is 2 h 5 min before the report time; the agent heartbeats every 5 minutes, so either this output is old or the agent has stopped heartbeating (Azure then shows it Disconnected).');
    assert.match(f.fix!.commands[2]!.command, /--resource-group 'rg-arc' /);
  });

  it('fails when Disconnected, with the reconnect fix built from the resource id', () => {
    const f = runRuleOn(rule, fact('agent.status', 'Disconnected'), fact('agent.lastHeartbeat', '2026-11-20T12:00:00Z'), fact('machine.resourceId', RID));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Agent status is Disconnected (last heartbeat 2026-11-20T12:00:00Z, 6 days before the report time): Azure has had no heartbeat for 15-30 minutes or more, so Windows Admin Center cannot reach the machine.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      'Restart-Service -Name \'himds\'',
      'azcmagent check',
      'azcmagent disconnect; azcmagent connect --resource-group \'rg-arc\' --location \'<region>\' --subscription-id \'00000000-0000-0000-0000-000000000000\'',
    ]);
  });

  it('fails when Expired, keeping placeholders without a resource id', () => {
    const f = runRuleOn(rule, fact('agent.status', 'Expired'));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^Agent status is Expired: /);
    assert.match(f.fix!.commands[2]!.command, /--resource-group '<resource-group>'/);
  });

  it('warns on an undocumented status and on an unreadable heartbeat', () => {
    const f = runRuleOn(rule, fact('agent.status', 'Pending'));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'Agent status is "Pending", not one of Connected, Disconnected or Expired.');
    const g = runRuleOn(rule, fact('agent.status', 'Connected'), fact('agent.lastHeartbeat', 'yesterday'));
    assert.equal(g.status, 'pass');
    assert.match(g.message, /"yesterday" is not a readable time/);
  });

  it('formats ages', () => {
    assert.equal(formatAge(59_000), '0 min');
    assert.equal(formatAge(60 * 60_000), '1 h');
    assert.equal(formatAge(3 * 24 * 60 * 60_000), '3 days');
  });

  it('skips without the agent status', () => {
    const f = runRuleOn(rule, fact('agent.lastHeartbeat', '2026-11-26T11:57:00Z'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['agent.status']);
  });
});

describe('rule agent-status: the report time of pasted outputs (issue 9 item 10)', () => {
  it('says "the newest time the inputs state", never "0 min before the report time" a week later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-ux-agent-status-'));
    try {
      const show = join(dir, 'show.txt');
      writeFileSync(show, 'Agent Status                            : Connected\nAgent Last Heartbeat                    : 2026-11-19T12:00:00Z\n');
      const report = await analyzeFiles([show], { rules: [rule], now: new Date('2026-11-26T12:00:00Z') });
      const f = report.results[0]!;
      assert.equal(f.status, 'pass', f.message);
      assert.doesNotMatch(f.message, /0 min before/);
      assert.match(f.message, /last heartbeat 2026-11-19T12:00:00Z, the newest time the inputs state\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
