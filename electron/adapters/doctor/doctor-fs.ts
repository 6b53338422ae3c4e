import { constants as fsConstants, type Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { DoctorFs, DoctorPlatform, DoctorStat } from '../../core/doctor/instance-checks';

/** Files the doctor reads whole (PHP config files, /etc/passwd, os-release) are small. */
export const DOCTOR_READ_LIMIT = 1_048_576;

async function allowed(path: string, mode: number): Promise<boolean> {
  try {
    await fsp.access(path, mode);
    return true;
  } catch {
    return false;
  }
}

function toStat(s: Stats): DoctorStat {
  return {
    size: s.size,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    isFile: () => s.isFile(),
    isDirectory: () => s.isDirectory(),
    isSymbolicLink: () => s.isSymbolicLink(),
  };
}

/** The doctor's file-system port on Node's fs (access(2) answers canRead/canWrite). */
export const nodeDoctorFs: DoctorFs = {
  stat: async (path) => toStat(await fsp.stat(path)),
  lstat: async (path) => toStat(await fsp.lstat(path)),
  readFile: async (path) => {
    const handle = await fsp.open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > DOCTOR_READ_LIMIT)
        throw Object.assign(new Error(`EFBIG: ${path} is ${size} bytes, more than the doctor reads`), {
          code: 'EFBIG',
        });
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  },
  readdir: (path) => fsp.readdir(path),
  canRead: (path) => allowed(path, fsConstants.R_OK),
  canWrite: (path) => allowed(path, fsConstants.W_OK),
  statfs: async (path) => {
    const s = await fsp.statfs(path);
    return { bsize: s.bsize, bavail: s.bavail, blocks: s.blocks };
  },
};

/** This process's platform as the doctor sees it. */
export function currentDoctorPlatform(): DoctorPlatform {
  const user =
    typeof process.getuid === 'function' && typeof process.getgroups === 'function'
      ? { uid: process.getuid(), gids: process.getgroups() }
      : null;
  return { os: process.platform, user, etcDir: '/etc' };
}
