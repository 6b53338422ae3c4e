import { en, type Catalog, type MessageKey } from './en';

/**
 * The language of the UI: the catalogue strings come from and the locale dates, numbers and plural
 * forms follow. ./language.ts chooses them from the profile's language setting.
 */
let catalog: Catalog = en;
let locale = 'en';
const listeners = new Set<() => void>();
const pluralRules = new Map<string, Intl.PluralRules>();

export function setCatalog(next: Catalog, nextLocale: string): void {
  if (next === catalog && nextLocale === locale) return;
  catalog = next;
  locale = nextLocale;
  for (const listener of [...listeners]) listener();
}

export function currentLocale(): string {
  return locale;
}

/** Follows every change of catalogue or locale (for `useSyncExternalStore`); returns the unsubscribe function. */
export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function pluralForm(count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(count);
}

export type MessageParams = Record<string, string | number>;

/**
 * The only way the UI reads a string. Plural objects are chosen by `count` with the locale's rules
 * (French: 0 and 1 are "one"; CLDR's "many" of large round numbers takes "other"). Unknown
 * `{params}` stay visible so a gap is noticed.
 */
export function t(key: MessageKey, params: MessageParams = {}): string {
  const entry = catalog[key];
  let text: string;
  if (typeof entry === 'string') {
    text = entry;
  } else {
    const count = typeof params.count === 'number' ? params.count : Number(params.count ?? 0);
    text = pluralForm(count) === 'one' ? entry.one : entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export type { MessageKey };
