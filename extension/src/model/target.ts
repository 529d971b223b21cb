/** One analysed input as the extension holds it: the core report plus what is needed to show and re-run it. */
import { basename, dirname } from 'node:path';
import type { Report } from '../../../core';

export type TargetKind = 'machine' | 'bundle' | 'files' | 'editor' | 'fleet';

/** How the target was produced, so Re-run can do it again. URIs are strings (vscode.Uri.toString()). */
export type Origin =
  | { kind: 'machine' }
  | { kind: 'bundle'; path: string }
  /** Azure Resource Graph export pages, analysed together (a machine's extension row may be on another page). */
  | { kind: 'fleet'; paths: string[] }
  | { kind: 'files'; uris: string[] }
  | { kind: 'editor'; uri: string };

/** A text input given to core: `path` is what core puts in evidence, `uri` the document it came from. */
export interface TextSource {
  path: string;
  uri: string;
}

export interface AnalysisTarget {
  /** Stable per origin: analysing the same thing again replaces the entry. */
  id: string;
  kind: TargetKind;
  label: string;
  origin: Origin;
  report: Report;
  sources: TextSource[];
  /** Text of the evidence lines of text sources, by path then 1-based line, for precise ranges. */
  lineTexts: Record<string, Record<number, string>>;
  analyzedAt: string;
  durationMs: number;
}

export function targetId(origin: Origin, reportTargetName?: string): string {
  switch (origin.kind) {
    case 'machine': return 'machine';
    // One bundle path can hold several targets (a folder of bundles): the report names each.
    case 'bundle': return `bundle:${reportTargetName ?? origin.path}`;
    // A fleet machine by its ARM id: names repeat across resource groups and subscriptions.
    case 'fleet': return `fleet:${reportTargetName ?? origin.paths.join('|')}`;
    case 'files': return `files:${[...origin.uris].sort().join('|')}`;
    case 'editor': return `editor:${origin.uri}`;
  }
}

/** Labels for the tree: the file or bundle name, or what a set of files has in common. */
export function targetLabel(origin: Origin, names: { paths?: string[]; documentName?: string; report?: Report }): string {
  switch (origin.kind) {
    case 'machine': {
      const m = names.report?.target?.machine ?? names.report?.target?.name;
      return m ? `This machine (${m})` : 'This machine';
    }
    case 'bundle': return basename(names.report?.target?.name ?? origin.path);
    case 'fleet': return names.report?.target?.name ?? basename(origin.paths[0] ?? 'fleet');
    case 'editor': return names.documentName ?? 'Editor';
    case 'files': {
      const paths = names.paths ?? [];
      if (paths.length === 1) return basename(paths[0]!);
      const dirs = [...new Set(paths.map((p) => dirname(p)))];
      return dirs.length === 1 ? `${basename(dirs[0]!)} (${paths.length} files)` : `${paths.length} files`;
    }
  }
}

/** The evidence lines of text inputs, kept so diagnostics can underline exactly the quoted text. */
export function collectLineTexts(report: Report, texts: ReadonlyMap<string, string>): Record<string, Record<number, string>> {
  const out: Record<string, Record<number, string>> = {};
  const split = new Map<string, string[]>();
  for (const r of report.results) {
    for (const ev of r.evidence) {
      if (!ev.path || ev.line === undefined) continue;
      const text = texts.get(ev.path);
      if (text === undefined) continue;
      let lines = split.get(ev.path);
      if (!lines) split.set(ev.path, (lines = text.split('\n')));
      const line = lines[ev.line - 1];
      if (line !== undefined) (out[ev.path] ??= {})[ev.line] = line;
    }
  }
  return out;
}
