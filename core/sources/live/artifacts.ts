/**
 * What a live collection produces: command outputs exactly as the pasted parsers read them, the probes document,
 * collected files, and notes on what could not be collected. `check` parses the artifacts with the same parsers
 * the snapshot's reader will use, so `check` and `analyze snapshot.zip` reach the same findings.
 */
import type { TextParser } from '../../parsers/parser';
import type { ProbesDocument } from '../../parsers/wac-doctor-probes';

export interface CommandArtifact {
  /** Entry in the snapshot zip, e.g. `commands/azcmagent-show.json`. */
  entry: string;
  /** The command as typed, e.g. `azcmagent show -j` (the evidence path of live findings). */
  command: string;
  /** The output as the parser reads it. */
  text: string;
  /** The parser that reads it (the same one detection picks for the snapshot entry). */
  parser: TextParser;
}

export interface FileArtifact {
  entry: string;
  text: string;
}

/** Something that could not be collected, and why. Shown as an input with status `error`. */
export interface Unavailable {
  /** The command or source, e.g. `azcmagent show -j`. */
  source: string;
  message: string;
}

/** A reason some facts are missing, appended to the skip message of rules that needed them. */
export interface SkipReason {
  /** Fact name patterns (`agent.*`, `service.himds`) this reason explains. */
  facts: string[];
  reason: string;
}

export interface Collection {
  commands: CommandArtifact[];
  files: FileArtifact[];
  probes: ProbesDocument;
  unavailable: Unavailable[];
  skipReasons: SkipReason[];
  /** Run-level notes for the report target (e.g. "region unknown: regional endpoints not probed"). */
  notes: string[];
  durationMs: number;
}

export { entryName } from './collector-spec';
