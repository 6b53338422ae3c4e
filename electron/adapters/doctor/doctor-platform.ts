import type { DoctorPlatform } from '../../core/doctor/instance-checks';

/** This process's platform as the doctor sees it. */
export function currentDoctorPlatform(): DoctorPlatform {
  const user =
    typeof process.getuid === 'function' && typeof process.getgroups === 'function'
      ? { uid: process.getuid(), gids: process.getgroups() }
      : null;
  return { os: process.platform, user, etcDir: '/etc' };
}
