/** What a log grammar provides to the block scanner (core/parsers/logs/scanner.ts). */
import type { ByteShape } from './byte-keys';
import type { Level, LogRecord } from './record';

export type GrammarId = 'logrus' | 'logrus-terminal' | 'logrus-console' | 'gc-bracket' | 'plain';

/** What a grammar's readingKey tells of a record without parsing it. */
export interface RecordReading {
  key: string;
  time: string;
  /**
   * When the grammar knows them cheaply: the record's level and exactly the text the interpreter reads of it
   * (message and non-volatile fields, on one line), so that a record the hints rule out needs no parse.
   */
  level?: Level | undefined;
  text?: string | undefined;
}

export interface Grammar {
  id: GrammarId;
  /** What a person would call the format. */
  label: string;
  /** 0 (not this format) to 100, from the first lines of a file. */
  detect(lines: readonly string[]): number;
  /** Whether the line starting at index `i` of `s` starts a record; other lines continue the previous record. */
  startsRecord(s: string, i: number): boolean;
  /**
   * Global regex of short literals run over whole blocks: a record without a match carries nothing the
   * interpreter uses, so it is never parsed. Keep it a union of few literals (fast in V8), each starting with the
   * letter of its word (`[Vv]ersion`, not `ersion`): irregexp skips ahead on rare first characters, and literals
   * starting mid-word with common letters (e, u, a, o) made the scan 2-3x slower on agent logs.
   */
  candidates: RegExp;
  parse(record: string): LogRecord | undefined;
  /**
   * Optional: a key for what the interpreter reads of a record, and the record's time, without parsing it (see
   * logrus readingKey). Records with equal keys must parse to equal readings (readingOf). Undefined: parse it.
   */
  readingKey?(record: string): RecordReading | undefined;
  /** Optional, with readingKey: the grammar's records take byte keys (byte-keys.ts), of this shape. */
  byteShape?: ByteShape;
  /** The record's time, read cheaply from its first line (for the time range). */
  timeOf(firstLine: string): string | undefined;
}

/** `startsRecord` from a sticky regex tested at `i` (no slicing). */
export function stickyTest(re: RegExp): (s: string, i: number) => boolean {
  const sticky = new RegExp(re.source.replace(/^\^/, ''), `${re.flags.replace(/[gym]/g, '')}y`);
  return (s, i) => {
    sticky.lastIndex = i;
    return sticky.test(s);
  };
}

/** Lines that are not blank, without '\r', up to `max`. */
export function headLines(text: string, max = 20): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < max && start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    const line = text.slice(start, Math.min(nl, start + 4096)).replace(/\r$/, '');
    if (line.trim()) out.push(line);
    start = nl + 1;
  }
  return out;
}

/** Share of `lines` that satisfy `test`, as a 0-100 score (0 when fewer than `min` match). */
export function shareScore(lines: readonly string[], test: (l: string) => boolean, min = 1): number {
  if (lines.length === 0) return 0;
  const n = lines.filter(test).length;
  return n < min ? 0 : Math.round((n / lines.length) * 100);
}
