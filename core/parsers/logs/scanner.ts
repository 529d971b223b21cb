/**
 * Runs a grammar over blocks of complete lines: one regex pass per block finds candidate positions, and
 * only the records holding them are parsed. A record may span lines (and blocks): the last record of a
 * block waits for the next block, up to `maxRecordChars`.
 */
import type { BlockSink } from './blocks';
import type { ByteKeys } from './byte-keys';
import type { Grammar, RecordReading } from './grammar';
import type { Plan } from './plan-memo';
import type { LogRecord } from './record';

export interface RecordSink {
  /** `line` is the 1-based line where the record starts; `raw` its text; `key` its reading key when the grammar has one. */
  record(rec: LogRecord, raw: string, line: number, key?: string): void;
  /** Whether `keyed` may take records now (it remembers what records with a key said). */
  readonly keying?: boolean;
  /** A record known by its reading key and time (Grammar.readingKey): true when taken, false to have it parsed. */
  keyed?(reading: RecordReading, raw: string, line: number): boolean;
  /**
   * While keying, for grammars that take byte keys (Grammar.byteShape): the table of the records' plans by their
   * bytes (byte-keys.ts), undefined when there is none.
   */
  readonly byteKeys?: ByteKeys<Plan> | undefined;
  /**
   * After keyed() took a record: the plan it replayed as it is (for the record's own addresses), or SAYS_NOTHING for
   * a record known to say nothing; undefined otherwise.
   */
  readonly keyedPlan?: Plan | undefined;
  /** A record whose plan the byte keys found, with its time: taken as keyed() takes it. */
  knownPlan?(plan: Plan, raw: string, line: number, time: string): void;
}

export const MAX_RECORD_CHARS = 1024 * 1024;

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  let i = s.indexOf('\n', from);
  while (i >= 0 && i < to) {
    n++;
    i = s.indexOf('\n', i + 1);
  }
  return n;
}

/**
 * s[start, end) without its final line break and with CRLF inside it as LF: what
 * `.replace(/\r?\n$/, '').replace(/\r(?=\n)/g, '')` gives, without two regex passes over every one-line record.
 */
export function recordRaw(s: string, start: number, end: number): string {
  let e = end;
  if (e > start && s.charCodeAt(e - 1) === 10) {
    e--;
    if (e > start && s.charCodeAt(e - 1) === 13) e--;
  }
  const raw = s.slice(start, e);
  // Searched in the record only: from `start` to the end of the block, each record's search read the rest of it.
  return raw.includes('\r\n') ? raw.replace(/\r(?=\n)/g, '') : raw;
}

export class RecordScanner implements BlockSink {
  private pending = '';
  private pendingLine = 1;
  firstTime?: string;
  lastTime?: string;
  /** Records parsed (candidates only). */
  parsed = 0;

  constructor(readonly grammar: Grammar, private readonly sink: RecordSink, private readonly maxRecordChars = MAX_RECORD_CHARS) {}

  block(text: string, firstLine: number): void {
    let s = text;
    let base = firstLine;
    if (this.pending) {
      // Complete the waiting record with this block's continuation lines (usually none), then scan it alone:
      // the block itself is never copied.
      const end = this.firstRecordStart(text);
      if (end < 0) {
        this.pending += text;
        if (this.pending.length > this.maxRecordChars) this.end();
        return;
      }
      const record = end === 0 ? this.pending : this.pending + text.slice(0, end);
      this.scan(record, 0, record.length, this.pendingLine);
      this.pending = '';
      if (end > 0) {
        base += countNewlines(text, 0, end);
        s = text.slice(end);
      }
      if (s.length === 0) return;
    }
    if (this.firstTime === undefined) this.readFirstTime(s);
    const last = this.lastRecordStart(s);
    if (last > 0) {
      const line = this.scan(s, 0, last, base);
      this.setPending(s.slice(last), line);
    } else if (s.length > this.maxRecordChars) {
      this.scan(s, 0, s.length, base);
    } else {
      this.setPending(s, base);
    }
  }

  /** Index of the first line of `s` that starts a record (bounded search), or -1. */
  private firstRecordStart(s: string): number {
    let i = 0;
    while (i < s.length && i <= this.maxRecordChars) {
      if (this.grammar.startsRecord(s, i)) return i;
      const nl = s.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl + 1;
    }
    return i >= s.length ? -1 : i;
  }

  end(): void {
    if (this.pending) this.scan(this.pending, 0, this.pending.length, this.pendingLine);
    this.pending = '';
  }

  private setPending(s: string, line: number): void {
    this.pending = s;
    this.pendingLine = line;
    const nl = s.indexOf('\n');
    const t = this.grammar.timeOf(s.slice(0, nl < 0 ? Math.min(s.length, 200) : Math.min(nl, 200)));
    if (t) this.lastTime = t;
  }

  private readFirstTime(s: string): void {
    let start = 0;
    for (let k = 0; k < 20 && start < s.length; k++) {
      const nl = s.indexOf('\n', start);
      const end = nl < 0 ? s.length : nl;
      const t = this.grammar.timeOf(s.slice(start, Math.min(end, start + 200)));
      if (t) {
        this.firstTime = t;
        this.lastTime ??= t;
        return;
      }
      start = end + 1;
    }
  }

