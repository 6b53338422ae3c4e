import { useId, type Ref } from 'react';
import type { KeyStatus } from '../../../shared/model';
import { formatDateTime, formatRelativeWithDate } from '../i18n/format';
import { t } from '../i18n/t';
import type { AsyncState } from '../store/async-state';
import type { KeyDisplayState } from '../store/key-view';
import { DiagnoseLink, doctorCheckForKey } from './doctor-link';
import { FailureDetails, KeyDetails } from './key-details';
import { Spinner } from './spinner';

interface KeyStatusPanelProps {
  state: KeyDisplayState;
  status: KeyStatus | null;
  load: AsyncState;
  now: Date;
  onRetry: () => void;
  /** The heading takes focus after an action replaced what had focus. */
  headingRef?: Ref<HTMLHeadingElement>;
}

/** The validation result and what it means. */
export function KeyStatusPanel({ state, status, load, now, onRetry, headingRef }: KeyStatusPanelProps) {
  const titleId = useId();
  const hasAnswer = Boolean(status && (status.checkedAt || status.owner || status.subscription || status.message));
  // Not valid (invalid, terminated, unreachable): the doctor check that explains it.
  const diagnose =
    state === 'invalid' || state === 'terminated' || state === 'unreachable' ? doctorCheckForKey(status) : null;
  return (
    <section
      className={`status-panel status-panel--${state}`}
      data-testid="key-status"
      data-state={state}
      aria-labelledby={titleId}
      aria-busy={state === 'checking' || state === 'loading'}
    >
      <h2 id={titleId} ref={headingRef} tabIndex={-1} className="status-panel__title">
        {(state === 'checking' || state === 'loading') && <Spinner />}
        {t(`key.state.${state}.title`)}
      </h2>

      {state === 'error' && load.status === 'error' && (
        <>
          <p>{t('app.loadFailed')}</p>
          <p>{load.error.message}</p>
          {load.error.fix && <p>{t('key.error.fix', { fix: load.error.fix })}</p>}
          <button type="button" className="button" onClick={onRetry}>
            {t('app.retry')}
          </button>
        </>
      )}

      {state === 'checking' && <p>{t('key.state.checking.text')}</p>}

      {state === 'none' && (
        <>
          <p>{t('key.state.none.text')}</p>
          <p>{t('key.state.none.where')}</p>
        </>
      )}

      {state === 'valid' && <p>{t('key.state.valid.text')}</p>}
      {state === 'invalid' && <p>{t('key.state.invalid.text')}</p>}
      {state === 'terminated' && <p>{t('key.state.terminated.text')}</p>}

      {state === 'unreachable' && <p>{t('key.state.unreachable.text')}</p>}

      {diagnose && !status?.failure && <DiagnoseLink check={diagnose} />}

      {status?.failure && state !== 'none' && (
        <>
          <FailureDetails failure={status.failure} />
          {diagnose && <DiagnoseLink check={diagnose} />}
          {status.unreachableSince && (
            <p data-testid="key-unreachable-since">
              {t('key.failure.since', { date: formatDateTime(status.unreachableSince) })}
            </p>
          )}
          <h3 className="status-panel__subtitle">{t('key.failure.lastKnown')}</h3>
          {!hasAnswer && <p>{t('key.failure.noLastKnown')}</p>}
        </>
      )}

      {status && state !== 'none' && <KeyDetails answer={status} now={now} />}

      {status?.nextCheckAt && state !== 'none' && (
        <p data-testid="key-next-check">
          {t('key.details.nextCheck', { when: formatRelativeWithDate(status.nextCheckAt, now) })}
        </p>
      )}
    </section>
  );
}
