import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * A busy machine by construction: one process per core spinning at full speed (normal priority,
 * like any other work), so that a figure measured while they run holds when the machine is
 * loaded, not only when it happens to be quiet. `stop()` kills them.
 */
export async function startCpuBurners(count = availableParallelism()): Promise<{ count: number; stop: () => void }> {
  const burners: ChildProcess[] = [];
  const stop = () => {
    for (const child of burners) child.kill('SIGKILL');
    process.off('exit', stop);
  };
  // Never left spinning, even when the benchmark throws or exits early.
  process.on('exit', stop);
  for (let i = 0; i < count; i++) burners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  await Promise.all(burners.map((child) => new Promise((resolve) => child.once('spawn', resolve))));
  return { count, stop };
}
