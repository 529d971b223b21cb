/**
 * The fleet summary: a pure function of the machines' Reports (summarizeFleet), also built one report at a time
 * (FleetSummaryBuilder) so a 100,000-machine run keeps no report. Definitions (also in the output):
 * - not ready: at least one rule failed (with `blocking: 'warn'`, a warning counts too); the first failing finding in
 *   report order is the machine's first blocking cause, its fix the fix to apply first;
 * - unknown: nothing failed, but a rule could not run (error) or one of the DECISIVE_RULES was skipped for lack of
 *   facts: Azure's side alone cannot say; `wac-doctor fleet-collect` prints how to collect the rest;
 * - ready: nothing failed or errored and every decisive rule reached a verdict (pass or warn). Ready means ready as far
 *   as Azure's view of the machine goes: rules that need the machine itself (services, endpoints, TLS) skip.
 * Fixes are grouped by their normalized commands: the machine's own name, group, subscription, id and region
 * replaced by placeholders, so "upgrade the agent" on 812 machines is one line.
 */
import type { Report } from '../model/report';
import { quoteFor } from '../text/shell';
import type { Finding, Fix } from '../model/types';

/** The rules Azure's own data answers and whose failure blocks WAC: a machine whose facts skip any of them is unknown. */
export const DECISIVE_RULES: readonly string[] = [
  'os-version', 'cloud', 'agent-version', 'agent-status', 'extension-allowed', 'incoming-ports', 'extension-status',
];

export type Readiness = 'ready' | 'not-ready' | 'unknown';

export const READINESS_DEFINITIONS: Record<Readiness, string> = {
  ready: 'no rule failed or errored, and every decisive rule reached a verdict (as far as Azure\'s view of the machine goes)',
  'not-ready': 'at least one rule failed; the first failing finding is the first blocking cause',
  unknown: 'nothing failed, but a rule errored or a decisive rule was skipped for lack of facts (collect them with wac-doctor fleet-collect)',
};

export interface SummaryOptions {
  /** `warn`: warnings block too (as --fail-on warn). Default `fail`. */
  blocking?: 'fail' | 'warn';
  decisiveRules?: readonly string[];
}

export interface MachineCause {
  ruleId: string;
  title: string;
  status: Finding['status'];
  message: string;
  /** The fix, normalized (the machine's own values as placeholders): what topFixes groups by. */
  fix?: { summary: string; command?: string };
}

export interface MachineVerdict {
  name: string;
  id?: string;
  readiness: Readiness;
  /** The first blocking cause (not ready), or the first error / skipped decisive rule (unknown). */
  cause?: MachineCause;
  /** Every rule that blocked this machine, in report order. */
  blockingRules: string[];
}

export interface FailingRule {
  ruleId: string;
  title: string;
  /** Machines where the rule blocked (failed, or warned when warnings block). */
  machines: number;
  fail: number;
  warn: number;
  error: number;
  skip: number;
}

export interface FixGroup {
  /** The normalized fix: summary and first command with the machine's own values as placeholders. */
  summary: string;
  command?: string;
  /** Machines whose FIRST blocking cause this fix addresses: applying it unblocks them (as far as this cause goes). */
  machines: number;
  ruleIds: string[];
}

export interface FleetSummary {
  machines: number;
  ready: number;
  notReady: number;
  unknown: number;
  definitions: Record<Readiness, string> & { decisiveRules: string[]; blocking: 'fail' | 'warn' };
  /** Rules that failed, warned or errored anywhere; worst first: most machines blocked, then fails, warns, errors, rule id. */
  failingRules: FailingRule[];
  /** Most machines first. */
  topFixes: FixGroup[];
  /** Machines not ready or unknown, in input order, each with its first cause. */
  attention: MachineVerdict[];
}

/** Replaces the machine's own values (as quoted in the command's shell, and bare in the summary) by placeholders. */
function normalizeFix(fix: Fix, report: Report): { summary: string; command?: string; key: string } {
  const id = report.target?.id;
  const parts = id?.split('/') ?? [];
  const at = (name: string): string | undefined => {
    const i = parts.findIndex((p) => p.toLowerCase() === name);
    return i >= 0 ? parts[i + 1] : undefined;
  };
  const values: Array<[string | undefined, string]> = [
    [id, '<machine-id>'], [report.target?.machine ?? report.target?.name, '<machine-name>'],
    [at('resourcegroups'), '<resource-group>'], [at('subscriptions'), '<subscription-id>'],
  ];
  const known = values.filter((v): v is [string, string] => typeof v[0] === 'string' && v[0].length > 0);
  const replaceAll = (text: string, quote: (s: string) => string): string => {
    let out = text;
    for (const [v, name] of known) {
      let q: string;
      try {
        q = quote(v);
      } catch {
        continue; // a value the shell helpers refuse cannot be in a rendered command either
      }
      out = out.split(q).join(name);
    }
    return out;
  };
  // Quoted whole values first; then the id and the subscription where they are part of a value (a URL): specific
  // enough to replace as text, unlike a short machine name.
  const inside = (text: string): string => known.filter(([, name]) => name === '<machine-id>' || name === '<subscription-id>')
    .reduce((out, [v, name]) => out.split(v).join(name), text);
  const commands = fix.commands.map((c) => inside(replaceAll(c.command, (s) => quoteFor(c.shell, s))));
  const summary = replaceAll(fix.summary, (s) => s);
  return { summary, ...(commands[0] !== undefined ? { command: commands[0] } : {}), key: `${summary}\n${commands.join('\n')}` };
}

const blocks = (f: Finding, blocking: 'fail' | 'warn'): boolean => f.status === 'fail' || (blocking === 'warn' && f.status === 'warn');

