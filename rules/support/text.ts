/** Text helpers for rule messages. */

/** `s` without trailing slashes (a loop: `/\/+$/` retries from every slash of a long run, quadratically). */
export function trimSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}

/** Collapses whitespace and cuts to at most `max` characters, ending in `...` when cut. */
export function clipText(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}
