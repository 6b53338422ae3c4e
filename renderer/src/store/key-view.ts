import type { KeyState, KeyStatus, SubscriptionInfo } from '../../../shared/model';
import type { AsyncState } from './async-state';
import type { KeyAction } from './key-slice';

/** What the key screen and the badge show: the core's state, or what we are waiting for. */
export type KeyDisplayState = 'loading' | 'error' | 'checking' | KeyState;

export function keyDisplayState(
  status: KeyStatus | null,
  load: AsyncState,
  pending: KeyAction | null,
): KeyDisplayState {
  if (pending === 'save' || pending === 'sync' || status?.checking) return 'checking';
  if (!status) return load.status === 'error' ? 'error' : 'loading';
  return status.state;
}

/** "Standard" from "GLPI Network Standard"; the offer reference when there is no title. */
export function tierLabel(subscription: SubscriptionInfo | null): string | null {
  if (!subscription) return null;
  const title = subscription.title.replace(/^\s*GLPI[\s-]*Network\s*/i, '').trim();
  if (title) return title;
  const offer = subscription.offer.trim();
  return offer ? offer.charAt(0).toUpperCase() + offer.slice(1) : null;
}
