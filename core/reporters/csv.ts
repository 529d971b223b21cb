/**
 * CSV, for Excel: one row per report (per machine of a fleet), RFC 4180 (CRLF line ends, every cell quoted when it
 * holds a comma, quote, CR or LF; quotes doubled). Cells from input are neutralised against spreadsheet formula
 * injection: a cell starting with = + - @ TAB or CR gets a leading ' (OWASP CSV injection), so Excel shows it as text.
 * Rows come one at a time (csvRow) so a 100,000-machine fleet is written as it is analyzed.
 */
import { machineVerdict } from '../fleet/summary';
import type { MultiReport, Report } from '../model/report';
import { redact } from '../text/redact';
import { isMultiReport, type RenderOptions, type Reporter } from './index';

export const CSV_COLUMNS = [
  'machine', 'resource_id', 'resource_group', 'subscription_id', 'readiness', 'first_cause_rule', 'first_cause_status',
  'first_cause', 'fix', 'fix_command', 'blocking_rules', 'os', 'agent_version', 'fail', 'warn', 'skip', 'error',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised, then quoted when RFC 4180 needs it. */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: Array<string | number | undefined>): string => `${cells.map(csvCell).join(',')}\r\n`;

export function csvHeader(): string {
  return line([...CSV_COLUMNS]);
}

function idPart(id: string | undefined, name: string): string | undefined {
  const parts = id?.split('/') ?? [];
  const i = parts.findIndex((p) => p.toLowerCase() === name);
  return i >= 0 ? parts[i + 1] : undefined;
}

export function csvRow(report: Report, options: Pick<RenderOptions, 'redact' | 'failOn'>): string {
  const v = machineVerdict(report, { blocking: options.failOn });
  const shown = (s: string | undefined): string | undefined => (s !== undefined && options.redact ? redact(s) : s);
  const t = report.target;
  return line([
    shown(v.name), shown(t?.id), shown(idPart(t?.id, 'resourcegroups')), shown(idPart(t?.id, 'subscriptions')), v.readiness,
    v.cause?.ruleId, v.cause?.status, shown(v.cause?.message), shown(v.cause?.fix?.summary), shown(v.cause?.fix?.command),
    v.blockingRules.join(' '), shown(t?.os), shown(t?.agentVersion),
    report.summary.fail, report.summary.warn, report.summary.skip, report.summary.error,
  ]);
}

export const renderCsv: Reporter = (report: Report | MultiReport, options: RenderOptions): string => {
  const reports = isMultiReport(report) ? report.reports : [report];
  return csvHeader() + reports.map((r) => csvRow(r, options)).join('');
};
