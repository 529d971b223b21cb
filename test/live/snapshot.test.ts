import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { detectParser } from '../../core/parsers';
import { evaluate } from '../../core/engine/pipeline';
import { ingestText } from '../../core/engine/ingest';
import { FactStore } from '../../core/engine/fact-store';
import type { InputSummary } from '../../core/model/report';
import { checkMachine } from '../../core/sources/live/check';
import type { CheckOptions } from '../../core/sources/live/options';
import { collectSnapshot, MANIFEST_ENTRY, PROBES_ENTRY, type SnapshotManifest } from '../../core/sources/live/snapshot';
import { wacDoctorProbesParser } from '../../core/parsers/wac-doctor-probes';
import { RULES } from '../../rules';
import { TestProxy } from './harness/servers';
import { FIXTURE_NOW, LoopbackWorld, recordedWindows } from './harness/world';

function readZip(path: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`));
      const out = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** What an analyzer does with the zip elsewhere: every entry by content, the probes file by its own parser. */
function analyzeEntries(entries: Map<string, string>) {
  const facts = new FactStore();
  const inputs: InputSummary[] = [];
  for (const [name, text] of entries) {
    if (name === MANIFEST_ENTRY) continue;
    if (wacDoctorProbesParser.detect(text) > 0) {
      const r = wacDoctorProbesParser.parse(text, { path: name, source: 'bundle' });
      facts.add(...r.observations);
      inputs.push({ path: name, kind: wacDoctorProbesParser.id, status: 'parsed', facts: r.observations.length, messages: [] });
    } else {
      inputs.push(ingestText(facts, name, text, 'bundle'));
    }
  }
  return evaluate(facts, inputs, { rules: RULES, now: FIXTURE_NOW }, new Set(['bundle']));
}

describe('collectSnapshot (collect here, analyze elsewhere)', function () {
  this.timeout(30000);
  let world: LoopbackWorld;
  let proxy: TestProxy;
  let dir: string;
  before(async () => {
    world = await new LoopbackWorld().start();
    proxy = await new TestProxy('auth', () => world.https.port).start();
    dir = await mkdtemp(join(tmpdir(), 'wac-doctor-snapshot-'));
  });
  after(async () => {
    await Promise.all([world?.stop(), proxy?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  const scenarios: Record<string, () => CheckOptions> = {
    windows: () => world.options(recordedWindows('windows')),
    'windows-legacy': () => world.options({
      ...recordedWindows('windows-legacy'),
      connectTo: [`::127.0.0.1:${world.https.port}`, `localhost:6516:127.0.0.1:${world.closed}`, `proxy.corp.example:3128:127.0.0.1:${proxy.port}`],
    }),
  };

  for (const [name, options] of Object.entries(scenarios)) {
    it(`${name}: the zip gives the same findings as the live check`, async () => {
      const zipPath = join(dir, `${name}.zip`);
      const result = await collectSnapshot(zipPath, options());
      const entries = await readZip(zipPath);
      assert.deepEqual([...entries.keys()].sort(), [...result.entries].sort());

      const manifest = JSON.parse(entries.get(MANIFEST_ENTRY)!) as SnapshotManifest;
      assert.equal(manifest.tool, 'wac-doctor');
      assert.equal(manifest.createdAt, FIXTURE_NOW.toISOString());
      assert.equal(manifest.platform, 'win32');
      assert.equal(manifest.redacted, true);
      assert.ok(entries.has(PROBES_ENTRY));

      // Each command entry is claimed, by content, by the parser the live check used.
      const live = await checkMachine(options());
      for (const input of live.inputs.filter((i) => i.kind && i.kind !== 'wac-doctor-probes')) {
        const entry = [...entries.entries()].find(([, text]) => detectParser(text)?.id === input.kind);
        assert.ok(entry, `an entry for ${input.path} (${input.kind})`);
      }

      const offline = analyzeEntries(entries);
      const byRule = (r: typeof live) => Object.fromEntries(r.results.map((f) => [f.ruleId, f.status]));
      assert.deepEqual(byRule(offline), byRule(live));
      assert.ok(offline.inputs.every((i) => i.status === 'parsed' || i.path.startsWith('files/')), JSON.stringify(offline.inputs));
    });
  }

  it('redacts credentials and never copies the gateway configuration', async () => {
    const a = join(dir, 'legacy-redacted.zip');
    await collectSnapshot(a, scenarios['windows-legacy']!());
    const all = [...(await readZip(a)).values()].join('\n');
    assert.doesNotMatch(all, /S3cret|svc-arc/);
    assert.match(all, /\*\*\*@proxy\.corp\.example:3128/);
    const b = join(dir, 'healthy.zip');
    await collectSnapshot(b, scenarios.windows!());
    const healthy = await readZip(b);
    assert.doesNotMatch([...healthy.values()].join('\n'), /plaintext:|c3ZjLWFyYzpTM2NyZXQh/);
    assert.ok(healthy.has('files/Packages/Plugins/Microsoft.AdminCenter.AdminCenter/0.85.0.0/Status/1.status'));
    assert.equal(healthy.get('files/Packages/Plugins/Microsoft.AdminCenter.AdminCenter/0.85.0.0/Status/1.status')?.includes('Windows Admin Center is running on port 6516'), true);
  });

  it('keeps everything with redact: false, and leaves no temporary file behind', async () => {
    const p = join(dir, 'raw.zip');
    await collectSnapshot(p, { ...scenarios['windows-legacy']!(), redact: false });
    assert.match([...(await readZip(p)).values()].join('\n'), /svc-arc:S3cret!@proxy\.corp\.example/);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
  });

  it('fails cleanly when the zip cannot be written', async () => {
    await assert.rejects(collectSnapshot(join(dir, 'missing-dir', 'x.zip'), scenarios.windows!()), /ENOENT/);
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
  });
});
