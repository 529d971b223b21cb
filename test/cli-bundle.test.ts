/**
 * The bundled CLI (cli/esbuild.js -> dist/cli/wac-doctor.js, run by bin/wac-doctor.js with a V8 code cache,
 * bin/code-cache.js): the same bytes out as the tsc build (dist/cli/main.js) for every kind of command, workers
 * still found and used, the tsc build run instead when the bundle is older than it, and a cache that is corrupt,
 * stale or unwritable ignored (and rewritten) without harm. npm test builds both first.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'wac-doctor.js');
const BUNDLE = join(ROOT, 'dist', 'cli', 'wac-doctor.js');
const CACHE = `${BUNDLE}.${process.versions.v8}.cache`;
const TSC_MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const SAMPLE = join(ROOT, 'fixtures', 'samples', 'failed-to-connect');
const samples = (): string[] => readdirSync(SAMPLE).sort().map((f) => join(SAMPLE, f));

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS in bin/, typed by bin/code-cache.d.ts
const { loadWithCodeCache } = require('../bin/code-cache') as typeof import('../bin/code-cache');

interface Run { code: number | null; stdout: string; stderr: string }
const env = { ...process.env, NO_COLOR: '' };
const run = (args: string[], cwd = ROOT): Run => {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', input: '', env, timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const viaBin = (args: string[]): Run => run([BIN, ...args]);
const viaTsc = (args: string[]): Run => run(['-e', `require(${JSON.stringify(TSC_MAIN)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, '--', ...args]);
/** Report times are the only bytes that differ between two runs of the same build. */
const timeless = (text: string): string => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>');

