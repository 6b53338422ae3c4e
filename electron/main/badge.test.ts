import { describe, expect, it, vi } from 'vitest';
import {
  applyBadge,
  BadgeController,
  badgeCalls,
  overlayBitmap,
  OVERLAY_SIZE,
  type BadgeApp,
  type OverlayWindow,
} from './badge';

/** Electron's app on each platform: the dock on macOS, setBadgeCount on macOS and Linux. */
function fakeApp(platform: 'darwin' | 'linux' | 'win32') {
  const calls: string[] = [];
  const app: BadgeApp = {
    ...(platform === 'darwin' ? { dock: { setBadge: (text: string) => void calls.push(`dock:${text}`) } } : {}),
    setBadgeCount: (count?: number) => {
      calls.push(`count:${count}`);
      return platform !== 'win32';
    },
  };
  return { app, calls };
}

function fakeWindow() {
  const calls: [string | null, string][] = [];
  const window: OverlayWindow<string> & { destroyed: boolean } = {
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    setOverlayIcon: (icon, description) => void calls.push([icon, description]),
  };
  return { window, calls };
}

describe('badgeCalls', () => {
  it('macOS: the Dock badge, cleared with an empty text', () => {
    expect(badgeCalls(3, 'darwin')).toEqual([{ call: 'dock.setBadge', text: '3' }]);
    expect(badgeCalls(0, 'darwin')).toEqual([{ call: 'dock.setBadge', text: '' }]);
  });

  it('Linux: the launcher count', () => {
    expect(badgeCalls(12, 'linux')).toEqual([{ call: 'setBadgeCount', count: 12 }]);
    expect(badgeCalls(0, 'linux')).toEqual([{ call: 'setBadgeCount', count: 0 }]);
  });

  it('Windows: the taskbar overlay with a description, removed at 0', () => {
    expect(badgeCalls(1, 'win32')).toEqual([
      { call: 'setOverlayIcon', count: 1, description: '1 plugin update available' },
    ]);
    expect(badgeCalls(4, 'win32')[0]).toMatchObject({ description: '4 plugin updates available' });
    expect(badgeCalls(0, 'win32')).toEqual([{ call: 'setOverlayIcon', count: 0, description: '' }]);
  });

  it('takes a nonsense count as 0, and calls nothing on other systems', () => {
    expect(badgeCalls(-2, 'linux')).toEqual([{ call: 'setBadgeCount', count: 0 }]);
    expect(badgeCalls(Number.NaN, 'darwin')).toEqual([{ call: 'dock.setBadge', text: '' }]);
    expect(badgeCalls(2.7, 'linux')).toEqual([{ call: 'setBadgeCount', count: 2 }]);
    expect(badgeCalls(3, 'aix')).toEqual([]);
  });
});

describe('applyBadge', () => {
  it('calls the dock on macOS, setBadgeCount on Linux', () => {
    const mac = fakeApp('darwin');
    expect(applyBadge(badgeCalls(5, 'darwin'), { app: mac.app, window: null, overlayIcon: String })).toBe(true);
    expect(mac.calls).toEqual(['dock:5']);
    const linux = fakeApp('linux');
    expect(applyBadge(badgeCalls(5, 'linux'), { app: linux.app, window: null, overlayIcon: String })).toBe(true);
    expect(linux.calls).toEqual(['count:5']);
  });

  it('sets and removes the overlay on the window on Windows', () => {
    const win = fakeApp('win32');
    const { window, calls } = fakeWindow();
    const overlayIcon = vi.fn((n: number) => `icon-${n}`);
    applyBadge(badgeCalls(2, 'win32'), { app: win.app, window, overlayIcon });
    applyBadge(badgeCalls(0, 'win32'), { app: win.app, window, overlayIcon });
    expect(calls).toEqual([
      ['icon-2', '2 plugin updates available'],
      [null, ''],
    ]);
    expect(overlayIcon).toHaveBeenCalledTimes(1);
    expect(win.calls).toEqual([]);
  });

  it('says when it could not (no window yet, no dock)', () => {
    expect(applyBadge(badgeCalls(2, 'win32'), { app: {}, window: null, overlayIcon: String })).toBe(false);
    const { window } = fakeWindow();
    window.destroyed = true;
    expect(applyBadge(badgeCalls(2, 'win32'), { app: {}, window, overlayIcon: String })).toBe(false);
    expect(applyBadge(badgeCalls(2, 'darwin'), { app: {}, window: null, overlayIcon: String })).toBe(false);
  });
});

describe('BadgeController', () => {
  it('calls the OS only when the count changes', () => {
    const { app, calls } = fakeApp('linux');
    const badge = new BadgeController('linux', () => ({ app, window: null, overlayIcon: String }));
    badge.set(2);
    badge.set(2);
    badge.set(0);
    badge.set(0);
    expect(calls).toEqual(['count:2', 'count:0']);
  });

  it('on Windows, shows the count once a window exists', () => {
    const { app } = fakeApp('win32');
    let current: OverlayWindow<string> | null = null;
    const badge = new BadgeController('win32', () => ({ app, window: current, overlayIcon: (n) => `icon-${n}` }));
    badge.set(3);
    const { window, calls } = fakeWindow();
    current = window;
    badge.set(3); // not shown yet: tried again
    expect(calls).toEqual([['icon-3', '3 plugin updates available']]);
    badge.refresh(); // a new window
    expect(calls).toHaveLength(2);
  });

  it('reports a failure and tries again next time', () => {
    const onError = vi.fn();
    let fail = true;
    const setBadgeCount = vi.fn(() => {
      if (fail) throw new Error('D-Bus');
      return true;
    });
    const badge = new BadgeController(
      'linux',
      () => ({ app: { setBadgeCount }, window: null, overlayIcon: String }),
      onError,
    );
    expect(() => badge.set(1)).not.toThrow();
    expect(onError).toHaveBeenCalled();
    fail = false;
    badge.set(1);
    expect(setBadgeCount).toHaveBeenCalledTimes(2);
  });
});

describe('overlayBitmap', () => {
  const pixel = (data: Buffer, x: number, y: number) => [...data.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4)];
  const white = [0xff, 0xff, 0xff, 0xff];
  const transparent = [0, 0, 0, 0];

  it('is 16×16 BGRA: transparent corners, a red disc', () => {
    const { width, height, data } = overlayBitmap(1);
    expect([width, height, data.length]).toEqual([OVERLAY_SIZE, OVERLAY_SIZE, 16 * 16 * 4]);
    expect(pixel(data, 0, 0)).toEqual(transparent);
    expect(pixel(data, 15, 15)).toEqual(transparent);
    expect(pixel(data, 8, 1)).toEqual([0x2f, 0x2f, 0xd3, 0xff]);
  });

  it('draws the digit in white, and 9+ above nine', () => {
    const one = overlayBitmap(1).data;
    const eight = overlayBitmap(8).data;
    expect(one.equals(eight)).toBe(false);
    // "8" at scale 2 is a 6×10 block from (5,3): its top row is white.
    expect(pixel(eight, 5, 3)).toEqual(white);
    expect(pixel(eight, 10, 3)).toEqual(white);
    expect(overlayBitmap(10).data.equals(overlayBitmap(250).data)).toBe(true);
    expect(overlayBitmap(10).data.equals(overlayBitmap(9).data)).toBe(false);
  });
});
