/** Fix commands (copy; run in a terminal after a modal confirmation, trusted workspaces only), docs, evidence. */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { docsUrlFor } from '../../../core/engine/rule';
import { toUri, type Ctx } from '../context';
import { confirmationDetail, copyText, resolveFix, terminalPlan } from '../model/fixes';
import { resolveEvidence, type EvidenceLocation } from '../model/location';
import { isLocation, refOf } from './args';

function onPath(name: string): boolean {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && exts.some((e) => existsSync(join(dir, name + e))));
}

function fixRef(arg: unknown): { targetId: string; ruleId: string; commandIndex?: number } | undefined {
  const ref = refOf(arg);
  return ref?.ruleId ? { targetId: ref.targetId, ruleId: ref.ruleId, ...(ref.commandIndex !== undefined ? { commandIndex: ref.commandIndex } : {}) } : undefined;
}

export async function copyFixCommand(ctx: Ctx, arg: unknown): Promise<void> {
  const ref = fixRef(arg);
  const fix = ref && resolveFix(ctx.store, ref);
  if (!fix) return;
  // Several commands are steps of one fix: copied together, one a line.
  await vscode.env.clipboard.writeText(copyText(fix.commands, ctx.viewSettings().redact));
  vscode.window.setStatusBarMessage(`WAC Doctor: copied ${fix.commands.length === 1 ? 'the fix command' : `${fix.commands.length} fix commands`}`, 3000);
}

export async function runFixCommand(ctx: Ctx, arg: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('WAC Doctor: running fix commands needs a trusted workspace. Copy the command instead.');
    return;
  }
  const ref = fixRef(arg);
  const fix = ref && resolveFix(ctx.store, ref);
  if (!fix) return;
  let cmd = fix.commands[0]!;
  if (fix.commands.length > 1) {
    const picked = await vscode.window.showQuickPick(fix.commands.map((c, i) => ({ label: c.command, description: `step ${i + 1} · ${c.shell}`, c })), { title: `WAC Doctor: ${fix.title}`, placeHolder: 'Which command to run?' });
    if (!picked) return;
    cmd = picked.c;
  }
  const plan = terminalPlan(cmd, process.platform, process.platform === 'win32' || onPath('pwsh'));
  if (!plan.ok) {
    const copy = await vscode.window.showWarningMessage(`WAC Doctor: ${plan.reason}`, 'Copy Command');
    if (copy) await vscode.env.clipboard.writeText(copyText([cmd], ctx.viewSettings().redact));
    return;
  }
  const action = plan.execute ? 'Run' : 'Type into Terminal';
  const ok = await vscode.window.showWarningMessage(plan.execute ? 'Run this command in a terminal?' : 'Type this command into a terminal?', { modal: true, detail: confirmationDetail(fix, cmd, plan) }, action);
  if (ok !== action) return;
  const terminal = vscode.window.createTerminal({ name: 'WAC Doctor fix', ...(plan.shellPath ? { shellPath: plan.shellPath } : {}) });
  terminal.show();
  terminal.sendText(cmd.command, plan.execute);
  ctx.log.info(`${plan.execute ? 'ran' : 'typed'} fix command for ${ref.ruleId}: ${cmd.command}`);
}

export async function openDocs(ctx: Ctx, arg: unknown): Promise<void> {
  const ref = refOf(arg);
  if (!ref?.ruleId) return;
  const finding = ctx.store.get(ref.targetId)?.report.results.find((r) => r.ruleId === ref.ruleId);
  await vscode.env.openExternal(vscode.Uri.parse(finding?.docsUrl ?? docsUrlFor(ref.ruleId), true));
}

export async function openEvidence(ctx: Ctx, arg: unknown): Promise<void> {
  let location: EvidenceLocation | undefined;
  let beside = false;
  if (isLocation(arg)) location = arg;
  else {
    // From the report webview: target, rule and evidence index.
    const ref = refOf(arg);
    const target = ref && ctx.store.get(ref.targetId);
    const ev = target?.report.results.find((r) => r.ruleId === ref?.ruleId)?.evidence[ref?.evidenceIndex ?? -1];
    location = target && ev ? resolveEvidence(target, ev) : undefined;
    beside = true;
    if (!location) {
      void vscode.window.showInformationMessage('WAC Doctor: this evidence has no file to open.');
      return;
    }
  }
  const line = Math.max(0, (location.line ?? 1) - 1);
  try {
    const doc = await vscode.workspace.openTextDocument(toUri(location.doc));
    const range = doc.lineAt(Math.min(line, doc.lineCount - 1)).range;
    await vscode.window.showTextDocument(doc, { selection: range, preview: true, ...(beside ? { viewColumn: vscode.ViewColumn.Beside } : {}) });
  } catch (err) {
    ctx.reportError('Opening the evidence', err);
  }
}
