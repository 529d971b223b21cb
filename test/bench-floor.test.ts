/**
 * The bench's Node floor (bench/floor.ts): both readers inflate exactly the bytes `unzip -p` writes, on a
 * generated bench bundle and on a zip with stored entries, an empty entry, a folder and multi-byte UTF-8 split
 * across 1 MiB chunks; every stage counts the same bytes; the candidate count equals a scan of the whole text;
 * damaged zips and bad arguments fail with one line.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yazl from 'yazl';
import { writeBigBundle } from '../bench/generate';
import { parseFloorArgs, runFloor, type FloorCounts } from '../bench/floor';

const ROOT = join(__dirname, '..');
const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;
/** `unzip -p`: every file entry's bytes, in order. */
const unzipP = (zip: string): Buffer => {
  const r = spawnSync('unzip', ['-p', zip], { maxBuffer: 256 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr?.toString());
  return r.stdout;
};
/** The same regex as the floor, over the whole text at once (no chunks, no blocks). */
const candidates = (text: string): number => text.match(/level=[wefp]|\[ERROR\]|\[WARN|Error {2}|Warning {2}/g)?.length ?? 0;

function writeMixedZip(path: string): Promise<void> {
  const zip = new yazl.ZipFile();
  // 3 MiB of lines with a 3-byte character every 7 bytes: chunk ends fall inside characters and lines.
  const line = (i: number): string => `time="2026-09-14T09:00:00Z" level=${i % 5 === 0 ? 'error' : 'info'} msg="r\u00e9essai \u2026 ${i}" \u20ac\u20ac\n`;
  let big = '';
  for (let i = 0; big.length < 3 * 1024 * 1024; i++) big += line(i);
  zip.addBuffer(Buffer.from(big), 'Log/himds.log', { compress: true });
  zip.addBuffer(Buffer.from(big.slice(0, 1_500_000) + 'no newline at the end [ERROR]'), 'Log/stored.log', { compress: false });
  zip.addBuffer(Buffer.alloc(0), 'Log/empty.log');
  zip.addEmptyDirectory('Log/folder');
  zip.addBuffer(Buffer.from('Warning  one\r\nError  two\r\n'), 'EventLogs/System.txt');
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject);
  });
}

describe('bench floor (bench/floor.ts)', function () {
  this.timeout(120000);
  let dir: string;
  let generated: string;
  let mixed: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'start-floor-'));
    generated = join(dir, 'noisy.zip');
    mixed = join(dir, 'mixed.zip');
    await writeBigBundle(generated, 6 * 1024 * 1024, 6, 7, 'noisy');
    await writeMixedZip(mixed);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const name of ['generated', 'mixed'] as const) {
    it(`inflates the bytes unzip -p writes (${name} zip), in both readers and every stage`, function () {
      if (!hasUnzip) this.skip();
      const zip = name === 'generated' ? generated : mixed;
      const expected = unzipP(zip);
      return (async () => {
        const counts: FloorCounts[] = [];
        for (const reader of ['direct', 'yauzl'] as const) {
          for (const stage of ['inflate', 'decode', 'scan'] as const) counts.push(await runFloor(zip, { reader, stage }));
        }
        for (const c of counts) assert.equal(c.bytes, expected.length);
        assert.ok(counts.every((c) => c.entries === counts[0]!.entries) && counts[0]!.entries >= 4);
        // Candidates are counted in the scan stage only; the whole text at once finds the same.
        const scans = counts.filter((_, i) => i % 3 === 2);
        for (const c of scans) assert.equal(c.hits, candidates(expected.toString('utf8')));
        assert.ok(scans[0]!.hits > 0);
      })();
    });
  }

  it('counts the declared sizes without unzip too', async () => {
    const c = await runFloor(mixed, { stage: 'inflate' });
    const declared = readFileSync(mixed);
    // Central directory uncompressed sizes (offset 24 of each 0x02014b50 record), summed.
    let sum = 0;
    for (let i = declared.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i >= 0; i = declared.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)) sum += declared.readUInt32LE(i + 24);
    assert.equal(c.bytes, sum);
  });

  it('refuses a damaged zip with one line (truncated, not a zip, a cut-off entry)', async () => {
    await assert.rejects(runFloor(join(ROOT, 'fixtures', 'bundles', 'hostile-truncated.zip')), /end of central directory/);
    await assert.rejects(runFloor(join(ROOT, 'fixtures', 'bundles', 'hostile-not-a-zip.zip')), /not a zip/);
    // The central directory kept, half the data gone: reads past the end fail, never loop or hang.
    const whole = readFileSync(generated);
    const cut = join(dir, 'cut.zip');
    const cd = whole.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cdOffset = whole.readUInt32LE(cd + 16);
    writeFileSync(cut, Buffer.concat([whole.subarray(0, cdOffset >> 1), whole.subarray(cdOffset)]));
    await assert.rejects(runFloor(cut), (err: Error) => err.message.split('\n').length === 1);
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'bench', 'floor.ts'), join(ROOT, 'fixtures', 'bundles', 'hostile-not-a-zip.zip')], { encoding: 'utf8', cwd: ROOT });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^floor failed: [^\n]+\n$/);
  });

  it('parses its arguments and names a bad one', () => {
    assert.deepEqual(parseFloorArgs(['b.zip']), { path: 'b.zip', stage: 'scan', reader: 'direct' });
    assert.deepEqual(parseFloorArgs(['--reader', 'yauzl', 'b.zip', '--stage', 'inflate']), { path: 'b.zip', stage: 'inflate', reader: 'yauzl' });
    assert.throws(() => parseFloorArgs([]), /usage/);
    assert.throws(() => parseFloorArgs(['b.zip', '--stage', 'all']), /--stage "all": expected inflate, decode, scan/);
    assert.throws(() => parseFloorArgs(['a.zip', 'b.zip']), /unexpected argument "b.zip"/);
  });
});
