import type { DoctorPorts } from '../../core/doctor/doctor-service';
import { currentDoctorPlatform } from './doctor-platform';
import { NetProbe } from './net-probe';
import { createPhpProbe, findPhp } from './php-probe';

/** The doctor's ports on Node (every shell); Electron adds Chromium's proxy decision. */
export function nodeDoctorPorts(resolveProxy?: (url: string) => Promise<string>): DoctorPorts {
  return {
    probe: new NetProbe(),
    platform: currentDoctorPlatform,
    php: async (configured) => {
      const php = configured ?? (await findPhp());
      return php ? createPhpProbe(php) : null;
    },
    ...(resolveProxy ? { resolveProxy } : {}),
  };
}
