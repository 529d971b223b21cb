import { strict as assert } from 'node:assert';
import { MEMO_MAX, NOTHING_MAX, NOTHING, PlanMemo, rememberNothing, rememberPlan } from './plan-memo';

describe('plan memo bounds', () => {
  it('keeps up to NOTHING_MAX keys of records that say nothing, then starts again (more than the plans it keeps)', () => {
    const t = new PlanMemo().tablesFor('bundle', 'gc-log');
    for (let i = 0; i < NOTHING_MAX; i++) rememberNothing(t, `took ${i} ms`);
    assert.equal(t.nothing.size, NOTHING_MAX);
    assert.ok(t.nothing.has('took 0 ms') && t.nothing.has(`took ${NOTHING_MAX - 1} ms`));
    rememberNothing(t, 'one more');
    assert.deepEqual([...t.nothing], ['one more']);
    assert.ok(NOTHING_MAX > MEMO_MAX);
  });

  it('keeps up to MEMO_MAX plans, then starts again, with their address keys', () => {
    const t = new PlanMemo().tablesFor('bundle', 'agent-log');
    for (let i = 0; i < MEMO_MAX; i++) rememberPlan(t, `key ${i}`, NOTHING, { key: `blank ${i}`, ips: ['1.2.3.4'] });
    assert.equal(t.plans.size, MEMO_MAX);
    assert.equal(t.byAddress.size, MEMO_MAX);
    rememberPlan(t, 'one more', NOTHING);
    assert.deepEqual([...t.plans.keys()], ['one more']);
    assert.equal(t.byAddress.size, 0);
  });
});
