/** `wac-doctor analyze -` with a Resource Graph export piped on standard input: streamed, as a file page is. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleetFile } from '../../scripts/fleet-fixtures';
import { cli, CLI_ARGS, fixtureDir, ROOT } from './support';

/** Page names in messages and evidence differ (`<stdin>` for the file's path): compared without them. */
const unnamed = (text: string, path: string): string => text.split(path).join('<page>').split('<stdin>').join('<page>');

describe('fleet CLI: an export on standard input', function () {
  this.timeout(120000);
  const fx = fixtureDir();
  after(fx.cleanup);

  it('analyze - reads an export piped in as the same file would be read (fleet query rows; text, csv, json)', function () {
    for (const format of ['text', 'csv', 'json']) {
      const path = fx.file('query-az.json');
      const fromFile = cli(['analyze', '-f', format, path]);
      const fromStdin = cli(['analyze', '-f', format, '-'], { input: readFileSync(path) });
      assert.equal(fromStdin.code, 1, fromStdin.stderr);
      assert.equal(fromStdin.code, fromFile.code);
      const strip = (s: string): string => unnamed(s, path).replace(/"generatedAt": "[^"]+"/g, '');
      assert.equal(strip(fromStdin.stdout), strip(fromFile.stdout), format);
    }
  });

  it('plain rows (machines, then their extensions) on stdin: the second pass without a second read, nothing left in the temp folder', function () {
    const temp = mkdtempSync(join(tmpdir(), 'wac-doctor-fleet-stdin-tmp-'));
    try {
      for (const name of ['plain-az.json', 'plain-array.json', 'plain-search-azgraph.json']) {
        const path = fx.file(name);
        const fromFile = cli(['analyze', '-f', 'csv', path]);
        const fromStdin = cli(['analyze', '-f', 'csv', '-'], { input: readFileSync(path), env: { TMPDIR: temp } });
        assert.equal(fromStdin.code, fromFile.code, fromStdin.stderr);
        assert.ok(fromFile.stdout.split('\r\n').filter((l) => l.startsWith('srv-')).length >= 10, name);
        assert.equal(unnamed(fromStdin.stdout, path), unnamed(fromFile.stdout, path), name);
        assert.deepEqual(readdirSync(temp).filter((f) => f.startsWith('wac-doctor')), [], `${name}: the spilled rows are removed`);
      }
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  it('a cut export on stdin: a warning naming <stdin>, the rows before the cut reported', function () {
    const r = cli(['analyze', '-f', 'csv', '-'], { input: readFileSync(fx.file('bad-truncated.json')) });
    assert.match(r.stderr, /warning: <stdin>: is not complete JSON .* after \d+ complete rows? \(those were analyzed\)/);
    assert.ok(r.stdout.split('\r\n').filter((l) => l.startsWith('srv-')).length >= 1);
    const empty = cli(['analyze', '-f', 'csv', fx.file('query-az.json'), '-'], { input: '' });
    assert.ok(empty.code === 1, empty.stderr);
  });

  it('text on stdin beside an export file is pasted input, not lost', function () {
    const r = cli(['analyze', '-f', 'json', fx.file('query-az.json'), '-'], { input: 'Agent Status : Disconnected\nAgent Version : 1.40.02664.1629\n' });
    const json = JSON.parse(r.stdout) as { reports: Array<{ target?: { kind: string }; inputs: Array<{ path: string; status: string }> }> };
    const pasted = json.reports.find((rep) => rep.inputs.some((i) => i.path === '<stdin>'));
    assert.ok(pasted, 'a report of the standard input');
    assert.equal(pasted.inputs.find((i) => i.path === '<stdin>')!.status, 'parsed');
  });

  it('a write that fails part-way: one line, exit 2, and the CLI exits although stdin was not read to its end', function () {
    const r = cli(['analyze', '-f', 'csv', '-o', join(fx.dir, 'no-such-dir', 'out.csv'), '-'], { input: readFileSync(fx.file('query-az.json')) });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /--output .*out\.csv: cannot write/);
    assert.doesNotMatch(r.stderr, /not complete JSON/, 'a failed write is not the page\'s fault');
  });

  it('streams: machines are reported while the export is still arriving', async function () {
    const path = join(fx.dir, 'stream-300.json');
    await generateFleetFile(path, 300);
    const bytes = readFileSync(path);
    const child = spawn(process.execPath, [...CLI_ARGS, 'analyze', '-f', 'csv', '-'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Most of the export, then wait: rows must come out before the rest (and the end of the stream) is written.
    const cut = Math.floor(bytes.length * 0.7);
    child.stdin.write(bytes.subarray(0, cut));
    const deadline = Date.now() + 60000;
    while (!/\r\nsrv000100,/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(out, /\r\nsrv000100,/, `rows reported before stdin ended (stderr: ${err})`);
    assert.ok(!out.includes('srv000299,'), 'the last machine is not yet written');
    child.stdin.end(bytes.subarray(cut));
    assert.equal(await exited, 1, err);
    assert.equal(out.split('\r\n').filter((l) => l.startsWith('srv')).length, 300);
  });
});
