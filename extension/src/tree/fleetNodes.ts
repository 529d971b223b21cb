/**
 * Fleet view nodes, made one level at a time from a FleetIndex (vscode-free). Two groupings:
 *   by rule:    root -> fixes that unblock the most machines -> fix -> machines
 *                    -> rule (failing or warning somewhere) -> machines, worst first
 *   by machine: root -> fixes … -> machine, worst first -> its problem findings
 * Every list is capped at a page; the last item then says how many more and shows the next page.
 */
import { redact, STATUS_WORDS, worst, type Finding } from '../../../core';
import { STATUS_ICONS, summaryText } from '../model/status';
import type { NodeRef, TreeRow } from '../model/tree';
import { READINESS_WORDS, type FleetIndex, type FleetMachine, type Readiness } from './fleetModel';

export type Grouping = 'rule' | 'machine';

export type FleetNodeKind = 'root' | 'fixes' | 'fix' | 'rule' | 'machine' | 'finding' | 'more' | 'empty';

/** id: unique and stable across refreshes, so the tree keeps what is expanded. contextValue, for menus: `target` on
 * machines and `rule` / `rule.fixable` on findings, as in the Results view. */
export interface FleetNode extends TreeRow {
  kind: FleetNodeKind;
  /** The machine (and rule) the node is about; what its menus and click act on. */
  ref?: NodeRef;
  /** Clicking opens that machine's report, scrolled to the rule if one is named. */
  open?: { targetId: string; ruleId?: string };
  /** What the node's children list: a rule's machines, a fix's machines, a machine's findings. */
  key?: { rule?: number; fix?: number; machine?: number };
  /** On a `more` node: the list it continues (its parent's id) and how many that list shows now. */
  more?: { listId: string; shown: number };
  parentId?: string;
}

export interface FleetViewOptions {
  grouping: Grouping;
  redact: boolean;
  /** Items shown per list, by the list's node id; absent: one page. */
  shown: ReadonlyMap<string, number>;
  pageSize: number;
}

export const PAGE_SIZE = 500;
export const ROOT_ID = 'fleet';

const READINESS_ICONS: Record<Readiness, { id: string; color: string }> = {
  'not-ready': { id: 'vm', color: STATUS_ICONS.fail.color },
  unknown: { id: 'vm', color: STATUS_ICONS.skip.color },
  ready: { id: 'vm', color: STATUS_ICONS.pass.color },
};

