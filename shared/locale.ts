/**
 * The one reader of locale names, wherever they come from: LANG/LC_ALL (`fr_FR.UTF-8`), Chromium
 * (`en-US`, `es-419`), the profile's language setting (`fr_FR`, `FR_fr`). Pure, for every layer.
 */
export interface Locale {
  /** Lower case: `fr`, `en`, `ast`. */
  language: string;
  /** Upper case, or a UN M.49 area: `FR`, `BR`, `419`; undefined when none. */
  region: string | undefined;
}

/** `fr_FR.UTF-8` → fr/FR; `en-us` → en/US; `fr` → fr; `C`, `POSIX`, '' and anything unreadable → null. */
export function parseLocale(raw: string | null | undefined): Locale | null {
  const match = /^([a-z]{2,3})(?:[_-]([a-z]{2}|\d{3}))?(?=$|[.@_-])/i.exec((raw ?? '').trim());
  return match?.[1] ? { language: match[1].toLowerCase(), region: match[2]?.toUpperCase() } : null;
}

/** The form the core keeps (`en_US`, `fr`, `es_419`); `en_US` when the name says nothing (`C`, ''). */
export function systemLanguageOf(raw: string | null | undefined): string {
  const locale = parseLocale(raw);
  if (!locale) return 'en_US';
  return locale.region ? `${locale.language}_${locale.region}` : locale.language;
}
