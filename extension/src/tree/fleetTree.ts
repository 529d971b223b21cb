/**
 * The Fleet view: shown while more than one target is analysed (a fleet export, several bundles). Maps
 * fleetNodes to TreeItems; children are made when VS Code asks for them, so a large fleet costs only the
 * index until the user expands something.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { treeItemOf } from './treeItem';
import { fleetIndex, type FleetIndex } from './fleetModel';
import { fleetChildren, PAGE_SIZE, ROOT_ID, type FleetNode, type Grouping } from './fleetNodes';
import { fleetExportInput, fleetOriginKey } from './fleetExport';
import type { InputSummary, Report } from '../../../core';
import type { Origin } from '../model/target';

export const FLEET_VIEW = 'wacDoctor.fleet';

export class FleetTree implements vscode.TreeDataProvider<FleetNode> {
  private index: FleetIndex | undefined;
  private stale = false;
  private grouping: Grouping = 'rule';
  private readonly shown = new Map<string, number>();
  /** The export pages of each fleet analysis (their problems go in an exported report), by origin. */
  private readonly pages = new Map<string, readonly InputSummary[]>();
  /** Nodes handed to VS Code, by id: getParent and reveal need them. */
  private readonly nodes = new Map<string, FleetNode>();
  private readonly changed = new vscode.EventEmitter<FleetNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<FleetNode>;

  constructor(private readonly ctx: Ctx) {
    this.view = vscode.window.createTreeView(FLEET_VIEW, { treeDataProvider: this, showCollapseAll: true });
    ctx.push(this.view, this.changed);
    ctx.push(ctx.store.onDidChange(() => this.refresh()));
    ctx.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('wacDoctor.redact') || e.affectsConfiguration('wacDoctor.failOn')) this.refresh();
    }));
    ctx.push(this.view.onDidChangeSelection((e) => {
      const ref = e.selection[0]?.ref;
      if (ref) ctx.currentTargetId = ref.targetId;
    }));
    this.refresh();
  }

  refresh(): void {
    // A fleet is more than one target; with one, the Results view says it all. The index (core's verdict for
    // every machine: seconds for 10,000) is made when the view asks for its rows, not while it is folded or hidden.
    const fleet = this.ctx.store.list().length > 1;
    this.index = undefined;
    this.stale = fleet;
    this.nodes.clear();
    this.view.description = fleet ? `${this.ctx.store.list().length} machines` : undefined;
    void vscode.commands.executeCommand('setContext', 'wacDoctor.fleet', fleet);
    void vscode.commands.executeCommand('setContext', 'wacDoctor.fleetGrouping', this.grouping);
    this.changed.fire(undefined);
  }

  /** The pages of a fleet analysis, kept for Export Fleet Report. */
  setPages(origin: Origin, pages: readonly InputSummary[]): void {
    this.pages.set(fleetOriginKey(origin), pages);
  }

  /** What the view shows, to export: every target's report and the pages of the fleets among them. */
  exportInput(): { reports: Report[]; pages: InputSummary[] } {
    return fleetExportInput(this.ctx.store.list(), this.pages);
  }

  setGrouping(grouping: Grouping): void {
    this.grouping = grouping;
    this.shown.clear();
    this.refresh();
  }

  /** The next page of a capped list (the `… N more` item). */
  showMore(node: FleetNode): void {
    if (!node.more) return;
    this.shown.set(node.more.listId, node.more.shown + PAGE_SIZE);
    const parent = node.parentId ? this.nodes.get(node.parentId) : undefined;
    this.changed.fire(parent);
  }

  getChildren(node?: FleetNode): FleetNode[] {
    if (this.stale) {
      // Under wacDoctor.failOn: warn, a warning blocks a machine as it fails a CI run.
      this.index = fleetIndex(this.ctx.store.list(), { blocking: this.ctx.viewSettings().failOn });
      this.stale = false;
    }
    if (!this.index) return [];
    const kids = fleetChildren(this.index, node, { grouping: this.grouping, redact: this.ctx.viewSettings().redact, shown: this.shown, pageSize: PAGE_SIZE });
    for (const k of kids) this.nodes.set(k.id, k);
    return kids;
  }

  getParent(node: FleetNode): FleetNode | undefined {
    return node.parentId ? this.nodes.get(node.parentId) : undefined;
  }

  getTreeItem(node: FleetNode): vscode.TreeItem {
    const item = treeItemOf(node);
    if (node.open) item.command = { command: 'wacDoctor.openReport', title: 'Open Report', arguments: [node.open] };
    else if (node.more) item.command = { command: 'wacDoctor.fleetShowMore', title: 'Show More', arguments: [node] };
    return item;
  }

  /** Brings the view forward on its root (after an analysis that made a fleet). */
  async reveal(): Promise<void> {
    const root = this.getChildren()[0];
    if (root?.id === ROOT_ID) await this.view.reveal(root, { select: false, focus: false, expand: true });
  }
}
