/**
 * The Installed screen (`#installed`): the active GLPI instance (with a switcher between the
 * profile's instances), the plugins found in its marketplace/ and plugins/ folders, their updates,
 * and the actions Marketdesk can run on them (update, update all, install another version, restore a
 * kept backup, remove, cancel a running install or update), the removed plugins it kept, and the
 * history of those actions (exportable as JSON or CSV).
 *
 * Stable hooks for e2e tests (keep them when restyling):
 * - `data-testid="installed-screen"` — the screen.
 * - `data-testid="instance-add"` — the "Add a GLPI instance" form (fields "GLPI folder", "Name",
 *   button "Add instance"); `instance-add-error` — why adding failed, with the fix. With an instance,
 *   it opens from `instance-add-toggle` ("Add another GLPI instance").
 * - `data-testid="instance-switcher"` — the select named "GLPI instance" (switches at once).
 * - `data-testid="instance-summary"` — the instance header, `data-writable="true|false"` (marketplace
 *   folder writable), with GLPI's marketplace mode, GLPI Network API, web root and notes (see
 *   components/instance-glpi-facts.tsx).
 * - `data-testid="glpi-console"` — what GLPI's console says (plugin states, mismatches, Resume plugin
 *   execution: `console-resume`), and `plugin-glpi-state` in each row (components/installed-console.tsx).
 * - `data-testid="plugin-row"` — one per plugin folder, `data-key`, `data-location`
 *   (marketplace|plugins), `data-update` (the new version, or "" when none).
 * - `data-testid="plugin-update"` — the row's Update button (disabled with the blocked reason as its
 *   description when `updateBlocked`); `plugin-restore`, `plugin-remove`, `plugin-versions-toggle` —
 *   the other row actions; `plugin-versions` — the versions panel (`backup-row` with `backup-restore`,
 *   `catalog-version-row` with `version-install`).
 * - `data-testid="job-status"` — the row's last action, `data-state="running|done|failed|cancelled"`;
 *   `job-cancel` — its Cancel button while an install or update runs.
 * - `data-testid="update-all"` — the "Update all" button, which opens `update-all-dialog` (see
 *   components/update-all-dialog.tsx); `manifest-open` ("Manifest…") opens the active instance's
 *   `manifest-dialog` (export, check, plan, apply, attach: components/manifest-dialog.tsx);
 *   `bundle-export-open` ("Export bundle…") and `bundle-import-open` ("Import bundle…") open the
 *   offline bundle dialogs for it (components/bundle-export-dialog.tsx, bundle-import-dialog.tsx).
 * - `data-testid="removed-plugins"` — removed plugins kept in the backups (`removed-plugin`, `data-key`).
 * - `data-testid="history-toggle"` and `data-testid="history-list"` — the collapsible history;
 *   `history-export-json`, `history-export-csv`.
 *
 * - Two panes (View: "Details beside the list", its own preference, store/view-prefs.ts) on a window
 *   at least 900 px wide: `installed-split` with the listbox `installed-list` (`installed-item`
 *   options, aria-selected) and `installed-details` beside it (see components/installed-split.tsx);
 *   narrower, the table shows instead, with `installed-split-narrow` saying why.
 *
 * Accessible names: nav link "Installed" (", N updates" when there are updates); table captioned
 * "Plugins installed in <name>"; Update buttons "Update <key> to <version>"; "Restore the previous
 * version of <key>"; "Remove <key>" (asks for confirmation); "Other versions of <key>"; "Cancel the
 * update of <key>"; progress bars named "<step>: N%".
 */
import { useEffect, useId, useState } from 'react';
import type { InstanceSummary, PluginsView } from '../../../shared/instances';
import { BundleExportDialog } from '../components/bundle-export-dialog';
import { BundleImportDialog } from '../components/bundle-import-dialog';
import { ConfirmDialog } from '../components/confirm-dialog';
import { downloadText, historyCsv, historyFileName, historyJson } from '../components/history-export';
import { GlpiConsolePanel } from '../components/installed-console';
import { RemovedPlugins } from '../components/installed-removed';
import { PluginRow } from '../components/installed-row';
import { InstalledSplit } from '../components/installed-split';
import { AddInstanceForm } from '../components/instance-add-form';
import { InstanceGlpiFacts } from '../components/instance-glpi-facts';
import { InstanceSwitcher } from '../components/instance-switcher';
import { ManifestDialog } from '../components/manifest-dialog';
import { UpdateAllDialog } from '../components/update-all-dialog';
import { useWideWindow } from '../components/use-wide-window';
import { ViewOptions } from '../components/view-options';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/t';
import { updatable } from '../store/installed-slice';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import './installed-screen.css';
import { ColumnHeads } from '../components/column-heads';

