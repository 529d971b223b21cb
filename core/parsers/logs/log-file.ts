/**
 * One log file, streamed: bytes -> text (encoding sniffed) -> blocks of lines (length-capped) -> the grammar
 * its first lines match (logrus text/terminal/console, GuestConfig brackets, else free text) -> records ->
 * LogFacts. Memory is bounded by the line and record caps, whatever the file size.
 */
import { BlockSplitter, DEFAULT_MAX_LINE_CHARS } from './blocks';
import { StreamDecoder } from './decode';
import { headLines, type Grammar } from './grammar';
import { gcBracket } from './gc-bracket';
import { LOGRUS_GRAMMARS } from './logrus';
import { plainText } from './plain';
import { RecordScanner } from './scanner';
import { RecordInterpreter, type InterpretContext } from './interpret';
import type { LogFacts } from './collector';

export const LOG_GRAMMARS: readonly Grammar[] = [...LOGRUS_GRAMMARS, gcBracket];

/** The grammar most of the first lines follow; free text when none does. */
export function detectGrammar(text: string): Grammar {
  const lines = headLines(text, 20);
  let best: Grammar = plainText;
  let score = 29;
  for (const g of LOG_GRAMMARS) {
    const s = g.detect(lines);
    if (s > score) [best, score] = [g, s];
  }
  return best;
}

export interface LogFileSummary {
  grammar: Grammar['id'];
  lines: number;
  /** Records parsed (only candidates are parsed). */
  records: number;
  firstTime?: string;
  lastTime?: string;
  truncatedLines: number;
  /** Lines of the first cut lines. */
  truncatedAt: number[];
  binary: boolean;
}

const DECODE_PIECE = 64 * 1024;

/** Decoded text gathered before choosing the grammar. */
const SNIFF_CHARS = 16 * 1024;

export class LogFileReader {
  private readonly decoder = new StreamDecoder();
  private head = '';
  private splitter?: BlockSplitter;
  private scanner?: RecordScanner;
  private readonly interpreter: RecordInterpreter;
  private stopped = false;

  constructor(ctx: InterpretContext, facts: LogFacts, private readonly maxLineChars = DEFAULT_MAX_LINE_CHARS, private readonly grammar?: Grammar) {
    this.interpreter = new RecordInterpreter(ctx, facts);
  }

  /** True once the data turned out to be binary: the caller can stop reading. */
  get binary(): boolean {
    return this.decoder.binary;
  }

  push(chunk: Buffer): void {
    // Decoded in pieces: a string over ~128 KiB is a large object in V8, and each one costs fresh pages (page faults
    // on every 4 KiB), which made decoding 512 KiB inflate chunks several times slower than the decode itself.
    for (let at = 0; at < chunk.length && !this.stopped; at += DECODE_PIECE) {
      this.pushText(this.decoder.push(at === 0 && chunk.length <= DECODE_PIECE ? chunk : chunk.subarray(at, at + DECODE_PIECE)));
    }
  }

  pushText(text: string): void {
    if (this.stopped || text.length === 0) return;
    if (this.decoder.binary) {
      this.stopped = true;
      return;
    }
    if (this.splitter) return this.splitter.push(text);
    this.head += text;
    if (this.head.length >= SNIFF_CHARS) this.start();
  }

  end(): LogFileSummary {
    if (!this.stopped) this.pushText(this.decoder.end());
    if (!this.splitter && !this.stopped) this.start();
    this.splitter?.end();
    this.scanner?.end();
    const s: LogFileSummary = {
      grammar: this.scanner?.grammar.id ?? 'plain',
      lines: this.splitter?.linesSeen ?? 0,
      records: this.interpreter.records,
      truncatedLines: this.splitter?.truncatedLines ?? 0,
      truncatedAt: this.splitter?.truncatedAt ?? [],
      binary: this.decoder.binary,
    };
    if (this.scanner?.firstTime) s.firstTime = this.scanner.firstTime;
    if (this.scanner?.lastTime) s.lastTime = this.scanner.lastTime;
    return s;
  }

  private start(): void {
    const head = this.head;
    this.head = '';
    this.scanner = new RecordScanner(this.grammar ?? detectGrammar(head), this.interpreter);
    this.splitter = new BlockSplitter(this.scanner, this.maxLineChars);
    this.splitter.push(head);
  }
}
