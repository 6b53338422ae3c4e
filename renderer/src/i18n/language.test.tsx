import { act, screen, waitFor } from '@testing-library/react';
import { createApi } from '../api/transport';
import { createAppStore } from '../store/app-store';
import { createCoreHarness } from '../test/core-harness';
import { createInMemoryTransport } from '../test/in-memory-transport';
import { renderApp } from '../test/render-app';
import { applyLanguage, localeOf, uiLanguageOf, untilLanguageKnown } from './language';
import { currentLocale, t } from './t';

// The app of the last test may still be on the page: it renders again in English.
afterEach(() => {
  act(() => {
    applyLanguage('en_US');
  });
});

describe('choosing the UI language from the language setting', () => {
  it.each([
    ['fr_FR', 'fr', 'fr-FR'],
    ['fr_CA', 'fr', 'fr-CA'],
    ['fr-BE', 'fr', 'fr-BE'],
    ['fr', 'fr', 'fr'],
    ['fr_FR.UTF-8', 'fr', 'fr-FR'],
    ['FR_fr', 'fr', 'fr-FR'],
    ['en_US', 'en', 'en-US'],
    ['en_GB', 'en', 'en-GB'],
    ['en', 'en', 'en'],
    ['de_DE', 'en', 'en'],
    ['pt_BR', 'en', 'en'],
    ['C', 'en', 'en'],
    ['C.UTF-8', 'en', 'en'],
    ['POSIX', 'en', 'en'],
    ['', 'en', 'en'],
    [null, 'en', 'en'],
    [undefined, 'en', 'en'],
  ])('%s → %s, formatted as %s', (setting, language, locale) => {
    expect(uiLanguageOf(setting)).toBe(language);
    expect(localeOf(setting)).toBe(locale);
  });
});

describe('applyLanguage', () => {
  it('switches the strings, the formatting locale and <html lang>', () => {
    expect(applyLanguage('fr_FR')).toBe('fr-FR');
    expect(t('key.save')).toBe('Enregistrer');
    expect(currentLocale()).toBe('fr-FR');
    expect(document.documentElement.lang).toBe('fr-FR');
    applyLanguage('it_IT');
    expect(t('key.save')).toBe('Save');
    expect(document.documentElement.lang).toBe('en');
  });
});

describe('untilLanguageKnown', () => {
  async function storeOver(configure?: (h: Awaited<ReturnType<typeof createCoreHarness>>) => void) {
    const harness = await createCoreHarness();
    configure?.(harness);
    return createAppStore(createApi(createInMemoryTransport(harness.core.handlers, harness.core.events)));
  }

  it('resolves once hydrate brought the settings', async () => {
    const store = await storeOver((h) => h.core.settings.update({ language: 'fr_CA' }));
    void store.getState().key.hydrate();
    await untilLanguageKnown(store, 5_000);
    expect(store.getState().ui.settings?.language).toBe('fr_CA');
    // A store alone changes nothing: the app on screen applies it.
    expect(currentLocale()).toBe('en-US');
    store.dispose();
  });

  it('resolves when the settings cannot be read, and after the timeout at the latest', async () => {
    const failing = await storeOver((h) => {
      h.core.handlers['settings.get'] = () => Promise.reject(new Error('no settings'));
    });
    void failing.getState().key.hydrate();
    await untilLanguageKnown(failing, 5_000);
    expect(failing.getState().key.load.status).toBe('error');
    failing.dispose();

    const silent = await storeOver();
    const started = Date.now();
    await untilLanguageKnown(silent, 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    silent.dispose();
  });
});

describe('the app in the language of the setting', () => {
  it('is not switched by a store no window shows', async () => {
    await renderApp();
    await waitFor(() => expect(screen.getByTestId('key-badge')).toHaveTextContent('No key'));
    const harness = await createCoreHarness();
    harness.core.settings.update({ language: 'fr_FR' });
    const other = createAppStore(createApi(createInMemoryTransport(harness.core.handlers, harness.core.events)));
    await act(() => other.getState().key.hydrate());
    expect(other.getState().ui.settings?.language).toBe('fr_FR');
    expect(screen.getByTestId('key-badge')).toHaveTextContent('No key');
    expect(document.documentElement.lang).toBe('en-US');
    other.dispose();
  });

  it('starts in French when the profile language is French, with <html lang>', async () => {
    await renderApp({}, ({ core }) => core.settings.update({ language: 'fr_FR' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Clé d’enregistrement' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Principale' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Installés' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('key-badge')).toHaveTextContent('Aucune clé'));
    expect(document.documentElement.lang).toBe('fr-FR');
  });

  it('switches when settings.changed brings another language, keeping what was typed and the focus', async () => {
    const { core, user } = await renderApp();
    await waitFor(() => expect(screen.getByTestId('key-badge')).toHaveTextContent('No key'));
    const field = screen.getByLabelText('Registration key', { selector: 'input, textarea' });
    await user.type(field, 'abc');
    expect(field).toHaveFocus();

    act(() => {
      core.settings.update({ language: 'fr_FR' });
    });
    await waitFor(() => expect(screen.getByTestId('key-badge')).toHaveTextContent('Aucune clé'));
    expect(screen.getByRole('heading', { level: 1, name: 'Clé d’enregistrement' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enregistrer' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('fr-FR');
    // The same field, not a new one: nothing was reloaded or mounted again.
    expect(screen.getByLabelText('Clé d’enregistrement', { selector: 'input, textarea' })).toBe(field);
    expect(field).toHaveValue('abc');
    expect(field).toHaveFocus();

    act(() => {
      core.settings.update({ language: 'en_GB' });
    });
    await waitFor(() => expect(screen.getByTestId('key-badge')).toHaveTextContent('No key'));
    expect(screen.getByRole('button', { name: 'Save' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en-GB');
  });
});
