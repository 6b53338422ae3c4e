/** The download's cancel and stall timers: one controller that the caller's cancel and the timers abort. */
import type { AbortWhy } from './download-errors';
import type { Clock } from './ports';

export class TransferControl {
  readonly controller = new AbortController();
  private reason: AbortWhy | null = null;
  private interrupt: ((err: Error) => void) | null = null;
  private disarmTimer: () => void = () => undefined;
  /** When the body loop started waiting for the network; null while it handles a chunk. */
  private waitingSince: number | null = null;
  private readonly onCallerAbort = (): void => this.abort('cancelled');

  constructor(
    private readonly clock: Clock,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.controller.signal.addEventListener('abort', () => this.interrupt?.(new Error('aborted')), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  why(): AbortWhy | null {
    return this.reason;
  }

  abort(reason: AbortWhy): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(new Error(reason));
  }

  /**
   * Waits for `promise`, ending early on abort. Not `Promise.race([p, aborted])` with one long-lived
   * `aborted`: every race leaves a reaction on it that keeps the race's result (here: each network
   * chunk) reachable until the download ends, i.e. the whole archive in memory. One wait at a time
   * holds the slot.
   */
  orAbort<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    if (this.controller.signal.aborted) return Promise.reject(new Error('aborted'));
    return new Promise<T>((resolve, reject) => {
      this.interrupt = reject;
      const settled = (): void => {
        if (this.interrupt === reject) this.interrupt = null;
      };
      promise.then(
        (value) => {
          settled();
          resolve(value);
        },
        // Passed on as it came (typed Error only for the linter): failure() classifies it.
        (err: Error) => {
          settled();
          reject(err);
        },
      );
    });
  }

  /** Aborts as stalled after `ms` unless disarmed (the wait for the headers). */
  arm(ms: number): void {
    this.disarm();
    this.disarmTimer = this.clock.setTimeout(() => this.abort('stalled'), ms);
  }

  disarm(): void {
    this.disarmTimer();
  }

  /**
   * Stall watch over the body: one timer, re-armed only when it fires (not set and cleared for
   * every chunk). It counts only the time spent waiting for the network (between `waiting()` and
   * `received()`): a slow disk is not a stall.
   */
  watch(stallMs: number, ms = stallMs): void {
    this.disarmTimer = this.clock.setTimeout(() => {
      if (this.waitingSince === null) return this.watch(stallMs);
      const idle = this.clock.now().getTime() - this.waitingSince;
      if (idle >= stallMs) this.abort('stalled');
      else this.watch(stallMs, stallMs - idle);
    }, ms);
  }

  waiting(): void {
    this.waitingSince = this.clock.now().getTime();
  }

  /** Ends a wait; returns the time it ended. */
  received(): number {
    this.waitingSince = null;
    return this.clock.now().getTime();
  }

  dispose(): void {
    this.disarm();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
