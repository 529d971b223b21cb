/**
 * Several bundles at once: one Report each, in input order, analyzed in parallel on worker threads (as many as
 * cores, 2 on the target machines) when that wins, else one after another in this thread. One bundle already keeps
 * more than one core busy (zlib inflates on libuv's threads while this thread parses), and a worker costs its start
 * (loading the rules and parsers again) and a second heap, so on 2 cores the pool wins only for batches with
 * enough bytes per worker: `npm run bench` measures the crossover (POOL_MIN_BYTES below). Works from source (tests run .ts through tsx: the worker
 * is bootstrapped with tsx's require hook) and from dist/ (plain .js).
 *
 * A worker that dies (out of memory on a hostile input, a bug) costs only its current bundle, which gets an
 * error report; a fresh worker takes the remaining ones. A bundle over the time limit is stopped the same way.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Report } from '../../model/report';
import { analyzeBundle, errorReport, type BundleOptions } from './analyze-bundle';
import { loadRuleSet } from './rule-set';
import type { BundleTask, WorkerMessage } from './worker';

export interface PoolOptions extends BundleOptions {
  /** Worker threads; default: available cores. 1 (or a single bundle) analyzes in this thread. */
  workers?: number;
  /** Per-bundle wall-clock limit in workers (default 10 minutes). */
  timeoutMs?: number;
  /** Old-generation heap limit per worker, MB (default 512). */
  workerHeapMb?: number;
  /** `auto` (default): workers only past the measured crossover; `workers` / `in-thread` force one. */
  mode?: 'auto' | BatchMode;
  /** Told which mode the batch ran in (for the report). */
  onMode?: (mode: BatchMode, workers: number) => void;
  /**
   * The module (a resolved path) whose `RULES` export options.rules come from. Rules cross to worker threads
   * as its ids (functions can't), and each worker requires it; without it, bundles are analyzed in this thread.
   */
  ruleSetModule?: string;
}

export type BatchMode = 'workers' | 'in-thread';

/**
 * Bytes of zip (compressed, as the files are on disk) a batch needs before workers beat one thread on 2 cores:
 * below it the workers' start and the cores that inflate already keep busy make the pool slower or no faster
 * (issue 13: 1.46x slower for eight small bundles, no gain for eight 27 MB ones). `npm run bench` (bundle part,
 * "pool crossover") re-measures it: move this where its lines show the crossover.
 * Measured 2026-12-02 (8 bench bundles per batch, 2 workers vs one thread, medians, 2 shared vCPUs at load 2.5-5):
 * one thread was faster at 3.4 MB of zip (workers 0.58x), 13 MB (0.68x), 28 MB (0.74x), 56 MB (0.79x), 111 MB
 * (0.68x) and 167 MB (0.92x), and even at 223 MB (0.96x and 1.24x in two runs): workers take ~1.6x the CPU for the
 * same work (each warms its own JIT and heap while one thread already keeps 1.1-1.3 cores busy), so they win only
 * past that, where their start is a small share. Hence 256 MiB: the pool only beyond every batch measured to lose.
 */
export const POOL_MIN_BYTES = 256 * 1024 * 1024;

function batchBytes(paths: readonly string[]): number {
  let total = 0;
  for (const p of paths) {
    try {
      const st = statSync(p);
      // A folder's size is not its content: count it as past the crossover on its own.
      total += st.isFile() ? st.size : POOL_MIN_BYTES;
    } catch {
      // Unreadable: analyzeBundle reports it; it costs nothing to analyze.
    }
  }
  return total;
}

/** Whether `paths` go to workers: forced, or past the crossover with more than one core. */
export function chooseMode(paths: readonly string[], options: PoolOptions, workers: number): BatchMode {
  if (workers <= 1) return 'in-thread';
  if (options.mode === 'workers' || options.mode === 'in-thread') return options.mode;
  return batchBytes(paths) >= POOL_MIN_BYTES ? 'workers' : 'in-thread';
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

/** Rules can cross to workers only as ids of the rule set module; other rule objects keep the work in this thread. */
function catalogIds(options: PoolOptions): string[] | undefined {
  if (!options.ruleSetModule) return undefined;
  const catalog = loadRuleSet(options.ruleSetModule);
  const ids: string[] = [];
  for (const rule of options.rules) {
    if (catalog.find((r) => r.meta.id === rule.meta.id) !== rule) return undefined;
    ids.push(rule.meta.id);
  }
  return ids;
}

export async function analyzeBundles(paths: readonly string[], options: PoolOptions): Promise<Report[]> {
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), paths.length));
  const ruleIds = catalogIds(options);
  const mode = ruleIds ? chooseMode(paths, options, workers) : 'in-thread';
  options.onMode?.(mode, mode === 'workers' ? workers : 1);
  if (mode === 'in-thread' || !ruleIds) {
    const reports: Report[] = [];
    for (const path of paths) reports.push(await analyzeBundle(path, options));
    return reports;
  }
  return runPool(paths, options, options.ruleSetModule!, ruleIds, workers);
}

function runPool(paths: readonly string[], options: PoolOptions, ruleSetModule: string, ruleIds: string[], size: number): Promise<Report[]> {
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
        const task: BundleTask = { id, path: paths[id]!, ruleSetModule, ruleIds, progress: options.onProgress !== undefined };
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
