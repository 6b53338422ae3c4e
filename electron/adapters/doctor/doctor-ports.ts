import type { DoctorPorts } from '../../core/doctor/doctor-service';
import { createPhpProbe, findPhp } from '../../core/doctor/php-probe';
import type { FileSystem, HostInfo, ProcessRunner } from '../../core/ports';
import { currentDoctorPlatform } from './doctor-platform';
import { NetProbe } from './net-probe';

/**
 * The doctor's ports on Node (every shell); Electron adds Chromium's proxy decision. php is run
 * through the same process port as GLPI's console, and looked for through the same FileSystem.
 */
export function nodeDoctorPorts(
  system: { fs: FileSystem; host: HostInfo; processes: ProcessRunner },
  resolveProxy?: (url: string) => Promise<string>,
): DoctorPorts {
  return {
    probe: new NetProbe(),
    platform: currentDoctorPlatform,
    php: async (configured) => {
      const php = configured ?? (await findPhp(system.fs, system.host));
      return php ? createPhpProbe(system.processes, php) : null;
    },
    ...(resolveProxy ? { resolveProxy } : {}),
  };
}
