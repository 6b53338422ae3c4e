import { describe, expect, it } from 'vitest';
import { mulberry32 } from './seeded-random';
import {
  generalVersionCompare,
  isPrerelease,
  sortVersions,
  versionCompare,
  versionCompareOp,
  type VersionOperator,
} from './php-version';

describe('versionCompare (PHP version_compare)', () => {
  // php-src ext/standard/tests/versioning/version_compare.phpt, "TESTING COMPARE".
  it.each([
    ['1', '2', -1],
    ['10', '2', 1],
    ['1.0', '1.1', -1],
    ['1.2', '1.0.1', 1],
  ] as const)('php-src: %s vs %s → %i', (a, b, expected) => {
    expect(versionCompare(a, b)).toBe(expected);
    expect(versionCompare(b, a)).toBe(-expected);
  });

  // The same test's 7×7 matrix of "1.0<form>": -dev < a1 < b1 < RC1 = rc1 < "" < pl1.
  const forms = [
    ['-dev', 0],
    ['a1', 1],
    ['b1', 2],
    ['RC1', 3],
    ['rc1', 3],
    ['', 4],
    ['pl1', 5],
  ] as const;
  const matrix = forms.flatMap(([f1, r1]) =>
    forms.map(([f2, r2]) => [`1.0${f1}`, `1.0${f2}`, Math.sign(r1 - r2)] as const),
  );
  it.each(matrix)('php-src matrix: %s vs %s → %i', (a, b, expected) => {
    expect(versionCompare(a, b)).toBe(expected);
  });

  it.each([
    // The examples of docs/glpi-network-api.md §5.4 and the PHP manual.
    ['1.0.0-beta', '1.0.0', -1],
    ['1.0.0', '1.0.0.1', -1],
    ['1.0.0-beta', '1.0.0.1', -1],
    ['1.0', '1.0.0', -1],
    ['5.2', '5.2.0', -1],
    ['1.0.0', '1.0.0.0', -1],
    ['10.0.3', '10.0.3-rc2', 1],
    // Empty strings: equal to each other, below anything else.
    ['', '', 0],
    ['', '1', -1],
    ['1', '', 1],
    ['', 'dev', -1],
    ['dev', '', 1],
    // Separators and boundaries.
    ['1.0.0-beta', '1.0.0beta', 0],
    ['1.0.0RC1', '1.0.0-RC1', 0],
    ['1-0', '1.0', 0],
    ['1_0', '1.0', 0],
    ['1+0', '1.0', 0],
    ['1..0', '1.0', 0],
    ['1.0.0-beta.2', '1.0.0-beta.10', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.beta', '1.0.0-alpha.1', -1],
    ['1.0.0-beta', '1.0.0-alpha.5', 1],
    // Numbers compare numerically, leading zeros ignored.
    ['1.10', '1.9', 1],
    ['1.01', '1.1', 0],
    ['1.08', '1.8', 0],
    ['1.0.0', '1.00.000', 0],
    ['10.0.18', '10.0.9', 1],
    ['9.5.13', '10.0.0', -1],
    // Special words: synonyms, prefixes, case.
    ['1.0-alpha', '1.0a', 0],
    ['1.0b', '1.0beta', 0],
    ['1.0RC1', '1.0rc1', 0],
    ['1.0.0-RC1', '1.0.0-rc2', -1],
    ['1.0.0-dev', '1.0.0-alpha', -1],
    ['1.0p1', '1.0pl1', 0],
    ['1.0-pl1', '1.0', 1],
    ['1.0-pl1', '1.0.1', 1],
    ['1.0abc', '1.0alpha', 0],
    ['1.0-pre1', '1.0', 1],
    ['1.0.0-patch', '1.0.0.99', 1],
    ['1.0.0+build', '1.0.0-b', 0],
    ['1.0.0+build', '1.0.0', -1],
    ['1.0-Alpha', '1.0-dev', -1],
    ['1.0-foo', '1.0-dev', -1],
    ['1.0-foo', '1.0-Bar', 0],
    ['dev-master', '1.0', -1],
    ['v1.0', '1.0', -1],
    ['v1.0', 'v0.9', 1],
    // Other characters: a trailing separator leaves an empty part, below everything.
    ['1.0.', '1.0', -1],
    ['1', '1.', 1],
    // …even on both sides, and even against a word: PHP is not antisymmetric there.
    ['1.0.', '1.0.', -1],
    ['1.0-dev', '1.0.', -1],
    ['1.0.', '1.0-dev', -1],
    ['1.0 ', '1.0', -1],
    ['1.0-é', '1.0-dev', -1],
    // C longs saturate.
    ['1.99999999999999999999', '1.99999999999999999998', 0],
    ['1.9223372036854775806', '1.9223372036854775807', -1],
  ] as const)('%j vs %j → %i', (a, b, expected) => {
    expect(versionCompare(a, b)).toBe(expected);
  });

  it('decides dotted numbers on the fast path exactly as the literal port does', () => {
    // Real shapes and the edges of the fast path: leading zeros, 15 and 16 digits, a version
    // ending where the other goes on with a number, a word, a second dot or a separator.
    const random = mulberry32(15);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const parts = [
      '0',
      '1',
      '2',
      '9',
      '10',
      '01',
      '007',
      '18',
      '999999999999999',
      '9999999999999999',
      '123456789012345',
    ];
    const tails = ['', '', '', '.', '..', '.0', '-dev', 'rc1', '.x', '-1', '.5a', '_2', ' '];
    const version = () =>
      Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(parts)).join('.') + pick(tails);
    const pairs: [string, string][] = [
      ['1.0', '1.0.x'],
      ['1.0.x', '1.0'],
      ['1.0', '1.0..5'],
      ['10.0.18', '10.0.9'],
      ['2.5', '2.5.01'],
    ];
    for (let n = 0; n < 20_000; n++) {
      const a = version();
      // Often the same start, so that the end of one and what follows in the other decide.
      pairs.push([a, random() < 0.5 ? a.replace(/[^.]*$/, '') + version() : version()]);
    }
    const differ = pairs.filter(([a, b]) => versionCompare(a, b) !== generalVersionCompare(a, b));
    expect(differ).toEqual([]);
  });

  it('is antisymmetric on versions without a trailing separator', () => {
    const list = ['1.0', '1.0.0', '1.0-dev', '1.0a1', '1.0pl1', '2', '1.0.0.1', '', 'x', '1.0 '];
    for (const a of list) for (const b of list) expect(versionCompare(a, b)).toBe(-versionCompare(b, a) || 0);
  });
});

