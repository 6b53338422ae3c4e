import type { ChecksumChangedDetails } from '../../../shared/instances';
import { t } from '../i18n/t';
import { ReasonButton } from './reason-button';
import './job-status.css';

/**
 * A version whose archive changed since it was pinned (republished in place, or altered on the
 * way): what that means, the SHA-256 of its first install and the one received now (monospace,
 * selectable whole), and the admin's explicit trust of the new one, which runs the install or
 * update again with exactly that checksum. `data-testid="job-checksums"`, button
 * `job-trust-checksum` (named "Trust the new archive and install|update <key> <version>").
 */
export function ChecksumChange({
  changed,
  action,
  onTrust,
  reason = null,
}: {
  changed: ChecksumChangedDetails;
  action: 'install' | 'update';
  onTrust: () => void;
  /** Why the new archive cannot be trusted now (another action runs), or null. */
  reason?: string | null;
}) {
  const vars = { key: changed.key, version: changed.version };
  return (
    <div className="job-status__checksums" data-testid="job-checksums">
      <p>{t('installed.checksum.explain', vars)}</p>
      <dl>
        <dt>{t('installed.checksum.pinned')}</dt>
        <dd>
          <code className="checksum">{changed.pinned}</code>
        </dd>
        <dt>{t('installed.checksum.received')}</dt>
        <dd>
          <code className="checksum">{changed.received}</code>
        </dd>
      </dl>
      <ReasonButton
        className="button button--small"
        reason={reason}
        aria-label={t(
          action === 'update' ? 'installed.checksum.trustUpdateLabel' : 'installed.checksum.trustLabel',
          vars,
        )}
        onClick={onTrust}
        data-testid="job-trust-checksum"
      >
        {t(action === 'update' ? 'installed.checksum.trustUpdate' : 'installed.checksum.trust')}
      </ReasonButton>
    </div>
  );
}
