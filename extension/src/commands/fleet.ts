/** The Fleet view's own commands (its grouping, the next page of a capped list, its export), and the offer to analyze an opened export. */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { sniffFleetExport } from '../../../core';
import type { Ctx } from '../context';
import { FLEET_EXPORT_FORMATS, fleetExportFileName } from '../tree/fleetExport';
import type { FleetNode } from '../tree/fleetNodes';
import type { FleetTree } from '../tree/fleetTree';
import type { AnalyzeDeps } from './analyze';
import { Cancelled } from './progress';

export function groupFleet(fleet: FleetTree, grouping: 'rule' | 'machine'): void {
  fleet.setGrouping(grouping);
}

export function showMoreFleet(fleet: FleetTree, arg: unknown): void {
  const node = arg as Partial<FleetNode> | undefined;
  if (node && typeof node === 'object' && node.kind === 'more' && node.more) fleet.showMore(node as FleetNode);
}

/**
 * Export Fleet Report…: a quick pick of the format (CSV, markdown, JSON), a save dialog, and the report core
 * renders for every machine the view shows (redacted unless wacDoctor.redact is off).
 */
export async function exportFleetReport(ctx: Ctx, fleet: FleetTree): Promise<void> {
  const targets = ctx.store.list();
  if (targets.length === 0) {
    void vscode.window.showWarningMessage('WAC Doctor: nothing to export yet: analyze an Azure Resource Graph export first.');
    return;
  }
  const picked = await vscode.window.showQuickPick(FLEET_EXPORT_FORMATS.map((f) => ({ label: f.label, detail: f.detail, format: f })), {
    title: `WAC Doctor: export the fleet report (${targets.length} machines)`, placeHolder: 'Format',
  });
  if (!picked) return;
  const format = picked.format;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = await vscode.window.showSaveDialog({
    title: `WAC Doctor: export the fleet report as ${format.label}`, saveLabel: 'Export', filters: { [format.filter]: [format.ext] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fleetExportFileName(targets, format)) } : {}),
  });
  if (!uri) return;
  const settings = ctx.settings();
  const { reports, pages } = fleet.exportInput();
  const text = ctx.engine().renderFleetExport(format.format, reports, pages, settings);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const open = await vscode.window.showInformationMessage(`WAC Doctor: exported the fleet report (${reports.length} machines) to ${vscode.workspace.asRelativePath(uri)}${settings.redact ? ' (secrets redacted)' : ''}.`, 'Open');
  if (open) await vscode.commands.executeCommand('vscode.open', uri);
}

/**
 * Opening a Resource Graph export (a .json file on disk) offers to analyze it as a fleet, once per file. Sniffed by
 * core/fleet/sniff (a 64 KiB head read), not the engine: opening a JSON file must not load the analysis.
 */
export function offerFleetAnalysis(deps: AnalyzeDeps): void {
  const offered = new Set<string>();
  const consider = async (doc: vscode.TextDocument): Promise<void> => {
    if (doc.uri.scheme !== 'file' || !doc.uri.path.toLowerCase().endsWith('.json')) return;
    const path = doc.uri.fsPath;
    if (offered.has(path) || deps.ctx.store.list().some((t) => t.origin.kind === 'fleet' && t.origin.paths.includes(path))) return;
    if (!(await sniffFleetExport(path))) return;
    offered.add(path);
    const choice = await vscode.window.showInformationMessage(`WAC Doctor: ${basename(path)} looks like an Azure Resource Graph export of Arc machines. Analyze which of them can use Windows Admin Center?`, 'Analyze Fleet');
    if (choice) await vscode.commands.executeCommand('wacDoctor.analyzeFiles', doc.uri);
  };
  const quietly = (doc: vscode.TextDocument): void => {
    consider(doc).catch((err) => { if (!(err instanceof Cancelled)) deps.ctx.reportError('Analyzing the fleet', err); });
  };
  deps.ctx.push(vscode.workspace.onDidOpenTextDocument(quietly));
  vscode.workspace.textDocuments.forEach(quietly);
}
