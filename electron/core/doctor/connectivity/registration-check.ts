/**
 * After the probe: the registration answer, asked through the app's own client (same headers,
 * retries and proxy as the key screen).
 */
import type { KeyService } from '../../key-service';
import { skipped, type Check } from '../check';

const ID = 'network.registration';
const TITLE = 'Registration answer';

export async function registrationCheck(keys: Pick<KeyService, 'sync'>, secret: string | null): Promise<Check> {
  if (!secret) return skipped(ID, TITLE, 'No registration key is stored.');
  const status = await keys.sync();
  return status.failure
    ? {
        id: ID,
        title: TITLE,
        state: 'failed',
        summary: `GLPI Network could not be asked: ${status.failure.message}`,
        fix: status.failure.fix,
        details: { cause: status.failure.cause },
      }
    : {
        id: ID,
        title: TITLE,
        state: 'ok',
        summary: `GLPI Network answered: the key is ${status.state === 'valid' ? 'valid' : status.state}.`,
        details: { answer: status.message ?? status.state },
      };
}
