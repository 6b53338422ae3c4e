import { t } from '../i18n/t';
import { ReasonButton } from './reason-button';

/**
 * Stops a long run (a bundle made, checked or imported, a manifest applied, a fleet updated,
 * archives downloaded ahead): "Stop" beside its progress, unavailable ("Stopping…") once asked,
 * until the run ends.
 */
export function StopButton({ stopping, onStop, testId }: { stopping: boolean; onStop: () => void; testId: string }) {
  return (
    <div className="actions">
      <ReasonButton
        className="button"
        reason={stopping ? t('job.stopping') : null}
        onClick={onStop}
        data-testid={testId}
      >
        {t('job.stop')}
      </ReasonButton>
    </div>
  );
}
