/**
 * Long work behind a cancellable notification. Core's bundle and live APIs take no abort signal, so
 * cancelling abandons the result at once and lets the work run out in the background (bounded by
 * the bundle limits and the probe timeout).
 */
import * as vscode from 'vscode';

export class Cancelled extends Error {
  override name = 'Cancelled';
}

export function withCancellableProgress<T>(title: string, work: (report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const cancelled = new Promise<never>((_, reject) => {
      token.onCancellationRequested(() => reject(new Cancelled('cancelled')));
    });
    let last = 0;
    // Progress callbacks can come per entry: at most a few updates a second.
    const report = (message: string): void => {
      const now = Date.now();
      if (now - last > 250) { last = now; progress.report({ message }); }
    };
    return Promise.race([work(report), cancelled]);
  });
}

/** Short work (pasted text): a progress bar on the Results view, no notification. */
export function withViewProgress<T>(work: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: { viewId: 'wacDoctor.results' } }, work);
}
