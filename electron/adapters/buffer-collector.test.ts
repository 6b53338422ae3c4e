import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testkitOutput } from '../testkit-output.testkit';
import { collectBuffers, PILE_BYTES } from './buffer-collector';

const MiB = 1024 * 1024;

/** The peak buffer memory of the testkit's stream of short-lived 1 MiB buffers, in MiB. */
function peakMiB(mode: 'with' | 'without'): number {
  return Number(testkitOutput(join(__dirname, 'buffer-collector.testkit.ts'), [mode]).trim());
}

describe('collectBuffers', () => {
  it('keeps a stream of short-lived buffers near its pile size, where V8 alone lets 32 MB pile up', () => {
    const without = peakMiB('without');
    const withCollector = peakMiB('with');
    // V8 collects young buffers on its own once twice its largest semi-space (32 MB) has piled up.
    expect(without).toBeGreaterThan(24);
    // A collection each time PILE_BYTES have piled up, measured every 5 ms: a few MiB over it.
    expect(withCollector).toBeLessThan(PILE_BYTES / MiB + 10);
  });

  it("returns the work's result, passes its failure on, and runs nested work", async () => {
    await expect(collectBuffers(() => collectBuffers(() => Promise.resolve(42)))).resolves.toBe(42);
    const failure = new Error('disk full');
    await expect(collectBuffers(() => Promise.reject(failure))).rejects.toBe(failure);
    await expect(collectBuffers(() => Promise.resolve('after'))).resolves.toBe('after');
  });
});
