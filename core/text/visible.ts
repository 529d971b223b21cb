/**
 * Input text made safe for a terminal, on one line: the one helper for every message the CLI prints (notes,
 * warnings, errors, progress) and for the text reporter. Control characters are shown, not dropped or passed
 * through, the way git and unzip show them: `ESC[2J` (clear screen) prints as `\x1b[2J`, `ESC]52;c;...`
 * (set the clipboard) as `\x1b]52;c;...`, so the reader sees that the input carried them.
 *
 * - line breaks (`\n`, `\r\n`) become ` ⏎ ` so a message stays on its line; a lone `\r` is `\x0d` (it would
 *   return to the start of the line and overwrite what was printed);
 * - tab becomes a space;
 * - other C0 controls and DEL become `\xHH`; C1 controls (U+0080-U+009F; U+009B is an 8-bit CSI) `\u00HH`;
 * - Unicode line/paragraph separators and bidirectional overrides (which reorder what the line appears to
 *   say) become `\uHHHH`.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /\r\n|[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number): string => c.charCodeAt(0).toString(16).padStart(width, '0');

function show(c: string): string {
  if (c === '\n' || c === '\r\n') return ' ⏎ ';
  if (c === '\t') return ' ';
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
}

/** `s` on one line with every control character visible (see above). */
export function visible(s: string): string {
  return s.replace(UNSAFE, show);
}
