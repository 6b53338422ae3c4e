/** Step 6, clock: the local clock against the server's Date header (read by the HTTP step). */
import { english, ref } from '../../../../shared/messages/ref';
import { formatDuration, platformOf, said } from './format';
import { MAX_CLOCK_SKEW_MS, type StepOutcome } from './types';

/** How to set the clock right, for this OS (all of them when unknown). */
export function clockFix(platform?: string): string {
  return english(ref('network.howTo.clock', platformOf(platform)));
}

/** Compares the local clock with the server's Date header. */
export function clockStep(serverDate: string | undefined, localNow: Date, platform?: string): StepOutcome {
  if (!serverDate) return said('skipped', ref('network.clock.noDate'));
  const server = Date.parse(serverDate);
  if (Number.isNaN(server)) return said('skipped', ref('network.clock.badDate'));
  const skew = localNow.getTime() - server;
  const details = {
    'local time': localNow.toISOString(),
    'server time': new Date(server).toISOString(),
    skew: `${skew >= 0 ? '+' : '-'}${formatDuration(Math.abs(skew))}`,
  };
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    const summary = ref('network.clock.skewed', {
      skew: formatDuration(Math.abs(skew)),
      ahead: skew > 0 ? 'yes' : '',
      local: details['local time'],
      server: details['server time'],
    });
    return { ...said('warning', summary, ref('network.clock.fix', platformOf(platform))), details };
  }
  return { ...said('ok', ref('network.clock.ok', { skew: details.skew })), details };
}
