/**
 * Parity: the PowerShell collector on a recorded Windows machine (its Windows-only commands answering from
 * fixtures/live/<machine>, its probes going to the same loopback servers) gives a snapshot that `wac-doctor analyze`
 * reads to the same findings as the Node collector's snapshot of the same machine.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNAPSHOT_ENTRIES, WINDOWS_COMMANDS } from '../../core/sources/live/collector-spec';
import type { CheckOptions } from '../../core/sources/live/options';
import { collectSnapshot, type SnapshotManifest } from '../../core/sources/live/snapshot';
import type { Report } from '../../core/model/report';
import { analyzeInputs } from '../../core/sources/targets';
import { RULES } from '../../rules';
import { TestProxy } from '../live/harness/servers';
import { FIXTURE_NOW, FIXTURES, LoopbackWorld, recordedWindows } from '../live/harness/world';
import { readZip, requirePwsh, ROOT, runPwsh } from './pwsh';

const RECORDED_RUN = join(ROOT, 'collector', 'tests', 'RecordedRun.ps1');
/** Generous: the run ends when its probes do (nothing here blackholes), so a loaded machine still finishes them. */
const SCRIPT_TIMEOUT_S = 20;

describe('PowerShell collector parity with the Node collector (same outputs, same findings)', function () {
  this.timeout(180_000);
  let pwsh: string;
  let world: LoopbackWorld;
  let proxy: TestProxy;
  let dir: string;
  let caFile: string;
  before(async function () {
    pwsh = requirePwsh(this);
    world = await new LoopbackWorld().start();
    proxy = await new TestProxy('auth', () => world.https.port).start();
    dir = await mkdtemp(join(tmpdir(), 'wac-doctor-parity-'));
    caFile = join(dir, 'ca.pem');
    await writeFile(caFile, world.root.pem);
  });
  after(async () => {
    await Promise.all([world?.stop(), proxy?.stop()]);
    if (dir && !process.env.KEEP_PARITY) await rm(dir, { recursive: true, force: true });
    if (process.env.KEEP_PARITY) console.log(dir);
  });

  const scenarios: Record<string, () => { node: CheckOptions; connectTo: string[] }> = {
    windows: () => ({ node: world.options(recordedWindows('windows')), connectTo: [`::127.0.0.1:${world.https.port}`] }),
    'windows-legacy': () => {
      const connectTo = [`::127.0.0.1:${world.https.port}`, `localhost:6516:127.0.0.1:${world.closed}`, `proxy.corp.example:3128:127.0.0.1:${proxy.port}`];
      return { node: world.options({ ...recordedWindows('windows-legacy'), connectTo }), connectTo };
    },
  };

  const byRule = (r: Report): Record<string, string> => Object.fromEntries(r.results.map((f) => [f.ruleId, f.status]));
  const scriptOnly = new Set(WINDOWS_COMMANDS.filter((c) => !c.collectors.includes('node')).map((c) => c.entry));

  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`${name}: the script's snapshot gives the Node snapshot's findings`, async () => {
      const s = scenario();
      const nodeZip = join(dir, `${name}-node.zip`);
      const psZip = join(dir, `${name}-ps.zip`);
      await collectSnapshot(nodeZip, s.node);
      const run = await runPwsh(pwsh, [
        '-File', RECORDED_RUN, '-Fixture', join(FIXTURES, name), '-Now', FIXTURE_NOW.toISOString(), '-OutputPath', psZip,
        '-TimeoutSeconds', String(SCRIPT_TIMEOUT_S), '-DnsServer', world.dns.address, '-CaFile', caFile, '-ConnectTo', s.connectTo.join(','),
      ], { env: { HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '' } });
      assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);

      const [nodeEntries, psEntries] = await Promise.all([readZip(nodeZip), readZip(psZip)]);
      // The same layout: every Node entry under the same name, plus the script-only outputs of the table.
      const extra = [...psEntries.keys()].filter((e) => !nodeEntries.has(e));
      assert.deepEqual([...nodeEntries.keys()].filter((e) => !psEntries.has(e)), [], 'entries the script did not write');
      assert.ok(extra.every((e) => scriptOnly.has(e)), `unexpected entries ${extra.join(', ')}`);
      const manifest = JSON.parse(psEntries.get(SNAPSHOT_ENTRIES.manifest)!) as SnapshotManifest;
      assert.deepEqual(Object.keys(manifest).sort(), Object.keys(JSON.parse(nodeEntries.get(SNAPSHOT_ENTRIES.manifest)!) as object).sort());
      assert.equal(manifest.createdAt, FIXTURE_NOW.toISOString());
      for (const entry of nodeEntries.keys()) {
        if (entry.startsWith('commands/azcmagent') || entry.startsWith('files/') || entry.startsWith('commands/sc-query') || entry === 'commands/reg-query-sme.txt') {
          assert.equal(psEntries.get(entry)!.replace(/\r\n/g, '\n'), nodeEntries.get(entry)!.replace(/\r\n/g, '\n'), entry);
        }
      }

      const [[nodeReport], [psReport]] = await Promise.all([analyzeInputs([nodeZip], { rules: RULES }), analyzeInputs([psZip], { rules: RULES })]);
      assert.equal(psReport!.target?.kind, 'snapshot');
      // Only the script gathers Get-TlsCipherSuite so far (entries beyond the Node collector's): the rules those
      // entries feed are compared for being judged by the script, not for equality with the Node snapshot.
      const SCRIPT_ONLY = ['tls-cipher-suites'];
      const without = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([id]) => !SCRIPT_ONLY.includes(id)));
      assert.deepEqual(without(byRule(psReport!)), without(byRule(nodeReport!)));
      if (name === 'windows') for (const id of SCRIPT_ONLY) assert.notEqual(byRule(psReport!)[id], 'skip', `${id} is judged from the script's snapshot`);
      // Not vacuous: the recorded machines pass and fail real checks.
      assert.ok(Object.values(byRule(psReport!)).filter((x) => x === 'pass').length >= 8, JSON.stringify(byRule(psReport!)));
      if (name === 'windows-legacy') assert.ok(Object.values(byRule(psReport!)).includes('fail'));
      assert.ok(psReport!.inputs.every((i) => i.status !== 'error'), JSON.stringify(psReport!.inputs));
    });
  }
});
