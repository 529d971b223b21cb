/**
 * Turns bytes from an untrusted file into text: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM,
 * or BOM-less UTF-16 LE as PowerShell 5.1 redirection sometimes writes. Binary data is refused.
 */
import { DEFAULT_MAX_LINE_CHARS } from '../parsers/logs/blocks';

export class InputError extends Error {
  override name = 'InputError';
}

export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/** Longest line a parser of pasted text sees: the length the log reader cuts lines at. */
export const MAX_LINE_CHARS = DEFAULT_MAX_LINE_CHARS;

/**
 * `text` with every line longer than `max` cut there (the rest of the line dropped), and how many were cut. A bound
 * on the work any per-line pattern can do; the text is returned as is when nothing is cut.
 */
export function capLines(text: string, max = MAX_LINE_CHARS): { text: string; cut: number } {
  const parts: string[] = [];
  let kept = 0;
  for (let start = 0; start < text.length;) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    if (nl - start > max) {
      parts.push(text.slice(kept, start + max));
      kept = nl;
    }
    start = nl + 1;
  }
  if (parts.length === 0) return { text, cut: 0 };
  parts.push(text.slice(kept));
  return { text: parts.join(''), cut: parts.length - 1 };
}

/** The input message for lines cut at `max` characters, as the log reader words it. */
export function cutLinesMessage(path: string, cut: number, max = MAX_LINE_CHARS): string {
  const at = max % 1024 === 0 ? `${max / 1024} KiB` : `${max} characters`;
  return `${path}: ${cut} over-long line${cut === 1 ? '' : 's'} cut at ${at}`;
}

/** An unexpected error (a bug, not bad content) as one line naming the input. */
export function internalErrorMessage(path: string, err: unknown): string {
  const why = (err instanceof Error ? err.message : String(err)).slice(0, 400).replace(/\s+/g, ' ').trim().slice(0, 200);
  return `${path}: internal error while reading it (${why}); please report this with the input`;
}

function looksUtf16le(buf: Buffer): boolean {
  const n = Math.min(buf.length, 4096) & ~1;
  if (n < 4) return false;
  let zeroOdd = 0;
  for (let i = 1; i < n; i += 2) if (buf[i] === 0) zeroOdd++;
  return zeroOdd / (n / 2) > 0.6;
}

export function decodeText(buf: Buffer, name: string): string {
  if (buf.length > MAX_TEXT_BYTES) throw new InputError(`${name}: file is ${buf.length} bytes; expected text output of at most ${MAX_TEXT_BYTES} bytes`);
  let text: string;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) text = buf.subarray(3).toString('utf8');
  else if (buf[0] === 0xff && buf[1] === 0xfe) text = buf.subarray(2).toString('utf16le');
  else if (buf[0] === 0xfe && buf[1] === 0xff) {
    const body = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    text = body.swap16().toString('utf16le');
  } else if (looksUtf16le(buf)) text = buf.toString('utf16le');
  else text = buf.toString('utf8');
  const sample = text.slice(0, 8192);
  const controls = sample.match(/[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/g)?.length ?? 0;
  if (sample.includes('\u0000') || controls > sample.length * 0.1) {
    throw new InputError(`${name}: binary data; expected text (command output or a log file)`);
  }
  // A big input has no CR more often than not: then no second copy of it is made.
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
