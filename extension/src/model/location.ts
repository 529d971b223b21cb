/**
 * Where a piece of evidence lives, as data the host turns into a vscode.Uri: a file on disk, a
 * document the user analysed (any scheme: untitled editors too), or an entry inside a logs bundle,
 * which is served read-only by the bundle document provider rather than extracted.
 */
import { isAbsolute, join } from 'node:path';
import type { Evidence } from '../../../core/model/types';
import type { AnalysisTarget } from './target';

export type DocRef =
  | { kind: 'file'; fsPath: string }
  | { kind: 'uri'; uri: string }
  | { kind: 'bundle'; bundle: string; entry: string };

export interface EvidenceLocation {
  doc: DocRef;
  /** 1-based, as in core's Evidence. */
  line?: number;
}

export const BUNDLE_SCHEME = 'wac-doctor-bundle';

/** The components of a bundle entry's URI: the entry is the path, the bundle's own path the query. */
export function bundleEntryUriParts(bundle: string, entry: string): { scheme: string; path: string; query: string } {
  return { scheme: BUNDLE_SCHEME, path: '/' + entry.replace(/\\/g, '/').replace(/^\/+/, ''), query: bundle };
}

export function parseBundleEntryUri(parts: { scheme: string; path: string; query: string }): { bundle: string; entry: string } | undefined {
  if (parts.scheme !== BUNDLE_SCHEME || !parts.query || parts.path.length < 2) return undefined;
  return { bundle: parts.query, entry: parts.path.slice(1) };
}

/** A stable string for grouping diagnostics per document. */
export function docKey(doc: DocRef): string {
  switch (doc.kind) {
    case 'file': return `file:${doc.fsPath}`;
    case 'uri': return doc.uri;
    case 'bundle': return `${BUNDLE_SCHEME}:${doc.bundle}!/${doc.entry}`;
  }
}

export function resolveEvidence(target: AnalysisTarget, ev: Evidence): EvidenceLocation | undefined {
  if (!ev.path) return undefined;
  const at = (doc: DocRef): EvidenceLocation => (ev.line !== undefined ? { doc, line: ev.line } : { doc });
  if (ev.source === 'pasted') {
    const src = target.sources.find((s) => s.path === ev.path);
    if (src) return at({ kind: 'uri', uri: src.uri });
    return isAbsolute(ev.path) ? at({ kind: 'file', fsPath: ev.path }) : undefined;
  }
  if (ev.source === 'bundle') {
    const t = target.report.target;
    if (!t) return undefined;
    if (t.kind === 'folder') return at({ kind: 'file', fsPath: join(t.name, ev.path) });
    if (t.kind === 'bundle') return at({ kind: 'bundle', bundle: t.name, entry: ev.path });
    return undefined;
  }
  // Live evidence names a probe or command; only a log read from disk has a place to open.
  return isAbsolute(ev.path) ? at({ kind: 'file', fsPath: ev.path }) : undefined;
}
