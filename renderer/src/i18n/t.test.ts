import { en } from './en';
import { formatDate, formatDateTime, formatRelative, formatRelativeWithDate } from './format';
import { fr } from './fr';
import { currentLocale, onLocaleChange, setCatalog, t } from './t';
import { formatCompact, formatNumber, formatRating } from '../store/catalog-view';

afterEach(() => setCatalog(en, 'en'));

describe('t', () => {
  it('fills parameters and picks the plural form by count', () => {
    expect(t('badge.validTier', { tier: 'Basic' })).toBe('Valid · Basic');
    expect(t('key.details.daysLeft', { count: 1 })).toBe('1 day left');
    expect(t('key.details.daysLeft', { count: 12 })).toBe('12 days left');
  });

  it('leaves an unknown parameter visible instead of hiding a gap', () => {
    expect(t('badge.validTier')).toBe('Valid · {tier}');
  });

  it('reads from the catalogue in force', () => {
    setCatalog({ ...en, 'key.save': 'Enregistrer' }, 'fr');
    expect(t('key.save')).toBe('Enregistrer');
  });

  it('tells its followers when the catalogue or the locale changes, once per change', () => {
    const seen: string[] = [];
    const off = onLocaleChange(() => seen.push(currentLocale()));
    setCatalog(fr, 'fr-FR');
    setCatalog(fr, 'fr-FR');
    setCatalog(fr, 'fr-CA');
    off();
    setCatalog(en, 'en');
    expect(seen).toEqual(['fr-FR', 'fr-CA']);
  });
});

describe('t with the French catalogue', () => {
  beforeEach(() => setCatalog(fr, 'fr-FR'));

  it('uses French plural rules: 0 and 1 are singular, 2 and more plural', () => {
    expect(t('key.details.daysLeft', { count: 0 })).toBe('0 jour restant');
    expect(t('key.details.daysLeft', { count: 1 })).toBe('1 jour restant');
    expect(t('key.details.daysLeft', { count: 2 })).toBe('2 jours restants');
    expect(t('catalog.count', { count: 0, formatted: '0' })).toBe('0 greffon');
    expect(t('catalog.count', { count: 1, formatted: '1' })).toBe('1 greffon');
    expect(t('catalog.count', { count: 2, formatted: '2' })).toBe('2 greffons');
    expect(t('nav.updates', { count: 3 })).toBe(', 3 mises à jour');
  });

  it('takes the plural for large round numbers (CLDR "many")', () => {
    expect(t('catalog.count', { count: 1_000_000, formatted: '1 M' })).toBe('1 M greffons');
  });

  it('fills parameters and keeps a non-breaking space before the colon', () => {
    expect(t('key.action.failed', { message: 'EACCES' })).toBe('L’action a échoué\u00a0: EACCES');
    expect(t('installed.job.progress', { step: 'Téléchargement', percent: 40 })).toBe(
      'Téléchargement\u00a0: 40\u00a0%',
    );
    expect(t('installed.job.failed', { step: 'extract', message: 'disk full' })).toBe(
      'Échec à l’étape «\u00a0extract\u00a0»\u00a0: disk full',
    );
  });
});

describe('formatRelative', () => {
  const now = new Date('2025-06-15T12:00:00Z');
  it.each([
    ['2025-06-15T11:59:40Z', 'just now'],
    ['2025-06-15T11:55:00Z', '5 minutes ago'],
    ['2025-06-15T09:00:00Z', '3 hours ago'],
    ['2025-06-13T12:00:00Z', '2 days ago'],
    ['2025-06-15T12:30:00Z', 'in 30 minutes'],
    ['2025-06-16T12:00:00Z', 'in 1 day'],
  ])('%s is "%s"', (at, text) => {
    expect(formatRelative(at, now)).toBe(text);
  });

  it.each([
    ['2025-06-15T11:59:40Z', 'à l’instant'],
    ['2025-06-15T11:59:00Z', 'il y a 1 minute'],
    ['2025-06-15T11:55:00Z', 'il y a 5 minutes'],
    ['2025-06-15T11:00:00Z', 'il y a 1 heure'],
    ['2025-06-13T12:00:00Z', 'il y a 2 jours'],
    ['2025-06-15T12:00:20Z', 'dans un instant'],
    ['2025-06-16T12:00:00Z', 'dans 1 jour'],
  ])('in French, %s is "%s"', (at, text) => {
    setCatalog(fr, 'fr-FR');
    expect(formatRelative(at, now)).toBe(text);
  });
});

describe('dates and numbers follow the locale', () => {
  it('writes dates the French way', () => {
    setCatalog(fr, 'fr-FR');
    expect(formatDate('2025-06-15')).toBe('15 juin 2025');
    expect(formatDate('2026-01-01')).toBe('1 janv. 2026');
    // A calendar day is the same day whatever the time zone.
    expect(formatDateTime('2025-12-31')).toBe('31 déc. 2025');
    expect(formatDateTime('2025-06-15T12:00:00Z')).toMatch(/^15 juin 2025(,| à) \d{2}:\d{2}$/);
    expect(formatRelativeWithDate('2025-06-15T11:55:00Z', new Date('2025-06-15T12:00:00Z'))).toMatch(
      /^il y a 5 minutes \(15 juin 2025(,| à) \d{2}:\d{2}\)$/,
    );
  });

  it('writes dates the English way', () => {
    expect(formatDate('2025-06-15')).toBe('Jun 15, 2025');
  });

  it('groups and separates numbers the French way', () => {
    setCatalog(fr, 'fr-FR');
    expect(formatNumber(1234567)).toBe('1\u202f234\u202f567');
    expect(formatRating(4.5)).toBe('4,5');
    expect(formatCompact(12_300)).toBe('12,3\u00a0k');
    setCatalog(en, 'en');
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatRating(4.5)).toBe('4.5');
  });
});
