/** Text helpers for rule messages. */

/** Collapses whitespace and cuts to at most `max` characters, ending in `...` when cut. */
export function clipText(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}
