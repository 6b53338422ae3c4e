/** The part of a BrowserWindow brought to the front on a second launch. */
export interface FocusableWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** The part of Electron's `app` the second-instance handler listens on. */
export interface SecondInstanceApp {
  on(event: 'second-instance', listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: 'second-instance', listener: (...args: unknown[]) => void): unknown;
}

/**
 * Restores (when minimised), shows and focuses `window`. Returns false when there is no live
 * window to bring forward.
 */
export function bringToFront(window: FocusableWindow | null | undefined): boolean {
  if (!window || window.isDestroyed()) return false;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  return true;
}

export interface SecondInstanceOptions {
  /**
   * Called when a second launch finds no window (macOS keeps the app running after its window
   * closed; or the window is not created yet): the caller may create one.
   */
  onNoWindow?: () => void;
  /** Told about a failure, which never propagates into Electron's event loop. */
  onError?: (err: unknown) => void;
}

/**
 * A second launch (the single-instance lock is held by this process) brings the existing window to
 * the front instead of opening another. Its command line is ignored: a profile is chosen at the
 * first launch only. Returns a function that stops listening.
 */
export function handleSecondInstance(
  app: SecondInstanceApp,
  getWindow: () => FocusableWindow | null | undefined,
  options: SecondInstanceOptions = {},
): () => void {
  const listener = () => {
    try {
      if (!bringToFront(getWindow())) options.onNoWindow?.();
    } catch (err) {
      options.onError?.(err);
    }
  };
  app.on('second-instance', listener);
  return () => void app.removeListener?.('second-instance', listener);
}
