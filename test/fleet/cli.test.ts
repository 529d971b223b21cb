/** The fleet from the command line: analyze in every format, exit codes, fleet-query, fleet-collect with hostile names, snapshot merge. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSV_COLUMNS } from '../../core/reporters/csv';
import { tokenizePowerShell } from '../core/shell-tokenizers';
import { CLASSES, machineId, page, queryRow, SUBSCRIPTION } from '../../scripts/fleet-fixtures';
import { cli, fixtureDir } from './support';

describe('fleet CLI', function () {
  this.timeout(120000);
  const fx = fixtureDir();
  after(fx.cleanup);

  it('analyze text: the summary first, then one line per machine not ready; exit 1 when machines are blocked', function () {
    const r = cli(['analyze', fx.file('query-az.json')]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^Fleet: 11 machines from 1 export page: 2 ready, 9 not ready, 0 unknown$/);
    assert.ok(r.stdout.indexOf('Failing rules (worst first):') < r.stdout.indexOf('Machines not ready or unknown'));
    assert.match(r.stdout, /\n {2}srv-disconnected {2}not ready {2}agent-status \(fail\): Agent status is Disconnected/);
    assert.ok(!/\n {2}srv-healthy /.test(r.stdout), 'ready machines get no line');
    assert.ok(!r.stdout.includes('Windows Admin Center gateway'), 'no per-machine detail without --verbose');
    const v = cli(['analyze', '--verbose', fx.file('query-az.json')]);
    assert.ok(v.stdout.includes('srv-healthy') && v.stdout.length > r.stdout.length * 3, 'per-machine detail with --verbose');
  });

  it('exit 0 for a fleet that is all ready; exit 2 with one line when no page can be used', function () {
    const ok = join(fx.dir, 'ready.json');
    writeFileSync(ok, JSON.stringify(page('az', [queryRow({ name: 'a', resourceGroup: 'rg', cls: 'healthy' }), queryRow({ name: 'b', resourceGroup: 'rg', cls: 'healthy' })], null, 2)));
    const r = cli(['analyze', ok]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const bad = cli(['analyze', fx.file('bad-no-data.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad-no-data\.json: no "data" array of rows/);
    assert.ok(!bad.stderr.includes('    at '), 'no stack trace');
    assert.equal(bad.stdout, '');
  });

  it('a malformed page is a warning naming it; the good pages are still reported', function () {
    const r = cli(['analyze', '--format', 'json', fx.file('bad-truncated.json'), fx.file('paged-query-2.json')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /warning: .*bad-truncated\.json: is not complete JSON/);
    const json = JSON.parse(r.stdout) as { reports: unknown[]; fleet: { summary: { machines: number } } };
    assert.ok(json.fleet.summary.machines >= 6);
  });

  it('json: the multi-target contract (reports[], crossSummary[]) plus the fleet summary', function () {
    const r = cli(['analyze', '-f', 'json', fx.file('query-az.json')]);
    const json = JSON.parse(r.stdout) as { version: number; reports: Array<{ target: { kind: string; id: string }; results: unknown[] }>; crossSummary: Array<{ ruleId: string; counts: { fail: number } }>; fleet: { summary: { machines: number; notReady: number; topFixes: unknown[] }; pages: unknown[] } };
    assert.equal(json.version, 1);
    assert.equal(json.reports.length, CLASSES.length);
    assert.equal(json.reports[0]!.target.kind, 'machine');
    assert.match(json.reports[0]!.target.id, /^\/subscriptions\//);
    assert.equal(json.crossSummary.find((c) => c.ruleId === 'agent-status')!.counts.fail, 1);
    assert.equal(json.fleet.summary.machines, CLASSES.length);
    assert.equal(json.fleet.summary.notReady, 9);
    assert.equal(json.fleet.pages.length, 1);
  });

  it('csv, sarif (one run per machine), junit (one suite per machine), markdown (the summary first)', function () {
    const csv = cli(['analyze', '-f', 'csv', fx.file('query-az.json')]);
    const rows = csv.stdout.split('\r\n').filter(Boolean);
    assert.equal(rows[0], CSV_COLUMNS.join(','));
    assert.equal(rows.filter((l) => l.startsWith('srv-')).length, CLASSES.length);
    const sarif = JSON.parse(cli(['analyze', '-f', 'sarif', fx.file('query-az.json')]).stdout) as { runs: unknown[] };
    assert.equal(sarif.runs.length, CLASSES.length);
    const junit = cli(['analyze', '-f', 'junit', fx.file('query-az.json')]).stdout;
    assert.equal((junit.match(/<testsuite /g) ?? []).length, CLASSES.length);
    const md = cli(['analyze', '-f', 'markdown', fx.file('query-az.json')]);
    assert.ok(md.stdout.startsWith('# Fleet readiness\n'));
    assert.match(md.stdout, /\*\*9\*\* not ready/);
    assert.equal(md.code, 1);
  });

  it('-o writes the report to the file (streamed formats too), nothing on stdout', function () {
    const out = join(fx.dir, 'fleet.csv');
    const r = cli(['analyze', '-f', 'csv', '-o', out, fx.file('query-az.json')]);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(out, 'utf8').split('\r\n').filter(Boolean).length, CLASSES.length + 1);
  });

  it('fleet-query prints the KQL with the ARM property names and the paging commands; --kql the query alone', function () {
    const r = cli(['fleet-query']);
    assert.equal(r.code, 0);
    for (const name of ['properties.status', 'properties.lastStatusChange', 'properties.agentVersion', 'properties.osSku', 'properties.agentConfiguration',
      'properties.licenseProfile', 'properties.privateLinkScopeResourceId', 'properties.detectedProperties', 'properties.provisioningState',
      'properties.typeHandlerVersion', 'properties.settings', 'properties.instanceView', "microsoft.hybridcompute/machines/extensions", 'join kind=leftouter']) {
      assert.ok(r.stdout.includes(name), name);
    }
    assert.match(r.stdout, /az graph query -q .* --first 1000 .*--skip-token/);
    assert.match(r.stdout, /Search-AzGraph -Query \$q -First 1000 -SkipToken \$token/);
    const kql = cli(['fleet-query', '--kql']);
    assert.ok(kql.stdout.startsWith('resources\n'));
    assert.ok(!kql.stdout.includes('"'), 'no double quote: Windows PowerShell 5.1 passes it to az intact');
    assert.equal(cli(['fleet-query', 'extra']).code, 2);
  });

  it('fleet-collect: run-command lines for the machines not ready or unknown, every value quoted', function () {
    const r = cli(['fleet-collect', fx.file('query-az.json')]);
    assert.equal(r.code, 0, r.stderr);
    const creates = r.stdout.split('\n').filter((l) => l.startsWith('az connectedmachine run-command create'));
    const shows = r.stdout.split('\n').filter((l) => l.startsWith('az connectedmachine run-command show'));
    assert.equal(creates.length, 9);
    assert.equal(shows.length, 9);
    assert.ok(!r.stdout.includes("'srv-healthy'"), 'ready machines are not collected');
    const [create] = tokenizePowerShell(creates.find((l) => l.includes("'srv-linux'"))!);
    assert.deepEqual(create!.argv.slice(0, 12), ['az', 'connectedmachine', 'run-command', 'create', '--resource-group', 'rg-linux', '--machine-name', 'srv-linux', '--subscription', SUBSCRIPTION, '--location', 'westeurope']);
    const script = create!.argv[create!.argv.indexOf('--script') + 1]!;
    assert.match(script, /^@.*collector[\\/]wac-doctor-collect\.ps1$/);
    assert.deepEqual(create!.argv.slice(-2), ['--async-execution', 'false']);
    assert.ok(create!.argv.includes('[{name:AsJson,value:true}]'));
    const show = shows.find((l) => l.includes("'srv-linux'"))!;
    const cut = show.indexOf(' > ');
    assert.equal(show.slice(cut), " > 'srv-linux.json'");
    assert.deepEqual(tokenizePowerShell(show.slice(0, cut))[0]!.argv.slice(-5), ['wac-doctor-collect', '--query', 'instanceView.output', '-o', 'tsv']);
  });

  it('fleet-collect refuses hostile names with one line each and never prints them in a command', function () {
    const hostile = [
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/x';Remove-Item C:\\ -Recurse;'`,
      `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg$(calc)/providers/Microsoft.HybridCompute/machines/ok`,
      '/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/ok',
    ];
    const good = machineId({ name: 'srv-01', resourceGroup: 'rg-(prod)', cls: 'healthy' });
    const r = cli(['fleet-collect', ...hostile, good]);
    assert.equal(r.code, 2, 'something was refused');
    const refusals = r.stderr.split('\n').filter((l) => l.includes('refused'));
    assert.equal(refusals.length, 3, r.stderr);
    assert.ok(!r.stdout.includes('Remove-Item') && !r.stdout.includes('calc') && !r.stdout.includes('not-a-guid'));
    const create = r.stdout.split('\n').find((l) => l.startsWith('az connectedmachine run-command create'))!;
    assert.deepEqual(tokenizePowerShell(create)[0]!.argv.slice(4, 8), ['--resource-group', 'rg-(prod)', '--machine-name', 'srv-01']);
    assert.ok(create.includes("--location '<region>'"), 'no region known for a bare id: a placeholder');
    // A fleet row with a hostile machine name: refused, the others planned.
    const evil = join(fx.dir, 'evil.json');
    writeFileSync(evil, JSON.stringify(page('az', [
      { ...queryRow({ name: 'srv-ok', resourceGroup: 'rg', cls: 'disconnected' }) },
      { ...queryRow({ name: 'srv-ok2', resourceGroup: 'rg', cls: 'disconnected' }), name: "bad'; calc #", id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/bad'; calc #` },
    ], null, 2)));
    const f = cli(['fleet-collect', evil]);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /machine name "bad'; calc #" is not a valid Arc machine name .*refused/);
    assert.ok(!f.stdout.includes('calc'));
    assert.equal(f.stdout.split('\n').filter((l) => l.startsWith('az connectedmachine run-command create')).length, 1);
  });

  it('analyze merges a run-command snapshot with its fleet machine: one report, newest facts win', function () {
    const m = { name: 'srv-disconnected', resourceGroup: 'rg-disconnected', cls: 'disconnected' as const };
    const show = {
      resourceName: m.name, resourceId: machineId(m), status: 'Connected', lastHeartbeat: '2026-12-01T10:00:00Z', agentVersion: '1.67.03263.2876', location: 'westeurope',
      cloud: 'AzureCloud', services: [{ serviceName: 'himds', displayName: 'Azure Hybrid Instance Metadata Service', status: 'running' }],
    };
    const doc = { wacDoctorSnapshot: 1, manifest: { tool: 'wac-doctor', version: 1, machine: m.name, createdAt: '2026-12-01T10:00:05Z' }, entries: { 'commands/azcmagent-show.json': JSON.stringify(show) } };
    const run = join(fx.dir, `${m.name}.json`);
    writeFileSync(run, JSON.stringify({ id: `${machineId(m)}/runCommands/wac-doctor-collect`, instanceView: { executionState: 'Succeeded', exitCode: 0, output: JSON.stringify(doc) }, name: 'wac-doctor-collect', type: 'Microsoft.HybridCompute/machines/runCommands' }));
    const r = cli(['analyze', '-f', 'json', fx.file('query-az.json'), run]);
    const json = JSON.parse(r.stdout) as { reports: Array<{ target: { kind: string; name: string; id?: string }; results: Array<{ ruleId: string; status: string }>; inputs: Array<{ kind: string | null }> }>; fleet: { summary: { machines: number } } };
    const mine = json.reports.filter((x) => x.target.id === machineId(m));
    assert.equal(mine.length, 1, 'one report for the machine, not two');
    assert.equal(mine[0]!.target.kind, 'snapshot');
    assert.ok(mine[0]!.inputs.some((i) => i.kind === 'arg-export'));
    assert.equal(mine[0]!.results.find((f) => f.ruleId === 'agent-status')!.status, 'pass', 'the snapshot\'s newer Connected wins over Azure\'s older Disconnected');
    assert.equal(mine[0]!.results.find((f) => f.ruleId === 'extension-status')!.status, 'pass', 'the extension still comes from Resource Graph');
    assert.equal(json.fleet.summary.machines, CLASSES.length);
    assert.equal(json.reports.length, CLASSES.length);
  });
});
