import { screen, waitFor } from '@testing-library/react';
import type { CatalogPlugin } from '../../../shared/catalog';
import type { CoreHarness } from './core-harness';
import { makePlugin } from './fake-catalog';
import { FakePlugins, makeInstalled, type FakePluginsOptions } from './fake-plugins';
import { renderCatalog, rowKeys, type CatalogTestOptions, type RenderedCatalog } from './render-catalog';

/**
 * The Catalogue over the real core with both stand-ins: FakeCatalog (the list) and FakePlugins (the
 * active GLPI instance, its plugins and the actions), for installing from the catalogue.
 */

export interface CatalogInstallTestOptions extends CatalogTestOptions {
  /** The instance and its plugins (FakePlugins' defaults: instance "prod", GLPI 10.0.18). */
  instance?: FakePluginsOptions;
}

export interface RenderedCatalogInstall extends RenderedCatalog {
  plugins: FakePlugins;
}

/** A small catalogue made for installs on GLPI 10.0.18 (free, Standard-only, GLPI 9.5-only plugins). */
export const INSTALL_PLUGINS: CatalogPlugin[] = [
  makePlugin('formcreator', {
    name: 'Form Creator',
    downloads: 50_000,
    versions: [
      { num: '2.12.0', compatibility: ['~9.5.0'], stability: 'stable' },
      { num: '2.12.5', compatibility: ['~10.0.0'], stability: 'stable' },
      { num: '2.13.0', compatibility: ['~10.0.0'], stability: 'stable' },
      { num: '2.13.1', compatibility: ['~10.0.0'], stability: 'stable' },
      { num: '2.14.0-rc1', compatibility: ['~10.0.0'], stability: 'rc' },
    ],
  }),
  makePlugin('fields', {
    name: 'Additional Fields',
    downloads: 40_000,
    versions: [{ num: '1.21.0', compatibility: ['~10.0.0'], stability: 'stable' }],
  }),
  makePlugin('datainjection', {
    name: 'Data Injection',
    downloads: 30_000,
    versions: [
      { num: '2.13.4', compatibility: ['~10.0.0'], stability: 'stable' },
      { num: '2.13.5', compatibility: ['~10.0.3'], stability: 'stable' },
    ],
  }),
  makePlugin('escalade', {
    name: 'Escalade',
    downloads: 20_000,
    requiredOffers: ['standard', 'advanced'],
    versions: [
      { num: '2.9.0', compatibility: ['~10.0.0'], stability: 'stable' },
      { num: '2.10.0', compatibility: ['~10.0.0'], stability: 'stable' },
    ],
  }),
  makePlugin('barcode', {
    name: 'Legacy Barcode',
    downloads: 10_000,
    versions: [{ num: '2.4.0', compatibility: ['9.5'], stability: 'stable' }],
  }),
];

/** formcreator 2.13.0 with an update to 2.13.1, fields 1.21.0 up to date, a shadowed old copy of fields. */
export const INSTALL_INSTALLED = [
  makeInstalled('formcreator', { name: 'Form Creator', version: '2.13.0', update: '2.13.1' }),
  makeInstalled('fields', { name: 'Fields', version: '1.21.0' }),
  makeInstalled('fields', {
    location: 'plugins',
    path: '/srv/glpi/plugins/fields',
    version: '1.19.0',
    shadowedBy: 'marketplace',
  }),
];

/**
 * After a successful install the instance holds the version installed (FakePlugins may already do
 * it: this only fills the gap, so the Installed view read afterwards is what the core would list).
 */
function keepInstallsInView(harness: CoreHarness, plugins: FakePlugins): void {
  const handlers = harness.core.handlers;
  const install = handlers['plugins.install'];
  handlers['plugins.install'] = async (req) => {
    const report = await install(req);
    const to = report.to;
    if (to !== null) {
      const loaded = plugins.plugins.find((p) => p.key === req.key && p.shadowedBy === null);
      if (!loaded) plugins.plugins.push(makeInstalled(req.key, { version: to }));
      else if (loaded.version !== to) Object.assign(loaded, { version: to, update: null });
    }
    return report;
  };
}

export async function renderCatalogInstall(options: CatalogInstallTestOptions = {}): Promise<RenderedCatalogInstall> {
  let plugins!: FakePlugins;
  const app = await renderCatalog({
    ...options,
    catalog: { plugins: INSTALL_PLUGINS, ...options.catalog },
    configure: (harness, catalog) => {
      plugins = new FakePlugins(harness, { plugins: structuredClone(INSTALL_INSTALLED), ...options.instance });
      keepInstallsInView(harness, plugins);
      options.configure?.(harness, catalog);
    },
  });
  await waitFor(() => expect(app.store.getState().installed.loadState.status).toBe('ready'));
  return { ...app, plugins };
}

/** The catalogue row of `key` (it must be rendered). */
export function catalogRow(key: string): HTMLElement {
  const found = screen.getAllByTestId('catalog-row').find((r) => r.getAttribute('data-key') === key);
  if (!found) throw new Error(`No row for ${key}; rows: ${rowKeys().join(', ')}`);
  return found;
}

/** Opens the details of `key` from the list. */
export async function openDetails(app: RenderedCatalog, key: string): Promise<HTMLElement> {
  await app.user.click(catalogRow(key));
  const details = await screen.findByTestId('plugin-details');
  expect(details).toHaveAttribute('data-key', key);
  return details;
}

/** The version row of `num` in the open details. */
export function versionRow(num: string): HTMLElement {
  const found = screen.getAllByTestId('version-row').find((r) => r.getAttribute('data-version') === num);
  if (!found) throw new Error(`No version row ${num}`);
  return found;
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
