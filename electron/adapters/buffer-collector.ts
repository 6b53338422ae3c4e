import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BufferCollector } from '../core/ports.js';

/**
 * {@link BufferCollector} for the Node shells and Electron's main process: while work runs, a
 * collection of V8's young generation each time about {@link PILE_BYTES} of buffer memory has piled
 * up since the last one.
 *
 * An install streams its archive through short-lived buffers: the network's 16-64 KB pieces,
 * gunzip's 256 KiB outputs, bzip2's pipe reads, a zip's inflated entries. Each is garbage a few
 * milliseconds after it was made, but its memory sits outside V8's heap, and V8 collects the young
 * generation for such memory only once 32 MB of it has piled up (twice its largest semi-space).
 * So an archive of 200 MB peaked about 25 MB higher than one of 20 MB, whose whole stream stays
 * under that mark. Collecting every 4 MiB, the install benchmark's .tar.gz of 200 MB peaked at
 * 109-112 MB instead of 126-129 (20 MB: 92-94 instead of 103-109), its zip of 200 MB at 116-124
 * instead of 125-131, and neither took longer: buffers freed sooner are reused sooner, where fresh
 * ones cost page faults (docs/development.md).
 *
 * V8 gives JavaScript its collector only with `--expose-gc`, read when a context is made: the flag
 * is set for one new context, whose `gc` is kept, then unset again. Where that fails, work runs as
 * it is, without the collections.
 */
export const PILE_BYTES = 4 * 1024 * 1024;
/** How often the pile is measured while work runs (a heap statistics call: a few microseconds). */
const POLL_MS = 5;

type Collect = (options: { type: 'minor' }) => void;

let collector: Collect | null | undefined;

/** V8's collector, got once; null where this V8 does not give it. */
function youngCollector(): Collect | null {
  if (collector !== undefined) return collector;
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return (collector = own as Collect);
  collector = null;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') collector = gc as Collect;
  } catch {
    // Left null: the work runs without collections.
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return collector;
}

let running = 0;
let timer: ReturnType<typeof setInterval> | null = null;
/**
 * The least buffer memory seen since the last collection: about what it left alive, once V8 has
 * freed the rest (on another thread, a few milliseconds after the collection).
 */
let low = 0;

const externalBytes = (): number => getHeapStatistics().external_memory;

function measure(collect: Collect): void {
  const now = externalBytes();
  if (now < low) low = now;
  else if (now - low >= PILE_BYTES) {
    collect({ type: 'minor' });
    low = externalBytes();
  }
}

export const collectBuffers: BufferCollector = async (work) => {
  const collect = youngCollector();
  if (!collect) return work();
  if (running++ === 0) {
    low = externalBytes();
    timer = setInterval(() => measure(collect), POLL_MS);
    timer.unref();
  }
  try {
    return await work();
  } finally {
    if (--running === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }
};
