/** One log record as a grammar reads it: the common shape the interpreter turns into facts. */
import { excerpt, isSpace } from '../parser';

export type Level = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'fatal' | 'panic';

export interface LogRecord {
  /** ISO 8601 (UTC) when the record states an absolute time. */
  time?: string;
  level?: Level;
  msg: string;
  /** Key -> unquoted value, keys as written (`Proxy Status`). */
  fields: Record<string, string>;
  /** GuestConfig component (`EXTMGR`, `Pull Client`). */
  component?: string;
  /** Lower-case keys and their values, alternating (`[key, value, key, value]`), built on first lookup. */
  lower?: string[];
}

const LEVELS: Record<string, Level> = {
  trace: 'trace', trac: 'trace', verbose: 'debug', debug: 'debug', debu: 'debug',
  info: 'info', information: 'info', informational: 'info',
  warn: 'warning', warning: 'warning',
  error: 'error', erro: 'error', err: 'error',
  fatal: 'fatal', fata: 'fatal', critical: 'fatal',
  panic: 'panic', pani: 'panic',
};

const LEVEL_OF: ReadonlyMap<string, Level> = new Map(Object.entries(LEVELS));

export function normalizeLevel(raw: string | undefined): Level | undefined {
  // A map, not the object: `level=constructor` is not a level (the object's prototype answered it).
  return raw ? (LEVEL_OF.get(raw) ?? LEVEL_OF.get(raw.trim().toLowerCase())) : undefined;
}

/** Levels at which a record reports a problem; debug/trace lines are what the agent tolerated. */
export function isProblemLevel(level: Level | undefined): boolean {
  return level === 'warning' || level === 'error' || level === 'fatal' || level === 'panic';
}

/**
 * RFC 3339 (`2025-06-03T09:07:19-05:00`) or zone-less `2025-02-07 11:47:58.101` -> ISO UTC. Zone-less times
 * (GuestConfig logs) are read as UTC: the logs don't say, and the result must not depend on this machine's zone.
 */
let lastRaw = '';
let lastIso: string | undefined;

export function normalizeTime(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // Consecutive records often share a timestamp string: remember the last one.
  if (raw === lastRaw) return lastIso;
  lastRaw = raw;
  lastIso = parseTime(raw);
  return lastIso;
}

const ISO_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** Zone-less or UTC times with valid seconds (GuestConfig's `2025-02-07 11:47:58.101`): read per minute, see below. */
const MINUTE_TIME = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3])(:\d{2}):([0-5]\d)(?:[.,](\d{1,9}))?Z?$/;
let lastMinute = '';
let lastMinuteIso: string | undefined;
/** The first 16 characters (date and minute, as written) of the time that set lastMinute. */
let lastMinuteHead = '';

/** Whether a character code is an ASCII digit. */
export const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

/**
 * GuestConfig's own `2025-02-07 11:47:58.101` (or a Windows event export's `2025-02-07 11:47:58`) in the minute
 * MINUTE_TIME last read (most times of a log): what that path gives, `<minute>:58.101Z`, without its regex and the
 * strings of its groups; undefined for any other time.
 */
function inLastMinute(raw: string): string | undefined {
  const n = raw.length;
  if ((n !== 23 && n !== 19) || lastMinuteIso === undefined || raw.charCodeAt(16) !== 58 /* : */) return undefined;
  const s1 = raw.charCodeAt(17);
  if (!(s1 >= 48 && s1 <= 53) || !isDigitCode(raw.charCodeAt(18)) || !raw.startsWith(lastMinuteHead)) return undefined;
  if (n === 19) return `${lastMinuteIso}${raw.slice(16)}.000Z`;
  if (raw.charCodeAt(19) !== 46 /* . */ || !isDigitCode(raw.charCodeAt(20)) || !isDigitCode(raw.charCodeAt(21)) || !isDigitCode(raw.charCodeAt(22))) return undefined;
  return `${lastMinuteIso}${raw.slice(16)}Z`;
}

/** Whether s[from, from + 20) is `2025-06-03T14:07:12Z` exactly (what the agent writes), checked as ISO_UTC would match it. */
function isPlainUtcSecondAt(s: string, from: number): boolean {
  if (s.charCodeAt(from + 19) !== 90 /* Z */ || s.charCodeAt(from + 10) !== 84 /* T */) return false;
  for (let i = 0; i < 19; i++) {
    const c = s.charCodeAt(from + i);
    if (i === 4 || i === 7 ? c !== 45 /* - */ : i === 13 || i === 16 ? c !== 58 /* : */ : i !== 10 && (c < 48 || c > 57)) return false;
  }
  return true;
}

