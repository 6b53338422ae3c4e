import { screen, waitFor } from '@testing-library/react';
import type { ProfileSettings } from '../../../shared/model';
import { STANDARD, type CoreHarness, type CoreHarnessOptions, type Registration } from './core-harness';
import { defaultViewPrefs, saveViewPrefs, type ViewPrefs } from '../store/view-prefs';
import { FakeCatalog, type FakeCatalogOptions } from './fake-catalog';
import { renderApp, type RenderedApp } from './render-app';

export const GOOD_KEY = 'eyJrZXkiOiJnb29kIn0sig1234567890';

export interface CatalogTestOptions {
  /** The registration GLPI Network answers for the stored key; null: no key stored. */
  registration?: Registration | null;
  catalog?: FakeCatalogOptions;
  /** Profile settings saved before the app starts. */
  settings?: Partial<Pick<ProfileSettings, 'glpiVersion' | 'language' | 'includePrereleases' | 'catalogView'>>;
  screen?: 'Catalogue' | 'Entitlements';
  harness?: CoreHarnessOptions;
  configure?: (harness: CoreHarness, catalog: FakeCatalog) => void;
  /** The view choices remembered from an earlier run (default: compact rows, one pane, as at 1024 px). */
  view?: Partial<ViewPrefs>;
}

export interface RenderedCatalog extends RenderedApp {
  catalog: FakeCatalog;
}

/**
 * The whole app over the real key core plus the fake catalogue service, opened on the Catalogue
 * (or Entitlements) screen once the key status is known.
 */
export async function renderCatalog(options: CatalogTestOptions = {}): Promise<RenderedCatalog> {
  const registration = options.registration === undefined ? STANDARD : options.registration;
  const harnessOptions: CoreHarnessOptions =
    options.harness ?? (registration ? { stored: { key: GOOD_KEY }, registrations: { [GOOD_KEY]: registration } } : {});
  let catalog!: FakeCatalog;
  if (options.view) saveViewPrefs(window.localStorage, { ...defaultViewPrefs(1024), ...options.view });
  const app = await renderApp(harnessOptions, (harness) => {
    if (options.settings) harness.core.settings.update(options.settings);
    catalog = new FakeCatalog(harness, options.catalog);
    options.configure?.(harness, catalog);
  });
  await waitFor(() => expect(screen.getByTestId('key-badge')).not.toHaveAttribute('data-state', 'loading'));
  await app.user.click(screen.getByRole('link', { name: options.screen ?? 'Catalogue' }));
  await waitFor(() => expect(app.store.getState().catalog.load.status).toBe('ready'));
  return { ...app, catalog };
}

/** Keys of the rows in the DOM, top to bottom. */
export function rowKeys(): string[] {
  return screen.queryAllByTestId('catalog-row').map((row) => row.getAttribute('data-key') ?? '');
}
