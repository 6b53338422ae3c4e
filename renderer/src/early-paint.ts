import { opensInPopularOrder, type CatalogList, type CatalogListItem } from '../../shared/catalog';
import type { Offer, ProfileSettings } from '../../shared/model';
import { tierOf } from '../../shared/offer-tier';
import { htmlToPlain } from './components/html-text';
import { DEFAULT_SCREEN, routeFromHash } from './store/route';
import { sanitizeView } from './store/saved-view';
import { offerTitle, tierClass, tierRef } from './store/tier-style';
import { ROW_HEIGHTS, type Density } from './store/view-prefs';

/**
 * The catalogue's first rows painted by the entry as plain DOM while the app's code loads: the
 * same classes as the real list (its styles are linked by index.html), real data, no behaviour.
 * The frame is `inert` and `aria-busy`, its rows have their own test id (`catalog-row-early`), and
 * React's first render on #root replaces it.
 */

/** The test id of an early row: never `catalog-row`, which names the rows one can use. */
export const EARLY_ROW_TESTID = 'catalog-row-early';

/**
 * Whether the first screen may show before the app: the address opens the catalogue's list (not a
 * plugin's details), and the saved view lists the plugins in the opening order with no search, tag
 * or filter — the catalogue slice's rule for showing the first screen (`previewing`).
 */
export function paintsEarly(hash: string, settings: Pick<ProfileSettings, 'catalogView'>, first: CatalogList): boolean {
  const route = routeFromHash(hash);
  return (
    (route?.screen ?? DEFAULT_SCREEN) === 'catalog' &&
    !route?.sub &&
    first.blocked === null &&
    first.plugins.length > 0 &&
    opensInPopularOrder(sanitizeView(settings.catalogView))
  );
}

/**
 * Paints the rows that fit in `height` px into `root`, when it is still empty (the app has not
 * rendered). Every text goes through textContent. Returns whether it painted.
 */
export function paintEarlyRows(root: HTMLElement, first: CatalogList, density: Density, height: number): boolean {
  if (root.childElementCount > 0) return false;
  const rowHeight = ROW_HEIGHTS[density];
  const count = Math.min(first.plugins.length, Math.ceil(height / rowHeight) + 1);
  const inner = el('div', 'catalog-list__inner');
  inner.style.height = `${count * rowHeight}px`;
  first.plugins.slice(0, count).forEach((plugin, i) => {
    inner.append(row(plugin, tierOf(plugin, first.offers), i * rowHeight, rowHeight));
  });
  const list = el('div', 'catalog-list box scroll-box');
  list.append(inner);
  const body = el('div', 'catalog-body');
  body.append(list);
  const screen = el('div', 'catalog-screen');
  screen.append(body);
  const main = el('main', 'app-main app-main--catalog');
  main.append(screen);
  const frame = el('div', `app app--${density}`);
  frame.dataset.testid = 'catalog-early';
  frame.setAttribute('aria-busy', 'true');
  frame.setAttribute('inert', '');
  frame.append(el('header', 'app-header'), el('nav', 'app-nav'), main);
  root.append(frame);
  return true;
}

function row(plugin: CatalogListItem, tier: Offer | null, top: number, height: number): HTMLElement {
  const name = el('span', 'catalog-row__name', plugin.name);
  const title = el('p', 'catalog-row__title');
  title.append(name, ' ', el('code', 'catalog-row__key', plugin.key));
  const raw = plugin.summary;
  // As the real row: some authors write HTML even in the short description; its text shows.
  const description = el('p', 'catalog-row__description', /[<&]/.test(raw) ? htmlToPlain(raw) : raw);
  const main = el('div', 'catalog-row__main');
  main.append(title, description);
  const side = el('div', 'catalog-row__side');
  // "Free" is a word of the UI's catalogue, not of the data: only the paid tiers are named here.
  if (tier) {
    const badges = el('p', 'catalog-row__badges');
    const badge = el('span', `tier-badge ${tierClass(tier)}`, offerTitle(tier));
    badge.dataset.tier = tierRef(tier);
    badges.append(badge);
    side.append(badges);
  }
  const logo = el('span', 'plugin-logo plugin-logo--initials');
  logo.setAttribute('aria-hidden', 'true');
  const node = el('div', 'catalog-row');
  node.dataset.testid = EARLY_ROW_TESTID;
  node.dataset.key = plugin.key;
  node.style.transform = `translateY(${top}px)`;
  node.style.height = `${height}px`;
  node.append(logo, main, side);
  return node;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
