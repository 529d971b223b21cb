/**
 * The Guest Configuration / extension manager format (gc_ext.log, gc_agent.log, telemetry files):
 * `[2025-02-07 11:47:58.101] [PID 5120] [TID 6644] [Pull Client] [ERROR] [guid] message`, optionally wrapped in
 * `<GCLOG>...</GCLOG>`. Components may contain spaces; the time has no zone. Lines that don't start a record
 * (stack traces, wrapped JSON) continue the previous one.
 */
import { shareScore, stickyTest, type Grammar, type RecordReading } from './grammar';
import { normalizeLevel, normalizeTime, type LogRecord } from './record';

/**
 * The record's head; the message is the rest. Matching the message too, as `([\s\S]*?)(?:<\/GCLOG>)?\s*$`, retried
 * the `\s*$` at every character of it: quadratic in a long run of spaces.
 */
const HEAD = headPattern(true);
/**
 * The same head with only the time and the level captured, for readingKey (it runs on every candidate record): each
 * capture is a string made per record.
 */
const HEAD_FOR_KEY = headPattern(false);

/** The head's pattern; `all`: with the PID, TID, component and activity id captured too. */
function headPattern(all: boolean): RegExp {
  const c = (p: string): string => (all ? `(${p})` : p);
  return new RegExp(String.raw`^(?:<GCLOG>)?\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d+)?)\]\s*\[PID ${c(String.raw`\d+`)}\]\s*\[TID ${c(String.raw`\d+`)}\]\s*\[${c(String.raw`[^\]]*`)}\]\s*\[([A-Za-z]+)\]\s*(?:\[${c('[0-9a-fA-F-]{36}')}\])?`);
}
const START = /^(?:<GCLOG>)?\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/;

function parse(record: string): LogRecord | undefined {
  const m = HEAD.exec(record);
  if (!m) return undefined;
  const r: LogRecord = { msg: record.slice(m[0].length).replace(/<\/GCLOG>/g, '').trim(), fields: { PID: m[2]!, TID: m[3]! } };
  const t = normalizeTime(m[1]);
  if (t) r.time = t;
  const level = normalizeLevel(m[5]);
  if (level) r.level = level;
  r.component = m[4]!.trim();
  if (m[6]) r.fields.ActivityId = m[6];
  return r;
}

/**
 * What the interpreter reads of a record (readingOf: level, message; PID, TID and the activity id are volatile, the
 * component is not read), as a key, with the record's time: the level and the message as written after the head,
 * so equal keys parse to equal readings. Undefined when the head or its time doesn't read: those are parsed.
 */
function readingKey(record: string): RecordReading | undefined {
  const m = HEAD_FOR_KEY.exec(record);
  if (!m) return undefined;
  const time = normalizeTime(m[1]);
  if (!time) return undefined;
  const rest = record.slice(m[0].length);
  const level = normalizeLevel(m[2]);
  // The level as normalized (all that the reading takes of it), then a separator no level name holds.
  const reading: RecordReading = { key: `${level ?? ''}:${rest}`, time, level };
  // The interpreter reads the message alone (PID, TID and the activity id are volatile): as parse gives it, when no
  // wrapper or line break is to be taken out of it.
  if (!rest.includes('\n') && !rest.includes('</GCLOG>')) reading.text = rest.trim();
  return reading;
}

/** The time of a record whose head the byte keys read (its first `]` closes the time), as readingKey normalizes it. */
function headTime(raw: string): string | undefined {
  return headTimeAt(raw, 0);
}

/** headTime of the record starting at `start` of `text` (its head read by the byte keys: a `]` closes its time). */
function headTimeAt(text: string, start: number): string | undefined {
  const open = start + (text.charCodeAt(start) === 60 /* < */ ? 7 : 0);
  const close = text.indexOf(']', open);
  return close < 0 ? undefined : normalizeTime(text.slice(open + 1, close));
}

export const gcBracket: Grammar = {
  id: 'gc-bracket',
  label: 'Guest Configuration log',
  detect: (lines) => shareScore(lines, (l) => START.test(l) && /\[PID \d+\]/.test(l)),
  startsRecord: stickyTest(START),
  candidates: /\[ERROR\]|\[WARN|\[FATAL\]|\[CRITICAL\]|AZCM|[Ss]ucce|[Pp]assed|[Vv]ersion|HCRP|HandlerManifest/g,
  parse,
  readingKey,
  // The byte key is the level word and the rest, which determine this reading key: any key found may be remembered.
  byteShape: { lookup: 'gc', time: headTime, timeAt: headTimeAt, mayRemember: () => true },
  timeOf: (line) => normalizeTime(/^(?:<GCLOG>)?\[([^\]]+)\]/.exec(line)?.[1]),
};
