/**
 * Incremental bytes -> text for untrusted log files read in chunks: UTF-8 (BOM or not, invalid sequences become
 * U+FFFD), UTF-16 LE/BE with BOM, BOM-less UTF-16 LE (as PowerShell 5.1 writes). The first chunk decides the
 * encoding and whether the data is binary.
 */
import { StringDecoder } from 'node:string_decoder';

export type TextEncodingName = 'utf8' | 'utf16le' | 'utf16be';

/** Sniffed from the first bytes; at least 2 bytes are needed for a BOM, more for the UTF-16 heuristic. */
export function sniffEncoding(head: Buffer): { encoding: TextEncodingName; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  const n = Math.min(head.length, 4096) & ~1;
  if (n >= 4) {
    let zeroOdd = 0;
    for (let i = 1; i < n; i += 2) if (head[i] === 0) zeroOdd++;
    if (zeroOdd / (n / 2) > 0.6) return { encoding: 'utf16le', bom: 0 };
  }
  return { encoding: 'utf8', bom: 0 };
}

/** Text with NULs or many control characters is not a log. */
export function looksBinary(sample: string): boolean {
  const s = sample.length > 8192 ? sample.slice(0, 8192) : sample;
  if (s.includes('\u0000')) return true;
  const controls = s.match(/[\u0001-\u0008\u000e-\u001a\u001c-\u001f]/g)?.length ?? 0;
  return controls > s.length * 0.1;
}

/** Bytes needed before the encoding is decided (a BOM, or enough for the UTF-16 heuristic). */
const SNIFF_BYTES = 512;

export class StreamDecoder {
  private decoder?: StringDecoder;
  private encoding?: TextEncodingName;
  private head: Buffer[] = [];
  private headLength = 0;
  private oddByte?: number;
  binary = false;

  /** Decoded text of the chunk (may be '' while sniffing). Throws nothing. */
  push(chunk: Buffer): string {
    if (!this.encoding) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength < SNIFF_BYTES) return '';
      return this.start(Buffer.concat(this.head));
    }
    return this.decode(chunk);
  }

  end(): string {
    if (!this.encoding) return this.head.length ? this.start(Buffer.concat(this.head)) + this.flush() : '';
    return this.flush();
  }

  get detected(): TextEncodingName | undefined {
    return this.encoding;
  }

  private start(head: Buffer): string {
    this.head = [];
    const { encoding, bom } = sniffEncoding(head);
    this.encoding = encoding;
    this.decoder = new StringDecoder(encoding === 'utf8' ? 'utf8' : 'utf16le');
    const text = this.decode(head.subarray(bom));
    if (looksBinary(text)) this.binary = true;
    return text;
  }

  private decode(chunk: Buffer): string {
    if (this.encoding !== 'utf16be') return this.decoder!.write(chunk);
    // Swap byte pairs into LE, carrying an odd trailing byte to the next chunk.
    let buf = chunk;
    if (this.oddByte !== undefined) {
      buf = Buffer.concat([Buffer.from([this.oddByte]), chunk]);
      this.oddByte = undefined;
    }
    if (buf.length % 2 === 1) {
      this.oddByte = buf[buf.length - 1];
      buf = buf.subarray(0, buf.length - 1);
    }
    return this.decoder!.write(Buffer.from(buf).swap16());
  }

  private flush(): string {
    return this.decoder?.end() ?? '';
  }
}
