/**
 * The long operations of one kind that are running (bundles, a manifest's apply, a fleet update),
 * for their `*.cancel` channel: each run gets a signal of its own, and {@link cancel} aborts them all.
 */
export class RunningOperations {
  private readonly running = new Set<AbortController>();

  /** Runs `work` with a signal that {@link cancel} aborts. */
  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.add(controller);
    try {
      return await work(controller.signal);
    } finally {
      this.running.delete(controller);
    }
  }

  /** Asks every running operation to stop; false when none was running (or all were asked already). */
  cancel(): boolean {
    const live = [...this.running].filter((c) => !c.signal.aborted);
    for (const c of live) c.abort();
    return live.length > 0;
  }
}
