import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';

/**
 * How the list is shown (`data-testid="view-options"`, group "View"): toggle buttons "Compact rows"
 * (`view-compact`) and, where the screen has details, "Details beside the list" (`view-two-pane`).
 * Both are remembered (store/view-prefs.ts).
 */
export function ViewOptions({ twoPane = false }: { twoPane?: boolean }) {
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
      {twoPane && (
        <button
          type="button"
          className="chip"
          aria-pressed={view.twoPane}
          onClick={() => setView({ twoPane: !view.twoPane })}
          data-testid="view-two-pane"
        >
          {t('view.twoPane')}
        </button>
      )}
    </div>
  );
}