export function InstalledScreen() {
  const store = useAppStoreApi();
  const view = useAppStore((s) => s.installed.view);
  const loadState = useAppStore((s) => s.installed.loadState);

  useEffect(() => {
    // Read again on every visit (the old view stays shown meanwhile): files may have changed on disk.
    void store.getState().installed.load();
  }, [store]);

  return (
    <div className="installed-screen" data-testid="installed-screen">
      <h1 className="screen-title">{t('installed.title')}</h1>
      {loadState.status === 'error' && !view && (
        <div className="notice notice--error" role="alert">
          <p>{t('installed.loadFailed')}</p>
          <p>{loadState.error.message}</p>
          {loadState.error.fix && <p>{t('installed.fix', { fix: loadState.error.fix })}</p>}
          <button type="button" className="button" onClick={() => void store.getState().installed.load()}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {!view && loadState.status !== 'error' && <p role="status">{t('installed.loading')}</p>}
      {view && !view.instance && <AddInstanceForm />}
      {view?.instance && <InstanceView view={view} instance={view.instance} />}
    </div>
  );
}

function InstanceView({ view, instance }: { view: PluginsView; instance: InstanceSummary }) {
  const store = useAppStoreApi();
  const [removing, setRemoving] = useState<string | null>(null);
  const remove = useAppStore((s) => s.installed.remove);
  const actionError = useAppStore((s) => s.installed.actionError);
  const twoPane = useAppStore((s) => s.ui.view.installedTwoPane);
  const wide = useWideWindow();
  const captionId = useId();

  useEffect(() => {
    // The backups: which plugins can be restored, and the removed ones. Read again on every visit.
    void store.getState().installed.loadBackups();
  }, [store]);

  return (
    <>
      <InstanceSwitcher instance={instance} />
      <InstanceHeader instance={instance} />
      <GlpiConsolePanel />
      {actionError && (
        <p className="notice notice--error" role="alert">
          {actionError.message}
        </p>
      )}
      {!view.catalogue && <p className="notice installed-notice">{t('installed.noCatalogue')}</p>}
      <UpdateAll view={view} instance={instance.name} version={instance.version} />
      {twoPane && !wide && (
        <p className="help" data-testid="installed-split-narrow">
          {t('installed.split.narrow')}
        </p>
      )}
      {view.plugins.length === 0 ? (
        <p>{t('installed.empty')}</p>
      ) : twoPane && wide ? (
        <InstalledSplit plugins={view.plugins} instance={instance} onRemove={setRemoving} />
      ) : (
        <div className="installed-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
          <table className="data-table installed-table">
            <caption id={captionId}>{t('installed.table.caption', { name: instance.name })}</caption>
            <ColumnHeads
              labels={[
                t('installed.col.plugin'),
                t('installed.col.version'),
                t('installed.col.location'),
                t('installed.col.glpi'),
                t('installed.col.update'),
                t('installed.col.actions'),
              ]}
            />
            <tbody>
              {view.plugins.map((plugin) => (
                <PluginRow key={plugin.path} plugin={plugin} instance={instance} onRemove={setRemoving} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RemovedPlugins view={view} />
      <History instance={instance} />
      <UpdateAllDialog />
      <ManifestDialog />
      <BundleExportDialog />
      <BundleImportDialog />
      {removing !== null && (
        <ConfirmDialog
          title={t('installed.remove.title', { key: removing })}
          text={t('installed.remove.text', { key: removing })}
          confirmLabel={t('installed.remove.confirm', { key: removing })}
          cancelLabel={t('installed.remove.cancel')}
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const key = removing;
            setRemoving(null);
            void remove(key);
          }}
        />
      )}
    </>
  );
}

function InstanceHeader({ instance }: { instance: InstanceSummary }) {
  const titleId = useId();
  return (
    <section
      className="instance-summary box"
      aria-labelledby={titleId}
      data-testid="instance-summary"
      data-writable={instance.marketplaceWritable}
    >
      <h2 id={titleId} className="instance-summary__title">
        {instance.name}
      </h2>
      <p>
        <strong>
          {instance.version
            ? t('installed.instance.version', { version: instance.version })
            : t('installed.instance.versionUnknown')}
        </strong>{' '}
        <span className="help">({t('installed.instance.versionSource', { source: instance.versionSource })})</span>
      </p>
      <dl className="instance-summary__facts">
        <dt>{t('installed.instance.folder')}</dt>
        <dd>
          <code>{instance.root}</code>
        </dd>
        <dt>{t('installed.instance.line')}</dt>
        <dd>{instance.line}</dd>
        <dt>{t('installed.instance.mode')}</dt>
        <dd>{instance.installMode}</dd>
        <dt>{t('installed.instance.marketplace')}</dt>
        <dd>
          <code>{instance.marketplaceDir}</code>
        </dd>
      </dl>
      <InstanceGlpiFacts instance={instance} />
      {instance.marketplaceWritable ? (
        <p className="installed-ok">{t('installed.instance.writable')}</p>
      ) : (
        <p className="installed-warning" role="alert">
          {t('installed.instance.notWritable', { folder: instance.marketplaceDir })}
        </p>
      )}
      {instance.problems.length > 0 && (
        <div className="installed-warning">
          <p>
            <strong>{t('installed.instance.problems')}</strong>
          </p>
          <ul>
            {instance.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function UpdateAll({ view, instance, version }: { view: PluginsView; instance: string; version: string | null }) {
  const updatingAll = useAppStore((s) => s.installed.updatingAll);
  const openUpdateAll = useAppStore((s) => s.installed.openUpdateAll);
  const openManifest = useAppStore((s) => s.manifest.open);
  const openExport = useAppStore((s) => s.bundle.openExport);
  const openImport = useAppStore((s) => s.bundle.openImport);
  const helpId = useId();
  const count = updatable(view).length;
  return (
    <div className="installed-toolbar">
      <button
        type="button"
        className="button button--primary"
        disabled={count === 0 || updatingAll}
        aria-describedby={helpId}
        aria-haspopup="dialog"
        onClick={openUpdateAll}
        data-testid="update-all"
      >
        {t('installed.updateAll')}
      </button>
      <p id={helpId} className="help">
        {updatingAll
          ? t('installed.updateAll.running')
          : count === 0
            ? t('installed.updateAll.none')
            : t('installed.updateAll.count', { count })}
      </p>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        onClick={() => void openManifest(instance)}
        data-testid="manifest-open"
      >
        {t('manifest.open')}
      </button>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        onClick={() => void openExport(instance, version)}
        data-testid="bundle-export-open"
      >
        {t('bundle.export.open')}
      </button>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        onClick={() => openImport(instance)}
        data-testid="bundle-import-open"
      >
        {t('bundle.import.open')}
      </button>
      <ViewOptions pane="installedTwoPane" />
    </div>
  );
}

function History({ instance }: { instance: InstanceSummary }) {
  const store = useAppStoreApi();
  const [open, setOpen] = useState(false);
  const history = useAppStore((s) => s.installed.history);
  const state = useAppStore((s) => s.installed.historyState);
  const loadHistory = useAppStore((s) => s.installed.loadHistory);
  const panelId = useId();
  const exportHelpId = useId();
  const empty = history.length === 0;

  function save(kind: 'csv' | 'json') {
    const entries = store.getState().installed.history;
    const name = historyFileName(instance.name, store.now(), kind);
    if (kind === 'csv') downloadText(name, historyCsv(entries), 'text/csv');
    else downloadText(name, historyJson(entries), 'application/json');
  }

  return (
    <section className="installed-history">
      <h2 className="installed-history__title">
        <button
          type="button"
          className="link-button"
          aria-expanded={open}
          aria-controls={panelId}
          data-testid="history-toggle"
          onClick={() => {
            if (!open) void loadHistory();
            setOpen(!open);
          }}
        >
          {t('installed.history.title')}
        </button>
      </h2>
      <div id={panelId} hidden={!open}>
        {open && (
          <div className="installed-history__export">
            {(['json', 'csv'] as const).map((kind) => (
              <button
                key={kind}
                type="button"
                className="button button--small"
                disabled={empty}
                title={empty ? t('installed.history.export.empty') : undefined}
                aria-describedby={exportHelpId}
                onClick={() => save(kind)}
                data-testid={`history-export-${kind}`}
              >
                {t(kind === 'csv' ? 'installed.history.export.csv' : 'installed.history.export.json')}
              </button>
            ))}
            <p id={exportHelpId} className="help">
              {empty
                ? t('installed.history.export.empty')
                : t('installed.history.export.help', { name: instance.name })}
            </p>
          </div>
        )}
        {open && state.status === 'loading' && empty && <p>{t('installed.history.loading')}</p>}
        {open && state.status === 'error' && (
          <p className="notice notice--error" role="alert">
            {t('installed.history.failed', { message: state.error.message })}
          </p>
        )}
        {open && state.status === 'ready' && empty && <p>{t('installed.history.empty')}</p>}
        {open && !empty && (
          <table className="data-table" data-testid="history-list">
            <caption className="visually-hidden">{t('installed.history.caption')}</caption>
            <ColumnHeads
              labels={[
                t('installed.history.when'),
                t('installed.history.who'),
                t('installed.history.what'),
                t('installed.history.versions'),
                t('installed.history.result'),
              ]}
            />
            <tbody>
              {[...history].reverse().map((entry, i) => (
                <tr key={`${entry.at}-${entry.key}-${i}`}>
                  <td>
                    <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                  </td>
                  <td>{entry.user}</td>
                  <td>
                    {t(`installed.action.${entry.action}`)} <code>{entry.key}</code>
                  </td>
                  <td>
                    {entry.from ?? '—'} → {entry.to ?? '—'}
                  </td>
                  <td>
                    {entry.result === 'ok'
                      ? t('installed.history.ok')
                      : t('installed.history.failedAt', {
                          step: entry.error?.step ?? '?',
                          message: entry.error?.message ?? '',
                        })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
