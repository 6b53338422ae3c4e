/**
 * The update count on the app's icon: the Dock badge on macOS, the launcher badge on Linux (docks
 * and taskbars that implement the Unity LauncherEntry API), and a taskbar overlay icon on Windows
 * (which has no badge API; the overlay carries the count as a small picture and a description for
 * screen readers).
 */

export type BadgeCall =
  | { call: 'dock.setBadge'; text: string }
  | { call: 'setBadgeCount'; count: number }
  | { call: 'setOverlayIcon'; count: number; description: string };

/** What to call to show `count` on `platform` (0 clears the badge). */
export function badgeCalls(count: number, platform: NodeJS.Platform): BadgeCall[] {
  const n = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0;
  switch (platform) {
    case 'darwin':
      return [{ call: 'dock.setBadge', text: n > 0 ? String(n) : '' }];
    case 'win32':
      return [{ call: 'setOverlayIcon', count: n, description: n > 0 ? updatesLabel(n) : '' }];
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return [{ call: 'setBadgeCount', count: n }];
    default:
      return [];
  }
}

export function updatesLabel(count: number): string {
  return count === 1 ? '1 plugin update available' : `${count} plugin updates available`;
}

/** The part of Electron's `app` the badge uses (dock exists on macOS only). */
export interface BadgeApp {
  dock?: { setBadge(text: string): void } | undefined;
  setBadgeCount?(count?: number): boolean;
}

/** The part of a BrowserWindow the Windows overlay is set on. */
export interface OverlayWindow<Icon> {
  isDestroyed(): boolean;
  setOverlayIcon(overlay: Icon | null, description: string): void;
}

export interface BadgeTarget<Icon> {
  app: BadgeApp;
  window: OverlayWindow<Icon> | null | undefined;
  /** The overlay picture for a count (Electron: nativeImage.createFromBitmap(overlayBitmap(n)...)). */
  overlayIcon(count: number): Icon;
}

/** Makes the calls; returns false when one could not be made (no window yet on Windows). */
export function applyBadge<Icon>(calls: readonly BadgeCall[], target: BadgeTarget<Icon>): boolean {
  let done = true;
  for (const c of calls) {
    if (c.call === 'dock.setBadge') {
      if (target.app.dock) target.app.dock.setBadge(c.text);
      else done = false;
    } else if (c.call === 'setBadgeCount') {
      if (target.app.setBadgeCount) target.app.setBadgeCount(c.count);
      else done = false;
    } else {
      const window = target.window;
      if (!window || window.isDestroyed()) done = false;
      else window.setOverlayIcon(c.count > 0 ? target.overlayIcon(c.count) : null, c.description);
    }
  }
  return done;
}

/**
 * Keeps the badge in step with the update count: calls the OS only when the count changed, or when
 * the last attempt could not be made (Windows: the overlay belongs to a window, so `refresh()`
 * after a window is created shows it there).
 */
export class BadgeController<Icon> {
  private shown: number | null = null;
  private count = 0;

  constructor(
    private readonly platform: NodeJS.Platform,
    private readonly target: () => BadgeTarget<Icon>,
    private readonly onError?: (err: unknown) => void,
  ) {}

  set(count: number): void {
    this.count = count;
    if (count !== this.shown) this.refresh();
  }

  /** Shows the current count again (a new window). */
  refresh(): void {
    try {
      this.shown = applyBadge(badgeCalls(this.count, this.platform), this.target()) ? this.count : null;
    } catch (err) {
      this.shown = null;
      this.onError?.(err);
    }
  }
}

// A 3×5 pixel font for the overlay's digits and "+".
const GLYPHS: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '001', '010', '010'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '+': ['000', '010', '111', '010', '000'],
};

export const OVERLAY_SIZE = 16;
const RED = { b: 0x2f, g: 0x2f, r: 0xd3 };

/**
 * The Windows overlay (16×16, the size the taskbar draws): a red disc with the count in white,
 * "9+" above nine. Raw BGRA pixels, for `nativeImage.createFromBitmap(data, { width, height })`.
 */
export function overlayBitmap(count: number): { width: number; height: number; data: Buffer } {
  const size = OVERLAY_SIZE;
  const data = Buffer.alloc(size * size * 4);
  const put = (x: number, y: number, c: { b: number; g: number; r: number }) => {
    const i = (y * size + x) * 4;
    data[i] = c.b;
    data[i + 1] = c.g;
    data[i + 2] = c.r;
    data[i + 3] = 0xff;
  };
  const centre = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if ((x + 0.5 - centre) ** 2 + (y + 0.5 - centre) ** 2 <= centre ** 2) put(x, y, RED);
    }
  }
  const text = count > 9 ? '9+' : String(Math.max(0, Math.floor(count)));
  const scale = text.length === 1 ? 2 : 1;
  const width = text.length * 3 * scale + (text.length - 1) * scale;
  const height = 5 * scale;
  const left = Math.floor((size - width) / 2);
  const top = Math.floor((size - height) / 2);
  [...text].forEach((ch, k) => {
    const glyph = GLYPHS[ch] ?? [];
    glyph.forEach((row, gy) => {
      [...row].forEach((bit, gx) => {
        if (bit !== '1') return;
        for (let sy = 0; sy < scale; sy++)
          for (let sx = 0; sx < scale; sx++)
            put(left + (k * 4 + gx) * scale + sx, top + gy * scale + sy, { b: 0xff, g: 0xff, r: 0xff });
      });
    });
  });
  return { width: size, height: size, data };
}
