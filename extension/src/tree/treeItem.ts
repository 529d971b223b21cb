/** A tree row as VS Code shows it: the part every view's TreeItem shares (click commands are the view's own). */
import * as vscode from 'vscode';
import type { TreeRow } from '../model/tree';

export function treeItemOf(node: TreeRow): vscode.TreeItem {
  const state = node.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded
    : node.collapsible === 'collapsed' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(node.label, state);
  item.id = node.id;
  if (node.description !== undefined) item.description = node.description;
  if (node.tooltip !== undefined) item.tooltip = node.tooltip;
  if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  item.contextValue = node.contextValue;
  return item;
}
