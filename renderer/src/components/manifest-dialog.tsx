import { useId, useRef, useState } from 'react';
import { manifestFormatOfName, type Manifest, type ManifestFormat } from '../../../shared/manifest';
import {
  isChange,
  type ManifestApplyResult,
  type ManifestPlan,
  type ManifestStep,
} from '../../../shared/manifest-plan';
import { t } from '../i18n/t';
import { checkedManifest, type ManifestDialogState } from '../store/manifest-slice';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import { copyToClipboard } from './doctor-check';
import { ChecksumChange } from './checksum-change';
import { StopButton } from './stop-button';
import { ErrorNotice } from './error-notice';
import { DialogFrame } from './dialog-frame';
import { ReasonButton } from './reason-button';
import { ManifestFileInput } from './manifest-file-input';
import { fileNamePart, saveFile } from './save-file';
import './manifest-dialog.css';

/**
 * The Manifest dialog of one instance (`data-testid="manifest-dialog"`, role="dialog" named
 * "Manifest of <instance>"), opened from the Installed view (the active instance) and from each
 * Fleet row:
 * - `manifest-export`: what the instance has as JSON or YAML (`manifest-export-text`, read-only),
 *   Copy (`manifest-copy`) and Save to a file (`manifest-save`, a download in both shells);
 * - `manifest-apply`: the manifest to apply (`manifest-text`, the attached one when there is one;
 *   `manifest-file` reads a file), "Check and plan" (`manifest-check`), its problems with their line
 *   or field (`manifest-errors`), Prune, the plan (`manifest-plan`, one `li` per change with
 *   `data-action` and `data-key`; `manifest-plan-none` when in sync), "Apply to <instance>"
 *   (`manifest-run`) with progress and per-step results (`manifest-result`), "Attach to <instance>"
 *   (`manifest-attach`) and Detach (`manifest-detach`).
 * Escape and Close close it unless an apply runs.
 */
export function ManifestDialog() {
  const dialog = useAppStore((s) => s.manifest.dialog);
  if (!dialog) return null;
  return <ManifestDialogView dialog={dialog} />;
}

function ManifestDialogView({ dialog }: { dialog: ManifestDialogState }) {
  const close = useAppStore((s) => s.manifest.close);
  const { instance, applying } = dialog;
  return (
    <DialogFrame
      title={t('manifest.title', { instance })}
      intro={<p>{t('manifest.intro', { instance })}</p>}
      busyReason={applying ? t('manifest.closeBlocked') : null}
      onClose={close}
      closeLabel={t('manifest.close')}
      closeTestId="manifest-close"
      testId="manifest-dialog"
      className="manifest-dialog"
    >
      <ExportSection dialog={dialog} />
      <ApplySection dialog={dialog} />
    </DialogFrame>
  );
}

/** `<instance>-plugins-<YYYY-MM-DD>.json|yaml`, with only safe characters in the instance name. */
function manifestFileName(instance: string, now: Date, format: ManifestFormat): string {
  return `${fileNamePart(instance)}-plugins-${now.toISOString().slice(0, 10)}.${format}`;
}

