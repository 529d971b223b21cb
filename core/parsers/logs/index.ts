/** Log parsing for one file or text in memory (a pasted file, a small bundle entry): one call, facts out. */
import { createReadStream } from 'node:fs';
import type { Observation } from '../../model/facts';
import { InputError } from '../../text/text-input';
import type { SourceKind } from '../../model/types';
import { LogFacts } from './collector';
import { LogFileReader, type LogFileSummary } from './log-file';
import type { FileRole } from './interpret';
import { PlanMemo } from './plan-memo';

export { LogFacts, type LogFactsState } from './collector';
export { LogFileReader, detectGrammar, type LogFileSummary } from './log-file';
export type { FileRole } from './interpret';
export { PlanMemo } from './plan-memo';

export interface LogScanResult {
  observations: Observation[];
  notes: string[];
  summary: LogFileSummary;
}

const LABELS: Record<LogFileSummary['grammar'], string> = {
  'logrus': 'agent log (logrus)',
  'logrus-terminal': 'agent CLI output (logrus terminal)',
  'logrus-console': 'agent CLI output',
  'gc-bracket': 'Guest Configuration log',
  'plain': 'text with known error messages',
};

export function grammarLabel(id: LogFileSummary['grammar']): string {
  return LABELS[id];
}

/** Parses log text (any grammar, else a signature scan) into observations, with their own time-aware resolution. */
/** `memo`: false decides every record afresh; a PlanMemo is shared with other calls (as a bundle's files share one). */
export function scanLogText(path: string, text: string, source: SourceKind, role: FileRole = 'text', memo: boolean | PlanMemo = true): LogScanResult {
  const facts = new LogFacts();
  const reader = new LogFileReader(memo instanceof PlanMemo ? { path, source, role, plans: memo } : { path, source, role, memo }, facts);
  reader.pushText(text);
  const summary = reader.end();
  const observations = facts.observations();
  return { observations, notes: facts.notes, summary };
}

/** Streams a (large) log file from disk through the grammars; memory stays bounded whatever its size. */
export async function scanLogFile(path: string, source: SourceKind, role: FileRole = 'text'): Promise<LogScanResult> {
  const facts = new LogFacts();
  const reader = new LogFileReader({ path, source, role }, facts);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      reader.push(chunk as Buffer);
      if (reader.binary) break;
    }
  } catch (err) {
    throw new InputError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a file of command output or a log`);
  }
  const summary = reader.end();
  return { observations: facts.observations(), notes: facts.notes, summary };
}