function clip(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "812 ready · 4000 not ready · 188 unknown" (unknown left out when none). */
export function totalsText(totals: Pick<FleetIndex['totals'], 'ready' | 'notReady' | 'unknown'>): string {
  const { ready, notReady, unknown } = totals;
  return [`${ready} ready`, `${notReady} not ready`, ...(unknown ? [`${unknown} unknown`] : [])].join(' · ');
}

export function fleetRoots(index: FleetIndex, o: FleetViewOptions): FleetNode[] {
  if (index.totals.machines === 0) return [];
  return [{
    id: ROOT_ID, kind: 'root', label: plural(index.totals.machines, 'machine'), description: totalsText(index.totals),
    tooltip: [`${plural(index.totals.machines, 'machine')}: ${totalsText(index.totals)}, grouped by ${o.grouping}.`,
      ...(['ready', 'not-ready', 'unknown'] as const).map((r) => `${READINESS_WORDS[r]}: ${index.summary.definitions[r]}`)].join('\n'),
    icon: { id: 'server-environment' }, contextValue: 'fleet', collapsible: 'expanded',
  }];
}

/** A page of `items` under `listId`, plus a `more` node when some are left. */
function page<T>(listId: string, items: readonly T[], o: FleetViewOptions, make: (item: T, i: number) => FleetNode): FleetNode[] {
  const shown = Math.min(items.length, o.shown.get(listId) ?? o.pageSize);
  const out: FleetNode[] = [];
  for (let i = 0; i < shown; i++) out.push({ ...make(items[i]!, i), parentId: listId });
  if (shown < items.length) {
    const left = items.length - shown;
    out.push({
      id: `${listId}/more`, kind: 'more', label: `… ${left} more`, description: `show ${Math.min(left, o.pageSize)} more`,
      tooltip: `${shown} of ${items.length} shown`, icon: { id: 'ellipsis' }, contextValue: 'more', more: { listId, shown }, parentId: listId,
    });
  }
  return out;
}

function machineTooltip(m: FleetMachine, show: (s: string) => string): string {
  return [m.name, m.resourceId ?? '', m.os ? `OS: ${m.os}` : '', m.agentVersion ? `Agent: ${m.agentVersion}` : '',
    `${READINESS_WORDS[m.readiness][0]!.toUpperCase()}${READINESS_WORDS[m.readiness].slice(1)}: ${summaryText(m.summary)}`,
    m.verdict.cause ? `${m.readiness === 'not-ready' ? 'First blocking cause' : 'Left unknown by'}: ${m.verdict.cause.title}\n${show(m.verdict.cause.message)}` : '',
  ].filter(Boolean).join('\n');
}

/** A machine as the by-machine grouping lists it: its problems are its children. */
function machineNode(m: FleetMachine, mi: number, show: (s: string) => string): FleetNode {
  const cause = m.verdict.cause;
  const description = m.readiness === 'not-ready' && cause ? clip(cause.title)
    : m.readiness === 'unknown' ? (cause ? `unknown · ${cause.status === 'error' ? 'errored' : 'not checked'}: ${clip(cause.title)}` : 'unknown')
      : m.problems.length ? `ready · ${plural(m.problems.length, 'warning')}` : 'ready';
  return {
    id: `${ROOT_ID}/machine/${m.targetId}`, kind: 'machine', label: m.name, description, tooltip: machineTooltip(m, show),
    icon: READINESS_ICONS[m.readiness], contextValue: 'target', ref: { targetId: m.targetId }, open: { targetId: m.targetId },
    ...(m.problems.length ? { collapsible: 'collapsed' as const } : {}), key: { machine: mi },
  };
}

/** A machine under a rule or fix: a leaf that opens its report at that rule. */
function machineLeaf(listId: string, m: FleetMachine, f: Finding, show: (s: string) => string): FleetNode {
  return {
    id: `${listId}/${m.targetId}`, kind: 'machine', label: m.name, description: clip(show(f.message)),
    tooltip: `${machineTooltip(m, show)}\n\n${STATUS_WORDS[f.status][0]}: ${f.title}\n${show(f.message)}`,
    icon: STATUS_ICONS[f.status], contextValue: 'target', ref: { targetId: m.targetId, ruleId: f.ruleId }, open: { targetId: m.targetId, ruleId: f.ruleId },
  };
}

function findingNode(machineId: string, m: FleetMachine, f: Finding, show: (s: string) => string): FleetNode {
  const fixable = f.fix !== undefined && f.fix.commands.length > 0;
  return {
    id: `${machineId}/${f.ruleId}`, kind: 'finding', label: f.title, description: clip(show(f.message)),
    tooltip: `${STATUS_WORDS[f.status][0]}: ${f.title} (${f.ruleId})\n\n${show(f.message)}${f.fix ? `\n\nFix: ${f.fix.summary}` : ''}`,
    icon: STATUS_ICONS[f.status], contextValue: fixable ? 'rule.fixable' : 'rule',
    ref: { targetId: m.targetId, ruleId: f.ruleId }, open: { targetId: m.targetId, ruleId: f.ruleId },
  };
}

function rootChildren(index: FleetIndex, o: FleetViewOptions, show: (s: string) => string): FleetNode[] {
  const out: FleetNode[] = [];
  if (index.fixes.length) {
    const top = index.fixes[0]!;
    out.push({
      id: `${ROOT_ID}/fixes`, kind: 'fixes', label: 'Fixes that unblock the most machines', description: `${plural(index.fixes.length, 'fix', 'fixes')}; top: ${plural(top.machines.length, 'machine')}`,
      icon: { id: 'lightbulb', color: 'editorLightBulb.foreground' }, contextValue: 'fixes', collapsible: 'expanded', parentId: ROOT_ID,
    });
  }
  if (o.grouping === 'rule') {
    if (!index.rules.length) {
      out.push({ id: `${ROOT_ID}/none`, kind: 'empty', label: 'No check fails or warns on any machine', icon: STATUS_ICONS.pass, contextValue: 'empty', parentId: ROOT_ID });
      return out;
    }
    return out.concat(page(`${ROOT_ID}/rules`, index.rules, o, (r, ri) => {
      const w = worst(r.machines.map((x) => x.finding.status))!;
      return {
        id: `${ROOT_ID}/rule/${r.ruleId}`, kind: 'rule', label: r.title, description: summaryText(r.counts),
        tooltip: `${r.title} (${r.ruleId})\n${summaryText(r.counts)} across ${plural(index.totals.machines, 'machine')}`,
        icon: STATUS_ICONS[w], contextValue: 'fleetRule', collapsible: 'collapsed', key: { rule: ri },
      };
    }).map((n) => ({ ...n, parentId: ROOT_ID })));
  }
  return out.concat(page(`${ROOT_ID}/machines`, index.machines, o, (m, mi) => machineNode(m, mi, show)).map((n) => ({ ...n, parentId: ROOT_ID })));
}

/** The children of a node (undefined: the roots). */
export function fleetChildren(index: FleetIndex, node: FleetNode | undefined, o: FleetViewOptions): FleetNode[] {
  const show = (s: string): string => (o.redact ? redact(s) : s);
  if (!node) return fleetRoots(index, o);
  switch (node.kind) {
    case 'root': return rootChildren(index, o, show);
    case 'fixes':
      return page(node.id, index.fixes, o, (f, fi) => ({
        // The count leads: in a narrow side bar the description is the first thing cut off.
        id: `${node.id}/${fi}`, kind: 'fix', label: `${plural(f.machines.length, 'machine')}: ${clip(show(f.summary))}`, ...(f.alone ? { description: `${f.alone} ready by this alone` } : {}),
        tooltip: `${show(f.summary)}${f.command ? `\n\n${show(f.command)}` : ''}\n\nThe first blocking cause ("${f.title}", ${f.ruleIds.join(', ')}) of ${plural(f.machines.length, 'machine')}; for ${f.alone} of them the only one.`,
        icon: { id: 'wrench' }, contextValue: 'fleetFix', collapsible: 'collapsed', key: { fix: fi },
      }));
    case 'fix': {
      const fix = index.fixes[node.key!.fix!]!;
      return page(node.id, fix.machines, o, (mi) => {
        const m = index.machines[mi]!;
        return machineLeaf(node.id, m, m.problems.find((f) => f.ruleId === m.verdict.cause!.ruleId)!, show);
      });
    }
    case 'rule': {
      const rule = index.rules[node.key!.rule!]!;
      return page(node.id, rule.machines, o, ({ machine, finding }) => machineLeaf(node.id, index.machines[machine]!, finding, show));
    }
    case 'machine': {
      if (node.key?.machine === undefined) return [];
      const m = index.machines[node.key.machine]!;
      return m.problems.map((f) => ({ ...findingNode(node.id, m, f, show), parentId: node.id }));
    }
    default: return [];
  }
}
