/**
 * Log-worker thread entry: reads one zip log entry per task (its data located by the main thread, read and
 * inflated here from the zip file) into its own LogFacts, and posts what it read back as plain data. Tasks run one
 * at a time, in the order they came.
 */
import { parentPort } from 'node:worker_threads';
import { PlanMemo, type FileRole, type LogFactsState, type LogFileSummary } from '../../parsers/logs';
import { entryDataFromFile, type EntryLocation } from './entry-data';
import { readLog } from './read-log';

export interface LogTask {
  id: number;
  zipPath: string;
  at: EntryLocation;
  path: string;
  role: FileRole;
  file: number;
  maxLineChars: number;
  cap: number;
  /** Date.now() past which reading stops (the bundle's time limit). */
  deadline: number;
}

export type LogTaskResult =
  | { id: number; ok: true; state: LogFactsState; summary: LogFileSummary; damaged?: string; timedOut: boolean; sizeProblem?: string; bytes: number }
  | { id: number; ok: false; message: string };

/** What records say, shared by this worker's files (a worker serves one bundle: log-workers.ts). */
const plans = new PlanMemo();

async function run(task: LogTask): Promise<LogTaskResult> {
  const data = entryDataFromFile(task.zipPath, task.at);
  const read = await readLog(data.stream, data.sizeProblem, {
    path: task.path, role: task.role, file: task.file, maxLineChars: task.maxLineChars, cap: task.cap, plans, overTime: () => Date.now() > task.deadline,
  });
  const result: LogTaskResult = { id: task.id, ok: true, state: read.facts.state(), summary: read.summary, timedOut: read.timedOut, bytes: read.bytes };
  if (read.damaged !== undefined) result.damaged = read.damaged;
  if (read.sizeProblem !== undefined) result.sizeProblem = read.sizeProblem;
  return result;
}

const port = parentPort;
if (port) {
  let queue = Promise.resolve();
  port.on('message', (task: LogTask) => {
    queue = queue.then(() => run(task)).then(
      (result) => port.postMessage(result),
      (err: unknown) => port.postMessage({ id: task.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies LogTaskResult),
    );
  });
}
