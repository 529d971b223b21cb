/** Command arguments arrive from the tree (a ViewNode), code actions and the webview (a ref), or nothing (palette). */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import type { EvidenceLocation } from '../model/location';
import type { AnalysisTarget } from '../model/target';

export interface RefArg {
  targetId: string;
  ruleId?: string;
  commandIndex?: number;
  evidenceIndex?: number;
}

export function refOf(arg: unknown): RefArg | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as { ref?: unknown; targetId?: unknown };
  const r = (o.ref && typeof o.ref === 'object' ? o.ref : o) as Record<string, unknown>;
  if (typeof r.targetId !== 'string') return undefined;
  return {
    targetId: r.targetId,
    ...(typeof r.ruleId === 'string' ? { ruleId: r.ruleId } : {}),
    ...(typeof r.commandIndex === 'number' ? { commandIndex: r.commandIndex } : {}),
    ...(typeof r.evidenceIndex === 'number' ? { evidenceIndex: r.evidenceIndex } : {}),
  };
}

export function isLocation(arg: unknown): arg is EvidenceLocation {
  return !!arg && typeof arg === 'object' && 'doc' in arg && typeof (arg).doc === 'object';
}

/** The target a command acts on: the argument's, else the current one (last selected or analysed), else the only one, else ask. */
export async function pickTarget(ctx: Ctx, arg: unknown, purpose: string): Promise<AnalysisTarget | undefined> {
  const ref = refOf(arg);
  if (ref) return ctx.store.get(ref.targetId);
  const all = ctx.store.list();
  if (all.length === 0) {
    void vscode.window.showInformationMessage('WAC Doctor: no results yet. Run checks on this machine, or analyze a logs bundle or pasted output first.');
    return undefined;
  }
  const current = ctx.currentTargetId ? ctx.store.get(ctx.currentTargetId) : undefined;
  if (current) return current;
  if (all.length === 1) return all[0];
  const items = all.map((t) => ({ label: t.label, description: t.kind, target: t }));
  const picked = await vscode.window.showQuickPick(items, { title: `WAC Doctor: ${purpose}`, placeHolder: 'Which results?' });
  return picked?.target;
}
