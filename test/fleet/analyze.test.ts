/** Fleet analysis: one report per machine with the single-machine fact mapping, every failure class, paging, bad rows. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFleet, type FleetRun } from '../../core/fleet/analyze';
import { machineFacts } from '../../core/fleet/machine';
import { azMachineParser } from '../../core/parsers/az-machine';
import type { Report } from '../../core/model/report';
import { RULES } from '../../rules';
import { CLASSES, classMachines, machineRow, page, queryRow, type FailureClass } from '../../scripts/fleet-fixtures';
import { fixtureDir } from './support';

const byRule = (r: Report): Record<string, string> => Object.fromEntries(r.results.map((f) => [f.ruleId, f.status]));
const byName = (run: FleetRun): Map<string, Report> => new Map(run.reports.map((r) => [r.target!.name, r]));

/** The rule each class must fail (its first blocking cause); healthy and port-missing (a warning) fail none. */
const EXPECTED: Record<FailureClass, string | undefined> = {
  healthy: undefined, disconnected: 'agent-status', 'old-agent': 'agent-version', 'unsupported-os': 'os-version', linux: 'os-version',
  'sovereign-cloud': 'cloud', 'extension-failed': 'extension-status', 'port-missing': undefined, blocklisted: 'extension-allowed',
  'license-absent': 'license', 'no-extension': 'extension-status',
};

