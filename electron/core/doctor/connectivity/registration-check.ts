/**
 * After the probe: the registration answer, asked through the app's own client (same headers,
 * retries and proxy as the key screen).
 */
import type { KeyService } from '../../key-service';
import { ref } from '../../../../shared/messages/ref';
import { refCheck, skipped, type Check } from '../check';

const ID = 'network.registration';
const TITLE = 'Registration answer';

export async function registrationCheck(keys: Pick<KeyService, 'sync'>, secret: string | null): Promise<Check> {
  if (!secret) return skipped(ID, TITLE, ref('network.registration.noKey'));
  const status = await keys.sync();
  if (status.failure) {
    // The client's message and fix are English only (NetworkFailure has no reference).
    const base = { id: ID, title: TITLE, state: 'failed' as const, details: { cause: status.failure.cause } };
    const check = refCheck(base, ref('network.registration.failed', { message: status.failure.message }));
    return { ...check, fix: status.failure.fix };
  }
  return refCheck(
    { id: ID, title: TITLE, state: 'ok', details: { answer: status.message ?? status.state } },
    ref('network.registration.ok', { state: status.state }),
  );
}
