/**
 * Free text no specific grammar claims (a ticket, a PowerShell transcript, an unknown log): every line is a
 * record on its own, its level and time read when the line states them, and only lines that can match a
 * signature are looked at.
 */
import { type Grammar } from './grammar';
import { normalizeLevel, normalizeTime, type LogRecord } from './record';
import { parsePairs } from './logrus';
import { STATEMENT_HINT } from './statements';
import { EVENT_HINT } from '../../catalog/signatures';
import { ERROR_HINT } from '../../catalog/error-taxonomy';
import { continuesListValue } from '../list-wrap';

const LEADING_TIME = /^\s*\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]?/;
/** `[2023-10-17][08:13:22]` as the Group Policy onboarding script writes it. */
const SPLIT_TIME = /^\s*\[(\d{4}-\d{2}-\d{2})\]\[(\d{2}:\d{2}:\d{2})\]/;

function leadingTime(line: string): string | undefined {
  const split = SPLIT_TIME.exec(line);
  if (split) return `${split[1]} ${split[2]}`;
  return (LEADING_TIME.exec(line) ?? /\btime="([^"]+)"/.exec(line))?.[1];
}
/** `[Information]`, `[Error]` as .NET-style logs write them. */
const BRACKET_LEVEL = /\[(Trace|Verbose|Debug|Information|Info|Warning|Error|Critical)\]/;
const LEVEL_WORD = /\b(?:level=)?(TRACE|DEBUG|VERBOSE|INFO|WARN(?:ING)?|ERROR|FATAL|PANIC|CRITICAL)\b/;

function parse(record: string): LogRecord | undefined {
  const line = record.replace(/\r?\n$/, '');
  const r: LogRecord = { msg: line, fields: {} };
  const t = normalizeTime(leadingTime(line));
  if (t) r.time = t;
  // A logrus record pasted into a ticket (possibly behind a prompt or a timestamp column).
  const logrus = line.search(/\btime="[^"]*"\s+level=/);
  if (logrus >= 0) {
    for (const [k, v] of parsePairs(line, logrus)) {
      const lk = k.toLowerCase();
      if (lk === 'level') {
        const l = normalizeLevel(v);
        if (l) r.level = l;
      } else if (lk === 'msg') r.msg = v;
      else if (lk !== 'time') r.fields[k] = v;
    }
    return r;
  }
  const head = line.slice(0, 120);
  const lv = LEVEL_WORD.exec(head) ?? BRACKET_LEVEL.exec(head);
  const level = normalizeLevel(lv?.[1]);
  if (level) r.level = level;
  // The message without a leading timestamp and level token, for quoting.
  r.msg = line.replace(SPLIT_TIME, '').replace(LEADING_TIME, '').replace(/^\s*(?:\[(?:Trace|Verbose|Debug|Information|Info|Warning|Error|Critical)\]|(?:TRACE|DEBUG|VERBOSE|INFO|WARN(?:ING)?|ERROR|FATAL|PANIC|CRITICAL)\b:?)\s*/, '').trim() || line;
  return r;
}

/**
 * An indented line right after a logrus record whose quoted value is still open: a terminal or a ticket wrapped the
 * record (`... because the target\n machine actively refused it." Proxy Status=...`). It continues that record.
 */
function continuesLogrus(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c !== 0x20 && c !== 0x09) return false;
  const prevStart = s.lastIndexOf('\n', i - 2) + 1;
  if (i - prevStart > 65536) return false;
  const t = s.indexOf('time="', prevStart);
  if (t < 0 || t >= i) return false;
  let quotes = 0;
  for (let k = t; k < i; k++) if (s.charCodeAt(k) === 0x22 && s.charCodeAt(k - 1) !== 0x5c) quotes++;
  return quotes % 2 === 1;
}

export const plainText: Grammar = {
  id: 'plain',
  label: 'text (signature scan)',
  detect: () => 1,
    // A wrapped logrus record, or a list value PowerShell wrapped (`Get-WinEvent | Format-List`'s Message): one record.
  startsRecord: (s, i) => i === 0 || !(continuesLogrus(s, i) || continuesListValue(s, i)),
  // Broader than the logrus candidates: free text has no levels to go by.
  candidates: new RegExp(`${/AZCM|HCRP|egist|uthori|403|orbidden|Status|Running|Stopped|running|stopped|ersion|ucce|assed|vailable|xit ?code|exited/.source}|${ERROR_HINT.source}|${STATEMENT_HINT.source}|${EVENT_HINT.source}`, 'gi'),
  parse,
  timeOf: (line) => normalizeTime(leadingTime(line)),
};
