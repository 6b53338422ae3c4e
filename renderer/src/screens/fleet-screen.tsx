/**
 * The Fleet screen (`#fleet`): every GLPI instance of the profile checked side by side
 * (`fleet.check`, run on opening and by "Check all"), and updates of the selected instances
 * (`fleet.update`: every plugin with an update, or one plugin), with one result per instance and
 * plugin. Under about 600 px the table becomes one card per instance.
 *
 * Stable hooks for e2e tests:
 * - `data-testid="fleet-screen"`, `fleet-check` (the "Check all" button), `fleet-table`;
 * - `data-testid="fleet-row-<name>"` per instance, `data-reachable="true|false"`, with
 *   `fleet-manifest` ("Manifest of <name>"), which opens that instance's `manifest-dialog`, and
 *   `fleet-bundle` ("Export an offline bundle from <name>"), its `bundle-export-dialog`;
 * - `fleet-update-all`, `fleet-update-one` (the button after the "Update one plugin" select);
 * - `fleet-results` — the last update's results, `fleet-result` per instance and plugin
 *   (`data-instance`, `data-key`, `data-ok`); one refused because the version's archive changed
 *   shows both checksums and `job-trust-checksum` ("Trust the new archive and update <key> <version>"),
 *   which updates that plugin in that instance again with exactly the new SHA-256.
 *
 * Accessible names: checkboxes "Select <name>" and "Select all"; the select "Update one plugin".
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FleetRow } from '../../../shared/instances';
import type { DriftItem } from '../../../shared/manifest-plan';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/t';
import { updatableKeys } from '../store/fleet-slice';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import './fleet-screen.css';
import { ChecksumChange } from '../components/checksum-change';
import { ColumnHeads } from '../components/column-heads';
import { ErrorNotice } from '../components/error-notice';
import { BundleExportDialog } from '../components/bundle-export-dialog';
import { ManifestDialog } from '../components/manifest-dialog';
import { StopButton } from '../components/stop-button';

export function FleetScreen() {
  const store = useAppStoreApi();
  const report = useAppStore((s) => s.fleet.report);
  const checkState = useAppStore((s) => s.fleet.checkState);
  const updating = useAppStore((s) => s.fleet.updating);
  const check = useAppStore((s) => s.fleet.check);
  const statusId = useId();

  useEffect(() => {
    // On every visit; a check already running (StrictMode's second effect, a click) is not doubled.
    if (store.getState().fleet.checkState.status !== 'loading') void store.getState().fleet.check();
  }, [store]);

  const checking = checkState.status === 'loading';
  return (
    <div className="fleet-screen" data-testid="fleet-screen">
      <h1 className="screen-title">{t('fleet.title')}</h1>
      <p className="fleet-screen__intro">{t('fleet.intro')}</p>
      <div className="fleet-toolbar">
        <button
          type="button"
          className="button"
          disabled={checking || updating}
          aria-describedby={statusId}
          onClick={() => void check()}
          data-testid="fleet-check"
        >
          {t('fleet.check')}
        </button>
        <p id={statusId} className="help" role="status">
          {checking ? t('fleet.checking') : ''}
        </p>
      </div>
      {checkState.status === 'error' && (
        <ErrorNotice lead={t('fleet.checkFailed', { message: checkState.error.message })} fix={checkState.error.fix} />
      )}
      {report && !report.catalogue && <p className="notice">{t('fleet.noCatalogue')}</p>}
      {report && report.rows.length === 0 && <p>{t('fleet.none')}</p>}
      {report && report.rows.length > 0 && (
        <>
          <FleetSelection rows={report.rows} />
          <FleetTable rows={report.rows} />
        </>
      )}
      <FleetResults />
      <ManifestDialog />
      <BundleExportDialog />
    </div>
  );
}

function FleetSelection({ rows }: { rows: FleetRow[] }) {
  const report = useAppStore((s) => s.fleet.report);
  const selected = useAppStore((s) => s.fleet.selected);
  const updating = useAppStore((s) => s.fleet.updating);
  const progress = useAppStore((s) => s.fleet.progress);
  const selectAll = useAppStore((s) => s.fleet.selectAll);
  const update = useAppStore((s) => s.fleet.update);
  const stop = useAppStore((s) => s.fleet.stopUpdate);
  const stopping = useAppStore((s) => s.fleet.stopping);
  const [key, setKey] = useState('');
  const allRef = useRef<HTMLInputElement>(null);
  const allId = useId();
  const helpId = useId();
  const oneId = useId();
  const oneHelpId = useId();
  const keys = updatableKeys(report, selected);
  const chosen = keys.includes(key) ? key : '';
  const all = selected.length === rows.length;
  const some = selected.length > 0 && !all;

  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = some;
  }, [some]);

  const help = updating
    ? progress
      ? t('fleet.progress', { instance: progress.instance, key: progress.key, step: progress.step })
      : t('fleet.updating')
    : selected.length === 0
      ? t('fleet.selection.none')
      : t('fleet.selection', { count: selected.length });
  const blocked = updating || selected.length === 0;
  const noKey = selected.length > 0 && keys.length === 0;

  return (
    <div className="fleet-selection box">
      <div className="fleet-selection__all">
        <input
          ref={allRef}
          id={allId}
          type="checkbox"
          checked={all}
          disabled={updating}
          onChange={(e) => selectAll(e.target.checked)}
        />
        <label htmlFor={allId}>{t('fleet.selectAll')}</label>
      </div>
      <p id={helpId} className="help fleet-selection__help" role="status">
        {help}
      </p>
      {updating && <StopButton stopping={stopping} onStop={() => void stop()} testId="fleet-stop" />}
      <div className="fleet-selection__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={blocked}
          aria-describedby={helpId}
          onClick={() => void update()}
          data-testid="fleet-update-all"
        >
          {t('fleet.updateAll')}
        </button>
        <div className="fleet-selection__one">
          <label htmlFor={oneId} className="field-label">
            {t('fleet.updateOne')}
          </label>
          <select
            id={oneId}
            className="field fleet-selection__select"
            value={chosen}
            disabled={blocked || keys.length === 0}
            aria-describedby={noKey ? oneHelpId : helpId}
            onChange={(e) => setKey(e.target.value)}
          >
            <option value="">{t('fleet.updateOne.choose')}</option>
            {keys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button"
            disabled={blocked || chosen === ''}
            aria-describedby={noKey ? oneHelpId : helpId}
            onClick={() => void update(chosen)}
            data-testid="fleet-update-one"
          >
            {t('fleet.updateOne.submit')}
          </button>
          {noKey && (
            <p id={oneHelpId} className="help">
              {t('fleet.updateOne.none')}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

function FleetTable({ rows }: { rows: FleetRow[] }) {
  const captionId = useId();
  return (
    <div className="fleet-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table fleet-table" data-testid="fleet-table">
        <caption id={captionId}>{t('fleet.caption')}</caption>
        <ColumnHeads
          labels={[
            <span className="visually-hidden">{t('fleet.col.select')}</span>,
            t('fleet.col.name'),
            t('fleet.col.where'),
            t('fleet.col.status'),
            t('fleet.col.version'),
            t('fleet.col.plugins'),
            t('fleet.col.updates'),
            t('fleet.col.problems'),
            t('fleet.col.drift'),
            t('fleet.col.checked'),
          ]}
        />
        <tbody>
          {rows.map((row) => (
            <FleetTableRow key={row.name} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FleetTableRow({ row }: { row: FleetRow }) {
  const checked = useAppStore((s) => s.fleet.selected.includes(row.name));
  const updating = useAppStore((s) => s.fleet.updating);
  const select = useAppStore((s) => s.fleet.select);
  const openManifest = useAppStore((s) => s.manifest.open);
  const openExport = useAppStore((s) => s.bundle.openExport);
  const boxId = useId();
  const updateList = row.updates.map((u) => t('fleet.update.item', { key: u.key, from: u.from ?? '—', to: u.to }));

  return (
    <tr data-testid={`fleet-row-${row.name}`} data-reachable={row.reachable}>
      <td className="fleet-table__select">
        <input
          id={boxId}
          type="checkbox"
          checked={checked}
          disabled={updating}
          onChange={(e) => select(row.name, e.target.checked)}
        />
        <label htmlFor={boxId} className="visually-hidden">
          {t('fleet.select', { name: row.name })}
        </label>
      </td>
      <th scope="row" className="fleet-table__name">
        {row.name}
        {row.active && <span className="fleet-badge">{t('fleet.active')}</span>}
      </th>
      <td data-label={t('fleet.col.where')}>
        <code className="fleet-table__where">{row.where}</code>
      </td>
      <td data-label={t('fleet.col.status')}>
        {row.reachable ? (
          <span className="fleet-ok">{t('fleet.reachable')}</span>
        ) : (
          <div className="fleet-unreachable">
            <p>{t('fleet.unreachable', { message: row.error?.message ?? '' })}</p>
            {row.error?.fix && <p>{t('installed.fix', { fix: row.error.fix })}</p>}
          </div>
        )}
      </td>
      <td data-label={t('fleet.col.version')}>{row.version ?? t('fleet.versionUnknown')}</td>
      <td data-label={t('fleet.col.plugins')}>{row.reachable ? row.plugins : '—'}</td>
      <td data-label={t('fleet.col.updates')}>
        {row.updates.length === 0 ? (
          t('fleet.none.short')
        ) : (
          <details className="fleet-updates">
            <summary title={updateList.join('\n')}>{t('fleet.updates', { count: row.updates.length })}</summary>
            <ul>
              {updateList.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          </details>
        )}
      </td>
      <td data-label={t('fleet.col.problems')}>
        {row.problems.length === 0 ? (
          t('fleet.none.short')
        ) : (
          <ul className="fleet-problems">
            {row.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
      </td>
      <td data-label={t('fleet.col.drift')}>
        <DriftCell drift={row.drift ?? null} />
        <button
          type="button"
          className="button button--small fleet-table__manifest"
          aria-haspopup="dialog"
          aria-label={t('manifest.openLabel', { name: row.name })}
          onClick={() => void openManifest(row.name)}
          data-testid="fleet-manifest"
        >
          {t('manifest.open')}
        </button>
        <button
          type="button"
          className="button button--small fleet-table__manifest"
          aria-haspopup="dialog"
          aria-label={t('bundle.export.openLabel', { name: row.name })}
          onClick={() => void openExport(row.name, row.version)}
          data-testid="fleet-bundle"
        >
          {t('bundle.export.open')}
        </button>
      </td>
      <td data-label={t('fleet.col.checked')}>
        <time dateTime={row.checkedAt}>{formatDateTime(row.checkedAt)}</time>
      </td>
    </tr>
  );
}

/** How the instance differs from the manifest attached to it (`marketdesk manifest attach`). */
function DriftCell({ drift }: { drift: DriftItem[] | null }) {
  if (drift === null) return <>{t('fleet.drift.none')}</>;
  if (drift.length === 0) return <span className="fleet-ok">{t('fleet.drift.matches')}</span>;
  const items = drift.map((d) => {
    const vars = { key: d.key, installed: d.installed ?? '?', wanted: d.wanted ?? '' };
    return t(
      d.kind === 'missing' ? 'fleet.drift.missing' : d.kind === 'version' ? 'fleet.drift.version' : 'fleet.drift.extra',
      vars,
    );
  });
  return (
    <details className="fleet-updates" data-testid="fleet-drift">
      <summary title={items.join('\n')}>{t('fleet.drift.count', { count: drift.length })}</summary>
      <ul>
        {items.map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
    </details>
  );
}

function FleetResults() {
  const lastRun = useAppStore((s) => s.fleet.lastRun);
  const updateError = useAppStore((s) => s.fleet.updateError);
  const updating = useAppStore((s) => s.fleet.updating);
  const trust = useAppStore((s) => s.fleet.trustNewChecksum);
  const titleId = useId();
  if (updateError) {
    return (
      <ErrorNotice
        lead={t('fleet.updateFailed', { message: updateError.message })}
        fix={updateError.fix}
        testId="fleet-results"
      />
    );
  }
  if (!lastRun) return null;
  const ok = lastRun.results.filter((r) => r.ok).length;
  const failedCount = lastRun.results.length - ok;
  return (
    <section className="fleet-results" aria-labelledby={titleId} data-testid="fleet-results">
      <h2 id={titleId} className="fleet-results__title">
        {t('fleet.results.title')}
      </h2>
      <p role="status">
        {lastRun.results.length === 0
          ? t('fleet.results.empty')
          : t('fleet.results.summary', { ok, failed: failedCount })}
      </p>
      <ul className="fleet-results__list">
        {lastRun.results.map((r) => (
          <li
            key={`${r.instance}/${r.key}`}
            className={r.ok ? 'fleet-result fleet-result--ok' : 'fleet-result fleet-result--failed'}
            data-testid="fleet-result"
            data-instance={r.instance}
            data-key={r.key}
            data-ok={r.ok}
          >
            <p>
              <strong>
                {r.instance} · {t('fleet.update.item', { key: r.key, from: r.from ?? '—', to: r.to ?? '—' })}
              </strong>{' '}
              <span className={r.ok ? 'fleet-ok' : 'fleet-failed'}>
                {t(r.ok ? 'fleet.result.ok' : 'fleet.result.failed')}
              </span>
            </p>
            {!r.ok && r.checksumChanged ? (
              <ChecksumChange
                changed={r.checksumChanged}
                action="update"
                reason={updating ? t('fleet.trustBusy') : null}
                onTrust={() => void trust(r.instance, r.key)}
              />
            ) : (
              <>
                <p>{r.message}</p>
                {r.fix && <p>{t('installed.fix', { fix: r.fix })}</p>}
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
