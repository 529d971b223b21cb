/**
 * Runs a grammar over blocks of complete lines: one regex pass per block finds candidate positions, and
 * only the records holding them are parsed. A record may span lines (and blocks): the last record of a
 * block waits for the next block, up to `maxRecordChars`.
 */
import type { BlockSink } from './blocks';
import { addressIps, substitution } from './addresses';
import { ENTRY, ENTRY_WORDS, HEAD, MIDDLE_START, type ByteKeys, type ByteShape } from './byte-keys';
import type { Grammar, RecordReading } from './grammar';
import { unionLiterals } from './literals';
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
  /**
   * After keyed() took a record: the plan it replayed for the record's own socket addresses, with those it was decided
   * for (the byte keys remember it for records alike but for their addresses); undefined otherwise.
   */
  readonly keyedAddresses?: { plan: Plan; ips: readonly string[] } | undefined;
  /**
   * A record whose plan the byte keys found, with its time: taken as keyed() takes it; `sub` puts the record's own
   * socket addresses into what a plan decided for others states (identity when absent).
   */
  knownPlan?(plan: Plan, raw: string, line: number, time: string, sub?: (s: string) => string): void;
  /**
   * Records whose plans the byte keys found to say nothing (QuietKind 1 and 2, in that order of counting), of which
   * the last has `time`: taken as knownPlan takes each.
   */
  quietRecords?(saysNothing: number, nothing: number, time: string): void;
  /** Whether the byte keys' module may read runs of records (with quietRecords). */
  readonly scansInModule?: boolean;
}

export const MAX_RECORD_CHARS = 1024 * 1024;

/** The literals of each grammar's candidates regex (literals.ts), read once; null: not a union of literals. */
const LITERALS = new WeakMap<RegExp, string[] | null>();

