/** Step 6, clock: the local clock against the server's Date header (read by the HTTP step). */
import { formatDuration, forPlatform } from './format';
import { MAX_CLOCK_SKEW_MS, type StepOutcome } from './types';

/** How to set the clock right, for this OS (all of them when unknown). */
export function clockFix(platform?: string): string {
  const linux =
    'on Linux: turn on network time with `timedatectl set-ntp true` (as root), then check `timedatectl status`';
  const windows =
    'on Windows: Settings > Time & language > Date & time, turn on "Set time automatically" and click "Sync now"';
  const mac = 'on macOS: System Settings > General > Date & Time, turn on "Set time and date automatically"';
  return forPlatform(platform, { linux, windows, mac });
}

/** Compares the local clock with the server's Date header. */
export function clockStep(serverDate: string | undefined, localNow: Date, platform?: string): StepOutcome {
  if (!serverDate)
    return { state: 'skipped', summary: 'The server sent no Date header: the clocks could not be compared.' };
  const server = Date.parse(serverDate);
  if (Number.isNaN(server))
    return {
      state: 'skipped',
      summary: 'The server sent an unreadable Date header: the clocks could not be compared.',
    };
  const skew = localNow.getTime() - server;
  const details = {
    'local time': localNow.toISOString(),
    'server time': new Date(server).toISOString(),
    skew: `${skew >= 0 ? '+' : '-'}${formatDuration(Math.abs(skew))}`,
  };
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS)
    return {
      state: 'warning',
      summary: `This machine's clock is ${formatDuration(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} the server's (local ${details['local time']}, server ${details['server time']}).`,
      details,
      fix: `Set this machine's clock right: ${clockFix(platform)}. A wrong clock makes valid certificates look expired or not yet valid.`,
    };
  return {
    state: 'ok',
    summary: `This machine's clock agrees with the server's (${details.skew}; the Date header has a 1 s resolution).`,
    details,
  };
}
