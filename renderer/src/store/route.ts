/* The app's routes (`#catalog`), apart from the UI slice so that the entry can read them too. */

/** Screens of the app frame. */
export const SCREENS = [
  'key',
  'catalog',
  'entitlements',
  'installed',
  'fleet',
  'planner',
  'doctor',
  'settings',
] as const;
export type ScreenId = (typeof SCREENS)[number];

/** The screen an address without a route opens on. */
export const DEFAULT_SCREEN: ScreenId = 'key';

/**
 * `#catalog` → { screen: 'catalog', sub: null }; `#doctor/network.tcp` → { screen: 'doctor', sub:
 * 'network.tcp' } (a place inside the screen: a doctor check). Null for anything else.
 */
export function routeFromHash(hash: string): { screen: ScreenId; sub: string | null } | null {
  const [id = '', ...rest] = hash.replace(/^#/, '').split('/');
  if (!(SCREENS as readonly string[]).includes(id)) return null;
  let sub: string | null = null;
  try {
    sub = rest.length > 0 ? decodeURIComponent(rest.join('/')) || null : null;
  } catch {
    sub = null;
  }
  return { screen: id as ScreenId, sub };
}
