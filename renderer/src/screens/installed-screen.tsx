/**
 * The Installed screen (`#installed`): the active GLPI instance, the plugins found in its
 * marketplace/ and plugins/ folders, their updates, and the actions Marketdesk can run on them
 * (update, restore the previous version, remove), with the history of those actions.
 *
 * Stable hooks for e2e tests (keep them when restyling):
 * - `data-testid="installed-screen"` — the screen.
 * - `data-testid="instance-add"` — the "Add a GLPI instance" form (fields "GLPI folder", "Name",
 *   button "Add instance"); `instance-add-error` — why adding failed, with the fix.
 * - `data-testid="instance-summary"` — the instance header, `data-writable="true|false"` (marketplace
 *   folder writable).
 * - `data-testid="plugin-row"` — one per plugin folder, `data-key`, `data-location`
 *   (marketplace|plugins), `data-update` (the new version, or "" when none).
 * - `data-testid="plugin-update"` — the row's Update button (disabled with the blocked reason as its
 *   description when `updateBlocked`); `plugin-restore`, `plugin-remove` — the other row actions.
 * - `data-testid="job-status"` — the row's last action, `data-state="running|done|failed"`.
 * - `data-testid="update-all"` — the "Update all" button.
 * - `data-testid="history-toggle"` and `data-testid="history-list"` — the collapsible history.
 *
 * Accessible names: nav link "Installed" (", N updates" when there are updates); table captioned
 * "Plugins installed in <name>"; Update buttons "Update <key> to <version>"; "Restore the previous
 * version of <key>"; "Remove <key>" (asks for confirmation); progress bars named "<step>: N%".
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { InstalledPlugin, InstanceSummary, PluginsView } from '../../../shared/instances';
import { ConfirmDialog } from '../components/confirm-dialog';
import { t } from '../i18n/t';
import { updatable, type PluginJob } from '../store/installed-slice';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import './installed-screen.css';

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

function AddInstanceForm() {
  const adding = useAppStore((s) => s.installed.adding);
  const error = useAppStore((s) => s.installed.addError);
  const addInstance = useAppStore((s) => s.installed.addInstance);
  const [root, setRoot] = useState('');
  const [name, setName] = useState('');
  const rootId = useId();
  const rootHelpId = useId();
  const nameId = useId();
  const nameHelpId = useId();
  const errorId = useId();
  const titleId = useId();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!root.trim()) return;
    void addInstance(root, name);
  }

  return (
    <form className="instance-add" aria-labelledby={titleId} onSubmit={submit} data-testid="instance-add">
      <h2 id={titleId}>{t('installed.add.title')}</h2>
      <p>{t('installed.add.intro')}</p>
      <label htmlFor={rootId} className="field-label">
        {t('installed.add.root')}
      </label>
      <p id={rootHelpId} className="help">
        {t('installed.add.rootHelp')}
      </p>
      <input
        id={rootId}
        className="field"
        value={root}
        required
        autoComplete="off"
        spellCheck={false}
        aria-describedby={error ? `${rootHelpId} ${errorId}` : rootHelpId}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setRoot(e.target.value)}
      />
      <label htmlFor={nameId} className="field-label instance-add__name">
        {t('installed.add.name')}
      </label>
      <p id={nameHelpId} className="help">
        {t('installed.add.nameHelp')}
      </p>
      <input
        id={nameId}
        className="field"
        value={name}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={nameHelpId}
        onChange={(e) => setName(e.target.value)}
      />
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={adding || !root.trim()}>
          {t('installed.add.submit')}
        </button>
      </div>
      {error && (
        <div id={errorId} className="notice notice--error" role="alert" data-testid="instance-add-error">
          <p>{t('installed.add.failed', { message: error.message })}</p>
          {error.fix && <p>{t('installed.fix', { fix: error.fix })}</p>}
        </div>
      )}
    </form>
  );
}

function InstanceView({ view, instance }: { view: PluginsView; instance: InstanceSummary }) {
  const [removing, setRemoving] = useState<string | null>(null);
  const remove = useAppStore((s) => s.installed.remove);
  const actionError = useAppStore((s) => s.installed.actionError);
  const captionId = useId();
  return (
    <>
      <InstanceHeader instance={instance} />
      {actionError && (
        <p className="notice notice--error" role="alert">
          {actionError.message}
        </p>
      )}
      {!view.catalogue && <p className="notice installed-notice">{t('installed.noCatalogue')}</p>}
      <UpdateAll view={view} />
      {view.plugins.length === 0 ? (
        <p>{t('installed.empty')}</p>
      ) : (
        <div className="installed-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
          <table className="data-table installed-table">
            <caption id={captionId}>{t('installed.table.caption', { name: instance.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('installed.col.plugin')}</th>
                <th scope="col">{t('installed.col.version')}</th>
                <th scope="col">{t('installed.col.location')}</th>
                <th scope="col">{t('installed.col.glpi')}</th>
                <th scope="col">{t('installed.col.update')}</th>
                <th scope="col">{t('installed.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {view.plugins.map((plugin) => (
                <PluginRow key={plugin.path} plugin={plugin} onRemove={setRemoving} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <History />
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
      className="instance-summary"
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

function UpdateAll({ view }: { view: PluginsView }) {
  const updatingAll = useAppStore((s) => s.installed.updatingAll);
  const updateAll = useAppStore((s) => s.installed.updateAll);
  const helpId = useId();
  const count = updatable(view).length;
  return (
    <div className="installed-toolbar">
      <button
        type="button"
        className="button button--primary"
        disabled={count === 0 || updatingAll}
        aria-describedby={helpId}
        onClick={() => void updateAll()}
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
    </div>
  );
}

function PluginRow({ plugin, onRemove }: { plugin: InstalledPlugin; onRemove: (key: string) => void }) {
  const loaded = plugin.shadowedBy === null;
  const job = useAppStore((s) => (loaded ? s.installed.jobs[plugin.key] : undefined));
  const updatingAll = useAppStore((s) => s.installed.updatingAll);
  const update = useAppStore((s) => s.installed.update);
  const restore = useAppStore((s) => s.installed.restore);
  const blockedId = useId();
  const busy = job?.state === 'running' || updatingAll;
  const glpi =
    plugin.glpiMin || plugin.glpiMax
      ? t('installed.glpiRange', { min: plugin.glpiMin ?? t('installed.glpiAny'), max: plugin.glpiMax ?? '…' })
      : '—';

  return (
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
              disabled={busy}
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
            <button type="button" className="button" disabled aria-describedby={blockedId} data-testid="plugin-update">
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
              disabled={busy}
              aria-label={t('installed.restore.label', { key: plugin.key })}
              onClick={() => void restore(plugin.key)}
              data-testid="plugin-restore"
            >
              {t('installed.restore')}
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={busy}
              aria-label={t('installed.remove.label', { key: plugin.key })}
              onClick={() => onRemove(plugin.key)}
              data-testid="plugin-remove"
            >
              {t('installed.remove')}
            </button>
          </div>
        )}
        {job && <JobStatus job={job} />}
      </td>
    </tr>
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

function JobStatus({ job }: { job: PluginJob }) {
  const labelId = useId();
  if (job.state === 'running') {
    const percent = Math.round(job.fraction * 100);
    return (
      <div className="job-status job-status--running" data-testid="job-status" data-state="running">
        <p id={labelId} role="status">
          {job.step ? t('installed.job.progress', { step: job.step, percent }) : t('installed.job.starting')}
        </p>
        <progress aria-labelledby={labelId} max={1} value={job.fraction} />
      </div>
    );
  }
  if (job.state === 'done') {
    return (
      <div className="job-status job-status--done" data-testid="job-status" data-state="done" role="status">
        <p>{job.report.message}</p>
        <p>{t('installed.job.next', { next: job.report.next })}</p>
      </div>
    );
  }
  return (
    <div className="job-status job-status--failed" data-testid="job-status" data-state="failed" role="alert">
      <p>
        {job.step
          ? t('installed.job.failed', { step: job.step, message: job.error.message })
          : t('installed.job.failedNoStep', { message: job.error.message })}
      </p>
      {job.error.fix && <p>{t('installed.fix', { fix: job.error.fix })}</p>}
    </div>
  );
}

function History() {
  const [open, setOpen] = useState(false);
  const history = useAppStore((s) => s.installed.history);
  const state = useAppStore((s) => s.installed.historyState);
  const loadHistory = useAppStore((s) => s.installed.loadHistory);
  const panelId = useId();
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
        {open && state.status === 'loading' && history.length === 0 && <p>{t('installed.history.loading')}</p>}
        {open && state.status === 'error' && (
          <p className="notice notice--error" role="alert">
            {t('installed.history.failed', { message: state.error.message })}
          </p>
        )}
        {open && state.status === 'ready' && history.length === 0 && <p>{t('installed.history.empty')}</p>}
        {open && history.length > 0 && (
          <table className="data-table" data-testid="history-list">
            <caption className="visually-hidden">{t('installed.history.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('installed.history.when')}</th>
                <th scope="col">{t('installed.history.who')}</th>
                <th scope="col">{t('installed.history.what')}</th>
                <th scope="col">{t('installed.history.versions')}</th>
                <th scope="col">{t('installed.history.result')}</th>
              </tr>
            </thead>
            <tbody>
              {[...history].reverse().map((entry, i) => (
                <tr key={`${entry.at}-${entry.key}-${i}`}>
                  <td>
                    <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>
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
