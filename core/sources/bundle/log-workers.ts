/**
 * A log worker thread beside the main one, for one bundle: on 2 cores, reading a big bundle's logs on two threads
 * (each reading, inflating and parsing whole entries) takes about half the time of one. Entries go to the worker
 * while it has fewer than MAX_IN_FLIGHT; the others are read in the calling thread meanwhile. Results are plain
 * data (LogFactsState), absorbed by the bundle in entry order, so a report does not depend on which thread read what.
 * Works from source (tests run .ts through tsx: the worker is bootstrapped with tsx's require hook) and from dist/.
 * A worker that dies (out of memory on a hostile input, a bug) fails the entries it held, each with its message,
 * and the bundle's other entries are read in the calling thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LogTask, LogTaskResult } from './log-worker';

/** Entries queued on the worker at most: one read, one waiting, so it never idles between entries. */
export const MAX_IN_FLIGHT = 2;

const FROM_SOURCE = __filename.endsWith('.ts');
const ENTRY = join(__dirname, FROM_SOURCE ? 'log-worker.ts' : 'log-worker.js');

export type LogTaskDone = Extract<LogTaskResult, { ok: true }>;

export class LogWorkers {
  private worker?: Worker;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (r: LogTaskDone) => void; reject: (e: Error) => void }>();
  private stopped?: string;
  /** Entries sent to the worker. */
  sent = 0;

  constructor(private readonly heapMb = 512) {}

  /** Whether this build has the worker entry (a bundled copy of core, the extension's, may not). */
  static available(): boolean {
    return existsSync(ENTRY);
  }

  /** Whether the worker can take an entry now. */
  get ready(): boolean {
    return this.stopped === undefined && this.waiting.size < MAX_IN_FLIGHT;
  }

  submit(task: Omit<LogTask, 'id'>): Promise<LogTaskDone> {
    if (this.stopped !== undefined) return Promise.reject(new Error(this.stopped));
    const worker = this.start();
    const id = this.nextId++;
    this.sent++;
    return new Promise<LogTaskDone>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...task, id } satisfies LogTask);
    });
  }

  close(): void {
    this.stopped ??= 'closed';
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // A small young generation: the worker's garbage is short-lived strings, and its heap is RSS on top of the main
    // thread's (noisy bench bundle: peak RSS 210 MB with V8's default, 175 MB with 4 MB, and no slower).
    const resourceLimits = { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 4 };
    const worker = FROM_SOURCE
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(ENTRY)});`, { eval: true, resourceLimits })
      : new Worker(ENTRY, { resourceLimits });
    worker.on('message', (msg: LogTaskResult) => {
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.ok) w.resolve(msg);
      else w.reject(new Error(msg.message));
    });
    const fail = (why: string): void => {
      if (this.stopped === undefined) this.stopped = why;
      for (const w of this.waiting.values()) w.reject(new Error(why));
      this.waiting.clear();
    };
    worker.on('error', (err) => fail(/heap|memory/i.test(err.message) ? 'the log worker needed more memory than allowed' : `the log worker failed: ${err.message}`));
    worker.on('exit', (code) => fail(`the log worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }
}
