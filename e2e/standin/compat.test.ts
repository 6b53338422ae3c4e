import { describe, expect, it } from 'vitest';
import { compatibilityMatches, glpiBounds, glpiVersionFromUserAgent, parseCompatibility } from './compat';

describe('GLPI version from the User-Agent', () => {
  it('reads what GLPI sends', () => {
    expect(glpiVersionFromUserAgent('GLPI/10.0.16 (installation-mode:TARBALL)')).toEqual([10, 0, 16]);
    expect(glpiVersionFromUserAgent('GLPI/11.0.4 (installation-mode:DOCKER; corp-build 7)')).toEqual([11, 0, 4]);
    expect(glpiVersionFromUserAgent('GLPI/9.5.13')).toEqual([9, 5, 13]);
    expect(glpiVersionFromUserAgent('GLPI/10.0')).toEqual([10, 0, 0]);
  });

  it('is null for other agents: no filtering', () => {
    for (const ua of [undefined, '', 'node', 'Mozilla/5.0', 'curl/8.5.0', 'GLPI/', 'GLPI/x.y.z', 'XGLPI/10.0.1'])
      expect(glpiVersionFromUserAgent(ua), String(ua)).toBeNull();
    expect(glpiVersionFromUserAgent('GLPI/10.0.16.1')).toBeNull();
  });
});

describe('compatibility strings (docs/glpi-network-api.md §5.2)', () => {
  const cases: [compat: string, version: [number, number, number], expected: boolean][] = [
    // Composer tilde on three parts: the bugfix line from that release on.
    ['~10.0.0', [10, 0, 0], true],
    ['~10.0.0', [10, 0, 20], true],
    ['~10.0.0', [10, 1, 0], false],
    ['~10.0.0', [11, 0, 0], false],
    ['~10.0.3', [10, 0, 2], false],
    ['~10.0.3', [10, 0, 3], true],
    ['~10.0.3', [10, 0, 6], true],
    ['~10.0.11', [10, 0, 10], false],
    ['~10.0.11', [10, 0, 16], true],
    ['~11.0.0', [11, 0, 4], true],
    ['~11.0.0', [10, 0, 16], false],
    // Tilde on two parts: up to the next major.
    ['~10.0', [10, 5, 0], true],
    ['~10.0', [11, 0, 0], false],
    // Exact three parts (yllen/pdf#35: 10.0.3 did not match 10.0.5).
    ['10.0.3', [10, 0, 3], true],
    ['10.0.3', [10, 0, 5], false],
    // Two parts: the whole branch.
    ['10.0', [10, 0, 0], true],
    ['10.0', [10, 0, 17], true],
    ['10.0', [10, 1, 0], false],
    ['9.5', [9, 5, 13], true],
    ['9.5', [10, 0, 0], false],
    ['0.90', [0, 90, 5], true],
    // One part: the major line.
    ['11', [11, 2, 0], true],
    ['11', [12, 0, 0], false],
    // Not understood: nothing.
    ['>=10.0', [10, 0, 1], false],
    ['10.0.x', [10, 0, 1], false],
    ['9.4.1.1', [9, 4, 1], false],
    ['', [10, 0, 0], false],
  ];

  it.each(cases)('%s vs %j → %s', (compat, version, expected) => {
    expect(compatibilityMatches(compat, version)).toBe(expected);
  });

  it('tolerates surrounding spaces like upstream trim()', () => {
    expect(compatibilityMatches(' ~10.0.0 ', [10, 0, 1])).toBe(true);
    expect(parseCompatibility('  ')).toBeNull();
  });
});

describe('setup.php bounds for a compatibility list', () => {
  it('writes what plugin authors write', () => {
    expect(glpiBounds(['~10.0.0'])).toEqual({ min: '10.0.0', max: '10.0.99' });
    expect(glpiBounds(['~10.0.11'])).toEqual({ min: '10.0.11', max: '10.0.99' });
    expect(glpiBounds(['10.0'])).toEqual({ min: '10.0.0', max: '10.0.99' });
    expect(glpiBounds(['10.0.3'])).toEqual({ min: '10.0.3', max: '10.0.4' });
    expect(glpiBounds(['~10.0'])).toEqual({ min: '10.0.0', max: '11.0.0' });
    expect(glpiBounds(['~10.0.0', '~11.0.0'])).toEqual({ min: '10.0.0', max: '11.0.99' });
    expect(glpiBounds(['9.5', '~10.0.0'])).toEqual({ min: '9.5.0', max: '10.0.99' });
    expect(glpiBounds(['weird'])).toEqual({ min: null, max: null });
  });
});
