/**
 * Several bundles at once: one Report each, analyzed in parallel on worker threads (as many as cores, 2 by
 * default on the target machines), in input order. Works from source (tests run .ts through tsx: the worker
 * is bootstrapped with tsx's require hook) and from dist/ (plain .js).
 *
 * A worker that dies (out of memory on a hostile input, a bug) costs only its current bundle, which gets an
 * error report; a fresh worker takes the remaining ones. A bundle over the time limit is stopped the same way.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RULES } from '../../../rules';
import type { Report } from '../../model/report';
import { analyzeBundle, errorReport, type BundleOptions } from './analyze-bundle';
import type { BundleTask, WorkerMessage } from './worker';

export interface PoolOptions extends BundleOptions {
  /** Worker threads; default: available cores. 1 (or a single bundle) analyzes in this thread. */
  workers?: number;
  /** Per-bundle wall-clock limit in workers (default 10 minutes). */
  timeoutMs?: number;
  /** Old-generation heap limit per worker, MB (default 512). */
  workerHeapMb?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

function spawnWorker(heapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: heapMb };
  if (__filename.endsWith('.ts')) {
    // Running from source: load tsx's CommonJS hook in the worker, then the TypeScript entry.
    const entry = join(__dirname, 'worker.ts');
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true, resourceLimits });
  }
  return new Worker(join(__dirname, 'worker.js'), { resourceLimits });
}

/** Rules can cross to workers only as catalog ids; custom rule objects keep the work in this thread. */
function catalogIds(options: BundleOptions): string[] | undefined {
  const ids: string[] = [];
  for (const rule of options.rules) {
    if (RULES.find((r) => r.meta.id === rule.meta.id) !== rule) return undefined;
    ids.push(rule.meta.id);
  }
  return ids;
}

export async function analyzeBundles(paths: readonly string[], options: PoolOptions): Promise<Report[]> {
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), paths.length));
  const ruleIds = catalogIds(options);
  if (workers === 1 || !ruleIds) {
    const reports: Report[] = [];
    for (const path of paths) reports.push(await analyzeBundle(path, options));
    return reports;
  }
  return runPool(paths, options, ruleIds, workers);
}

function runPool(paths: readonly string[], options: PoolOptions, ruleIds: string[], size: number): Promise<Report[]> {
  const reports = new Array<Report | undefined>(paths.length);
  let next = 0;
  let finished = 0;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const heapMb = options.workerHeapMb ?? 512;

  return new Promise<Report[]>((resolve) => {
    const complete = (id: number, report: Report): void => {
      if (reports[id]) return;
      reports[id] = report;
      finished++;
      if (finished === paths.length) resolve(reports as Report[]);
    };
    const failure = (id: number, why: string): Report => errorReport(paths[id]!, `${paths[id]}: analysis stopped (${why}); the other inputs were analyzed`, 'bundle', options);

    const start = (): void => {
      const worker = spawnWorker(heapMb);
      let current: number | undefined;
      let timer: NodeJS.Timeout | undefined;
      let retired = false;
      const retire = (why: string): void => {
        if (retired) return;
        retired = true;
        if (timer) clearTimeout(timer);
        if (current !== undefined) complete(current, failure(current, why));
        current = undefined;
        void worker.terminate();
        if (next < paths.length) start();
      };
      const feed = (): void => {
        if (next >= paths.length) {
          retired = true;
          void worker.terminate();
          return;
        }
        const id = next++;
        current = id;
        const task: BundleTask = { id, path: paths[id]!, ruleIds, progress: options.onProgress !== undefined };
        if (options.port !== undefined) task.port = options.port;
        if (options.now) task.now = options.now.toISOString();
        if (options.limits) task.limits = options.limits;
        timer = setTimeout(() => retire(`no result within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
        worker.postMessage(task);
      };
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'progress') return options.onProgress?.(msg.progress);
        if (timer) clearTimeout(timer);
        current = undefined;
        complete(msg.id, msg.type === 'done' ? msg.report : failure(msg.id, `internal error: ${msg.message}`));
        feed();
      });
      worker.on('error', (err) => retire(/heap|memory/i.test(err.message) ? 'it needed more memory than allowed' : `worker error: ${err.message}`));
      worker.on('exit', (code) => {
        if (!retired) retire(`worker exited with code ${code}`);
      });
      feed();
    };
    for (let i = 0; i < size; i++) start();
  });
}
