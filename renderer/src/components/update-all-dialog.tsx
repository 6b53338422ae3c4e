import { useEffect, useId, useRef } from 'react';
import { t } from '../i18n/t';
import { checksumChanged, type BatchItem, type UpdateBatch } from '../store/installed-slice';
import { useAppStore } from '../store/store-context';
import { ChecksumChange } from './checksum-change';
import { JobFailure } from './job-status';
import { Modal } from './modal';
import { ReasonButton } from './reason-button';
import { ColumnHeads } from './column-heads';

/**
 * The "Update all" dialog (`data-testid="update-all-dialog"`, role="dialog" named "Update plugins"):
 * one line per plugin with an update (`update-all-row`, `data-key`, `data-state` =
 * waiting|unselected|running|done|failed|cancelled|skipped) with a checkbox "Update <name> (<key>)",
 * then "Update N selected" (`update-all-run`), Cancel (`update-all-cancel`) while it runs, Close
 * (`update-all-close`). It stays open with the results until closed; Escape closes it unless it runs.
 * A line refused because its archive changed since it was pinned shows both checksums and, once the
 * batch has ended, "Trust the new archive and update" (`job-trust-checksum`), which updates that
 * plugin alone again with exactly the new SHA-256 shown.
 */
export function UpdateAllDialog() {
  const batch = useAppStore((s) => s.installed.batch);
  if (!batch) return null;
  return <BatchDialog batch={batch} />;
}

