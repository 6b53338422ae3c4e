import { en } from './en';
import { formatRelative } from './format';
import { setCatalog, t } from './t';

describe('t', () => {
  afterEach(() => setCatalog(en, 'en'));

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
});
