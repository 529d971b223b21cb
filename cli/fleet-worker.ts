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
import { stdinFromPort } from './fleet-stdin';


async function run(): Promise<FleetWorkerResult> {
  const { args, ruleIds, color } = workerData as FleetWorkerData;
  const rules = RULES.filter((r) => ruleIds.includes(r.meta.id));
  try {
    const code = await runFleetAnalyze(args, rules, { stdout: process.stdout, stderr: process.stderr, stdin: stdin?.stream ?? process.stdin }, {
      say: (t) => process.stderr.write(`wac-doctor: ${visible(t)}\n`), color,
    });
    return { code };
  } catch (err) {
    const name = (err as Error)?.name;
    const kind = name === 'UsageError' ? 'usage' : name === 'InputError' ? 'input' : 'internal';
    return { error: err instanceof Error ? err.message : String(err), kind };
  }
}

// Standard input, when the command names it: fed by the main thread (cli/fleet-stdin).
const { stdinPort } = workerData as FleetWorkerData;
const stdin = stdinPort ? stdinFromPort(stdinPort) : undefined;

void run().then((result) => {
  // What was not read of standard input (a bad page, a failed write) is let go: the open channel would keep the
  // thread alive.
  stdin?.close();
  parentPort!.postMessage(result);
});
