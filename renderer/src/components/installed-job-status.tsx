import { useId } from 'react';
import { errorFix, errorMessage, t } from '../i18n/t';
import { cancelBlocked, type PluginJob, type RunningJob } from '../store/installed-slice';
import { useAppStore } from '../store/store-context';
import { ConsoleStep } from './installed-console';

/**
 * The last action on a plugin: progress (with Cancel for installs and updates), the report and what
 * to do next in GLPI, the failure with its step and fix, or "cancelled".
 * `data-testid="job-status"`, `data-state="running|done|failed|cancelled"`; Cancel is `job-cancel`.
 */
export function JobStatus({ pluginKey, job }: { pluginKey: string; job: PluginJob }) {
  const labelId = useId();
  if (job.state === 'running') {
    const percent = Math.round(job.fraction * 100);
    return (
      <div
        className="job-status job-status--running"
        data-testid="job-status"
        data-state="running"
        data-cancel={job.cancel}
      >
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
      <div className="job-status job-status--done" data-testid="job-status" data-state="done" role="status">
        <p>{job.report.message}</p>
        <p>{t('installed.job.next', { next: job.report.next })}</p>
        <ConsoleStep pluginKey={pluginKey} action={job.action} />
      </div>
    );
  }
  if (job.state === 'cancelled') {
    return (
      <div className="job-status job-status--cancelled" data-testid="job-status" data-state="cancelled" role="status">
        <p>{t('installed.job.cancelled')}</p>
      </div>
    );
  }
  return (
    <div className="job-status job-status--failed" data-testid="job-status" data-state="failed" role="alert">
      <p>
        {job.step
          ? t('installed.job.failed', { step: job.step, message: errorMessage(job.error) })
          : t('installed.job.failedNoStep', { message: errorMessage(job.error) })}
      </p>
      {errorFix(job.error) && <p>{t('installed.fix', { fix: errorFix(job.error) })}</p>}
    </div>
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
