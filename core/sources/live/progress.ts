/** One status line for a TTY: what is still running, e.g. `checking 7/15: probe wac.azure.com, azcmagent (+3 more) 1.2s`. */
import type { LiveProgress } from './options';

export function formatProgress(p: LiveProgress, width = 100): string {
  const head = `checking ${p.done}/${p.total}`;
  const tail = `${(p.elapsedMs / 1000).toFixed(1)}s`;
  const shown: string[] = [];
  for (const [i, name] of p.running.entries()) {
    const rest = p.running.length - i - 1;
    const line = `${head}: ${[...shown, name].join(', ')}${rest ? ` (+${rest} more)` : ''} ${tail}`;
    if (shown.length > 0 && line.length > width) break;
    shown.push(name);
  }
  const hidden = p.running.length - shown.length;
  const list = `${shown.join(', ')}${hidden ? ` (+${hidden} more)` : ''}`;
  return list ? `${head}: ${list} ${tail}` : `${head} ${tail}`;
}
