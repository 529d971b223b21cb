/**
 * Parsers turn one kind of text (a command's output, a config file) into fact observations.
 * Detection is by content, never by file name: `detect` returns a confidence, the best one wins.
 */
import type { Observation } from '../model/facts';
import type { Evidence, SourceKind } from '../model/types';

export interface InputRef {
  /** Path as the user gave it, or the entry path inside a bundle. */
  path: string;
  source: SourceKind;
}

export class ParseError extends Error {}

export interface ParseResult {
  observations: Observation[];
  /** Non-fatal problems: a row that did not parse, an unknown value. */
  warnings?: string[];
}

export interface TextParser {
  /** Stable id, e.g. `azcmagent-show-text`. */
  id: string;
  /** What the user would call this output, e.g. `azcmagent show`. */
  label: string;
  /**
   * 0 when the text is not this kind; otherwise a confidence, 1 (weak) to 100 (certain).
   * Must be cheap: it runs on every input for every parser.
   */
  detect(text: string): number;
  /** Throws ParseError when the text looks like this kind but is unusable. */
  parse(text: string, input: InputRef): ParseResult;
}

/** Longest excerpt kept in evidence. */
export const EXCERPT_MAX = 200;

export function excerpt(line: string): string {
  const t = line.trim();
  return t.length > EXCERPT_MAX ? `${t.slice(0, EXCERPT_MAX - 1)}…` : t;
}

export function lineEvidence(input: InputRef, lineIndex: number, lineText: string): Evidence {
  return { source: input.source, path: input.path, line: lineIndex + 1, excerpt: excerpt(lineText) };
}

/** Evidence for a whole input (structured data without useful line numbers). */
export function inputEvidence(input: InputRef, what?: string): Evidence {
  return what ? { source: input.source, path: input.path, excerpt: excerpt(what) } : { source: input.source, path: input.path };
}

/** 0-based index of the first line of `lines` matching `re` (from `from`), or -1. */
export function findLine(lines: readonly string[], re: RegExp, from = 0): number {
  for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return i;
  return -1;
}

/** Evidence for line `index` (0-based), or for the whole input naming `fallback` when the line is unknown (-1). */
export function evidenceAt(input: InputRef, lines: readonly string[], index: number, fallback: string): Evidence {
  return index >= 0 ? lineEvidence(input, index, lines[index]!) : inputEvidence(input, fallback);
}

/** Whether the character `c` is whitespace as `\s` matches it (the set `String.prototype.trim` strips). */
export function isSpace(c: string | undefined): boolean {
  if (!c) return false;
  const code = c.charCodeAt(0);
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code > 127 && c.trim() === '';
}

/**
 * What `\s*(.*?)\s*$` captures of `rest` (the end of a line), without the quadratic backtracking of a lazy group
 * beside `\s*`: the text trimmed, or undefined when a line break is left inside it (`.` stops there).
 */
export function lineRest(rest: string): string | undefined {
  const t = rest.trim();
  return /[\n\r\u2028\u2029]/.test(t) ? undefined : t;
}

/**
 * 0-based line where the JSON key `"key"` (any case) first appears followed by `:`, or -1. A plain string search:
 * keys come from the input, so they never become a RegExp (a 32 K key does not even compile).
 */
export function jsonKeyLine(lines: readonly string[], key: string): number {
  const needle = `"${key.toLowerCase()}"`;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.length < needle.length + 1) continue;
    const line = lines[i]!.toLowerCase();
    for (let at = line.indexOf(needle); at >= 0; at = line.indexOf(needle, at + 1)) {
      let j = at + needle.length;
      while (isSpace(line[j])) j++;
      if (line[j] === ':') return i;
    }
  }
  return -1;
}

/** Parses JSON from a pasted output, tolerating text around it (a PowerShell prompt line, a banner). */
export function parseJsonLoose(text: string): unknown {
  const t = text.trim();
  try {
    return JSON.parse(t);
  } catch {
    const start = t.search(/[[{]/);
    const end = Math.max(t.lastIndexOf('}'), t.lastIndexOf(']'));
    if (start < 0 || end <= start) throw new ParseError('expected JSON');
    try {
      return JSON.parse(t.slice(start, end + 1));
    } catch (err) {
      throw new ParseError(`invalid JSON: ${(err as Error).message}`);
    }
  }
}

/** parseJsonLoose's message without its own prefix, for a `looks like X but ...` sentence. */
export const jsonProblem = (err: unknown): string =>
  (err as Error).message.replace(/^invalid JSON: /, '').replace(/^expected JSON$/, 'no complete JSON value');

export type JsonObject = Record<string, unknown>;

export function asObject(v: unknown): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** A JSON scalar as trimmed text; null is ''; objects and arrays are undefined. */
export function scalarText(v: unknown): string | undefined {
  if (v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** `true`/`yes`/`false`/`no` (any case) or a boolean; anything else is undefined. */
export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  return t === 'true' || t === 'yes' ? true : t === 'false' || t === 'no' ? false : undefined;
}

/** Case-insensitive property lookup on parsed JSON (keys vary in casing across agent versions). */
export function prop(obj: unknown, ...keys: string[]): unknown {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const record = obj as Record<string, unknown>;
  // The first own key (in key order) equal ignoring case; no entries array per call (fleets call this millions of times).
  for (const key of keys) {
    const k = key.toLowerCase();
    for (const name in record) {
      if (Object.hasOwn(record, name) && name.toLowerCase() === k) return record[name];
    }
  }
  return undefined;
}
