/**
 * The extension's own part of status presentation: the codicon and theme colour of each status. Everything else
 * (ranks, marks, words, what is a problem, fail-on, the summary line) is core/model/status, as in every reporter.
 */
import { summaryLine, type Status, type StatusCounts } from '../../../core';

/** Codicon id and theme colour per status. */
export const STATUS_ICONS: Record<Status, { id: string; color: string }> = {
  pass: { id: 'pass', color: 'testing.iconPassed' },
  fail: { id: 'error', color: 'testing.iconFailed' },
  warn: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  skip: { id: 'circle-slash', color: 'disabledForeground' },
  error: { id: 'bug', color: 'testing.iconErrored' },
};

/** The summary line as tree rows and the report page show it: `2 failed · 1 warning · 9 passed`, zeros left out. */
export const summaryText = (s: StatusCounts): string => summaryLine(s, { separator: ' · ', omitZero: true });