describe('bundled CLI (dist/cli/wac-doctor.js)', function () {
  this.timeout(120000);
  before(() => {
    assert.ok(existsSync(BUNDLE) && existsSync(TSC_MAIN), 'run `npm run build` (npm test does) before these tests');
    assert.ok(statSync(BUNDLE).mtimeMs >= statSync(join(ROOT, 'dist', '.tsbuildinfo')).mtimeMs, 'the bundle is older than the tsc build: run node cli/esbuild.js');
  });

  it('is what bin/wac-doctor.js runs: a run without a cache writes one beside the bundle', () => {
    rmSync(CACHE, { force: true });
    const r = viaBin(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(CACHE), 'no code cache written: the bin did not run the bundle');
    const second = run(['-e', `const l = require(${JSON.stringify(join(ROOT, 'bin', 'code-cache.js'))}).loadWithCodeCache(${JSON.stringify(BUNDLE)}, ${JSON.stringify(CACHE)}); process.stdout.write(String(l.cached))`]);
    assert.equal(second.stdout, 'true', second.stderr);
  });

  const same: Array<[string, string[], boolean]> = [
    ['--version', ['--version'], false],
    ['rules', ['rules'], false],
    ['rules --format json', ['rules', '--format', 'json'], false],
    ['explain wac-port', ['explain', 'wac-port'], false],
    ['collector-script (a path from __dirname)', ['collector-script'], false],
    ['no arguments (usage, exit 2)', [], false],
    ['an unknown rule (one-line error, exit 2)', ['explain', 'no-such-rule'], false],
    ['analyze of the sample (text)', ['analyze', '--color', ...samples()], true],
    ['analyze of the sample (sarif)', ['analyze', '--format', 'sarif', ...samples()], true],
    ['analyze of a zip bundle (json)', ['analyze', '--format', 'json', join(ROOT, 'fixtures', 'bundles', 'win-agent-136.zip')], true],
    ['analyze of a hostile zip', ['analyze', join(ROOT, 'fixtures', 'bundles', 'hostile-zip-slip.zip')], true],
  ];
  for (const [name, args, timed] of same) {
    it(`gives the tsc build's bytes: ${name}`, () => {
      const a = viaBin(args);
      const b = viaTsc(args);
      const norm = timed ? timeless : (t: string): string => t;
      assert.equal(a.code, b.code, a.stderr);
      assert.equal(norm(a.stdout), norm(b.stdout));
      assert.equal(a.stderr, b.stderr);
      assert.ok(a.stdout.length + a.stderr.length > 0);
    });
  }

  it('finds and uses the bundle workers (two folders go to the pool) with the same reports', () => {
    const args = ['analyze', '--format', 'json', join(ROOT, 'fixtures', 'live', 'windows'), join(ROOT, 'fixtures', 'live', 'windows-legacy')];
    const a = viaBin(args);
    const b = viaTsc(args);
    assert.equal(a.code, b.code, a.stderr);
    assert.equal((JSON.parse(a.stdout) as { analysis?: { mode: string } }).analysis?.mode, 'workers', 'the bundled CLI analyzed in one thread');
    assert.equal(timeless(a.stdout), timeless(b.stdout));
    assert.equal(a.stderr, b.stderr);
  });

  describe('code cache (bin/code-cache.js)', () => {
    let original: Buffer;
    before(() => {
      if (!existsSync(CACHE)) viaBin(['--version']);
      original = readFileSync(CACHE);
    });
    after(() => writeFileSync(CACHE, original));
    const HEADER = new RegExp(`^wac-code-cache 2 [0-9a-f]{64} ${process.versions.v8.replace(/\./g, '\\.')} \\d+ \\d+ \\d+ \\d+ crc32:[0-9a-f]+\\n`);

    const damaged: Array<[string, (good: Buffer) => Buffer]> = [
      ['garbage', () => Buffer.from('not a cache\n\u0000\u0001\u0002')],
      ['empty', () => Buffer.alloc(0)],
      ['truncated', (good) => good.subarray(0, good.length - 1000)],
      // A valid header over a changed byte of V8's data: V8 itself would take it (or crash on it).
      ['one byte of the data flipped', (good) => { const b = Buffer.from(good); b[b.length >> 1]! ^= 0xff; return b; }],
      ['made by another V8', (good) => Buffer.from(good.toString('latin1').replace(process.versions.v8, '1.2.3.4'), 'latin1')],
      // Another bundle: another hash, recorded for another file version (size, ctime, inode).
      ['made for another bundle', (good) => Buffer.from(good.toString('latin1').replace(/^(wac-code-cache 2 )[0-9a-f]{64}( \S+ )(\d+)/, `$1${'0'.repeat(64)}$2${'1'}$3`), 'latin1')],
    ];
    for (const [name, damage] of damaged) {
      it(`a cache file ${name} is ignored and rewritten`, () => {
        writeFileSync(CACHE, damage(original));
        const r = viaBin(['rules']);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /wac-port/);
        assert.equal(r.stderr, '');
        const now = readFileSync(CACHE);
        assert.notDeepEqual(now, damage(original));
        assert.match(now.subarray(0, 300).toString('latin1'), HEADER);
      });
    }

    it('loads a module, takes its own cache on the next load, and survives a cache it cannot write', () => {
      const dir = mkdtempSync(join(tmpdir(), 'start-code-cache-'));
      try {
        const file = join(dir, 'mod.js');
        writeFileSync(file, `exports.twice = (n) => 2 * n; exports.dir = __dirname; exports.req = typeof require('node:path').join;`);
        const cacheFile = join(dir, 'cache', 'mod.cache');
        const first = loadWithCodeCache(file, cacheFile);
        assert.equal(first.cached, false);
        assert.equal((first.exports as { twice(n: number): number }).twice(21), 42);
        assert.equal((first.exports as { dir: string }).dir, dir);
        assert.equal(first.save(), true);
        assert.equal(first.save(), false, 'written once');
        // In a fresh process (this one's V8 has the script compiled already and would not read the cache).
        const r = run(['-e', `const l = require(${JSON.stringify(join(ROOT, 'bin', 'code-cache.js'))}).loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)}); process.stdout.write(l.cached + ' ' + l.exports.twice(2) + ' ' + l.save())`]);
        assert.equal(r.stdout, 'true 4 false', r.stderr);
        // The same bytes written again (a rebuild): the cache still serves, and its header takes the new ctime.
        const header = (): string => readFileSync(cacheFile).toString('latin1').split('\n')[0]!;
        const before = header();
        writeFileSync(file, readFileSync(file));
        const rebuilt = run(['-e', `const l = require(${JSON.stringify(join(ROOT, 'bin', 'code-cache.js'))}).loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)}); process.stdout.write(l.cached + ' ' + l.save())`]);
        assert.equal(rebuilt.stdout, 'true true', rebuilt.stderr);
        assert.notEqual(header(), before);
        assert.equal(header().split(' ')[2], before.split(' ')[2], 'the same SHA-256');
        // The bundle changes: the cache no longer matches it.
        writeFileSync(file, `exports.twice = (n) => n + n;`);
        const changed = run(['-e', `const l = require(${JSON.stringify(join(ROOT, 'bin', 'code-cache.js'))}).loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)}); process.stdout.write(l.cached + ' ' + l.exports.twice(3))`]);
        assert.equal(changed.stdout, 'false 6', changed.stderr);
        // A cache path under a file cannot be written: save says so, nothing throws.
        const blocked = loadWithCodeCache(file, join(file, 'cache'));
        assert.equal(blocked.save(), false);
        assert.deepEqual(readdirSync(dir).sort(), ['cache', 'mod.js'], 'no temporary file left');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('bin/wac-doctor.js: which build runs', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'start-bin-'));
      cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
      mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
      const says = (what: string): string => `exports.main = async (argv) => { process.stdout.write(${JSON.stringify(what)} + ' ' + argv.join(',')); return 3; };`;
      writeFileSync(join(dir, 'dist', 'cli', 'wac-doctor.js'), says('bundle'));
      writeFileSync(join(dir, 'dist', 'cli', 'main.js'), says('tsc'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const at = (file: string, seconds: number): void => utimesSync(join(dir, 'dist', file), seconds, seconds);
    const which = (): Run => run([join(dir, 'bin', 'wac-doctor.js'), 'a', 'b'], dir);

    it('the bundle when it is newer than the tsc build info', () => {
      writeFileSync(join(dir, 'dist', '.tsbuildinfo'), '{}');
      at('.tsbuildinfo', 1_000_000);
      at('cli/wac-doctor.js', 1_000_010);
      const r = which();
      assert.deepEqual([r.stdout, r.code], ['bundle a,b', 3], r.stderr);
    });

    it('the tsc output when a later tsc build made the bundle stale', () => {
      at('.tsbuildinfo', 1_000_020);
      const r = which();
      assert.deepEqual([r.stdout, r.code], ['tsc a,b', 3], r.stderr);
    });

    it('the bundle in an installed package (no build info, every file of the same time, as npm pack makes them)', () => {
      rmSync(join(dir, 'dist', '.tsbuildinfo'));
      at('cli/main.js', 499_162_860);
      at('cli/wac-doctor.js', 499_162_860);
      assert.equal(which().stdout, 'bundle a,b');
      at('cli/main.js', 499_162_861);
      assert.equal(which().stdout, 'tsc a,b');
    });

    it('the tsc output when there is no bundle', () => {
      rmSync(join(dir, 'dist', 'cli', 'wac-doctor.js'));
      assert.equal(which().stdout, 'tsc a,b');
    });
  });
});
