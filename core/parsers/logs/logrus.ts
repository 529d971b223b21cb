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
import { isVolatileSpan, normalizeLevel, normalizeTime, plainUtcIsoAt, type LogRecord } from './record';

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

/** Whether s[from, to) is a pair key: `[A-Za-z_][\w .\-/]*` (words, spaces, `_ . - /`). */
function isKey(s: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (letter) continue;
    if (i === from) return false;
    if ((c >= 48 && c <= 57) || c === 32 || c === 46 || c === 45 || c === 47) continue;
    return false;
  }
  return true;
}

const isPairSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * One `key=value` pair as found by scanPairs: the key is s[keyStart, keyEnd) (trimmed), the value s[valueStart,
 * valueEnd) (quotes included when `quoted`), the pair's text s[start, end).
 */
interface PairSpan {
  start: number;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  end: number;
  quoted: boolean;
}

/**
 * The index of the quote closing the Go-quoted string opened at `open`, or s.length: the first `"` after an even run
 * of backslashes (a backslash escapes the character after it). By indexOf from quote to quote, not char by char.
 */
export function closingQuote(s: string, open: number): number {
  for (let from = open + 1; ;) {
    const q = s.indexOf('"', from);
    if (q < 0) return s.length;
    let b = q - 1;
    while (b > open && s.charCodeAt(b) === 92 /* \ */) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    from = q + 1;
  }
}

/** Where pairKey found the key (trimmed): one object, reused, as pairs are read one at a time. */
const KEY = { start: 0, end: 0 };

/**
 * The `=` after the pair key starting at `i`, with the key's bounds in KEY, or -1 when what starts there is not a
 * pair key: the key as `.trim()` leaves it (keys never start with a space here; trailing spaces and tabs go), words
 * (letters, digits, space, _ . - /) of at most 64 characters; anything else means this isn't a pair list.
 */
function pairKey(s: string, i: number): number {
  const eq = s.indexOf('=', i);
  if (eq < 0) return -1;
  let ks = i;
  let ke = eq;
  while (ks < ke && isSpace(s[ks])) ks++;
  while (ke > ks && isSpace(s[ke - 1])) ke--;
  if (ke - ks > 64 || !isKey(s, ks, ke)) return -1;
  KEY.start = ks;
  KEY.end = ke;
  return eq;
}

/**
 * Whether the only pair spaces in `s` are spaces (no tab or line break): then a bare value ends at the next space,
 * which native indexOf finds (a character loop costs several times more on the agent's long bare URLs).
 */
function spacesOnly(s: string): boolean {
  return s.indexOf('\n') < 0 && s.indexOf('\t') < 0 && s.indexOf('\r') < 0;
}

/**
 * The end of the pair value starting at `vs`: after its closing quote when quoted, else at the next pair space
 * (`plain`: spacesOnly(s)).
 */
function valueEnd(s: string, vs: number, plain: boolean): number {
  if (s.charCodeAt(vs) === 34 /* " */) return Math.min(closingQuote(s, vs) + 1, s.length);
  if (plain) {
    const sp = s.indexOf(' ', vs);
    return sp < 0 ? s.length : sp;
  }
  let j = vs;
  while (j < s.length && !isPairSpace(s.charCodeAt(j))) j++;
  return j;
}

/**
 * The tokenizer of `key=value key with space="quoted value" ...` from `start`: calls `visit` for each pair and stops
 * at the first thing that isn't one. Positions only, so callers that need no strings (readingKey) build none.
 * The span object is reused between calls.
 */
