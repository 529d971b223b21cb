/**
 * The CLI's own output under hostile conditions, as a subprocess of the compiled bin (npm test builds first):
 * a closed pipe, a full disk, a failing `--output`, `--output` over an input, and input text carrying
 * terminal escapes into stderr notes, warnings, errors and the text report.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logrus, WIN_VERSION } from '../../scripts/make-bundles';
import { craftZip } from '../../scripts/zip-craft';
import { scratchDir } from './fixtures';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'wac-doctor.js');
const SAMPLES = join(ROOT, 'fixtures', 'samples', 'failed-to-connect');
const samples = (): string[] => readdirSync(SAMPLES).sort().map((f) => join(SAMPLES, f));
const LOG = 'ProgramData/AzureConnectedMachineAgent/Log';
const ESC = '\u001b';

interface Run { code: number | null; stdout: string; stderr: string }
function cli(args: string[], stdout: 'pipe' | number = 'pipe'): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr };
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

describe('CLI output integrity and terminal safety', function () {
  this.timeout(60_000);
  const scratch = scratchDir('cli-output');
  before(() => assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` (npm test does) first'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('a reader that closes the pipe early (| head): no stack trace, the normal exit code', async () => {
    const child = spawn(process.execPath, [BIN, 'analyze', ...samples()], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy(); // the read end closes before the child writes: its write gets EPIPE
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((res) => child.on('close', res));
    assert.equal(code, 1, `findings exit 1, as without the pipe: ${stderr}`);
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at |internal error/);
  });

  it('a full disk on standard output (> /dev/full): one line, exit 2', function () {
    if (!existsSync('/dev/full')) return this.skip();
    const fd = openSync('/dev/full', 'w');
    try {
      const r = cli(['analyze', ...samples()], fd);
      assert.equal(r.code, 2);
      assertOneLine(r.stderr, /^wac-doctor: cannot write the report to standard output \(ENOSPC\)$/);
    } finally {
      closeSync(fd);
    }
  });

  it('a failed --output write keeps the previous report and leaves no temp or truncated file', () => {
    const dir = join(scratch, 'out');
    mkdirSync(dir);
    const out = join(dir, 'report.txt');
    writeFileSync(out, 'PREVIOUS REPORT\n');
    // The file-size limit makes the write fail partway (EFBIG) with no special file system; XFSZ is ignored so
    // the write returns an error instead of killing the process.
    const r = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 1; exec "$0" "$@"`, process.execPath, BIN, 'analyze', ...samples(), '--verbose', '-o', out], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assertOneLine(r.stderr, new RegExp(`^wac-doctor: --output ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot write \\(EFBIG\\); expected a writable file path \\(any previous file there is unchanged\\)$`));
    assert.equal(readFileSync(out, 'utf8'), 'PREVIOUS REPORT\n');
    assert.deepEqual(readdirSync(dir), ['report.txt']);
    // And a write that succeeds replaces it whole.
    const ok = cli(['analyze', ...samples(), '-o', out]);
    assert.equal(ok.code, 1, ok.stderr);
    assert.match(readFileSync(out, 'utf8'), /^WAC Doctor /);
    assert.deepEqual(readdirSync(dir), ['report.txt']);
  });

  it('--output that is one of the inputs (by name, another spelling or a hard link) is refused, the input untouched', () => {
    const input = join(scratch, 'show.txt');
    const original = readFileSync(samples()[0]!, 'utf8');
    writeFileSync(input, original);
    linkSync(input, join(scratch, 'show-link.txt'));
    for (const output of [input, join(scratch, '.', 'show.txt'), join(scratch, 'show-link.txt')]) {
      const r = cli(['analyze', input, '-o', output]);
      assert.equal(r.code, 2, r.stderr);
      assertOneLine(r.stderr, /^wac-doctor: --output .*: is also an input \(.*show\.txt\); writing the report there would destroy it$/);
      assert.equal(readFileSync(input, 'utf8'), original);
    }
  });

  it('entry names and log text with ESC[2J and ESC]52 come out inert in notes, warnings and the text report', () => {
    const zip = join(scratch, 'escapes.zip');
    const evilName = `${LOG}/x\u001b[2J\u001b]52;c;ZXZpbA==\u0007.log`;
    const hostile = logrus('2026-09-14T08:00:01Z', 'error', `boom \u001b]52;c;ZXZpbA==\u0007 \u009b31m`, { Error: 'AZCM0041: invalid credentials' });
    writeFileSync(zip, craftZip([
      { name: `${LOG}/himds.log`, data: Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: WIN_VERSION })}\n`) },
      { name: `${LOG}/azcmagent.log`, data: Buffer.from(`${hostile}\n`) },
      { name: evilName, data: Buffer.from('y'), declaredSize: 0 },
      { name: `${LOG}/agentconfig\u001b[2J.json`, data: Buffer.from('x'), declaredSize: 5 },
    ]));
    const r = cli(['analyze', zip]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    for (const [stream, text] of [['stderr', r.stderr], ['stdout', r.stdout]] as const) {
      assert.ok(!text.includes(ESC), `no raw ESC on ${stream}: ${JSON.stringify(text)}`);
      assert.ok(!text.includes('\u0007') && !text.includes('\u009b'), `no BEL or CSI on ${stream}`);
    }
    assert.match(r.stderr, /agentconfig\\x1b\[2J\.json: smaller than declared/);
    assert.match(r.stdout, /^Note: Empty files: 1 \(.*\/x\\x1b\[2J\\x1b\]52;c;ZXZpbA==\\x07\.log\)\.$/m);
    assert.match(r.stdout, /boom \\x1b\]52;c;ZXZpbA==\\x07 \\u009b31m/);
    for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^wac-doctor: (note|warning): /, 'every note on its own line');
  });

  it('a bundle whose only log is refused as a zip bomb: exit 2, and the one line says why', () => {
    const zip = join(scratch, 'only-bomb.zip');
    writeFileSync(zip, craftZip([{ name: `${LOG}/himds.log`, data: Buffer.alloc(4 * 1024 * 1024) }]));
    const r = cli(['analyze', zip]);
    assert.equal(r.code, 2);
    assertOneLine(r.stderr, /only-bomb\.zip: no agent logs, configuration or command outputs with known content among 1 entries; not read: Entries that expand more than 200 times \(a zip-bomb pattern\), not read: 1; expected /);
  });

  it("V8's JSON error snippet with raw bytes, and an unusable input's error, are shown inert on one line", () => {
    const json = join(scratch, 'ext\u001b[2J.json');
    // Detected as an extension list by its keys, then refused by JSON.parse (whose message quotes the raw bytes).
    writeFileSync(json, '[{"name": "AdminCenter", "type": "Microsoft.HybridCompute/machines/extensions", "properties": {"publisher": "Microsoft.AdminCenter", "type": \u001b]52;c;ZXZpbA==\u0007}}]');
    const r = cli(['analyze', json]);
    assert.equal(r.code, 2);
    assert.ok(!r.stderr.includes(ESC) && !r.stderr.includes('\u0007'), JSON.stringify(r.stderr));
    assertOneLine(r.stderr, /^wac-doctor: .*ext\\x1b\[2J\.json: /);
  });
});
