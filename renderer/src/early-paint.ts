import type { CatalogList } from '../../shared/catalog';
import { earlyFrameHtml, showsFirstScreen } from '../../shared/early-rows';
import type { ProfileSettings } from '../../shared/model';
import { ROW_HEIGHTS, type Density } from '../../shared/view-density';
import { DEFAULT_SCREEN, routeFromHash } from './store/route';

/**
 * The catalogue's first rows painted by the entry while the app's code loads, when the page did
 * not come with them (the browser shell serves them inside index.html: shared/early-rows.ts; the
 * Electron window loads app://marketdesk without them). The same markup as the served page.
 */

/**
 * Whether the first screen may show before the app: the address opens the catalogue's list (not a
 * plugin's details), and the saved view and the list allow it (`showsFirstScreen`).
 */
export function paintsEarly(hash: string, settings: Pick<ProfileSettings, 'catalogView'>, first: CatalogList): boolean {
  const route = routeFromHash(hash);
  return (route?.screen ?? DEFAULT_SCREEN) === 'catalog' && !route?.sub && showsFirstScreen(settings, first);
}

/**
 * Paints the rows that fit in `height` px into `root`, when it is still empty (neither the served
 * frame nor the app is there). Returns whether it painted.
 */
export function paintEarlyRows(root: HTMLElement, first: CatalogList, density: Density, height: number): boolean {
  if (root.childElementCount > 0) return false;
  const template = document.createElement('template');
  // Escaped by earlyFrameHtml: every text of the data is text here too.
  template.innerHTML = earlyFrameHtml(first, Math.ceil(height / ROW_HEIGHTS[density]) + 1);
  const frame = template.content.firstElementChild;
  if (!frame) return false;
  frame.classList.add(`app--${density}`);
  root.append(frame);
  return true;
}
