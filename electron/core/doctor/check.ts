/**
 * The doctor's result type, shared by every group of checks (instance, key, network). A check never
 * throws for what it inspects: a problem becomes a `warning` or `failed` result with a fix.
 */
import type { Check, CheckState } from '../../../shared/doctor';

export { worstState, type Check, type CheckState } from '../../../shared/doctor';

export const CHECK_STATES: readonly CheckState[] = ['ok', 'warning', 'failed', 'skipped'];

export function skipped(id: string, title: string, why: string): Check {
  return { id, title, state: 'skipped', summary: why };
}
