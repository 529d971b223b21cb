/**
 * `collect` and `check` go through the one redactor (issue 12 item 3): a proxy password with `/`, `@` and `\` never
 * reaches the snapshot (which says "redacted") nor any format of the live report.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import yauzl from 'yauzl';
import { checkMachine } from '../../core/sources/live/check';
import { collectSnapshot } from '../../core/sources/live/snapshot';
import { FORMATS, render } from '../../core/reporters';
import { RULES } from '../../rules';
import { TestProxy } from './harness/servers';
import { FIXTURES, LoopbackWorld, recordedWindows } from './harness/world';

const ORIGINAL = 'svc-arc:S3cret!@proxy.corp.example';
const HOSTILE = 'corp\\svc-arc:Pa/ss@w0rd@proxy.corp.example';
const PARTS = ['Pa/ss', 'ss@w0rd', 'w0rd', 'svc-arc', 'S3cret'];

function zipText(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`));
      const parts: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => zip.openReadStream(entry, (e, s) => {
        if (e || !s) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c));
        s.on('end', () => { parts.push(Buffer.concat(chunks).toString('utf8')); zip.readEntry(); });
      }));
      zip.on('end', () => resolve(parts.join('\n')));
      zip.readEntry();
    });
  });
}

describe('live collect and check: one redactor', function () {
  this.timeout(60000);
  let world: LoopbackWorld;
  let proxy: TestProxy;
  let dir: string;
  let fixture: string;
  before(async () => {
    world = await new LoopbackWorld().start();
    proxy = await new TestProxy('auth', () => world.https.port).start();
    dir = mkdtempSync(join(tmpdir(), 'wac-doctor-live-redact-'));
    fixture = join(dir, 'windows-legacy');
    cpSync(join(FIXTURES, 'windows-legacy'), fixture, { recursive: true });
    for (const f of ['azcmagent-config-list.txt', 'azcmagent-show.txt']) {
      const text = readFileSync(join(fixture, f), 'utf8');
      assert.ok(text.includes(ORIGINAL), f);
      writeFileSync(join(fixture, f), text.split(ORIGINAL).join(HOSTILE));
    }
  });
  after(async () => {
    await Promise.all([world?.stop(), proxy?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const options = () => world.options({
    ...recordedWindows(relative(FIXTURES, fixture)),
    connectTo: [`::127.0.0.1:${world.https.port}`, `localhost:6516:127.0.0.1:${world.closed}`, `proxy.corp.example:3128:127.0.0.1:${proxy.port}`],
  });

  it('the snapshot holds no part of the password', async () => {
    const zip = join(dir, 'snap.zip');
    await collectSnapshot(zip, options());
    const all = await zipText(zip);
    for (const p of PARTS) assert.ok(!all.includes(p), `${p} in the snapshot: ${all.split('\n').filter((l) => l.includes(p)).slice(0, 3).join(' / ')}`);
    assert.match(all, /http:\/\/\*\*\*@proxy\.corp\.example:3128/);
  });

  it('no format of the check report holds any part of it', async () => {
    const report = await checkMachine({ ...options(), rules: RULES });
    assert.ok(JSON.stringify(report).includes('Pa/ss'), 'the raw report has it (so the test can fail)');
    for (const format of FORMATS) {
      const out = render(format, report, { rules: RULES, color: false, verbose: true, redact: true, failOn: 'fail' });
      for (const p of PARTS) assert.ok(!out.includes(p), `${format}: ${p}: ${out.split('\n').filter((l) => l.includes(p)).slice(0, 3).join(' / ')}`);
    }
  });
});
