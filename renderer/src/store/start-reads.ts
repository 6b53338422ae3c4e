import type { CatalogList } from '../../../shared/catalog';
import type { AppInfo, KeyStatus, ProfileSettings } from '../../../shared/model';
import type { Api } from '../api/transport';

/**
 * The reads every window starts with, sent by the entry (main.tsx) before the app's own code is
 * loaded, then handed to the slices that would have sent them (`key.hydrate`, `catalog.hydrate`).
 */
export interface StartReads {
  info: Promise<AppInfo>;
  keyStatus: Promise<KeyStatus>;
  settings: Promise<ProfileSettings>;
  /** The catalogue's first screen (`catalog.list { first }`), then the whole list. */
  firstRows: Promise<CatalogList>;
  list: Promise<CatalogList>;
}

/** Rows `firstRows` asks for: more than a tall window shows (compact rows are 52 px). */
export const FIRST_ROWS = 60;

/**
 * Sends them in the order the first paint needs them: what the frame and the language need (tiny)
 * and the catalogue's first screen (small) at once, the whole list (the long one) once the settings
 * and the first screen are answered: the core serialises one answer at a time, and the big one
 * would otherwise keep the small ones waiting. A failure is the slice's to report when it takes the
 * read over, not an unhandled rejection meanwhile.
 */
export function startReads(api: Api): StartReads {
  const settings = api.invoke('settings.get', {});
  const firstRows = api.invoke('catalog.list', { first: FIRST_ROWS });
  const reads: StartReads = {
    info: api.invoke('app.info', {}),
    keyStatus: api.invoke('key.status', {}),
    settings,
    firstRows,
    list: Promise.allSettled([settings, firstRows]).then(() => api.invoke('catalog.list', {})),
  };
  for (const read of Object.values(reads) as Promise<unknown>[]) read.catch(() => undefined);
  return reads;
}
