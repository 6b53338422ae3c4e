import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';
import type { PaneChoice } from '../store/view-prefs';

/**
 * How the list is shown (`data-testid="view-options"`, group "View"): toggle buttons "Compact rows"
 * (`view-compact`) and, where the screen has details, "Details beside the list" (`view-two-pane`).
 * Both are remembered (store/view-prefs.ts); `pane` names the screen's own two-pane choice.
 */
export function ViewOptions({ pane }: { pane?: PaneChoice }) {
  const view = useAppStore((s) => s.ui.view);
  const setView = useAppStore((s) => s.ui.setView);
  return (
    <div className="view-options" role="group" aria-label={t('view.label')} data-testid="view-options">
      <button
        type="button"
        className="chip"
        aria-pressed={view.density === 'compact'}
        onClick={() => setView({ density: view.density === 'compact' ? 'comfortable' : 'compact' })}
        data-testid="view-compact"
      >
        {t('view.compact')}
      </button>
      {pane && (
        <button
          type="button"
          className="chip"
          aria-pressed={view[pane]}
          onClick={() => setView({ [pane]: !view[pane] })}
          data-testid="view-two-pane"
        >
          {t('view.twoPane')}
        </button>
      )}
    </div>
  );
}
