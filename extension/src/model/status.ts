/** Presentation of statuses shared by the tree, diagnostics and the report. */
import type { FailOn, Summary } from '../../../core/model/report';
import type { Status } from '../../../core/model/types';

/** Worst first. */
export const STATUS_RANK: Record<Status, number> = { error: 0, fail: 1, warn: 2, pass: 3, skip: 4 };

export const STATUS_WORDS: Record<Status, [one: string, many: string]> = {
  error: ['error', 'errors'], fail: ['failed', 'failed'], warn: ['warning', 'warnings'], pass: ['passed', 'passed'], skip: ['skipped', 'skipped'],
};

/** Codicon id and theme colour per status. */
export const STATUS_ICONS: Record<Status, { id: string; color: string }> = {
  pass: { id: 'pass', color: 'testing.iconPassed' },
  fail: { id: 'error', color: 'testing.iconFailed' },
  warn: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  skip: { id: 'circle-slash', color: 'disabledForeground' },
  error: { id: 'bug', color: 'testing.iconErrored' },
};

export function worst(statuses: Iterable<Status>): Status | undefined {
  let w: Status | undefined;
  for (const s of statuses) if (w === undefined || STATUS_RANK[s] < STATUS_RANK[w]) w = s;
  return w;
}

/** "2 failed · 1 warning · 9 passed · 10 skipped", worst first, zero counts left out. */
export function summaryText(s: Summary): string {
  const order: Status[] = ['error', 'fail', 'warn', 'pass', 'skip'];
  const parts = order.filter((k) => s[k] > 0).map((k) => `${s[k]} ${STATUS_WORDS[k][s[k] === 1 ? 0 : 1]}`);
  return parts.length ? parts.join(' · ') : 'no checks ran';
}

/** True when a status counts as a failure under the fail-on setting. */
export function atOrAbove(status: Status, failOn: FailOn): boolean {
  return status === 'error' || status === 'fail' || (failOn === 'warn' && status === 'warn');
}

/** Findings worth a badge: failures and errors, plus warnings (always shown, they need a look). */
export function problemCount(s: Summary): number {
  return s.error + s.fail + s.warn;
}
