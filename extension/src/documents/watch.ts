/**
 * Keeps results in step with their documents: an analysed editor is re-analysed as it is edited
 * (debounced), analysed files when saved; results of a closed untitled editor go (its text is gone).
 */
import * as vscode from 'vscode';
import type { AnalyzeDeps } from '../commands/analyze';
import { analyzeDocument, rerunTarget } from '../commands/analyze';

const DEBOUNCE_MS = 400;

export function watchDocuments(deps: AnalyzeDeps): void {
  const { ctx } = deps;
  const timers = new Map<string, NodeJS.Timeout>();
  const quietly = (p: Promise<void>): void => { p.catch((err) => ctx.log.warn(`background re-analysis: ${err instanceof Error ? err.message : String(err)}`)); };

  ctx.push(vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length === 0) return;
    const key = e.document.uri.toString();
    if (!ctx.store.get(`editor:${key}`)) return;
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => { timers.delete(key); quietly(analyzeDocument(deps, e.document, { reveal: false })); }, DEBOUNCE_MS));
  }));

  ctx.push(vscode.workspace.onDidSaveTextDocument((doc) => {
    const key = doc.uri.toString();
    for (const t of ctx.store.list()) {
      if (t.origin.kind === 'files' && t.origin.uris.includes(key)) quietly(rerunTarget(deps, t, { reveal: false }));
    }
  }));

  ctx.push(vscode.workspace.onDidCloseTextDocument((doc) => {
    if (!doc.isUntitled) return;
    const key = doc.uri.toString();
    // Changing an editor's language closes and reopens it: only drop results if it stays closed.
    setTimeout(() => {
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) ctx.store.remove(`editor:${key}`);
    }, 1000);
  }));

  ctx.push({ dispose: () => { for (const t of timers.values()) clearTimeout(t); } });
}