function candidateLiterals(re: RegExp): string[] | undefined {
  let l = LITERALS.get(re);
  if (l === undefined) LITERALS.set(re, (l = unionLiterals(re) ?? null));
  return l ?? undefined;
}

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
    // The module reads whole runs of records itself (scanRecords) where it knows the grammar's candidates and no
    // record of this text can reach maxRecordChars (the cut the loop below makes is then never made).
    const batch = bytes && this.sink.scansInModule && s.length <= this.maxRecordChars && bytes.prepare(shape!.lookup, candidateLiterals(this.grammar.candidates));
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
      if (batch && this.sink.keying && (loaded ??= bytes.load(s))) {
        // From this record on the module reads the records, until it meets a run without candidates.
        done = this.scanInModule(s, start, to, line, bytes, shape!);
        countedLine = this.batchLine;
        re.lastIndex = done;
        if (done >= to) break;
        continue;
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
        if (probe >= 0 && this.takeKnown(s, start, rawEnd, line, probe, bytes, shape!)) {
          if (end >= to) break;
          continue;
        }
      }
      this.readRecord(s, start, end, line, probe, bytes, shape);
      if (end >= to) break;
    }
    re.lastIndex = 0;
    return countedLine + countNewlines(s, done, to);
  }

  /**
   * A record whose plan the byte keys found (id): taken with its time, and with its own socket addresses where the plan
   * was decided for others (false when its time does not read, or its addresses do not map one to one: read it).
   */
  private takeKnown(s: string, start: number, rawEnd: number, line: number, id: number, bytes: ByteKeys<Plan>, shape: ByteShape): boolean {
    const time = shape.timeAt(s, start);
    if (time === undefined) return false;
    const ips = bytes.addressesOf(id);
    // The middle's addresses (the module found the same count of the same lengths there); a trailing pair's would
    // make one too many, and no substitution.
    const sub = ips && substitution(ips, addressIps(s.slice(start + MIDDLE_START, rawEnd)));
    if (ips && !sub) return false;
    this.sink.knownPlan!(bytes.plan(id), s.slice(start, rawEnd), line, time, sub);
    this.parsed++;
    return true;
  }

  /**
   * The record s[start, end) by its reading key, or parsed; `probe`: what its byte-key lookup (the last one made)
   * gave: -1, a key not known, is remembered with the plan the reading key finds.
   */
  private readRecord(s: string, start: number, end: number, line: number, probe: number, bytes: ByteKeys<Plan> | undefined, shape: ByteShape | undefined): void {
    const raw = recordRaw(s, start, end);
    // A record read alike before is not parsed again: its reading key finds what it said.
    const reading = this.sink.keying && this.grammar.readingKey ? this.grammar.readingKey(raw) : undefined;
    if (reading && this.sink.keyed!(reading, raw, line)) {
      this.parsed++;
      // Its byte key is remembered with what the reading key found, where the shape says every record with it reads alike.
      // keyed() gives one of the two: the plan of the record's own key, or one replayed for other addresses.
      const plan = probe === -1 ? this.sink.keyedPlan : undefined;
      const byAddresses = probe === -1 ? this.sink.keyedAddresses : undefined;
      if ((plan || byAddresses) && shape!.mayRemember(raw, bytes!.middleEnd())) {
        if (plan) bytes!.remember(plan);
        else bytes!.rememberAddresses(byAddresses!.plan, byAddresses!.ips);
      }
    } else {
      const rec = this.grammar.parse(raw);
      if (rec) {
        this.parsed++;
        this.sink.record(rec, raw, line, reading?.key);
      }
    }
  }

  /** The line number where scanInModule stopped. */
  private batchLine = 0;

  /**
   * Reads s[from, to) from the record at `from` (line `line`) with the module's scanRecords, as the loop of scan()
   * would: the same records, in the same order, with the same lookups. Records found to say nothing are taken as
   * counts; a record the module does not know is read here, and the module goes on after it (its table may have
   * changed: it remembers what that record said). Returns where it stopped (a record's start, or `to`), and the line
   * there in batchLine: at `to`, or where the module met SPARSE records without a candidate.
   */
  private scanInModule(s: string, from: number, to: number, line: number, bytes: ByteKeys<Plan>, shape: ByteShape): number {
    let at = from;
    while (at < to && this.sink.keying) {
      const n = bytes.scan(shape.lookup, at, to, line);
      const out = bytes.out();
      let again = false;
      for (let i = 0; i < n; i++) {
        const e = (i + 1) * ENTRY_WORDS;
        const start = out[e + ENTRY.start]!;
        if (out[e + ENTRY.quietA]! + out[e + ENTRY.quietB]! > 0) this.takeQuiet(s, out[e + ENTRY.quietA]!, out[e + ENTRY.quietB]!, out[e + ENTRY.quietLast]!, shape);
        const id = out[e + ENTRY.id]!;
        const recordLine = out[e + ENTRY.line]!;
        if (id >= 0 && this.takeKnown(s, start, out[e + ENTRY.rawEnd]!, recordLine, id, bytes, shape)) continue;
        // Not known (the last entry), or its time does not read: read here, and the module starts again after it.
        const end = out[e + ENTRY.end]!;
        const breaks = out[e + ENTRY.breaks]!;
        this.readRecord(s, start, end, recordLine, id, bytes, shape);
        at = end;
        line = recordLine + breaks;
        again = true;
        break;
      }
      if (again) continue;
      if (out[HEAD.quietA]! + out[HEAD.quietB]! > 0) this.takeQuiet(s, out[HEAD.quietA]!, out[HEAD.quietB]!, out[HEAD.quietLast]!, shape);
      at = out[HEAD.next]!;
      line = out[HEAD.line]!;
      if (out[HEAD.sparse] === 1) break;
    }
    this.batchLine = line;
    return at;
  }

  /** Records the module counted as saying nothing, the last starting at `last`. */
  private takeQuiet(s: string, saysNothing: number, nothing: number, last: number, shape: ByteShape): void {
    // Its time reads: the module counts only records whose time does (timeAt reads what lookup checked).
    this.sink.quietRecords!(saysNothing, nothing, shape.timeAt(s, last)!);
    this.parsed += saysNothing + nothing;
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
