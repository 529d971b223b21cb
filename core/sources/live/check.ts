/**
 * `wac-doctor check`: collect live, then the pipeline (ingest the artifacts with the parsers a snapshot's reader
 * uses, combine, evaluate with the clock as "now", annotate skips with why this machine cannot supply a fact).
 */
import { evaluate, type Annotator } from '../../engine/pipeline';
import type { FactStore } from '../../engine/fact-store';
import type { Report, TargetSummary } from '../../model/report';
import type { Collection, SkipReason } from './artifacts';
import { collect } from './collect';
import { ingestCollection } from './ingest';
import type { CheckOptions } from './options';

const glob = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');

/** The annotate stage of a live check: "On this machine: <reason>." on skips whose missing facts a reason explains. */
export function skipReasonsAnnotator(reasons: readonly SkipReason[]): Annotator {
  return {
    name: 'live skip reasons',
    annotate(f) {
      if (f.status !== 'skip' || !f.missing?.length) return f;
      const names = f.missing.flatMap((m) => m.split(' | '));
      const why = reasons.filter((reason) => reason.facts.some((fact) => names.some((n) => glob(fact).test(n) || glob(n).test(fact))));
      return why.length ? { ...f, message: `${f.message} On this machine: ${[...new Set(why.map((w) => w.reason))].join('; ')}.` } : f;
    },
  };
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

/** The report of a collection: its artifacts ingested, the rules run with the clock as "now", skips explained. */
export function reportFor(c: Collection, options: CheckOptions): Report {
  const { facts, inputs } = ingestCollection(c);
  const analyze = { rules: options.rules, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.now ? { now: options.now() } : {}) };
  const report = evaluate(facts, inputs, analyze, new Set(['live']), { annotators: [skipReasonsAnnotator(c.skipReasons)] });
  report.target = targetOf(c, facts);
  return report;
}

export async function checkMachine(options: CheckOptions): Promise<Report> {
  return reportFor(await collect(options), options);
}