function ExportSection({ dialog }: { dialog: ManifestDialogState }) {
  const store = useAppStoreApi();
  const setFormat = useAppStore((s) => s.manifest.setExportFormat);
  const [feedback, setFeedback] = useState<string | null>(null);
  const titleId = useId();
  const textId = useId();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const { instance, exportFormat, exportedText, exportState } = dialog;
  const formatName = t(exportFormat === 'json' ? 'manifest.format.json' : 'manifest.format.yaml');
  const unavailable =
    exportedText !== null
      ? null
      : exportState.status === 'error'
        ? t('manifest.export.none')
        : t('manifest.export.loading', { instance });

  async function copy() {
    if (exportedText === null) return;
    const ok = await copyToClipboard(exportedText);
    setFeedback(t(ok ? 'manifest.copied' : 'manifest.copyRefused'));
    if (!ok) {
      textRef.current?.focus();
      textRef.current?.select();
    }
  }

  function save() {
    if (exportedText === null) return;
    const file = manifestFileName(instance, store.now(), exportFormat);
    saveFile(file, exportedText, exportFormat === 'json' ? 'application/json' : 'application/yaml');
    setFeedback(t('manifest.saved', { file }));
  }

  return (
    <section className="manifest-dialog__section" aria-labelledby={titleId} data-testid="manifest-export">
      <h3 id={titleId} className="manifest-dialog__title">
        {t('manifest.export.title', { instance })}
      </h3>
      <fieldset className="manifest-dialog__formats">
        <legend>{t('manifest.format')}</legend>
        {(['json', 'yaml'] as const).map((format) => (
          <label key={format} className="manifest-dialog__format">
            <input
              type="radio"
              name={`${titleId}-format`}
              value={format}
              checked={exportFormat === format}
              onChange={() => {
                setFeedback(null);
                void setFormat(format);
              }}
            />{' '}
            {t(format === 'json' ? 'manifest.format.json' : 'manifest.format.yaml')}
          </label>
        ))}
      </fieldset>
      {exportState.status === 'error' ? (
        <ErrorNotice
          lead={t('manifest.export.failed', { message: exportState.error.message })}
          fix={exportState.error.fix}
        />
      ) : (
        <>
          <label htmlFor={textId} className="field-label">
            {t('manifest.export.text', { instance, format: formatName })}
          </label>
          <textarea
            id={textId}
            ref={textRef}
            className="field manifest-dialog__text"
            readOnly
            rows={10}
            spellCheck={false}
            value={exportedText ?? ''}
            placeholder={unavailable ?? undefined}
            data-testid="manifest-export-text"
          />
        </>
      )}
      <div className="actions">
        <ReasonButton className="button" reason={unavailable} onClick={() => void copy()} data-testid="manifest-copy">
          {t('manifest.copy')}
        </ReasonButton>
        <ReasonButton className="button" reason={unavailable} onClick={save} data-testid="manifest-save">
          {t('manifest.save')}
        </ReasonButton>
      </div>
      <p className="help" role="status" data-testid="manifest-export-feedback">
        {feedback}
      </p>
    </section>
  );
}

