import { useId, type ChangeEvent } from 'react';
import {
  BUNDLE_EXTENSION,
  BUNDLE_UPLOAD_MAX_BYTES,
  type BundleImportItem,
  type BundleImportResult,
  type BundleInspectReport,
  type BundleSource,
} from '../../../shared/bundle';
import { formatDateTime } from '../i18n/format';
import { t } from '../i18n/t';
import { sha256Valid, typedSha256, type ImportDialogState } from '../store/bundle-slice';
import { useAppStore } from '../store/store-context';
import { BundleError, BundleSha256, bundleSize } from './bundle-common';
import { StopButton } from './stop-button';
import { offerOf } from './bundle-export-dialog';
import { ChecksumChange } from './checksum-change';
import { ErrorNotice } from './error-notice';
import { DialogFrame } from './dialog-frame';
import { ReasonButton } from './reason-button';
import { TierBadge } from './tier-badge';

/**
 * The Import dialog (`data-testid="bundle-import-dialog"`, role="dialog" named "Import an offline
 * bundle into <instance>"), opened from the Installed toolbar for the active instance: the bundle
 * file (`bundle-import-file`: an upload in the browser shell, the desktop app's own open dialog
 * otherwise), the SHA-256 received with it (`bundle-import-sha256`, optional), "Check"
 * (`bundle-import-check`) with what the bundle holds (`bundle-import-inspect`, one `li` per plugin
 * with `data-key` and `data-state` ok|tampered; `bundle-import-verdict`), the plan
 * (`bundle-import-plan`, one `li` per plugin with `data-action`), "Import into <instance>"
 * (`bundle-import-run`) with progress (`bundle-import-progress`) and the result
 * (`bundle-import-result`, one `li` per plugin with `data-state`). Escape and Close close it unless
 * an import runs; an uploaded file is deleted then.
 */
export function BundleImportDialog() {
  const dialog = useAppStore((s) => s.bundle.importDialog);
  if (!dialog) return null;
  return <ImportView dialog={dialog} />;
}

function ImportView({ dialog }: { dialog: ImportDialogState }) {
  const close = useAppStore((s) => s.bundle.closeImport);
  const { instance, importing, choosing } = dialog;
  return (
    <DialogFrame
      title={t('bundle.import.title', { instance })}
      intro={
        <>
          <p>{t('bundle.import.intro', { instance })}</p>
          <p>{t('bundle.import.offline')}</p>
        </>
      }
      busyReason={importing || choosing ? t('bundle.import.closeBlocked') : null}
      onClose={close}
      closeLabel={t('bundle.close')}
      closeTestId="bundle-import-close"
      testId="bundle-import-dialog"
      className="bundle-dialog"
    >
      <FileSection dialog={dialog} />
      {dialog.inspect && <InspectSection report={dialog.inspect} />}
      <PlanSection dialog={dialog} />
    </DialogFrame>
  );
}

/** Whether the first block of `file` is bundle.json's ustar header (name, then "ustar" at 257). */
async function opensAsBundle(file: File): Promise<boolean> {
  const head = new Uint8Array(await readBytes(file.slice(0, 512)));
  const text = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  return head.length === 512 && text(0, 12) === 'bundle.json\0' && text(257, 262) === 'ustar';
}

/** A Blob's bytes (jsdom's Blob has no `arrayBuffer()`). */
function readBytes(blob: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result instanceof ArrayBuffer ? reader.result : new ArrayBuffer(0));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsArrayBuffer(blob);
  });
}

