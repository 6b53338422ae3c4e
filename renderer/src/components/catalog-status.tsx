import { formatDateTime, formatRelative } from '../i18n/format';
import { t } from '../i18n/t';
import { DiagnoseLink, doctorCheckForFailure } from './doctor-link';
import { useAppStore, useAppStoreShallow } from '../store/store-context';
import { Spinner } from './spinner';
import { useNow } from './use-now';

/**
 * How fresh the list is, and everything that makes it less than complete: offline (the last
 * refresh failed: cause and fix), a page that failed, records that could not be read. With the
 * Refresh button.
 */
export function CatalogStatusLine() {
  const now = useNow();
  const { status, refreshing, actionError } = useAppStoreShallow((s) => ({
    status: s.catalog.status,
    refreshing: s.catalog.refreshing || Boolean(s.catalog.status?.refreshing),
    actionError: s.catalog.actionError,
  }));
  const refresh = useAppStore((s) => s.catalog.refresh);
  const failure = status?.failure ?? null;
  const fetchedAt = status?.fetchedAt ?? null;
  const incomplete = status !== null && !status.complete;
  const offline = isOffline(failure, fetchedAt, incomplete);
  // A failure that belongs to the partial list itself is told with it, not as "offline".
  const incompleteFailure = incomplete && failure && !offline ? failure : null;
  return (
    <section
      className={offline ? 'catalog-status box catalog-status--offline' : 'catalog-status box'}
      aria-label={t('catalog.status.label')}
      aria-busy={refreshing}
      data-testid="catalog-status"
      data-offline={offline}
    >
      <div className="catalog-status__line">
        <p className="catalog-status__age">
          {refreshing && (
            <>
              <Spinner small /> <span>{t('catalog.status.refreshing')}</span>{' '}
            </>
          )}
          {fetchedAt ? (
            <span title={formatDateTime(fetchedAt)}>
              {t('catalog.status.updated', { age: formatRelative(fetchedAt, now) })}
            </span>
          ) : (
            !refreshing && <span>{t('catalog.status.never')}</span>
          )}
          {status?.nextRefreshAt && !refreshing && !offline && (
            <span className="help">
              {' '}
              {t('catalog.status.nextRefresh', { when: formatRelative(status.nextRefreshAt, now) })}
            </span>
          )}
        </p>
        <button
          type="button"
          className="button catalog-status__refresh"
          onClick={() => void refresh()}
          disabled={refreshing}
          data-testid="catalog-refresh"
        >
          {refreshing && <Spinner small />} {t('catalog.refresh')}
        </button>
      </div>

      {failure && offline && (
        <div
          className="catalog-status__notice catalog-status__notice--warn"
          data-testid="catalog-offline"
          data-cause={failure.cause}
        >
          <p className="catalog-status__title">
            {fetchedAt
              ? t('catalog.status.offline', { date: formatDateTime(fetchedAt) })
              : t('catalog.status.offlineNoList')}
          </p>
          <p>{t('catalog.status.cause', { cause: t(`cause.${failure.cause}`), message: failure.message })}</p>
          <p>
            <strong>{t('catalog.status.fix', { fix: failure.fix })}</strong>
          </p>
          <DiagnoseLink check={doctorCheckForFailure(failure)} />
        </div>
      )}

      {incomplete && (
        <div className="catalog-status__notice catalog-status__notice--warn" data-testid="catalog-incomplete">
          <p className="catalog-status__title">
            {t('catalog.status.incomplete', { detail: t('catalog.status.incompleteDetail') })}
          </p>
          {incompleteFailure ? (
            <>
              <p>{incompleteFailure.message}</p>
              <p>
                <strong>{t('catalog.status.fix', { fix: incompleteFailure.fix })}</strong>
              </p>
              <DiagnoseLink check={doctorCheckForFailure(incompleteFailure)} />
            </>
          ) : (
            <p>{t('catalog.status.incompleteFix')}</p>
          )}
        </div>
      )}

      {status && status.skipped.length > 0 && (
        <details className="catalog-status__skipped" data-testid="catalog-skipped">
          <summary>{t('catalog.status.skipped', { count: status.skipped.length })}</summary>
          <ul>
            {status.skipped.map((record) => (
              <li key={record.index}>
                {record.key
                  ? t('catalog.status.skippedItem', { index: record.index, key: record.key, reason: record.reason })
                  : t('catalog.status.skippedItemNoKey', { index: record.index, reason: record.reason })}
              </li>
            ))}
          </ul>
        </details>
      )}

      {actionError && (
        <p
          className="notice notice--error"
          role="alert"
          data-testid="catalog-action-error"
          data-code={actionError.code}
        >
          {t('catalog.refreshFailed', { message: actionError.message })}
          {actionError.fix && ` ${t('key.error.fix', { fix: actionError.fix })}`}
        </p>
      )}
    </section>
  );
}

/**
 * Whether the list shown is older than a refresh that failed. CatalogStatus has one `failure` for
 * both "the last refresh failed" and "this list was cut short by a failed page" (the core keeps a
 * partial list only when it has no complete one): a failure recorded well after the list was
 * fetched is a later refresh; one recorded with a partial list belongs to it.
 */
export function isOffline(failure: { at: string } | null, fetchedAt: string | null, incomplete: boolean): boolean {
  if (!failure) return false;
  if (!fetchedAt || !incomplete) return true;
  return Date.parse(failure.at) - Date.parse(fetchedAt) > SAME_REFRESH_MS;
}

/** How far apart a partial list and its own failure can be stamped (one refresh). */
const SAME_REFRESH_MS = 60_000;

/** No catalogue without a valid registration: say so, and where to fix it. */
export function CatalogBlocked() {
  const blocked = useAppStore((s) => s.catalog.status?.blocked ?? null);
  const navigate = useAppStore((s) => s.ui.navigate);
  if (!blocked) return null;
  return (
    <section className="catalog-blocked box" data-testid="catalog-blocked" data-reason={blocked}>
      <h2 className="catalog-blocked__title">{t(`catalog.blocked.${blocked}.title`)}</h2>
      <p>{t(`catalog.blocked.${blocked}.text`)}</p>
      <p>
        <a
          href="#key"
          onClick={(e) => {
            e.preventDefault();
            navigate('key');
          }}
        >
          {t('catalog.blocked.link')}
        </a>
      </p>
    </section>
  );
}
