/**
 * `wac-doctor-collect.ps1 -AsJson` (the snapshot as one JSON document on stdout, for Azure Arc Run Command) and
 * `wac-doctor analyze` reading it: bare, as `az connectedmachine run-command show` JSON, and malformed.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundleEntryBytes } from '../../core/sources/bundle/lookup';
import { SNAPSHOT_DOC, SNAPSHOT_ENTRIES } from '../../core/sources/live/collector-spec';
import type { Report } from '../../core/model/report';
import { analyzeInputs, classifyInput } from '../../core/sources/targets';
import { RULES } from '../../rules';
import { FIXTURE_NOW, FIXTURES, LoopbackWorld } from '../live/harness/world';
import { readZip, requirePwsh, ROOT, runPwsh } from './pwsh';

const RECORDED_RUN = join(ROOT, 'collector', 'tests', 'RecordedRun.ps1');
const BIN = join(ROOT, 'bin', 'wac-doctor.js');

interface Doc { wacDoctorSnapshot: number; manifest: Record<string, unknown>; entries: Record<string, string>; truncated?: unknown[] }

/** What `az connectedmachine run-command show` prints (camelCase, the script's stdout in instanceView.output). */
function runCommandShow(output: string, script = '# wac-doctor-collect.ps1 ...'): Record<string, unknown> {
  return {
    asyncExecution: false, errorBlobUri: null,
    id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/srv-wac-03/runCommands/wac-doctor',
    instanceView: {
      endTime: '2026-11-26T12:00:09+00:00', error: 'wac-doctor: wrote the snapshot document to stdout', executionMessage: 'RunCommand script execution completed',
      executionState: 'Succeeded', exitCode: 0, output, startTime: '2026-11-26T12:00:01+00:00', statuses: null,
    },
    location: 'westeurope', name: 'wac-doctor', outputBlobUri: null, parameters: [{ name: 'AsJson', value: 'true' }], provisioningState: 'Succeeded',
    resourceGroup: 'rg', source: { script }, timeoutInSeconds: 0, type: 'Microsoft.HybridCompute/machines/runCommands',
  };
}

/** Findings without the input's name (the same snapshot under two names). */
function findings(report: Report, name: string): unknown {
  return JSON.parse(JSON.stringify(report.results).split(JSON.stringify(name).slice(1, -1)).join('<input>')) as unknown;
}

const byRule = (r: Report): Record<string, string> => Object.fromEntries(r.results.map((f) => [f.ruleId, f.status]));

