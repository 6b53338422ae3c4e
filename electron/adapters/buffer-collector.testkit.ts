/**
 * Test support, run as a child process (`node --import jiti/register`, no --expose-gc): makes 160
 * buffers of 1 MiB, each dropped at once, one per timer tick (as a download's pieces come), inside
 * {@link collectBuffers} or not (`with` / `without`), and prints the peak of the process's buffer
 * memory, in MiB.
 */
import { collectBuffers } from './buffer-collector';

const MiB = 1024 * 1024;
let peak = 0;

async function stream(): Promise<void> {
  for (let i = 0; i < 160; i++) {
    Buffer.allocUnsafeSlow(MiB).fill(i);
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

await (process.argv[2] === 'with' ? collectBuffers(stream) : stream());
console.log(Math.round(peak / MiB));
