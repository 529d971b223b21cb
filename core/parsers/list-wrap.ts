/**
 * Values that PowerShell's list views wrap (`Format-List`, `azcmagent show`): a long value goes on in lines indented to
 * exactly the column where it started (`Message      : ... for file 'C:\Program` / `               Files\...'`). A line
 * continues a value only at that exact indent, so a wrapped value is told from the indented lines of other text
 * (code blocks, PowerShell's `    + CategoryInfo : ...`). Read by hand over offsets, each character a bounded number of
 * times: no regex that sees input.
 */

/** Longest key read (a Format-List key is a property name, padded to the block's longest). */
const MAX_KEY = 80;
/** Widest indent a continuation can have (the value column of a padded key). */
const MAX_INDENT = MAX_KEY + 4;
/** Lines walked back from a continuation to its `Key : value` line, and characters in all. */
const MAX_LINES_BACK = 64;
const MAX_CHARS_BACK = 64 * 1024;

const isKeyChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 /* _ */ || c === 46 /* . */ || c === 40 || c === 41 /* ( ) */ || c === 45 /* - */ || c === 32;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * The column where the value of s[from, to) starts when that line is `Key<spaces> : value` (key from column 0, a
 * letter first; one space after the colon, then the value), or -1.
 */
export function listValueColumn(s: string, from: number, to: number): number {
  if (from >= to || !isLetter(s.charCodeAt(from))) return -1;
  const end = Math.min(to, from + MAX_KEY + 1);
  for (let i = from + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 58 /* : */) {
      if (s.charCodeAt(i - 1) !== 32 || i + 2 >= to || s.charCodeAt(i + 1) !== 32) return -1;
      const v = s.charCodeAt(i + 2);
      return v === 32 || v === 9 || v === 13 ? -1 : i + 2 - from;
    }
    if (!isKeyChar(c)) return -1;
  }
  return -1;
}

/** Spaces that start s[from, to) when a character other than a space, tab or CR follows them (at most MAX_INDENT), else -1. */
export function indentOf(s: string, from: number, to: number): number {
  let i = from;
  const end = Math.min(to, from + MAX_INDENT + 1);
  while (i < end && s.charCodeAt(i) === 32) i++;
  if (i >= to || i - from > MAX_INDENT) return -1;
  const c = s.charCodeAt(i);
  return c === 9 || c === 13 || c === 10 ? -1 : i - from;
}

/**
 * Whether the line starting at `i` of `s` continues a wrapped list value: indented by exactly the value column of the
 * `Key : value` line above it, with only lines of that same indent in between.
 */
export function continuesListValue(s: string, i: number): boolean {
  if (i === 0) return false;
  let nl = s.indexOf('\n', i);
  if (nl < 0) nl = s.length;
  const indent = indentOf(s, i, nl);
  if (indent < 2) return false;
  const floor = Math.max(0, i - MAX_CHARS_BACK);
  let lineStart = i;
  for (let k = 0; k < MAX_LINES_BACK && lineStart > 0; k++) {
    const prevEnd = lineStart - 1; // its '\n'
    // The line before, found within MAX_CHARS_BACK of `i` (no search back over a long line).
    let prev = prevEnd;
    while (prev > floor && s.charCodeAt(prev - 1) !== 10) prev--;
    if (prev > 0 && s.charCodeAt(prev - 1) !== 10) return false;
    if (s.charCodeAt(prev) !== 32) return listValueColumn(s, prev, prevEnd) === indent;
    if (indentOf(s, prev, prevEnd) !== indent) return false;
    lineStart = prev;
  }
  return false;
}

/**
 * Lines `lines[at + 1 ...]` that continue the value of `lines[at]` (a `Key : value` line whose value starts at
 * `column`), joined to it with single spaces; `next` is the first line after them.
 */
export function wrappedValue(lines: readonly string[], at: number, column: number): { value: string; next: number } {
  const first = lines[at]!;
  let value = first.slice(column).trim();
  let j = at + 1;
  for (; j < lines.length && j - at <= MAX_LINES_BACK; j++) {
    const line = lines[j]!;
    if (indentOf(line, 0, line.length) !== column) break;
    value += ` ${line.trim()}`;
  }
  return { value, next: j };
}