function FileSection({ dialog }: { dialog: ImportDialogState }) {
  const uploads = useAppStore((s) => s.bundle.downloadUrl !== null);
  const chooseFile = useAppStore((s) => s.bundle.chooseFile);
  const uploadFile = useAppStore((s) => s.bundle.uploadFile);
  const refuseFile = useAppStore((s) => s.bundle.refuseFile);
  const setSha256 = useAppStore((s) => s.bundle.setSha256);
  const check = useAppStore((s) => s.bundle.check);
  const fileId = useId();
  const fileHelpId = useId();
  const shaId = useId();
  const shaHelpId = useId();
  const shaErrorId = useId();
  const uploadLabelId = useId();
  const stop = useAppStore((s) => s.bundle.stopRun);
  const { file, choosing, uploaded, fileError, sha256, importing, checkState, stopping, cancelled, inspect } = dialog;
  const busy = importing || choosing;
  const shaOk = sha256Valid(sha256);

  async function upload(e: ChangeEvent<HTMLInputElement>) {
    const chosen = e.target.files?.[0];
    e.target.value = '';
    if (!chosen) return;
    const refuse = (message: string) => refuseFile({ code: 'INVALID_INPUT', message });
    if (chosen.size > BUNDLE_UPLOAD_MAX_BYTES)
      return refuse(t('bundle.import.file.tooBig', { file: chosen.name, max: bundleSize(BUNDLE_UPLOAD_MAX_BYTES) }));
    if (!(await opensAsBundle(chosen).catch(() => false)))
      return refuse(t('bundle.import.file.notBundle', { file: chosen.name }));
    await uploadFile(chosen);
  }

  return (
    <section className="bundle-dialog__section">
      {uploads ? (
        <div className="bundle-dialog__file">
          <label htmlFor={fileId} className="field-label">
            {t('bundle.import.file')}
          </label>
          <input
            id={fileId}
            type="file"
            accept={`${BUNDLE_EXTENSION},application/octet-stream,application/x-tar`}
            disabled={busy}
            aria-describedby={fileHelpId}
            onChange={(e) => void upload(e)}
            data-testid="bundle-import-file"
          />
        </div>
      ) : (
        <div className="actions">
          <ReasonButton
            className="button"
            reason={busy ? t('bundle.import.busy') : null}
            onClick={() => void chooseFile()}
            data-testid="bundle-import-file"
          >
            {t('bundle.import.choose')}
          </ReasonButton>
        </div>
      )}
      <p id={fileHelpId} className="help" data-testid="bundle-import-chosen">
        {file
          ? t('bundle.import.chosen', { name: file.name, size: file.bytes === null ? '' : bundleSize(file.bytes) })
          : t('bundle.import.none')}
      </p>
      {uploaded !== null && (
        <div className="job-status job-status--running">
          <p id={uploadLabelId} role="status">
            {t('bundle.import.uploading', { percent: Math.round(uploaded * 100) })}
          </p>
          <progress aria-labelledby={uploadLabelId} max={1} value={uploaded} />
        </div>
      )}
      {fileError &&
        (fileError.code === 'BUNDLE_FAILED' ? (
          <BundleError lead="bundle.import.file.failed" error={fileError} testId="bundle-import-file-error" />
        ) : (
          <ErrorNotice lead={fileError.message} fix={fileError.fix} testId="bundle-import-file-error" />
        ))}
      <label htmlFor={shaId} className="field-label">
        {t('bundle.import.sha256')}
      </label>
      <input
        id={shaId}
        className="field bundle-dialog__sha"
        value={sha256}
        readOnly={importing}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={!shaOk}
        aria-describedby={shaOk ? shaHelpId : `${shaHelpId} ${shaErrorId}`}
        onChange={(e) => setSha256(e.target.value)}
        data-testid="bundle-import-sha256"
      />
      <p id={shaHelpId} className="help">
        {t('bundle.import.sha256.help')}
      </p>
      {!shaOk && (
        <p id={shaErrorId} className="bundle-field-error" role="alert">
          {t('bundle.import.sha256.invalid')}
        </p>
      )}
      <div className="actions">
        <ReasonButton
          className="button"
          reason={
            busy
              ? t('bundle.import.busy')
              : !file
                ? t('bundle.import.check.noFile')
                : !shaOk
                  ? t('bundle.import.sha256.invalid')
                  : checkState.status === 'loading'
                    ? t('bundle.import.checking')
                    : null
          }
          onClick={() => void check()}
          data-testid="bundle-import-check"
        >
          {t('bundle.import.check')}
        </ReasonButton>
      </div>
      {checkState.status === 'loading' && (
        <div className="job-status job-status--running">
          <p role="status">{t('bundle.import.checking')}</p>
          <StopButton stopping={stopping} onStop={() => void stop()} testId="bundle-import-check-stop" />
        </div>
      )}
      {cancelled && !inspect && checkState.status === 'idle' && (
        <p role="status" data-testid="bundle-import-cancelled">
          {t('bundle.import.check.cancelled')}
        </p>
      )}
      {checkState.status === 'error' && (
        <BundleError lead="bundle.import.check.failed" error={checkState.error} testId="bundle-import-check-error" />
      )}
    </section>
  );
}

function sourceText(source: BundleSource): string {
  return source.kind === 'instance'
    ? t('bundle.source.instance', { instance: source.instance })
    : source.name
      ? t('bundle.source.manifest', { name: source.name })
      : t('bundle.source.manifestUnnamed');
}

