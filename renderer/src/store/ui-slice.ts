import type { AppInfo, ProfileSettings } from '../../../shared/model';
import { applyTheme } from '../theme';
import type { SliceDefinition } from './slice';
import { DEFAULT_SCREEN, routeFromHash, type ScreenId } from './route';
import { loadViewPrefs, saveViewPrefs, viewStorage, type ViewPrefs } from './view-prefs';

export { routeFromHash, SCREENS, type ScreenId } from './route';

/** `#catalog` → 'catalog': the screen a link or a reload names; null for anything else. */
export function screenFromHash(hash: string): ScreenId | null {
  return routeFromHash(hash)?.screen ?? null;
}

function hashFor(screen: ScreenId, sub: string | null): string {
  return sub ? `#${screen}/${encodeURIComponent(sub)}` : `#${screen}`;
}

export interface UiSlice {
  screen: ScreenId;
  /** The place inside the screen the address names (`#doctor/network.tcp` → 'network.tcp'), or null. */
  sub: string | null;
  /** Which shell and profile we run in (app.info). */
  info: AppInfo | null;
  settings: ProfileSettings | null;
  /**
   * Shows the screen and records it in the address (`#catalog`, `#doctor/network.tcp` with `sub`),
   * so reload and Back keep it.
   */
  navigate: (screen: ScreenId, sub?: string | null) => void;
  /** The menu's Search command asked for the catalogue's search box (the catalogue takes it). */
  searchRequested: boolean;
  /** Says whether a search was requested, and clears the request. */
  takeSearchRequest: () => boolean;
  receiveInfo: (info: AppInfo) => void;
  /** Row density and the catalogue's two-pane mode (remembered in localStorage). */
  view: ViewPrefs;
  setView: (patch: Partial<ViewPrefs>) => void;
  /** Applies settings read at start or pushed by the core (`settings.changed`). */
  receiveSettings: (settings: ProfileSettings) => void;
}

export const uiSlice: SliceDefinition<UiSlice> = {
  create(ctx) {
    const start = routeFromHash(window.location.hash);
    return {
      screen: start?.screen ?? DEFAULT_SCREEN,
      sub: start?.sub ?? null,
      info: null,
      settings: null,
      searchRequested: false,
      view: loadViewPrefs(viewStorage(), window.innerWidth),
      setView(patch) {
        const view = { ...ctx.slice().view, ...patch };
        saveViewPrefs(viewStorage(), view);
        ctx.patch({ view });
      },
      takeSearchRequest() {
        if (!ctx.slice().searchRequested) return false;
        ctx.patch({ searchRequested: false });
        return true;
      },
      navigate(screen, sub = null) {
        const current = ctx.slice();
        if (current.screen !== screen || current.sub !== sub) ctx.patch({ screen, sub });
        const hash = hashFor(screen, sub);
        if (window.location.hash !== hash) window.history.pushState(null, '', hash);
      },
      receiveInfo(info) {
        ctx.patch({ info });
      },
      receiveSettings(settings) {
        applyTheme(settings.theme);
        ctx.patch({ settings });
      },
    };
  },
  connect(ctx) {
    const off = ctx.api.on('settings.changed', (settings) => ctx.slice().receiveSettings(settings));
    // The desktop app's menu and notifications (app.command).
    const offCommand = ctx.api.on('app.command', ({ command }) => {
      const ui = ctx.slice();
      switch (command) {
        case 'search':
          ctx.patch({ searchRequested: true });
          ui.navigate('catalog');
          break;
        case 'doctor':
          ui.navigate('doctor');
          break;
        case 'update-all':
          ui.navigate('installed');
          ctx.get().installed.openUpdateAll();
          break;
        case 'show-installed':
          ui.navigate('installed');
          break;
        case 'show-key':
          ui.navigate('key');
          break;
      }
    });
    // Back/Forward (browser shell) and links typed by hand.
    const follow = () => {
      const route = routeFromHash(window.location.hash);
      const current = ctx.slice();
      if (route && (route.screen !== current.screen || route.sub !== current.sub)) ctx.patch(route);
    };
    window.addEventListener('hashchange', follow);
    window.addEventListener('popstate', follow);
    return () => {
      off();
      offCommand();
      window.removeEventListener('hashchange', follow);
      window.removeEventListener('popstate', follow);
    };
  },
};
