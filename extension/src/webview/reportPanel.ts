/** Hosts the report webview: one panel, showing one target, re-rendered when its results change. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { AnalysisTarget } from '../model/target';
import { parsePageMessage, type PageMessage } from '../model/reportHtml';
import { renderEmptyPage, renderReportPage, type PageResources } from '../../../core';

export class ReportPanel {
  private panel: vscode.WebviewPanel | undefined;
  private targetId: string | undefined;
  /** What the page shows now: re-rendering resets its scroll and open sections, so only on a change. */
  private shown: AnalysisTarget | undefined;

  constructor(private readonly ctx: Ctx) {
    ctx.push(ctx.store.onDidChange(() => {
      if (this.targetId && this.ctx.store.get(this.targetId) !== this.shown) this.render();
    }));
    ctx.push(vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('wacDoctor.redact')) this.render(); }));
    ctx.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.render()));
    ctx.push({ dispose: () => { this.panel?.dispose(); } });
  }

  /** Shows a target's report; with a rule, scrolled to that rule's finding (opened). */
  show(targetId: string, focusRuleId?: string): void {
    this.targetId = targetId;
    if (!this.panel) {
      const dist = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist');
      this.panel = vscode.window.createWebviewPanel('wacDoctor.report', 'WAC Doctor report', vscode.ViewColumn.Active, {
        enableScripts: true, localResourceRoots: [dist], enableFindWidget: true,
      });
      this.panel.iconPath = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'wac-doctor.svg');
      this.panel.onDidDispose(() => { this.panel = undefined; this.shown = undefined; });
      this.panel.webview.onDidReceiveMessage((raw) => {
        const m = parsePageMessage(raw);
        if (m) void this.handle(m);
      });
    } else {
      this.panel.reveal();
    }
    this.render(focusRuleId);
  }

  private resources(webview: vscode.Webview): PageResources {
    const dist = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist');
    return {
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    };
  }

  private render(focusRuleId?: string): void {
    if (!this.panel) return;
    const target = this.targetId ? this.ctx.store.get(this.targetId) : undefined;
    this.shown = target;
    const r = this.resources(this.panel.webview);
    if (!target) {
      this.panel.title = 'WAC Doctor report';
      this.panel.webview.html = renderEmptyPage(r);
      return;
    }
    this.panel.title = `WAC Doctor: ${target.label}`;
    this.panel.webview.html = renderReportPage(target, r, { redact: this.ctx.viewSettings().redact, trusted: vscode.workspace.isTrusted, ...(focusRuleId ? { focusRuleId } : {}) });
  }

  private async handle(m: PageMessage): Promise<void> {
    const targetId = this.targetId;
    if (!targetId) return;
    switch (m.type) {
      case 'cspViolation': this.ctx.log.error(`report webview: Content-Security-Policy violation: ${m.detail}`); return;
      case 'copySummary': await vscode.commands.executeCommand('wacDoctor.copySummary', { targetId }); return;
      case 'rerun': await vscode.commands.executeCommand('wacDoctor.rerun', { targetId }); return;
      case 'openDocs': await vscode.commands.executeCommand('wacDoctor.openDocs', { targetId, ruleId: m.ruleId }); return;
      case 'copyFix': await vscode.commands.executeCommand('wacDoctor.copyFixCommand', { targetId, ruleId: m.ruleId, commandIndex: m.index }); return;
      case 'runFix': await vscode.commands.executeCommand('wacDoctor.runFixCommand', { targetId, ruleId: m.ruleId, commandIndex: m.index }); return;
      case 'openEvidence': await vscode.commands.executeCommand('wacDoctor.openEvidence', { targetId, ruleId: m.ruleId, evidenceIndex: m.index }); return;
    }
  }
}
