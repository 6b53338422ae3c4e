import { describe, expect, it } from 'vitest';
import { currentDoctorPlatform } from './doctor-platform';

describe('currentDoctorPlatform', () => {
  it('describes this process', () => {
    const p = currentDoctorPlatform();
    expect(p.os).toBe(process.platform);
    expect(p.etcDir).toBe('/etc');
    if (process.platform !== 'win32') expect(p.user?.uid).toBe(process.getuid?.());
  });
});
