/** The fleet summary: readiness as defined, rules worst first, fixes grouped across machines; CSV rows for Excel. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFleet } from '../../core/fleet/analyze';
import { machineVerdict, summarizeFleet } from '../../core/fleet/summary';
import { csvCell, csvHeader, csvRow, CSV_COLUMNS } from '../../core/reporters/csv';
import type { Report } from '../../core/model/report';
import { RULES } from '../../rules';
import { page, queryRow, type FailureClass, type MachineSpec } from '../../scripts/fleet-fixtures';
import { fixtureDir } from './support';

describe('fleet summary', function () {
  const fx = fixtureDir();
  after(fx.cleanup);

  async function fleetOf(specs: MachineSpec[], tweak?: (row: Record<string, unknown>, i: number) => void): Promise<Report[]> {
    const rows = specs.map((m, i) => {
      const row = queryRow(m);
      tweak?.(row, i);
      return row;
    });
    const path = join(fx.dir, `fleet-${specs.length}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(page('az', rows, null, rows.length)));
    return (await analyzeFleet([path], { rules: RULES })).reports;
  }
  const spec = (i: number, cls: FailureClass): MachineSpec => ({ name: `m${i}`, resourceGroup: `rg-${i % 3}`, cls });

  it('counts ready, not ready and unknown by the documented definitions', async function () {
    const reports = await fleetOf([spec(0, 'healthy'), spec(1, 'old-agent'), spec(2, 'healthy'), spec(3, 'healthy')], (row, i) => {
      // m2: Azure shows no agent configuration (old agent, or not reported): the decisive config rules skip.
      if (i === 2) row.agentConfiguration = null;
    });
    const s = summarizeFleet(reports);
    assert.deepEqual([s.machines, s.ready, s.notReady, s.unknown], [4, 2, 1, 1]);
    const unknown = s.attention.find((v) => v.name === 'm2')!;
    assert.equal(unknown.readiness, 'unknown');
    assert.ok(['incoming-ports', 'extension-allowed'].includes(unknown.cause!.ruleId));
    assert.equal(unknown.cause!.status, 'skip');
    const notReady = s.attention.find((v) => v.name === 'm1')!;
    assert.equal(notReady.cause!.ruleId, 'agent-version');
    assert.ok(!s.attention.some((v) => v.name === 'm0'), 'ready machines are not in the attention list');
    assert.match(s.definitions.unknown, /decisive rule was skipped/);
  });

  it('a warning blocks only with blocking: warn (as --fail-on warn)', async function () {
    const [r] = await fleetOf([spec(0, 'port-missing')]);
    assert.equal(machineVerdict(r!).readiness, 'ready');
    const v = machineVerdict(r!, { blocking: 'warn' });
    assert.equal(v.readiness, 'not-ready');
    assert.equal(v.cause!.ruleId, 'incoming-ports');
  });

  it('failing rules worst first; one fix line for many machines, their own names and groups taken out', async function () {
    const classes: FailureClass[] = ['disconnected', 'disconnected', 'disconnected', 'no-extension', 'no-extension', 'sovereign-cloud', 'healthy'];
    const s = summarizeFleet(await fleetOf(classes.map((c, i) => spec(i, c))));
    assert.deepEqual(s.failingRules.slice(0, 3).map((r) => [r.ruleId, r.machines]), [['agent-status', 3], ['extension-status', 2], ['cloud', 1]]);
    const install = s.topFixes.find((f) => f.ruleIds.includes('extension-status'))!;
    assert.equal(install.machines, 2);
    assert.ok(install.command!.includes('--machine-name <machine-name> --resource-group <resource-group>'), install.command);
    assert.ok(!/\bm[34]\b|rg-[01]/.test(install.command!), install.command);
    assert.equal(s.topFixes[0]!.machines, 3);
    assert.deepEqual(s.topFixes[0]!.ruleIds, ['agent-status']);
  });

  it('is a pure function of the reports: the same reports give the same summary, in either API', async function () {
    const reports = await fleetOf([spec(0, 'linux'), spec(1, 'healthy')]);
    assert.deepEqual(summarizeFleet(reports), summarizeFleet([...reports]));
    assert.deepEqual(summarizeFleet([]).machines, 0);
  });

  describe('CSV', function () {
    it('quotes per RFC 4180 and neutralises formula injection', function () {
      assert.equal(csvCell('plain'), 'plain');
      assert.equal(csvCell('a,b'), '"a,b"');
      assert.equal(csvCell('say "hi"'), '"say ""hi"""');
      assert.equal(csvCell('two\nlines'), '"two\nlines"');
      for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
        const cell = csvCell(evil);
        const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        assert.equal(unquoted, `'${evil}`, JSON.stringify(evil));
      }
      assert.equal(csvCell(-3), '-3', 'numbers the tool writes are numbers');
      assert.equal(csvCell(undefined), '');
    });

    it('one row per machine under a header, machine names from input neutralised', async function () {
      const reports = await fleetOf([spec(0, 'disconnected'), { name: '=cmd', resourceGroup: 'rg-x', cls: 'healthy' }]);
      assert.equal(csvHeader(), `${CSV_COLUMNS.join(',')}\r\n`);
      const rows = reports.map((r) => csvRow(r, { redact: true, failOn: 'fail' }));
      assert.ok(rows[0]!.startsWith('m0,/subscriptions/'));
      assert.ok(rows[0]!.includes(',not-ready,agent-status,fail,'));
      assert.ok(rows[1]!.startsWith("'=cmd,"), rows[1]);
      assert.ok(rows.every((r) => r.endsWith('\r\n')));
    });
  });
});
