/** The report: what every reporter renders and the JSON contract (version 1) serialises. */
import type { Finding, Status } from './types';

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

export interface Report {
  version: 1;
  tool: { name: string; version: string };
  generatedAt: string;
  inputs: InputSummary[];
  results: Finding[];
  summary: Summary;
}

export function summarize(results: readonly Finding[]): Summary {
  const s: Summary = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const r of results) s[r.status]++;
  return s;
}

export type FailOn = 'fail' | 'warn';

/** Exit code policy: 1 when any finding is at or above the threshold; errors count as failures. */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  const s = report.summary;
  if (s.fail > 0 || s.error > 0) return 1;
  if (failOn === 'warn' && s.warn > 0) return 1;
  return 0;
}
