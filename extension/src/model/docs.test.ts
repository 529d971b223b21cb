import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../../rules';
import { bundledDocPath } from './docs';

describe('extension: bundled rule docs (issue 9 item 17)', () => {
  it('every rule has a doc esbuild.js copies into dist/docs/rules; a hostile id has no path', () => {
    for (const r of RULES) {
      const p = bundledDocPath(r.meta.id)!;
      assert.deepEqual(p.slice(0, 3), ['dist', 'docs', 'rules']);
      assert.ok(existsSync(join(__dirname, '..', '..', '..', 'docs', 'rules', p[3]!)), r.meta.id);
    }
    for (const bad of ['../../package', 'a/b', '', 'x.md']) assert.equal(bundledDocPath(bad), undefined, bad);
  });
});