function BatchDialog({ batch }: { batch: UpdateBatch }) {
  const select = useAppStore((s) => s.installed.selectForUpdate);
  const run = useAppStore((s) => s.installed.runUpdateAll);
  const cancel = useAppStore((s) => s.installed.cancelUpdateAll);
  const close = useAppStore((s) => s.installed.closeUpdateAll);
  const titleId = useId();
  const introId = useId();
  const runHelpId = useId();
  const runRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  const { phase, items, cancelling } = batch;
  const selected = items.filter((i) => i.selected).length;
  const running = phase === 'running';

  const dialogRef = useRef<HTMLDivElement>(null);

  // The focused button disappears or is disabled when the phase changes: move the focus on.
  useEffect(() => {
    if (phase === 'running') cancelRef.current?.focus();
    else if (phase === 'finished') closeRef.current?.focus();
  }, [phase]);
  useEffect(() => {
    if (cancelling && document.activeElement === cancelRef.current) dialogRef.current?.focus();
  }, [cancelling]);

  const counts = { done: 0, failed: 0, notRun: 0 };
  for (const item of items) {
    const state = item.result.state;
    if (state === 'done') counts.done++;
    else if (state === 'failed') counts.failed++;
    else if (state === 'cancelled' || state === 'skipped') counts.notRun++;
  }

  return (
    <Modal
      role="dialog"
      className="dialog dialog--wide"
      labelledBy={titleId}
      describedBy={introId}
      dialogRef={dialogRef}
      onEscape={running ? undefined : close}
      initialFocus={() => [runRef, cancelRef, closeRef].map((r) => r.current).find((b) => b && !b.disabled) ?? null}
      testId="update-all-dialog"
    >
      <h2 id={titleId} className="dialog__title">
        {t('installed.updateAll.title')}
      </h2>
      <p id={introId}>
        {phase === 'review'
          ? t('installed.updateAll.intro')
          : running
            ? t('installed.updateAll.runningIntro')
            : t('installed.updateAll.finishedIntro')}
      </p>
      <div className="update-all__scroll">
        <table className="data-table update-all__table" data-testid="update-all-list">
          <caption className="visually-hidden">{t('installed.updateAll.caption')}</caption>
          <ColumnHeads
            labels={[
              t('installed.updateAll.col.select'),
              t('installed.updateAll.col.plugin'),
              t('installed.updateAll.col.versions'),
              t('installed.updateAll.col.result'),
            ]}
          />
          <tbody>
            {items.map((item) => (
              <BatchRow
                key={item.key}
                item={item}
                locked={phase !== 'review'}
                lockedHelpId={runHelpId}
                onSelect={(on) => select(item.key, on)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {phase === 'review' ? (
        <p id={runHelpId} className="help" role="status">
          {selected === 0
            ? t('installed.updateAll.noneSelected')
            : t('installed.updateAll.selected', { count: selected, total: items.length })}
        </p>
      ) : (
        <p id={runHelpId} className="help" role="status" data-testid="update-all-summary">
          {cancelling && running
            ? t('installed.updateAll.cancelling')
            : phase === 'finished'
              ? t('installed.updateAll.summary', counts)
              : t('installed.updateAll.started')}
        </p>
      )}
      <div className="actions">
        {phase === 'review' && (
          <button
            ref={runRef}
            type="button"
            className="button button--primary"
            disabled={selected === 0}
            title={selected === 0 ? t('installed.updateAll.noneSelected') : undefined}
            aria-describedby={runHelpId}
            onClick={() => void run()}
            data-testid="update-all-run"
          >
            {t('installed.updateAll.run', { count: selected })}
          </button>
        )}
        {running && (
          <ReasonButton
            ref={cancelRef}
            className="button"
            aria-label={t('installed.updateAll.cancelLabel')}
            reason={cancelling ? t('installed.updateAll.cancelling') : null}
            onClick={() => void cancel()}
            data-testid="update-all-cancel"
          >
            {t('installed.updateAll.cancel')}
          </ReasonButton>
        )}
        <ReasonButton
          ref={closeRef}
          className="button"
          reason={running ? t('installed.updateAll.closeBlocked') : null}
          onClick={close}
          data-testid="update-all-close"
        >
          {t('installed.updateAll.close')}
        </ReasonButton>
      </div>
    </Modal>
  );
}

function BatchRow({
  item,
  locked,
  lockedHelpId,
  onSelect,
}: {
  item: BatchItem;
  locked: boolean;
  lockedHelpId: string;
  onSelect: (selected: boolean) => void;
}) {
  const checkId = useId();
  return (
    <tr data-testid="update-all-row" data-key={item.key} data-state={item.result.state}>
      <td>
        <input
          id={checkId}
          type="checkbox"
          checked={item.selected}
          disabled={locked}
          title={locked ? t('installed.updateAll.started') : undefined}
          aria-describedby={locked ? lockedHelpId : undefined}
          onChange={(e) => onSelect(e.target.checked)}
        />
        <label htmlFor={checkId} className="visually-hidden">
          {t('installed.updateAll.select', { name: item.name, key: item.key })}
        </label>
      </td>
      <th scope="row">
        <span className="plugin-row__name">{item.name}</span> <code>{item.key}</code>
        {item.location === 'plugins' && <span className="help"> ({t('installed.location.plugins')})</span>}
      </th>
      <td className="update-all__versions">
        {item.from ?? t('installed.versions.unknown')} → {item.to}
      </td>
      <td>
        <BatchResultView item={item} />
      </td>
    </tr>
  );
}

function BatchResultView({ item }: { item: BatchItem }) {
  const job = useAppStore((s) => s.installed.jobs[item.key]);
  const phase = useAppStore((s) => s.installed.batch?.phase);
  const trust = useAppStore((s) => s.installed.trustInBatch);
  const labelId = useId();
  const result = item.result;
  switch (result.state) {
    case 'unselected':
      return <span className="help">{t('installed.updateAll.unselected')}</span>;
    case 'waiting':
      return <span className="help">{item.selected ? t('installed.updateAll.waiting') : ''}</span>;
    case 'running': {
      const step = job?.state === 'running' ? job.step : null;
      const fraction = job?.state === 'running' ? job.fraction : 0;
      return (
        <div className="job-status job-status--running">
          <p id={labelId}>
            {step
              ? t('installed.job.progress', { step, percent: Math.round(fraction * 100) })
              : t('installed.job.starting')}
          </p>
          <progress aria-labelledby={labelId} max={1} value={fraction} />
        </div>
      );
    }
    case 'done':
      return (
        <div className="job-status job-status--done">
          <p>{result.report.message}</p>
        </div>
      );
    case 'failed': {
      const changed = checksumChanged(result.error);
      return (
        <div className="job-status job-status--failed">
          {changed ? (
            <ChecksumChange
              changed={changed}
              action="update"
              reason={phase === 'finished' ? null : t('installed.updateAll.trustBusy')}
              onTrust={() => void trust(item.key)}
            />
          ) : (
            <JobFailure step={result.step} error={result.error} />
          )}
        </div>
      );
    }
    case 'cancelled':
      return (
        <div className="job-status job-status--cancelled">
          <p>{t('installed.job.cancelled')}</p>
        </div>
      );
    case 'skipped':
      return (
        <span className="help">
          {result.reason === 'busy' ? t('installed.updateAll.busy') : t('installed.updateAll.skipped')}
        </span>
      );
  }
}