  /** Index of the line starting the last record of `s` (which ends with '\n'); 0 when that is the first line. */
  private lastRecordStart(s: string): number {
    let end = s.length - 1;
    const limit = Math.max(0, s.length - this.maxRecordChars);
    let fallback = -1;
    while (end > 0) {
      const start = s.lastIndexOf('\n', end - 1) + 1;
      if (fallback < 0) fallback = start;
      if (this.grammar.startsRecord(s, start)) return start;
      if (start <= limit) return fallback; // a record this long is cut at its last line
      end = start - 1;
    }
    return 0;
  }

  /** Parses the candidate records in s[from, to); returns the line number at `to`. */
  private scan(s: string, from: number, to: number, baseLine: number): number {
    const shape = this.grammar.byteShape;
    const bytes = shape && this.sink.keying ? this.sink.byteKeys : undefined;
    // The block is copied into the byte keys' memory at its first candidate (a typical log's blocks have few or none).
    let loaded: boolean | undefined;
    const re = this.grammar.candidates;
    re.lastIndex = from;
    // The line number at `done`, the end of the last record read (a line start, as `from` is).
    let countedLine = baseLine;
    let done = from;
    for (;;) {
      // test, not exec: no match array per candidate. The match's last character is on the line of its first (no
      // candidate pattern can match a line break: tested), which is all the record's bounds need.
      if (!re.test(s)) break;
      const at = re.lastIndex - 1;
      if (at >= to) break;
      // The line holding the match, found forward from the end of the last record, counting the lines passed (no
      // lastIndexOf back from the match); `nl`, its line break, is where the search for the record's end starts.
      let start = done;
      let line = countedLine;
      let nl = s.indexOf('\n', start);
      while (nl >= 0 && nl < at) {
        start = nl + 1;
        line++;
        nl = s.indexOf('\n', start);
      }
      // Line breaks between the record's start and the match's line (a match on a continuation line).
      let before = 0;
      const floor = Math.max(done, at - this.maxRecordChars);
      if (start > floor && !this.grammar.startsRecord(s, start)) {
        // A continuation line: back to the line that starts its record (rare), and its number.
        const holding = start;
        while (start > floor && !this.grammar.startsRecord(s, start)) start = Math.max(floor, s.lastIndexOf('\n', start - 2) + 1);
        before = countNewlines(s, start, holding);
        line -= before;
      }
      const end = this.recordEnd(s, nl, at, to);
      done = end;
      countedLine = line + before + this.endBreaks;
      re.lastIndex = end;
      // Byte keys first (a record of their shape has no line break or CR inside: it is its line without the break).
      let probe = -2;
      if (bytes && this.sink.keying && (loaded ??= bytes.load(s))) {
        let rawEnd = end > start && s.charCodeAt(end - 1) === 10 ? end - 1 : end;
        if (rawEnd > start && s.charCodeAt(rawEnd - 1) === 13) rawEnd--;
        probe = bytes.lookup(shape!.lookup, start, rawEnd);
        if (probe >= 0) {
          const raw = s.slice(start, rawEnd);
          const time = shape!.time(raw);
          if (time !== undefined) {
            this.sink.knownPlan!(bytes.plan(probe), raw, line, time);
            this.parsed++;
            if (end >= to) break;
            continue;
          }
        }
      }
      const raw = recordRaw(s, start, end);
      // A record read alike before is not parsed again: its reading key finds what it said.
      const reading = this.sink.keying && this.grammar.readingKey ? this.grammar.readingKey(raw) : undefined;
      if (reading && this.sink.keyed!(reading, raw, line)) {
        this.parsed++;
        // Its byte key is remembered with what the reading key found, where the shape says every record with it reads alike.
        const plan = probe === -1 ? this.sink.keyedPlan : undefined;
        if (plan && shape!.mayRemember(raw, bytes!.middleEnd())) bytes!.remember(plan);
      } else {
        const rec = this.grammar.parse(raw);
        if (rec) {
          this.parsed++;
          this.sink.record(rec, raw, line, reading?.key);
        }
      }
      if (end >= to) break;
    }
    re.lastIndex = 0;
    return countedLine + countNewlines(s, done, to);
  }

  /** Line breaks in [at, end) of the record recordEnd returned the end of. */
  private endBreaks = 0;

  /**
   * Where the record holding `at` ends: at the next line that starts a record, or `to`; `nl` is the first line break
   * at or after `at` (-1: none). Counts the line breaks in [at, end) into endBreaks.
   */
  private recordEnd(s: string, nl: number, at: number, to: number): number {
    const limit = at + this.maxRecordChars;
    let breaks = 0;
    while (nl >= 0 && nl + 1 < to) {
      breaks++;
      if (nl + 1 > limit || this.grammar.startsRecord(s, nl + 1)) {
        this.endBreaks = breaks;
        return nl + 1;
      }
      nl = s.indexOf('\n', nl + 1);
    }
    // The record runs to `to`: a line break just before it is the record's last.
    this.endBreaks = breaks + (nl >= 0 && nl < to ? 1 : 0);
    return to;
  }
}
