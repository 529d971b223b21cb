/**
 * WAC Doctor for VS Code: a thin shell over core. Activation only wires views and commands; the
 * engine (parsers, rules, reporters) loads on the first analysis.
 */
import * as vscode from 'vscode';
import { registerCodeActions } from './codeActions/provider';
import { offerFleetAnalysis } from './commands/fleet';
import { registerCommands } from './commands/index';
import { Ctx } from './context';
import { DiagnosticsController } from './diagnostics/controller';
import { registerBundleDocuments } from './documents/bundleDocuments';
import { watchDocuments } from './documents/watch';
import { FleetTree } from './tree/fleetTree';
import { ResultsTree } from './tree/resultsTree';
import { ReportPanel } from './webview/reportPanel';

export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  registerBundleDocuments(ctx);
  const tree = new ResultsTree(ctx);
  const fleet = new FleetTree(ctx);
  const diagnostics = new DiagnosticsController(ctx);
  registerCodeActions(ctx, diagnostics);
  const panel = new ReportPanel(ctx);
  registerCommands(ctx, tree, fleet, panel);
  watchDocuments({ ctx, tree, fleet });
  offerFleetAnalysis({ ctx, tree, fleet });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