describe('fleet analysis', function () {
  const fx = fixtureDir();
  after(fx.cleanup);

  it('one report per machine, target name and ARM id, each failure class failing its rule', async function () {
    const run = await analyzeFleet([fx.file('query-az.json')], { rules: RULES });
    assert.equal(run.reports.length, CLASSES.length);
    const reports = byName(run);
    for (const cls of CLASSES) {
      const r = reports.get(`srv-${cls}`)!;
      assert.equal(r.target!.kind, 'machine');
      assert.match(r.target!.id!, new RegExp(`/resourceGroups/rg-${cls}/providers/Microsoft\\.HybridCompute/machines/srv-${cls}$`));
      const fails = r.results.filter((f) => f.status === 'fail').map((f) => f.ruleId);
      const want = EXPECTED[cls];
      if (want) assert.ok(fails.includes(want), `${cls}: ${fails.join(',')}`);
      else assert.deepEqual(fails, [], cls);
    }
    assert.equal(byRule(reports.get('srv-port-missing')!)['incoming-ports'], 'warn');
    assert.equal(run.summary.machines, CLASSES.length);
  });

  it('rules whose facts Azure does not hold skip with a reason, never fail', async function () {
    const run = await analyzeFleet([fx.file('query-az.json')], { rules: RULES });
    const r = byName(run).get('srv-healthy')!;
    for (const id of ['agent-services', 'endpoint-wac', 'wac-service', 'tls-inspection', 'rbac']) {
      const f = r.results.find((x) => x.ruleId === id)!;
      assert.equal(f.status, 'skip', id);
      assert.match(f.message, /^Not checked: needs /, id);
    }
  });

  it('the same verdicts from every export shape, fleet query rows or plain resource rows', async function () {
    const base = byName(await analyzeFleet([fx.file('query-az.json')], { rules: RULES }));
    for (const f of ['query-rest.json', 'query-search-azgraph.json', 'query-array.json', 'plain-az.json', 'plain-rest.json', 'plain-search-azgraph.json', 'plain-array.json']) {
      const other = byName(await analyzeFleet([fx.file(f)], { rules: RULES }));
      assert.equal(other.size, base.size, f);
      for (const [name, r] of base) assert.deepEqual(byRule(other.get(name)!), byRule(r), `${f} ${name}`);
    }
  });

  it('several pages are one fleet; plain machines join extension rows found on another page', async function () {
    const run = await analyzeFleet([fx.file('paged-plain-1.json'), fx.file('paged-plain-2.json')], { rules: RULES });
    assert.equal(run.reports.length, CLASSES.length);
    const reports = byName(run);
    assert.equal(byRule(reports.get('srv-extension-failed')!)['extension-status'], 'fail');
    assert.equal(byRule(reports.get('srv-healthy')!)['extension-status'], 'pass');
    assert.equal(byRule(reports.get('srv-no-extension')!)['extension-status'], 'fail');
    const q = await analyzeFleet([fx.file('paged-query-1.json'), fx.file('paged-query-2.json')], { rules: RULES });
    assert.equal(q.reports.length, CLASSES.length);
  });

  it('only one page of several: says the rest are missing (total_records and skip_token)', async function () {
    const run = await analyzeFleet([fx.file('paged-query-1.json')], { rules: RULES });
    assert.ok(run.inputs[0]!.messages.some((m) => /paged-query-1\.json: the query has 11 rows but these pages hold 6 .*--skip-token/.test(m)), run.inputs[0]!.messages.join('\n'));
  });

  it('malformed pages and rows: one line naming the file (and row), the other pages\' machines analyzed', async function () {
    const run = await analyzeFleet([fx.file('bad-no-data.json'), fx.file('bad-row.json'), fx.file('query-az.json'), fx.file('bad-truncated.json')], { rules: RULES });
    const [noData, badRow, good, truncated] = run.inputs;
    assert.equal(noData!.status, 'error');
    assert.match(noData!.messages[0]!, /bad-no-data\.json: no "data" array/);
    assert.equal(badRow!.status, 'parsed');
    assert.ok(badRow!.messages.some((m) => /bad-row\.json: data\[0\]: a machine row \(srv-noprops\) without properties.*row skipped/.test(m)));
    assert.deepEqual(good!.messages, []);
    assert.match(truncated!.messages[0]!, /bad-truncated\.json: is not complete JSON/);
    const names = run.reports.map((r) => r.target!.name);
    assert.ok(names.includes('srv-after-bad-row'));
    assert.equal(names.filter((n) => n.startsWith('srv-') && CLASSES.some((c) => n === `srv-${c}`)).length, CLASSES.length);
    // The truncated page repeats query-az.json's first machines: reported once, the repeat named.
    assert.ok(truncated!.messages.some((m) => /machine srv-healthy again/.test(m)));
  });

  it('the fact mapping is the single-machine parser\'s: a plain row gives the observations az connectedmachine show gives', function () {
    for (const m of classMachines()) {
      const row = machineRow(m);
      const viaParser = azMachineParser.parse(JSON.stringify(row, null, 2), { path: 'show.json', source: 'pasted' }).observations;
      const viaFleet = machineFacts(row, 'fleet.json', 'data[0]', { kind: 'unknown' }).observations;
      const plain = (list: typeof viaParser): string[] => list.map((o) => `${o.name}=${JSON.stringify(o.value)}@${o.time ?? ''}`).sort();
      // The fleet adds the cloud its region belongs to; everything else is the parser's, value for value.
      assert.deepEqual(plain(viaFleet.filter((o) => o.name !== 'agent.cloud')), plain(viaParser), m.name);
      const flat = machineFacts(queryRow(m), 'fleet.json', 'data[0]', { kind: 'unknown' }).observations;
      assert.deepEqual(plain(flat.filter((o) => o.name !== 'agent.cloud')), plain(viaParser), `${m.name} (fleet query row)`);
    }
  });

  it('evidence names the page, the row and the property', async function () {
    const run = await analyzeFleet([fx.file('plain-az.json')], { rules: RULES });
    const f = byName(run).get('srv-old-agent')!.results.find((x) => x.ruleId === 'agent-version')!;
    assert.ok(f.evidence.some((e) => e.path === fx.file('plain-az.json') && /^data\[\d+\]\.properties\.agentVersion: "1\.35\.02478\.692"$/.test(e.excerpt ?? '')), JSON.stringify(f.evidence));
  });

  it('onReport streams the reports and keeps none', async function () {
    const seen: string[] = [];
    const run = await analyzeFleet([fx.file('query-az.json')], { rules: RULES, onReport: (r, m) => { seen.push(`${r.target!.name}|${m.resourceGroup}`); } });
    assert.deepEqual(run.reports, []);
    assert.equal(seen.length, CLASSES.length);
    assert.ok(seen.includes('srv-linux|rg-linux'));
  });

  it('plain machine rows and no extension row anywhere in the export: the extension is not known (skip), not "not installed"', async function () {
    const noJoin = join(fx.dir, 'plain-machines-only.json');
    writeFileSync(noJoin, JSON.stringify(page('az', classMachines().map(machineRow), null, CLASSES.length)));
    const r = byName(await analyzeFleet([noJoin], { rules: RULES })).get('srv-healthy')!;
    assert.equal(byRule(r)['extension-status'], 'skip');
  });
});
