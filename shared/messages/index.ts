import { parseLocale } from '../locale';
import { en, type Messages } from './en';
import { fr } from './fr';

export { en, type Messages, type MessageId } from './en';
export { fr } from './fr';
export { english, ref, render, type MessageRef } from './ref';

export type MessageLanguage = 'en' | 'fr';

/** Any French locale name (`fr_FR.UTF-8`, `fr-CA`) → French; anything else → English. */
export function messageLanguageOf(locale: string | null | undefined): MessageLanguage {
  return parseLocale(locale)?.language === 'fr' ? 'fr' : 'en';
}

export function messagesFor(language: MessageLanguage): Messages {
  return language === 'fr' ? fr : en;
}

/** The locale POSIX programs speak: LC_ALL, else LC_MESSAGES, else LANG (the first one set). */
export function localeFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
}
