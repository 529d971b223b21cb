/**
 * One deadline for a whole live run: every socket, query and command ends by it, so the run's wall time is
 * bounded by the timeout however many endpoints blackhole.
 */
export class Deadline {
  readonly at: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly ms: number, readonly start = Date.now()) {
    this.at = start + ms;
    this.timer = setTimeout(() => this.controller.abort(), Math.max(0, this.at - Date.now()));
    this.timer.unref();
  }

  /** Milliseconds left (0 when passed). */
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }

  elapsed(): number {
    return Date.now() - this.start;
  }

  /** Aborted when the deadline passes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get passed(): boolean {
    return this.controller.signal.aborted || Date.now() >= this.at;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Resolves with the promise's value, or `fallback` after `ms` (the promise keeps running; its result is dropped). */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
    promise.then(
      (v) => { clearTimeout(timer); resolve(v); },
      () => { clearTimeout(timer); resolve(fallback); },
    );
  });
}

/**
 * The `finish` of one bounded step (a connect, a handshake, a request, a query): the first outcome wins, clears
 * the timer, runs `cleanup` with it and resolves; later calls do nothing. When the deadline passes first,
 * `onTimeout()` gives the outcome.
 */
export function finishOnce<T>(resolve: (r: T) => void, deadline: Deadline, onTimeout: () => T, cleanup?: (r: T) => void): (r: T) => void {
  let settled = false;
  const finish = (r: T): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    cleanup?.(r);
    resolve(r);
  };
  const timer = setTimeout(() => finish(onTimeout()), deadline.remaining());
  return finish;
}

/** A message for a socket error: `ECONNREFUSED 127.0.0.1:443` style, without a stack. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const msg = err.message.trim();
    return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
  }
  return String(err);
}