function InspectSection({ report }: { report: BundleInspectReport }) {
  const titleId = useId();
  const tampered = report.entries.filter((e) => e.state === 'tampered');
  return (
    <section className="bundle-dialog__section" aria-labelledby={titleId} data-testid="bundle-import-inspect">
      <h3 id={titleId} className="bundle-dialog__title">
        {t('bundle.import.inspect.title')}
      </h3>
      <p>
        {t('bundle.import.inspect.made', {
          date: formatDateTime(report.createdAt),
          marketdesk: report.marketdesk,
          glpi: report.glpiVersion,
          source: sourceText(report.source),
        })}
      </p>
      <p>
        {report.entitlement
          ? t('bundle.import.inspect.entitled', { tier: report.entitlement.title })
          : t('bundle.import.inspect.free')}
      </p>
      <ul className="bundle-dialog__items" aria-labelledby={titleId}>
        {report.entries.map((e) => (
          <li key={e.key} data-key={e.key} data-state={e.state}>
            {t('bundle.item', { name: e.name, key: e.key, version: e.version })}{' '}
            {e.premium && <TierBadge offer={offerOf(report.entitlement)} />}{' '}
            <span className={e.state === 'ok' ? 'bundle-ok' : 'bundle-bad'}>
              {e.state === 'ok' ? t('bundle.import.inspect.ok') : t('bundle.import.inspect.tampered')}
            </span>
          </li>
        ))}
      </ul>
      <div
        className={`notice ${!report.verified ? 'notice--error' : report.sha256Matches ? 'bundle-verified' : ''}`}
        role={report.verified ? 'status' : 'alert'}
        data-testid="bundle-import-verdict"
        data-verified={report.verified}
      >
        <p>
          {report.sha256Matches === true
            ? t('bundle.import.verdict.sha256Matches')
            : report.sha256Matches === false
              ? t('bundle.import.verdict.sha256Differs')
              : t('bundle.import.verdict.sha256None')}
        </p>
        {tampered.length > 0 && (
          <p>{t('bundle.import.verdict.tampered', { keys: tampered.map((e) => e.key).join(', ') })}</p>
        )}
        {!report.verified && <p>{t('installed.fix', { fix: t('bundle.fix.remake') })}</p>}
      </div>
      <BundleSha256 sha256={report.sha256} label={t('bundle.sha256.file')} />
    </section>
  );
}

/** One plugin of a plan (or an import's result) in words. */
function itemLine(i: BundleImportItem): string {
  const vars = { key: i.key, version: i.version, from: i.from ?? '?' };
  switch (i.action) {
    case 'install':
      return t('bundle.plan.install', vars);
    case 'update':
      return t('bundle.plan.update', vars);
    case 'downgrade':
      return t('bundle.plan.downgrade', vars);
    case 'none':
      return t('bundle.plan.none', vars);
    case 'error':
      return t('bundle.plan.error', { ...vars, message: i.message ?? '' });
  }
}

