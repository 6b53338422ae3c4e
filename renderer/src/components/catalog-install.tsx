import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { CatalogListItem, PluginVersion } from '../../../shared/catalog';
import { availability } from '../../../shared/entitlements';
import type { InstalledPlugin, InstanceSummary } from '../../../shared/instances';
import { versionCompare } from '../../../shared/php-version';
import { t } from '../i18n/t';
import { availabilityText } from '../store/catalog-view';
import type { PluginJob } from '../store/installed-slice';
import { useAppStore, useAppStoreShallow } from '../store/store-context';
import { CatalogInstalledBadge, installedIndex } from './catalog-installed';
import { ConfirmDialog } from './confirm-dialog';
import { JobStatus } from './job-status';

/** What the details know about installing one plugin into the active GLPI instance. */
export interface CatalogInstall {
  /** The active instance; null while it is read, when it cannot be, or when none was added. */
  instance: InstanceSummary | null;
  /** The installed view was read and no instance was added yet. */
  needsInstance: boolean;
  /** The GLPI version versions are checked against: the instance's (as the core does), else the catalogue's. */
  glpiVersion: string;
  /** The copy GLPI loads, if the plugin is installed. */
  installed: InstalledPlugin | null;
  /** The version the main button installs: the latest compatible one (as GLPI would pick it). */
  latest: PluginVersion | null;
  /** Why the main button is disabled; null when it is enabled. */
  blocked: string | null;
  /** Why no version of the table can be installed; null when compatible ones can. */
  pickerBlocked: string | null;
  /** The element that says `pickerBlocked` (for aria-describedby). */
  pickerReasonId: string;
  /** The main button's reason element. */
  reasonId: string;
  job: PluginJob | undefined;
  /** Installs `version` (after a confirmation when it is older than the installed one). */
  request: (version: string) => void;
  /** The version waiting for the downgrade confirmation. */
  pending: string | null;
  /** Counts the installs asked from these details (focus follows the progress). */
  asked: number;
  confirm: () => void;
  cancel: () => void;
}

/**
 * The install state of `plugin` in the active instance: the installed copy, the latest compatible
 * version and why installing is not possible now, in the order an admin would fix things (an
 * instance, the running action, the key and tier, the marketplace folder, a checkout).
 */
export function useCatalogInstall(plugin: CatalogListItem): CatalogInstall {
  const s = useAppStoreShallow((state) => ({
    view: state.installed.view,
    loadState: state.installed.loadState,
    job: state.installed.jobs[plugin.key],
    install: state.installed.install,
    keyState: state.key.status?.state ?? 'none',
    subscription: state.key.status?.subscription ?? null,
    offers: state.catalog.offers,
    catalogGlpi: state.catalog.glpiVersion,
    includePrereleases: state.catalog.includePrereleases,
  }));
  const [pending, setPending] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const reasonId = useId();
  const pickerReasonId = useId();

  const instance = s.view?.instance ?? null;
  const glpiVersion = instance?.version ?? s.catalogGlpi;
  const { forLatest, forAny } = useMemo(() => {
    const context = {
      keyState: s.keyState,
      subscription: s.subscription,
      offers: s.offers,
      glpiVersion,
      includePrereleases: s.includePrereleases,
    };
    // A chosen version may be a pre-release (the core accepts any listed version that fits).
    return {
      forLatest: availability(plugin, context),
      forAny: availability(plugin, { ...context, includePrereleases: true }),
    };
  }, [plugin, s.keyState, s.subscription, s.offers, glpiVersion, s.includePrereleases]);

  const lower = plugin.key.toLowerCase();
  const installed = installedIndex(s.view).get(lower) ?? null;
  // GLPI reads plugins/ before marketplace/ here: a new marketplace copy would be ignored.
  const shadowedMarketplace =
    s.view?.plugins.some((p) => p.key.toLowerCase() === lower && p.location === 'marketplace' && p.shadowedBy) ?? false;

  let before: string | null = null;
  if (!s.view) {
    before =
      s.loadState.status === 'error'
        ? t('details.install.loadFailed', { message: s.loadState.error.message })
        : t('details.install.loading');
  } else if (!instance) before = t('details.install.noInstance');
  else if (s.job?.state === 'running') before = t('details.install.running', { key: plugin.key });

  let after: string | null = null;
  if (instance && !instance.marketplaceWritable)
    after = t('details.install.notWritable', { folder: instance.marketplaceDir });
  else if (installed?.vcs) after = t('details.install.vcs', { vcs: installed.vcs });
  else if (shadowedMarketplace && installed) after = t('details.install.shadowed', { path: installed.path });

  const entitled = (kind: string) => kind !== 'no-key' && kind !== 'not-running' && kind !== 'needs-tier';
  const text = (a: typeof forLatest) => availabilityText(a, plugin, glpiVersion, a === forAny || s.includePrereleases);
  const blocked = before ?? (forLatest.kind !== 'included' ? text(forLatest) : after);
  const pickerBlocked = before ?? (entitled(forAny.kind) ? after : text(forAny));

  const latest = forLatest.latest;
  return {
    instance,
    needsInstance: s.view !== null && !instance,
    glpiVersion,
    installed,
    latest,
    blocked,
    pickerBlocked,
    pickerReasonId: pickerBlocked !== null && pickerBlocked === blocked ? reasonId : pickerReasonId,
    reasonId,
    job: s.job,
    pending,
    asked,
    request(version) {
      if (isOlder(version, installed)) {
        setPending(version);
        return;
      }
      setAsked((n) => n + 1);
      void s.install(plugin.key, version);
    },
    confirm() {
      if (pending === null) return;
      setPending(null);
      setAsked((n) => n + 1);
      void s.install(plugin.key, pending);
    },
    cancel() {
      setPending(null);
    },
  };
}

