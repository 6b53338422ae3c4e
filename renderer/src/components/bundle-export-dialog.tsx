import { useId } from 'react';
import type { BundleCreateReport, BundleEntitlement } from '../../../shared/bundle';
import { t } from '../i18n/t';
import type { BundleItemProgress, ExportDialogState } from '../store/bundle-slice';
import { useAppStore } from '../store/store-context';
import { BundleError, BundleSha256, bundleFailure, bundleSize } from './bundle-common';
import { StopButton } from './stop-button';
import { ChecksumChange } from './checksum-change';
import { DialogFrame } from './dialog-frame';
import { ManifestFileInput } from './manifest-file-input';
import { ReasonButton } from './reason-button';
import { TierBadge } from './tier-badge';

/**
 * The Export dialog (`data-testid="bundle-export-dialog"`, role="dialog" named "Export an offline
 * bundle from <instance>"), opened from the Installed toolbar (the active instance) and from each
 * Fleet row: what goes in (the instance's plugins, or a manifest's: `bundle-export-manifest`,
 * `bundle-export-manifest-file`), the target GLPI version (`bundle-export-version`), the list
 * (`bundle-export-preview`, one `li` per plugin with `data-key` and a tier badge; problems in
 * `bundle-export-problems`), "Make the bundle" (`bundle-export-run`) with per-plugin progress
 * (`bundle-export-progress`), then the result (`bundle-export-result`: the whole file's SHA-256,
 * Copy, and in the browser shell the download link `bundle-export-download`) or the error
 * (`bundle-export-error`, a changed checksum with its trust button). Escape and Close close it
 * unless a bundle is being made.
 */
export function BundleExportDialog() {
  const dialog = useAppStore((s) => s.bundle.exportDialog);
  if (!dialog) return null;
  return <ExportView dialog={dialog} />;
}

function ExportView({ dialog }: { dialog: ExportDialogState }) {
  const close = useAppStore((s) => s.bundle.closeExport);
  const { instance, running } = dialog;
  return (
    <DialogFrame
      title={t('bundle.export.title', { instance })}
      intro={<p>{t('bundle.export.intro')}</p>}
      busyReason={running ? t('bundle.export.closeBlocked') : null}
      onClose={close}
      closeLabel={t('bundle.close')}
      closeTestId="bundle-export-close"
      testId="bundle-export-dialog"
      className="bundle-dialog"
    >
      <ChoiceSection dialog={dialog} />
      <PreviewSection dialog={dialog} />
      <RunSection dialog={dialog} />
    </DialogFrame>
  );
}

function ChoiceSection({ dialog }: { dialog: ExportDialogState }) {
  const setSource = useAppStore((s) => s.bundle.setExportSource);
  const setManifest = useAppStore((s) => s.bundle.setManifest);
  const setVersion = useAppStore((s) => s.bundle.setGlpiVersion);
  const preview = useAppStore((s) => s.bundle.preview);
  const groupId = useId();
  const manifestId = useId();
  const versionId = useId();
  const versionHelpId = useId();
  const { instance, instanceVersion, source, manifestText, glpiVersion, running } = dialog;

  return (
    <section className="bundle-dialog__section" aria-labelledby={groupId}>
      <fieldset className="bundle-dialog__sources" disabled={running}>
        <legend id={groupId}>{t('bundle.export.source')}</legend>
        <label>
          <input
            type="radio"
            name={`${groupId}-source`}
            checked={source === 'instance'}
            onChange={() => setSource('instance')}
          />{' '}
          {t('bundle.export.source.instance', { instance })}
        </label>
        <label>
          <input
            type="radio"
            name={`${groupId}-source`}
            checked={source === 'manifest'}
            onChange={() => setSource('manifest')}
          />{' '}
          {t('bundle.export.source.manifest')}
        </label>
      </fieldset>
      {source === 'manifest' && (
        <>
          <label htmlFor={manifestId} className="field-label">
            {t('bundle.export.manifest')}
          </label>
          <textarea
            id={manifestId}
            className="field bundle-dialog__text"
            rows={8}
            spellCheck={false}
            value={manifestText}
            readOnly={running}
            onChange={(e) => setManifest(e.target.value)}
            data-testid="bundle-export-manifest"
          />
          <ManifestFileInput
            label={t('bundle.export.manifestFile')}
            disabled={running}
            onRead={async (text, name) => {
              setManifest(text, name);
              await preview();
            }}
            className="bundle-dialog__file"
            testId="bundle-export-manifest-file"
          />
        </>
      )}
      <label htmlFor={versionId} className="field-label">
        {t('bundle.export.version')}
      </label>
      <input
        id={versionId}
        className="field bundle-dialog__version"
        value={glpiVersion}
        readOnly={running}
        inputMode="decimal"
        autoComplete="off"
        aria-describedby={versionHelpId}
        onChange={(e) => setVersion(e.target.value)}
        data-testid="bundle-export-version"
      />
      <p id={versionHelpId} className="help">
        {instanceVersion
          ? t('bundle.export.version.help', { instance, version: instanceVersion })
          : t('bundle.export.version.helpNone')}
      </p>
    </section>
  );
}

