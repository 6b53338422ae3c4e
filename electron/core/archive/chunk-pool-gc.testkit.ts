/**
 * Test support, run as a child process (`node --expose-gc --import jiti/register`): lends 64
 * buffers of 1 MiB that are never given back, drops them, collects, and prints how many MiB more
 * ArrayBuffers are alive than before.
 */
import { ChunkPool } from './chunk-pool';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const MiB = 1024 * 1024;
gc();
const before = process.memoryUsage().arrayBuffers;
const pool = new ChunkPool(MiB);
for (let i = 0; i < 64; i++) pool.take().fill(i);
gc();
gc();
console.log(Math.round((process.memoryUsage().arrayBuffers - before) / MiB));
// The pool itself is still alive here: only what it lent may go.
void pool.size;
