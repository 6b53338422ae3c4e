import { act, screen, waitFor, within } from '@testing-library/react';
import { STANDARD } from '../test/core-harness';
import { PLUGINS, makePlugin, syntheticPlugins } from '../test/fake-catalog';
import { renderCatalog, rowKeys } from '../test/render-catalog';
import { installVirtualViewport } from '../test/virtual-viewport';

installVirtualViewport();

function row(key: string): HTMLElement {
  const found = screen.getAllByTestId('catalog-row').find((r) => r.getAttribute('data-key') === key);
  if (!found) throw new Error(`No row for ${key}; rows: ${rowKeys().join(', ')}`);
  return found;
}

function viewUpdates(calls: { channel: string; payload: unknown }[]) {
  return calls
    .filter((c) => c.channel === 'settings.update' && 'catalogView' in (c.payload as object))
    .map((c) => (c.payload as { catalogView: unknown }).catalogView);
}

describe('Catalogue list', () => {
  it('shows each plugin with its facts, tier badge and availability, a count and the list age', async () => {
    await renderCatalog();
    expect(screen.getByRole('heading', { level: 1, name: 'Catalogue' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Catalogue' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByTestId('catalog-count')).toHaveTextContent('8 plugins');
    expect(screen.getByRole('listbox', { name: 'Plugins' })).toBe(screen.getByTestId('catalog-list'));
    expect(within(screen.getByTestId('catalog-list')).getAllByRole('option')).toHaveLength(8);

    const form = row('formcreator');
    expect(form).toHaveAttribute('data-availability', 'included');
    expect(form).toHaveTextContent('Form Creator');
    expect(form).toHaveTextContent('Build forms for requesters');
    expect(form).toHaveTextContent("by Teclib', Infotel");
    expect(form).toHaveTextContent('Version 2.13.0');
    expect(form).toHaveTextContent('Rated 4.5 out of 5');
    expect(form).toHaveTextContent('50K downloads');
    expect(within(form).getByTestId('tier-badge')).toHaveAttribute('data-tier', 'free');
    expect(within(form).getByTestId('tier-badge')).toHaveTextContent('Free');
    const logo = form.querySelector('img');
    expect(logo).toHaveAttribute('src', 'https://raw.githubusercontent.com/pluginsGLPI/formcreator/logo.png');
    expect(logo).toHaveAttribute('alt', '');
    expect(logo).toHaveAttribute('loading', 'lazy');
    // An http logo is never loaded: initials instead. HTML in a short description shows as text.
    expect(row('hostile').querySelector('img')).toBeNull();
    expect(row('hostile')).toHaveTextContent('HP');
    expect(row('hostile')).toHaveTextContent('Tries to run code & more');
    expect(row('hostile').querySelector('b')).toBeNull();

    expect(row('printercounters')).toHaveTextContent('Included in your subscription');
    expect(within(row('printercounters')).getByTestId('tier-badge')).toHaveAttribute('data-tier', 'basic');
    expect(within(row('escalade')).getByTestId('tier-badge')).toHaveTextContent('Standard');
    expect(row('advancedreports')).toHaveAttribute('data-availability', 'needs-tier');
    expect(row('advancedreports')).toHaveTextContent('Needs Advanced');
    expect(within(row('advancedreports')).getByTestId('tier-badge')).toHaveAttribute('data-tier', 'advanced');
    expect(row('barcode')).toHaveAttribute('data-availability', 'incompatible');
    expect(row('barcode')).toHaveTextContent('Not available for GLPI 10.0.18');
    expect(row('barcode')).toHaveTextContent('No compatible version');

    const status = screen.getByTestId('catalog-status');
    expect(status).toHaveAttribute('data-offline', 'false');
    expect(status).toHaveTextContent('Updated 5 minutes ago');
    expect(screen.getByTestId('catalog-glpi-version')).toHaveTextContent('For GLPI 10.0.18');
  });

  it('says why when the subscription is not running or there is no key', async () => {
    await renderCatalog({ registration: { ...STANDARD, running: false } });
    expect(row('fields')).toHaveAttribute('data-availability', 'not-running');
    expect(row('fields')).toHaveTextContent('Your subscription is not running');
  });

  it('search narrows the list on every keystroke, and says when nothing matches', async () => {
    const { user } = await renderCatalog();
    const search = screen.getByRole('searchbox', { name: 'Search plugins' });
    await user.type(search, 'escal');
    expect(rowKeys()).toEqual(['escalade']);
    expect(screen.getByTestId('catalog-count')).toHaveTextContent('1 plugin');
    await user.clear(search);
    await user.type(search, 'infotel');
    expect(rowKeys().sort()).toEqual(['formcreator', 'printercounters']);
    await user.type(search, ' zzz');
    expect(rowKeys()).toEqual([]);
    expect(screen.getByTestId('catalog-empty')).toHaveTextContent('No plugin matches the search and filters.');
    await user.click(screen.getByRole('button', { name: 'Clear search and filters' }));
    expect(search).toHaveValue('');
    expect(rowKeys()).toHaveLength(8);
  });

  it('searches and shows descriptions in the UI language (settings.language), English otherwise', async () => {
    const { user } = await renderCatalog({ settings: { language: 'fr_FR' } });
    expect(row('formcreator')).toHaveTextContent('Créez des formulaires pour les demandeurs');
    expect(row('fields')).toHaveTextContent('Add fields to any object');
    // The UI is in French too.
    await user.type(screen.getByLabelText('Rechercher des greffons'), 'imprimantes');
    expect(rowKeys()).toEqual(['printercounters']);
    expect(row('printercounters')).toHaveTextContent('Relevé des compteurs des imprimantes');
  });

  it('does not find a French-only word when the UI is in English', async () => {
    const { user } = await renderCatalog({ settings: { language: 'en_US' } });
    await user.type(screen.getByLabelText('Search plugins'), 'imprimantes');
    expect(rowKeys()).toEqual([]);
  });

  it('tag chips filter with counts; a plugin must carry every selected tag', async () => {
    const { user } = await renderCatalog({ view: { density: 'comfortable', twoPane: false } });
    const tags = screen.getByRole('group', { name: 'Tags' });
    const inventory = within(tags).getByRole('button', { name: 'Inventory (2)' });
    expect(inventory).toHaveAttribute('aria-pressed', 'false');
    await user.click(inventory);
    expect(inventory).toHaveAttribute('aria-pressed', 'true');
    expect(rowKeys().sort()).toEqual(['barcode', 'printercounters']);
    await user.click(inventory);
    await user.click(within(tags).getByRole('button', { name: 'Forms (2)' }));
    await user.click(within(tags).getByRole('button', { name: 'Helpdesk (2)' }));
    expect(rowKeys()).toEqual(['formcreator']);
    await user.click(within(tags).getByRole('button', { name: 'Clear tags' }));
    expect(rowKeys()).toHaveLength(8);
  });

  it.each([
    ['Available to me', ['datainjection', 'escalade', 'fields', 'formcreator', 'hostile', 'printercounters']],
    ['Premium', ['advancedreports', 'escalade', 'printercounters']],
    ['Not compatible', ['barcode']],
  ])('filter "%s" keeps the right plugins', async (name, keys) => {
    const { user } = await renderCatalog();
    const toggle = within(screen.getByRole('group', { name: 'Filters' })).getByRole('button', { name });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(rowKeys().sort()).toEqual(keys);
    await user.click(toggle);
    expect(rowKeys()).toHaveLength(8);
  });

  it.each(['Installed', 'Updates'])('filter "%s" without an instance says what it needs', async (name) => {
    const { user } = await renderCatalog();
    await user.click(within(screen.getByRole('group', { name: 'Filters' })).getByRole('button', { name }));
    expect(rowKeys()).toEqual([]);
    expect(screen.getByTestId('catalog-count')).toHaveTextContent('0 plugins');
    expect(screen.getByTestId('catalog-empty')).toHaveTextContent('No plugins installed yet.');
    expect(screen.getByTestId('catalog-no-installs')).toHaveTextContent('add a GLPI instance in Installed');
  });

  it.each([
    ['Name A-Z', 'fields'],
    ['Name Z-A', 'printercounters'],
    ['Most popular', 'fields'],
    ['Last updated', 'datainjection'],
    ['Most recent', 'advancedreports'],
    ['Best rated', 'fields'],
  ])('sort "%s" puts %s first', async (label, first) => {
    const { user } = await renderCatalog();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), label);
    expect(rowKeys()[0]).toBe(first);
  });

  it('sorts by name both ways', async () => {
    const { user } = await renderCatalog();
    const sort = screen.getByLabelText('Sort by');
    await user.selectOptions(sort, 'Name A-Z');
    expect(rowKeys()).toEqual([
      'fields',
      'advancedreports',
      'datainjection',
      'escalade',
      'formcreator',
      'hostile',
      'barcode',
      'printercounters',
    ]);
    await user.selectOptions(sort, 'Name Z-A');
    expect(rowKeys()[7]).toBe('fields');
  });

  it('saves the view through settings.update once typing pauses', async () => {
    const { user, transport, core } = await renderCatalog();
    await user.type(screen.getByLabelText('Search plugins'), 'esc');
    await user.click(within(screen.getByRole('group', { name: 'Filters' })).getByRole('button', { name: 'Premium' }));
    expect(viewUpdates(transport.calls)).toEqual([]);
    await waitFor(() => expect(viewUpdates(transport.calls)).toHaveLength(1), { timeout: 2000 });
    expect(viewUpdates(transport.calls)[0]).toEqual({
      text: 'esc',
      tags: [],
      filters: ['premium'],
      sort: 'relevance',
    });
    expect(core.settings.get().catalogView).toMatchObject({ text: 'esc', filters: ['premium'] });
  });

  it('restores the saved view and pre-release setting when it starts', async () => {
    await renderCatalog({
      settings: {
        includePrereleases: true,
        catalogView: { text: 'e', tags: ['helpdesk'], filters: ['premium'], sort: 'name-desc' },
      },
    });
    expect(screen.getByLabelText('Search plugins')).toHaveValue('e');
    expect(screen.getByLabelText('Sort by')).toHaveValue('name-desc');
    expect(screen.getByRole('button', { name: 'Premium' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Helpdesk (2)' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('checkbox', { name: 'Show pre-release versions' })).toBeChecked();
    expect(rowKeys()).toEqual(['escalade']);
  });

  it('renders only the visible rows of 10,000 plugins and still filters them', async () => {
    const plugins = syntheticPlugins(10_000, 7);
    const { user } = await renderCatalog({ catalog: { plugins, tags: [] } });
    expect(screen.getByTestId('catalog-count')).toHaveTextContent('10,000 plugins');
    const rendered = screen.getAllByTestId('catalog-row').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(40);
    expect(within(screen.getByTestId('catalog-list')).getAllByRole('option')[0]).toHaveAttribute(
      'aria-setsize',
      '10000',
    );
    const target = plugins[1234];
    if (!target) throw new Error('fixture');
    await user.type(screen.getByLabelText('Search plugins'), target.key);
    expect(rowKeys()[0]).toBe(target.key);
  });
});

describe('Catalogue keyboard', () => {
  it('"/" and Ctrl+F focus the search; Esc clears it, then leaves it', async () => {
    const { user } = await renderCatalog();
    const search = screen.getByLabelText('Search plugins');
    await user.click(screen.getByRole('heading', { level: 1, name: 'Catalogue' }));
    await user.keyboard('/');
    expect(search).toHaveFocus();
    expect(search).toHaveValue('');
    await user.keyboard('form');
    expect(search).toHaveValue('form');
    await user.keyboard('{Escape}');
    expect(search).toHaveValue('');
    expect(search).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(search).not.toHaveFocus();
    await user.keyboard('{Control>}f{/Control}');
    expect(search).toHaveFocus();
  });

  it('arrows move the active row, Enter opens the details, Esc comes back to the same row', async () => {
    const { user } = await renderCatalog();
    await user.click(screen.getByLabelText('Search plugins'));
    await user.keyboard('{ArrowDown}');
    const list = screen.getByRole('listbox', { name: 'Plugins' });
    expect(list).toHaveFocus();
    const activeKey = () =>
      document.getElementById(list.getAttribute('aria-activedescendant') ?? '')?.getAttribute('data-key');
    expect(activeKey()).toBe('fields');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(activeKey()).toBe('datainjection');
    expect(row('datainjection')).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowUp}');
    expect(activeKey()).toBe('formcreator');
    await user.keyboard('{End}');
    expect(activeKey()).toBe('hostile');
    await user.keyboard('{Home}{ArrowDown}');
    await user.keyboard('{Enter}');

    const details = screen.getByTestId('plugin-details');
    expect(details).toHaveAttribute('data-key', 'formcreator');
    expect(screen.getByRole('heading', { level: 2, name: 'Form Creator' })).toHaveFocus();
    expect(screen.queryByTestId('catalog-list')).toBeNull();

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('plugin-details')).toBeNull();
    const back = screen.getByRole('listbox', { name: 'Plugins' });
    expect(back).toHaveFocus();
    expect(document.getElementById(back.getAttribute('aria-activedescendant') ?? '')).toHaveAttribute(
      'data-key',
      'formcreator',
    );
    await user.keyboard('{Escape}');
    expect(screen.getByLabelText('Search plugins')).toHaveFocus();
  });

  it('a click opens the details and the Back button returns', async () => {
    const { user } = await renderCatalog();
    await user.click(within(row('escalade')).getByText('Escalade'));
    expect(screen.getByTestId('plugin-details')).toHaveAttribute('data-key', 'escalade');
    await user.click(screen.getByRole('button', { name: 'Back to the list' }));
    expect(screen.getByRole('listbox', { name: 'Plugins' })).toHaveFocus();
  });

  it('"/" in the details goes back to the list and focuses the search', async () => {
    const { user } = await renderCatalog();
    await user.click(within(row('fields')).getByText('Additional Fields'));
    expect(screen.getByTestId('plugin-details')).toBeInTheDocument();
    await user.keyboard('/');
    expect(screen.queryByTestId('plugin-details')).toBeNull();
    expect(screen.getByLabelText('Search plugins')).toHaveFocus();
  });
});

describe('Plugin details', () => {
  /** Opens `key` and waits for its full record (catalog.details). */
  async function openDetails(key: string, options: Parameters<typeof renderCatalog>[0] = {}) {
    const app = await renderCatalog(options);
    act(() => app.store.getState().catalog.open(key));
    await waitFor(() => expect(app.store.getState().catalog.details.get(key)?.status).toBe('ready'));
    return app;
  }

  it('shows what the list has at once, and reads the rest of the plugin when it is opened', async () => {
    const app = await renderCatalog();
    expect(app.catalog.detailsAsked).toEqual([]);
    let release!: () => void;
    const read = app.core.handlers['catalog.details'];
    app.core.handlers['catalog.details'] = async (req) => {
      await new Promise<void>((resolve) => (release = resolve));
      return read(req);
    };
    await app.user.click(row('formcreator'));
    const details = screen.getByTestId('plugin-details');
    expect(within(details).getByRole('heading', { name: 'Form Creator' })).toBeInTheDocument();
    expect(within(details).getByTestId('details-availability')).toHaveTextContent('Included in your subscription');
    expect(within(details).getAllByTestId('version-row').length).toBeGreaterThan(0);
    expect(within(details).getByTestId('details-loading')).toHaveTextContent('Loading the description…');
    expect(within(details).queryByText('GPL-3.0-or-later')).toBeNull();
    expect(within(details).queryByTestId('details-links')).toBeNull();

    release();
    expect(await within(details).findByText('GPL-3.0-or-later')).toBeInTheDocument();
    expect(within(details).getByTestId('details-links')).toBeInTheDocument();
    expect(await within(details).findByTestId('plugin-description')).toHaveTextContent('Build forms.');
    expect(app.catalog.detailsAsked).toEqual(['formcreator']);

    // Back to the list and in again: kept, not read again.
    await app.user.click(within(details).getByTestId('details-back'));
    await app.user.click(row('formcreator'));
    expect(screen.getByTestId('plugin-details')).toHaveTextContent('GPL-3.0-or-later');
    expect(app.catalog.detailsAsked).toEqual(['formcreator']);
  });

  it('says why the details could not be read, and reads them again on Retry', async () => {
    const app = await renderCatalog();
    const read = app.core.handlers['catalog.details'];
    app.core.handlers['catalog.details'] = () => Promise.reject(new Error('disk on fire'));
    await app.user.click(row('fields'));
    const error = await screen.findByTestId('details-error');
    expect(error).toHaveAttribute('data-code', 'INTERNAL');
    app.core.handlers['catalog.details'] = read;
    await app.user.click(within(error).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('plugin-description')).toHaveTextContent('Add fields.');
  });

  it('lists every stable version with fit markers and the latest, and hides pre-releases', async () => {
    const { user, transport } = await openDetails('formcreator');
    const details = screen.getByTestId('plugin-details');
    expect(within(details).getByText('GPL-3.0-or-later')).toBeInTheDocument();
    expect(within(details).getByText("Teclib', Infotel")).toBeInTheDocument();
    expect(within(details).getByTestId('details-availability')).toHaveTextContent('Free');
    expect(within(details).getByTestId('details-availability')).toHaveTextContent('Included in your subscription');
    const table = within(details).getByRole('table', { name: /Versions of Form Creator/ });
    expect(within(table).getByRole('columnheader', { name: 'Fits GLPI 10.0.18' })).toBeInTheDocument();
    let rows = within(table).getAllByTestId('version-row');
    expect(rows.map((r) => r.getAttribute('data-version'))).toEqual(['2.13.0', '2.12.0']);
    expect(rows[0]).toHaveAttribute('data-fits', 'true');
    expect(rows[0]).toHaveAttribute('data-latest', 'true');
    expect(rows[0]).toHaveTextContent('Latest');
    expect(rows[0]).toHaveTextContent('~10.0.0');
    expect(rows[0]).toHaveTextContent('Yes');
    expect(rows[1]).toHaveAttribute('data-fits', 'false');
    expect(rows[1]).toHaveTextContent('No');
    expect(screen.getByTestId('prereleases-hidden')).toHaveTextContent('2 pre-release versions hidden.');

    await user.click(within(details).getByRole('checkbox', { name: 'Show pre-release versions' }));
    rows = within(table).getAllByTestId('version-row');
    expect(rows.map((r) => r.getAttribute('data-version'))).toEqual(['2.14.0-rc1', '2.14.0-beta1', '2.13.0', '2.12.0']);
    expect(rows[0]).toHaveAttribute('data-latest', 'true');
    expect(rows[0]).toHaveTextContent('rc');
    expect(screen.queryByTestId('prereleases-hidden')).toBeNull();
    await waitFor(() =>
      expect(transport.calls).toContainEqual({ channel: 'settings.update', payload: { includePrereleases: true } }),
    );
  });

  it('links only http(s) addresses, in a new window without opener or referrer', async () => {
    await openDetails('formcreator');
    const links = within(screen.getByTestId('details-links')).getAllByRole('link');
    expect(links.map((a) => a.textContent)).toEqual([
      'Homepage (opens in your browser)',
      'Issues (opens in your browser)',
      'Readme (opens in your browser)',
      'Changelog (opens in your browser)',
    ]);
    for (const a of links) {
      expect(a).toHaveAttribute('target', '_blank');
      expect(a).toHaveAttribute('rel', 'noopener noreferrer');
    }
    const shots = screen.getAllByRole('img', { name: /Screenshot/ });
    expect(shots).toHaveLength(1);
    expect(shots[0]).toHaveAttribute('src', 'https://example.com/shot1.png');
    expect(shots[0]).toHaveAttribute('loading', 'lazy');
  });

  it('shows hostile links as text', async () => {
    await openDetails('hostile');
    const list = screen.getByTestId('details-links');
    expect(within(list).getAllByRole('link')).toHaveLength(1);
    expect(within(list).getByRole('link')).toHaveAttribute('href', 'https://example.com/issues');
    expect(list).toHaveTextContent('Homepage: javascript:alert(1) (not a web address: not opened)');
    expect(list).toHaveTextContent('Readme: file:///etc/passwd (not a web address: not opened)');
    expect(document.querySelector('[href^="javascript:"], [href^="file:"]')).toBeNull();
  });

  it('renders hostile Markdown inert', async () => {
    await openDetails('hostile');
    const box = await screen.findByTestId('plugin-description');
    expect(box).toHaveTextContent('Hello there.');
    expect(box.querySelector('script, iframe, object, embed')).toBeNull();
    expect(box.querySelector('[onerror], [onclick], [onload]')).toBeNull();
    for (const el of box.querySelectorAll('*')) {
      for (const attr of ['href', 'src']) {
        const value = el.getAttribute(attr);
        if (value !== null) expect(value).toMatch(/^(https:|http:|mailto:)/);
      }
    }
    expect(box.innerHTML).not.toMatch(/javascript:|data:text/i);
    const images = box.querySelectorAll('img');
    expect(images).toHaveLength(1);
    expect(images[0]).toHaveAttribute('src', 'https://example.com/b.png');
    expect(images[0]).toHaveAttribute('loading', 'lazy');
    // The http image becomes a link; "click me" stays text.
    expect(within(box).getByRole('link', { name: 'Image: insecure' })).toHaveAttribute(
      'href',
      'http://example.com/a.png',
    );
    expect(within(box).queryByRole('link', { name: 'click me' })).toBeNull();
    expect(box).toHaveTextContent('click me');
    const safe = within(box).getByRole('link', { name: 'safe' });
    expect(safe).toHaveAttribute('href', 'https://example.com/docs');
    expect(safe).toHaveAttribute('target', '_blank');
    expect(safe).toHaveAttribute('rel', 'noopener noreferrer');
    expect(within(box).getByRole('link', { name: 'mail' })).toHaveAttribute('href', 'mailto:dev@example.com');
  });

  const HTML_PLUGIN = makePlugin('htmlplugin', {
    name: 'HTML Plugin',
    descriptions: [
      { lang: 'en', short: 'English', long: '<p>First paragraph &amp; more</p><p>Second <b>bold</b></p>' },
      { lang: 'fr', short: 'Français', long: '# Titre\n\nTexte **français**.' },
    ],
  });

  it('keeps the text of an HTML-written description, without its markup', async () => {
    await openDetails('htmlplugin', { catalog: { plugins: [HTML_PLUGIN] } });
    const box = await screen.findByTestId('plugin-description');
    expect(within(box).getByText('First paragraph & more')).toBeInTheDocument();
    expect(within(box).getByText('Second bold')).toBeInTheDocument();
    expect(box.querySelector('b')).toBeNull();
  });

  it('shows the long description in the UI language, author headings below the page headings', async () => {
    await openDetails('htmlplugin', { catalog: { plugins: [HTML_PLUGIN] }, settings: { language: 'fr_FR' } });
    const box = await screen.findByTestId('plugin-description');
    expect(within(box).getByRole('heading', { level: 3, name: 'Titre' })).toBeInTheDocument();
    expect(box.querySelector('strong')).toHaveTextContent('français');
    expect(box).not.toHaveTextContent('First paragraph');
  });
});

describe('Catalogue status', () => {
  it('says it is offline, since when, why and what to do', async () => {
    await renderCatalog({
      catalog: {
        status: {
          fetchedAt: '2025-06-14T12:00:00Z',
          failure: {
            cause: 'dns',
            message: 'getaddrinfo ENOTFOUND services.glpi-network.com',
            fix: 'Check the DNS server or the proxy settings.',
            at: '2025-06-15T11:59:00Z',
          },
        },
      },
    });
    const status = screen.getByTestId('catalog-status');
    expect(status).toHaveAttribute('data-offline', 'true');
    expect(status).toHaveTextContent('Updated 1 day ago');
    expect(status).toHaveTextContent('Offline — showing the list from Jun 14, 2025');
    expect(screen.getByTestId('catalog-offline')).toHaveAttribute('data-cause', 'dns');
    expect(status).toHaveTextContent('Cause: Name resolution (DNS). getaddrinfo ENOTFOUND services.glpi-network.com');
    expect(status).toHaveTextContent('What to do: Check the DNS server or the proxy settings.');
    // The doctor step that names this cause.
    expect(within(screen.getByTestId('catalog-offline')).getByRole('link', { name: /Diagnose/ })).toHaveAttribute(
      'href',
      '#doctor/network.dns',
    );
    expect(rowKeys()).toHaveLength(8);
  });

  it('tells a partial list with the failure of its own page, without calling it offline', async () => {
    await renderCatalog({
      catalog: {
        status: {
          complete: false,
          fetchedAt: '2025-06-15T11:59:58Z',
          failure: {
            cause: 'timeout',
            message: 'The plugin list is incomplete: page 3 failed (no answer within 30 s).',
            fix: 'Refresh again in a few minutes.',
            at: '2025-06-15T11:59:59Z',
          },
        },
      },
    });
    const status = screen.getByTestId('catalog-status');
    expect(status).toHaveAttribute('data-offline', 'false');
    expect(screen.queryByTestId('catalog-offline')).toBeNull();
    const incomplete = screen.getByTestId('catalog-incomplete');
    expect(incomplete).toHaveTextContent('The list is incomplete: a page failed');
    expect(incomplete).toHaveTextContent('page 3 failed (no answer within 30 s)');
    expect(incomplete).toHaveTextContent('What to do: Refresh again in a few minutes.');
  });

  it('says when the list is incomplete and which records could not be read', async () => {
    const { user } = await renderCatalog({
      catalog: {
        status: {
          complete: false,
          skipped: [
            { index: 3, key: 'broken', reason: 'versions is not an array' },
            { index: 9, key: null, reason: 'no key' },
          ],
        },
      },
    });
    expect(screen.getByTestId('catalog-incomplete')).toHaveTextContent('The list is incomplete');
    const skipped = screen.getByTestId('catalog-skipped');
    expect(skipped).toHaveTextContent('2 records from GLPI Network could not be read');
    expect(skipped).not.toHaveAttribute('open');
    await user.click(within(skipped).getByText(/could not be read/));
    expect(skipped).toHaveAttribute('open');
    expect(within(skipped).getByText('Record 3 (broken): versions is not an array')).toBeVisible();
    expect(within(skipped).getByText('Record 9: no key')).toBeInTheDocument();
  });

  it('without a valid key: says a key is needed and links to the Key screen', async () => {
    const { user } = await renderCatalog({
      registration: null,
      catalog: { plugins: [], status: { blocked: 'no-key', fetchedAt: null } },
    });
    const blocked = screen.getByTestId('catalog-blocked');
    expect(blocked).toHaveAttribute('data-reason', 'no-key');
    expect(blocked).toHaveTextContent('A valid registration key is needed');
    expect(screen.queryByTestId('catalog-list')).toBeNull();
    expect(screen.queryByTestId('catalog-empty')).toBeNull();
    expect(screen.queryByTestId('catalog-count')).toBeNull();
    expect(screen.getByTestId('catalog-status')).toHaveTextContent('The list has not been fetched yet.');
    await user.click(within(blocked).getByRole('link', { name: 'Go to the Registration key screen' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Registration key' })).toBeInTheDocument();
  });

  it('Refresh shows a spinner while the core refreshes, then the new age and list', async () => {
    const { user, catalog, clock } = await renderCatalog();
    const release = catalog.hold();
    catalog.nextRefresh = { plugins: [...PLUGINS, makePlugin('newone', { name: 'Brand New' })] };
    clock.advance(60_000);
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    const status = screen.getByTestId('catalog-status');
    await waitFor(() => expect(status).toHaveTextContent('Refreshing the list…'));
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled();
    expect(status.querySelector('.spinner')).not.toBeNull();
    act(() => release());
    await waitFor(() => expect(status).toHaveTextContent('Updated just now'));
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled();
    expect(screen.getByTestId('catalog-count')).toHaveTextContent('9 plugins');
  });

  it('follows catalog.changed: re-reads the list when fetchedAt changes', async () => {
    const { catalog, clock } = await renderCatalog();
    const reads = catalog.calls.length;
    act(() => catalog.set({ refreshing: true }));
    expect(catalog.calls.length).toBe(reads);
    clock.advance(1000);
    act(() => catalog.set({ refreshing: false, fetchedAt: clock.now().toISOString(), plugins: PLUGINS.slice(0, 3) }));
    await waitFor(() => expect(screen.getByTestId('catalog-count')).toHaveTextContent('3 plugins'));
    expect(catalog.calls.slice(reads)).toEqual(['catalog.list']);
  });

  it('changes the target GLPI version through settings.update and shows the list for it', async () => {
    const { user, transport, catalog } = await renderCatalog();
    await user.click(screen.getByRole('button', { name: 'Change GLPI version' }));
    const field = screen.getByLabelText('Target GLPI version');
    expect(field).toHaveFocus();
    expect(field).toHaveValue('10.0.18');
    await user.clear(field);
    await user.type(field, 'ten');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(await screen.findByTestId('catalog-version-error')).toHaveTextContent('The version was not changed');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    await user.clear(field);
    await user.type(field, '9.5.13{Enter}');
    await waitFor(() => expect(screen.getByTestId('catalog-glpi-version')).toHaveTextContent('For GLPI 9.5.13'));
    expect(transport.calls).toContainEqual({ channel: 'settings.update', payload: { glpiVersion: '9.5.13' } });
    expect(screen.getByRole('button', { name: 'Change GLPI version' })).toHaveFocus();
    await waitFor(() => expect(catalog.calls.filter((c) => c === 'catalog.list').length).toBeGreaterThan(1));
    await waitFor(() => expect(row('barcode')).toHaveAttribute('data-availability', 'included'));
    expect(row('fields')).toHaveTextContent('Not available for GLPI 9.5.13');
  });
});

describe('Catalogue with many plugins', () => {
  // A page is the rows that fit in the 960 px viewport, less one: 9 rows of 96 px, 17 of 52 px.
  it.each([
    ['comfortable', 96, 28],
    ['compact', 52, 52],
  ] as const)(
    'moves through a long list with Page Down (%s rows), and comes back from the details to the same place',
    async (density, height, posinset) => {
      const { user } = await renderCatalog({
        catalog: { plugins: syntheticPlugins(500, 3), tags: [] },
        view: { density, twoPane: false },
      });
      const list = screen.getByRole('listbox', { name: 'Plugins' });
      act(() => list.focus());
      await user.keyboard('{PageDown}{PageDown}{PageDown}');
      const id = list.getAttribute('aria-activedescendant') ?? '';
      const active = document.getElementById(id);
      expect(active).not.toBeNull();
      expect(Number(active?.getAttribute('aria-posinset'))).toBe(posinset);
      expect(active).toHaveStyle({ height: `${height}px` });
      // Scrolled so that the active row is in view.
      expect(list.scrollTop).toBeGreaterThan((posinset - 1) * height - 960);
      expect(list.scrollTop).toBeLessThanOrEqual((posinset - 1) * height);
      const scrolled = list.scrollTop;
      const key = active?.getAttribute('data-key');

      await user.keyboard('{Enter}');
      expect(screen.getByTestId('plugin-details')).toHaveAttribute('data-key', key);
      await user.keyboard('{Escape}');
      const back = screen.getByRole('listbox', { name: 'Plugins' });
      expect(back).not.toBe(list);
      expect(back).toHaveFocus();
      expect(back.scrollTop).toBe(scrolled);
      expect(document.getElementById(back.getAttribute('aria-activedescendant') ?? '')).toHaveAttribute(
        'data-key',
        key,
      );

      // A new search starts from the top.
      await user.type(screen.getByLabelText('Search plugins'), 'a');
      expect(back.scrollTop).toBe(0);
      const first = within(back).getAllByRole('option')[0];
      expect(back.getAttribute('aria-activedescendant')).toBe(first?.id);
    },
  );
});