function PreviewSection({ dialog }: { dialog: ExportDialogState }) {
  const preview = useAppStore((s) => s.bundle.preview);
  const titleId = useId();
  const { preview: list, previewState, running, source, manifestText } = dialog;
  const empty = source === 'manifest' && manifestText.trim() === '';
  return (
    <section className="bundle-dialog__section" aria-labelledby={titleId}>
      <h3 id={titleId} className="bundle-dialog__title">
        {t('bundle.export.preview.title')}
      </h3>
      <div className="actions">
        <ReasonButton
          className="button"
          reason={running ? t('bundle.export.busy') : empty ? t('bundle.export.manifest.empty') : null}
          onClick={() => void preview()}
          data-testid="bundle-export-list"
        >
          {t('bundle.export.preview.run')}
        </ReasonButton>
      </div>
      {previewState.status === 'loading' && <p role="status">{t('bundle.export.preview.loading')}</p>}
      {previewState.status === 'error' && (
        <BundleError
          lead="bundle.export.preview.failed"
          error={previewState.error}
          testId="bundle-export-preview-error"
        />
      )}
      {list && (
        <>
          <p className="help">{t('bundle.export.preview.for', { version: list.glpiVersion })}</p>
          {list.entries.length === 0 ? (
            <p data-testid="bundle-export-preview">{t('bundle.export.preview.none')}</p>
          ) : (
            <ul className="bundle-dialog__items" aria-labelledby={titleId} data-testid="bundle-export-preview">
              {list.entries.map((e) => (
                <li key={e.key} data-key={e.key}>
                  <span>{t('bundle.item', { name: e.name, key: e.key, version: e.version })}</span>{' '}
                  <TierBadge offer={e.tier} />
                </li>
              ))}
            </ul>
          )}
          {list.entitlement && (
            <p className="help">{t('bundle.export.preview.entitled', { tier: list.entitlement.title })}</p>
          )}
          {list.problems.length > 0 && (
            <div className="notice notice--error" role="alert" data-testid="bundle-export-problems">
              <p>{t('bundle.export.preview.problems')}</p>
              <ul>
                {list.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
              <p>{t('installed.fix', { fix: t('bundle.fix.unresolved') })}</p>
            </div>
          )}
          {list.skipped.length > 0 && (
            <div className="help" data-testid="bundle-export-skipped">
              <p>{t('bundle.export.preview.skipped')}</p>
              <ul>
                {list.skipped.map((s) => (
                  <li key={s.key}>{t('bundle.export.skippedItem', { key: s.key, reason: s.reason })}</li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** One plugin's progress as words: "fields: downloading, 40%". */
function progressText(key: string, p: BundleItemProgress | undefined): string {
  if (!p) return t('bundle.progress.waiting', { key });
  const percent = Math.round(Math.min(1, Math.max(0, p.fraction)) * 100);
  if (p.phase === 'write' && percent === 100) return t('bundle.progress.written', { key });
  return t(p.phase === 'download' ? 'bundle.progress.download' : 'bundle.progress.write', { key, percent });
}

function RunSection({ dialog }: { dialog: ExportDialogState }) {
  const run = useAppStore((s) => s.bundle.runExport);
  const stop = useAppStore((s) => s.bundle.stopRun);
  const downloads = useAppStore((s) => s.bundle.downloadUrl !== null);
  const { running, stopping, preview, previewState, source, manifestText, progress, report, error, cancelled } = dialog;
  const reason = running
    ? t('bundle.export.busy')
    : source === 'manifest' && manifestText.trim() === ''
      ? t('bundle.export.manifest.empty')
      : previewState.status === 'loading'
        ? t('bundle.export.preview.loading')
        : preview && preview.problems.length > 0
          ? t('bundle.export.run.problems')
          : null;
  const changed = bundleFailure(error)?.code === 'checksum-changed' ? bundleFailure(error) : null;
  const keys = preview?.entries.map((e) => e.key) ?? Object.keys(progress);
  return (
    <section className="bundle-dialog__section">
      <div className="actions">
        <ReasonButton
          className="button button--primary"
          reason={reason}
          onClick={() => void run()}
          data-testid="bundle-export-run"
        >
          {t(downloads ? 'bundle.export.run' : 'bundle.export.runSave')}
        </ReasonButton>
      </div>
      {running && (
        <div className="job-status job-status--running" data-testid="bundle-export-progress">
          <p role="status">{t('bundle.export.running')}</p>
          <ul className="bundle-dialog__items">
            {keys.map((key) => (
              <ProgressLine key={key} text={progressText(key, progress[key])} fraction={progress[key]?.fraction ?? 0} />
            ))}
          </ul>
          <StopButton stopping={stopping} onStop={() => void stop()} testId="bundle-export-stop" />
        </div>
      )}
      {cancelled && (
        <p role="status" data-testid="bundle-export-cancelled">
          {t('bundle.export.cancelled')}
        </p>
      )}
      {error && !changed && <BundleError lead="bundle.export.failed" error={error} testId="bundle-export-error" />}
      {changed?.key && changed.version && changed.expected && changed.actual && (
        <div className="notice notice--error" role="alert" data-testid="bundle-export-error">
          <p>{t('bundle.export.checksumChanged')}</p>
          <ChecksumChange
            changed={{
              step: 'download',
              code: 'checksum-changed',
              key: changed.key,
              version: changed.version,
              pinned: changed.expected,
              received: changed.actual,
            }}
            action="bundle"
            reason={running ? t('bundle.export.busy') : null}
            onTrust={() => void run(changed.actual)}
          />
        </div>
      )}
      {report && !running && <ExportResult report={report} />}
    </section>
  );
}

function ProgressLine({ text, fraction }: { text: string; fraction: number }) {
  const id = useId();
  return (
    <li>
      <span id={id}>{text}</span> <progress aria-labelledby={id} max={1} value={Math.min(1, Math.max(0, fraction))} />
    </li>
  );
}

function ExportResult({ report }: { report: BundleCreateReport }) {
  const target = useAppStore((s) => s.bundle.exportDialog?.target ?? null);
  const downloadUrl = useAppStore((s) => s.bundle.downloadUrl);
  const name = target?.name ?? report.file;
  const href = target?.kind === 'temporary' && downloadUrl ? downloadUrl(target.ref) : null;
  return (
    <div className="job-status job-status--done" role="status" data-testid="bundle-export-result">
      <p className="job-status__message">
        {href
          ? t('bundle.export.done.download', { name, size: bundleSize(report.bytes), count: report.entries.length })
          : t('bundle.export.done.saved', {
              file: report.file,
              size: bundleSize(report.bytes),
              count: report.entries.length,
            })}
      </p>
      {href && (
        <p>
          <a className="button button--primary" href={href} download={name} data-testid="bundle-export-download">
            {t('bundle.export.download', { name })}
          </a>
        </p>
      )}
      <BundleSha256 sha256={report.sha256} label={t('bundle.sha256.made')} />
      <p className="bundle-dialog__advice">{t('bundle.export.advice')}</p>
      <ul className="bundle-dialog__items" data-testid="bundle-export-entries">
        {report.entries.map((e) => (
          <li key={e.key} data-key={e.key}>
            {t('bundle.item', { name: e.name, key: e.key, version: e.version })}{' '}
            {e.premium && <TierBadge offer={offerOf(report.entitlement)} />}
          </li>
        ))}
      </ul>
      {report.entitlement && <p className="help">{t('bundle.export.entitled', { tier: report.entitlement.title })}</p>}
    </div>
  );
}

/** The subscription that entitled a bundle's premium plugins, as a tier badge shows it. */
export function offerOf(entitlement: BundleEntitlement | null) {
  return entitlement ? { reference: entitlement.offer, title: entitlement.title } : null;
}
