/** The report: what every reporter renders and the JSON contract (version 1) serialises. */
import type { Finding, Status } from './types';
import type { Conclusion } from './conclusion';

export const TOOL_NAME = 'wac-doctor';
// Kept in step with package.json by a test.
export const TOOL_VERSION = '0.1.0';

export interface InputSummary {
  path: string;
  /** Parser id that claimed the input, or null. */
  kind: string | null;
  /** Human name of the kind, e.g. `azcmagent show`. */
  label?: string;
  status: 'parsed' | 'unrecognized' | 'error';
  /** Why an input was not used, or parser warnings. */
  messages: string[];
  facts: number;
}

export type Summary = Record<Status, number>;

/** What one report is about: pasted files, one bundle (zip or folder), a snapshot, this machine, or one machine of a fleet export. */
export interface TargetSummary {
  kind: 'pasted' | 'bundle' | 'folder' | 'snapshot' | 'live' | 'machine';
  /** The bundle or folder path, or the host name for live checks; `pasted inputs` for pasted files. */
  name: string;
  machine?: string;
  /** ARM resource id of the machine (fleet exports, and snapshots merged with them). */
  id?: string;
  os?: string;
  agentVersion?: string;
  /** Earliest and latest timestamps seen in the logs (ISO 8601). */
  timeRange?: { from: string; to: string };
  /** Normalised paths of the files that were read. */
  filesFound?: string[];
  /** Files a complete bundle has that this one lacks (rules that needed them skip). */
  filesMissing?: string[];
  /** Things worth knowing about the input itself: entries refused (zip slip, encrypted), caps hit. */
  notes?: string[];
}

export interface Report {
  version: 1;
  tool: { name: string; version: string };
  generatedAt: string;
  /** Absent for plain pasted files (the v1 contract's original shape). */
  target?: TargetSummary;
  inputs: InputSummary[];
  results: Finding[];
  summary: Summary;
  /** Present when no rule reached a verdict: what to collect next. */
  conclusion?: Conclusion;
}

/** A rule's outcome across several targets (the cross-bundle summary). */
export interface CrossRow {
  ruleId: string;
  title: string;
  counts: Summary;
  /** Names of the targets where the rule failed or warned. */
  failing: string[];
}

/** Several targets in one run (`analyze a.zip b.zip dir/`): one report each, plus the cross summary. */
export interface MultiReport {
  version: 1;
  tool: { name: string; version: string };
  generatedAt: string;
  reports: Report[];
  crossSummary: CrossRow[];
}

export function crossSummary(reports: readonly Report[]): CrossRow[] {
  const rows = new Map<string, CrossRow>();
  for (const report of reports) {
    const name = report.target?.name ?? 'pasted inputs';
    for (const r of report.results) {
      const row = rows.get(r.ruleId) ?? { ruleId: r.ruleId, title: r.title, counts: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 }, failing: [] };
      row.counts[r.status]++;
      if (r.status === 'fail' || r.status === 'warn' || r.status === 'error') row.failing.push(name);
      rows.set(r.ruleId, row);
    }
  }
  return [...rows.values()];
}

export function multiReport(reports: Report[], generatedAt = new Date().toISOString()): MultiReport {
  return { version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, generatedAt, reports, crossSummary: crossSummary(reports) };
}

export function summarize(results: readonly Finding[]): Summary {
  const s: Summary = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

export type FailOn = 'fail' | 'warn';

/** Exit code policy: 1 when any finding is at or above the threshold; errors count as failures. */
export function exitCodeFor(report: Report | MultiReport, failOn: FailOn): 0 | 1 {
  const summaries = 'reports' in report ? report.reports.map((r) => r.summary) : [report.summary];
  for (const s of summaries) {
    if (s.fail > 0 || s.error > 0) return 1;
    if (failOn === 'warn' && s.warn > 0) return 1;
  }
  return 0;
}
