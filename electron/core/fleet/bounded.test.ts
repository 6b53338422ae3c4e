import { describe, expect, it } from 'vitest';
import { systemClock } from '../ports';
import { runBounded, TaskTimeoutError } from './bounded';

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    });
  });

describe('runBounded', () => {
  it('keeps the input order, one result per input, with values and errors', async () => {
    const r = await runBounded(
      [30, 10, 20, -1],
      async (ms, signal) => {
        if (ms < 0) throw new Error('unreachable');
        await sleep(ms, signal);
        return ms * 2;
      },
      { concurrency: 2, timeoutMs: 5000, clock: systemClock },
    );
    expect(r.map((x) => (x.ok ? x.value : (x.error as Error).message))).toEqual([60, 20, 40, 'unreachable']);
  });

  it('never runs more than the bound at once', async () => {
    let running = 0;
    let peak = 0;
    await runBounded(
      Array.from({ length: 12 }, (_, i) => i),
      async (_i, signal) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(5, signal);
        running--;
      },
      { concurrency: 3, timeoutMs: 5000, clock: systemClock },
    );
    expect(peak).toBe(3);
  });

  it('a dead server costs its own timeout: the others finish, the whole takes about one timeout', async () => {
    const aborted: string[] = [];
    const started = Date.now();
    const r = await runBounded(
      ['dead', 'a', 'b', 'c', 'd', 'e'],
      (name, signal) => {
        signal.addEventListener('abort', () => aborted.push(name));
        return name === 'dead' ? new Promise<string>(() => undefined) : sleep(20, signal).then(() => name);
      },
      { concurrency: 2, timeoutMs: 300, clock: systemClock },
    );
    const took = Date.now() - started;
    expect(r[0]).toMatchObject({ ok: false, timedOut: true });
    expect((r[0] as { error: unknown }).error).toBeInstanceOf(TaskTimeoutError);
    expect(r.slice(1).map((x) => x.ok && x.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(aborted).toEqual(['dead']);
    // Not the sum: the live ones ran beside the dead one on the other slot.
    expect(took).toBeLessThan(300 + 5 * 20 * 2 + 500);
  });

  it('an outer abort stops every task still running', async () => {
    const outer = new AbortController();
    setTimeout(() => outer.abort(new Error('cancelled')), 30);
    const r = await runBounded([1000, 1000], (ms, signal) => sleep(ms, signal), {
      concurrency: 2,
      timeoutMs: 5000,
      clock: systemClock,
      signal: outer.signal,
    });
    expect(r.every((x) => !x.ok && !x.timedOut)).toBe(true);
  });

  it('refuses a bound below 1', async () => {
    await expect(
      runBounded([1], () => Promise.resolve(1), { concurrency: 0, timeoutMs: 1, clock: systemClock }),
    ).rejects.toThrow(RangeError);
  });
});
