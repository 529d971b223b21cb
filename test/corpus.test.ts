import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreCase } from '../scripts/corpus';

/** The project's own real-shaped samples, one per class of input, scored by the same code as `npm run corpus`. */
const DIR = join(__dirname, '..', 'fixtures', 'real-world');
const { cases } = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as { cases: Array<{ file: string; fail?: string[]; notFail?: string[] }> };

describe('real-world classes (fixtures/real-world, scored like npm run corpus)', function () {
  this.timeout(60_000);
  for (const c of cases) {
    it(`${c.file}: ${c.fail?.length ? `finds ${c.fail.join(' or ')}` : 'no false alarm'}`, () => {
      const s = scoreCase(c, DIR);
      assert.equal(s.crashed, false, s.detail);
      if (c.fail?.length) assert.equal(s.found, true, `expected ${c.fail.join('|')}: ${s.detail}`);
      assert.deepEqual(s.falseAlarms, [], s.detail);
    });
  }
});
