import { COMPACT_MIN_WIDTH, VIEW_PREFS_KEY, type Density } from '../../../shared/view-density';

/**
 * How the lists are shown, a choice of this browser profile or desktop window rather than of the
 * Marketdesk profile: kept in localStorage (nothing secret, nothing the core needs).
 */

export interface ViewPrefs {
  /** Row height and header chrome of the catalogue and the Installed table. */
  density: Density;
  /** The catalogue's details beside the list (as VS Code's extensions view) instead of over it. */
  twoPane: boolean;
  /**
   * The Installed screen's list with the selected plugin's details beside it, instead of the table.
   * Its own choice: the table is the overview of every plugin's version and update at a glance,
   * which choosing two panes to browse the catalogue should not take away.
   */
  installedTwoPane: boolean;
}

/** The preferences a "Details beside the list" toggle can set. */
export type PaneChoice = 'twoPane' | 'installedTwoPane';

/** Compact at desktop widths, where admins compare many rows; comfortable on narrow windows. */
export function defaultViewPrefs(width: number): ViewPrefs {
  return { density: width >= COMPACT_MIN_WIDTH ? 'compact' : 'comfortable', twoPane: false, installedTwoPane: false };
}

/** The saved choices over the defaults; anything unreadable falls back to the defaults. */
export function loadViewPrefs(storage: Pick<Storage, 'getItem'> | null, width: number): ViewPrefs {
  const prefs = defaultViewPrefs(width);
  try {
    const saved: unknown = JSON.parse(storage?.getItem(VIEW_PREFS_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return prefs;
    const { density, twoPane, installedTwoPane } = saved as Record<string, unknown>;
    if (density === 'compact' || density === 'comfortable') prefs.density = density;
    if (typeof twoPane === 'boolean') prefs.twoPane = twoPane;
    if (typeof installedTwoPane === 'boolean') prefs.installedTwoPane = installedTwoPane;
  } catch {
    // Storage refused (privacy mode) or a hand-edited value: the defaults.
  }
  return prefs;
}

export function saveViewPrefs(storage: Pick<Storage, 'setItem'> | null, prefs: ViewPrefs): void {
  try {
    storage?.setItem(VIEW_PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Not kept: the choice still applies until the window closes.
  }
}

/** localStorage when the page may use it. */
export function viewStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
