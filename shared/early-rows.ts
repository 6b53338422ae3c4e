import { opensInPopularOrder, type CatalogList, type CatalogListItem } from './catalog';
import { htmlToPlain } from './html-text';
import type { ProfileSettings } from './model';
import { offerTitle, tierClass, tierOf, tierRef } from './offer-tier';
import { sanitizeView } from './saved-view';
import { EARLY_STYLE } from './early-style';
import { COMPACT_MIN_WIDTH, VIEW_PREFS_KEY } from './view-density';

/**
 * The catalogue's first screen as inert markup, shown before the app's code ran: by the browser
 * shell inside the page it serves (in #root, styled by EARLY_STYLE before the app's stylesheet
 * arrives and shown on #catalog only: see EARLY_SCRIPT), and by the entry
 * (renderer/src/early-paint.ts) once its first read answered, when the page came without it. One
 * function writes it for both, so the two cannot drift. The same classes as the app (`.catalog-early`
 * in early.css stacks the rows and keeps the space of the screen's head so nothing moves when the
 * app replaces the frame), real data, every text escaped, no style attribute (the CSP allows none),
 * no behaviour: the frame is `inert` and `aria-busy`, its rows have their own test id, and React's
 * first render on #root replaces it.
 */

/** The test id of an early row: never `catalog-row`, which names the rows one can use. */
export const EARLY_ROW_TESTID = 'catalog-row-early';

/** Rows the served page carries: more than the tallest list box shows (compact rows are 52 px). */
export const SERVED_ROWS = 30;

/**
 * Whether the saved view and the list allow the first screen (the route aside): the view lists
 * the plugins in the opening order with no search, tag or filter (the catalogue slice's rule for
 * showing the first screen, `previewing`), and there are rows.
 */
export function showsFirstScreen(settings: Pick<ProfileSettings, 'catalogView'>, first: CatalogList): boolean {
  return first.blocked === null && first.plugins.length > 0 && opensInPopularOrder(sanitizeView(settings.catalogView));
}

/**
 * The frame with the first `count` rows. Density, route and theme are the page's: the served page
 * has them from EARLY_SCRIPT and withEarlyFrame, the entry's paint from its own code.
 */
export function earlyFrameHtml(first: CatalogList, count: number): string {
  const rows = first.plugins
    .slice(0, count)
    .map((plugin) => rowHtml(plugin, first))
    .join('');
  return (
    '<div class="app catalog-early" data-testid="catalog-early" aria-busy="true" inert>' +
    '<header class="app-header"><p class="app-header__brand">Marketdesk</p></header>' +
    '<nav class="app-nav"></nav>' +
    '<main class="app-main app-main--catalog"><div class="catalog-screen">' +
    `<div class="catalog-early__head${hasTagRow(first) ? ' catalog-early__head--tags' : ''}"></div>` +
    '<div class="catalog-body"><div class="catalog-list box scroll-box">' +
    `<div class="catalog-list__inner">${rows}</div>` +
    '</div></div></div></main></div>'
  );
}

/**
 * Whether the app's first screen shows the tag row (components/tag-filter.tsx: when the list has
 * tags), whose space the frame's head then keeps too: in compact density the row is one line (no
 * chips before "Show all"); in comfortable its chips wrap as their labels make them, so the frame
 * keeps no room for them and the app's first render moves the (inert) rows down once.
 */
function hasTagRow(first: CatalogList): boolean {
  return first.tags.length > 0 || Object.keys(first.tagCounts ?? {}).length > 0;
}

function rowHtml(plugin: CatalogListItem, first: CatalogList): string {
  const raw = plugin.summary;
  // As the real row: some authors write HTML even in the short description; its text shows.
  const description = /[<&]/.test(raw) ? htmlToPlain(raw) : raw;
  const tier = tierOf(plugin, first.offers);
  // "Free" is a word of the UI's catalogue, not of the data: only the paid tiers are named here.
  const badge = tier
    ? `<div class="catalog-row__side"><p class="catalog-row__badges"><span class="tier-badge ${attr(tierClass(tier))}" data-tier="${attr(tierRef(tier))}">${text(offerTitle(tier))}</span></p></div>`
    : '<div class="catalog-row__side"></div>';
  return (
    `<div class="catalog-row" data-testid="${EARLY_ROW_TESTID}" data-key="${attr(plugin.key)}">` +
    '<span class="plugin-logo plugin-logo--initials" aria-hidden="true"></span>' +
    '<div class="catalog-row__main">' +
    `<p class="catalog-row__title"><span class="catalog-row__name">${text(plugin.name)}</span> <code class="catalog-row__key">${text(plugin.key)}</code></p>` +
    `<p class="catalog-row__description">${text(description)}</p>` +
    `</div>${badge}</div>`
  );
}

