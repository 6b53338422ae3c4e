import { act, screen, waitFor } from '@testing-library/react';
import { DEFAULT_CATALOG_VIEW, type CatalogList, type CatalogListItem } from '../../shared/catalog';
import { createApi } from './api/transport';
import { mountApp } from './app-main';
import { EARLY_ROW_TESTID } from '../../shared/early-rows';
import { paintEarlyRows, paintsEarly } from './early-paint';
import { startReads } from './store/start-reads';
import { createCoreHarness, STANDARD } from './test/core-harness';
import { FakeCatalog } from './test/fake-catalog';
import { createInMemoryTransport } from './test/in-memory-transport';

const GOOD = 'eyJrZXkiOiJnb29kIn0sig1234567890';
const ADVANCED = { reference: 'advanced', title: 'GLPI Network Advanced' };

function item(key: string, overrides: Partial<CatalogListItem> = {}): CatalogListItem {
  return {
    key,
    name: `Plugin ${key}`,
    logoUrl: null,
    authors: [],
    note: 0,
    downloads: 0,
    dateAdded: null,
    dateUpdated: null,
    requiredOffers: null,
    versions: [],
    tags: [],
    summary: `About ${key}`,
    ...overrides,
  } as CatalogListItem;
}

function list(plugins: CatalogListItem[], blocked: CatalogList['blocked'] = null): CatalogList {
  return { blocked, offers: [ADVANCED], plugins, language: 'en', tags: [] } as unknown as CatalogList;
}

const PLAIN = { catalogView: DEFAULT_CATALOG_VIEW };

function rootElement(): HTMLElement {
  const root = document.createElement('div');
  root.id = 'root';
  document.body.append(root);
  return root;
}

afterEach(() => {
  document.getElementById('root')?.remove();
  window.location.hash = '';
});

describe('paintsEarly', () => {
  const first = list([item('alpha')]);

  it('paints the catalogue with the opening view', () => {
    expect(paintsEarly('#catalog', PLAIN, first)).toBe(true);
    expect(paintsEarly('#catalog', { catalogView: { ...DEFAULT_CATALOG_VIEW, sort: 'popular' } }, first)).toBe(true);
  });

  it('does nothing for another route, the default route (the key screen) or a plugin opened by its address', () => {
    expect(paintsEarly('#installed', PLAIN, first)).toBe(false);
    expect(paintsEarly('', PLAIN, first)).toBe(false);
    expect(paintsEarly('#catalog/alpha', PLAIN, first)).toBe(false);
  });

  it('does nothing for a saved search, tag, filter or another order', () => {
    for (const catalogView of [
      { ...DEFAULT_CATALOG_VIEW, text: 'inventory' },
      { ...DEFAULT_CATALOG_VIEW, tags: ['asset'] },
      { ...DEFAULT_CATALOG_VIEW, filters: ['installed' as const] },
      { ...DEFAULT_CATALOG_VIEW, sort: 'name-asc' as const },
    ]) {
      expect(paintsEarly('#catalog', { catalogView }, first)).toBe(false);
    }
  });

  it('does nothing without rows or without a key', () => {
    expect(paintsEarly('#catalog', PLAIN, list([]))).toBe(false);
    expect(paintsEarly('#catalog', PLAIN, list([item('alpha')], 'no-key'))).toBe(false);
  });
});

describe('paintEarlyRows', () => {
  it('paints the rows that fit, with the data, in an inert and busy frame', () => {
    const root = rootElement();
    const plugins = Array.from({ length: 30 }, (_, i) => item(`p${i}`));
    plugins[1] = item('gated', { requiredOffers: ['advanced'] });
    expect(paintEarlyRows(root, list(plugins), 'compact', 520)).toBe(true);

    const frame = screen.getByTestId('catalog-early');
    expect(frame).toHaveAttribute('aria-busy', 'true');
    expect(frame).toHaveAttribute('inert');
    expect(frame).toHaveClass('app--compact');
    const rows = screen.getAllByTestId(EARLY_ROW_TESTID);
    expect(rows).toHaveLength(11); // 520 px of 52 px rows, and the one cut at the bottom
    expect(screen.queryAllByTestId('catalog-row')).toHaveLength(0);
    expect(rows[0]).toHaveTextContent('Plugin p0');
    expect(rows[0]).toHaveTextContent('About p0');
    expect(rows[1]?.dataset.key).toBe('gated');
    expect(rows[1]?.querySelector('.tier-badge')).toHaveTextContent('Advanced');
    expect(rows[1]?.querySelector('.tier-badge')).toHaveClass('tier-badge--advanced');
    expect(rows[0]?.querySelector('.tier-badge')).toBeNull();
  });

  it('shows data as text, never as markup', () => {
    const root = rootElement();
    const hostile = '<img src=x onerror="window.pwned=1">';
    paintEarlyRows(
      root,
      list([item('evil', { name: hostile, summary: 'Safe <b>bold</b> &amp; more' })]),
      'compact',
      100,
    );
    const row = screen.getByTestId(EARLY_ROW_TESTID);
    expect(row.querySelector('img')).toBeNull();
    expect(row.querySelector('.catalog-row__name')?.textContent).toBe(hostile);
    expect(row.querySelector('.catalog-row__description')?.textContent).toBe('Safe bold & more');
  });

  it('leaves a root the app already rendered alone', () => {
    const root = rootElement();
    root.append(document.createElement('p'));
    expect(paintEarlyRows(root, list([item('alpha')]), 'compact', 500)).toBe(false);
    expect(screen.queryByTestId('catalog-early')).toBeNull();
  });

  it('is replaced by the app when it mounts', async () => {
    const harness = await createCoreHarness({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    new FakeCatalog(harness);
    const api = createApi(createInMemoryTransport(harness.core.handlers, harness.core.events));
    const root = rootElement();
    window.location.hash = '#catalog';
    const reads = startReads(api);
    const [settings, first] = await Promise.all([reads.settings, reads.firstRows]);
    expect(paintsEarly(window.location.hash, settings, first)).toBe(true);
    expect(paintEarlyRows(root, first, 'compact', 500)).toBe(true);
    expect(screen.getAllByTestId(EARLY_ROW_TESTID).length).toBeGreaterThan(0);

    act(() => mountApp(api, reads));
    await waitFor(() => expect(screen.getByTestId('catalog-count')).toHaveTextContent(/plugins/), { timeout: 3_000 });
    expect(screen.queryByTestId('catalog-early')).toBeNull();
    expect(screen.queryAllByTestId(EARLY_ROW_TESTID)).toHaveLength(0);
    expect(root.querySelectorAll('.app')).toHaveLength(1);
  });
});