function scanPairs(s: string, start: number, visit: (p: PairSpan) => void): void {
  const p: PairSpan = { start: 0, keyStart: 0, keyEnd: 0, valueStart: 0, valueEnd: 0, end: 0, quoted: false };
  const plain = spacesOnly(s);
  let i = start;
  while (i < s.length) {
    while (i < s.length && isPairSpace(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    const eq = pairKey(s, i);
    if (eq < 0) break;
    p.start = i;
    p.keyStart = KEY.start;
    p.keyEnd = KEY.end;
    p.valueStart = eq + 1;
    p.quoted = s.charCodeAt(eq + 1) === 34;
    i = valueEnd(s, eq + 1, plain);
    p.valueEnd = i;
    p.end = i;
    visit(p);
  }
}

/** The value s[from, to): a quoted one unescaped (readQuoted), a bare one as written. */
function valueText(s: string, from: number, to: number, quoted: boolean): string {
  return quoted ? readQuoted(s, from).value : s.slice(from, to);
}

/** A pair's value (valueText). */
function pairValue(s: string, p: PairSpan): string {
  return valueText(s, p.valueStart, p.valueEnd, p.quoted);
}

/** `key=value key with space="quoted value" ...` from `start`; stops at the first thing that isn't a pair. */
export function parsePairs(s: string, start = 0): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  scanPairs(s, start, (p) => pairs.push([s.slice(p.keyStart, p.keyEnd), pairValue(s, p)]));
  return pairs;
}

/** Whether s[from, to) is `word` in any case (`word` lower case). */
function keyEquals(s: string, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((s.charCodeAt(from + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * The normalized time of a time pair's value s[from, to) (quotes included when `quoted`), or undefined when it isn't
 * one. The agent's `"2025-06-03T14:07:12Z"` is read in place; anything else as parseText reads it (normalizeTime).
 */
function timeOfValue(s: string, from: number, to: number, quoted: boolean): string | undefined {
  if (quoted && to - from === 22 && s.charCodeAt(to - 1) === 34) {
    const plain = plainUtcIsoAt(s, from + 1);
    if (plain !== undefined) return plain;
  }
  return normalizeTime(valueText(s, from, to, quoted));
}

/**
 * What the interpreter reads of a text record, as a key without parsing it into strings: the record's text with each
 * run of cut pairs (its time pair, its volatile pairs (isVolatileSpan), and the spaces between them) taken out.
 * parseText reads the same message, level and other fields from any record with the same key (tested on random
 * records), so the interpreter can reuse what it decided for an earlier one. A pair starts after a space or a closing
 * quote, so taking a run out joins no two tokens. In the usual record (time first, request id and duration last) the
 * key is one slice of the record: no copy, and V8 hashes it in place. Undefined when the record is irregular (no
 * usable time, or read as a record cut short): those are parsed.
 *
 * The pairs are tokenized as scanPairs does, in one loop with what it reads of each (it runs on every candidate
 * record of a noisy log).
 */
export function readingKey(record: string): { key: string; time: string } | undefined {
  const n = record.length;
  let time: string | undefined;
  let msgSeen = false;
  let levelSeen = false;
  // `key`: segments committed; `kept`: where the current one starts; `runStart`: where the open run of cut pairs
  // starts (-1: none), `cutEnd` where it ends.
  let key = '';
  let kept = 0;
  let runStart = -1;
  let cutEnd = 0;
  const plain = spacesOnly(record);
  let i = 0;
  while (i < n) {
    while (i < n && isPairSpace(record.charCodeAt(i))) i++;
    if (i >= n) break;
    const eq = pairKey(record, i);
    if (eq < 0) break;
    const ks = KEY.start;
    const ke = KEY.end;
    const pairStart = i;
    const vs = eq + 1;
    const quoted = record.charCodeAt(vs) === 34;
    i = valueEnd(record, vs, plain);
    const c = record.charCodeAt(ks) | 0x20;
    let cut: boolean;
    if (c === 116 /* t */ && time === undefined && keyEquals(record, ks, ke, 'time')) {
      time = timeOfValue(record, vs, i, quoted);
      if (time === undefined) return undefined;
      cut = true;
    } else if (c === 109 /* m */ && keyEquals(record, ks, ke, 'msg')) {
      if (!msgSeen) msgSeen = i - vs > (quoted ? 2 : 0);
      cut = false;
    } else if (c === 108 /* l */ && keyEquals(record, ks, ke, 'level')) {
      if (!levelSeen) levelSeen = normalizeLevel(valueText(record, vs, i, quoted)) !== undefined;
      cut = false;
    } else cut = isVolatileSpan(record, ks, ke); // a second time pair is kept: parseText makes it a field
    if (cut) {
      if (runStart < 0) runStart = pairStart;
      cutEnd = i;
    } else if (runStart >= 0) {
      // A kept pair closes the run of cut pairs before it: the segment before the run is committed.
      key += record.slice(kept, runStart);
      kept = cutEnd;
      runStart = -1;
    }
  }
  if (time === undefined || (!msgSeen && !levelSeen)) return undefined;
  if (runStart < 0) key += record.slice(kept);
  else {
    // An open run: the record ends in cut pairs (and whatever follows the last pair, kept).
    key += record.slice(kept, runStart);
    if (cutEnd < n) key += record.slice(cutEnd);
  }
  return { key, time };
}

/**
 * Whether the tokenizer (readingKey's, parseText's) reads record[0, to) as whole pairs that end by `to`: each pair's
 * `=` before it, each value ending by it (a quoted one closed before it, not left open to the end), nothing read as
 * no pair. Then in any record
 * that has the same first `to` characters and goes on with bare pairs only (` Name=value`, no quote, no control
 * character), the tokenizer reads these same pairs at the same places, and then those: the byte keys' condition for
 * remembering a middle that ends at `to` (byte-keys.ts).
 */
export function middleIsWholePairs(record: string, to: number): boolean {
  const n = record.length;
  if (to > n) return false;
  const plain = spacesOnly(record);
  let i = 0;
  for (;;) {
    while (i < n && isPairSpace(record.charCodeAt(i))) i++;
    if (i >= to) return true;
    const eq = pairKey(record, i);
    if (eq < 0 || eq >= to) return false;
    if (record.charCodeAt(eq + 1) === 34) {
      // Closed before `to`: a quote left open reads to the record's end, through whatever follows.
      const close = closingQuote(record, eq + 1);
      if (close >= to) return false;
      i = close + 1;
    } else {
      i = valueEnd(record, eq + 1, plain);
      if (i > to) return false;
    }
  }
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
  candidates: /level=[wefp]|AZCM|[Vv]ersion|[Ss]ucce|[Pp]assed|[Aa]vailable|[Cc]ommand|Exit Code|HCRP|[Aa]gent Status|Status(?: Code)?=2/g,
  parse: parseText,
  readingKey,
  // The time as readingKey reads the agent's own form (the byte keys' shape holds no other).
  byteShape: {
    lookup: 'logrus',
    time: (raw: string) => plainUtcIsoAt(raw, 6),
    timeAt: (text: string, start: number) => plainUtcIsoAt(text, start + 6),
    mayRemember: middleIsWholePairs,
  },
  timeOf: (line) => normalizeTime(/^time="([^"]+)"/.exec(line)?.[1]),
};

// ---- terminal format ----

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
  candidates: /WARN|ERRO|FATA|PANI|AZCM|[Vv]ersion|[Ss]ucce|[Pp]assed|[Cc]ommand|Exit Code|HCRP/g,
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
  candidates: /WARN|ERROR|FATAL|AZCM|[Vv]ersion|[Ss]ucce|[Pp]assed|[Cc]ommand|Exit Code|HCRP/g,
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
