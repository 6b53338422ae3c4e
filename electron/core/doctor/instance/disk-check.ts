/** Free disk space on the volume that receives the plugins. */
import type { Check, CheckState } from '../check';
import { english, ref, type MessageRef } from '../../../../shared/messages/ref';
import type { VolumeStat } from '../../ports';
import { ID, T, describeError, formatBytes, shellQuote } from './common';
import type { Ctx } from './identity';

export const DISK_WARNING_BYTES = 200_000_000;
export const DISK_FAILED_BYTES = 50_000_000;

/** A disk check whose texts come from the catalogue (shared/messages), English kept beside the references. */
function diskResult(state: CheckState, summary: MessageRef, details: Record<string, string>, fix?: MessageRef): Check {
  return {
    id: ID.disk,
    title: T.disk,
    state,
    summary: english(summary),
    details,
    ...(fix ? { fix: english(fix) } : {}),
    refs: { summary, ...(fix ? { fix } : {}) },
  };
}

export async function diskCheck(ctx: Ctx, path: string): Promise<Check> {
  let s: VolumeStat;
  try {
    s = await ctx.fs.statfs(path);
  } catch (e) {
    return diskResult('warning', ref('doctor.disk.unmeasured', { path, error: describeError(e) }), { path });
  }
  const free = s.bavail * s.bsize;
  const details = { path, free: formatBytes(free), size: formatBytes(s.blocks * s.bsize) };
  const fix = ref('doctor.disk.fix', { path, quoted: shellQuote(path) });
  const amount = { free: formatBytes(free), path };
  if (free < DISK_FAILED_BYTES)
    return diskResult(
      'failed',
      ref('doctor.disk.failed', { ...amount, needed: formatBytes(DISK_FAILED_BYTES) }),
      details,
      fix,
    );
  if (free < DISK_WARNING_BYTES)
    return diskResult(
      'warning',
      ref('doctor.disk.warning', { ...amount, below: formatBytes(DISK_WARNING_BYTES) }),
      details,
      fix,
    );
  return diskResult('ok', ref('doctor.disk.ok', amount), details);
}
