/**
 * The literals a grammar's candidates regex is a union of, spelled out: `level=[wefp]|[Vv]ersion|Status(?: Code)?=2`
 * gives level=w, level=e, level=f, level=p, Version, version, Status=2, Status Code=2. The byte keys' module finds
 * candidate records by these (wasm/byte-keys.ts scanRecords), so the regex stays the one statement of what a candidate
 * is. Only that form is read: alternatives of plain characters, escaped punctuation, character classes of plain
 * characters and optional groups of those; anything else gives undefined (the scanner then keeps to the regex).
 */

/** More than this many literals is not a union of a few literals (and would not fit the module's list). */
const MAX_LITERALS = 128;

/** Characters that stand for themselves when escaped (`\[`), and never unescaped outside a class. */
const PUNCTUATION = new Set([...'[](){}.|?*+^$\\/-']);
/** Characters that mean something unescaped. */
const SPECIAL = new Set([...'[](){}.|?*+^$\\']);

/** A sequence item: the strings it may be (one for a plain character, several for a class, '' among them if optional). */
type Item = string[];

/** The literals of `re`, or undefined when its source is not a union of literals (see above) or its flags change matching. */
export function unionLiterals(re: RegExp): string[] | undefined {
  if (re.flags.replace(/[gy]/g, '') !== '') return undefined;
  const out: string[] = [];
  for (const alternative of splitTop(re.source)) {
    const items = readItems(alternative, false);
    if (!items || items.length === 0) return undefined;
    let words = [''];
    for (const item of items) {
      const next: string[] = [];
      for (const w of words) for (const option of item) next.push(w + option);
      words = next;
      if (words.length > MAX_LITERALS) return undefined;
    }
    for (const w of words) {
      if (w.length === 0) return undefined; // an alternative that can match nothing matches everywhere
      if (!out.includes(w)) out.push(w);
    }
    if (out.length > MAX_LITERALS) return undefined;
  }
  return out;
}

/** The source's top-level alternatives (a `|` inside a class or group does not split). */
function splitTop(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(source.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(source.slice(from));
  return parts;
}

/** The items of a sequence; `inGroup`: inside an optional group (no groups nest). Undefined: not of the form. */
function readItems(s: string, inGroup: boolean): Item[] | undefined {
  const items: Item[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined || !PUNCTUATION.has(n)) return undefined; // \d, \s, \b: not a literal
      items.push([n]);
      i += 2;
    } else if (c === '[') {
      const close = s.indexOf(']', i + 1);
      if (close < 0) return undefined;
      const chars = s.slice(i + 1, close);
      if (chars.length === 0 || [...chars].some((ch) => ch === '^' || ch === '-' || ch === '\\' || ch === '[')) return undefined;
      items.push([...new Set(chars)]);
      i = close + 1;
    } else if (c === '(' && !inGroup && s.startsWith('(?:', i)) {
      const close = s.indexOf(')', i + 3);
      if (close < 0 || s[close + 1] !== '?') return undefined;
      const inner = readItems(s.slice(i + 3, close), true);
      if (!inner || inner.length === 0) return undefined;
      let words = [''];
      for (const item of inner) words = words.flatMap((w) => item.map((o) => w + o));
      items.push(['', ...words]);
      i = close + 2;
    } else if (SPECIAL.has(c)) {
      return undefined;
    } else {
      items.push([c]);
      i++;
    }
  }
  return items;
}
