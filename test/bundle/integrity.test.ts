/**
 * Zips that lie: entries sharing bytes (overlap bombs), sizes that are not what they declare, archives that
 * expand past the per-bundle caps, duplicate and mismatched names, exact counts, and folders with files that
 * cannot be read. Assertions are on work done (entries opened, bytes read), never on the clock.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBundle, readBundleEntryBytes, type BundleOptions, type BundleProgress } from '../../core/sources/bundle';
import { RangeSet } from '../../core/sources/bundle/ranges';
import { ZipSource } from '../../core/sources/bundle/zip-source';
import type { Report } from '../../core/model/report';
import { RULES } from '../../rules';
import { logrus, WIN_VERSION } from '../../scripts/make-bundles';
import { craftZip, storedZip, type CraftEntry } from '../../scripts/zip-craft';
import { finding, NOW, scratchDir } from './fixtures';

const LOG = 'ProgramData/AzureConnectedMachineAgent/Log';
const MiB = 1024 * 1024;

/** Log text of about `bytes`, barely compressible (hex noise per line): no ratio check refuses it. */
function noisyLog(bytes: number): Buffer {
  const head = `${logrus('2026-09-14T08:00:00Z', 'info', 'Starting HIMDS service', { Version: WIN_VERSION })}\n`;
  const lines: string[] = [head];
  let n = head.length;
  for (let i = 0; n < bytes; i++) {
    const line = `${logrus('2026-09-14T08:00:01Z', 'info', 'noise', { Id: randomBytes(24).toString('hex') })}\n`;
    lines.push(line);
    n += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

describe('bundle integrity: overlaps, lying sizes, caps, names and counts', function () {
  this.timeout(60_000);
  const scratch = scratchDir('integrity');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  async function run(name: string, entries: CraftEntry[], extra: Partial<BundleOptions> = {}): Promise<{ report: Report; last: BundleProgress }> {
    const path = join(scratch, name);
    writeFileSync(path, craftZip(entries));
    let last: BundleProgress | undefined;
    const report = await analyzeBundle(path, { rules: RULES, now: NOW, ...extra, onProgress: (p) => { last = p; } });
    return { report, last: last! };
  }
  const notes = (r: Report): string[] => r.target?.notes ?? [];
  const messages = (r: Report): string[] => r.inputs[0]!.messages;

  it('20,000 central entries pointing at one 1 MiB local file: one is read, the rest refused as overlapped', async () => {
    const data = noisyLog(MiB);
    const entries: CraftEntry[] = [{ name: `${LOG}/himds.log`, data }];
    for (let i = 1; i < 20_000; i++) entries.push({ name: `${LOG}/himds-${i}.log`, data, sameAs: 0 });
    const { report, last } = await run('overlap.zip', entries);
    assert.ok(notes(report).some((n) => n.startsWith('Entries whose data overlaps another entry (overlapped components, a zip-bomb pattern), not read: 19999 (e.g. ')), JSON.stringify(notes(report)));
    assert.match(messages(report)[0]!, /himds-1\.log: its bytes overlap another entry's \(overlapped components, possible zip bomb\); not read$/);
    assert.equal(last.bytes, MiB, 'only the first entry was inflated');
    assert.equal(last.opened, 1);
    assert.equal(finding(report, 'agent-version').status, 'pass');
  });

  it('an entry declaring 100 bytes that inflates to 8 MiB is cut at 100 bytes and said to be larger than declared', async () => {
    const big = Buffer.concat([Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`), Buffer.alloc(8 * MiB, 'a')]);
    const { report, last } = await run('size-lie.zip', [
      { name: `${LOG}/himds.log`, data: big, declaredSize: 100 },
      { name: 'notes/readme.txt', data: big, declaredSize: 100 },
    ]);
    assert.ok(notes(report).includes(`Entries larger than declared, cut at their declared size: 2 (${LOG}/himds.log, notes/readme.txt).`), JSON.stringify(notes(report)));
    assert.ok(messages(report).some((m) => m.endsWith(`${LOG}/himds.log: larger than declared (100 bytes); cut there`)), JSON.stringify(messages(report)));
    assert.equal(last.bytes, 200);
    assert.equal(finding(report, 'agent-version').status, 'pass', 'the declared part was analyzed');
  });

  it('an entry shorter than it declares is said to be so, and what it has is read', async () => {
    const data = Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`);
    const { report } = await run('short.zip', [{ name: `${LOG}/himds.log`, data, declaredSize: 5000 }]);
    assert.ok(notes(report).includes(`Entries smaller than declared (truncated or damaged), read as far as they go: 1 (${LOG}/himds.log).`), JSON.stringify(notes(report)));
    assert.equal(finding(report, 'agent-version').status, 'pass');
  });

  it('10,000 entries of exactly 1 MiB: no longer exempt from the ratio check, and past it the total cap stops reading', async () => {
    const text = Buffer.alloc(MiB, 'a line of a log\n');
    const entries: CraftEntry[] = [];
    for (let i = 0; i < 10_000; i++) entries.push({ name: `${LOG}/part-${i}.log`, data: text });
    const path = join(scratch, 'many-mib.zip');
    writeFileSync(path, craftZip(entries));
    let last: BundleProgress | undefined;
    const ratio = await analyzeBundle(path, { rules: RULES, now: NOW, onProgress: (p) => { last = p; } });
    assert.ok(notes(ratio).some((n) => n.startsWith('Entries that expand more than 200 times (a zip-bomb pattern), not read: 10000 ')), JSON.stringify(notes(ratio)));
    assert.equal(last!.opened, 0);
    // Exit 2 says why: the only message names the refusal.
    assert.match(messages(ratio)[0]!, /no agent logs, configuration or command outputs with known content among 10000 entries; not read: Entries that expand more than 200 times \(a zip-bomb pattern\), not read: 10000; expected/);

    const total = await analyzeBundle(path, { rules: RULES, now: NOW, limits: { maxRatio: 1e9, maxTotalBytes: 64 * MiB }, onProgress: (p) => { last = p; } });
    assert.ok(notes(total).includes('Reading stopped at 64.0 MiB: the bundle expands to more than 64.0 MiB, the limit on bytes inflated per bundle.'), JSON.stringify(notes(total)));
    assert.ok(notes(total).some((n) => n.startsWith('Entries not read after the total size cap: 9936 ')), JSON.stringify(notes(total)));
    assert.equal(last!.bytes, 64 * MiB);
    assert.equal(last!.opened, 64);
    assert.match(messages(total)[0]!, /; not read: Entries not read after the total size cap: 9936; expected/);
  });

  it('the time limit per bundle stops reading with a note saying so (a fake clock, no waiting)', async () => {
    const entries: CraftEntry[] = [];
    for (let i = 0; i < 50; i++) entries.push({ name: `${LOG}/part-${i}.log`, data: Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`) });
    let now = 0;
    const { report, last } = await run('slow.zip', entries, { clock: () => (now += 1000), limits: { maxMillis: 10_000 } });
    assert.ok(notes(report).some((n) => /^Reading stopped after \d+ s at .*: the time limit per bundle is 10 s\.$/.test(n)), JSON.stringify(notes(report)));
    assert.ok(notes(report).some((n) => n.startsWith('Entries not read after the time limit: ')), JSON.stringify(notes(report)));
    assert.ok(last.opened > 0 && last.opened < 50, `opened ${last.opened}`);
  });

  it('duplicate names: the first entry is analyzed, and the editor document is that same entry', async () => {
    const first = Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: '1.36.02538.1064' })}\n`);
    const second = Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`);
    const path = join(scratch, 'dupes.zip');
    writeFileSync(path, craftZip([
      { name: `${LOG}/himds.log`, data: first },
      { name: `${LOG}/himds.log`, data: second },
      { name: `${LOG.toUpperCase()}/HIMDS.LOG`, data: second },
    ]));
    const report = await analyzeBundle(path, { rules: RULES, now: NOW });
    assert.ok(notes(report).includes(`Entries with the name of an earlier entry (duplicates), not read: the first one is the one analyzed: 2 (${LOG}/himds.log, ${LOG.toUpperCase()}/HIMDS.LOG).`), JSON.stringify(notes(report)));
    const f = finding(report, 'agent-version');
    assert.equal(f.status, 'fail', 'version from the first entry (1.36, known bad)');
    const ev = f.evidence.find((e) => e.line !== undefined)!;
    const doc = await readBundleEntryBytes(path, ev.path!, MiB);
    assert.equal(doc.offset, 0, 'the document provider opens the first entry, at offset 0');
    assert.equal(doc.bytes.toString().split('\n')[ev.line! - 1]!.trim(), ev.excerpt);
  });

  it('a local header naming another file is said, and the entry is read under its central name', async () => {
    const data = Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`);
    const { report } = await run('mismatch.zip', [{ name: `${LOG}/himds.log`, localName: 'evil/payload.sh', data }]);
    assert.ok(notes(report).includes(`Entries whose local header names another file (central/local name mismatch), read under the central directory name: 1 (${LOG}/himds.log (local header: evil/payload.sh)).`), JSON.stringify(notes(report)));
    assert.equal(finding(report, 'agent-version').status, 'pass');
    // A backslash-for-slash difference is the same name.
    const same = await run('mismatch-benign.zip', [{ name: `${LOG}/himds.log`, localName: `${LOG.replace(/\//g, '\\')}\\himds.log`, data }]);
    assert.ok(!notes(same.report).some((n) => n.includes('mismatch')), JSON.stringify(notes(same.report)));
  });

  it('counts are exact: a zip with more entries than are looked at says how many it has', async () => {
    const files = Array.from({ length: 2_500 }, (_, i) => ({ name: `other/${i}.bin`, data: Buffer.from('x') }));
    const path = join(scratch, 'count.zip');
    writeFileSync(path, storedZip(files));
    const r = await analyzeBundle(path, { rules: RULES, now: NOW, limits: { maxEntries: 2_000 } });
    assert.ok(notes(r).includes('Only the first 2000 of 2500 entries were looked at.'), JSON.stringify(notes(r)));
    assert.match(messages(r)[0]!, /among 2500 entries \(the first 2000 looked at\); /);
    const small = await analyzeBundle(path, { rules: RULES, now: NOW });
    assert.match(messages(small)[0]!, /among 2500 entries; /);
  });

  it('listing 100,000 entries costs a few large reads, not two reads per entry', async () => {
    const files = Array.from({ length: 100_000 }, (_, i) => ({ name: `ProgramData/GuestConfig/x/${i}.txt`, data: Buffer.from(`entry ${i}\n`) }));
    const path = join(scratch, 'listing.zip');
    writeFileSync(path, storedZip(files));
    const source = await ZipSource.open(path);
    let n = 0;
    try {
      for await (const entry of source.entries()) if (entry.type === 'file') n++;
    } finally {
      source.close();
    }
    assert.equal(n, 100_000);
    // ~9 MB of central directory in 64 KiB blocks: about 140 reads (yauzl alone: 200,000).
    assert.ok(source.stats.fileReads < 500, `${source.stats.fileReads} reads`);
  });

  it('the overlap check agrees with a brute-force one, whatever order the ranges come in', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let round = 0; round < 20; round++) {
      const set = new RangeSet();
      const taken: Array<[number, number]> = [];
      for (let i = 0; i < 3000; i++) {
        const start = rand(200_000);
        const end = start + 1 + rand(round % 2 ? 50 : 2000);
        const overlaps = taken.some(([s, e]) => start < e && s < end);
        assert.equal(set.claim(start, end), !overlaps, `round ${round}, claim ${i}: [${start}, ${end})`);
        if (!overlaps) taken.push([start, end]);
      }
    }
  });

  describe('folders', () => {
    it('a FIFO is named, never opened (opening it would block), and an unrecognized folder says what was refused', async () => {
      const root = join(scratch, 'fifo');
      mkdirSync(join(root, LOG), { recursive: true });
      const made = spawnSync('mkfifo', [join(root, LOG, 'himds.log')]);
      if (made.status !== 0) {
        console.log(`      (skipped: mkfifo unavailable: ${made.error?.message ?? made.stderr.toString()})`);
        return;
      }
      const r = await analyzeBundle(root, { rules: RULES, now: NOW });
      assert.ok(notes(r).includes(`Special files (FIFO, socket or device), not read: 1 (${LOG}/himds.log).`), JSON.stringify(notes(r)));
      assert.match(messages(r)[0]!, /; not read: Special files \(FIFO, socket or device\), not read: 1; expected/);
    });

    it('a file and a folder that cannot be read are reported as unreadable, not as damaged logs', function () {
      const root = join(scratch, 'unreadable');
      mkdirSync(join(root, LOG), { recursive: true });
      mkdirSync(join(root, 'ProgramData/GuestConfig/locked'), { recursive: true });
      writeFileSync(join(root, LOG, 'himds.log'), `${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`);
      writeFileSync(join(root, LOG, 'azcmagent.log'), `${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`);
      writeFileSync(join(root, 'ProgramData/GuestConfig/locked/gc.log'), 'x\n');
      chmodSync(join(root, LOG, 'azcmagent.log'), 0o000);
      chmodSync(join(root, 'ProgramData/GuestConfig/locked'), 0o000);
      // Root ignores file modes, so as root the analysis runs in a child process as `nobody`.
      const asRoot = process.getuid?.() === 0;
      if (asRoot) chmodSync(scratch, 0o755);
      const locked = join(root, LOG, 'azcmagent.log');
      const script = `require('tsx/cjs'); const { analyzeBundle } = require(${JSON.stringify(join(__dirname, '../../core/sources/bundle'))}); const { RULES } = require(${JSON.stringify(join(__dirname, '../../rules'))});
        const { analyzeFiles } = require(${JSON.stringify(join(__dirname, '../../core/sources/pasted'))});
        (async () => {
          const r = await analyzeBundle(${JSON.stringify(root)}, { rules: RULES });
          const pasted = await analyzeFiles([${JSON.stringify(locked)}], { rules: RULES });
          process.stdout.write(JSON.stringify({ notes: r.target.notes, messages: r.inputs[0].messages, status: r.inputs[0].status, pasted: pasted.inputs[0].messages[0] }));
        })();`;
      const child = spawnSync(process.execPath, ['-e', script], { cwd: join(__dirname, '../..'), encoding: 'utf8', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
      chmodSync(join(root, 'ProgramData/GuestConfig/locked'), 0o755);
      if (child.status !== 0 || !child.stdout) {
        console.log(`      (skipped: could not run the analysis without root's permissions: ${(child.error?.message ?? child.stderr).split('\n')[0]})`);
        return this.skip();
      }
      const out = JSON.parse(child.stdout) as { notes: string[]; messages: string[]; status: string; pasted: string };
      assert.equal(out.status, 'parsed');
      assert.ok(out.notes.includes(`Files or folders that could not be read: 2 (${LOG}/azcmagent.log (cannot be read (EACCES)), ProgramData/GuestConfig/locked (the folder could not be listed (EACCES))).`), JSON.stringify(out.notes));
      assert.ok(!out.notes.some((n) => n.startsWith('Damaged')), JSON.stringify(out.notes));
      assert.ok(out.messages.some((m) => m.endsWith(`${LOG}/azcmagent.log: cannot be read (EACCES)`)), JSON.stringify(out.messages));
      // The same file given as a pasted input: an input error naming it, not an internal error.
      assert.equal(out.pasted, `${locked}: cannot be read (EACCES); expected a file of command output`);
    });
  });
});
