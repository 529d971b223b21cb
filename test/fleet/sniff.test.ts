/**
 * Sorting a large export: only its head is read. Bytes read are counted by the kernel (/proc/self/io rchar: every
 * read of the process, whatever the API), so the test holds for any way the sniffers read; Linux only.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sniffFleetStream } from '../../core/fleet/sniff';
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

  it('sniffs standard input from its head and puts the head back: the next reader gets every byte', async function () {
    const big = join(fx.dir, 'big-stdin.json');
    await generateFleetFile(big, 200);
    const cases: Array<[name: string, bytes: Buffer, fleet: boolean]> = [
      ['small export', readFileSync(fx.file('query-az.json')), true],
      ['large export', readFileSync(big), true],
      ['plain rows', readFileSync(fx.file('plain-array.json')), true],
      ['command output', Buffer.from('Agent Status : Connected\r\nAgent Version : 1.50\r\n'), false],
      ['empty', Buffer.alloc(0), false],
    ];
    for (const [name, bytes, fleet] of cases) {
      for (const size of [1000, 16 * 1024, 1 << 20]) {
        // Chunks as a pipe delivers them, in a Readable in byte mode (as process.stdin).
        const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
        const stream = new Readable({ read() { this.push(chunks.shift() ?? null); } });
        assert.equal(await sniffFleetStream(stream), fleet, `${name}, chunks of ${size}`);
        const after: Buffer[] = [];
        for await (const c of stream) after.push(c as Buffer);
        assert.ok(Buffer.concat(after).equals(bytes), `${name}, chunks of ${size}: the stream is whole after the sniff`);
      }
    }
  });
});
