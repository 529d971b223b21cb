/** Text helpers for rule messages. */
import { clipWords } from '../../core/clip';

/** Collapses whitespace and cuts to at most `max` characters at a word boundary, ending in `...` when cut. */
export function clipText(text: string, max: number): string {
  return clipWords(text, max, '...');
}
