import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BOUNDS, MIN_HEIGHT, MIN_WIDTH } from './window-options';
import {
  currentState,
  parseWindowState,
  placeWindow,
  trackWindowState,
  WINDOW_STATE_FILE,
  WindowStateFile,
  type DisplayLike,
  type Rect,
  type TrackedWindow,
  type WindowState,
} from './window-state';

const laptop: DisplayLike = { workArea: { x: 0, y: 25, width: 1440, height: 875 } };
// A second monitor to the right of the laptop, and one above it.
const right: DisplayLike = { workArea: { x: 1440, y: 0, width: 2560, height: 1400 } };
const above: DisplayLike = { workArea: { x: 0, y: -1080, width: 1920, height: 1080 } };

const saved = (bounds: Rect, maximized = false): WindowState => ({ bounds, maximized });

describe('parseWindowState', () => {
  it('accepts a saved state and rounds it', () => {
    expect(parseWindowState({ bounds: { x: 10.4, y: -20, width: 1000.6, height: 700 }, maximized: true })).toEqual({
      bounds: { x: 10, y: -20, width: 1001, height: 700 },
      maximized: true,
    });
  });

  it.each([
    null,
    'text',
    [],
    {},
    { bounds: null },
    { bounds: { x: 0, y: 0, width: 0, height: 600 } },
    { bounds: { x: 0, y: 0, width: 800, height: -1 } },
    { bounds: { x: Number.NaN, y: 0, width: 800, height: 600 } },
    { bounds: { x: '0', y: 0, width: 800, height: 600 } },
    { bounds: { x: 0, y: 0, width: 1e9, height: 600 } },
    { bounds: { x: 0, y: 0, width: 800 } },
  ])('refuses %j', (value) => {
    expect(parseWindowState(value)).toBeNull();
  });

  it('takes anything but true as not maximised', () => {
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: 900, height: 600 }, maximized: 'yes' })?.maximized).toBe(
      false,
    );
  });
});

describe('placeWindow', () => {
  it('uses the defaults, centred, when nothing was saved', () => {
    expect(placeWindow(null, [laptop])).toEqual({
      bounds: { width: DEFAULT_BOUNDS.width, height: DEFAULT_BOUNDS.height },
      maximized: false,
    });
  });

  it('keeps bounds that fit on a display', () => {
    const b = { x: 100, y: 80, width: 1000, height: 700 };
    expect(placeWindow(saved(b), [laptop, right])).toEqual({ bounds: b, maximized: false });
  });

  it('keeps the window on a second monitor, including one at negative coordinates', () => {
    const onRight = { x: 2000, y: 100, width: 1600, height: 1000 };
    expect(placeWindow(saved(onRight), [laptop, right]).bounds).toEqual(onRight);
    const onAbove = { x: 50, y: -1000, width: 1200, height: 800 };
    expect(placeWindow(saved(onAbove, true), [laptop, above])).toEqual({ bounds: onAbove, maximized: true });
  });

  it('falls back to the defaults when the saved monitor is gone', () => {
    const onRight = { x: 2000, y: 100, width: 1600, height: 1000 };
    expect(placeWindow(saved(onRight), [laptop])).toEqual({
      bounds: { width: DEFAULT_BOUNDS.width, height: DEFAULT_BOUNDS.height },
      maximized: false,
    });
  });

  it('keeps the maximised state when falling back (it maximises on the display it opens on)', () => {
    const gone = { x: -5000, y: -5000, width: 1000, height: 700 };
    expect(placeWindow(saved(gone, true), [laptop]).maximized).toBe(true);
  });

  it('falls back when only a sliver would be visible', () => {
    // 50 px of the window left on the laptop's right edge: not enough to grab it.
    expect(placeWindow(saved({ x: 1390, y: 100, width: 1000, height: 700 }), [laptop]).bounds).not.toHaveProperty('x');
    // Below the work area (under the taskbar).
    expect(placeWindow(saved({ x: 100, y: 880, width: 1000, height: 700 }), [laptop]).bounds).not.toHaveProperty('x');
  });

  it('moves a window that hangs over an edge wholly inside the display it is mostly on', () => {
    const placed = placeWindow(saved({ x: 900, y: -40, width: 1000, height: 700 }), [laptop]);
    expect(placed.bounds).toEqual({ x: 440, y: 25, width: 1000, height: 700 });
  });

  it('picks the display with the largest overlap when the window straddles two', () => {
    // 40 px on the laptop, 960 px on the right monitor.
    const placed = placeWindow(saved({ x: 1400, y: 100, width: 1000, height: 700 }), [laptop, right]);
    expect(placed.bounds).toEqual({ x: 1440, y: 100, width: 1000, height: 700 });
  });

  it('shrinks a window larger than its display (a resolution was lowered), but never below the minimum', () => {
    const placed = placeWindow(saved({ x: 0, y: 25, width: 3000, height: 2000 }), [laptop]);
    expect(placed.bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 });
    const small: DisplayLike = { workArea: { x: 0, y: 0, width: 640, height: 480 } };
    expect(placeWindow(saved({ x: 0, y: 0, width: 1000, height: 700 }), [small]).bounds).toEqual({
      x: 0,
      y: 0,
      width: MIN_WIDTH,
      height: MIN_HEIGHT,
    });
  });

  it('falls back when no display is known, or a display reports nonsense', () => {
    const b = { x: 100, y: 80, width: 1000, height: 700 };
    expect(placeWindow(saved(b), []).bounds).not.toHaveProperty('x');
    const broken = { workArea: { x: 0, y: 0, width: Number.NaN, height: 900 } };
    expect(placeWindow(saved(b), [broken]).bounds).not.toHaveProperty('x');
  });
});

