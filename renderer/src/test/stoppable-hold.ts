/**
 * Where a fake core waits as the real one works (a download, an install), ended early by the
 * fake's `*.cancel` handler as the real signal would end the work.
 */
export class StoppableHold {
  private stopNow: (() => void) | null = null;

  /** Waits for `hold`, or for {@link stop}: which one came first. */
  wait(hold: Promise<void>): Promise<'released' | 'stopped'> {
    return new Promise((resolve) => {
      this.stopNow = () => resolve('stopped');
      void hold.then(() => {
        this.stopNow = null;
        resolve('released');
      });
    });
  }

  /** Ends the wait in progress; false when nothing was waiting. */
  stop(): boolean {
    const stop = this.stopNow;
    this.stopNow = null;
    stop?.();
    return stop !== null;
  }
}
