/** Test helpers: real targets from real core reports over the repository's fixtures (no mocks). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../../core/model/report';
import { analyzeTexts } from '../engine';
import { DEFAULT_SETTINGS } from './settings';
import { collectLineTexts, targetId, targetLabel, type AnalysisTarget, type Origin } from './target';

export const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');
export const FAILED_SAMPLE = ['01-azcmagent-show.txt', '02-azcmagent-config-list.txt', '03-get-service.txt', '04-az-extension-list.json', '05-invoke-restmethod-wac.txt']
  .map((f) => join(FIXTURES, 'samples', 'failed-to-connect', f));

/** A files target as the extension builds it: paths given to core are the files' paths, URIs file:// ones. */
export function filesTarget(paths: readonly string[], texts?: Record<string, string>): AnalysisTarget {
  const inputs = paths.map((p) => ({ path: p, text: texts?.[p] ?? readFileSync(p, 'utf8') }));
  const report = analyzeTexts(inputs, DEFAULT_SETTINGS, new Date('2026-11-26T12:00:00Z'));
  const origin: Origin = { kind: 'files', uris: paths.map((p) => `file://${p}`) };
  return {
    id: targetId(origin), kind: 'files', label: targetLabel(origin, { paths: [...paths] }), origin, report,
    sources: paths.map((p) => ({ path: p, uri: `file://${p}` })),
    lineTexts: collectLineTexts(report, new Map(inputs.map((i) => [i.path, i.text]))),
    analyzedAt: '2026-11-26T12:00:00.000Z', durationMs: 3,
  };
}

/** An editor target over text (an untitled editor's name is what core sees as the path). */
export function editorTarget(name: string, text: string): AnalysisTarget {
  const report = analyzeTexts([{ path: name, text }], DEFAULT_SETTINGS, new Date('2026-11-26T12:00:00Z'));
  const origin: Origin = { kind: 'editor', uri: `untitled:${name}` };
  return {
    id: targetId(origin), kind: 'editor', label: name, origin, report, sources: [{ path: name, uri: `untitled:${name}` }],
    lineTexts: collectLineTexts(report, new Map([[name, text]])), analyzedAt: '2026-11-26T12:00:00.000Z', durationMs: 1,
  };
}

/** A bundle target around a hand-made report (what core/sources/bundle returns: evidence paths are entries). */
export function bundleTarget(report: Report): AnalysisTarget {
  const origin: Origin = { kind: 'bundle', path: report.target!.name };
  return {
    id: targetId(origin, report.target!.name), kind: 'bundle', label: targetLabel(origin, { report }), origin, report, sources: [], lineTexts: {},
    analyzedAt: '2026-11-26T12:00:00.000Z', durationMs: 5,
  };
}
