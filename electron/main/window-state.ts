import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic } from './json-file';
import { DEFAULT_BOUNDS, MIN_HEIGHT, MIN_WIDTH, type WindowBounds } from './window-options';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is kept between runs: the window's normal (not maximised) bounds, and whether it was maximised. */
export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

/** A display as `screen.getAllDisplays()` describes it; only the work area (without taskbar or dock) counts. */
export interface DisplayLike {
  workArea: Rect;
}

/** Where and how the window opens: `bounds` without x/y lets Electron centre it. */
export interface WindowPlacement {
  bounds: WindowBounds;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const SAVE_DELAY_MS = 500;

/**
 * How much of the window must lie on a display for the saved position to be kept: enough to see
 * and grab the title bar. Less than that (a monitor unplugged, a resolution lowered) and the window
 * opens centred at its default size.
 */
export const MIN_VISIBLE = { width: 200, height: 100 };

const MAX_SIDE = 100_000;

function isRect(value: unknown): value is Rect {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  const finite = (n: unknown, min: number): n is number =>
    typeof n === 'number' && Number.isFinite(n) && n >= min && n <= MAX_SIDE;
  return finite(r.x, -MAX_SIDE) && finite(r.y, -MAX_SIDE) && finite(r.width, 1) && finite(r.height, 1);
}

/** The saved state if `value` is one (a file edited by hand or from a future version may not be). */
export function parseWindowState(value: unknown): WindowState | null {
  if (!value || typeof value !== 'object') return null;
  const { bounds, maximized } = value as Record<string, unknown>;
  if (!isRect(bounds)) return null;
  return {
    bounds: {
      x: Math.round(bounds.x),
      y: Math.round(bounds.y),
      width: Math.round(bounds.width),
      height: Math.round(bounds.height),
    },
    maximized: maximized === true,
  };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

/**
 * Where the window opens: the saved bounds on the display they overlap most, shrunk to its work
 * area and moved wholly inside it; the defaults (centred) when nothing was saved, the file was
 * damaged, no display is known, or too little of the window would be visible.
 */
export function placeWindow(
  saved: WindowState | null,
  displays: readonly DisplayLike[],
  defaults: WindowBounds = DEFAULT_BOUNDS,
): WindowPlacement {
  const fallback: WindowPlacement = {
    bounds: { width: defaults.width, height: defaults.height },
    maximized: saved?.maximized ?? false,
  };
  if (!saved) return fallback;

  let best: { area: Rect; size: number } | null = null;
  for (const display of displays) {
    if (!isRect(display.workArea)) continue;
    const o = overlap(saved.bounds, display.workArea);
    const visible =
      o.width >= Math.min(MIN_VISIBLE.width, saved.bounds.width) &&
      o.height >= Math.min(MIN_VISIBLE.height, saved.bounds.height);
    if (visible && (!best || o.width * o.height > best.size))
      best = { area: display.workArea, size: o.width * o.height };
  }
  if (!best) return fallback;

  const area = best.area;
  // Never below the window's minimum size, never above the work area (unless the screen is smaller than the minimum).
  const width = clamp(saved.bounds.width, MIN_WIDTH, area.width);
  const height = clamp(saved.bounds.height, MIN_HEIGHT, area.height);
  return {
    bounds: {
      x: clamp(saved.bounds.x, area.x, area.x + area.width - width),
      y: clamp(saved.bounds.y, area.y, area.y + area.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}

/** The saved state in `<dataDir>/window-state.json`, written atomically. */
export class WindowStateFile {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, WINDOW_STATE_FILE);
  }

  /** The saved state, or null when there is none or it is damaged. */
  load(): WindowState | null {
    return parseWindowState(readJsonFile(this.file));
  }

  save(state: WindowState): void {
    writeJsonFileAtomic(this.file, { bounds: state.bounds, maximized: state.maximized });
  }
}

/** The part of a BrowserWindow whose state is tracked. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
  removeListener(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
  isDestroyed(): boolean;
  isMaximized(): boolean;
  isMinimized(): boolean;
  isFullScreen(): boolean;
  getBounds(): Rect;
  /** The bounds the window returns to when un-maximised (Electron's getNormalBounds). */
  getNormalBounds(): Rect;
}

export interface TrackOptions {
  save(state: WindowState): void;
  delayMs?: number;
  /** Told when saving fails; the window carries on. */
  onError?: (err: unknown) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** The state to save now, or null when the window's bounds say nothing useful (minimised, full screen, gone). */
export function currentState(window: TrackedWindow): WindowState | null {
  if (window.isDestroyed()) return null;
  const maximized = window.isMaximized();
  // Moving or resizing a minimised or full-screen window reports bounds not worth keeping;
  // the normal bounds still are (and on close they are all there is).
  const bounds =
    maximized || window.isMinimized() || window.isFullScreen() ? window.getNormalBounds() : window.getBounds();
  return parseWindowState({ bounds, maximized });
}

/**
 * Saves the window's state a moment after it stops moving or resizing (and at once when it
 * closes). Returns a function that stops tracking (without saving).
 */
export function trackWindowState(window: TrackedWindow, options: TrackOptions): () => void {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const delay = options.delayMs ?? SAVE_DELAY_MS;
  let timer: unknown = null;
  let last: string | null = null;

  const saveNow = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    try {
      const state = currentState(window);
      if (!state) return;
      const text = JSON.stringify(state);
      if (text === last) return; // nothing moved since the last save
      options.save(state);
      last = text;
    } catch (err) {
      options.onError?.(err);
    }
  };
  const later = () => {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(saveNow, delay);
  };

  const events = ['resize', 'move', 'maximize', 'unmaximize'] as const;
  for (const event of events) window.on(event, later);
  window.on('close', saveNow);
  return () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    for (const event of events) window.removeListener(event, later);
    window.removeListener('close', saveNow);
  };
}
