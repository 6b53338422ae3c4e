import { describe, expect, it } from 'vitest';
import { fitsAny, isCompatible, parseCompatibility } from './compatibility';

describe('isCompatible', () => {
  // Every value docs/glpi-network-api.md §5.1 lists, on both sides of its edges.
  it.each([
    ['0.85', '0.85.0', true],
    ['0.85', '0.85.5', true],
    ['0.85', '0.90.1', false],
    ['0.85', '9.5.0', false],
    ['0.90', '0.90.1', true],
    ['0.90', '0.9.0', false],
    ['9.1', '9.1.0', true],
    ['9.1', '9.1.8', true],
    ['9.1', '9.2.0', false],
    ['9.1', '9.0.9', false],
    ['9.1.2', '9.1.2', true],
    ['9.1.2', '9.1.3', false],
    ['9.1.2', '9.1.1', false],
    ['9.2.1', '9.2.1', true],
    ['9.2.1', '9.2.2', false],
    ['9.3', '9.3.5', true],
    ['9.3', '9.4.0', false],
    ['10.0', '10.0.0', true],
    ['10.0', '10.0.18', true],
    ['10.0', '10.1.0', false],
    ['10.0', '11.0.0', false],
    ['10.0', '9.5.13', false],
    ['~10.0.0', '10.0.0', true],
    ['~10.0.0', '10.0.20', true],
    ['~10.0.0', '10.1.0', false],
    ['~10.0.0', '11.0.0', false],
    ['~10.0.0', '9.5.7', false],
    ['~10.0.3', '10.0.2', false],
    ['~10.0.11', '10.0.10', false],
    ['~10.0.11', '10.0.11', true],
    ['~10.0.11', '10.0.18', true],
    ['~10.0.20', '10.0.19', false],
    ['~10.0.20', '10.0.20', true],
    ['~11.0.0', '11.0.0', true],
    ['~11.0.0', '11.0.1', true],
    ['~11.0.0', '11.1.0', false],
    ['~11.0.0', '10.0.18', false],
  ])('catalogue value %j on GLPI %s → %s', (compat, glpi, expected) => {
    expect(isCompatible(compat, glpi)).toBe(expected);
  });

  // §5.2: "~10.0.3 implies 10.0.3, 10.0.4, 10.0.5, 10.0.6, etc (but not 10.1.0, 10.1.1)"; a plain
  // 10.0.3 did not match 10.0.5.
  it.each([
    ['~10.0.3', '10.0.3', true],
    ['~10.0.3', '10.0.4', true],
    ['~10.0.3', '10.0.5', true],
    ['~10.0.3', '10.0.6', true],
    ['~10.0.3', '10.0.99', true],
    ['~10.0.3', '10.1.0', false],
    ['~10.0.3', '10.1.1', false],
    ['10.0.3', '10.0.3', true],
    ['10.0.3', '10.0.5', false],
  ])('§5.2 example %j on GLPI %s → %s', (compat, glpi, expected) => {
    expect(isCompatible(compat, glpi)).toBe(expected);
  });

  it.each([
    // Tilde with fewer parts, bare majors, wildcards.
    ['~10.0', '10.5.0', true],
    ['~10.0', '11.0.0', false],
    ['~10.0', '9.5.0', false],
    ['~10', '10.9.9', true],
    ['~10', '11.0.0', false],
    ['10', '10.3.1', true],
    ['10', '11.0.0', false],
    ['10.0.*', '10.0.7', true],
    ['10.0.*', '10.1.0', false],
    ['10.*', '10.4.0', true],
    ['10.*.*', '10.4.0', true],
    ['10.*', '11.0.0', false],
    ['10.0.x', '10.0.2', true],
    ['*', '0.72.0', true],
    ['v10.0.3', '10.0.3', true],
    // Caret.
    ['^10.0.3', '10.0.3', true],
    ['^10.0.3', '10.9.0', true],
    ['^10.0.3', '10.0.2', false],
    ['^10.0.3', '11.0.0', false],
    ['^0.85.1', '0.85.1', true],
    ['^0.85.1', '0.86.0', false],
    ['^0.0.3', '0.0.3', true],
    ['^0.0.3', '0.0.4', false],
    ['^10', '10.5.5', true],
    // Operators, with missing parts read as 0.
    ['>=10.0.0', '10.0.0', true],
    ['>=10.0.0', '9.5.7', false],
    ['>10.0.0', '10.0.0', false],
    ['>10.0.0', '10.0.1', true],
    ['<=10.0.5', '10.0.5', true],
    ['<=10.0.5', '10.0.6', false],
    ['<11', '10.99.99', true],
    ['<11', '11.0.0', false],
    ['!=10.0.7', '10.0.7', false],
    ['!=10.0.7', '10.0.8', true],
    ['<>10.0.7', '10.0.7', false],
    ['==10.0.7', '10.0.7', true],
    ['=10.0.7', '10.0.8', false],
    ['==10.0', '10.0.0', true],
    ['==10.0', '10.0.1', false],
    ['>= 10.0', '10.0.0', true],
    // AND (space or comma) and OR.
    ['>=10.0.0 <11.0.0', '10.0.18', true],
    ['>=10.0.0 <11.0.0', '11.0.0', false],
    ['>=10.0.0, <11.0.0', '10.5.0', true],
    ['>=10.0.0,<10.0.5', '10.0.5', false],
    ['~9.5.0 || ~10.0.0', '9.5.13', true],
    ['~9.5.0 || ~10.0.0', '10.0.18', true],
    ['~9.5.0 || ~10.0.0', '11.0.0', false],
    ['~9.5.0|~10.0.0', '10.0.1', true],
    ['>=9.5 <10.0.5 || >=11.0.0', '10.0.5', false],
    ['>=9.5 <10.0.5 || >=11.0.0', '11.2.0', true],
    ['  ~10.0.0  ', '10.0.1', true],
  ])('%j on GLPI %s → %s', (compat, glpi, expected) => {
    expect(isCompatible(compat, glpi)).toBe(expected);
  });

  it.each([
    ['10.0.18', '10.0.18-rc1', true],
    ['~11.0.0', '11.0.0-dev', true],
    ['10.0', '10.0', true],
    ['11.0.0', '11', true],
    ['10.0.3', ' 10.0.3 ', true],
  ])('normalises the target like GLPI: %j on %j → %s', (compat, glpi, expected) => {
    expect(isCompatible(compat, glpi)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'abc',
    'latest',
    '~',
    '>=',
    '10..0',
    '10.0.0.1',
    '10.0-beta',
    '~10.0.*',
    '>=10.0.*',
    '10.*.1',
    '10.0 ||',
    '10.0,,9.5',
    '10.0 - 11.0',
    '10.0x',
  ])('refuses %j (matches nothing, explains why)', (compat) => {
    expect(isCompatible(compat, '10.0.0')).toBe(false);
    const parsed = parseCompatibility(compat);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(10);
  });
});

describe('parseCompatibility', () => {
  it.each([
    ['~10.0.3', '>=10.0.3 <10.1.0'],
    ['10.0', '>=10.0.0 <10.1.0'],
    ['10.0.3', '==10.0.3'],
    ['*', 'any version'],
    ['^0.85.1', '>=0.85.1 <0.86.0'],
    ['>= 9.5, <10.0.5 || ~11.0', '>=9.5.0 <10.0.5 || >=11.0.0 <12.0.0'],
  ])('reads %j as %j', (compat, text) => {
    const parsed = parseCompatibility(compat);
    expect(parsed).toMatchObject({ ok: true, rule: { source: compat.trim(), text } });
  });

  it('names the offending token', () => {
    const parsed = parseCompatibility('~10.0.0, ~10.0.x');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain('~10.0.x');
  });
});

describe('fitsAny', () => {
  it('accepts a version with no compatibility strings (GLPI Network filtered it already)', () => {
    expect(fitsAny([], '10.0.18')).toBe(true);
  });

  it('needs one string to accept the target', () => {
    expect(fitsAny(['9.5', '10.0'], '10.0.1')).toBe(true);
    expect(fitsAny(['9.5', '~11.0.0'], '10.0.1')).toBe(false);
    expect(fitsAny(['garbage'], '10.0.1')).toBe(false);
    expect(fitsAny(['garbage', '~10.0.0'], '10.0.1')).toBe(true);
  });
});