/** Whether two manifests are the same (both as the core's validator returns them, keys in one order). */
function sameManifest(a: Manifest | null, b: Manifest | null): boolean {
  return a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

function ApplySection({ dialog }: { dialog: ManifestDialogState }) {
  const setDraft = useAppStore((s) => s.manifest.setDraft);
  const check = useAppStore((s) => s.manifest.check);
  const titleId = useId();
  const draftId = useId();
  const draftHelpId = useId();
  const errorsId = useId();
  const { instance, attached, attachedState, draft, parsed, checkState, applying } = dialog;
  const invalid = parsed !== null && !parsed.ok;

  return (
    <section className="manifest-dialog__section" aria-labelledby={titleId} data-testid="manifest-apply">
      <h3 id={titleId} className="manifest-dialog__title">
        {t('manifest.apply.title')}
      </h3>
      <p data-testid="manifest-attached" data-attached={attached !== null}>
        {attachedState.status === 'loading'
          ? t('manifest.attached.loading')
          : attachedState.status === 'error'
            ? t('manifest.attached.failed', { message: attachedState.error.message })
            : t(attached ? 'manifest.attached.yes' : 'manifest.attached.no', { instance })}
      </p>
      <label htmlFor={draftId} className="field-label">
        {t('manifest.draft')}
      </label>
      <p id={draftHelpId} className="help">
        {t('manifest.draft.help')}
      </p>
      <textarea
        id={draftId}
        className="field manifest-dialog__text manifest-dialog__draft"
        rows={10}
        spellCheck={false}
        value={draft}
        readOnly={applying}
        aria-describedby={invalid ? `${draftHelpId} ${errorsId}` : draftHelpId}
        aria-invalid={invalid}
        onChange={(e) => setDraft(e.target.value)}
        data-testid="manifest-text"
      />
      <ManifestFileInput
        label={t('manifest.file')}
        disabled={applying}
        onRead={async (text, name) => {
          setDraft(text, manifestFormatOfName(name));
          await check();
        }}
        className="manifest-dialog__file"
        testId="manifest-file"
      />
      <div className="actions">
        <ReasonButton
          className="button"
          reason={applying ? t('manifest.run.busy') : draft.trim() === '' ? t('manifest.check.empty') : null}
          onClick={() => void check()}
          data-testid="manifest-check"
        >
          {t('manifest.check')}
        </ReasonButton>
      </div>
      {checkState.status === 'loading' && <p role="status">{t('manifest.checking')}</p>}
      {checkState.status === 'error' && (
        <ErrorNotice
          lead={t('manifest.checkFailed', { message: checkState.error.message })}
          fix={checkState.error.fix}
        />
      )}
      {parsed && !parsed.ok && (
        <div className="notice notice--error" role="alert" id={errorsId} data-testid="manifest-errors">
          <p>{t('manifest.invalid')}</p>
          <ul>
            {parsed.errors.map((error) => (
              <li key={error}>
                <code>{error}</code>
              </li>
            ))}
          </ul>
          <p>{t('installed.fix', { fix: t('manifest.invalid.fix') })}</p>
        </div>
      )}
      {parsed?.ok && <PlanView dialog={dialog} />}
    </section>
  );
}

/** One change of a plan (or of an apply's result) in words. */
function stepLine(step: ManifestStep): string {
  switch (step.action) {
    case 'install':
      return t('manifest.step.install', { key: step.key, to: step.to });
    case 'update':
    case 'downgrade':
      return t(step.action === 'update' ? 'manifest.step.update' : 'manifest.step.downgrade', {
        key: step.key,
        from: step.from ?? '?',
        to: step.to,
      });
    case 'remove':
      return t('manifest.step.remove', { key: step.key, from: step.from ?? '?' });
    case 'skip':
      return t('manifest.step.skip', { key: step.key, message: step.message });
    case 'error':
      return t('manifest.step.error', { key: step.key, message: step.message });
  }
}

function PlanView({ dialog }: { dialog: ManifestDialogState }) {
  const setPrune = useAppStore((s) => s.manifest.setPrune);
  const apply = useAppStore((s) => s.manifest.apply);
  const attach = useAppStore((s) => s.manifest.attach);
  const detach = useAppStore((s) => s.manifest.detach);
  const titleId = useId();
  const pruneId = useId();
  const pruneHelpId = useId();
  const { instance, prune, plan, planState, applying, attaching, attached, attachState } = dialog;
  const hasErrors = plan?.steps.some((s) => s.action === 'error') ?? false;
  const isAttached = sameManifest(attached, checkedManifest(dialog));
  const runReason = applying
    ? t('manifest.run.busy')
    : planState.status !== 'ready'
      ? t('manifest.plan.loading')
      : hasErrors
        ? t('manifest.plan.errors')
        : null;

  return (
    <>
      <div className="manifest-dialog__prune">
        <input
          id={pruneId}
          type="checkbox"
          checked={prune}
          disabled={applying}
          aria-describedby={pruneHelpId}
          onChange={(e) => void setPrune(e.target.checked)}
        />
        <label htmlFor={pruneId}>{t('manifest.prune')}</label>
        <p id={pruneHelpId} className="help">
          {t('manifest.prune.help')}
        </p>
      </div>
      <h4 id={titleId} className="manifest-dialog__subtitle">
        {t('manifest.plan.title', { instance })}
      </h4>
      {planState.status === 'loading' && <p role="status">{t('manifest.plan.loading')}</p>}
      {planState.status === 'error' && (
        <ErrorNotice lead={t('manifest.plan.failed', { message: planState.error.message })} fix={planState.error.fix} />
      )}
      {plan && <PlanSteps plan={plan} titleId={titleId} />}
      <div className="actions">
        <ReasonButton
          className="button button--primary"
          reason={runReason}
          onClick={() => void apply()}
          data-testid="manifest-run"
        >
          {t('manifest.run', { instance })}
        </ReasonButton>
        <ReasonButton
          className="button"
          reason={attaching ? t('manifest.attach.busy') : isAttached ? t('manifest.attach.same', { instance }) : null}
          onClick={() => void attach()}
          data-testid="manifest-attach"
        >
          {t('manifest.attach', { instance })}
        </ReasonButton>
        {attached && (
          <ReasonButton
            className="button"
            reason={attaching ? t('manifest.attach.busy') : null}
            aria-label={t('manifest.detachLabel', { instance })}
            onClick={() => void detach()}
            data-testid="manifest-detach"
          >
            {t('manifest.detach')}
          </ReasonButton>
        )}
      </div>
      <p className="help" role="status" data-testid="manifest-attach-status">
        {attachState.status === 'ready'
          ? t(attached ? 'manifest.attach.done' : 'manifest.detach.done', { instance })
          : ''}
      </p>
      {attachState.status === 'error' && (
        <ErrorNotice
          lead={t('manifest.attach.failed', { message: attachState.error.message })}
          fix={attachState.error.fix}
        />
      )}
      <ApplyProgress dialog={dialog} />
    </>
  );
}

function PlanSteps({ plan, titleId }: { plan: ManifestPlan; titleId: string }) {
  const changes = plan.steps.filter(isChange).length;
  const inSync = changes === 0 && !plan.steps.some((s) => s.action === 'error');
  return (
    <>
      {inSync ? (
        <p className="manifest-dialog__none" data-testid="manifest-plan-none">
          {t('manifest.plan.none', { instance: plan.instance })}
        </p>
      ) : (
        <p>{t('manifest.plan.count', { count: changes })}</p>
      )}
      {plan.steps.length > 0 && (
        <ol className="manifest-dialog__steps" aria-labelledby={titleId} data-testid="manifest-plan">
          {plan.steps.map((step) => (
            <li
              key={`${step.action}:${step.key}`}
              className={`manifest-step manifest-step--${step.action}`}
              data-action={step.action}
              data-key={step.key}
            >
              {stepLine(step)}
            </li>
          ))}
        </ol>
      )}
      {plan.extra.length > 0 && <p className="help">{t('manifest.plan.extra', { keys: plan.extra.join(', ') })}</p>}
    </>
  );
}

function ApplyProgress({ dialog }: { dialog: ManifestDialogState }) {
  const labelId = useId();
  const stop = useAppStore((s) => s.manifest.stopApply);
  const { applying, stopping, progress, result, applyError, instance } = dialog;
  if (applying) {
    const fraction = Math.min(1, Math.max(0, progress?.fraction ?? 0));
    return (
      <div className="job-status job-status--running" data-testid="manifest-progress">
        <p id={labelId} role="status">
          {progress
            ? t('manifest.progress', { key: progress.key, step: progress.step, percent: Math.round(fraction * 100) })
            : t('manifest.applying')}
        </p>
        <progress aria-labelledby={labelId} max={1} value={fraction} />
        <StopButton stopping={stopping} onStop={() => void stop()} testId="manifest-stop" />
      </div>
    );
  }
  if (applyError)
    return (
      <ErrorNotice
        lead={t('manifest.applyFailed', { message: applyError.message })}
        fix={applyError.fix}
        testId="manifest-result"
      />
    );
  if (!result) return null;
  return <ApplyResult result={result} instance={instance} />;
}

function ApplyResult({ result, instance }: { result: ManifestApplyResult; instance: string }) {
  const apply = useAppStore((s) => s.manifest.apply);
  const { done, failed, notDone } = result;
  if (!failed && done.length === 0)
    return (
      <p className="job-status job-status--done" role="status" data-testid="manifest-result" data-ok="true">
        {t('manifest.result.nothing', { instance })}
      </p>
    );
  return (
    <div
      className={`job-status job-status--${failed ? 'failed' : 'done'}`}
      role={failed ? 'alert' : 'status'}
      data-testid="manifest-result"
      data-ok={failed === null}
    >
      <p className="job-status__message">
        {failed ? t('manifest.result.stopped') : t('manifest.result.done', { count: done.length })}
      </p>
      <ul className="manifest-dialog__steps">
        {done.map((step) => (
          <li key={`done:${step.key}`} data-result="done" data-key={step.key}>
            {t('manifest.result.line.done', { step: stepLine(step) })}
          </li>
        ))}
        {failed && (
          <li data-result="failed" data-key={failed.step.key}>
            {t('manifest.result.line.failed', { step: stepLine(failed.step), message: failed.message })}
            {failed.checksumChanged ? (
              <ChecksumChange
                changed={failed.checksumChanged}
                action={failed.step.action === 'install' ? 'install' : 'update'}
                onTrust={() => void apply(failed.checksumChanged?.received)}
              />
            ) : (
              failed.fix && <p>{t('installed.fix', { fix: failed.fix })}</p>
            )}
          </li>
        )}
        {notDone.map((step) => (
          <li key={`not:${step.key}`} data-result="not-done" data-key={step.key}>
            {t('manifest.result.line.notDone', { step: stepLine(step) })}
          </li>
        ))}
      </ul>
    </div>
  );
}
