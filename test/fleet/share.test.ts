/** A held fleet's reports share their equal strings (core/fleet/share): nothing in a report changes by it. */
import assert from 'node:assert/strict';
import { analyzeFleet } from '../../core/fleet/analyze';
import { StringPool } from '../../core/fleet/share';
import type { Report } from '../../core/model/report';
import { RULES } from '../../rules';
import { fixtureDir } from './support';

describe('fleet string sharing', function () {
  const fx = fixtureDir();
  after(fx.cleanup);

  it('held reports are exactly the reports handed to onReport', async function () {
    const pages = [fx.file('query-az.json'), fx.file('plain-az.json')];
    const held = await analyzeFleet(pages, { rules: RULES });
    const streamed: Report[] = [];
    await analyzeFleet(pages, { rules: RULES, onReport: (r) => { streamed.push(r); } });
    const timeless = (r: Report): unknown => ({ ...r, generatedAt: '' });
    assert.ok(held.reports.length >= 11);
    assert.deepEqual(held.reports.map(timeless), streamed.map(timeless));
  });

  it('a finding with nothing of its machine (no evidence, no fix) is one frozen object for every machine; the rest stay each machine\'s', async function () {
    const { reports } = await analyzeFleet([fx.file('query-az.json')], { rules: RULES });
    const [a, b] = [reports[0]!, reports[1]!];
    const sharedA = a.results.filter((f) => f.evidence.length === 0 && !f.fix);
    assert.ok(sharedA.length >= 5, `findings without evidence: ${sharedA.length}`);
    let same = 0;
    for (const f of sharedA) {
      assert.ok(Object.isFrozen(f) && Object.isFrozen(f.evidence), f.ruleId);
      const other = b.results.find((g) => g.ruleId === f.ruleId)!;
      if (JSON.stringify(other) === JSON.stringify(f)) {
        assert.equal(other, f, `${f.ruleId}: one object`);
        same++;
      }
    }
    assert.ok(same >= 3);
    for (const f of a.results.filter((g) => g.evidence.length > 0)) assert.ok(!Object.isFrozen(f), `${f.ruleId}: the machine's own`);
    assert.throws(() => { (sharedA[0] as { message: string }).message = 'changed'; }, TypeError, 'a change fails loudly');
  });

  it('walks objects and arrays in place, leaves frozen objects and any value that is not a string as they are', function () {
    const frozen = Object.freeze({ title: 'constant' });
    const a = { message: `a${'b'.repeat(3)}`, list: ['x', 1, null, { deep: 'y' }], frozen, n: 3, none: undefined, evidence: [{ excerpt: 'row 1' }] };
    const b = structuredClone({ ...a, frozen: { title: 'constant' } });
    const pool = new StringPool();
    assert.equal(pool.share(a), a);
    pool.share(b);
    assert.deepEqual({ ...a, frozen: { ...a.frozen } }, b);
    assert.equal(a.frozen, frozen);
    assert.deepEqual(a.list, ['x', 1, null, { deep: 'y' }]);
    // A cycle does not loop.
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    assert.equal(pool.share(cyclic), cyclic);
  });
});
