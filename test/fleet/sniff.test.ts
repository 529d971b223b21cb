/**
 * Sorting a large export: only its head is read. Bytes read are counted by the kernel (/proc/self/io rchar: every
 * read of the process, whatever the API), so the test holds for any way the sniffers read; Linux only.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { classifyInput } from '../../core/sources/targets';
import { generateFleetFile } from '../../scripts/fleet-fixtures';
import { fixtureDir } from './support';

const PROC_IO = '/proc/self/io';
const rchar = (): number => Number(/^rchar: (\d+)$/m.exec(readFileSync(PROC_IO, 'latin1'))![1]);

describe('fleet export sniffing', function () {
  this.timeout(60000);
  const fx = fixtureDir();
  after(fx.cleanup);

  it('classifies a large az graph query export from its head, without reading it whole', async function () {
    if (!existsSync(PROC_IO)) this.skip();
    const big = join(fx.dir, 'big-export.json');
    await generateFleetFile(big, 3000);
    const size = statSync(big).size;
    assert.ok(size > 4 * 1024 * 1024, `export of ${size} bytes`);
    // Warm up: modules the classifier loads on first call are read before the count starts.
    assert.equal(await classifyInput(fx.file('query-az.json')), 'fleet');
    const before = rchar();
    assert.equal(await classifyInput(big), 'fleet');
    const read = rchar() - before;
    assert.ok(read < 256 * 1024, `classifyInput read ${read} bytes of a ${size}-byte export (bound 256 KiB)`);
  });
});
