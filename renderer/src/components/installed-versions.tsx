import { useEffect, useId, useMemo, useState } from 'react';
import { availability, keptVersions } from '../../../shared/entitlements';
import type { InstalledPlugin, InstanceSummary, PluginBackup } from '../../../shared/instances';
import { versionCompare } from '../../../shared/php-version';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/t';
import { backupsOf } from '../store/installed-slice';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import { ConfirmDialog } from './confirm-dialog';
import { ReasonButton } from './reason-button';
import { ColumnHeads } from './column-heads';

/** What asks for confirmation: going back to an older version than the one installed. */
export type Pending =
  { kind: 'install'; version: string } | { kind: 'restore'; version: string | null; backupId: string };

/** Older than the installed version (an unknown version on either side is not called older). */
export function isDowngrade(installed: string | null, target: string | null): boolean {
  return installed !== null && target !== null && versionCompare(target, installed) < 0;
}

/**
 * "Versions…" of one installed plugin (`data-testid="plugin-versions"`): the backups Marketdesk kept
 * of it, each with Restore (`plugins.restore` with its id), and the versions the catalogue offers
 * for the instance's GLPI version, each with "Install this version". Going back to an older version
 * asks for confirmation first.
 */
export function VersionsPanel({
  id,
  plugin,
  instance,
  busyReason,
}: {
  id: string;
  plugin: InstalledPlugin;
  instance: InstanceSummary;
  /** Why no action can start now, or null. */
  busyReason: string | null;
}) {
  const store = useAppStoreApi();
  const install = useAppStore((s) => s.installed.install);
  const restore = useAppStore((s) => s.installed.restore);
  const [pending, setPending] = useState<Pending | null>(null);
  const titleId = useId();
  const name = plugin.name ?? plugin.key;

  useEffect(() => {
    // Both lists are read when the panel first opens; after that, actions and events keep them fresh.
    const s = store.getState();
    if (s.installed.backupsState.status === 'idle') void s.installed.loadBackups();
    if (s.catalog.load.status === 'idle') void s.catalog.hydrate();
  }, [store]);

  function start(next: Pending) {
    if (isDowngrade(plugin.version, next.version)) setPending(next);
    else run(next);
  }

  function run(next: Pending) {
    if (next.kind === 'install') void install(plugin.key, next.version);
    else void restore(plugin.key, next.backupId);
  }

  return (
    <section id={id} className="plugin-versions" aria-labelledby={titleId} data-testid="plugin-versions">
      <h3 id={titleId} className="plugin-versions__title">
        {t('installed.versions.title', { name })} <code>{plugin.key}</code>
      </h3>
      <BackupList plugin={plugin} busyReason={busyReason} onRestore={start} />
      <CatalogueVersions plugin={plugin} instance={instance} busyReason={busyReason} onInstall={start} />
      {pending && (
        <DowngradeDialog
          plugin={plugin}
          pending={pending}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const next = pending;
            setPending(null);
            run(next);
          }}
        />
      )}
    </section>
  );
}

