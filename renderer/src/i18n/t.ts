import type { ErrorShape } from '../../../shared/errors';
import { en as coreEn, type Messages } from '../../../shared/messages/en';
import { render, type MessageRef } from '../../../shared/messages/ref';
import { en, type Catalog, type MessageKey } from './en';

/**
 * The language of the UI: the catalogue strings come from and the locale dates, numbers and plural
 * forms follow. ./language.ts chooses them from the profile's language setting.
 */
let catalog: Catalog = en;
let locale = 'en';
/** The core's messages (shared/messages) in the same language. */
let core: Messages = coreEn;
const listeners = new Set<() => void>();
const pluralRules = new Map<string, Intl.PluralRules>();

export function setCatalog(next: Catalog, nextLocale: string, nextCore: Messages = coreEn): void {
  if (next === catalog && nextLocale === locale && nextCore === core) return;
  catalog = next;
  locale = nextLocale;
  core = nextCore;
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

/** The core's messages in the UI language, for what the core sends with references (doctor checks, errors). */
export function coreMessages(): Messages {
  return core;
}

/**
 * A text the core sent: its reference rendered in the UI language; in English, or without a
 * reference, the core's own text exactly as it wrote it.
 */
export function coreText(message: MessageRef | undefined, fallback: string): string {
  return core === coreEn ? fallback : render(core, message, fallback);
}

/** An error's message in the UI language (see `coreText`). */
export function errorMessage(error: Pick<ErrorShape, 'message' | 'ref'>): string {
  return coreText(error.ref, error.message);
}

/** An error's fix in the UI language; '' when it has none. */
export function errorFix(error: Pick<ErrorShape, 'fix' | 'fixRef'>): string {
  return error.fix ? coreText(error.fixRef, error.fix) : '';
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
