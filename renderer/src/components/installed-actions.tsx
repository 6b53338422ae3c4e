import { useId, useState, type ReactNode } from 'react';
import type { InstalledPlugin, PluginBackup } from '../../../shared/instances';
import { t } from '../i18n/t';
import { backupsOf } from '../store/installed-slice';
import { useAppStore } from '../store/store-context';
import { DowngradeDialog, isDowngrade } from './installed-versions';
import { ReasonButton } from './reason-button';

/**
 * What an installed plugin's row and its details pane both show and do (see
 * screens/installed-screen.tsx for the test ids): the update, Restore and Remove, and the facts.
 */

/** Why no action on this plugin can start now (its own action runs, or Update all), or null. */
export function useBusyReason(plugin: InstalledPlugin): string | null {
  const running = useAppStore((s) => plugin.shadowedBy === null && s.installed.jobs[plugin.key]?.state === 'running');
  const updatingAll = useAppStore((s) => s.installed.updatingAll);
  if (running) return t('installed.busy.job', { key: plugin.key });
  return updatingAll ? t('installed.busy.all') : null;
}

/** "10.0.0 – 10.0.99" from setup.php, or a dash when it declares none. */
export function glpiRange(plugin: InstalledPlugin): string {
  if (!plugin.glpiMin && !plugin.glpiMax) return '—';
  return t('installed.glpiRange', { min: plugin.glpiMin ?? t('installed.glpiAny'), max: plugin.glpiMax ?? '…' });
}

/** What is wrong with the folder beside its version: shadowed, a VCS checkout, an invalid key. */
export function pluginFlags(plugin: InstalledPlugin): string[] {
  const flags: string[] = [];
  if (plugin.shadowedBy) flags.push(t('installed.flag.shadowed', { location: plugin.shadowedBy }));
  if (plugin.vcs) flags.push(t('installed.flag.vcs', { vcs: plugin.vcs }));
  if (plugin.invalidKey) flags.push(t('installed.flag.invalidKey'));
  return flags;
}

/** Everything wrong with the folder: its flags, then why its version (or more) could not be read. */
export function pluginProblems(plugin: InstalledPlugin): string[] {
  return plugin.problem ? [...pluginFlags(plugin), plugin.problem] : pluginFlags(plugin);
}

/** The update offered (`plugin-update`), why none can be (a disabled Update), or "Up to date". */
export function UpdateAction({ plugin, busyReason }: { plugin: InstalledPlugin; busyReason: string | null }) {
  const update = useAppStore((s) => s.installed.update);
  const blockedId = useId();
  if (plugin.update !== null) {
    return (
      <>
        <p className="plugin-row__update">{t('installed.update.to', { version: plugin.update })}</p>
        <ReasonButton
          reason={busyReason}
          className="button button--primary"
          aria-label={t('installed.update.label', { key: plugin.key, version: plugin.update })}
          onClick={() => void update(plugin.key)}
          data-testid="plugin-update"
        >
          {t('installed.update.button')}
        </ReasonButton>
      </>
    );
  }
  if (plugin.updateBlocked !== null) {
    return (
      <>
        <p id={blockedId} className="plugin-row__blocked">
          {plugin.updateBlocked}
        </p>
        <ReasonButton reason={plugin.updateBlocked} reasonId={blockedId} className="button" data-testid="plugin-update">
          {t('installed.update.button')}
        </ReasonButton>
      </>
    );
  }
  return plugin.version !== null ? <span className="help">{t('installed.upToDate')}</span> : null;
}

/**
 * Restore previous version (`plugin-restore`, asks first when the newest backup is older than the
 * installed version) and Remove (`plugin-remove`), then `children` (more buttons of the same group).
 */
export function RestoreRemove({
  plugin,
  busyReason,
  onRemove,
  children,
}: {
  plugin: InstalledPlugin;
  busyReason: string | null;
  onRemove: (key: string) => void;
  children?: ReactNode;
}) {
  const restore = useAppStore((s) => s.installed.restore);
  // The backup "Restore previous version" puts back (newest first); undefined until the backups are read.
  const previous = useAppStore((s): PluginBackup | null | undefined =>
    s.installed.backupsState.status === 'ready' ? (backupsOf(s.installed.backups, plugin.key)[0] ?? null) : undefined,
  );
  const reading = useAppStore((s) => s.installed.backupsState.status === 'loading');
  const [confirming, setConfirming] = useState<PluginBackup | null>(null);
  // While the backups are read, Restore cannot tell whether it would go back to an older version.
  const restoreReason =
    busyReason ??
    (previous === null
      ? t('installed.restore.noBackup', { key: plugin.key })
      : reading
        ? t('installed.restore.reading', { key: plugin.key })
        : null);

  return (
    <div className="plugin-row__actions">
      <ReasonButton
        reason={restoreReason}
        className="button button--small"
        aria-label={t('installed.restore.label', { key: plugin.key })}
        onClick={() => {
          if (previous && isDowngrade(plugin.version, previous.version)) setConfirming(previous);
          else void restore(plugin.key);
        }}
        data-testid="plugin-restore"
      >
        {t('installed.restore')}
      </ReasonButton>
      <ReasonButton
        reason={busyReason}
        className="button button--small"
        aria-label={t('installed.remove.label', { key: plugin.key })}
        onClick={() => onRemove(plugin.key)}
        data-testid="plugin-remove"
      >
        {t('installed.remove')}
      </ReasonButton>
      {children}
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
    </div>
  );
}