/** The grouping key of a cause's fix (all its normalized commands), kept beside the verdict rather than in it. */
const FIX_KEYS = new WeakMap<MachineCause, string>();

/**
 * A copy of a string that shares no memory with the one given: strings cut from input (a streamed page's chunks)
 * can keep the whole chunk alive, and the summary keeps strings of every machine that needs attention.
 */
export function ownString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** Longest first-cause message kept per machine in the summary (a 100,000-machine fleet keeps many). */
const MAX_KEPT_MESSAGE = 300;

/** One machine's readiness and first cause (pure). */
export function machineVerdict(report: Report, options: SummaryOptions = {}): MachineVerdict {
  const blocking = options.blocking ?? 'fail';
  const decisive = options.decisiveRules ?? DECISIVE_RULES;
  const name = report.target?.machine ?? report.target?.name ?? 'pasted inputs';
  const base = { name, ...(report.target?.id ? { id: report.target.id } : {}) };
  const blockers = report.results.filter((f) => blocks(f, blocking));
  const cause = (f: Finding): MachineCause => {
    const c: MachineCause = { ruleId: f.ruleId, title: f.title, status: f.status, message: f.message };
    if (f.fix) {
      const { summary, command, key } = normalizeFix(f.fix, report);
      c.fix = { summary, ...(command !== undefined ? { command } : {}) };
      FIX_KEYS.set(c, key);
    }
    return c;
  };
  if (blockers.length > 0) return { ...base, readiness: 'not-ready', cause: cause(blockers[0]!), blockingRules: blockers.map((f) => f.ruleId) };
  const undecided = report.results.find((f) => f.status === 'error' || (f.status === 'skip' && decisive.includes(f.ruleId)));
  if (undecided) return { ...base, readiness: 'unknown', cause: cause(undecided), blockingRules: [] };
  return { ...base, readiness: 'ready', blockingRules: [] };
}

/** Adds reports one at a time; result() is the summary of those added so far. */
export class FleetSummaryBuilder {
  private machines = 0;
  private readonly counts: Record<Readiness, number> = { ready: 0, 'not-ready': 0, unknown: 0 };
  private readonly rules = new Map<string, FailingRule>();
  private readonly fixes = new Map<string, FixGroup>();
  private readonly attention: MachineVerdict[] = [];

  constructor(private readonly options: SummaryOptions = {}) {}

  add(report: Report): MachineVerdict {
    const blocking = this.options.blocking ?? 'fail';
    const verdict = machineVerdict(report, this.options);
    this.machines++;
    this.counts[verdict.readiness]++;
    for (const f of report.results) {
      if (f.status === 'pass') continue;
      const row = this.rules.get(f.ruleId) ?? { ruleId: f.ruleId, title: f.title, machines: 0, fail: 0, warn: 0, error: 0, skip: 0 };
      row[f.status]++;
      if (blocks(f, blocking)) row.machines++;
      this.rules.set(f.ruleId, row);
    }
    const cause = verdict.cause;
    const key = cause ? FIX_KEYS.get(cause) : undefined;
    let group: FixGroup | undefined;
    if (cause?.fix && key !== undefined) {
      group = this.fixes.get(key) ?? { summary: ownString(cause.fix.summary), ...(cause.fix.command !== undefined ? { command: ownString(cause.fix.command) } : {}), machines: 0, ruleIds: [] };
      if (verdict.readiness === 'not-ready') {
        group.machines++;
        if (!group.ruleIds.includes(cause.ruleId)) group.ruleIds.push(cause.ruleId);
        this.fixes.set(key, group);
      }
    }
    if (verdict.readiness !== 'ready' && cause) {
      // Kept compact: the message clipped, the fix's strings shared with its group.
      const message = cause.message.length > MAX_KEPT_MESSAGE ? `${cause.message.slice(0, MAX_KEPT_MESSAGE - 3)}...` : cause.message;
      const fix = group ? { summary: group.summary, ...(group.command !== undefined ? { command: group.command } : {}) } : undefined;
      const who = { name: ownString(verdict.name), ...(verdict.id !== undefined ? { id: ownString(verdict.id) } : {}) };
      this.attention.push({ ...verdict, ...who, cause: { ruleId: cause.ruleId, title: cause.title, status: cause.status, message: ownString(message), ...(fix ? { fix } : {}) } });
    } else if (verdict.readiness !== 'ready') this.attention.push({ ...verdict, name: ownString(verdict.name), ...(verdict.id !== undefined ? { id: ownString(verdict.id) } : {}) });
    return verdict;
  }

  result(): FleetSummary {
    const blocking = this.options.blocking ?? 'fail';
    const failingRules = [...this.rules.values()]
      .filter((r) => r.fail + r.warn + r.error > 0)
      .sort((a, b) => b.machines - a.machines || b.fail - a.fail || b.warn - a.warn || b.error - a.error || a.ruleId.localeCompare(b.ruleId));
    const topFixes = [...this.fixes.values()].sort((a, b) => b.machines - a.machines || a.summary.localeCompare(b.summary));
    return {
      machines: this.machines, ready: this.counts.ready, notReady: this.counts['not-ready'], unknown: this.counts.unknown,
      definitions: { ...READINESS_DEFINITIONS, decisiveRules: [...(this.options.decisiveRules ?? DECISIVE_RULES)], blocking },
      failingRules, topFixes, attention: [...this.attention],
    };
  }
}

/** The summary of a fleet's reports (pure). */
export function summarizeFleet(reports: readonly Report[], options: SummaryOptions = {}): FleetSummary {
  const builder = new FleetSummaryBuilder(options);
  for (const r of reports) builder.add(r);
  return builder.result();
}