describe('WindowStateFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'md-winstate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves and loads the state in <data>/window-state.json, leaving no temp file', () => {
    const file = new WindowStateFile(dir);
    expect(file.file).toBe(join(dir, WINDOW_STATE_FILE));
    expect(file.load()).toBeNull();
    const state = saved({ x: 1, y: 2, width: 900, height: 650 }, true);
    file.save(state);
    expect(new WindowStateFile(dir).load()).toEqual(state);
    expect(readdirSync(dir)).toEqual([WINDOW_STATE_FILE]);
  });

  it('creates the data folder if needed', () => {
    const file = new WindowStateFile(join(dir, 'new', 'folder'));
    file.save(saved({ x: 1, y: 2, width: 900, height: 650 }));
    expect(existsSync(file.file)).toBe(true);
  });

  it('loads a damaged or foreign file as nothing saved', () => {
    const file = new WindowStateFile(dir);
    writeFileSync(file.file, '{"bounds": {"x": 1,');
    expect(file.load()).toBeNull();
    writeFileSync(file.file, JSON.stringify({ bounds: { x: 0, y: 0, width: -5, height: 5 } }));
    expect(file.load()).toBeNull();
    expect(placeWindow(file.load(), [laptop]).bounds).toEqual({
      width: DEFAULT_BOUNDS.width,
      height: DEFAULT_BOUNDS.height,
    });
  });

  it('replaces the previous file whole', () => {
    const file = new WindowStateFile(dir);
    file.save(saved({ x: 1, y: 2, width: 900, height: 650 }));
    file.save(saved({ x: 3, y: 4, width: 1000, height: 700 }));
    expect(JSON.parse(readFileSync(file.file, 'utf8'))).toEqual(saved({ x: 3, y: 4, width: 1000, height: 700 }));
  });
});

/** A BrowserWindow stand-in whose bounds the test moves. */
function fakeWindow() {
  const emitter = new EventEmitter();
  const state = {
    bounds: { x: 100, y: 100, width: 1000, height: 700 },
    normal: { x: 100, y: 100, width: 1000, height: 700 },
    maximized: false,
    minimized: false,
    fullScreen: false,
    destroyed: false,
  };
  const window: TrackedWindow & { emit(event: string): boolean } = {
    on: (event, listener) => emitter.on(event, listener),
    removeListener: (event, listener) => emitter.removeListener(event, listener),
    emit: (event) => emitter.emit(event),
    isDestroyed: () => state.destroyed,
    isMaximized: () => state.maximized,
    isMinimized: () => state.minimized,
    isFullScreen: () => state.fullScreen,
    getBounds: () => ({ ...state.bounds }),
    getNormalBounds: () => ({ ...state.normal }),
  };
  const moveTo = (bounds: Rect) => {
    state.bounds = bounds;
    state.normal = bounds;
  };
  return { window, state, emitter, moveTo };
}

