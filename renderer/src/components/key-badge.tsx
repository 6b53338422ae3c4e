import type { KeyStatus } from '../../../shared/model';
import { t } from '../i18n/t';
import { keyDisplayState, tierLabel, type KeyDisplayState } from '../store/key-view';
import { useAppStore } from '../store/store-context';
import { Spinner } from './spinner';

export function badgeLabel(state: KeyDisplayState, status: KeyStatus | null): string {
  switch (state) {
    case 'loading':
      return t('badge.loading');
    case 'checking':
      return t('badge.checking');
    case 'error':
      return t('badge.error');
    case 'none':
      return t('badge.none');
    case 'valid': {
      const tier = tierLabel(status?.subscription ?? null);
      return tier ? t('badge.validTier', { tier }) : t('badge.valid');
    }
    case 'invalid':
      return t('badge.invalid');
    case 'terminated':
      return t('badge.terminated');
    case 'unreachable':
      return t('badge.unreachable');
  }
}

/** The label the badge shows now; a string, so components re-render only when it changes. */
export function useKeyBadgeLabel(): { state: KeyDisplayState; label: string } {
  const state = useAppStore((s) => keyDisplayState(s.key.status, s.key.load, s.key.pending));
  const label = useAppStore((s) => badgeLabel(state, s.key.status));
  return { state, label };
}

export function KeyBadge() {
  const { state, label } = useKeyBadgeLabel();
  const busy = state === 'checking' || state === 'loading';
  return (
    <p className={`badge badge--${state}`} data-testid="key-badge" data-state={state}>
      <span className="visually-hidden">{t('badge.label')}</span>
      {busy ? <Spinner small /> : <span className="badge__dot" aria-hidden="true" />}
      <span>{label}</span>
    </p>
  );
}
