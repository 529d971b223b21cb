/** Puts findings on the lines they quote (Problems panel), and indexes them for the quick fixes. */
import * as vscode from 'vscode';
import { toUri, type Ctx } from '../context';
import { buildDiagnostics, type DiagnosticSpec } from '../model/diagnostics';
import type { EvidenceLocation } from '../model/location';

export const DIAGNOSTIC_SOURCE = 'WAC Doctor';

function range(line: number, start: number, end: number): vscode.Range {
  return new vscode.Range(line, start, line, Math.max(end, start));
}

function locationOf(loc: EvidenceLocation): vscode.Location {
  const line = (loc.line ?? 1) - 1;
  return new vscode.Location(toUri(loc.doc), range(line, 0, 0));
}

export class DiagnosticsController {
  private readonly collection = vscode.languages.createDiagnosticCollection('wac-doctor');
  /** uri.toString() -> the specs shown on that document. */
  private index = new Map<string, DiagnosticSpec[]>();

  constructor(private readonly ctx: Ctx) {
    ctx.push(this.collection);
    ctx.push(ctx.store.onDidChange(() => this.refresh()));
    ctx.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('wacDoctor.failOn') || e.affectsConfiguration('wacDoctor.redact')) this.refresh();
    }));
  }

  refresh(): void {
    this.collection.clear();
    this.index.clear();
    for (const specs of buildDiagnostics(this.ctx.store.list(), this.ctx.viewSettings()).values()) {
      const uri = toUri(specs[0]!.doc);
      this.index.set(uri.toString(), specs);
      this.collection.set(uri, specs.map((s) => {
        const d = new vscode.Diagnostic(range(s.line, s.startColumn, s.endColumn), s.message,
          s.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = { value: s.ruleId, target: vscode.Uri.parse(s.docsUrl, true) };
        if (s.related.length) d.relatedInformation = s.related.map((r) => new vscode.DiagnosticRelatedInformation(locationOf(r.location), r.message));
        return d;
      }));
    }
  }

  /** The finding behind a diagnostic VS Code hands back (a copy, so matched by rule and line). */
  specFor(uri: vscode.Uri, d: vscode.Diagnostic): DiagnosticSpec | undefined {
    if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
    const ruleId = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
    return this.index.get(uri.toString())?.find((s) => s.ruleId === ruleId && s.line === d.range.start.line);
  }
}
