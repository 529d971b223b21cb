/**
 * logrus, the Go logger of the Connected Machine agent (himds.log, azcmagent.log, arcproxy.log, CLI output),
 * in its three shapes:
 * - text: `time="2025-06-03T14:07:12Z" level=error msg="..." Error="..." Proxy Status="..."`. Keys may contain
 *   spaces; values are bare or Go-quoted; a quoted value may hold a raw newline, so a line that doesn't start
 *   with `time="` continues the record.
 * - terminal (colored TTY): `ERRO[0002] message        Key="value"` (or `[2025-06-03T14:07:12Z]`).
 * - console (newer CLI): `INFO    Exit Code:  AZCM0043: Failed to Delete Resource`.
 */
import { isSpace } from '../parser';
import { headLines, shareScore, stickyTest, type Grammar } from './grammar';
import { normalizeLevel, normalizeTime, type LogRecord } from './record';

/** Reads a Go-quoted string starting at the quote at `i`; returns the value and the index after the closing quote. */
export function readQuoted(s: string, i: number): { value: string; end: number } {
  let out = '';
  let j = i + 1;
  let chunkStart = j;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34 /* " */) break;
    if (c === 92 /* \ */ && j + 1 < s.length) {
      out += s.slice(chunkStart, j);
      const n = s[j + 1]!;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
      j++;
      chunkStart = j + 1;
    }
  }
  out += s.slice(chunkStart, j);
  return { value: out, end: Math.min(j + 1, s.length) };
}

/** `key=value key with space="quoted value" ...` from `start`; stops at the first thing that isn't a pair. */
export function parsePairs(s: string, start = 0): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = start;
  while (i < s.length) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
    if (i >= s.length) break;
    const eq = s.indexOf('=', i);
    if (eq < 0) break;
    const key = s.slice(i, eq).trim();
    // A key is words (letters, digits, space, _ . - /); anything else means this isn't a pair list.
    if (!key || key.length > 64 || !/^[A-Za-z_][\w .\-/]*$/.test(key)) break;
    i = eq + 1;
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      pairs.push([key, q.value]);
      i = q.end;
    } else {
      let j = i;
      while (j < s.length && s[j] !== ' ' && s[j] !== '\t' && s[j] !== '\n' && s[j] !== '\r') j++;
      pairs.push([key, s.slice(i, j)]);
      i = j;
    }
  }
  return pairs;
}

// ---- text format ----

function parseText(record: string): LogRecord | undefined {
  const pairs = parsePairs(record);
  if (pairs.length === 0) return undefined;
  const r: LogRecord = { msg: '', fields: {} };
  for (const [k, v] of pairs) {
    const lk = k.toLowerCase();
    if (lk === 'time' && r.time === undefined) {
      const t = normalizeTime(v);
      if (t) r.time = t;
    } else if (lk === 'level' && r.level === undefined) {
      const l = normalizeLevel(v);
      if (l) r.level = l;
    } else if (lk === 'msg' && !r.msg) {
      r.msg = v;
    } else {
      r.fields[k] = v;
    }
  }
  if (!r.msg && !r.level) {
    // A record cut short (truncated line): keep what follows `msg="` so signatures can still match.
    const at = record.indexOf('msg="');
    if (at < 0) return undefined;
    r.msg = record.slice(at + 5);
  }
  return r;
}

export const logrusText: Grammar = {
  id: 'logrus',
  label: 'agent log (logrus)',
  detect: (lines) => shareScore(lines, (l) => /^time="[^"]*"\s+level=\w+/.test(l)),
  startsRecord: (s, i) => s.startsWith('time="', i),
  candidates: /level=[wefp]|AZCM|ersion|ucce|assed|vailable|ommand|Exit Code|HCRP|gent Status|Status(?: Code)?=2/g,
  parse: parseText,
  timeOf: (line) => normalizeTime(/^time="([^"]+)"/.exec(line)?.[1]),
};

