/** Cutting text for messages and excerpts: at a word boundary, never mid-word (`i/o timeo...`). */

/**
 * `text` with whitespace collapsed, at most `max` characters: when longer, cut at the last space that leaves at
 * least half of `max` (else at `max`, for one long token such as a URL), ending in `ellipsis`.
 */
export function clipWords(text: string, max: number, ellipsis = '…'): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const room = Math.max(1, max - ellipsis.length);
  const space = t.lastIndexOf(' ', room);
  const cut = space >= room / 2 ? t.slice(0, space) : t.slice(0, room);
  return `${cut.replace(/[\s,;:(]+$/, '')}${ellipsis}`;
}
