/**
 * `items.map(fn)` with at most `limit` calls running at once, results in the order of the items.
 * Over SFTP each call waits for round trips: running a few at once hides the latency, and the
 * bound keeps a slow server from being flooded.
 */
export async function mapLimit<I, T>(items: readonly I[], limit: number, fn: (item: I) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
