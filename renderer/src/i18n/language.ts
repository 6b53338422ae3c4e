import { useLayoutEffect, useSyncExternalStore } from 'react';
import { parseLocale } from '../../../shared/locale';
import { en as coreEn, type Messages } from '../../../shared/messages/en';
import { fr as coreFr } from '../../../shared/messages/fr';
import type { AppState, AppStore } from '../store/app-store';
import { en, type Catalog } from './en';
import { fr } from './fr';
import { currentLocale, onLocaleChange, setCatalog } from './t';

/**
 * Which language the UI speaks. The profile's `language` setting (`fr_FR`, `en_US`…; the OS language
 * unless the admin chose one) decides: any French → French, anything else → English.
 *
 * The text the UI owns comes from ./en.ts or ./fr.ts; what the core sends with a catalogue reference
 * (the doctor's checks and report, install errors) from shared/messages in the same language. The
 * rest of what the core sends (availability reasons, job steps) stays as the core wrote it; plugin
 * descriptions come from GLPI Network in the UI language when the author gave one.
 */
export type UiLanguage = 'en' | 'fr';

const CATALOGS: { readonly [L in UiLanguage]: Catalog } = { en, fr };
const CORE_MESSAGES: { readonly [L in UiLanguage]: Messages } = { en: coreEn, fr: coreFr };

export function uiLanguageOf(setting: string | null | undefined): UiLanguage {
  return parseLocale(setting)?.language === 'fr' ? 'fr' : 'en';
}

/**
 * The BCP 47 locale dates, numbers and plurals follow: the setting's region when the UI speaks its
 * language (`fr_CA` → `fr-CA`, `en_GB` → `en-GB`), else the UI language alone (`de_DE` → `en`: the
 * text is English, so are the dates around it).
 */
export function localeOf(setting: string | null | undefined): string {
  const language = uiLanguageOf(setting);
  const parsed = parseLocale(setting);
  if (parsed?.language !== language || !parsed.region) return language;
  try {
    return Intl.getCanonicalLocales(`${language}-${parsed.region}`)[0] ?? language;
  } catch {
    return language;
  }
}

/**
 * Puts the UI in the language a setting names: the catalogue, the formatting locale and
 * `<html lang>` (screen readers pick their voice from it). Returns the locale in force.
 */
export function applyLanguage(setting: string | null | undefined): string {
  const locale = localeOf(setting);
  const language = uiLanguageOf(setting);
  setCatalog(CATALOGS[language], locale, CORE_MESSAGES[language]);
  if (typeof document !== 'undefined' && document.documentElement.lang !== locale) {
    document.documentElement.lang = locale;
  }
  return locale;
}

/** The locale in force; a component calling it renders again when the language changes. */
export function useLocale(): string {
  return useSyncExternalStore(onLocaleChange, currentLocale);
}

/**
 * The app's language: applies the profile's setting (null: not read yet, keep the current one) and
 * renders the caller again in it. A layout effect, so the switch is drawn before the next paint; it
 * belongs to the app on screen, never to a store alone (a store no window shows changes nothing).
 */
export function useUiLanguage(setting: string | null): string {
  useLayoutEffect(() => {
    if (setting !== null) applyLanguage(setting);
  }, [setting]);
  return useLocale();
}

/**
 * Resolves once the store knows the profile's settings (so the language) or gave up reading them,
 * or after `timeoutMs`: the first paint waits for it so it is already in the admin's language.
 */
export function untilLanguageKnown(store: AppStore, timeoutMs: number): Promise<void> {
  const known = (s: AppState) => s.ui.settings !== null || ['ready', 'error'].includes(s.key.load.status);
  return new Promise((resolve) => {
    if (known(store.getState())) {
      resolve();
      return;
    }
    const finish = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    const off = store.subscribe((state) => {
      if (known(state)) finish();
    });
  });
}
