/** Sharing results: the report webview, a Markdown summary for a ticket, SARIF / JUnit / JSON files. Redacted unless wacDoctor.redact is off. */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { ReportPanel } from '../webview/reportPanel';
import { pickTarget, refOf } from './args';

/** The report of a target; from the fleet view with a rule, scrolled to that finding. */
export async function openReport(ctx: Ctx, panel: ReportPanel, arg?: unknown): Promise<void> {
  const target = await pickTarget(ctx, arg, 'open report');
  if (!target) return;
  ctx.currentTargetId = target.id;
  panel.show(target.id, refOf(arg)?.ruleId);
}

export async function copySummary(ctx: Ctx, arg?: unknown): Promise<void> {
  const target = await pickTarget(ctx, arg, 'copy summary for ticket');
  if (!target) return;
  const settings = ctx.settings();
  await vscode.env.clipboard.writeText(ctx.engine().renderReport('markdown', target.report, settings));
  void vscode.window.showInformationMessage(`WAC Doctor: summary of ${target.label} copied${settings.redact ? ' (secrets redacted)' : ''}. Paste it into the ticket.`);
}

const EXPORTS = {
  sarif: { ext: 'sarif', filter: 'SARIF' },
  junit: { ext: 'xml', filter: 'JUnit XML' },
  json: { ext: 'json', filter: 'JSON' },
} as const;

export async function exportReport(ctx: Ctx, format: keyof typeof EXPORTS, arg?: unknown): Promise<void> {
  const target = await pickTarget(ctx, arg, `export ${EXPORTS[format].filter}`);
  if (!target) return;
  const { ext, filter } = EXPORTS[format];
  const safeName = target.label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'results';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    title: `WAC Doctor: export ${filter}`, saveLabel: 'Export', filters: { [filter]: [ext] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `wac-doctor-${safeName}.${ext}`) } : {}),
  });
  if (!uri) return;
  const settings = ctx.settings();
  await vscode.workspace.fs.writeFile(uri, Buffer.from(ctx.engine().renderReport(format, target.report, settings), 'utf8'));
  const open = await vscode.window.showInformationMessage(`WAC Doctor: exported ${vscode.workspace.asRelativePath(uri)}${settings.redact ? ' (secrets redacted)' : ''}.`, 'Open');
  if (open) await vscode.window.showTextDocument(uri);
}

/**
 * Writes the Windows collector (collector/wac-doctor-collect.ps1, shipped in the .vsix) where the user says: a
 * customer runs it on a server without Node, and the snapshot it writes is analyzed here like any bundle.
 */
export async function saveCollectorScript(ctx: Ctx): Promise<void> {
  const source = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'wac-doctor-collect.ps1');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    title: 'WAC Doctor: save the Windows collector script', saveLabel: 'Save', filters: { 'PowerShell script': ['ps1'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'wac-doctor-collect.ps1') } : {}),
  });
  if (!uri) return;
  await vscode.workspace.fs.writeFile(uri, await vscode.workspace.fs.readFile(source));
  const open = await vscode.window.showInformationMessage(
    `WAC Doctor: saved ${vscode.workspace.asRelativePath(uri)}. On the server: powershell -ExecutionPolicy Bypass -File .\\wac-doctor-collect.ps1, then analyze the snapshot zip it writes.`, 'Open');
  if (open) await vscode.window.showTextDocument(uri);
}