describe('trackWindowState', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves once, a moment after moves and resizes stop', () => {
    const { window, moveTo } = fakeWindow();
    const save = vi.fn();
    trackWindowState(window, { save, delayMs: 500 });
    for (let x = 100; x < 200; x += 10) {
      moveTo({ x, y: 100, width: 1000, height: 700 });
      window.emit('move');
      vi.advanceTimersByTime(100);
    }
    window.emit('resize');
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith({ bounds: { x: 190, y: 100, width: 1000, height: 700 }, maximized: false });
  });

  it('saves at once on close, cancelling the pending save', () => {
    const { window, moveTo } = fakeWindow();
    const save = vi.fn();
    trackWindowState(window, { save });
    moveTo({ x: 300, y: 200, width: 900, height: 600 });
    window.emit('resize');
    window.emit('close');
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith({ bounds: { x: 300, y: 200, width: 900, height: 600 }, maximized: false });
    vi.runAllTimers();
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('keeps the normal bounds of a maximised window, so un-maximising next time returns there', () => {
    const { window, state } = fakeWindow();
    const save = vi.fn();
    trackWindowState(window, { save });
    state.maximized = true;
    state.bounds = { x: 0, y: 25, width: 1440, height: 875 };
    window.emit('maximize');
    vi.runAllTimers();
    expect(save).toHaveBeenLastCalledWith({ bounds: { x: 100, y: 100, width: 1000, height: 700 }, maximized: true });
  });

  it('uses the normal bounds of a minimised or full-screen window', () => {
    const { window, state } = fakeWindow();
    state.minimized = true;
    state.bounds = { x: -32000, y: -32000, width: 160, height: 28 }; // what Windows reports
    expect(currentState(window)).toEqual({ bounds: state.normal, maximized: false });
    state.minimized = false;
    state.fullScreen = true;
    state.bounds = { x: 0, y: 0, width: 1440, height: 900 };
    expect(currentState(window)).toEqual({ bounds: state.normal, maximized: false });
  });

  it('does not write again when nothing changed', () => {
    const { window } = fakeWindow();
    const save = vi.fn();
    trackWindowState(window, { save });
    window.emit('move');
    vi.runAllTimers();
    window.emit('close');
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('skips a destroyed window and reports a failed save without throwing', () => {
    const { window, state } = fakeWindow();
    const onError = vi.fn();
    const save = vi.fn(() => {
      throw new Error('EACCES');
    });
    trackWindowState(window, { save, onError });
    expect(() => window.emit('close')).not.toThrow();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'EACCES' }));
    state.destroyed = true;
    save.mockClear();
    window.emit('move');
    vi.runAllTimers();
    expect(save).not.toHaveBeenCalled();
  });

  it('stops listening and drops a pending save when disposed', () => {
    const { window, emitter } = fakeWindow();
    const save = vi.fn();
    const stop = trackWindowState(window, { save });
    window.emit('resize');
    stop();
    vi.runAllTimers();
    window.emit('close');
    expect(save).not.toHaveBeenCalled();
    expect(emitter.eventNames()).toEqual([]);
  });

  it('round-trips through the file and back into a placement', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-winstate-'));
    try {
      const file = new WindowStateFile(dir);
      const { window, moveTo } = fakeWindow();
      trackWindowState(window, { save: (s) => file.save(s) });
      moveTo({ x: 1600, y: 50, width: 1200, height: 900 });
      window.emit('close');
      expect(placeWindow(file.load(), [laptop, right])).toEqual({
        bounds: { x: 1600, y: 50, width: 1200, height: 900 },
        maximized: false,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
