/**
 * The one pipeline every source runs: ingest (core/engine/ingest: text -> parser -> observations in a FactStore)
 * -> combine (core/combiners: the facts derived from others) -> evaluate (the rules, report order, conclusion)
 * -> annotate (what only the source knows, added to findings after the rules ran: the file a bundle lacks, why
 * this machine could not supply a fact). Sources differ only in what they ingest and which annotators they pass.
 */
import type { FactStore } from './fact-store';
import { runRules } from './run';
import type { Rule } from './rule';
import { combineWacPort } from '../combiners/wac-port';
import { conclude } from '../model/conclusion';
import type { Observation } from '../model/facts';
import { orderFindings } from '../model/order';
import { summarize, TOOL_NAME, TOOL_VERSION, type InputSummary, type Report } from '../model/report';
import type { Finding, SourceKind } from '../model/types';

export interface AnalyzeOptions {
  rules: readonly Rule[];
  port?: number;
  now?: Date;
}

/** A derived fact from the store (core/combiners), or nothing when its inputs are absent. */
export type Combiner = (facts: FactStore) => Observation | undefined;

/** The annotate stage: adds to a finding what only its source knows. Never changes a status. */
export interface Annotator {
  /** What it adds, for readers of the pipeline: `missing bundle files`, `live skip reasons`. */
  name: string;
  annotate(finding: Finding): Finding;
}

export interface Stages {
  /** Source-specific combiners, run before the ones every source has (the WAC port). */
  combiners?: readonly Combiner[];
  annotators?: readonly Annotator[];
}

/** The combine stage: each combiner's fact into the store. */
export function combine(facts: FactStore, options: Pick<AnalyzeOptions, 'port'>, combiners: readonly Combiner[] = []): void {
  for (const c of combiners) {
    const o = c(facts);
    if (o) facts.add(o);
  }
  facts.add(combineWacPort(facts, options.port));
}

/** Combine, evaluate and annotate the ingested facts into a Report. */
export function evaluate(facts: FactStore, inputs: InputSummary[], options: AnalyzeOptions, sourceKinds: Set<SourceKind>, stages: Stages = {}): Report {
  combine(facts, options, stages.combiners);
  const now = options.now ?? new Date();
  // Ages (heartbeat, certificate expiry) are measured from when the outputs were captured, which for
  // pasted text is best estimated by the newest time they state; only live checks use the clock.
  const latest = sourceKinds.has('live') ? undefined : facts.latestTime();
  const asOf = latest ?? now;
  // Stored in report order (core/model/order), so a JSON consumer reads what every reporter shows.
  const results = orderFindings(runRules(options.rules, facts, { now: asOf, nowFrom: latest ? 'inputs' : 'clock', sourceKinds }));
  const conclusion = conclude(results);
  return {
    version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, generatedAt: now.toISOString(), inputs,
    results: annotate(results, stages.annotators), summary: summarize(results),
    ...(conclusion ? { conclusion } : {}),
  };
}

/** The annotate stage: every annotator over every finding, in order. */
export function annotate(results: readonly Finding[], annotators: readonly Annotator[] = []): Finding[] {
  return results.map((f) => annotators.reduce((acc, a) => a.annotate(acc), f));
}
