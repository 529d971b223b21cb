import * as vscode from 'vscode';
import { bundleEntryUriParts, type DocRef } from '../model/location';

export function toUri(doc: DocRef): vscode.Uri {
  switch (doc.kind) {
    case 'file': return vscode.Uri.file(doc.fsPath);
    case 'uri': return vscode.Uri.parse(doc.uri, true);
    case 'bundle': return vscode.Uri.from(bundleEntryUriParts(doc.bundle, doc.entry));
  }
}
