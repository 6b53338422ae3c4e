/** Why an attempt failed before it was tried again (or why a page failed for good). */
export type Trouble = 'throttled' | 'failed';

export interface WindowOptions {
  /** Pages in flight at first. */
  initial: number;
  /** Never more than this many in flight. */
  max: number;
  /** Milliseconds, from any fixed origin. */
  now: () => number;
}

/** A round's throughput must beat the best one so far by this factor to count as rising. */
const RISE = 1.2;
/** An answer this many times slower than the fastest one seen is a sign of a loaded server… */
const SLOW_FACTOR = 4;
/**
 * …when it also took this long. Well above what a page costs when this machine, not the server,
 * is the bottleneck (pages then wait for the event loop, all of them, which is no reason to ask
 * fewer at once), and well under the 15 s an attempt may take.
 */
const SLOW_FLOOR_MS = 2_000;

/**
 * How many pages of a list may be in flight at once (docs/development.md, "Paging"). The limit
 * grows while throughput rises and backs off at the first sign of trouble:
 *
 * - Answers are counted in rounds: a round ends when as many answers as the limit have come in.
 *   Its throughput is the records it brought over the time it lasted.
 * - A round whose throughput beats the best one by 20% raises the limit: doubled until the first
 *   round that does not (or the first trouble), one more afterwards; never above `max`. A round
 *   that does not rise leaves the limit as it is.
 * - A throttled attempt (HTTP 429) brings the limit down to one page; any other failed attempt
 *   (5xx, 408, timeout, cut connection, unusable body) or a slow answer halves it. Growth then
 *   starts again one page at a time, from a fresh best.
 * - One halving per trouble: what happens to pages sent before the last cut (they were sent under
 *   the old limit, and the cut already answered them) does not halve again, nor count in rounds;
 *   a 429 always counts.
 *
 * Pure: the caller reports answers and troubles with the time each page was sent; tests drive it
 * with made-up times.
 */
export class AdaptiveWindow {
  private current: number;
  private doubling = true;
  private best = 0;
  private fastest = Infinity;
  private lastCut = -Infinity;
  private round: { startedAt: number; answers: number; records: number };

  constructor(private readonly options: WindowOptions) {
    this.current = Math.max(1, Math.min(options.initial, options.max));
    this.round = this.newRound();
  }

  /** Pages that may be in flight now. */
  get limit(): number {
    return this.current;
  }

  /**
   * A page sent at `sentAt` came back usable with `records` records; `ms` is how long it took, or
   * null when it needed a retry (its time then says nothing about the server's load).
   */
  answered(records: number, ms: number | null, sentAt: number): void {
    if (ms !== null) {
      this.fastest = Math.min(this.fastest, ms);
      if (ms >= SLOW_FLOOR_MS && ms >= SLOW_FACTOR * this.fastest)
        return this.cut(Math.floor(this.current / 2), sentAt);
    }
    if (sentAt < this.lastCut) return; // sent under the old limit: says nothing of the new one
    this.round.answers++;
    this.round.records += records;
    if (this.round.answers < this.current) return;
    const rate = this.round.records / Math.max(1, this.options.now() - this.round.startedAt);
    if (rate >= this.best * RISE)
      this.current = Math.min(this.options.max, this.doubling ? this.current * 2 : this.current + 1);
    else this.doubling = false;
    this.best = Math.max(this.best, rate);
    this.round = this.newRound();
  }

  /** An attempt of a page sent at `sentAt` failed and is being retried, or the page failed for good. */
  troubled(trouble: Trouble, sentAt: number): void {
    if (trouble === 'throttled') this.cut(1, this.options.now());
    else this.cut(Math.floor(this.current / 2), sentAt);
  }

  private cut(to: number, sentAt: number): void {
    if (sentAt < this.lastCut) return;
    this.current = Math.max(1, Math.min(this.current, to));
    this.doubling = false;
    this.best = 0;
    this.lastCut = this.options.now();
    this.round = this.newRound();
  }

  private newRound() {
    return { startedAt: this.options.now(), answers: 0, records: 0 };
  }
}
