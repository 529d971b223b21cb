/**
 * Turns bytes from an untrusted file into text: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM,
 * or BOM-less UTF-16 LE as PowerShell 5.1 redirection sometimes writes. Binary data is refused.
 */
export class InputError extends Error {
  override name = 'InputError';
}

export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

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
