import type { AppInfo, ProfileSettings } from '../../../shared/model';
import type { SliceDefinition } from './slice';

/** Screens of the app frame. Doctor and Settings come later. */
export const SCREENS = ['key', 'catalog', 'entitlements', 'installed'] as const;
export type ScreenId = (typeof SCREENS)[number];

/** `#catalog` → 'catalog': the screen a link or a reload names; null for anything else. */
export function screenFromHash(hash: string): ScreenId | null {
  const id = hash.replace(/^#/, '');
  return (SCREENS as readonly string[]).includes(id) ? (id as ScreenId) : null;
}

export interface UiSlice {
  screen: ScreenId;
  /** Which shell and profile we run in (app.info). */
  info: AppInfo | null;
  settings: ProfileSettings | null;
  /** Shows the screen and records it in the address (`#catalog`), so reload and Back keep it. */
  navigate: (screen: ScreenId) => void;
  receiveInfo: (info: AppInfo) => void;
  /** Applies settings read at start or pushed by the core (`settings.changed`). */
  receiveSettings: (settings: ProfileSettings) => void;
}

export const uiSlice: SliceDefinition<UiSlice> = {
  create(ctx) {
    return {
      screen: screenFromHash(window.location.hash) ?? 'key',
      info: null,
      settings: null,
      navigate(screen) {
        if (ctx.slice().screen !== screen) ctx.patch({ screen });
        if (screenFromHash(window.location.hash) !== screen) window.history.pushState(null, '', `#${screen}`);
      },
      receiveInfo(info) {
        ctx.patch({ info });
      },
      receiveSettings(settings) {
        ctx.patch({ settings });
      },
    };
  },
  connect(ctx) {
    const off = ctx.api.on('settings.changed', (settings) => ctx.slice().receiveSettings(settings));
    // Back/Forward (browser shell) and links typed by hand.
    const follow = () => {
      const screen = screenFromHash(window.location.hash);
      if (screen && screen !== ctx.slice().screen) ctx.patch({ screen });
    };
    window.addEventListener('hashchange', follow);
    window.addEventListener('popstate', follow);
    return () => {
      off();
      window.removeEventListener('hashchange', follow);
      window.removeEventListener('popstate', follow);
    };
  },
};
