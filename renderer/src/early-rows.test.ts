import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CATALOG_VIEW, type CatalogList, type CatalogListItem } from '../../shared/catalog';
import {
  APP_START_ID,
  EARLY_ROW_TESTID,
  EARLY_SCRIPT,
  SERVED_ROWS,
  START_AT_LATEST_MS,
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
/** The app's tags of INDEX, in their order. */
const APP_TAGS =
  '<script type="module" crossorigin src="./assets/index-a.js"></script>' +
  '<link rel="modulepreload" crossorigin href="./assets/app-main-b.js">' +
  '<link rel="stylesheet" crossorigin href="./assets/app-main-c.css">';

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
  it('keeps the tag row’s space in its head when the list has tags (the app shows the row from the first screen)', () => {
    const head = (l: CatalogList) => parse(earlyFrameHtml(l, 1)).querySelector('.catalog-early__head')?.className;
    expect(head(list([item('alpha')]))).toBe('catalog-early__head');
    expect(head({ ...list([item('alpha')]), tags: [{ key: 'forms', tag: 'Forms' }] } as CatalogList)).toBe(
      'catalog-early__head catalog-early__head--tags',
    );
    // Tags only on plugins (GLPI Network's tag list empty): the app's row shows them too.
    expect(head({ ...list([item('alpha')]), tagCounts: { forms: 3 } })).toBe(
      'catalog-early__head catalog-early__head--tags',
    );
  });

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

  it('puts the frame in #root, its style and script in <head>, and the app’s tags in a template after the frame', () => {
    const page = withEarlyFrame(INDEX, frame);
    const [head = '', body = ''] = page.split('</head>');
    // Nothing in <head> holds the first paint: no stylesheet but the frame's own, inline, and no code.
    expect(head).not.toMatch(/rel="stylesheet"|rel="modulepreload"|type="module"/);
    expect(head).toContain(`<style>${EARLY_STYLE}</style><script>${EARLY_SCRIPT}</script>`);
    // The app's tags, in their order, inert until EARLY_SCRIPT starts them.
    expect(body).toContain(`<div id="root">${frame}</div><template id="${APP_START_ID}">${APP_TAGS}</template></body>`);
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page.match(/<style>/g)).toHaveLength(1);
    expect(page.match(/<script type="module"/g)).toHaveLength(1);
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

  /** Serves the page and returns its parsed-page handler (DOMContentLoaded), which the test fires. */
  function serveUnparsed(hash: string): () => void {
    const added = vi.spyOn(document, 'addEventListener');
    servePage(withEarlyFrame(INDEX, frame), hash);
    const onParsed = added.mock.calls.find(([type]) => type === 'DOMContentLoaded')?.[1];
    added.mockRestore();
    if (typeof onParsed !== 'function') throw new Error('EARLY_SCRIPT waits for no parsed page');
    return () => onParsed(new Event('DOMContentLoaded'));
  }
  const inHead = () =>
    [...document.head.querySelectorAll('link, script[src]')].map(
      (e) =>
        `${e.localName} ${e.getAttribute('rel') ?? e.getAttribute('type')} ${e.getAttribute('href') ?? e.getAttribute('src')} ${e.getAttribute('crossorigin')}`,
    );

  it('starts the app once the page is parsed, off #catalog: stylesheet and preload first, the code once the stylesheet loaded', async () => {
    const parsed = serveUnparsed('#installed');
    expect(document.getElementById(APP_START_ID)).not.toBeNull();
    expect(inHead()).toEqual([]);
    parsed();
    expect(document.getElementById(APP_START_ID)).toBeNull();
    expect(inHead()).toEqual([
      'link modulepreload ./assets/app-main-b.js ',
      'link stylesheet ./assets/app-main-c.css ',
    ]);
    await Promise.resolve();
    expect(document.querySelector('script[src]')).toBeNull(); // the app does not render unstyled
    document.querySelector('link[rel="stylesheet"]')?.dispatchEvent(new Event('load'));
    await vi.waitFor(() => expect(inHead()).toContain('script module ./assets/index-a.js '));
  });

  it('on #catalog in a visible page, starts the app only after the frame’s first paint', () => {
    vi.useFakeTimers();
    const frames: FrameRequestCallback[] = [];
    const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => frames.push(cb));
    const visible = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');
    try {
      const parsed = serveUnparsed('#catalog');
      parsed();
      expect(frames).toHaveLength(1);
      expect(document.getElementById(APP_START_ID)).not.toBeNull();
      frames[0]?.(performance.now());
      // Still not: after the frame's callbacks, the frame is painted, then the app starts.
      expect(document.getElementById(APP_START_ID)).not.toBeNull();
      vi.runAllTimers();
      expect(document.getElementById(APP_START_ID)).toBeNull();
      expect(inHead()).toContain('link stylesheet ./assets/app-main-c.css ');
      // A page that renders no frame still starts, START_AT_LATEST_MS after the parse.
      serveUnparsed('#catalog')();
      expect(frames).toHaveLength(2);
      vi.advanceTimersByTime(START_AT_LATEST_MS - 1);
      expect(document.getElementById(APP_START_ID)).not.toBeNull();
      vi.advanceTimersByTime(1);
      expect(document.getElementById(APP_START_ID)).toBeNull();
      // A hidden page paints nothing: it starts at once.
      visible.mockReturnValue('hidden');
      serveUnparsed('#catalog')();
      expect(frames).toHaveLength(2);
      expect(document.getElementById(APP_START_ID)).toBeNull();
    } finally {
      raf.mockRestore();
      visible.mockRestore();
      vi.useRealTimers();
    }
  });

  // Unmarked, EARLY_STYLE hides the frame: e2e/specs/early-rows.spec.ts checks it in Chromium.
  it('does not mark the default route, another screen or a plugin opened by its address', () => {
    for (const hash of ['', '#key', '#installed', '#catalog/alpha', '#catalogue']) {
      servePage(withEarlyFrame(INDEX, frame), hash);
      expect(document.documentElement.dataset.early).toBeUndefined();
    }
  });
});
