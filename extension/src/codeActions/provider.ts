/** Quick fixes on WAC Doctor diagnostics: copy or run the finding's fix commands, open the rule's docs. */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { DiagnosticsController } from '../diagnostics/controller';
import { redact } from '../../../core/text/redact';
import { resolveFix } from '../model/fixes';
import { BUNDLE_SCHEME } from '../model/location';

const clip = (s: string, n = 70): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function registerCodeActions(ctx: Ctx, diagnostics: DiagnosticsController): void {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, _range, context) {
      const actions: vscode.CodeAction[] = [];
      for (const d of context.diagnostics) {
        const spec = diagnostics.specFor(document.uri, d);
        if (!spec) continue;
        const ref = { targetId: spec.targetId, ruleId: spec.ruleId };
        const fix = resolveFix(ctx.store, ref);
        const shown = (s: string): string => clip(ctx.viewSettings().redact ? redact(s) : s);
        fix?.commands.forEach((c, i) => {
          const copy = new vscode.CodeAction(`Copy fix command: ${shown(c.command)}`, vscode.CodeActionKind.QuickFix);
          copy.diagnostics = [d];
          copy.isPreferred = i === 0;
          copy.command = { command: 'wacDoctor.copyFixCommand', title: copy.title, arguments: [{ ...ref, commandIndex: i }] };
          actions.push(copy);
          if (vscode.workspace.isTrusted) {
            const run = new vscode.CodeAction(`Run fix command in a terminal: ${shown(c.command)}`, vscode.CodeActionKind.QuickFix);
            run.diagnostics = [d];
            run.command = { command: 'wacDoctor.runFixCommand', title: run.title, arguments: [{ ...ref, commandIndex: i }] };
            actions.push(run);
          }
        });
        const docs = new vscode.CodeAction(`Open documentation for ${spec.ruleId}`, vscode.CodeActionKind.QuickFix);
        docs.diagnostics = [d];
        docs.command = { command: 'wacDoctor.openDocs', title: docs.title, arguments: [ref] };
        actions.push(docs);
        const report = new vscode.CodeAction('Show WAC Doctor report', vscode.CodeActionKind.QuickFix);
        report.diagnostics = [d];
        report.command = { command: 'wacDoctor.openReport', title: report.title, arguments: [ref] };
        actions.push(report);
      }
      return actions;
    },
  };
  // Any document can carry a finding: files, untitled editors, bundle entries, remote schemes.
  const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: BUNDLE_SCHEME }, { scheme: 'vscode-remote' }, { scheme: 'vscode-vfs' }];
  ctx.push(vscode.languages.registerCodeActionsProvider(selector, provider, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
}