/** Text content: `&` and `<` (and `>`) can no longer start markup or an entity. */
function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A double-quoted attribute value. */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;');
}

/** The <template> in which the served page keeps the app's own tags until the frame is painted. */
export const APP_START_ID = 'app-start';
/** When the app starts even if no frame came (a browser that renders none for a page it shows). */
export const START_AT_LATEST_MS = 1000;

/**
 * The served first screen's inline script, classic, at the end of <head> (before the frame and
 * any file; a page answered to the printed token address also starts with the shell's
 * FORGET_TOKEN_SCRIPT), allowed by its hash in the CSP (`EARLY_SCRIPT_HASH`).
 * - On `#catalog` (as route.ts reads it; the server never sees the hash) it marks <html> with
 *   `data-early`, the density the app will use (view-prefs.ts: the saved one, else compact from
 *   COMPACT_MIN_WIDTH), and EARLY_STYLE shows the frame in it.
 * - It starts the app, whose tags withEarlyFrame moved into the #app-start template: on `#catalog`
 *   once the frame is painted (the frame after the parse, in a visible page; START_AT_LATEST_MS
 *   after the parse at the latest), else as soon as the page is parsed. Fetched and compiled with
 *   the page, the app's code held the first frame by 20-30 ms. The stylesheets and module preloads
 *   go first, the scripts once the stylesheets have loaded (or failed), so the app never renders
 *   unstyled.
 */
export const EARLY_SCRIPT =
  '(function () {' +
  'var catalog = /^#catalog\\/?$/.test(location.hash);' +
  'if (catalog) {' +
  'var d;' +
  `try { d = JSON.parse(localStorage.getItem(${JSON.stringify(VIEW_PREFS_KEY)})).density; } catch (e) {}` +
  `if (d !== "compact" && d !== "comfortable") d = innerWidth >= ${COMPACT_MIN_WIDTH} ? "compact" : "comfortable";` +
  'document.documentElement.setAttribute("data-early", d);' +
  '}' +
  'function start() {' +
  `var t = document.getElementById("${APP_START_ID}");` +
  'if (!t) return;' +
  't.remove();' +
  'var sheets = [], scripts = [];' +
  '[].forEach.call(t.content.children, function (n) {' +
  'var e = document.createElement(n.localName);' +
  '[].forEach.call(n.attributes, function (a) { e.setAttribute(a.name, a.value); });' +
  'if (n.localName === "script") return void scripts.push(e);' +
  'if (e.rel === "stylesheet") sheets.push(new Promise(function (done) { e.onload = e.onerror = done; }));' +
  'document.head.appendChild(e);' +
  '});' +
  'Promise.all(sheets).then(function () { scripts.forEach(function (e) { document.head.appendChild(e); }); });' +
  '}' +
  'document.addEventListener("DOMContentLoaded", function () {' +
  'if (!catalog || document.visibilityState !== "visible") return start();' +
  'requestAnimationFrame(function () { setTimeout(start); });' +
  `setTimeout(start, ${START_AT_LATEST_MS});` +
  '});' +
  '})();';

/** The app's tags as the renderer's build writes them in <head>: entry, module preloads, stylesheets. */
const APP_TAGS = /<script type="module"[^>]*><\/script>\s*|<link rel="(?:modulepreload|stylesheet)"[^>]*>\s*/g;

/**
 * index.html with the first screen painted before the app's stylesheet and code are even asked
 * for: the settings' theme on <html> when it is not the system's (as theme.ts puts it), EARLY_STYLE
 * and EARLY_SCRIPT at the end of <head>, which then holds none of the app's tags (a stylesheet there
 * holds every paint; its code, fetched and compiled with the page, held the first frame), the frame
 * in #root (React's first render replaces it), then the app's tags, inert in the #app-start
 * template until EARLY_SCRIPT starts them. Unchanged without a frame, a <head> or a #root.
 */
export function withEarlyFrame(
  indexHtml: string,
  frame: string | null,
  theme: ProfileSettings['theme'] = 'system',
): string {
  const root = '<div id="root"></div>';
  const headEnd = indexHtml.indexOf('</head>');
  if (frame === null || headEnd < 0 || !indexHtml.includes(root, headEnd)) return indexHtml;
  const head = indexHtml.slice(0, headEnd);
  const tags = (head.match(APP_TAGS) ?? []).map((tag) => tag.trim()).join('');
  const themed = theme === 'light' || theme === 'dark' ? head.replace(/<html\b/, `<html data-theme="${theme}"`) : head;
  return (
    `${themed.replace(APP_TAGS, '')}<style>${EARLY_STYLE}</style><script>${EARLY_SCRIPT}</script>` +
    indexHtml
      .slice(headEnd)
      .replace(root, () => `<div id="root">${frame}</div><template id="${APP_START_ID}">${tags}</template>`)
  );
}
