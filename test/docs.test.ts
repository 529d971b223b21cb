import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { staleDocs } from '../scripts/generate-docs';
import { RULES } from '../rules';

const ROOT = join(__dirname, '..');

describe('generated docs', () => {
  it('docs/rules/*.md and the README rule table match the rules metadata (npm run docs)', () => {
    assert.deepEqual(staleDocs(ROOT), []);
  });

  it('every rule has a test beside it, references and a real description', () => {
    for (const r of RULES) {
      assert.ok(readFileSync(join(ROOT, 'rules', `${r.meta.id}.test.ts`), 'utf8').length > 0, r.meta.id);
      assert.ok(r.meta.references.length > 0, `${r.meta.id}: references`);
      assert.ok(r.meta.description.length > 80, `${r.meta.id}: description`);
    }
  });

  it('the README starts with the install-and-run and the test commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```bash\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
    assert.match(block[0]!, /^npm install && npx --no-install wac-doctor analyze fixtures\/samples\//);
    assert.equal(block[1], 'npm test');
    assert.match(readFileSync(join(ROOT, '.ci', 'run'), 'utf8'), /^npm test$/m);
  });
});
