import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_VIEW, type CatalogList, type CatalogListItem } from '../../shared/catalog';
import {
  EARLY_ROW_TESTID,
  EARLY_SCRIPT,
  SERVED_ROWS,
  earlyFrameHtml,
  showsFirstScreen,
  withEarlyFrame,
} from '../../shared/early-rows';
import { EARLY_STYLE } from '../../shared/early-style';
import { VIEW_PREFS_KEY } from '../../shared/view-density';

const ADVANCED = { reference: 'advanced', title: 'GLPI Network Advanced' };
/** index.html as the renderer's build writes it (vite.renderer.config.ts). */
const INDEX =
  '<!doctype html><html lang="en"><head><title>Marketdesk</title>' +
  '<script type="module" crossorigin src="./assets/index-a.js"></script>' +
  '<link rel="modulepreload" crossorigin href="./assets/app-main-b.js">\n' +
  '    <link rel="stylesheet" crossorigin href="./assets/app-main-c.css">\n' +
  '  </head><body><div id="root"></div></body></html>';
const APP_CSS = '<link rel="stylesheet" crossorigin href="./assets/app-main-c.css">';

function item(key: string, overrides: Partial<CatalogListItem> = {}): CatalogListItem {
  return { key, name: `Plugin ${key}`, summary: `About ${key}`, requiredOffers: null, ...overrides } as CatalogListItem;
}

function list(plugins: CatalogListItem[], blocked: CatalogList['blocked'] = null): CatalogList {
  return { blocked, offers: [ADVANCED], plugins, language: 'en', tags: [] } as unknown as CatalogList;
}