describe('versionCompareOp', () => {
  const ops: [VersionOperator, (c: number) => boolean][] = [
    ['<', (c) => c < 0],
    ['lt', (c) => c < 0],
    ['<=', (c) => c <= 0],
    ['le', (c) => c <= 0],
    ['>', (c) => c > 0],
    ['gt', (c) => c > 0],
    ['>=', (c) => c >= 0],
    ['ge', (c) => c >= 0],
    ['==', (c) => c === 0],
    ['=', (c) => c === 0],
    ['eq', (c) => c === 0],
    ['!=', (c) => c !== 0],
    ['<>', (c) => c !== 0],
    ['ne', (c) => c !== 0],
  ];
  const pairs = [
    ['1.0-dev', '1.0a1', -1],
    ['1.0RC1', '1.0rc1', 0],
    ['1.0pl1', '1.0', 1],
  ] as const;
  it.each(ops.flatMap(([op, want]) => pairs.map(([a, b, c]) => [a, op, b, want(c)] as const)))(
    '%s %s %s is %s',
    (a, op, b, expected) => {
      expect(versionCompareOp(a, b, op)).toBe(expected);
    },
  );

  it('answers the questions GLPI asks', () => {
    expect(versionCompareOp('1.0.0-beta', '1.0.0', '<')).toBe(true);
    expect(versionCompareOp('10.0.18', '10.0.9', 'ge')).toBe(true);
    expect(versionCompareOp('1.0rc1', '1.0', '>=')).toBe(false);
  });

  it('refuses an unknown operator like PHP 8', () => {
    expect(() => versionCompareOp('1', '2', '=>' as VersionOperator)).toThrow(/valid comparison operator/);
  });
});

describe('sortVersions', () => {
  it('sorts ascending with PHP order, without touching its input', () => {
    const input = [
      '10.0.0',
      '1.0.0',
      '1.0.0-beta',
      '0.9',
      '1.0.0.1',
      '1.0.0-rc1',
      '1.0.0-alpha',
      '1.0.0-dev',
      '1.0.0-pl1',
      '2.0',
      '1.10.0',
      '1.9.0',
    ];
    const copy = [...input];
    expect(sortVersions(input)).toEqual([
      '0.9',
      '1.0.0-dev',
      '1.0.0-alpha',
      '1.0.0-beta',
      '1.0.0-rc1',
      '1.0.0',
      '1.0.0.1',
      '1.0.0-pl1',
      '1.9.0',
      '1.10.0',
      '2.0',
      '10.0.0',
    ]);
    expect(input).toEqual(copy);
  });

  it('keeps the input order of versions PHP finds equal', () => {
    expect(sortVersions(['1.0b', '1.0-beta', '0.1', '1.0beta'])).toEqual(['0.1', '1.0b', '1.0-beta', '1.0beta']);
  });
});

describe('isPrerelease', () => {
  it.each([
    ['1.0.0', false],
    ['10.0.18', false],
    ['1.0.0-pl1', false],
    ['1.0.0p2', false],
    ['v1.2.0', false],
    ['', false],
    ['1.0.0-beta', true],
    ['1.0.0-rc1', true],
    ['1.0.0-RC1', true],
    ['2.0.0-dev', true],
    ['1.0a1', true],
    ['1.0.0-foo', true],
  ] as const)('%j → %s', (num, expected) => {
    expect(isPrerelease(num)).toBe(expected);
  });
});
