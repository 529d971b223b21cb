/**
 * Worker-thread entry: analyzes one bundle per task message and posts the Report back. Rules travel as ids
 * (functions can't cross threads) and are looked up in the catalog here.
 */
import { parentPort } from 'node:worker_threads';
import { RULES } from '../../../rules';
import { analyzeBundle, type BundleProgress } from './analyze-bundle';
import type { BundleLimits } from './limits';

export interface BundleTask {
  id: number;
  path: string;
  ruleIds: string[];
  port?: number;
  now?: string;
  limits?: Partial<BundleLimits>;
  progress: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; id: number; progress: BundleProgress }
  | { type: 'done'; id: number; report: import('../../model/report').Report }
  | { type: 'failed'; id: number; message: string };

const port = parentPort;
if (port) {
  port.on('message', (task: BundleTask) => {
    const rules = task.ruleIds.map((id) => RULES.find((r) => r.meta.id === id)).filter((r) => r !== undefined);
    analyzeBundle(task.path, {
      rules,
      ...(task.port !== undefined ? { port: task.port } : {}),
      ...(task.now ? { now: new Date(task.now) } : {}),
      ...(task.limits ? { limits: task.limits } : {}),
      ...(task.progress ? { onProgress: (progress: BundleProgress) => port.postMessage({ type: 'progress', id: task.id, progress } satisfies WorkerMessage) } : {}),
    }).then(
      (report) => port.postMessage({ type: 'done', id: task.id, report } satisfies WorkerMessage),
      (err: unknown) => port.postMessage({ type: 'failed', id: task.id, message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage),
    );
  });
}
