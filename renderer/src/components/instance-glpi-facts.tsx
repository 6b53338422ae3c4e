import type { InstanceSummary } from '../../../shared/instances';
import { t, type MessageKey } from '../i18n/t';

const MODE_KEYS: Record<0 | 1 | 2 | 3, MessageKey> = {
  0: 'installed.instance.mpMode.0',
  1: 'installed.instance.mpMode.1',
  2: 'installed.instance.mpMode.2',
  3: 'installed.instance.mpMode.3',
};

/**
 * What GLPI 11 fidelity adds to the instance box (docs/glpi-instance-layout.md §1.3, §2.1, §4.3,
 * §4.4): the marketplace mode and what it means for the admin, the GLPI Network API the instance
 * calls (with what to do when it is not this profile's), GLPI 11's web root, and what cannot be seen
 * from here. Test ids: `instance-marketplace-mode` (`data-mode` 0-3 or "unknown"),
 * `instance-api` (`data-differs`), `instance-api-differs`, `instance-web-root`, `instance-notes`.
 */
export function InstanceGlpiFacts({ instance }: { instance: InstanceSummary }) {
  const mode = instance.marketplaceEnable;
  const api = instance.networkApiUrl;
  const notes = instance.notes ?? [];
  const folder = instance.marketplaceDir;
  return (
    <>
      <dl className="instance-summary__facts">
        {mode && (
          <>
            <dt>{t('installed.instance.mpMode')}</dt>
            <dd data-testid="instance-marketplace-mode" data-mode={mode.value ?? 'unknown'}>
              {mode.value === null
                ? t('installed.instance.mpMode.unknown', { source: mode.source })
                : t(MODE_KEYS[mode.value])}{' '}
              {mode.value !== null && (
                <span className="help">
                  (
                  {mode.source === 'default'
                    ? t('installed.instance.source.default')
                    : t('installed.instance.source.file', { source: mode.source })}
                  )
                </span>
              )}
              {mode.value !== null && (
                <p className="help">
                  {mode.value === 0 || mode.value === 1
                    ? t('installed.instance.mpMode.webOff', { folder })
                    : t('installed.instance.mpMode.webOn', { folder })}
                </p>
              )}
            </dd>
          </>
        )}
        {api && (
          <>
            <dt>{t('installed.instance.api')}</dt>
            <dd data-testid="instance-api" data-differs={api.differsFromProfile}>
              {api.value === null ? (
                t('installed.instance.api.unknown', { source: api.source })
              ) : (
                <>
                  <code>{api.value}</code>{' '}
                  <span className="help">
                    (
                    {api.overridden
                      ? t('installed.instance.source.file', { source: api.source })
                      : t('installed.instance.source.default')}
                    )
                  </span>
                </>
              )}
            </dd>
          </>
        )}
        {instance.webRoot && (
          <>
            <dt>{t('installed.instance.webRoot')}</dt>
            <dd data-testid="instance-web-root">
              <code>{instance.webRoot}</code>
              <p className="help">{t('installed.instance.webRoot.help')}</p>
            </dd>
          </>
        )}
      </dl>
      {api?.differsFromProfile && api.value !== null && (
        <p className="installed-warning" role="alert" data-testid="instance-api-differs">
          {t('installed.instance.api.differs', { url: api.value, profile: api.profileApi })}{' '}
          {api.overridden
            ? t('installed.instance.api.fix.override', { source: api.source })
            : t('installed.instance.api.fix.default', { profile: api.profileApi })}
        </p>
      )}
      {notes.length > 0 && (
        <div className="help" data-testid="instance-notes">
          <p>{t('installed.instance.notes')}</p>
          <ul>
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
