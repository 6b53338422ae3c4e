import { describe, expect, it } from 'vitest';
import { newestSatisfying, parseRange, satisfies } from './version-range';

function range(text: string) {
  const r = parseRange(text);
  if (!r.ok) throw new Error(r.error);
  return r.range;
}

describe('version ranges', () => {
  // The php-src table of shared/php-version.test.ts, as exact versions and bounds: `a` == `b` exactly
  // when version_compare says 0, and the bounds follow its order.
  const forms = ['-dev', 'a1', 'b1', 'RC1', 'rc1', '', 'pl1'];
  const order = [0, 1, 2, 3, 3, 4, 5];
  const table = forms.flatMap((f1, i) =>
    forms.map((f2, j) => [`1.0${f1}`, `1.0${f2}`, Math.sign(order[i]! - order[j]!)] as const),
  );
  it.each(table)('php table: %s against %s (%i)', (a, b, c) => {
    expect(satisfies(a, range(b))).toBe(c === 0);
    expect(satisfies(a, range(`<${b}`))).toBe(c < 0);
    expect(satisfies(a, range(`>=${b}`))).toBe(c >= 0);
    expect(satisfies(a, range(`!= ${b}`))).toBe(c !== 0);
  });

  it.each([
    ['1.21.3', '1.21.3', true],
    ['1.21.03', '1.21.3', true],
    ['1.21.3.0', '1.21.3', false],
    ['1.21.0', '~1.21', true],
    ['1.21.99', '~1.21', true],
    ['1.21', '~1.21', true],
    ['1.22.0', '~1.21', false],
    ['1.20.9', '~1.21', false],
    ['1.21-beta1', '~1.21', false], // below 1.21 for PHP
    ['1.21.0-beta1', '~1.21', true], // above 1.21 for PHP
    ['1.21.3', '~1.21.3', true],
    ['1.21.2', '~1.21.3', false],
    ['1.29', '~1.21.3', false],
    ['1.9', '~1', true],
    ['2.0', '~1', false],
    ['2.9.0', '^2.9', true],
    ['2.15', '^2.9', true],
    ['3.0.0', '^2.9', false],
    ['2.8.9', '^2.9', false],
    ['0.3.5', '^0.3', true],
    ['0.4.0', '^0.3', false],
    ['2.9.0', '>=2.9 <3', true],
    ['2.99.1', '>=2.9, <3', true],
    ['3.0.0', '>=2.9 <3', false],
    ['3-beta', '>=2.9 <3', true], // PHP: 3-beta < 3
    ['3.0.0-beta', '>=2.9 <3-dev', false],
    ['2.10', '>= 2.9', true],
    ['9.5+4.2', '*', true],
    ['1.0.0', '~1.21 || ^1', true],
    ['1.10', '>1.9', true], // numbers compare numerically
  ] as const)('%s in %s: %s', (version, text, expected) => {
    expect(satisfies(version, range(text))).toBe(expected);
  });

  it('knows an exact version from a range', () => {
    expect(range('1.21.3').exact).toBe('1.21.3');
    expect(range('=1.21.3').exact).toBe('1.21.3');
    expect(range('~1.21').exact).toBeNull();
    expect(range('*').exact).toBeNull();
  });

  it('picks the newest version in the range, in PHP order', () => {
    const nums = ['1.21.19', '1.21.22', '1.21.23', '1.22.0', '1.23.0-beta1', '1.21.9'];
    expect(newestSatisfying(nums, range('~1.21'))).toBe('1.21.23');
    expect(newestSatisfying(nums, range('>=1.22'))).toBe('1.23.0-beta1');
    expect(newestSatisfying(nums, range('^3'))).toBeNull();
  });

  it('says what is wrong in a range', () => {
    expect(parseRange('~')).toMatchObject({ ok: false });
    const bang = parseRange('>=2.9 <3 !');
    expect(bang.ok ? '' : bang.error).toContain('"!"');
    const tilde = parseRange('~v1');
    expect(tilde.ok ? '' : tilde.error).toContain('tilde');
  });
});
