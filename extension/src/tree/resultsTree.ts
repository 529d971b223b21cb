/**
 * The Results view: maps the model's ViewNodes to TreeItems; rebuilt when results or settings change. A
 * target's rows are made when it is first expanded, so a fleet of thousands costs one row each until then.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { treeItemOf } from './treeItem';
import { problemCount } from '../../../core';
import { targetChildren, targetHeader, targetTooltip, type ViewNode } from '../model/tree';
import type { AnalysisTarget } from '../model/target';

/** Above this many targets they start collapsed (an expanded target makes all its rows at once). */
const EXPANDED_TARGETS = 20;

export class ResultsTree implements vscode.TreeDataProvider<ViewNode> {
  private roots: ViewNode[] = [];
  private targets = new Map<string, AnalysisTarget>();
  /** Children made so far, by parent id; and each made node's parent. */
  private made = new Map<string, ViewNode[]>();
  private parents = new Map<string, ViewNode>();
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ViewNode>;

  constructor(private readonly ctx: Ctx) {
    this.view = vscode.window.createTreeView('wacDoctor.results', { treeDataProvider: this, showCollapseAll: true });
    ctx.push(this.view, this.changed);
    ctx.push(ctx.store.onDidChange(() => this.refresh()));
    ctx.push(vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('wacDoctor.redact')) this.refresh(); }));
    ctx.push(this.view.onDidChangeSelection((e) => {
      const node = e.selection[0];
      if (node) ctx.currentTargetId = node.ref.targetId;
    }));
    this.refresh();
  }

  refresh(): void {
    const targets = this.ctx.store.list();
    const options = { redact: this.ctx.viewSettings().redact };
    const collapse = targets.length > EXPANDED_TARGETS;
    // Many targets: tooltips on hover (resolveTreeItem), each one redacted text.
    this.roots = targets.map((t) => ({ ...targetHeader(t, { ...options, tooltips: !collapse }), ...(collapse ? { collapsible: 'collapsed' as const } : {}) }));
    this.targets = new Map(targets.map((t) => [t.id, t]));
    this.made.clear();
    this.parents.clear();
    const problems = targets.reduce((n, t) => n + problemCount(t.report.summary), 0);
    this.view.badge = problems ? { value: problems, tooltip: `${problems} problem${problems === 1 ? '' : 's'} found` } : undefined;
    void vscode.commands.executeCommand('setContext', 'wacDoctor.hasResults', targets.length > 0);
    this.changed.fire(undefined);
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (!node) return this.roots;
    let kids = this.made.get(node.id);
    if (!kids) {
      const target = node.kind === 'target' ? this.targets.get(node.id) : undefined;
      kids = target ? targetChildren(target, { redact: this.ctx.viewSettings().redact }) : node.children;
      this.made.set(node.id, kids);
      for (const c of kids) this.parents.set(c.id, node);
    }
    return kids;
  }

  getParent(node: ViewNode): ViewNode | undefined {
    return this.parents.get(node.id);
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    const item = treeItemOf(node);
    if (node.location) item.command = { command: 'wacDoctor.openEvidence', title: 'Open', arguments: [node.location] };
    else if (node.kind === 'fixCommand') item.command = { command: 'wacDoctor.copyFixCommand', title: 'Copy', arguments: [node] };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: ViewNode): vscode.TreeItem {
    const target = node.kind === 'target' && node.tooltip === undefined ? this.targets.get(node.id) : undefined;
    if (target) item.tooltip = targetTooltip(target, { redact: this.ctx.viewSettings().redact });
    return item;
  }

  /** Shows a target in the view (after an analysis). */
  async reveal(targetId: string): Promise<void> {
    const node = this.roots.find((n) => n.id === targetId);
    if (node) await this.view.reveal(node, { select: true, focus: false, expand: true });
  }
}
