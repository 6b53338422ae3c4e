import { useId, useState } from 'react';
import type { InstalledPlugin, InstanceSummary, PluginBackup } from '../../../shared/instances';
import { t } from '../i18n/t';
import { backupsOf } from '../store/installed-slice';
import { useAppStore } from '../store/store-context';
import { DowngradeDialog, isDowngrade, VersionsPanel } from './installed-versions';
import { JobStatus } from './job-status';

/**
 * One plugin folder of the Installed table (see screens/installed-screen.tsx for its test ids): its
 * version, update, actions and last action, and the Versions panel under it when opened. "Restore
 * previous version" asks first when the newest backup is older than the installed version.
 */
export function PluginRow({
  plugin,
  instance,
  onRemove,
}: {
  plugin: InstalledPlugin;
  instance: InstanceSummary;
  onRemove: (key: string) => void;
}) {
  const loaded = plugin.shadowedBy === null;
  const job = useAppStore((s) => (loaded ? s.installed.jobs[plugin.key] : undefined));
  const updatingAll = useAppStore((s) => s.installed.updatingAll);
  const update = useAppStore((s) => s.installed.update);
  const restore = useAppStore((s) => s.installed.restore);
  // The backup "Restore previous version" puts back (newest first); undefined until the backups are read.
  const previous = useAppStore((s): PluginBackup | null | undefined =>
    s.installed.backupsState.status === 'ready' ? (backupsOf(s.installed.backups, plugin.key)[0] ?? null) : undefined,
  );
  const reading = useAppStore((s) => s.installed.backupsState.status === 'loading');
  const noBackup = previous === null;
  const [confirming, setConfirming] = useState<PluginBackup | null>(null);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const blockedId = useId();
  const busyId = useId();
  const restoreId = useId();
  const panelId = useId();
  const busyReason =
    job?.state === 'running'
      ? t('installed.busy.job', { key: plugin.key })
      : updatingAll
        ? t('installed.busy.all')
        : null;
  // While the backups are read, Restore cannot tell whether it would go back to an older version.
  const restoreReason =
    busyReason ??
    (noBackup
      ? t('installed.restore.noBackup', { key: plugin.key })
      : reading
        ? t('installed.restore.reading', { key: plugin.key })
        : null);
  const glpi =
    plugin.glpiMin || plugin.glpiMax
      ? t('installed.glpiRange', { min: plugin.glpiMin ?? t('installed.glpiAny'), max: plugin.glpiMax ?? '…' })
      : '—';

  return (
    <>
      <tr
        data-testid="plugin-row"
        data-key={plugin.key}
        data-location={plugin.location}
        data-update={plugin.update ?? ''}
        className={loaded ? undefined : 'plugin-row--shadowed'}
      >
        <th scope="row">
          <span className="plugin-row__name">{plugin.name ?? plugin.key}</span> <code>{plugin.key}</code>
          <Flags plugin={plugin} />
        </th>
        <td>
          {plugin.version ?? <span className="installed-warning-text">{t('installed.versionUnknown')}</span>}
          {plugin.problem && <p className="help">{plugin.problem}</p>}
        </td>
        <td>{t(`installed.location.${plugin.location}`)}</td>
        <td>{glpi}</td>
        <td>
          {plugin.update !== null && (
            <>
              <p className="plugin-row__update">{t('installed.update.to', { version: plugin.update })}</p>
              <button
                type="button"
                className="button button--primary"
                aria-label={t('installed.update.label', { key: plugin.key, version: plugin.update })}
                disabled={busyReason !== null}
                title={busyReason ?? undefined}
                aria-describedby={busyReason ? busyId : undefined}
                onClick={() => void update(plugin.key)}
                data-testid="plugin-update"
              >
                {t('installed.update.button')}
              </button>
            </>
          )}
          {plugin.update === null && plugin.updateBlocked !== null && (
            <>
              <p id={blockedId} className="plugin-row__blocked">
                {plugin.updateBlocked}
              </p>
              <button
                type="button"
                className="button"
                disabled
                title={plugin.updateBlocked}
                aria-describedby={blockedId}
                data-testid="plugin-update"
              >
                {t('installed.update.button')}
              </button>
            </>
          )}
          {plugin.update === null && plugin.updateBlocked === null && plugin.version !== null && (
            <span className="help">{t('installed.upToDate')}</span>
          )}
        </td>
        <td>
          {loaded && (
            <div className="plugin-row__actions">
              <button
                type="button"
                className="button button--small"
                disabled={restoreReason !== null}
                title={restoreReason ?? undefined}
                aria-describedby={restoreReason ? restoreId : undefined}
                aria-label={t('installed.restore.label', { key: plugin.key })}
                onClick={() => {
                  if (previous && isDowngrade(plugin.version, previous.version)) setConfirming(previous);
                  else void restore(plugin.key);
                }}
                data-testid="plugin-restore"
              >
                {t('installed.restore')}
              </button>
              <button
                type="button"
                className="button button--small"
                disabled={busyReason !== null}
                title={busyReason ?? undefined}
                aria-describedby={busyReason ? busyId : undefined}
                aria-label={t('installed.remove.label', { key: plugin.key })}
                onClick={() => onRemove(plugin.key)}
                data-testid="plugin-remove"
              >
                {t('installed.remove')}
              </button>
              <button
                type="button"
                className="button button--small"
                aria-expanded={versionsOpen}
                aria-controls={panelId}
                aria-label={t('installed.versions.label', { key: plugin.key })}
                onClick={() => setVersionsOpen(!versionsOpen)}
                data-testid="plugin-versions-toggle"
              >
                {t('installed.versions')}
              </button>
              {busyReason && (
                <span id={busyId} className="visually-hidden">
                  {busyReason}
                </span>
              )}
              {restoreReason && (
                <span id={restoreId} className="visually-hidden">
                  {restoreReason}
                </span>
              )}
            </div>
          )}
          {job && <JobStatus pluginKey={plugin.key} job={job} />}
          {confirming && (
            <DowngradeDialog
              plugin={plugin}
              pending={{ kind: 'restore', version: confirming.version, backupId: confirming.id }}
              onCancel={() => setConfirming(null)}
              onConfirm={() => {
                setConfirming(null);
                void restore(plugin.key, confirming.id);
              }}
            />
          )}
        </td>
      </tr>
      {loaded && versionsOpen && (
        <tr className="plugin-row__more">
          <td colSpan={6}>
            <VersionsPanel id={panelId} plugin={plugin} instance={instance} busyReason={busyReason} />
          </td>
        </tr>
      )}
    </>
  );
}

function Flags({ plugin }: { plugin: InstalledPlugin }) {
  const flags: string[] = [];
  if (plugin.shadowedBy) flags.push(t('installed.flag.shadowed', { location: plugin.shadowedBy }));
  if (plugin.vcs) flags.push(t('installed.flag.vcs', { vcs: plugin.vcs }));
  if (plugin.invalidKey) flags.push(t('installed.flag.invalidKey'));
  if (flags.length === 0) return null;
  return (
    <ul className="plugin-row__flags">
      {flags.map((flag) => (
        <li key={flag} className="plugin-flag">
          {flag}
        </li>
      ))}
    </ul>
  );
}
