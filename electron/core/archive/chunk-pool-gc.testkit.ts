/**
 * Test support, run as a child process (`node --expose-gc --import jiti/register`): lends 64
 * buffers of 1 MiB that are never given back, drops them, collects, and prints the MiB of
 * ArrayBuffers still alive.
 */
import { ChunkPool } from './chunk-pool';

const pool = new ChunkPool(1024 * 1024);
for (let i = 0; i < 64; i++) pool.take().fill(i);
(globalThis as { gc?: () => void }).gc?.();
console.log(Math.round(process.memoryUsage().arrayBuffers / 1024 / 1024));
// The pool itself is still alive here: only what it lent may go.
void pool.size;
