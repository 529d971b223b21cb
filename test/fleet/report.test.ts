/**
 * The fleet report of a held fleet (renderFleetReport: the VS Code export) is what `analyze` streams for the same
 * pages, format by format; and the fleet door in core/index.ts loads each module on first use only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzeFleetExports, renderFleetReport, type FleetReportFormat, type Report } from '../../core';
import { RULES } from '../../rules';
import { cli, fixtureDir, ROOT } from './support';

/** Times differ between two runs: every ISO timestamp made equal. */
const timeless = (text: string): string => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>');

describe('fleet report (held fleet) and the fleet door', function () {
  this.timeout(120000);
  const fx = fixtureDir();
  after(fx.cleanup);

  it('renderFleetReport gives what analyze -f csv|json|markdown writes for the same pages', async function () {
    const pages = [fx.file('paged-query-1.json'), fx.file('paged-query-2.json')];
    const run = await analyzeFleetExports(pages, [], { rules: RULES });
    assert.ok(run.reports.length >= 10);
    const options = { rules: RULES, color: false, verbose: false, redact: true, failOn: 'fail' as const };
    for (const format of ['csv', 'json', 'markdown'] as FleetReportFormat[]) {
      const held = renderFleetReport(format, { reports: run.reports, summary: run.summary, pages: run.inputs }, options);
      const streamed = cli(['analyze', '-f', format, ...pages]);
      assert.equal(streamed.code, 1, streamed.stderr);
      assert.equal(timeless(held), timeless(streamed.stdout), format);
    }
    const json = JSON.parse(renderFleetReport('json', { reports: run.reports, summary: run.summary, pages: run.inputs }, options)) as { reports: Report[]; fleet: { summary: { machines: number } } };
    assert.equal(json.reports.length, run.reports.length);
    assert.equal(json.fleet.summary.machines, run.reports.length);
  });

  it('redacts what came from input unless told not to', async function () {
    const run = await analyzeFleetExports([fx.file('query-az.json')], [], { rules: RULES });
    // A secret-looking value in a machine's message: put there as a user's export could carry it.
    const report = run.reports.find((r) => r.results.some((f) => f.status === 'fail'))!;
    const finding = report.results.find((f) => f.status === 'fail')!;
    finding.message = `${finding.message} (password=Hunter2Secret)`;
    const fleet = { reports: [report], summary: run.summary, pages: run.inputs };
    for (const format of ['csv', 'json', 'markdown'] as FleetReportFormat[]) {
      const shown = renderFleetReport(format, fleet, { rules: RULES, color: false, verbose: true, redact: true, failOn: 'fail' });
      assert.ok(!shown.includes('Hunter2Secret'), `${format}: redacted`);
      const raw = renderFleetReport(format, fleet, { rules: RULES, color: false, verbose: true, redact: false, failOn: 'fail' });
      assert.ok(raw.includes('Hunter2Secret'), `${format}: --no-redact keeps it`);
    }
  });

  it('core/index.ts loads no fleet pipeline until called, and each door only what it needs', function () {
    const script = `
      const loaded = () => Object.keys(require.cache).filter((k) => /[\\\\/]core[\\\\/](fleet|reporters)[\\\\/]/.test(k)).map((k) => k.replace(/.*[\\\\/]core[\\\\/]/, '')).sort();
      const core = require('./core');
      const atStart = loaded();
      core.sniffFleetExport(${JSON.stringify(fx.file('query-az.json'))}).then((isFleet) => {
        const afterSniff = loaded();
        core.fleetQueryText();
        process.stdout.write(JSON.stringify({ isFleet, atStart, afterSniff, afterQuery: loaded() }));
      });`;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { isFleet: boolean; atStart: string[]; afterSniff: string[]; afterQuery: string[] };
    assert.equal(got.isFleet, true);
    const heavy = (list: string[]): string[] => list.filter((m) => /fleet[\\/](analyze|pages|merge|report|index)|reporters[\\/](csv|json|markdown)/.test(m));
    assert.deepEqual(heavy(got.atStart), [], `loaded at start: ${got.atStart.join(', ')}`);
    assert.ok(got.afterSniff.some((m) => /fleet[\\/]sniff/.test(m)), 'the sniff module is loaded by its door');
    assert.deepEqual(heavy(got.afterSniff), [], `loaded by sniffFleetExport: ${got.afterSniff.join(', ')}`);
    assert.ok(got.afterQuery.some((m) => /fleet[\\/]query/.test(m)));
    assert.deepEqual(heavy(got.afterQuery), []);
  });
});