function PlanSection({ dialog }: { dialog: ImportDialogState }) {
  const run = useAppStore((s) => s.bundle.runImport);
  const titleId = useId();
  const { instance, plan, planState, importing, inspect, result, importError, sha256 } = dialog;
  const changes = plan?.items.filter((i) => i.action !== 'none' && i.action !== 'error').length ?? 0;
  const errors = plan?.items.some((i) => i.action === 'error') ?? false;
  const reason = importing
    ? t('bundle.import.busy')
    : !inspect || planState.status !== 'ready' || !plan
      ? t('bundle.import.run.check')
      : !inspect.verified
        ? t('bundle.import.run.notVerified')
        : errors
          ? t('bundle.import.run.errors')
          : null;
  if (!inspect?.verified && !importing && !result && !importError) return null;
  return (
    <section className="bundle-dialog__section" aria-labelledby={titleId}>
      <h3 id={titleId} className="bundle-dialog__title">
        {t('bundle.import.plan.title', { instance })}
      </h3>
      {planState.status === 'loading' && <p role="status">{t('bundle.import.plan.loading')}</p>}
      {planState.status === 'error' && (
        <BundleError lead="bundle.import.plan.failed" error={planState.error} testId="bundle-import-plan-error" />
      )}
      {plan && (
        <>
          <p data-testid="bundle-import-plan-summary">
            {errors
              ? t('bundle.import.plan.refused')
              : changes === 0
                ? t('bundle.import.plan.nothing', { instance })
                : t('bundle.import.plan.count', { count: changes })}
          </p>
          <ol className="bundle-dialog__steps" aria-labelledby={titleId} data-testid="bundle-import-plan">
            {plan.items.map((i) => (
              <li key={i.key} data-key={i.key} data-action={i.action} className={`bundle-step--${i.action}`}>
                {itemLine(i)}
                {i.action === 'error' && i.checksumChanged ? (
                  <ChecksumChange
                    changed={{
                      step: 'download',
                      code: 'checksum-changed',
                      key: i.key,
                      version: i.version,
                      pinned: i.checksumChanged.pinned,
                      received: i.checksumChanged.received,
                    }}
                    action={i.from === null ? 'install' : 'update'}
                    reason={
                      importing
                        ? t('bundle.import.busy')
                        : !sha256Valid(sha256)
                          ? t('bundle.import.sha256.invalid')
                          : null
                    }
                    onTrust={() => void run(i.checksumChanged?.received)}
                  />
                ) : (
                  i.action === 'error' && i.fix && <p>{t('installed.fix', { fix: i.fix })}</p>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      <div className="actions">
        <ReasonButton
          className="button button--primary"
          reason={reason}
          onClick={() => void run()}
          data-testid="bundle-import-run"
        >
          {t('bundle.import.run', { instance })}
        </ReasonButton>
      </div>
      <ImportProgress dialog={dialog} />
      {dialog.cancelled && !importing && (
        <p role="status" data-testid="bundle-import-cancelled">
          {t(result ? 'bundle.import.cancelledBetween' : 'bundle.import.cancelled')}
        </p>
      )}
      {importError && <BundleError lead="bundle.import.failed" error={importError} testId="bundle-import-result" />}
      {result && !importing && <ImportResult result={result} sha256Given={typedSha256(sha256) !== null} />}
    </section>
  );
}

function ImportProgress({ dialog }: { dialog: ImportDialogState }) {
  const labelId = useId();
  const stop = useAppStore((s) => s.bundle.stopRun);
  const { importing, verified, progress, stopping } = dialog;
  if (!importing) return null;
  const keys = Object.keys(progress);
  const last = keys.length > 0 ? keys[keys.length - 1] : undefined;
  const current = last ? progress[last] : undefined;
  const fraction = current ? current.fraction : (verified ?? 0);
  const text =
    last && current
      ? t('bundle.import.progress', {
          key: last,
          step: current.step ?? '',
          percent: Math.round(Math.min(1, Math.max(0, current.fraction)) * 100),
        })
      : t('bundle.import.verifying', { percent: Math.round((verified ?? 0) * 100) });
  return (
    <div className="job-status job-status--running" data-testid="bundle-import-progress">
      <p id={labelId} role="status">
        {text}
      </p>
      <progress aria-labelledby={labelId} max={1} value={Math.min(1, Math.max(0, fraction))} />
      <StopButton stopping={stopping} onStop={() => void stop()} testId="bundle-import-stop" />
    </div>
  );
}

const RESULT_KEYS = {
  done: 'bundle.result.done',
  failed: 'bundle.result.failed',
  'not-done': 'bundle.result.notDone',
  unchanged: 'bundle.result.unchanged',
  refused: 'bundle.result.refused',
  planned: 'bundle.result.notDone',
} as const;

function ImportResult({ result, sha256Given }: { result: BundleImportResult; sha256Given: boolean }) {
  const done = result.items.filter((i) => i.state === 'done').length;
  const nothing = result.failed === null && result.items.every((i) => i.state === 'unchanged');
  if (nothing)
    return (
      <p className="job-status job-status--done" role="status" data-testid="bundle-import-result" data-ok="true">
        {t('bundle.import.result.nothing', { instance: result.instance })}
      </p>
    );
  return (
    <div
      className={`job-status job-status--${result.failed ? 'failed' : 'done'}`}
      role={result.failed ? 'alert' : 'status'}
      data-testid="bundle-import-result"
      data-ok={result.failed === null}
    >
      <p className="job-status__message">
        {result.failed
          ? t('bundle.import.result.stopped', { key: result.failed.key })
          : t('bundle.import.result.done', { count: done, instance: result.instance })}
      </p>
      <ul className="bundle-dialog__steps">
        {result.items.map((i) => (
          <li key={i.key} data-key={i.key} data-state={i.state}>
            {t(RESULT_KEYS[i.state], { step: itemLine(i), message: i.message ?? '' })}
            {i.state === 'failed' && i.fix && <p>{t('installed.fix', { fix: i.fix })}</p>}
          </li>
        ))}
      </ul>
      {!result.failed && !sha256Given && <p className="help">{t('bundle.import.result.noSha256')}</p>}
    </div>
  );
}
