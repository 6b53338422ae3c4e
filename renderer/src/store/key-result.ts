import { z } from 'zod';
import {
  KEY_STATES,
  NETWORK_CAUSES,
  type KeyState,
  type NetworkFailure,
  type SubscriptionInfo,
} from '../../../shared/model';

// zod's JIT probes `new Function("")` on first parse; under our CSP (no 'unsafe-eval') that probe is
// reported as a securitypolicyviolation even though zod catches it. The interpreter is fast enough.
z.config({ jitless: true });

/**
 * A validation result GLPI Network gave for a key that was NOT stored (the `details` of
 * KEY_INVALID / KEY_UNVERIFIED / KEYCHAIN_UNAVAILABLE). The contract only says "KeyStatus-like", so
 * this accepts a KeyStatus or a RegistrationAnswer and keeps what can be shown.
 */
export interface KeyResult {
  state: KeyState | null;
  message: string | null;
  owner: string | null;
  subscription: SubscriptionInfo | null;
  checkedAt: string | null;
  failure: NetworkFailure | null;
}

const subscriptionSchema = z.object({
  title: z.string(),
  offer: z.string(),
  running: z.boolean(),
  begins: z.string().nullable(),
  ends: z.string().nullable(),
});

const failureSchema = z.object({
  cause: z.enum(NETWORK_CAUSES),
  message: z.string(),
  fix: z.string(),
  at: z.string(),
  status: z.number().optional(),
});

const resultSchema = z.object({
  state: z.enum(KEY_STATES).nullish().catch(null),
  valid: z.boolean().nullish().catch(null),
  message: z.string().nullish().catch(null),
  owner: z
    .union([z.string(), z.object({ name: z.string() }).transform((o) => o.name)])
    .nullish()
    .catch(null),
  subscription: subscriptionSchema.nullish().catch(null),
  checkedAt: z.string().nullish().catch(null),
  failure: failureSchema.nullish().catch(null),
});

export function parseKeyResult(details: unknown): KeyResult | null {
  const parsed = resultSchema.safeParse(details);
  if (!parsed.success) return null;
  const d = parsed.data;
  const result: KeyResult = {
    state: d.state ?? stateFromAnswer(d.valid ?? null, d.subscription ?? null),
    message: d.message ?? null,
    owner: d.owner ?? null,
    subscription: d.subscription ?? null,
    checkedAt: d.checkedAt ?? null,
    failure: d.failure ?? null,
  };
  const empty = !result.message && !result.owner && !result.subscription && !result.failure;
  return empty ? null : result;
}

function stateFromAnswer(valid: boolean | null, subscription: SubscriptionInfo | null): KeyState | null {
  if (valid === null) return null;
  if (!valid) return 'invalid';
  return subscription && !subscription.running ? 'terminated' : 'valid';
}