/** Installing `version` over `installed` goes back in time (GLPI may refuse it: its tables are newer). */
export function isOlder(version: string, installed: InstalledPlugin | null): boolean {
  return installed?.version != null && versionCompare(version, installed.version) < 0;
}

/** Same version as the installed one, by PHP version_compare. */
export function isInstalledVersion(version: string, installed: InstalledPlugin | null): boolean {
  return installed?.version != null && versionCompare(version, installed.version) === 0;
}

/**
 * The Install section of the details: where it installs, what is installed, the main button
 * (Install / Update to / Reinstall / Downgrade to the latest compatible version, or why not), the
 * running action's progress and its outcome with what to do next in GLPI.
 */
export function CatalogInstallPanel({ plugin, install }: { plugin: CatalogListItem; install: CatalogInstall }) {
  const navigate = useAppStore((s) => s.ui.navigate);
  const headingId = useId();
  const { instance, installed, latest, blocked, job } = install;
  const jobRef = useRef<HTMLDivElement>(null);
  const { asked } = install;

  // The button turns disabled while the action runs: keyboard focus goes on to its progress.
  useEffect(() => {
    if (asked > 0) jobRef.current?.focus();
  }, [asked]);

  const target = latest?.num ?? null;
  let label = t('details.install.buttonNoVersion');
  if (target !== null) {
    if (installed?.version == null) label = t('details.install.button', { version: target });
    else if (isInstalledVersion(target, installed)) label = t('details.install.reinstall', { version: target });
    else if (isOlder(target, installed)) label = t('details.install.downgrade', { version: target });
    else label = t('details.install.update', { version: target });
  }
  const pickerOwnReason = install.pickerBlocked !== null && install.pickerReasonId !== install.reasonId;

  return (
    <section aria-labelledby={headingId} className="catalog-install" data-testid="catalog-install-panel">
      <h3 id={headingId}>{t('details.install.heading')}</h3>
      {instance && (
        <p className="catalog-install__where" data-testid="catalog-install-where">
          {instance.version
            ? t('details.install.where', { instance: instance.name, version: instance.version })
            : t('details.install.whereUnknown', { instance: instance.name, version: install.glpiVersion })}{' '}
          {installed ? (
            <CatalogInstalledBadge installed={installed} />
          ) : (
            <span data-testid="catalog-not-installed">{t('details.install.notInstalled')}</span>
          )}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button--primary"
          disabled={blocked !== null || target === null}
          aria-describedby={blocked !== null ? install.reasonId : undefined}
          title={blocked ?? undefined}
          data-testid="catalog-install"
          data-version={target ?? ''}
          onClick={() => {
            if (target !== null) install.request(target);
          }}
        >
          {label}
        </button>
      </div>
      {blocked !== null && (
        <p id={install.reasonId} className="catalog-install__reason" data-testid="catalog-install-reason">
          {blocked}
          {install.needsInstance && (
            <>
              {' '}
              <a
                href="#installed"
                onClick={(e) => {
                  e.preventDefault();
                  navigate('installed');
                }}
              >
                {t('details.install.goInstalled')}
              </a>
            </>
          )}
        </p>
      )}
      {pickerOwnReason && (
        <p id={install.pickerReasonId} className="help" data-testid="catalog-picker-reason">
          {t('details.install.pickerBlocked', { reason: install.pickerBlocked ?? '' })}
        </p>
      )}
      {job && <JobStatus pluginKey={plugin.key} job={job} focusRef={jobRef} />}
      {install.pending !== null && (
        <ConfirmDialog
          title={t('details.downgrade.title', { name: plugin.name, version: install.pending })}
          text={t('details.downgrade.text', {
            name: plugin.name,
            installed: installed?.version ?? '',
            version: install.pending,
          })}
          confirmLabel={t('details.downgrade.confirm', { version: install.pending })}
          cancelLabel={t('details.downgrade.cancel', { version: installed?.version ?? '' })}
          onCancel={install.cancel}
          onConfirm={install.confirm}
        />
      )}
    </section>
  );
}
