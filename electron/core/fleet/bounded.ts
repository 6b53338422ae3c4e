/**
 * Runs one check per instance of a fleet: at most `concurrency` at a time, each with its own
 * deadline, so that a slow or dead server costs its own timeout and never holds up the others.
 * Results come back in the order of the inputs, one per input, whatever happened.
 */
import type { Clock } from '../ports';

export type Settled<T> =
  { ok: true; value: T; ms: number } | { ok: false; error: unknown; timedOut: boolean; ms: number };

export interface BoundedOptions {
  concurrency: number;
  /** Per task; the task's signal is aborted then, and its result is a timeout. */
  timeoutMs: number;
  clock: Pick<Clock, 'now' | 'setTimeout'>;
  /** Aborts every task still running or waiting. */
  signal?: AbortSignal;
}

export class TaskTimeoutError extends Error {
  override readonly name = 'TaskTimeoutError';
}

export async function runBounded<I, T>(
  inputs: readonly I[],
  task: (input: I, signal: AbortSignal) => Promise<T>,
  options: BoundedOptions,
): Promise<Settled<T>[]> {
  if (!(options.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  const results: Settled<T>[] = new Array<Settled<T>>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await runOne(inputs[index]!, task, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, inputs.length) }, worker));
  return results;
}

async function runOne<I, T>(
  input: I,
  task: (input: I, signal: AbortSignal) => Promise<T>,
  options: BoundedOptions,
): Promise<Settled<T>> {
  const started = options.clock.now().getTime();
  const elapsed = (): number => options.clock.now().getTime() - started;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  let cancelTimer: () => void = () => undefined;
  const timeout = new Promise<never>((_, reject) => {
    cancelTimer = options.clock.setTimeout(() => {
      const err = new TaskTimeoutError(`no answer within ${Math.round(options.timeoutMs / 100) / 10} s`);
      controller.abort(err);
      reject(err);
    }, options.timeoutMs);
  });
  try {
    const value = await Promise.race([task(input, controller.signal), timeout]);
    return { ok: true, value, ms: elapsed() };
  } catch (error) {
    return { ok: false, error, timedOut: error instanceof TaskTimeoutError, ms: elapsed() };
  } finally {
    cancelTimer();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
