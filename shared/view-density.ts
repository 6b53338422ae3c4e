/**
 * The list density, a choice of the browser profile or desktop window (renderer/src/store/
 * view-prefs.ts keeps it in localStorage), and what the page served before the app needs of it
 * (early-rows.ts: its inline script reads the same key with the same default).
 */
export type Density = 'comfortable' | 'compact';

/**
 * Every catalogue row has the height of its density (px): the virtualizer never measures, so
 * scrolling costs no layout. Compact rows drop the authors/version/downloads line (the details have it).
 */
export const ROW_HEIGHTS = { comfortable: 96, compact: 52 } as const;

/** The localStorage key of the view preferences. */
export const VIEW_PREFS_KEY = 'marketdesk.view';

/** Compact from this window width (px), where admins compare many rows; comfortable below. */
export const COMPACT_MIN_WIDTH = 1024;
