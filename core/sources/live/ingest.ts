/**
 * A live collection's artifacts through the pipeline's ingest stage: each command output with its parser, then the
 * probes document (with the wac-doctor-probes parser, as a snapshot's reader parses probes.json), then one input in
 * error per source that could not be collected.
 */
import { FactStore } from '../../engine/fact-store';
import { inputError, parseInput } from '../../engine/ingest';
import { wacDoctorProbesParser } from '../../parsers/wac-doctor-probes';
import type { InputSummary } from '../../model/report';
import type { Collection } from './artifacts';

/** The evidence path of the probes document in a live report. */
export const LIVE_PROBES_PATH = 'live probes';

export type Ingestible = Pick<Collection, 'commands' | 'probes' | 'unavailable'>;

/** Facts and input summaries of a collection (or of the part collected so far), as `check` reads them. */
export function ingestCollection(c: Ingestible): { facts: FactStore; inputs: InputSummary[] } {
  const facts = new FactStore();
  const inputs: InputSummary[] = c.commands.map((cmd) => parseInput(facts, cmd.parser, cmd.command, cmd.text, 'live'));
  inputs.push(parseInput(facts, wacDoctorProbesParser, LIVE_PROBES_PATH, JSON.stringify(c.probes, null, 2), 'live'));
  for (const u of c.unavailable) inputs.push(inputError(u.source, u.message));
  return { facts, inputs };
}
