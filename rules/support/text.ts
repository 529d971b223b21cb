/** Text helpers for rule messages. */
import { clipWords } from '../../core/text/clip';

/** `s` without trailing slashes (a loop: `/\/+$/` retries from every slash of a long run, quadratically). */
export function trimSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}

/** Collapses whitespace and cuts to at most `max` characters at a word boundary, ending in `...` when cut. */
export function clipText(text: string, max: number): string {
  return clipWords(text, max, '...');
}
