/**
 * The results tree as plain data: target -> (inputs, notes) + categories -> rules -> message,
 * evidence, fix commands. The vscode TreeDataProvider only maps these nodes to TreeItems.
 */
import { basename } from 'node:path';
import { CATEGORY_ORDER, CATEGORY_TITLES, redact, type Finding } from '../../../core';
import { resolveEvidence, type EvidenceLocation } from './location';
import { STATUS_ICONS, summaryText } from './status';
import { isProblem, SEVERITY_RANK, STATUS_WORDS, worst } from '../../../core';
import type { AnalysisTarget, TargetKind } from './target';

export type NodeKind = 'target' | 'inputs' | 'input' | 'notes' | 'note' | 'category' | 'rule' | 'message' | 'evidence' | 'fix' | 'fixCommand';

export interface NodeRef {
  targetId: string;
  ruleId?: string;
  /** Index of the fix command within the finding's fix. */
  commandIndex?: number;
}

/** What every tree row shows (the Results and Fleet views): one shape, one TreeItem builder (tree/treeItem.ts). */
export interface TreeRow {
  /** Stable across refreshes so the tree keeps its expansion state. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: { id: string; color?: string };
  /** `contextValue` for menus: target, rule, rule.fixable, fixCommand, evidence, ... */
  contextValue: string;
  /** undefined: a leaf. */
  collapsible?: 'expanded' | 'collapsed';
}

export interface ViewNode extends TreeRow {
  kind: NodeKind;
  /** Where clicking the node goes. */
  location?: EvidenceLocation;
  ref: NodeRef;
  children: ViewNode[];
}

export interface TreeOptions {
  redact: boolean;
  /** false: targets' rows without a tooltip, made on hover instead (targetTooltip); a fleet has thousands. */
  tooltips?: boolean;
}

const TARGET_ICONS: Record<TargetKind, string> = { machine: 'vm', bundle: 'file-zip', files: 'files', editor: 'file-text', fleet: 'server' };

