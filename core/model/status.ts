/**
 * The one presentation policy for finding statuses, used by every reporter (core/reporters), the CLI's exit code
 * and the VS Code extension (tree, diagnostics, report page): the order findings are shown in, which status is
 * worse, the mark and words of each, what counts as a problem, what fails under `--fail-on`, and the summary line.
 */
import type { Finding, Status } from './types';

/** Counts per status (a report's `summary`). */
export type StatusCounts = Record<Status, number>;

export type FailOn = 'fail' | 'warn';

/** Report order: problems first (fail, then warn, then error), then passes, then skips. */
export const STATUS_ORDER: Readonly<Record<Status, number>> = { fail: 0, warn: 1, error: 2, pass: 3, skip: 4 };

/** Every status in report order. */
export const STATUSES: readonly Status[] = (Object.keys(STATUS_ORDER) as Status[]).sort((a, b) => STATUS_ORDER[a] - STATUS_ORDER[b]);

/** Severity, worst first: a rule that crashed (error) says less than a failure but hides one, so it ranks above it. */
export const SEVERITY_RANK: Readonly<Record<Status, number>> = { error: 0, fail: 1, warn: 2, pass: 3, skip: 4 };

/** One mark per status, in every format (text frames it as `[✓]`). */
export const STATUS_MARKS: Readonly<Record<Status, string>> = { pass: '✓', fail: '✗', warn: '!', error: '☠', skip: '?' };

/** A status as a label: `Warning`. */
export const STATUS_LABELS: Readonly<Record<Status, string>> = { pass: 'Pass', fail: 'Fail', warn: 'Warning', error: 'Error', skip: 'Skipped' };

/** A status as counted: `1 warning`, `2 warnings`, `3 failed`. */
export const STATUS_WORDS: Readonly<Record<Status, readonly [one: string, many: string]>> = {
  fail: ['failed', 'failed'], warn: ['warning', 'warnings'], error: ['error', 'errors'], pass: ['passed', 'passed'], skip: ['skipped', 'skipped'],
};

/** Fail, warn and error: what a reader has to look at. Pass and skip are not. */
export function isProblem(s: Status | Pick<Finding, 'status'>): boolean {
  const status = typeof s === 'string' ? s : s.status;
  return status === 'fail' || status === 'warn' || status === 'error';
}

/** Whether a status fails the run under `--fail-on`: errors and failures always, warnings with `--fail-on warn`. */
export function failsUnder(status: Status, failOn: FailOn): boolean {
  return status === 'error' || status === 'fail' || (failOn === 'warn' && status === 'warn');
}

export function countStatuses(findings: readonly Pick<Finding, 'status'>[]): StatusCounts {
  const s: StatusCounts = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const f of findings) s[f.status]++;
  return s;
}

/** Exit code policy: 1 when any count of `summaries` fails under `failOn` (core/model/report's exitCodeFor). */
export function exitCodeOf(summaries: readonly StatusCounts[], failOn: FailOn): 0 | 1 {
  return summaries.some((s) => STATUSES.some((status) => s[status] > 0 && failsUnder(status, failOn))) ? 1 : 0;
}

/** The worst of some statuses (SEVERITY_RANK), or undefined for none. */
export function worst(statuses: Iterable<Status>): Status | undefined {
  let w: Status | undefined;
  for (const s of statuses) if (w === undefined || SEVERITY_RANK[s] < SEVERITY_RANK[w]) w = s;
  return w;
}

export interface SummaryLineOptions {
  /** Between counts: `, ` (text) by default; ` · ` in Markdown and the extension. */
  separator?: string;
  /** Leave out zero counts (the extension's tree and page); says `no checks ran` when all are zero. */
  omitZero?: boolean;
}

/** `3 failed, 2 warnings, 1 error, 5 passed, 2 skipped`: every count in report order. */
export function summaryLine(s: StatusCounts, options: SummaryLineOptions = {}): string {
  const shown = STATUSES.filter((k) => !options.omitZero || s[k] > 0);
  if (shown.length === 0) return 'no checks ran';
  return shown.map((k) => `${s[k]} ${STATUS_WORDS[k][s[k] === 1 ? 0 : 1]}`).join(options.separator ?? ', ');
}

/** How many findings of `s` are problems (the extension's badge). */
export function problemCount(s: StatusCounts): number {
  return STATUSES.filter((k) => isProblem(k)).reduce((n, k) => n + s[k], 0);
}
