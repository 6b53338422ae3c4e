import { screen, within } from '@testing-library/react';
import { renderCatalog, rowKeys } from '../test/render-catalog';
import { installVirtualViewport } from '../test/virtual-viewport';

installVirtualViewport();

function row(key: string): HTMLElement {
  const found = screen.getAllByTestId('catalog-row').find((r) => r.getAttribute('data-key') === key);
  if (!found) throw new Error(`No row for ${key}; rows: ${rowKeys().join(', ')}`);
  return found;
}

const details = () => screen.getByTestId('plugin-details');

describe('Catalogue in two panes', () => {
  it('shows the selected row beside the list: arrows move it, Enter goes in, Esc comes back', async () => {
    const { user } = await renderCatalog({ view: { density: 'compact', twoPane: true } });
    const list = screen.getByRole('listbox', { name: 'Plugins' });
    // The first row is selected and shown at once, the list still there.
    expect(details()).toHaveAttribute('data-key', 'fields');
    expect(screen.queryByTestId('details-back')).toBeNull();

    await user.click(screen.getByLabelText('Search plugins'));
    await user.keyboard('{ArrowDown}');
    expect(list).toHaveFocus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(details()).toHaveAttribute('data-key', 'datainjection');
    expect(row('datainjection')).toHaveAttribute('aria-selected', 'true');
    // Moving does not take the focus away from the list.
    expect(list).toHaveFocus();

    await user.keyboard('{Enter}');
    expect(screen.getByRole('heading', { level: 2, name: 'Data Injection' })).toHaveFocus();
    expect(screen.getByRole('listbox', { name: 'Plugins' })).toBe(list);

    await user.keyboard('{Escape}');
    expect(list).toHaveFocus();
    expect(details()).toHaveAttribute('data-key', 'datainjection');
    await user.keyboard('{Escape}');
    expect(screen.getByLabelText('Search plugins')).toHaveFocus();
  });

  it('a click selects the row and keeps the list; the toggle goes back to one pane and is remembered', async () => {
    const { user, store } = await renderCatalog({ view: { density: 'compact', twoPane: true } });
    await user.click(within(row('escalade')).getByText('Escalade'));
    expect(details()).toHaveAttribute('data-key', 'escalade');
    expect(screen.getByRole('listbox', { name: 'Plugins' })).toHaveFocus();

    const toggle = screen.getByRole('button', { name: 'Details beside the list' });
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await user.click(toggle);
    expect(store.getState().ui.view.twoPane).toBe(false);
    expect(JSON.parse(window.localStorage.getItem('marketdesk.view') ?? '{}')).toMatchObject({ twoPane: false });
  });

  it('"/" in the details pane focuses the search and keeps the details', async () => {
    const { user } = await renderCatalog({ view: { density: 'compact', twoPane: true } });
    await user.click(within(row('escalade')).getByText('Escalade'));
    await user.keyboard('{Enter}');
    await user.keyboard('/');
    expect(screen.getByLabelText('Search plugins')).toHaveFocus();
    expect(details()).toHaveAttribute('data-key', 'escalade');
  });
});

describe('Catalogue density', () => {
  it('compact rows are 52 px, tags wait behind "Show all", and Compact rows toggles back to 96 px rows', async () => {
    const { user } = await renderCatalog({ view: { density: 'compact', twoPane: false } });
    expect(row('fields')).toHaveStyle({ height: '52px' });
    const tags = screen.getByRole('group', { name: 'Tags' });
    expect(within(tags).queryAllByRole('button', { pressed: false })).toHaveLength(0);
    await user.click(within(tags).getByRole('button', { name: /^Show all \d+ tags$/ }));
    await user.click(within(tags).getByRole('button', { name: 'Inventory (2)' }));
    expect(rowKeys().sort()).toEqual(['barcode', 'printercounters']);

    const compact = screen.getByRole('button', { name: 'Compact rows' });
    expect(compact).toHaveAttribute('aria-pressed', 'true');
    await user.click(compact);
    expect(compact).toHaveAttribute('aria-pressed', 'false');
    expect(row('barcode')).toHaveStyle({ height: '96px' });
    expect(document.querySelector('.app')).toHaveClass('app--comfortable');
  });
});