function clip(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function ruleNode(target: AnalysisTarget, f: Finding, show: (s: string) => string): ViewNode {
  const id = `${target.id}/${f.category}/${f.ruleId}`;
  const ref = { targetId: target.id, ruleId: f.ruleId };
  const children: ViewNode[] = [];
  if (f.status !== 'pass') {
    children.push({ id: `${id}/message`, kind: 'message', label: clip(show(f.message)), tooltip: show(f.message), icon: { id: 'info' }, contextValue: 'message', ref, children: [] });
  }
  f.evidence.forEach((ev, i) => {
    const location = resolveEvidence(target, ev);
    const where = ev.path ? `${basename(ev.path)}${ev.line !== undefined ? `:${ev.line}` : ''}` : ev.source;
    children.push({
      id: `${id}/evidence/${i}`, kind: 'evidence', label: where, ...(ev.excerpt ? { description: clip(show(ev.excerpt)) } : {}),
      tooltip: [ev.path ? `${ev.path}${ev.line !== undefined ? `:${ev.line}` : ''}` : `${ev.source} evidence`, ev.excerpt ? show(ev.excerpt) : ''].filter(Boolean).join('\n'),
      icon: { id: location ? 'go-to-file' : 'note' }, contextValue: location ? 'evidence.openable' : 'evidence', ...(location ? { location } : {}), ref, children: [],
    });
  });
  if (f.fix && isProblem(f)) {
    const commands: ViewNode[] = f.fix.commands.map((c, i) => ({
      id: `${id}/fix/${i}`, kind: 'fixCommand' as const, label: c.command, description: c.shell, tooltip: `${c.command}\n(${c.shell})`,
      icon: { id: 'terminal' }, contextValue: 'fixCommand', ref: { ...ref, commandIndex: i }, children: [],
    }));
    children.push({
      id: `${id}/fix`, kind: 'fix', label: 'Fix', description: clip(f.fix.summary), tooltip: f.fix.summary, icon: { id: 'lightbulb', color: 'editorLightBulb.foreground' },
      contextValue: 'fix', ...(commands.length ? { collapsible: 'expanded' as const } : {}), ref, children: commands,
    });
  }
  const fixable = f.fix !== undefined && f.fix.commands.length > 0 && f.status !== 'pass' && f.status !== 'skip';
  return {
    id, kind: 'rule', label: f.title, description: f.ruleId,
    tooltip: `${STATUS_WORDS[f.status][0].toUpperCase()}: ${f.title} (${f.ruleId})\n\n${show(f.message)}${f.fix ? `\n\nFix: ${f.fix.summary}` : ''}`,
    icon: STATUS_ICONS[f.status], contextValue: fixable ? 'rule.fixable' : 'rule',
    ...(children.length ? { collapsible: isProblem(f) ? 'expanded' as const : 'collapsed' as const } : {}),
    ref, children,
  };
}

/** What is under a target: inputs, notes, categories. Made only when the target is expanded (a fleet has thousands). */
export function targetChildren(target: AnalysisTarget, options: TreeOptions): ViewNode[] {
  const show = (s: string): string => (options.redact ? redact(s) : s);
  const ref = { targetId: target.id };
  const { report } = target;
  const children: ViewNode[] = [];

  if (report.inputs.length) {
    // Text that stated nothing known (a ticket narrative) is read, but recognized nothing.
    const recognized = (i: (typeof report.inputs)[number]): boolean => i.status === 'parsed' && !(i.kind === 'text' && i.facts === 0);
    const used = report.inputs.filter(recognized).length;
    const inputs = report.inputs.map((input, i): ViewNode => {
      const src = target.sources.find((s) => s.path === input.path);
      return {
        id: `${target.id}/inputs/${i}`, kind: 'input', label: basename(input.path) || input.path,
        description: recognized(input) ? input.label ?? input.kind ?? '' : input.status === 'error' ? 'unusable' : 'not recognized',
        tooltip: [input.path, ...input.messages.map(show)].join('\n'),
        icon: recognized(input) ? { id: 'check' } : { id: 'warning', color: 'problemsWarningIcon.foreground' },
        contextValue: 'input', ...(src ? { location: { doc: { kind: 'uri' as const, uri: src.uri }, line: 1 } } : {}), ref, children: [],
      };
    });
    children.push({
      id: `${target.id}/inputs`, kind: 'inputs', label: 'Inputs',
      description: used === report.inputs.length ? `${used} recognized` : `${used} of ${report.inputs.length} recognized`,
      icon: { id: 'list-unordered' }, contextValue: 'inputs', collapsible: used === report.inputs.length ? 'collapsed' : 'expanded', ref, children: inputs,
    });
  }

  const t = report.target;
  const notes = [...(t?.notes ?? []), ...(t?.filesMissing?.length ? [`Missing from the bundle: ${t.filesMissing.join(', ')}`] : [])];
  if (notes.length) {
    children.push({
      id: `${target.id}/notes`, kind: 'notes', label: 'Notes', description: String(notes.length), icon: { id: 'info' }, contextValue: 'notes', collapsible: 'collapsed', ref,
      children: notes.map((n, i) => ({ id: `${target.id}/notes/${i}`, kind: 'note' as const, label: clip(show(n)), tooltip: show(n), contextValue: 'note', ref, children: [] })),
    });
  }

  for (const category of CATEGORY_ORDER) {
    const findings = report.results.filter((r) => r.category === category)
      .map((f, i) => [f, i] as const)
      .sort(([a, ai], [b, bi]) => SEVERITY_RANK[a.status] - SEVERITY_RANK[b.status] || ai - bi)
      .map(([f]) => f);
    if (!findings.length) continue;
    const w = worst(findings.map((f) => f.status))!;
    const counts = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
    for (const f of findings) counts[f.status]++;
    children.push({
      id: `${target.id}/${category}`, kind: 'category', label: CATEGORY_TITLES[category], description: summaryText(counts),
      icon: STATUS_ICONS[w], contextValue: 'category',
      collapsible: isProblem(w) ? 'expanded' : 'collapsed', ref,
      children: findings.map((f) => ruleNode(target, f, show)),
    });
  }

  return children;
}

/** A target's own row, without its children (`children` is empty: see targetChildren). */
export function targetHeader(target: AnalysisTarget, options: TreeOptions): ViewNode {
  const { report } = target;
  return {
    id: target.id, kind: 'target', label: target.label, description: summaryText(report.summary),
    ...(options.tooltips === false ? {} : { tooltip: targetTooltip(target, options) }),
    icon: { id: TARGET_ICONS[target.kind], ...(worst(report.results.map((r) => r.status)) ? { color: STATUS_ICONS[worst(report.results.map((r) => r.status))!].color } : {}) },
    contextValue: 'target', collapsible: 'expanded', ref: { targetId: target.id }, children: [],
  };
}

export function targetTooltip(target: AnalysisTarget, options: TreeOptions): string {
  const show = (s: string): string => (options.redact ? redact(s) : s);
  const { report } = target;
  const t = report.target;
  const tooltip = [
    target.label,
    t?.machine ? `Machine: ${t.machine}` : '', t?.os ? `OS: ${t.os}` : '', t?.agentVersion ? `Agent: ${t.agentVersion}` : '',
    t?.timeRange ? `Logs: ${t.timeRange.from} – ${t.timeRange.to}` : '',
    `Analysed ${target.analyzedAt} in ${Math.round(target.durationMs)} ms`,
    summaryText(report.summary),
  ].filter(Boolean).join('\n');
  return show(tooltip);
}

export function targetNode(target: AnalysisTarget, options: TreeOptions): ViewNode {
  return { ...targetHeader(target, options), children: targetChildren(target, options) };
}

export function buildTree(targets: readonly AnalysisTarget[], options: TreeOptions): ViewNode[] {
  return targets.map((t) => targetNode(t, options));
}

/** Depth-first search by id (tree reveal, tests). */
export function findNode(nodes: readonly ViewNode[], id: string): ViewNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const c = findNode(n.children, id);
    if (c) return c;
  }
  return undefined;
}
