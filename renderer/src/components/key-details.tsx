import { daysLeft, type KeyStatus, type NetworkFailure } from '../../../shared/model';
import { formatDate, formatDateTime, formatRelativeWithDate } from '../i18n/format';
import { t } from '../i18n/t';

/** Under this many days left, the period is flagged so the admin renews in time. */
export const ENDS_SOON_DAYS = 30;

export interface KeyDetailsProps {
  /** The answer's part of a key status (or of a save error's validation result). */
  answer: Pick<KeyStatus, 'owner' | 'subscription' | 'message' | 'checkedAt'>;
  now: Date;
}

/** What GLPI Network answered about a key, as a description list. */
export function KeyDetails({ answer, now }: KeyDetailsProps) {
  const { owner, subscription, message, checkedAt } = answer;
  if (!owner && !subscription && !message && !checkedAt) return null;
  return (
    <dl className="details">
      {owner !== null && (
        <div className="details__row">
          <dt>{t('key.details.owner')}</dt>
          <dd data-testid="key-owner">{owner}</dd>
        </div>
      )}
      {subscription && (
        <>
          <div className="details__row">
            <dt>{t('key.details.subscription')}</dt>
            <dd data-testid="key-subscription">{subscription.title}</dd>
          </div>
          <div className="details__row">
            <dt>{t('key.details.offer')}</dt>
            <dd data-testid="key-offer">{subscription.offer}</dd>
          </div>
          {(subscription.begins ?? subscription.ends) && (
            <div className="details__row">
              <dt>{t('key.details.period')}</dt>
              <dd data-testid="key-period">
                <Period begins={subscription.begins} ends={subscription.ends} now={now} />
              </dd>
            </div>
          )}
        </>
      )}
      {message && (
        <div className="details__row">
          <dt>{t('key.details.message')}</dt>
          <dd data-testid="key-message" className="details__quote">
            {message}
          </dd>
        </div>
      )}
      {checkedAt && (
        <div className="details__row">
          <dt>{t('key.details.checked')}</dt>
          <dd data-testid="key-checked">{formatRelativeWithDate(checkedAt, now)}</dd>
        </div>
      )}
    </dl>
  );
}

/** "From Jan 1, 2025 to Dec 31, 2025" and the days left, flagged under ENDS_SOON_DAYS. */
export function Period({
  begins,
  ends,
  now,
  daysLeftTestId = 'key-days-left',
}: {
  begins: string | null;
  ends: string | null;
  now: Date;
  daysLeftTestId?: string;
}) {
  const range =
    begins && ends
      ? t('key.details.periodRange', { begins: formatDate(begins), ends: formatDate(ends) })
      : begins
        ? t('key.details.periodFrom', { begins: formatDate(begins) })
        : t('key.details.periodTo', { ends: formatDate(ends ?? '') });
  const left = daysLeft(ends, now);
  let remaining: string | null = null;
  if (left !== null) {
    if (left > 0) remaining = t('key.details.daysLeft', { count: left });
    else if (left === 0) remaining = t('key.details.endsToday');
    else remaining = t('key.details.ended', { count: -left });
  }
  const soon = left !== null && left < ENDS_SOON_DAYS;
  return (
    <>
      {range}
      {remaining && (
        <span
          className={soon ? 'days-left days-left--soon' : 'days-left'}
          data-testid={daysLeftTestId}
          data-soon={soon}
        >
          {soon && (
            <span className="days-left__icon" aria-hidden="true">
              !
            </span>
          )}
          {soon && left >= 0 ? t('key.details.endsSoon', { left: remaining }) : remaining}
        </span>
      )}
    </>
  );
}

/** Why the last attempt to reach GLPI Network failed, and what to do. */
export function FailureDetails({ failure }: { failure: NetworkFailure }) {
  return (
    <div className="failure" data-testid="key-failure" data-cause={failure.cause}>
      <h3 className="failure__title">{t('key.failure.title')}</h3>
      <dl className="details">
        <div className="details__row">
          <dt>{t('key.failure.cause')}</dt>
          <dd>{t(`cause.${failure.cause}`)}</dd>
        </div>
        <div className="details__row">
          <dt>{t('key.failure.message')}</dt>
          <dd>{failure.message}</dd>
        </div>
        {failure.status !== undefined && (
          <div className="details__row">
            <dt>{t('key.failure.status')}</dt>
            <dd>{failure.status}</dd>
          </div>
        )}
        <div className="details__row">
          <dt>{t('key.failure.at')}</dt>
          <dd>{formatDateTime(failure.at)}</dd>
        </div>
      </dl>
      <p className="failure__fix">
        <strong>{t('key.failure.fix')}</strong> {failure.fix}
      </p>
    </div>
  );
}
