import { en, type Catalog, type MessageKey } from './en';

/** The language of the UI. Only English exists for now; `fr` will plug in here. */
let catalog: Catalog = en;
let locale = 'en';

export function setCatalog(next: Catalog, nextLocale: string): void {
  catalog = next;
  locale = nextLocale;
}

export function currentLocale(): string {
  return locale;
}

export type MessageParams = Record<string, string | number>;

/** The only way the UI reads a string. Unknown `{params}` stay visible so a gap is noticed. */
export function t(key: MessageKey, params: MessageParams = {}): string {
  const entry = catalog[key];
  let text: string;
  if (typeof entry === 'string') {
    text = entry;
  } else {
    const count = typeof params.count === 'number' ? params.count : Number(params.count ?? 0);
    const form = new Intl.PluralRules(locale).select(count);
    text = form === 'one' ? entry.one : entry.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export type { MessageKey };
