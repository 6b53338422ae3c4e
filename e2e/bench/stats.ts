/** Small timing helpers for the benchmarks: every figure is reported with its baseline. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (samples: number[]) => percentile(samples, 50);

export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function timeSync(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export interface Line {
  name: string;
  value: string;
  target?: string;
  ok?: boolean;
}

export function report(title: string, lines: Line[]): boolean {
  console.log(`\n${title}`);
  const width = Math.max(...lines.map((l) => l.name.length));
  for (const l of lines) {
    const verdict = l.ok === undefined ? '' : l.ok ? '  [meets target]' : '  [MISSES TARGET]';
    console.log(`  ${l.name.padEnd(width)}  ${l.value}${l.target ? `   (target ${l.target})` : ''}${verdict}`);
  }
  return lines.every((l) => l.ok !== false);
}

/** The slowest sample: what a user meets on a bad run. */
export const worst = (samples: number[]) => Math.max(...samples);
