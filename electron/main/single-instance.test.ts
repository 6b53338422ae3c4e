import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { bringToFront, handleSecondInstance, type FocusableWindow } from './single-instance';

function fakeWindow(state: { minimized?: boolean; destroyed?: boolean } = {}) {
  const calls: string[] = [];
  const window: FocusableWindow = {
    isDestroyed: () => state.destroyed ?? false,
    isMinimized: () => state.minimized ?? false,
    restore: () => void calls.push('restore'),
    show: () => void calls.push('show'),
    focus: () => void calls.push('focus'),
  };
  return { window, calls };
}

/** Electron's `app` as far as this module knows it: an EventEmitter. */
function fakeApp() {
  return new EventEmitter();
}

describe('handleSecondInstance', () => {
  it('restores a minimised window, shows it and focuses it', () => {
    const app = fakeApp();
    const { window, calls } = fakeWindow({ minimized: true });
    handleSecondInstance(app, () => window);
    app.emit('second-instance', {}, ['marketdesk', '--profile', 'other'], '/home/admin');
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });

  it('does not restore a window that is not minimised (a maximised one stays maximised)', () => {
    const app = fakeApp();
    const { window, calls } = fakeWindow();
    handleSecondInstance(app, () => window);
    app.emit('second-instance');
    expect(calls).toEqual(['show', 'focus']);
  });

  it('with no window yet, or one destroyed, touches nothing and asks for a window', () => {
    const app = fakeApp();
    const onNoWindow = vi.fn();
    let current: FocusableWindow | null = null;
    handleSecondInstance(app, () => current, { onNoWindow });
    expect(() => app.emit('second-instance')).not.toThrow();
    expect(onNoWindow).toHaveBeenCalledTimes(1);

    const { window, calls } = fakeWindow({ destroyed: true });
    current = window;
    app.emit('second-instance');
    expect(calls).toEqual([]);
    expect(onNoWindow).toHaveBeenCalledTimes(2);
  });

  it('works without onNoWindow', () => {
    const app = fakeApp();
    handleSecondInstance(app, () => undefined);
    expect(() => app.emit('second-instance')).not.toThrow();
  });

  it('reports a failure instead of throwing into the event loop', () => {
    const app = fakeApp();
    const onError = vi.fn();
    const { window } = fakeWindow();
    window.focus = () => {
      throw new Error('Object has been destroyed');
    };
    handleSecondInstance(app, () => window, { onError });
    expect(() => app.emit('second-instance')).not.toThrow();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'Object has been destroyed' }));
  });

  it('stops listening when disposed', () => {
    const app = fakeApp();
    const { window, calls } = fakeWindow();
    const off = handleSecondInstance(app, () => window);
    off();
    app.emit('second-instance');
    expect(calls).toEqual([]);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});

describe('bringToFront', () => {
  it('says whether there was a window to bring forward', () => {
    expect(bringToFront(null)).toBe(false);
    expect(bringToFront(fakeWindow().window)).toBe(true);
  });
});
