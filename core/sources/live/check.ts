/**
 * `wac-doctor check`: collect live, parse the artifacts with the parsers a snapshot's reader uses, run the rules
 * with the clock as "now", and say why rules skipped when this machine cannot supply what they need.
 */
import { evaluate } from '../pasted';
import { FactStore } from '../../engine/fact-store';
import { ParseError, type TextParser } from '../../parsers/parser';
import { wacDoctorProbesParser } from '../../parsers/wac-doctor-probes';
import type { InputSummary, Report, TargetSummary } from '../../model/report';
import type { Collection, SkipReason } from './artifacts';
import { collect } from './collect';
import type { CheckOptions } from './options';

/** The evidence path of the probes document in a live report. */
export const LIVE_PROBES_PATH = 'live probes';

function ingestWith(facts: FactStore, parser: TextParser, path: string, text: string): InputSummary {
  try {
    const result = parser.parse(text, { path, source: 'live' });
    facts.add(...result.observations);
    return { path, kind: parser.id, label: parser.label, status: 'parsed', facts: result.observations.length, messages: (result.warnings ?? []).map((w) => `${path}: ${w}`) };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return { path, kind: parser.id, label: parser.label, status: 'error', facts: 0, messages: [`${path}: looks like ${parser.label} but ${err.message}`] };
  }
}

/** Facts and input summaries of a collection, as `check` reads them. */
export function ingestCollection(c: Collection): { facts: FactStore; inputs: InputSummary[] } {
  const facts = new FactStore();
  const inputs: InputSummary[] = c.commands.map((cmd) => ingestWith(facts, cmd.parser, cmd.command, cmd.text));
  inputs.push(ingestWith(facts, wacDoctorProbesParser, LIVE_PROBES_PATH, JSON.stringify(c.probes, null, 2)));
  for (const u of c.unavailable) inputs.push({ path: u.source, kind: null, status: 'error', facts: 0, messages: [u.message] });
  return { facts, inputs };
}

const glob = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');

/** Appends "On this machine: <reason>." to skips whose missing facts a reason explains. */
export function explainSkips(report: Report, reasons: readonly SkipReason[]): void {
  for (const r of report.results) {
    if (r.status !== 'skip' || !r.missing?.length) continue;
    const names = r.missing.flatMap((m) => m.split(' | '));
    const why = reasons.filter((reason) => reason.facts.some((f) => names.some((n) => glob(f).test(n) || glob(n).test(f))));
    if (why.length) r.message += ` On this machine: ${[...new Set(why.map((w) => w.reason))].join('; ')}.`;
  }
}

function targetOf(c: Collection, facts: FactStore): TargetSummary {
  const os = c.probes.os;
  const target: TargetSummary = { kind: 'live', name: c.probes.host };
  const machine = facts.get('machine.name');
  target.machine = machine ?? c.probes.host;
  if (os) target.os = [os.name ?? os.platform, os.platform === 'windows' && os.version ? os.version : undefined].filter(Boolean).join(' ');
  const agentVersion = facts.get('agent.version');
  if (agentVersion) target.agentVersion = agentVersion;
  if (c.notes.length) target.notes = [...c.notes];
  return target;
}

/** The report of a collection: its artifacts parsed, the rules run with the clock as "now", skips explained. */
export function reportFor(c: Collection, options: CheckOptions): Report {
  const { facts, inputs } = ingestCollection(c);
  const report = evaluate(facts, inputs, { rules: options.rules, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.now ? { now: options.now() } : {}) }, new Set(['live']));
  report.target = targetOf(c, facts);
  explainSkips(report, c.skipReasons);
  return report;
}

export async function checkMachine(options: CheckOptions): Promise<Report> {
  return reportFor(await collect(options), options);
}
