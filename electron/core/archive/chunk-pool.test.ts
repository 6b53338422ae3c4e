import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testkitOutput } from '../../testkit-output.testkit';
import { ChunkPool } from './chunk-pool';

describe('ChunkPool', () => {
  it('lends a buffer again only once it is given back, through any view of it', () => {
    const pool = new ChunkPool(1024);
    const a = pool.take();
    const b = pool.take();
    expect(a.length).toBe(1024);
    expect(b.buffer).not.toBe(a.buffer);
    pool.giveBack(a.subarray(0, 10));
    expect(pool.take().buffer).toBe(a.buffer);
    expect(pool.take().buffer).not.toBe(b.buffer);
  });

  it('ignores what it did not lend and what was given back already', () => {
    const pool = new ChunkPool(64);
    const a = pool.take();
    pool.giveBack(Buffer.alloc(64));
    pool.giveBack(a);
    pool.giveBack(a);
    const first = pool.take();
    const second = pool.take();
    expect(first.buffer).toBe(a.buffer);
    // Given back twice, lent once: the next buffer is a new one.
    expect(second.buffer).not.toBe(a.buffer);
  });
});

describe('ChunkPool and the garbage collector', () => {
  it('keeps nothing it lent and never got back (most decoders give nothing back)', () => {
    const out = testkitOutput(join(__dirname, 'chunk-pool-gc.testkit.ts'), [], ['--expose-gc']);
    // MiB alive beyond those before the loans: 64 if the pool still held what it lent.
    expect(Number(out.trim())).toBeLessThan(16);
  });
});
