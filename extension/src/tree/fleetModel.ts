/**
 * The fleet view as plain data (vscode-free, so mocha tests it): many analysed targets -> an index built
 * once per change (readiness per machine, failing rules worst first, fixes that unblock the most machines),
 * then nodes made on demand, one level at a time, each list capped at a page ("… N more" pages on). A
 * 10,000-machine export makes 10,000 index rows, but the tree only ever holds what is expanded.
 */
import type { Summary } from '../../../core/report';
import type { Finding, Status } from '../../../core/types';
import { STATUS_RANK } from '../model/status';
import type { AnalysisTarget } from '../model/target';

/** ready: nothing fails; notReady: a check fails (or errored); unknown: no check reached a verdict. */
export type Readiness = 'ready' | 'notReady' | 'unknown';

export const READINESS_WORDS: Record<Readiness, string> = { ready: 'ready', notReady: 'not ready', unknown: 'unknown' };
const READINESS_RANK: Record<Readiness, number> = { notReady: 0, unknown: 1, ready: 2 };

export interface FleetMachine {
  targetId: string;
  name: string;
  /** The ARM resource id, when the source names one. */
  resourceId?: string;
  readiness: Readiness;
  summary: Summary;
  /** Failed, errored and warning findings, worst first (catalog order within a status). */
  problems: Finding[];
  os?: string;
  agentVersion?: string;
}

export interface FleetRuleRow {
  ruleId: string;
  title: string;
  counts: Summary;
  /** Machines failing, erroring or warning on the rule (indexes into FleetIndex.machines), worst first. */
  machines: Array<{ machine: number; finding: Finding }>;
}

export interface FleetFixRow {
  ruleId: string;
  title: string;
  /** The fix's summary: one row per distinct fix, since a rule's fix depends on what failed. */
  summary: string;
  /** Machines not ready because of the rule, to which this fix applies. */
  machines: number[];
  /** How many of them it alone makes ready (their only blocking finding). */
  alone: number;
}

export interface FleetTotals {
  machines: number;
  ready: number;
  notReady: number;
  unknown: number;
}

export interface FleetIndex {
  /** Worst first: not ready, unknown, ready; more failures first; then by name. */
  machines: FleetMachine[];
  /** Rules failing or warning on at least one machine: most machines failing first, then warning. */
  rules: FleetRuleRow[];
  /** Most machines first. */
  fixes: FleetFixRow[];
  totals: FleetTotals;
}

const isProblem = (s: Status): boolean => s === 'fail' || s === 'error' || s === 'warn';
const isBlocking = (s: Status): boolean => s === 'fail' || s === 'error';

export function readinessOf(results: readonly Finding[]): Readiness {
  if (results.some((f) => isBlocking(f.status))) return 'notReady';
  if (!results.some((f) => f.status === 'pass' || f.status === 'warn')) return 'unknown';
  return 'ready';
}

function machineOf(t: AnalysisTarget): FleetMachine {
  const r = t.report;
  const problems = r.results.map((f, i) => [f, i] as const).filter(([f]) => isProblem(f.status))
    .sort(([a, ai], [b, bi]) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || ai - bi).map(([f]) => f);
  const resourceId = (r.target as { id?: unknown } | undefined)?.id;
  return {
    targetId: t.id, name: t.label, readiness: readinessOf(r.results), summary: r.summary, problems,
    ...(typeof resourceId === 'string' ? { resourceId } : {}),
    ...(r.target?.os ? { os: r.target.os } : {}), ...(r.target?.agentVersion ? { agentVersion: r.target.agentVersion } : {}),
  };
}

const byName = (a: FleetMachine, b: FleetMachine): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function fleetIndex(targets: readonly AnalysisTarget[]): FleetIndex {
  const entries = targets.map((t) => ({ m: machineOf(t), results: t.report.results }))
    .sort(({ m: a }, { m: b }) => READINESS_RANK[a.readiness] - READINESS_RANK[b.readiness]
      || (b.summary.fail + b.summary.error) - (a.summary.fail + a.summary.error) || b.summary.warn - a.summary.warn || byName(a, b));
  const totals: FleetTotals = { machines: entries.length, ready: 0, notReady: 0, unknown: 0 };
  // Insertion order is the catalog's (every report lists rules in it): the tie-break for equal counts.
  const rules = new Map<string, FleetRuleRow>();
  const fixes = new Map<string, FleetFixRow>();
  entries.forEach(({ m, results }, mi) => {
    totals[m.readiness]++;
    for (const f of results) {
      let row = rules.get(f.ruleId);
      if (!row) rules.set(f.ruleId, (row = { ruleId: f.ruleId, title: f.title, counts: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 }, machines: [] }));
      row.counts[f.status]++;
    }
    // Problems are worst first, so each rule's list is too once machines are (stable sort below).
    for (const f of m.problems) rules.get(f.ruleId)!.machines.push({ machine: mi, finding: f });
    const blockers = m.problems.filter((f) => isBlocking(f.status));
    for (const f of blockers) {
      if (!f.fix) continue;
      const key = `${f.ruleId}\u0000${f.fix.summary}`;
      let row = fixes.get(key);
      if (!row) fixes.set(key, (row = { ruleId: f.ruleId, title: f.title, summary: f.fix.summary, machines: [], alone: 0 }));
      row.machines.push(mi);
      if (blockers.length === 1) row.alone++;
    }
  });
  for (const row of rules.values()) row.machines.sort((a, b) => STATUS_RANK[a.finding.status] - STATUS_RANK[b.finding.status] || a.machine - b.machine);
  const failing = (r: FleetRuleRow): number => r.counts.fail + r.counts.error;
  return {
    machines: entries.map((e) => e.m),
    rules: [...rules.values()].filter((r) => r.machines.length > 0).sort((a, b) => failing(b) - failing(a) || b.counts.warn - a.counts.warn),
    fixes: [...fixes.values()].sort((a, b) => b.machines.length - a.machines.length || b.alone - a.alone),
    totals,
  };
}