/** The markup as the browser parses it. */
function parse(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Loads a served page into this document and runs its inline script, as a browser would. */
function servePage(html: string, hash: string): void {
  const served = new DOMParser().parseFromString(html, 'text/html').documentElement;
  const page = document.documentElement;
  for (const name of page.getAttributeNames()) page.removeAttribute(name);
  for (const name of served.getAttributeNames()) page.setAttribute(name, served.getAttribute(name) ?? '');
  page.innerHTML = served.innerHTML;
  window.location.hash = hash;
  const script = document.querySelector('script:not([src])');
  // The page's own inline script, run as the browser would (jsdom does not run parsed scripts).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call
  if (script) new Function(script.textContent ?? '')();
}

afterEach(() => {
  window.location.hash = '';
  window.localStorage.clear();
  for (const name of document.documentElement.getAttributeNames()) document.documentElement.removeAttribute(name);
});

describe('earlyFrameHtml', () => {
  it('writes the first rows with their data in an inert, busy frame with the header skeleton', () => {
    const plugins = [item('alpha'), item('gated', { requiredOffers: ['advanced'] }), item('gamma')];
    const frame = parse(earlyFrameHtml(list(plugins), 2)).firstElementChild as HTMLElement;
    expect(frame.dataset.testid).toBe('catalog-early');
    expect(frame.getAttribute('aria-busy')).toBe('true');
    expect(frame.hasAttribute('inert')).toBe(true);
    expect(frame.querySelector('.app-header')).not.toBeNull();
    expect(frame.querySelector('.catalog-early__head')).not.toBeNull();
    const rows = [...frame.querySelectorAll<HTMLElement>(`[data-testid="${EARLY_ROW_TESTID}"]`)];
    expect(rows.map((r) => r.dataset.key)).toEqual(['alpha', 'gated']);
    expect(rows[0]?.querySelector('.catalog-row__name')?.textContent).toBe('Plugin alpha');
    expect(rows[0]?.querySelector('.catalog-row__description')?.textContent).toBe('About alpha');
    expect(rows[0]?.querySelector('.tier-badge')).toBeNull();
    expect(rows[1]?.querySelector('.tier-badge')?.textContent).toBe('Advanced');
    expect(rows[1]?.querySelector('.tier-badge')?.className).toBe('tier-badge tier-badge--advanced');
    expect(frame.querySelectorAll('[data-testid="catalog-row"], [style]')).toHaveLength(0);
  });

  it('keeps hostile names, keys, summaries and offers as text', () => {
    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    const attribute = '"><img src=x onerror=alert(1)>';
    const first = {
      ...list([item('evil', { name: hostile, summary: 'Safe <b>bold</b> &amp; more', requiredOffers: [attribute] })]),
      offers: [{ reference: attribute, title: `${hostile} &lt;` }],
    };
    const html = earlyFrameHtml(first, 1);
    expect(html).not.toMatch(/<img|<script|<b>/i);
    const row = parse(html).querySelector<HTMLElement>(`[data-testid="${EARLY_ROW_TESTID}"]`);
    expect(row?.querySelectorAll('img, script, b')).toHaveLength(0);
    expect(row?.querySelector('.catalog-row__name')?.textContent).toBe(hostile);
    expect(row?.querySelector('.catalog-row__description')?.textContent).toBe('Safe bold & more');
    expect(row?.querySelector('.tier-badge')?.textContent).toBe(`${hostile} &lt;`);
    expect((row?.querySelector('.tier-badge') as HTMLElement).dataset.tier).toBe(attribute);
  });
});

describe('showsFirstScreen', () => {
  it('needs rows, a key and the opening view', () => {
    const first = list([item('alpha')]);
    expect(showsFirstScreen({ catalogView: DEFAULT_CATALOG_VIEW }, first)).toBe(true);
    expect(showsFirstScreen({ catalogView: DEFAULT_CATALOG_VIEW }, list([]))).toBe(false);
    expect(showsFirstScreen({ catalogView: DEFAULT_CATALOG_VIEW }, list([item('a')], 'no-key'))).toBe(false);
    expect(showsFirstScreen({ catalogView: { ...DEFAULT_CATALOG_VIEW, text: 'inventory' } }, first)).toBe(false);
    expect(showsFirstScreen({ catalogView: { ...DEFAULT_CATALOG_VIEW, sort: 'name-asc' } }, first)).toBe(false);
  });
});

describe('withEarlyFrame, EARLY_STYLE and EARLY_SCRIPT', () => {
  const frame = earlyFrameHtml(list([item('alpha'), item('beta')]), SERVED_ROWS);

  it('puts the frame in #root, its style and script in <head> and the app’s stylesheet after the frame', () => {
    const page = withEarlyFrame(INDEX, frame);
    const [head = '', body = ''] = page.split('</head>');
    // Nothing in <head> holds the first paint: its only stylesheet is the frame's own, inline.
    expect(head).not.toContain('rel="stylesheet"');
    expect(head).toContain(`<style>${EARLY_STYLE}</style><script>${EARLY_SCRIPT}</script>`);
    // The entry and the app's code are asked for first, as in the page as built.
    expect(head.indexOf('index-a.js')).toBeLessThan(head.indexOf('app-main-b.js'));
    expect(head.indexOf('app-main-b.js')).toBeLessThan(head.indexOf('<style>'));
    expect(body).toContain(`<div id="root">${frame}</div>${APP_CSS}</body>`);
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page.match(/<style>/g)).toHaveLength(1);
    expect(page.match(/rel="stylesheet"/g)).toHaveLength(1);
  });

  it('serves the page as built without a frame (an empty cache) or without a #root', () => {
    expect(withEarlyFrame(INDEX, null, 'dark')).toBe(INDEX);
    const rootless = INDEX.replace('<div id="root"></div>', '');
    expect(withEarlyFrame(rootless, frame)).toBe(rootless);
  });

  it('puts a light or dark theme on <html>, not the system one', () => {
    expect(withEarlyFrame(INDEX, frame, 'dark')).toContain('<html data-theme="dark" lang="en">');
    expect(withEarlyFrame(INDEX, frame, 'light')).toContain('<html data-theme="light" lang="en">');
    expect(withEarlyFrame(INDEX, frame, 'system')).toContain('<html lang="en">');
  });

  it('shows the rows on #catalog only, in the density the app will use', () => {
    servePage(withEarlyFrame(INDEX, frame, 'dark'), '#catalog');
    // jsdom's window is 1024 px wide: compact, as view-prefs.ts says.
    expect(document.documentElement.dataset.early).toBe('compact');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(document.querySelectorAll(`#root [data-testid="${EARLY_ROW_TESTID}"]`)).toHaveLength(2);

    window.localStorage.setItem(VIEW_PREFS_KEY, JSON.stringify({ density: 'comfortable' }));
    servePage(withEarlyFrame(INDEX, frame), '#catalog/');
    expect(document.documentElement.dataset.early).toBe('comfortable');
  });

  // Unmarked, EARLY_STYLE hides the frame: e2e/specs/early-rows.spec.ts checks it in Chromium.
  it('does not mark the default route, another screen or a plugin opened by its address', () => {
    for (const hash of ['', '#key', '#installed', '#catalog/alpha', '#catalogue']) {
      servePage(withEarlyFrame(INDEX, frame), hash);
      expect(document.documentElement.dataset.early).toBeUndefined();
    }
  });
});
