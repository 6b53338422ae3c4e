import { describe, expect, it } from 'vitest';
import { parseLocale, systemLanguageOf } from './locale';

describe('parseLocale', () => {
  it.each([
    ['fr_FR.UTF-8', { language: 'fr', region: 'FR' }],
    ['en-us', { language: 'en', region: 'US' }],
    ['FR_fr', { language: 'fr', region: 'FR' }],
    ['es-419', { language: 'es', region: '419' }],
    ['de_DE@euro', { language: 'de', region: 'DE' }],
    ['fr', { language: 'fr', region: undefined }],
    ['C', null],
    ['C.UTF-8', null],
    ['POSIX', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (raw, expected) => {
    expect(parseLocale(raw)).toEqual(expected);
  });
});

describe('systemLanguageOf', () => {
  it.each([
    ['en-US', 'en_US'],
    ['fr', 'fr'],
    ['pt-br', 'pt_BR'],
    ['es-419', 'es_419'],
    ['fr_FR.UTF-8', 'fr_FR'],
    ['', 'en_US'],
    ['C', 'en_US'],
    ['C.UTF-8', 'en_US'],
  ])('%j → %j', (raw, expected) => {
    expect(systemLanguageOf(raw)).toBe(expected);
  });
});
