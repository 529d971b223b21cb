/**
 * Read-only documents for files inside a logs bundle: wac-doctor-bundle:/<entry>?<bundle path>.
 * The entry is read from the zip into memory when opened; nothing is extracted to disk.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { BUNDLE_SCHEME, parseBundleEntryUri } from '../model/location';

export function registerBundleDocuments(ctx: Ctx): void {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
      const ref = parseBundleEntryUri({ scheme: uri.scheme, path: uri.path, query: uri.query });
      if (!ref) throw new Error(`not a bundle entry: ${uri.toString()}`);
      try {
        return await ctx.engine().readBundleEntry(ref.bundle, ref.entry);
      } catch (err) {
        ctx.reportError(`Opening ${ref.entry}`, err);
        throw err;
      }
    },
  };
  // Content providers' documents are read-only: nothing from a ticket's bundle can be edited in place.
  ctx.push(vscode.workspace.registerTextDocumentContentProvider(BUNDLE_SCHEME, provider));
}