/** `00.000Z` to `99.000Z`: the seconds of a plain UTC time, built once. */
const WHOLE_SECONDS: readonly string[] = Array.from({ length: 100 }, (_, n) => `${String(n).padStart(2, '0')}.000Z`);
/** `2025-06-03T14:07:` of the last plain UTC time read (checked, and a copy: see plainUtcIsoAt). */
let plainMinute = '';
/** The times of that minute made so far, by second: one string per second of log, not one per record. */
let plainSeconds: Array<string | undefined> = [];

/**
 * s[from, from + 20) read as a plain UTC second (`2025-06-03T14:07:12Z`, isPlainUtcSecondAt), or undefined: as
 * `2025-06-03T14:07:12.000Z`, the minute joined with the seconds' string, once per second of log. A time in the last
 * one's minute has only its seconds and zone checked; the minute is copied once per minute, so that the result shares
 * no memory with the log block `s` may be.
 */
export function plainUtcIsoAt(s: string, from: number): string | undefined {
  const d1 = s.charCodeAt(from + 17) - 48;
  const d2 = s.charCodeAt(from + 18) - 48;
  if (!(d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) || s.charCodeAt(from + 19) !== 90 /* Z */) return undefined;
  if (plainMinute.length !== 17 || !s.startsWith(plainMinute, from)) {
    if (!isPlainUtcSecondAt(s, from)) return undefined;
    plainMinute = detach(s.slice(from, from + 17));
    plainSeconds = [];
  }
  const second = d1 * 10 + d2;
  // Flat (detach): the time is compared and hashed as a stamp's order, which would flatten a joined string each time.
  return (plainSeconds[second] ??= detach(plainMinute + WHOLE_SECONDS[second]!));
}

function parseTime(raw: string): string | undefined {
  // Fastest path: whole seconds in UTC, the agent's own form (one record in two on a busy log).
  const plain = raw.length === 20 ? plainUtcIsoAt(raw, 0) : undefined;
  if (plain !== undefined) return plain;
  // GuestConfig's forms in the minute of the time before (a digit last: never ISO_UTC's).
  const milli = inLastMinute(raw);
  if (milli !== undefined) return milli;
  // Fast path for the common `2025-06-03T14:07:12Z` / `.123456Z` form.
  const u = ISO_UTC.exec(raw);
  if (u) return detach(`${u[1]}.${(u[2] ?? '').slice(0, 3).padEnd(3, '0')}Z`);
  // Seconds below 60 never carry into the minute, so the date and minute need Date.parse once per minute of log:
  // the result is what the general path below gives (it is the fallback when the minute is not a valid time).
  const t = MINUTE_TIME.exec(raw);
  if (t) {
    const minute = `${t[1]}T${t[2]}${t[3]}`;
    if (minute !== lastMinute) {
      lastMinute = minute;
      lastMinuteHead = detach(raw.slice(0, 16));
      const ms = Date.parse(`${minute}:00.000Z`);
      lastMinuteIso = Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 16);
    }
    if (lastMinuteIso !== undefined) return `${lastMinuteIso}:${t[4]}.${(t[5] ?? '').slice(0, 3).padEnd(3, '0')}Z`;
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(raw.trim());
  if (!m) return undefined;
  const frac = m[2]!.replace(',', '.').replace(/(\.\d{3})\d+$/, '$1');
  let zone = m[3] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${frac}${zone.toUpperCase()}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The record as one line of text for signature matching: message, then `key=value` fields. */
export function recordText(r: LogRecord): string {
  let s = r.msg;
  for (const [k, v] of Object.entries(r.fields)) s += ` ${k}=${v}`;
  return s;
}

/**
 * Fields that identify or time one request and never say what went wrong (request and correlation ids, process and
 * thread ids, durations, attempt counts). Decided in issue 13: they are not part of what a record says, so two
 * records that differ only in them are read alike (the evidence excerpt still quotes the whole line). Lower case.
 */
export const VOLATILE_FIELDS: ReadonlySet<string> = new Set([
  'requestid', 'request id', 'x-ms-request-id', 'correlationid', 'correlation id', 'x-ms-correlation-request-id',
  'activityid', 'activity id', 'traceid', 'spanid', 'operationid', 'pid', 'tid', 'threadid', 'thread id',
  'duration', 'elapsed', 'elapsedms', 'latency', 'attempt', 'retrycount',
]);

/** Whether a field name (as written) is one of VOLATILE_FIELDS. */
export function isVolatileField(name: string): boolean {
  return isVolatileSpan(name, 0, name.length);
}

/** VOLATILE_FIELDS by length: a key span is compared with the few names of its length, without slicing it. */
const VOLATILE_BY_LENGTH: ReadonlyArray<readonly string[] | undefined> = (() => {
  const byLength: string[][] = [];
  for (const name of VOLATILE_FIELDS) (byLength[name.length] ??= []).push(name);
  return byLength;
})();

/** Whether s[from, to) is one of VOLATILE_FIELDS in any case (ASCII letters only fold: the names are ASCII). */
export function isVolatileSpan(s: string, from: number, to: number): boolean {
  const names = VOLATILE_BY_LENGTH[to - from];
  if (!names) return false;
  for (const name of names) {
    let i = 0;
    for (; i < name.length; i++) {
      const c = s.charCodeAt(from + i);
      const lower = c >= 65 && c <= 90 ? c + 32 : c;
      if (lower !== name.charCodeAt(i)) break;
    }
    if (i === name.length) return true;
  }
  return false;
}

/**
 * What the interpreter reads of a record: its level, whether it states a time, its message and its non-volatile
 * fields (not the GuestConfig component). `key` says it unambiguously (lengths before parts), so equal keys mean
 * equal readings (left out when `withKey` is false); it starts with `|`, which no grammar's reading key starts with
 * (they share the interpreter's memo); `record` is the record itself when it has no volatile field.
 */
export function readingOf(r: LogRecord, withKey = true): { key?: string; record: LogRecord } {
  let key = withKey ? `|${r.level ?? ''}|${r.time === undefined ? 0 : 1}|${r.msg.length}:${r.msg}` : undefined;
  let fields: Record<string, string> | undefined;
  for (const k in r.fields) {
    const v = r.fields[k]!;
    if (isVolatileField(k)) {
      if (!fields) {
        fields = {};
        for (const kept in r.fields) {
          if (kept === k) break;
          fields[kept] = r.fields[kept]!;
        }
      }
      continue;
    }
    if (key !== undefined) key += `|${k.length}:${k}${v.length}:${v}`;
    if (fields) fields[k] = v;
  }
  if (!fields) return { key, record: r };
  const record: LogRecord = { msg: r.msg, fields };
  if (r.time !== undefined) record.time = r.time;
  if (r.level !== undefined) record.level = r.level;
  return { key, record };
}

/** A copy of a record's reading that shares no memory with the log block it was parsed from (see detach). */
export function detachedRecord(r: LogRecord): LogRecord {
  const fields: Record<string, string> = {};
  for (const k in r.fields) fields[detach(k)] = detach(r.fields[k]!);
  const copy: LogRecord = { msg: detach(r.msg), fields };
  if (r.time !== undefined) copy.time = r.time;
  if (r.level !== undefined) copy.level = r.level;
  return copy;
}

/** Lower-case forms of the names callers look up (constants): computed once per name, not once per record. */
const LOWER_NAMES = new Map<string, string>();

function lowerName(name: string): string {
  let lower = LOWER_NAMES.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    // Field names from records are slices of a log block: the cache keeps copies.
    if (LOWER_NAMES.size < 1000) LOWER_NAMES.set(detach(name), detach(lower));
  }
  return lower;
}