/** "Go back to an older version?" for an install or a restore, with the installed version as the safe choice. */
export function DowngradeDialog({
  plugin,
  pending,
  onCancel,
  onConfirm,
}: {
  plugin: InstalledPlugin;
  pending: Pending;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const current = plugin.version ?? t('installed.versions.unknown');
  const target = pending.version ?? t('installed.versions.unknown');
  const install = pending.kind === 'install';
  return (
    <ConfirmDialog
      title={t(install ? 'installed.downgrade.installTitle' : 'installed.downgrade.restoreTitle', {
        key: plugin.key,
        version: target,
      })}
      text={t('installed.downgrade.text', { key: plugin.key, current, version: target })}
      confirmLabel={t(install ? 'installed.downgrade.installConfirm' : 'installed.downgrade.restoreConfirm', {
        version: target,
      })}
      cancelLabel={t('installed.downgrade.cancel', { current })}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
}

function BackupList({
  plugin,
  busyReason,
  onRestore,
}: {
  plugin: InstalledPlugin;
  busyReason: string | null;
  onRestore: (pending: Pending) => void;
}) {
  const all = useAppStore((s) => s.installed.backups);
  const state = useAppStore((s) => s.installed.backupsState);
  const loadBackups = useAppStore((s) => s.installed.loadBackups);
  const backups = useMemo(() => backupsOf(all, plugin.key), [all, plugin.key]);
  const headingId = useId();
  return (
    <div className="plugin-versions__part">
      <h4 id={headingId}>{t('installed.versions.backups')}</h4>
      <p className="help">{t('installed.versions.backupsIntro')}</p>
      {state.status === 'error' && (
        <div className="notice notice--error" role="alert">
          <p>{t('installed.versions.backupsFailed', { message: state.error.message })}</p>
          <button type="button" className="button button--small" onClick={() => void loadBackups()}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {backups.length === 0 && state.status !== 'error' && (
        <p>
          {state.status === 'ready'
            ? t('installed.versions.noBackups', { key: plugin.key })
            : t('installed.versions.backupsLoading')}
        </p>
      )}
      {backups.length > 0 && (
        <BackupTable
          caption={t('installed.versions.backupsCaption', { key: plugin.key })}
          backups={backups}
          busyReason={busyReason}
          onRestore={(b) => onRestore({ kind: 'restore', version: b.version, backupId: b.id })}
        />
      )}
    </div>
  );
}

/** Kept backups with their Restore buttons (also used by the removed plugins section). */
export function BackupTable({
  caption,
  backups,
  busyReason,
  onRestore,
  showKey = false,
}: {
  caption: string;
  backups: PluginBackup[];
  busyReason: string | null;
  onRestore: (backup: PluginBackup) => void;
  showKey?: boolean;
}) {
  return (
    <table className="data-table plugin-versions__table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {showKey && <th scope="col">{t('installed.removed.col.plugin')}</th>}
          <th scope="col">{t('installed.versions.col.version')}</th>
          <th scope="col">{t('installed.versions.col.kept')}</th>
          <th scope="col">{t('installed.versions.col.action')}</th>
        </tr>
      </thead>
      <tbody>
        {backups.map((b) => {
          const version = b.version ?? t('installed.versions.unknown');
          const date = formatDateTime(b.createdAt);
          return (
            <tr key={b.id} data-testid="backup-row" data-key={b.key} data-backup={b.id}>
              {showKey && (
                <th scope="row">
                  <code>{b.key}</code>
                </th>
              )}
              {showKey ? <td>{version}</td> : <th scope="row">{version}</th>}
              <td>
                <time dateTime={b.createdAt}>{date}</time>
              </td>
              <td>
                <ReasonButton
                  reason={busyReason}
                  className="button button--small"
                  aria-label={t('installed.versions.restoreLabel', { key: b.key, version, date })}
                  onClick={() => onRestore(b)}
                  data-testid="backup-restore"
                >
                  {t('installed.versions.restore')}
                </ReasonButton>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function CatalogueVersions({
  plugin,
  instance,
  busyReason,
  onInstall,
}: {
  plugin: InstalledPlugin;
  instance: InstanceSummary;
  busyReason: string | null;
  onInstall: (pending: Pending) => void;
}) {
  const load = useAppStore((s) => s.catalog.load);
  const status = useAppStore((s) => s.catalog.status);
  const entry = useAppStore((s) => s.catalog.byKey.get(plugin.key));
  const catalogVersion = useAppStore((s) => s.catalog.glpiVersion);
  const offers = useAppStore((s) => s.catalog.offers);
  const keyState = useAppStore((s) => s.key.status?.state ?? 'none');
  const subscription = useAppStore((s) => s.key.status?.subscription ?? null);
  const hydrate = useAppStore((s) => s.catalog.hydrate);
  const plugins = useAppStore((s) => s.catalog.plugins);
  const blockedId = useId();
  const glpi = instance.version ?? catalogVersion;

  const versions = useMemo(() => (entry ? keptVersions(entry, glpi, true).reverse() : []), [entry, glpi]);
  // Installing needs what the core checks too: a key, a running subscription, the tier.
  const refusal = useMemo(() => {
    if (!entry) return null;
    const a = availability(entry, { keyState, subscription, offers, glpiVersion: glpi, includePrereleases: true });
    return a.kind === 'needs-tier' || a.kind === 'not-running' || a.kind === 'no-key' ? a.text : null;
  }, [entry, keyState, subscription, offers, glpi]);
  const blocked = busyReason ?? refusal;

  let body;
  if (plugins.length === 0) {
    if (load.status === 'error') {
      body = (
        <div className="notice notice--error" role="alert">
          <p>{t('installed.versions.catalogueFailed', { message: load.error.message })}</p>
          <button type="button" className="button button--small" onClick={() => void hydrate()}>
            {t('app.retry')}
          </button>
        </div>
      );
    } else if (status?.blocked) {
      body = <p className="notice installed-notice">{t('installed.versions.catalogueBlocked')}</p>;
    } else if (load.status === 'ready' && !status?.refreshing) {
      body = <p className="notice installed-notice">{t('installed.versions.catalogueNone')}</p>;
    } else {
      body = <p role="status">{t('installed.versions.catalogueLoading')}</p>;
    }
  } else if (!entry) {
    body = <p>{t('installed.versions.notInCatalogue', { key: plugin.key })}</p>;
  } else if (versions.length === 0) {
    body = <p>{t('installed.versions.noVersion', { key: plugin.key, version: glpi })}</p>;
  } else {
    body = (
      <>
        {refusal && (
          <p id={blockedId} className="installed-warning">
            {refusal}
          </p>
        )}
        <table className="data-table plugin-versions__table">
          <caption className="visually-hidden">{t('installed.versions.catalogueCaption', { key: plugin.key })}</caption>
          <ColumnHeads
            labels={[
              t('installed.versions.col.version'),
              t('installed.versions.col.stability'),
              t('installed.versions.col.compat'),
              t('installed.versions.col.action'),
            ]}
          />
          <tbody>
            {versions.map((v) => (
              <tr key={v.num} data-testid="catalog-version-row" data-version={v.num}>
                <th scope="row">{v.num}</th>
                <td>{v.stability}</td>
                <td>{v.compatibility.join(', ')}</td>
                <td>
                  {plugin.version === v.num ? (
                    <span className="help">{t('installed.versions.current')}</span>
                  ) : (
                    <ReasonButton
                      reason={blocked}
                      reasonId={refusal ? blockedId : undefined}
                      className="button button--small"
                      aria-label={t('installed.versions.installLabel', { key: plugin.key, version: v.num })}
                      onClick={() => onInstall({ kind: 'install', version: v.num })}
                      data-testid="version-install"
                    >
                      {t('installed.versions.install')}
                    </ReasonButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
  }

  return (
    <div className="plugin-versions__part">
      <h4>{t('installed.versions.catalogue', { version: glpi })}</h4>
      {body}
    </div>
  );
}
