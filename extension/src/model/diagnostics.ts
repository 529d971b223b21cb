/**
 * Findings -> diagnostics on the lines they quote: one per distinct evidence line of a failing,
 * warning or crashed rule, each pointing at the finding's other lines as related information.
 * Passing and skipped rules make none.
 */
import { redact } from '../../../core/text/redact';
import type { FailOn } from '../../../core/model/report';
import type { Finding } from '../../../core/model/types';
import { docKey, resolveEvidence, type DocRef, type EvidenceLocation } from './location';
import { atOrAbove } from './status';
import type { AnalysisTarget } from './target';

export interface DiagnosticSpec {
  doc: DocRef;
  /** 0-based line and columns. */
  line: number;
  startColumn: number;
  endColumn: number;
  severity: 'error' | 'warning';
  message: string;
  ruleId: string;
  docsUrl: string;
  targetId: string;
  related: Array<{ location: EvidenceLocation; message: string }>;
}

export interface DiagnosticOptions {
  failOn: FailOn;
  redact: boolean;
}

/** Columns of the quoted text in its line (excerpts are trimmed); the whole line when unknown. */
export function columnsFor(lineText: string | undefined, excerpt: string | undefined): [number, number] {
  if (lineText === undefined) return [0, excerpt ? excerpt.length : 0];
  const lead = lineText.length - lineText.trimStart().length;
  const end = lineText.trimEnd().length;
  return end > lead ? [lead, end] : [0, lineText.length];
}

function findingDiagnostics(target: AnalysisTarget, f: Finding, options: DiagnosticOptions): DiagnosticSpec[] {
  if (f.status !== 'fail' && f.status !== 'warn' && f.status !== 'error') return [];
  const located = f.evidence
    .map((ev) => ({ ev, loc: resolveEvidence(target, ev) }))
    .filter((x): x is { ev: typeof x.ev; loc: EvidenceLocation & { line: number } } => x.loc?.line !== undefined);
  const show = (s: string): string => (options.redact ? redact(s) : s);
  const out: DiagnosticSpec[] = [];
  const seen = new Set<string>();
  for (const { ev, loc } of located) {
    const key = docKey(loc.doc);
    if (seen.has(`${key}#${loc.line}`)) continue;
    seen.add(`${key}#${loc.line}`);
    const lineText = ev.path ? target.lineTexts[ev.path]?.[loc.line] : undefined;
    const [startColumn, endColumn] = columnsFor(lineText, ev.excerpt);
    out.push({
      doc: loc.doc, line: loc.line - 1, startColumn, endColumn,
      severity: atOrAbove(f.status, options.failOn) ? 'error' : 'warning',
      message: show(f.status === 'error' ? `${f.title}: the check could not run: ${f.message}` : f.message),
      ruleId: f.ruleId, docsUrl: f.docsUrl, targetId: target.id,
      related: located
        .filter((o) => o.loc !== loc && !(docKey(o.loc.doc) === key && o.loc.line === loc.line))
        .map((o) => ({ location: o.loc, message: show(o.ev.excerpt ?? f.title) })),
    });
  }
  return out;
}

/** Diagnostics grouped by document key (see docKey). */
export function buildDiagnostics(targets: readonly AnalysisTarget[], options: DiagnosticOptions): Map<string, DiagnosticSpec[]> {
  const byDoc = new Map<string, DiagnosticSpec[]>();
  for (const t of targets) {
    for (const f of t.report.results) {
      for (const d of findingDiagnostics(t, f, options)) {
        const key = docKey(d.doc);
        byDoc.set(key, [...(byDoc.get(key) ?? []), d]);
      }
    }
  }
  return byDoc;
}
