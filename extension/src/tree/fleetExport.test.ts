import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSES, writeFleetFixtures } from '../../../scripts/fleet-fixtures';
import { analyzeFleetExport, renderFleetExport } from '../engine';
import { DEFAULT_SETTINGS } from '../model/settings';
import { targetId, targetLabel, type AnalysisTarget, type Origin } from '../model/target';
import { FLEET_EXPORT_FORMATS, fleetExportFileName, fleetExportInput, fleetOriginKey } from './fleetExport';

describe('Export Fleet Report', () => {
  let dir: string;
  let targets: AnalysisTarget[];
  let pages: Map<string, Awaited<ReturnType<typeof analyzeFleetExport>>['pages']>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wac-doctor-ext-fleet-export-'));
    writeFleetFixtures(dir);
    // A fleet as runFleet keeps it: one target per machine, and the pages by origin.
    const paths = [join(dir, 'query-az.json'), join(dir, 'bad-truncated.json')];
    const run = await analyzeFleetExport(paths, DEFAULT_SETTINGS);
    const origin: Origin = { kind: 'fleet', paths };
    targets = run.reports.map((report) => ({
      id: targetId(origin, report.target?.id), kind: 'fleet', label: targetLabel(origin, { report }), origin, report,
      sources: [], lineTexts: {}, analyzedAt: '2026-11-26T12:00:00.000Z', durationMs: 1,
    }));
    pages = new Map([[fleetOriginKey(origin), run.pages]]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('offers CSV, markdown and JSON, and names the file by its machine count', () => {
    assert.deepEqual(FLEET_EXPORT_FORMATS.map((f) => f.format), ['csv', 'markdown', 'json']);
    assert.equal(fleetExportFileName(targets, FLEET_EXPORT_FORMATS[0]!), `wac-doctor-fleet-${targets.length}-machines.csv`);
    assert.equal(fleetExportFileName(targets.slice(0, 1), FLEET_EXPORT_FORMATS[1]!), 'wac-doctor-fleet-1-machine.md');
  });

  it('exports every machine the view shows, with the pages\' problems, in each format', () => {
    const input = fleetExportInput(targets, pages);
    assert.equal(input.reports.length, targets.length);
    assert.ok(input.reports.length >= CLASSES.length);
    assert.equal(input.pages.length, 2);

    const csv = renderFleetExport('csv', input.reports, input.pages, DEFAULT_SETTINGS).split('\r\n').filter(Boolean);
    assert.equal(csv.length, targets.length + 1, 'a header and one row per machine');
    assert.ok(csv.some((l) => l.startsWith('srv-disconnected,') && l.includes(',not-ready,agent-status,')));

    const json = JSON.parse(renderFleetExport('json', input.reports, input.pages, DEFAULT_SETTINGS)) as {
      reports: Array<{ target: { kind: string } }>; fleet: { summary: { machines: number; notReady: number }; pages: Array<{ messages: string[] }> };
    };
    assert.equal(json.reports.length, targets.length);
    assert.equal(json.fleet.summary.machines, targets.length);
    assert.ok(json.fleet.summary.notReady >= 9);
    assert.ok(json.fleet.pages[1]!.messages.some((m) => m.includes('bad-truncated.json')), 'the cut page is said');

    const md = renderFleetExport('markdown', input.reports, input.pages, DEFAULT_SETTINGS);
    assert.ok(md.startsWith('# Fleet readiness\n'));
    assert.ok(md.includes('srv-disconnected'));
  });

  it('follows wacDoctor.failOn and wacDoctor.redact', () => {
    const input = fleetExportInput(targets, pages);
    const notReady = (failOn: 'fail' | 'warn'): number => (JSON.parse(renderFleetExport('json', input.reports, input.pages, { ...DEFAULT_SETTINGS, failOn })) as { fleet: { summary: { notReady: number } } }).fleet.summary.notReady;
    assert.ok(notReady('warn') >= notReady('fail'));
    // A failing machine's first cause, carrying a secret as a user's export could: shown in CSV and markdown.
    const report = structuredClone(input.reports.find((r) => r.target?.name === 'srv-disconnected')!);
    report.results.find((f) => f.status === 'fail')!.message += ' password=Hunter2Secret';
    for (const format of ['csv', 'markdown', 'json'] as const) {
      assert.ok(!renderFleetExport(format, [report], [], DEFAULT_SETTINGS).includes('Hunter2Secret'), `${format}: redacted`);
      assert.ok(renderFleetExport(format, [report], [], { ...DEFAULT_SETTINGS, redact: false }).includes('Hunter2Secret'), `${format}: kept with redact off`);
    }
  });

  it('leaves out pages of fleets no longer shown, and has no pages for targets that are not a fleet', () => {
    const other: Origin = { kind: 'fleet', paths: ['/elsewhere.json'] };
    const more = new Map(pages);
    more.set(fleetOriginKey(other), [{ path: '/elsewhere.json', kind: 'arg-export', label: 'x', status: 'parsed', messages: ['elsewhere'], facts: 0 }]);
    assert.equal(fleetExportInput(targets, more).pages.length, 2);
    const bundle: Origin = { kind: 'bundle', path: '/b.zip' };
    const bundles: AnalysisTarget[] = targets.slice(0, 2).map((t) => ({ ...t, origin: bundle }));
    assert.deepEqual(fleetExportInput(bundles, more).pages, []);
  });
});
