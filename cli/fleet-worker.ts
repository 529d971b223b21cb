/**
 * The fleet analysis of `analyze` on a worker thread, so its young generation can be capped (resourceLimits): a
 * fleet allocates a report per machine and drops it, and V8's default young generation (up to 48 MB) would hold
 * that garbage and make the peak RSS of a 100,000-machine run. Output and messages go through the worker's
 * stdout/stderr, piped by the main thread; the exit code or the one-line error comes back as a message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RULES } from '../rules';
import { runFleetAnalyze, type FleetWorkerData, type FleetWorkerResult } from './fleet';
import { visible } from '../core';


async function run(): Promise<FleetWorkerResult> {
  const { args, ruleIds, color } = workerData as FleetWorkerData;
  const rules = RULES.filter((r) => ruleIds.includes(r.meta.id));
  try {
    const code = await runFleetAnalyze(args, rules, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, {
      say: (t) => process.stderr.write(`wac-doctor: ${visible(t)}\n`), color,
    });
    return { code };
  } catch (err) {
    const name = (err as Error)?.name;
    const kind = name === 'UsageError' ? 'usage' : name === 'InputError' ? 'input' : 'internal';
    return { error: err instanceof Error ? err.message : String(err), kind };
  }
}

void run().then((result) => {
  parentPort!.postMessage(result);
  // Standard input left unread (a bad page, a failed write): read it to the end the main thread then sends, without
  // keeping it, so the worker's stdin lets the thread exit.
  if (!process.stdin.readableEnded && !process.stdin.destroyed) process.stdin.resume();
});