interface Run { code: number | null; stdout: string; stderr: string }
function cli(args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' }, timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('wac-doctor-collect.ps1 -AsJson and analyze of the document', function () {
  this.timeout(180_000);
  let pwsh: string;
  let world: LoopbackWorld;
  let dir: string;
  let zipPath: string;
  let docPath: string;
  let docText: string;
  let zipEntries: Map<string, string>;
  let doc: Doc;

  before(async function () {
    pwsh = requirePwsh(this);
    world = await new LoopbackWorld().start();
    dir = await mkdtemp(join(tmpdir(), 'wac-doctor-asjson-'));
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, world.root.pem);
    const common = [
      '-File', RECORDED_RUN, '-Fixture', join(FIXTURES, 'windows'), '-Now', FIXTURE_NOW.toISOString(), '-TimeoutSeconds', '20',
      '-DnsServer', world.dns.address, '-CaFile', caFile, '-ConnectTo', `::127.0.0.1:${world.https.port}`,
    ];
    const env = { HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '' };
    zipPath = join(dir, 'snapshot.zip');
    const [zipRun, docRun] = await Promise.all([
      runPwsh(pwsh, [...common, '-OutputPath', zipPath], { env }),
      runPwsh(pwsh, [...common, '-AsJson', '-OutputPath', join(dir, 'never.zip')], { env }),
    ]);
    assert.ok(zipRun.code === 0 || zipRun.code === 1, `zip run: exit ${zipRun.code}: ${zipRun.stderr}`);
    assert.equal(docRun.code, zipRun.code, `-AsJson run: exit ${docRun.code}: ${docRun.stderr}`);
    assert.match(docRun.stderr, /wac-doctor: wrote the snapshot document to stdout \(10 entries/);
    docText = docRun.stdout;
    docPath = join(dir, 'run-output.txt');
    await writeFile(docPath, docText);
    zipEntries = await readZip(zipPath);
    doc = JSON.parse(docText) as Doc;
    await assert.rejects(readFile(join(dir, 'never.zip')), 'no zip is written with -AsJson');
  });
  after(async () => {
    await world?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the document alone on stdout: one compact ASCII line, version 1, the zip\'s entry names and texts', () => {
    assert.equal(docText.split('\n').length, 2, 'one line and its newline');
    assert.ok(docText.endsWith('}\n'));
    assert.doesNotMatch(docText, /[^\x00-\x7f]/);
    assert.equal(doc.wacDoctorSnapshot, SNAPSHOT_DOC.version);
    assert.deepEqual(Object.keys(doc), ['wacDoctorSnapshot', 'manifest', 'entries']);
    const names = [...zipEntries.keys()];
    assert.equal(names[0], SNAPSHOT_ENTRIES.manifest);
    assert.deepEqual(Object.keys(doc.entries), names.slice(1));
    assert.deepEqual(doc.manifest.entries, names.slice(1));
    const zipManifest = JSON.parse(zipEntries.get(SNAPSHOT_ENTRIES.manifest)!) as Record<string, unknown>;
    assert.deepEqual(doc.manifest, zipManifest);
    for (const name of names.slice(1)) {
      // probes.json holds per-run timings (two runs): the same endpoints in the same order, each judged alike.
      if (name === SNAPSHOT_ENTRIES.probes) {
        type Probes = { endpoints: Array<{ host: string; dns?: { ok?: boolean }; tcp?: { ok?: boolean }; tls?: { ok?: boolean } }> };
        const shape = (t: string) => (JSON.parse(t) as Probes).endpoints.map((e) => [e.host, e.dns?.ok, e.tcp?.ok, e.tls?.ok]);
        assert.deepEqual(shape(doc.entries[name]!), shape(zipEntries.get(name)!));
        continue;
      }
      assert.equal(doc.entries[name], zipEntries.get(name), name);
    }
    console.log(`      -AsJson document for fixtures/live/windows: ${Buffer.byteLength(docText)} bytes (zip: ${[...zipEntries.values()].reduce((n, t) => n + Buffer.byteLength(t), 0)} bytes of entries)`);
  });

  it('is recognized by content (not name) and analyzed as a snapshot with the zip\'s findings', async () => {
    assert.equal(await classifyInput(docPath), 'document');
    const [[fromZip], [fromDoc]] = await Promise.all([analyzeInputs([zipPath], { rules: RULES }), analyzeInputs([docPath], { rules: RULES })]);
    assert.equal(fromDoc!.target?.kind, 'snapshot');
    assert.equal(fromZip!.target?.kind, 'snapshot');
    assert.deepEqual(byRule(fromDoc!), byRule(fromZip!));
    assert.ok(Object.values(byRule(fromDoc!)).filter((s) => s === 'pass').length >= 8, JSON.stringify(byRule(fromDoc!)));
    assert.ok(fromDoc!.inputs.every((i) => i.status !== 'error'), JSON.stringify(fromDoc!.inputs));
  });

  it('goes through the zip\'s entry path: the zip\'s own entries as a document give exactly its findings', async () => {
    const entries = Object.fromEntries([...zipEntries].filter(([n]) => n !== SNAPSHOT_ENTRIES.manifest));
    const fromEntries = join(dir, 'from-zip.json');
    await writeFile(fromEntries, JSON.stringify({ wacDoctorSnapshot: 1, manifest: JSON.parse(zipEntries.get(SNAPSHOT_ENTRIES.manifest)!) as unknown, entries }));
    const [[fromZip], [fromDoc]] = await Promise.all([analyzeInputs([zipPath], { rules: RULES, now: FIXTURE_NOW }), analyzeInputs([fromEntries], { rules: RULES, now: FIXTURE_NOW })]);
    assert.deepEqual(findings(fromDoc!, fromEntries), findings(fromZip!, zipPath));
    assert.deepEqual(fromDoc!.summary, fromZip!.summary);
  });

  it('reads it inside `az connectedmachine run-command show` JSON (instanceView.output, or properties.instanceView.output), UTF-16 too', async () => {
    const [bare] = await analyzeInputs([docPath], { rules: RULES, now: FIXTURE_NOW });
    const script = await readFile(join(ROOT, 'collector', 'wac-doctor-collect.ps1'), 'utf8');
    const forms: Array<[string, Buffer]> = [
      ['show.json', Buffer.from(JSON.stringify(runCommandShow(docText, script), null, 2))],
      ['arm.json', Buffer.from(JSON.stringify({ id: 'x', name: 'wac-doctor', properties: runCommandShow(docText) }))],
      // Windows PowerShell 5.1's `az ... > run.json` writes UTF-16LE with a BOM.
      ['ps51.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(runCommandShow(docText)), 'utf16le')])],
    ];
    for (const [name, bytes] of forms) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      assert.equal(await classifyInput(path), 'document', name);
      const [report] = await analyzeInputs([path], { rules: RULES, now: FIXTURE_NOW });
      assert.equal(report!.target?.kind, 'snapshot', name);
      assert.deepEqual(findings(report!, path), findings(bare!, docPath), name);
    }
    const r = cli(['analyze', join(dir, 'show.json'), '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Report).target?.kind, 'snapshot');
  });

  it('shows its entries to the editor as the zip\'s (the evidence documents of the VS Code extension)', async () => {
    for (const name of ['commands/azcmagent-show.json', 'commands/reg-query-sme.txt', SNAPSHOT_ENTRIES.manifest]) {
      const found = await readBundleEntryBytes(docPath, name, 1024 * 1024);
      assert.equal(found.bytes.toString('utf8'), name === SNAPSHOT_ENTRIES.manifest ? `${JSON.stringify(doc.manifest, null, 2)}\n` : zipEntries.get(name), name);
    }
    await assert.rejects(readBundleEntryBytes(docPath, 'commands/nope.txt', 1024), /not in/);
  });

  it('answers a malformed document with one line naming the input, exit 2, no stack trace', async () => {
    const cases: Array<[name: string, text: string, message: RegExp]> = [
      ['truncated.json', docText.slice(0, Math.floor(docText.length / 2)), /the document is not complete JSON .*cut or damaged in transfer/],
      ['version.json', JSON.stringify({ ...doc, wacDoctorSnapshot: 2 }), /wacDoctorSnapshot 2 is not a version this wac-doctor reads \(1\)/],
      ['entry-number.json', JSON.stringify({ ...doc, entries: { ...doc.entries, 'probes.json': 42 } }), /entry "probes\.json" is number, not text/],
      ['entry-object.json', JSON.stringify({ ...doc, entries: { 'commands/x.txt': { text: 'a' } } }), /entry "commands\/x\.txt" is object, not text/],
      ['entries-array.json', JSON.stringify({ ...doc, entries: ['a'] }), /"entries" is missing or not an object/],
      ['no-manifest.json', JSON.stringify({ wacDoctorSnapshot: 1, entries: {} }), /"manifest" is missing or not an object/],
      ['wrapped-cut.json', JSON.stringify(runCommandShow(docText.slice(0, 4096))), /instanceView\.output is not complete JSON .*cut or damaged/],
      ['wrapped-empty.json', JSON.stringify(runCommandShow('', '# wacDoctorSnapshot')), /instanceView\.output is empty/],
      ['wrapped-other.json', JSON.stringify(runCommandShow('Hello World!', '# wacDoctorSnapshot')), /instanceView\.output is not a JSON document \(it begins "Hello World!"\): was the script run with -AsJson\?/],
    ];
    for (const [name, text, message] of cases) {
      const path = join(dir, name);
      await writeFile(path, text);
      const r = cli(['analyze', path]);
      assert.equal(r.code, 2, `${name}: exit ${r.code}: ${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${name}: ${r.stderr}`);
      assert.ok(lines[0]!.includes(path), `${name}: ${lines[0]}`);
      assert.match(lines[0]!, message, name);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('leaves other JSON alone: the probes document and azcmagent show -j are pasted text', async () => {
    const probes = join(dir, 'probes.json');
    await writeFile(probes, zipEntries.get(SNAPSHOT_ENTRIES.probes)!);
    assert.equal(await classifyInput(probes), 'text');
    assert.equal(await classifyInput(join(FIXTURES, 'windows', 'azcmagent-show.json')), 'text');
  });
});
