import { describe, expect, it } from 'vitest';
import { normalizeGlpiVersion, acceptLanguage } from './glpi-version';
import { KEY_MAX_LENGTH, maskKey, normalizeKey } from './key-format';
import { daysLeft } from './model';

const KEY = 'eyJjdXN0b21lcl9yZWZlcmVuY2UiOiJBQ01FIn0=';

describe('normalizeKey', () => {
  it.each([
    [KEY, KEY],
    [`  ${KEY}\n`, KEY],
    [`\t${KEY}\r\n`, KEY],
  ])('accepts and trims %j', (raw, key) => {
    expect(normalizeKey(raw)).toEqual({ ok: true, key });
  });

  it.each([
    ['empty', ''],
    ['empty', '   \n'],
    ['too-short', 'abc'],
    ['too-long', 'x'.repeat(KEY_MAX_LENGTH + 1)],
    ['whitespace', `${KEY.slice(0, 10)} ${KEY.slice(10)}`],
    ['whitespace', `${KEY.slice(0, 10)}\n${KEY.slice(10)}`],
    ['control', `${KEY}\u0000`],
    ['control', `${KEY.slice(0, 5)}\u0007${KEY.slice(5)}`],
    ['quotes', `"${KEY}"`],
    ['quotes', `'${KEY}'`],
    ['non-ascii', `${KEY}é`],
    ['non-ascii', `${KEY}\u200b`],
  ])('refuses a key with problem %s, with a fix', (problem, raw) => {
    const result = normalizeKey(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      expect(result.fix.length).toBeGreaterThan(10);
      expect(result.message).not.toContain(KEY);
    }
  });

  it('masks to the first and last four characters only', () => {
    expect(maskKey(KEY)).toBe('eyJj…In0=');
    expect(maskKey('short-key-12')).toBe('••••');
  });
});

describe('GLPI version helpers', () => {
  it.each([
    ['10.0', '10.0.0'],
    ['10.0.18', '10.0.18'],
    ['11.0.0-dev', '11.0.0'],
    ['11.0.0-rc2', '11.0.0'],
    ['9.4.1.1', '9.4.1'],
    ['9.5.13+security', '9.5.13'],
  ])('normalises %s to %s as GLPI does for its User-Agent', (raw, normalised) => {
    expect(normalizeGlpiVersion(raw)).toBe(normalised);
  });

  it.each([
    ['fr_FR', 'fr'],
    ['pt_BR', 'pt'],
    ['es_419', 'es'],
    ['eo', 'eo'],
    ['en-GB', 'en'],
  ])('sends %s as Accept-Language %s', (lang, header) => {
    expect(acceptLanguage(lang)).toBe(header);
  });
});

describe('daysLeft', () => {
  const now = new Date('2026-06-01T10:00:00Z');
  it('counts the end day as a whole day', () => {
    expect(daysLeft('2026-06-01', now)).toBe(1);
    expect(daysLeft('2026-06-30', now)).toBe(30);
    expect(daysLeft('2026-05-31', now)).toBe(0);
    expect(daysLeft('2026-05-01', now)).toBeLessThan(0);
  });
  it('is null without a usable date', () => {
    expect(daysLeft(null, now)).toBeNull();
    expect(daysLeft('soon', now)).toBeNull();
  });
});
