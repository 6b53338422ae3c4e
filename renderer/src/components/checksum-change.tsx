import type { ChecksumChangedDetails } from '../../../shared/instances';
import { t } from '../i18n/t';
import { ReasonButton } from './reason-button';
import './job-status.css';

const TRUST = {
  install: ['installed.checksum.trust', 'installed.checksum.trustLabel'],
  update: ['installed.checksum.trustUpdate', 'installed.checksum.trustUpdateLabel'],
  bundle: ['installed.checksum.trustBundle', 'installed.checksum.trustBundleLabel'],
} as const;

/**
 * A version whose archive changed since it was pinned (republished in place, or altered on the
 * way): what that means, the SHA-256 of its first install and the one received now (monospace,
 * selectable whole), and the admin's explicit trust of the new one, which runs the install, update
 * or bundle export again with exactly that checksum. `data-testid="job-checksums"`, button
 * `job-trust-checksum` (named "Trust the new archive and install|update <key> <version>", or
 * "Trust the new archive of <key> <version> and make the bundle").
 */
export function ChecksumChange({
  changed,
  action,
  onTrust,
  reason = null,
}: {
  changed: ChecksumChangedDetails;
  action: keyof typeof TRUST;
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
        aria-label={t(TRUST[action][1], vars)}
        onClick={onTrust}
        data-testid="job-trust-checksum"
      >
        {t(TRUST[action][0])}
      </ReasonButton>
    </div>
  );
}
