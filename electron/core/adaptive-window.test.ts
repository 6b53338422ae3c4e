import { describe, expect, it } from 'vitest';
import { AdaptiveWindow } from './adaptive-window';

/** A window on a made-up clock: `answer(n, ms)` brings n pages of 200 records after `ms`, all sent now. */
function windowAt(initial: number, max: number) {
  let now = 0;
  const window = new AdaptiveWindow({ initial, max, now: () => now });
  return {
    window,
    /** One round: `pages` answers spread over `ms`, each taking `ms` (sent at the round's start). */
    round(pages: number, ms: number) {
      const sentAt = now;
      for (let i = 0; i < pages; i++) {
        now += ms / pages;
        window.answered(200, ms, sentAt);
      }
    },
    tick(ms: number) {
      now += ms;
      return now;
    },
    get now() {
      return now;
    },
  };
}

describe('AdaptiveWindow', () => {
  it('doubles while throughput rises, then adds one page per rising round, never above the cap', () => {
    const w = windowAt(4, 20);
    w.round(4, 40); // 4 pages in 40 ms: the first round always grows
    expect(w.window.limit).toBe(8);
    w.round(8, 40); // twice the throughput
    expect(w.window.limit).toBe(16);
    w.round(16, 160); // half the throughput: not rising, and doubling stops
    expect(w.window.limit).toBe(16);
    w.round(16, 40); // rising again: one more page at a time
    expect(w.window.limit).toBe(17);
    for (let i = 0; i < 10; i++) w.round(w.window.limit, 40 / (i + 2));
    expect(w.window.limit).toBe(20);
  });

  it('holds when throughput stops rising', () => {
    const w = windowAt(4, 64);
    w.round(4, 40);
    w.round(8, 80); // same throughput as the first round
    expect(w.window.limit).toBe(8);
    for (let i = 0; i < 5; i++) w.round(8, 80);
    expect(w.window.limit).toBe(8);
  });

  it('goes down to one page on a 429, and grows back one page per rising round', () => {
    const w = windowAt(8, 16);
    w.window.troubled('throttled', w.now);
    expect(w.window.limit).toBe(1);
    w.round(1, 40);
    expect(w.window.limit).toBe(2);
    w.round(2, 40);
    expect(w.window.limit).toBe(3);
  });

  it('halves on a failed attempt, once for all the pages sent before the cut', () => {
    const w = windowAt(16, 16);
    const sentBefore = w.now;
    w.tick(10);
    w.window.troubled('failed', sentBefore);
    expect(w.window.limit).toBe(8);
    // Other pages of the same flight failing: the cut already answered them.
    w.window.troubled('failed', sentBefore);
    w.window.troubled('failed', sentBefore);
    expect(w.window.limit).toBe(8);
    // A page sent after the cut failing too: the server is still in trouble.
    const sentAfter = w.tick(10);
    w.tick(10);
    w.window.troubled('failed', sentAfter);
    expect(w.window.limit).toBe(4);
    // A 429 counts whenever its page was sent.
    w.window.troubled('throttled', sentBefore);
    expect(w.window.limit).toBe(1);
  });

  it('halves on an answer much slower than the fastest, but not on a fast server’s jitter', () => {
    const w = windowAt(16, 16);
    const sentAt = w.now;
    w.window.answered(200, 30, sentAt); // the fastest
    w.window.answered(200, 110, sentAt); // 3.7x the fastest
    w.window.answered(200, 1_500, sentAt); // 50x, but under two seconds: this machine may just be busy
    expect(w.window.limit).toBe(16);
    w.tick(5_000);
    w.window.answered(200, 5_000, sentAt);
    expect(w.window.limit).toBe(8);
  });

  it('ignores the time of a page that needed a retry', () => {
    const w = windowAt(16, 16);
    w.window.answered(200, 30, w.now);
    w.tick(5_000);
    w.window.answered(200, null, 0);
    expect(w.window.limit).toBe(16);
  });

  it('never goes under one page nor starts above the cap', () => {
    const w = windowAt(32, 6);
    expect(w.window.limit).toBe(6);
    for (let i = 0; i < 5; i++) w.window.troubled('failed', w.tick(1));
    expect(w.window.limit).toBe(1);
  });
});
