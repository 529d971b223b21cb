/**
 * The fleet view as plain data (vscode-free, so mocha tests it): many analysed targets -> an index built
 * once per change (readiness per machine, failing rules worst first, fixes that unblock the most machines),
 * then nodes made on demand, one level at a time, each list capped at a page ("… N more" pages on). A
 * 10,000-machine export makes 10,000 index rows, but the tree only ever holds what is expanded.
 */
import { FleetSummaryBuilder, SEVERITY_RANK, type Finding, type FleetSummary, type MachineVerdict, type Readiness, type Status, type Summary } from '../../../core';
import type { AnalysisTarget } from '../model/target';

export type { Readiness };

export const READINESS_WORDS: Record<Readiness, string> = { ready: 'ready', 'not-ready': 'not ready', unknown: 'unknown' };
const READINESS_RANK: Record<Readiness, number> = { 'not-ready': 0, unknown: 1, ready: 2 };

export interface FleetMachine {
  targetId: string;
  name: string;
  /** The ARM resource id, when the source names one. */
  resourceId?: string;
  /** Core's verdict: readiness, the first blocking cause (or what left it unknown), every blocking rule. */
  verdict: MachineVerdict;
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
  /** Normalized by core: the machine's own names are placeholders, so one row covers every machine. */
  summary: string;
  command?: string;
  ruleIds: string[];
  title: string;
  /** Machines whose first blocking cause this fixes. */
  machines: number[];
  /** How many of them it alone makes ready (their only blocking rule). */
  alone: number;
}

export interface FleetTotals {
  machines: number;
  ready: number;
  notReady: number;
  unknown: number;
}

export interface FleetIndex {
  /** Worst first: not ready, unknown, ready; more blocking rules first; then by name. */
  machines: FleetMachine[];
  /** Rules failing, erroring or warning somewhere, in core's order: most machines blocked first. */
  rules: FleetRuleRow[];
  /** Most machines first, as core orders them. */
  fixes: FleetFixRow[];
  totals: FleetTotals;
  /** Core's fleet summary of the same reports (definitions of ready / unknown included). */
  summary: FleetSummary;
}

export interface FleetIndexOptions {
  /** `warn`: warnings block too (the wacDoctor.failOn setting). */
  blocking?: 'fail' | 'warn';
}

const isProblem = (s: Status): boolean => s === 'fail' || s === 'error' || s === 'warn';
const byName = (a: FleetMachine, b: FleetMachine): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** One pass over the targets: core's verdict and summary, plus what the tree lists under each node. */
export function fleetIndex(targets: readonly AnalysisTarget[], options: FleetIndexOptions = {}): FleetIndex {
  const builder = new FleetSummaryBuilder({ blocking: options.blocking ?? 'fail' });
  const entries = targets.map((t) => {
    const r = t.report;
    const verdict = builder.add(r);
    const problems = r.results.map((f, i) => [f, i] as const).filter(([f]) => isProblem(f.status))
      .sort(([a, ai], [b, bi]) => SEVERITY_RANK[a.status] - SEVERITY_RANK[b.status] || ai - bi).map(([f]) => f);
    const m: FleetMachine = {
      targetId: t.id, name: t.label, verdict, readiness: verdict.readiness, summary: r.summary, problems,
      ...(r.target?.id ? { resourceId: r.target.id } : {}),
      ...(r.target?.os ? { os: r.target.os } : {}), ...(r.target?.agentVersion ? { agentVersion: r.target.agentVersion } : {}),
    };
    return { m, results: r.results };
  }).sort(({ m: a }, { m: b }) => READINESS_RANK[a.readiness] - READINESS_RANK[b.readiness]
    || b.verdict.blockingRules.length - a.verdict.blockingRules.length
    || (b.summary.fail + b.summary.error) - (a.summary.fail + a.summary.error) || b.summary.warn - a.summary.warn || byName(a, b));
  const summary = builder.result();

  const rules = new Map<string, FleetRuleRow>();
  const fixes = new Map<string, FleetFixRow>();
  entries.forEach(({ m, results }, mi) => {
    for (const f of results) {
      let row = rules.get(f.ruleId);
      if (!row) rules.set(f.ruleId, (row = { ruleId: f.ruleId, title: f.title, counts: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 }, machines: [] }));
      row.counts[f.status]++;
    }
    for (const f of m.problems) rules.get(f.ruleId)!.machines.push({ machine: mi, finding: f });
    const cause = m.verdict.cause;
    if (m.readiness !== 'not-ready' || !cause?.fix) return;
    // Core groups by every normalized command but keeps that key to itself; summary and first command are what it shows.
    const key = `${cause.fix.summary}\n${cause.fix.command ?? ''}`;
    let row = fixes.get(key);
    if (!row) {
      fixes.set(key, (row = { summary: cause.fix.summary, ...(cause.fix.command !== undefined ? { command: cause.fix.command } : {}), ruleIds: [], title: cause.title, machines: [], alone: 0 }));
    }
    if (!row.ruleIds.includes(cause.ruleId)) row.ruleIds.push(cause.ruleId);
    row.machines.push(mi);
    if (m.verdict.blockingRules.length === 1) row.alone++;
  });
  for (const row of rules.values()) row.machines.sort((a, b) => SEVERITY_RANK[a.finding.status] - SEVERITY_RANK[b.finding.status] || a.machine - b.machine);
  const order = new Map(summary.failingRules.map((r, i) => [r.ruleId, i]));
  return {
    machines: entries.map((e) => e.m),
    rules: [...rules.values()].filter((r) => r.machines.length > 0).sort((a, b) => (order.get(a.ruleId) ?? 1e9) - (order.get(b.ruleId) ?? 1e9)),
    fixes: [...fixes.values()].sort((a, b) => b.machines.length - a.machines.length || a.summary.localeCompare(b.summary)),
    totals: { machines: summary.machines, ready: summary.ready, notReady: summary.notReady, unknown: summary.unknown },
    summary,
  };
}
