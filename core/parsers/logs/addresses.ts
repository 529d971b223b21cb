/**
 * IPv4 socket addresses in a record (`dial tcp 20.50.101.41:443: i/o timeout`): the agent dials a different
 * front-door address on every retry, so records that differ only in them would each be decided anew. The
 * interpreter's memo also keys a record with each such address blanked (length kept) and replays the plan with the
 * record's own addresses put back into what it states (`Addresses.sub`): the same report as deciding it afresh.
 * Only whole `a.b.c.d:port` literals (octets <= 255) count: versions never have a port; link-local addresses
 * (IMDS, 169.254.169.254, which the interpreter treats apart) are never blanked.
 */

import { detach, isDigitCode as isDigit } from './record';

export interface Addresses {
  /** The text with each address as `\u0001` and one character for its length. */
  key: string;
  ips: string[];
}

const isWordish = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 /* . */ || c === 95;

/** The end of the IPv4 literal starting at `i` when one is there and a `:digit` follows it, else -1. */
function addressEnd(s: string, i: number): number {
  let j = i;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (s.charCodeAt(j) !== 46) return -1;
      j++;
    }
    let n = 0;
    const from = j;
    while (j < s.length && j - from < 3 && isDigit(s.charCodeAt(j))) n = n * 10 + s.charCodeAt(j++) - 48;
    if (j === from || n > 255 || isDigit(s.charCodeAt(j))) return -1;
  }
  return s.charCodeAt(j) === 58 /* : */ && isDigit(s.charCodeAt(j + 1)) ? j : -1;
}

/**
 * Calls `found(start, end)` for each socket address's IP in `s`, left to right: each is the run of digits and dots
 * before a `:` and a digit, where that run is an IPv4 literal (addressEnd) that does not continue a word. Found from
 * the colons (native indexOf), which records have few of, not character by character (a character costs several
 * times more in a loop on the agent's long records).
 */
function eachAddress(s: string, found: (start: number, end: number) => void): void {
  for (let colon = s.indexOf(':'); colon >= 0; colon = s.indexOf(':', colon + 1)) {
    if (!isDigit(s.charCodeAt(colon + 1))) continue;
    // An IPv4 literal has at most 15 characters: a longer run of digits and dots is none.
    let i = colon;
    while (i > 0 && colon - i <= 15 && (isDigit(s.charCodeAt(i - 1)) || s.charCodeAt(i - 1) === 46)) i--;
    if (i === colon || !isDigit(s.charCodeAt(i)) || (i > 0 && isWordish(s.charCodeAt(i - 1)))) continue;
    // Link-local (IMDS, 169.254.169.254) is never blanked.
    if (addressEnd(s, i) === colon && !s.startsWith('169.254.', i)) found(i, colon);
  }
}

/** The IPs of the socket addresses in `s`, in order, each a copy (see socketAddresses). */
export function addressIps(s: string): string[] {
  const ips: string[] = [];
  eachAddress(s, (start, end) => ips.push(detach(s.slice(start, end))));
  return ips;
}

/** The addresses of `s` and its key with them blanked; undefined when it has none. */
export function socketAddresses(s: string): Addresses | undefined {
  let key = '';
  let kept = 0;
  const ips: string[] = [];
  eachAddress(s, (start, end) => {
    // A copy: the strings a replayed plan states are built from these, LogFacts keeps them, and `s` may be a slice of a
    // whole log block (a reading key), which a slice of it would keep in memory (V8 slices strings of 13+ characters).
    ips.push(detach(s.slice(start, end)));
    key += `${s.slice(kept, start)}\u0001${String.fromCharCode(48 + end - start)}`;
    kept = end;
  });
  return ips.length === 0 ? undefined : { key: key + s.slice(kept), ips };
}

/**
 * What turns strings stated for a record with addresses `from` into those for one with `to` (same count, same
 * lengths): each address of `from` found in a string becomes its counterpart. Undefined when that is ambiguous (one
 * address of `from` standing for two of `to`).
 */
export function substitution(from: readonly string[], to: readonly string[]): ((s: string) => string) | undefined {
  if (from.length !== to.length) return undefined;
  const map = new Map<string, string>();
  let same = true;
  for (let i = 0; i < from.length; i++) {
    const prev = map.get(from[i]!);
    if (prev !== undefined && prev !== to[i]) return undefined;
    if (from[i]!.length !== to[i]!.length) return undefined;
    map.set(from[i]!, to[i]!);
    if (from[i] !== to[i]) same = false;
  }
  if (same) return IDENTITY;
  return (s: string): string => {
    let out = '';
    let kept = 0;
    eachAddress(s, (start, end) => {
      const now = map.get(s.slice(start, end));
      if (now === undefined) return;
      out += s.slice(kept, start) + now;
      kept = end;
    });
    return kept === 0 ? s : out + s.slice(kept);
  };
}

export const IDENTITY = (s: string): string => s;