// ---- terminal format ----

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const TERMINAL = /^(TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)\[([^\]]*)\]\s?(.*)$/s;

function parseTerminal(record: string): LogRecord | undefined {
  const m = TERMINAL.exec(record.replace(ANSI, ''));
  if (!m) return undefined;
  const r: LogRecord = { msg: '', fields: {} };
  const level = normalizeLevel(m[1]);
  if (level) r.level = level;
  const t = normalizeTime(m[2]);
  if (t) r.time = t;
  splitMessageAndPairs(m[3]!, r);
  return r;
}

const KEY_START = /[A-Za-z_]/;
const KEY_CHAR = /[\w.\-/]/;

/**
 * Where `rest.search(/\s{2,}[A-Za-z_][\w.\-/]*=|\s[A-Za-z_][\w.\-/]*="/)` would point, by one pass over the
 * whitespace runs (that search retried `\s{2,}` from every space of a long run: quadratic).
 */
export function pairsStart(rest: string): number {
  let i = 0;
  while (i < rest.length) {
    if (!isSpace(rest[i])) {
      i++;
      continue;
    }
    const run = i;
    while (isSpace(rest[i])) i++;
    if (!KEY_START.test(rest[i] ?? '')) continue;
    let k = i + 1;
    while (KEY_CHAR.test(rest[k] ?? '')) k++;
    if (rest[k] === '=' && (i - run >= 2 || rest[k + 1] === '"')) return run;
    i = k;
  }
  return -1;
}

/** logrus pads the message, then writes `key=value` pairs: the first `  key=` (or ` key="`) starts the pairs. */
function splitMessageAndPairs(rest: string, r: LogRecord): void {
  const at = pairsStart(rest);
  if (at < 0) {
    r.msg = rest.trim();
    return;
  }
  r.msg = rest.slice(0, at).trim();
  for (const [k, v] of parsePairs(rest, at)) r.fields[k] = v;
}

export const logrusTerminal: Grammar = {
  id: 'logrus-terminal',
  label: 'agent CLI output (logrus terminal)',
  detect: (lines) => shareScore(lines, (l) => TERMINAL.test(l.replace(ANSI, ''))),
  startsRecord: stickyTest(/(?:\u001b\[[0-9;]*m)?(?:TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)(?:\u001b\[[0-9;]*m)?\[/),
  candidates: /WARN|ERRO|FATA|PANI|AZCM|ersion|ucce|assed|ommand|Exit Code|HCRP/g,
  parse: parseTerminal,
  timeOf: (line) => normalizeTime(TERMINAL.exec(line.replace(ANSI, ''))?.[2]),
};

// ---- console format ----

const CONSOLE = /^(TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL)\s{2,}(.*)$/s;

function parseConsole(record: string): LogRecord | undefined {
  const m = CONSOLE.exec(record);
  if (!m) return undefined;
  const r: LogRecord = { msg: '', fields: {} };
  const level = normalizeLevel(m[1]);
  if (level) r.level = level;
  splitMessageAndPairs(m[2]!, r);
  return r;
}

export const logrusConsole: Grammar = {
  id: 'logrus-console',
  label: 'agent CLI output',
  detect: (lines) => shareScore(lines, (l) => CONSOLE.test(l), 2),
  startsRecord: stickyTest(/(?:TRACE|DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL)\s{2,}/),
  candidates: /WARN|ERROR|FATAL|AZCM|ersion|ucce|assed|ommand|Exit Code|HCRP/g,
  parse: parseConsole,
  timeOf: () => undefined,
};

export const LOGRUS_GRAMMARS: readonly Grammar[] = [logrusText, logrusTerminal, logrusConsole];

/** For tests and callers with a single record. */
export function parseLogrusRecord(record: string): LogRecord | undefined {
  for (const g of LOGRUS_GRAMMARS) if (g.startsRecord(record, 0)) return g.parse(record);
  return undefined;
}

export { headLines };
