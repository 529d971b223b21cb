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
