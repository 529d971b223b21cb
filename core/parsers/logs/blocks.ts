/**
 * Splits streamed text into blocks of complete lines, so parsers can scan a block with one regex instead of
 * touching every line. Memory stays bounded: a line longer than `maxLineChars` is cut there (counted in
 * `truncatedLines`) and the rest of it is dropped until its newline, so a 50 MB single line costs 64 KiB.
 */

export interface BlockSink {
  /** `text` holds complete lines, each ending in '\n'; `firstLine` is the 1-based number of its first line. */
  block(text: string, firstLine: number): void;
}

export const DEFAULT_MAX_LINE_CHARS = 64 * 1024;

export class BlockSplitter {
  private carry = '';
  private nextLine = 1;
  /** Dropping the rest of a line that was cut. */
  private skipping = false;
  truncatedLines = 0;
  /** Lines of the first truncations, for a note. */
  readonly truncatedAt: number[] = [];

  constructor(private readonly sink: BlockSink, private readonly maxLineChars = DEFAULT_MAX_LINE_CHARS) {}

  get linesSeen(): number {
    return this.nextLine - 1;
  }

  push(text: string): void {
    if (text.length === 0) return;
    let s = text;
    if (this.skipping) {
      const nl = s.indexOf('\n');
      if (nl < 0) return;
      this.skipping = false;
      s = s.slice(nl + 1);
      if (s.length === 0) return;
    }
    if (this.carry) {
      // Finish the carried line with the head of this chunk: only that line is copied, never the chunk.
      const nl = s.indexOf('\n');
      if (nl < 0) {
        this.carry += s;
        if (this.carry.length > this.maxLineChars) this.cut();
        return;
      }
      const line = this.carry + s.slice(0, nl + 1);
      this.carry = '';
      this.emit(line);
      s = s.slice(nl + 1);
    }
    const last = s.lastIndexOf('\n');
    if (last >= 0) {
      this.carry = last === s.length - 1 ? '' : s.slice(last + 1);
      this.emit(last === s.length - 1 ? s : s.slice(0, last + 1));
    } else {
      this.carry = s;
    }
    if (this.carry.length > this.maxLineChars) this.cut();
  }

  end(): void {
    if (this.carry) {
      const rest = this.carry;
      this.carry = '';
      this.emit(`${rest}\n`);
    }
  }

  /** Emits the head of an over-long unfinished line and drops the rest of it. */
  private cut(): void {
    const head = this.carry.slice(0, this.maxLineChars);
    this.carry = '';
    this.skipping = true;
    this.truncatedLines++;
    if (this.truncatedAt.length < 5) this.truncatedAt.push(this.nextLine);
    this.emit(`${head}\n`);
  }

  private emit(text: string): void {
    const first = this.nextLine;
    // Lines inside `text` longer than the cap (a block can hold several) are cut here.
    let lines = 0;
    let start = 0;
    let capped: string[] | undefined;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (nl - start > this.maxLineChars) {
        capped ??= [];
        capped.push(text.slice(0, start), text.slice(start, start + this.maxLineChars), '\n');
        text = text.slice(nl + 1);
        this.truncatedLines++;
        if (this.truncatedAt.length < 5) this.truncatedAt.push(first + lines);
        start = 0;
        lines++;
        continue;
      }
      start = nl + 1;
      lines++;
    }
    this.nextLine += lines;
    this.sink.block(capped ? capped.join('') + text : text, first);
  }
}
