/** The report: what every reporter renders and the JSON contract (version 1) serialises. */
import type { Finding } from './types';
import type { Conclusion } from './conclusion';
import { countStatuses, exitCodeOf, isProblem, type FailOn, type StatusCounts } from './status';

export type { FailOn };

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

export type Summary = StatusCounts;

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
  /** How the bundles of the run were analyzed: on worker threads, or one after another in one thread. */
  analysis?: BatchAnalysis;
}

export interface BatchAnalysis {
  mode: 'workers' | 'in-thread';
  /** Threads that analyzed bundles (1 in-thread). */
  workers: number;
  bundles: number;
}

export function crossSummary(reports: readonly Report[]): CrossRow[] {
  const rows = new Map<string, CrossRow>();
  for (const report of reports) {
    const name = report.target?.name ?? 'pasted inputs';
    for (const r of report.results) {
      const row = rows.get(r.ruleId) ?? { ruleId: r.ruleId, title: r.title, counts: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 }, failing: [] };
      row.counts[r.status]++;
      if (isProblem(r)) row.failing.push(name);
      rows.set(r.ruleId, row);
    }
  }
  return [...rows.values()];
}

export function multiReport(reports: Report[], generatedAt = new Date().toISOString(), analysis?: BatchAnalysis): MultiReport {
  const multi: MultiReport = { version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, generatedAt, reports, crossSummary: crossSummary(reports) };
  if (analysis) multi.analysis = analysis;
  return multi;
}

export function summarize(results: readonly Finding[]): Summary {
  return countStatuses(results);
}

/** The exit code of a run (core/model/status's policy): 1 when any target has a finding that fails under `failOn`. */
export function exitCodeFor(report: Report | MultiReport, failOn: FailOn): 0 | 1 {
  return exitCodeOf('reports' in report ? report.reports.map((r) => r.summary) : [report.summary], failOn);
}
