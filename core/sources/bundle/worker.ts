/**
 * Worker-thread entry: analyzes one bundle per task message and posts the Report back. Rules travel as ids
 * (functions can't cross threads) of the rule set module the task names, which is required here.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeBundle, type BundleProgress } from './analyze-bundle';
import type { BundleLimits } from './limits';
import { loadRuleSet } from './rule-set';

export interface BundleTask {
  id: number;
  path: string;
  /** Resolved path of the module exporting `RULES`, the rules ruleIds name. */
  ruleSetModule: string;
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
    const catalog = loadRuleSet(task.ruleSetModule);
    const rules = task.ruleIds.map((id) => catalog.find((r) => r.meta.id === id)).filter((r) => r !== undefined);
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
