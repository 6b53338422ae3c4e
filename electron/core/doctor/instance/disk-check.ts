/** Free disk space on the volume that receives the plugins. */
import type { Check } from '../check';
import type { VolumeStat } from '../../ports';
import { ID, T, describeError, formatBytes, shellQuote } from './common';
import type { Ctx } from './identity';

export const DISK_WARNING_BYTES = 200_000_000;
export const DISK_FAILED_BYTES = 50_000_000;

export async function diskCheck(ctx: Ctx, path: string): Promise<Check> {
  let s: VolumeStat;
  try {
    s = await ctx.fs.statfs(path);
  } catch (e) {
    return {
      id: ID.disk,
      title: T.disk,
      state: 'warning',
      summary: `The free space of the volume holding ${path} could not be measured: ${describeError(e)}.`,
      details: { path },
    };
  }
  const free = s.bavail * s.bsize;
  const details = { path, free: formatBytes(free), size: formatBytes(s.blocks * s.bsize) };
  const fix = `Free some space on the volume holding ${path} (df -h ${shellQuote(path)}): old backups, logs under files/_log, files/_tmp, or unused plugin archives.`;
  if (free < DISK_FAILED_BYTES)
    return {
      id: ID.disk,
      title: T.disk,
      state: 'failed',
      summary: `Only ${formatBytes(free)} free on the volume holding ${path}: a plugin install (download, unpacking, backup of the old version) needs more than ${formatBytes(DISK_FAILED_BYTES)}.`,
      details,
      fix,
    };
  if (free < DISK_WARNING_BYTES)
    return {
      id: ID.disk,
      title: T.disk,
      state: 'warning',
      summary: `${formatBytes(free)} free on the volume holding ${path}: below ${formatBytes(DISK_WARNING_BYTES)}, large plugins or several installs may fail.`,
      details,
      fix,
    };
  return {
    id: ID.disk,
    title: T.disk,
    state: 'ok',
    summary: `${formatBytes(free)} free on the volume holding ${path}.`,
    details,
  };
}
