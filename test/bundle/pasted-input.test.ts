/**
 * Big pasted inputs: over 8 MiB a file or standard input is streamed through the log grammars and the
 * signature scan (bounded memory) instead of being held whole with every parser's per-line objects; one that
 * starts like a command output says it was only scanned. Memory itself is measured by scripts/pasted-rss.ts.
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyzeFiles, LARGE_TEXT_BYTES } from '../../core/sources/pasted';
import { RULES } from '../../rules';
import { NOW, scratchDir } from './fixtures';

const HEAD = 'Status   Name               DisplayName\n------   ----               -----------\nRunning  himds              Azure Hybrid Instance Metadata Service\n';

function serviceList(bytes: number): Buffer {
  const lines = [HEAD];
  let n = HEAD.length;
  for (let i = 0; n < bytes; i++) {
    const line = `Running  svc${i}            Service number ${i}\n`;
    lines.push(line);
    n += line.length;
  }
  return Buffer.from(lines.join(''));
}

describe('big pasted inputs are streamed, not held whole', function () {
  this.timeout(60_000);
  const scratch = scratchDir('pasted');
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const big = serviceList(LARGE_TEXT_BYTES + 1024 * 1024);

  it('a file over 8 MiB that starts like Get-Service is scanned as a log, and says so', async () => {
    const path = join(scratch, 'services.txt');
    writeFileSync(path, big);
    const r = await analyzeFiles([path], { rules: RULES, now: NOW });
    assert.match(r.inputs[0]!.messages[0]!, /services\.txt: 9\.0 MiB, more than the 8\.0 MiB read whole as command output \(it starts like Get-Service.*\); it was scanned for agent log lines and known error messages only$/);
    assert.notEqual(r.inputs[0]!.kind, 'get-service-table');
    // Small, the same text is parsed as the command output it is.
    const small = join(scratch, 'small.txt');
    writeFileSync(small, serviceList(64 * 1024));
    assert.equal((await analyzeFiles([small], { rules: RULES, now: NOW })).inputs[0]!.kind, 'get-service-table');
  });

  it('standard input over 8 MiB is streamed the same way (no 64 MiB buffer)', async () => {
    const chunks = Array.from({ length: Math.ceil(big.length / 65536) }, (_, i) => big.subarray(i * 65536, (i + 1) * 65536));
    const r = await analyzeFiles(['-'], { rules: RULES, now: NOW }, Readable.from(chunks));
    assert.match(r.inputs[0]!.messages[0]!, /^<stdin>: more than 8\.0 MiB, more than the 8\.0 MiB read whole as command output/);
    const small = await analyzeFiles(['-'], { rules: RULES, now: NOW }, Readable.from([serviceList(4096)]));
    assert.equal(small.inputs[0]!.kind, 'get-service-table');
  });
});