/**
 * Case-insensitive field lookup (`Endpoint`, `endpoint`, `Request URL`): the first name that a key has wins, and
 * of keys differing only in case the first written. Records have a few fields, so a scan of their lower-case keys
 * (built once per record) beats building a map per record.
 */
export function field(r: LogRecord, ...names: string[]): string | undefined {
  let keys = r.lower;
  if (!keys) {
    keys = r.lower = [];
    for (const k in r.fields) keys.push(k.toLowerCase(), r.fields[k]!);
  }
  if (keys.length === 0) return undefined;
  for (const name of names) {
    const lower = lowerName(name);
    for (let i = 0; i < keys.length; i += 2) if (keys[i] === lower) return keys[i + 1];
  }
  return undefined;
}

/**
 * A copy of `s` that shares no memory with the text it was cut from. V8 keeps substrings as views of their
 * parent, so a kept excerpt would otherwise pin a whole 256 KiB block of the log in memory.
 */
export function detach(s: string): string;
export function detach(s: string | undefined): string | undefined;
export function detach(s: string | undefined): string | undefined {
  // Slicing a fresh concatenation flattens it into new memory; the result no longer references the parent.
  return s === undefined || s.length < 13 ? s : ` ${s}`.slice(1);
}

/**
 * Each whitespace run holding a line break becomes one space (as a global replace of `\s*\n\s*` did, but without
 * retrying `\s*` from every character of a long run of spaces).
 */
export function oneLine(s: string): string {
  if (!s.includes('\n')) return s;
  let out = '';
  let kept = 0;
  for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', kept)) {
    let from = nl;
    while (from > kept && isSpace(s[from - 1])) from--;
    let to = nl + 1;
    while (to < s.length && isSpace(s[to])) to++;
    out += `${s.slice(kept, from)} `;
    kept = to;
  }
  return out + s.slice(kept);
}

/** The evidence excerpt of a record: on one line, trimmed, cut at EXCERPT_MAX. */
export function recordExcerpt(raw: string): string {
  return excerpt(oneLine(raw));
}
