import { useId, type Ref } from 'react';
import type { ErrorShape } from '../../../shared/errors';
import { coreText, errorFix, errorMessage, t } from '../i18n/t';
import type { ChecksumChangedDetails, PluginAction } from '../../../shared/instances';
import { cancelBlocked, checksumChanged, type PluginJob, type RunningJob } from '../store/installed-slice';
import { useAppStore } from '../store/store-context';
import { ChecksumChange } from './checksum-change';
import { ConsoleStep } from './installed-console';
import './job-status.css';

/**
 * The last action on a plugin, wherever it was asked (the Installed row, the catalogue's details):
 * progress (with Cancel for installs and updates), the report and what to do next in GLPI, the
 * failure with its step and fix, or "cancelled".
 * `data-testid="job-status"`, `data-state="running|done|failed|cancelled"`; Cancel is `job-cancel`.
 * With `focusRef` the status can take the focus (the button that started it turns disabled).
 */
export function JobStatus({
  pluginKey,
  job,
  focusRef,
}: {
  pluginKey: string;
  job: PluginJob;
  focusRef?: Ref<HTMLDivElement>;
}) {
  const labelId = useId();
  const common = {
    ref: focusRef,
    tabIndex: focusRef ? -1 : undefined,
    className: `job-status job-status--${job.state}`,
    'data-testid': 'job-status',
    'data-state': job.state,
  };
  if (job.state === 'running') {
    const percent = Math.round(job.fraction * 100);
    return (
      <div {...common} data-cancel={job.cancel}>
        <p id={labelId} role="status">
          {job.step ? t('installed.job.progress', { step: job.step, percent }) : t('installed.job.starting')}
        </p>
        <progress aria-labelledby={labelId} max={1} value={job.fraction} />
        {(job.action === 'install' || job.action === 'update') && <CancelJob pluginKey={pluginKey} job={job} />}
      </div>
    );
  }
  if (job.state === 'done') {
    return (
      <div {...common} role="status">
        <p className="job-status__message">{job.report.message}</p>
        <p>{t('installed.job.next', { next: job.report.next })}</p>
        {job.report.warnings && job.report.warnings.length > 0 && (
          <div className="job-status__warnings" data-testid="job-warnings">
            <p>{t('installed.job.warnings', { count: job.report.warnings.length })}</p>
            <ul>
              {job.report.warnings.map((w) => (
                <li key={`${w.id}:${w.path}`}>
                  {coreText(w.refs.message, w.message)} {t('installed.fix', { fix: coreText(w.refs.fix, w.fix) })}
                </li>
              ))}
            </ul>
          </div>
        )}
        <ConsoleStep pluginKey={pluginKey} action={job.action} />
      </div>
    );
  }
  if (job.state === 'cancelled') {
    return (
      <div {...common} role="status">
        <p>{t('installed.job.cancelled')}</p>
      </div>
    );
  }
  const changed = checksumChanged(job.error);
  return (
    <div {...common} role="alert">
      {changed ? (
        <TrustNewChecksum pluginKey={pluginKey} action={job.action} changed={changed} />
      ) : (
        <JobFailure step={job.step} error={job.error} />
      )}
    </div>
  );
}

/** A republished (or altered) archive: the same action again, once the admin trusts the new one. */
function TrustNewChecksum({
  pluginKey,
  action,
  changed,
}: {
  pluginKey: string;
  action: PluginAction;
  changed: ChecksumChangedDetails;
}) {
  const trust = useAppStore((s) => s.installed.trustNewChecksum);
  return (
    <ChecksumChange
      changed={changed}
      action={action === 'update' ? 'update' : 'install'}
      onTrust={() => void trust(pluginKey)}
    />
  );
}

/** Why a job failed, at which step when known, then the fix. */
export function JobFailure({ step, error }: { step: string | null; error: ErrorShape }) {
  const message = errorMessage(error);
  const fix = errorFix(error);
  return (
    <>
      <p>{step ? t('installed.job.failed', { step, message }) : t('installed.job.failedNoStep', { message })}</p>
      {fix && <p>{t('installed.fix', { fix })}</p>}
    </>
  );
}

/** What the Cancel of a running job says: where the cancel is, or why it cannot be asked. */
export function cancelNote(job: RunningJob): string | null {
  if (job.cancelError) return t('installed.cancel.failed', { message: job.cancelError.message });
  switch (job.cancel) {
    case 'asking':
      return t('installed.cancel.asking');
    case 'waiting':
      return t('installed.cancel.waiting');
    case 'asked':
      return t('installed.cancel.asked');
    case 'too-late':
      return t('installed.cancel.tooLate');
    default:
      return cancelBlocked(job) === 'swap' ? t('installed.cancel.tooLate') : null;
  }
}

function CancelJob({ pluginKey, job }: { pluginKey: string; job: RunningJob }) {
  const cancel = useAppStore((s) => s.installed.cancel);
  const noteId = useId();
  const blocked = cancelBlocked(job) !== null || job.cancel === 'too-late';
  const note = cancelNote(job);
  return (
    <div className="job-status__cancel">
      <button
        type="button"
        className="button button--small"
        disabled={blocked}
        title={blocked && note ? note : undefined}
        aria-label={t(job.action === 'install' ? 'installed.cancel.label.install' : 'installed.cancel.label.update', {
          key: pluginKey,
        })}
        aria-describedby={note ? noteId : undefined}
        onClick={() => void cancel(pluginKey)}
        data-testid="job-cancel"
      >
        {t('installed.cancel')}
      </button>
      <p id={noteId} className="job-status__note" role="status">
        {note}
      </p>
    </div>
  );
}
