/** One log record as a grammar reads it: the common shape the interpreter turns into facts. */

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
  /** Lowercase-key view of `fields`, built on first lookup. */
  lower?: Map<string, string>;
}

const LEVELS: Record<string, Level> = {
  trace: 'trace', trac: 'trace', verbose: 'debug', debug: 'debug', debu: 'debug',
  info: 'info', information: 'info', informational: 'info',
  warn: 'warning', warning: 'warning',
  error: 'error', erro: 'error', err: 'error',
  fatal: 'fatal', fata: 'fatal', critical: 'fatal',
  panic: 'panic', pani: 'panic',
};

export function normalizeLevel(raw: string | undefined): Level | undefined {
  return raw ? LEVELS[raw.trim().toLowerCase()] : undefined;
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

function parseTime(raw: string): string | undefined {
  // Fast path for the common `2025-06-03T14:07:12Z` / `.123456Z` form.
  const u = ISO_UTC.exec(raw);
  if (u) return detach(`${u[1]}.${(u[2] ?? '').slice(0, 3).padEnd(3, '0')}Z`);
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

/** Case-insensitive field lookup (`Endpoint`, `endpoint`, `Request URL`). */
export function field(r: LogRecord, ...names: string[]): string | undefined {
  if (!r.lower) {
    r.lower = new Map();
    for (const k in r.fields) {
      const lk = k.toLowerCase();
      if (!r.lower.has(lk)) r.lower.set(lk, r.fields[k]!);
    }
  }
  if (r.lower.size === 0) return undefined;
  for (const name of names) {
    const v = r.lower.get(name.toLowerCase());
    if (v !== undefined) return v;
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
