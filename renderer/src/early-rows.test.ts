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
import { VIEW_PREFS_KEY } from '../../shared/view-density';

const ADVANCED = { reference: 'advanced', title: 'GLPI Network Advanced' };
const INDEX = '<!doctype html><html><head></head><body><div id="root"></div></body></html>';

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
  document.documentElement.innerHTML = new DOMParser().parseFromString(html, 'text/html').documentElement.innerHTML;
  window.location.hash = hash;
  const script = document.querySelector('script');
  // The page's own inline script, run as the browser would (jsdom does not run parsed scripts).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call
  if (script) new Function(script.textContent ?? '')();
}

afterEach(() => {
  window.location.hash = '';
  window.localStorage.clear();
  delete document.documentElement.dataset.theme;
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

  it('carries a light or dark theme, not the system one', () => {
    const first = list([item('alpha')]);
    expect((parse(earlyFrameHtml(first, 1, 'dark')).firstElementChild as HTMLElement).dataset.theme).toBe('dark');
    expect((parse(earlyFrameHtml(first, 1)).firstElementChild as HTMLElement).dataset.theme).toBeUndefined();
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

describe('withEarlyFrame and EARLY_SCRIPT', () => {
  const frame = earlyFrameHtml(list([item('alpha'), item('beta')]), SERVED_ROWS, 'dark');

  it('puts the frame in a template after #root, and the page as built without a frame (an empty cache)', () => {
    const page = withEarlyFrame(INDEX, frame);
    expect(page).toContain(`<div id="root"></div><template id="catalog-early">${frame}</template><script>`);
    expect(page).toContain(EARLY_SCRIPT);
    expect(withEarlyFrame(INDEX, null)).toBe(INDEX);
  });

  it('shows the rows on #catalog only, in the density and theme the app will use', () => {
    servePage(withEarlyFrame(INDEX, frame), '#catalog');
    const shown = document.querySelector<HTMLElement>('#root > [data-testid="catalog-early"]');
    expect(shown?.querySelectorAll(`[data-testid="${EARLY_ROW_TESTID}"]`)).toHaveLength(2);
    // jsdom's window is 1024 px wide: compact, as view-prefs.ts says.
    expect(shown?.classList.contains('app--compact')).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('dark');

    window.localStorage.setItem(VIEW_PREFS_KEY, JSON.stringify({ density: 'comfortable' }));
    servePage(withEarlyFrame(INDEX, frame), '#catalog/');
    expect(document.querySelector('#root > .catalog-early')?.classList.contains('app--comfortable')).toBe(true);
  });

  it('shows nothing on the default route, another screen or a plugin opened by its address', () => {
    for (const hash of ['', '#key', '#installed', '#catalog/alpha', '#catalogue']) {
      servePage(withEarlyFrame(INDEX, frame), hash);
      expect(document.getElementById('root')?.childElementCount).toBe(0);
      expect(document.querySelectorAll(`[data-testid="${EARLY_ROW_TESTID}"]`)).toHaveLength(0);
    }
  });
});
