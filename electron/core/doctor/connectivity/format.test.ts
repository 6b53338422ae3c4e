import { describe, expect, it } from 'vitest';
import { displayName, formatDuration, trustRootFix } from '.';

describe('helpers', () => {
  it('formats durations', () => {
    expect(formatDuration(400)).toBe('0 s');
    expect(formatDuration(59_000)).toBe('59 s');
    expect(formatDuration(61_000)).toBe('1 min 1 s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000 + 3_600_000)).toBe('3 days 1 h');
  });

  it('names a certificate by its CN, else its O', () => {
    expect(displayName("CN=R11, O=Let's Encrypt, C=US")).toBe('"R11"');
    expect(displayName('O=Corp, C=FR')).toBe('"Corp"');
    expect(displayName('C=FR')).toBe('C=FR');
  });

  it('gives the trust fix of each OS', () => {
    expect(trustRootFix('win32')).toBe(
      'on Windows: run certlm.msc as an administrator, right-click Trusted Root Certification Authorities > All Tasks > Import, and import root.crt',
    );
    expect(trustRootFix('darwin')).toBe(
      'on macOS: open Keychain Access, import root.crt into the System keychain, then open it and set Trust > "When using this certificate" to Always Trust',
    );
  });
});
