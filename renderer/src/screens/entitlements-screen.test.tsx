import { act, fireEvent, screen, within } from '@testing-library/react';
import { entitlementCsv } from '../../../shared/entitlements';
import { STANDARD } from '../test/core-harness';
import { OFFER_TIERS } from '../../../shared/catalog-fixtures.testkit';
import { PLUGINS, syntheticPlugins } from '../test/fake-catalog';
import { renderCatalog } from '../test/render-catalog';
import { captureSavedFiles, readBlob } from '../test/saved-files';
import { installVirtualViewport } from '../test/virtual-viewport';
import { REVOKE_DELAY_MS } from './entitlements-screen';

installVirtualViewport();

function columns() {
  return screen.getAllByTestId('tier-column');
}

function mapRows() {
  return within(screen.getByTestId('entitlement-map'))
    .queryAllByTestId('entitlement-row')
    .map((r) => r.getAttribute('data-key'));
}

describe('Entitlement map', () => {
  it('shows plugins by tier in /offers order, highlights the current tier and counts each', async () => {
    await renderCatalog({ screen: 'Entitlements' });
    expect(screen.getByRole('heading', { level: 1, name: 'Entitlements' })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Plugins by GLPI Network offer' });
    expect(table).toBe(screen.getByTestId('entitlement-map'));
    expect(columns().map((c) => c.getAttribute('data-offer'))).toEqual(['registered', 'basic', 'standard', 'advanced']);
    expect(columns().map((c) => c.getAttribute('data-current'))).toEqual(['false', 'false', 'true', 'false']);
    const [registered, basic, standard, advanced] = columns();
    expect(registered).toHaveTextContent('Registered, 5 plugins');
    expect(basic).toHaveTextContent('6 plugins');
    expect(standard).toHaveTextContent('Standard (your tier), 7 plugins');
    expect(standard).toHaveClass('tier-col--current');
    expect(advanced).toHaveTextContent('8 plugins');
    expect(within(table).getByRole('columnheader', { name: /^Standard \(your tier\),\s*7 plugins$/ })).toBe(standard);

    expect(mapRows()).toHaveLength(8);
    const escalade = within(table)
      .getAllByTestId('entitlement-row')
      .find((r) => r.getAttribute('data-key') === 'escalade');
    if (!escalade) throw new Error('no escalade row');
    const cells = within(escalade).getAllByTestId('entitlement-cell');
    expect(cells.map((c) => c.getAttribute('data-included'))).toEqual(['false', 'false', 'true', 'true']);
    expect(cells.map((c) => c.textContent)).toEqual(['—Not included', '—Not included', '✓Included', '✓Included']);
    expect(within(escalade).getByRole('rowheader')).toHaveTextContent('Escalade');
  });

  it('says what the next tier adds', async () => {
    await renderCatalog({ screen: 'Entitlements' });
    const panel = screen.getByTestId('next-tier-adds');
    expect(panel).toHaveAttribute('data-offer', 'advanced');
    expect(within(panel).getByRole('heading', { name: 'What Advanced adds' })).toBeInTheDocument();
    expect(panel).toHaveTextContent('1 plugin your subscription does not include:');
    expect(
      within(panel)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-key')),
    ).toEqual(['advancedreports']);
    expect(panel).toHaveTextContent('Advanced Reports');
  });

  it('with a Basic subscription, Standard adds two plugins', async () => {
    await renderCatalog({
      screen: 'Entitlements',
      registration: { ...STANDARD, offer: 'basic', title: 'GLPI Network Basic' },
    });
    expect(columns().map((c) => c.getAttribute('data-current'))).toEqual(['false', 'true', 'false', 'false']);
    const panel = screen.getByTestId('next-tier-adds');
    expect(panel).toHaveAttribute('data-offer', 'standard');
    expect(
      within(panel)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-key')),
    ).toEqual(['escalade']);
  });

  it('at the top tier, says everything is included', async () => {
    await renderCatalog({
      screen: 'Entitlements',
      registration: { ...STANDARD, offer: 'advanced', title: 'Advanced' },
    });
    expect(screen.getByTestId('next-tier-adds')).toHaveTextContent('already includes every plugin');
  });

  it('shows the subscription period with days left, flagged under 30 days', async () => {
    await renderCatalog({ screen: 'Entitlements', registration: { ...STANDARD, ends: '2025-07-01' } });
    const summary = screen.getByTestId('entitlement-subscription');
    expect(summary).toHaveTextContent('Your subscription: Standard');
    expect(summary).toHaveTextContent('From Jan 1, 2025 to Jul 1, 2025');
    const left = screen.getByTestId('entitlement-days-left');
    expect(left).toHaveAttribute('data-soon', 'true');
    expect(left).toHaveTextContent('17 days left · Renew soon');
  });

  it('without a subscription, highlights no tier and the lowest tier is next', async () => {
    await renderCatalog({ screen: 'Entitlements', registration: null });
    expect(screen.getByTestId('entitlement-subscription')).toHaveTextContent('No subscription is known');
    expect(columns().map((c) => c.getAttribute('data-current'))).toEqual(['false', 'false', 'false', 'false']);
    expect(screen.getByTestId('next-tier-adds')).toHaveAttribute('data-offer', 'registered');
  });

  it('filters by the catalogue search text and tags, shared with the Catalogue', async () => {
    const { user, store } = await renderCatalog({ screen: 'Entitlements' });
    await user.type(screen.getByLabelText('Search plugins'), 'escal');
    expect(mapRows()).toEqual(['escalade']);
    expect(screen.getByTestId('entitlement-count')).toHaveTextContent('1 plugin shown');
    expect(columns()[3]).toHaveTextContent('1 plugin');
    expect(columns()[0]).toHaveTextContent('0 plugins');
    expect(screen.getByTestId('next-tier-adds')).toHaveTextContent('Advanced adds no plugin to your subscription.');
    await user.clear(screen.getByLabelText('Search plugins'));
    await user.click(screen.getByRole('button', { name: 'Inventory (2)' }));
    expect(mapRows()).toEqual(['barcode', 'printercounters']);
    expect(store.getState().catalog.view).toMatchObject({ text: '', tags: ['inventory'] });
    await user.click(screen.getByRole('link', { name: 'Catalogue' }));
    expect(screen.getByRole('button', { name: 'Inventory (2)' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('exports the plugins shown as CSV through a temporary object URL', async () => {
    const { user } = await renderCatalog({ screen: 'Entitlements' });
    await user.type(screen.getByLabelText('Search plugins'), 'form');
    const shown = mapRows();
    expect(shown.length).toBeGreaterThan(0);
    const { blobs, clicked, create, revoke, restore } = captureSavedFiles();
    try {
      fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      expect(create).toHaveBeenCalledTimes(1);
      const plugins = PLUGINS.filter((p) => shown.includes(p.key)).sort(
        (a, b) => shown.indexOf(a.key) - shown.indexOf(b.key),
      );
      const text = await readBlob(blobs[0]);
      expect(text).toBe(`\uFEFF${entitlementCsv(plugins, OFFER_TIERS)}`);
      expect(text).toContain('key,name,Registered,Basic,Standard,Advanced,required_offers');
      expect(blobs[0]?.type).toBe('text/csv;charset=utf-8');
      expect(clicked).toHaveLength(1);
      expect(clicked[0]?.download).toBe('marketdesk-entitlements.csv');
      expect(clicked[0]?.href).toBe('blob:marketdesk/test-1');
      expect(clicked[0]?.isConnected).toBe(false);
      expect(revoke).not.toHaveBeenCalled();
      act(() => {
        vi.advanceTimersByTime(REVOKE_DELAY_MS);
      });
      expect(revoke).toHaveBeenCalledWith('blob:marketdesk/test-1');
    } finally {
      restore();
    }
  });

  it('renders only the visible rows of 10,000 plugins', async () => {
    await renderCatalog({ screen: 'Entitlements', catalog: { plugins: syntheticPlugins(10_000, 5), tags: [] } });
    const table = screen.getByTestId('entitlement-map');
    expect(table).toHaveAttribute('aria-rowcount', '10001');
    const rendered = mapRows().length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(50);
    expect(screen.getByTestId('entitlement-count')).toHaveTextContent('10,000 plugins shown');
  });
});
