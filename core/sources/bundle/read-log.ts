/**
 * One log entry read into its own LogFacts: the part of a bundle's analysis that a log worker can do (it has no
 * side effects on the bundle). The bundle absorbs each file's facts in entry order (analyze-bundle), wherever the
 * file was read, so a report is the same whether a worker read some of its logs or not.
 */
import type { Readable } from 'node:stream';
import { LogFacts, LogFileReader, type FileRole, type LogFileSummary, type PlanMemo } from '../../parsers/logs';
import { EntryTooLarge, streamChunks } from './read-entry';

export interface LogRead {
  summary: LogFileSummary;
  facts: LogFacts;
  /** The data broke partway (the part before was read). */
  damaged?: string;
  /** Reading stopped at the bundle's time limit. */
  timedOut: boolean;
  /** How the bytes differed from the declared size (OpenedEntry.sizeProblem), once read to the end. */
  sizeProblem?: string;
  bytes: number;
}

export interface LogReadOptions {
  path: string;
  role: FileRole;
  /** The entry's index in the bundle: orders its facts' stamps after earlier entries' (LogFacts file). */
  file: number;
  maxLineChars: number;
  /** Bytes past which the data counts as damaged (larger than it declares). */
  cap: number;
  overTime: () => boolean;
  onBytes?: (n: number) => void;
  /** What records say, shared with the thread's other log files of the bundle. */
  plans?: PlanMemo;
}

export async function readLog(stream: Readable, sizeProblem: () => string | undefined, o: LogReadOptions): Promise<LogRead> {
  const facts = new LogFacts(o.file);
  const reader = new LogFileReader({ path: o.path, source: 'bundle', role: o.role, plans: o.plans }, facts, o.maxLineChars);
  let damaged: string | undefined;
  let timedOut = false;
  let bytes = 0;
  try {
    await streamChunks(stream, o.cap, (buf) => {
      bytes += buf.length;
      reader.push(buf);
      o.onBytes?.(buf.length);
      if (o.overTime()) timedOut = true;
      return !reader.binary && !timedOut;
    });
  } catch (err) {
    damaged = err instanceof EntryTooLarge ? `larger than it declares (${err.message})` : (err as Error).message;
  }
  const read: LogRead = { summary: reader.end(), facts, timedOut, bytes };
  if (damaged !== undefined) read.damaged = damaged;
  else if (!timedOut) {
    const problem = sizeProblem();
    if (problem !== undefined) read.sizeProblem = problem;
  }
  return read;
}
