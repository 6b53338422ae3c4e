import { useId } from 'react';
import { FILTERS, SORTS, type CatalogSort } from '../../../shared/catalog';
import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';

/** Filters that need the installed plugins of an active instance. */
const NEEDS_INSTALLS = new Set(['installed', 'updates']);

/** Filter toggles (aria-pressed) and the sort order. */
export function CatalogFilters() {
  const filters = useAppStore((s) => s.catalog.view.filters);
  const sort = useAppStore((s) => s.catalog.view.sort);
  const installedCount = useAppStore((s) => s.catalog.installed.size);
  const toggleFilter = useAppStore((s) => s.catalog.toggleFilter);
  const setSort = useAppStore((s) => s.catalog.setSort);
  const sortId = useId();
  const noInstallsId = useId();
  const showNoInstalls = installedCount === 0 && filters.some((f) => NEEDS_INSTALLS.has(f));
  return (
    <div className="catalog-filters">
      <fieldset className="chip-group">
        <legend className="field-label">{t('catalog.filters.label')}</legend>
        <ul className="chip-group__list">
          {FILTERS.map((filter) => (
            <li key={filter}>
              <button
                type="button"
                className="chip"
                aria-pressed={filters.includes(filter)}
                aria-describedby={showNoInstalls && NEEDS_INSTALLS.has(filter) ? noInstallsId : undefined}
                data-filter={filter}
                onClick={() => toggleFilter(filter)}
              >
                {t(`catalog.filter.${filter}`)}
              </button>
            </li>
          ))}
        </ul>
        {showNoInstalls && (
          <p id={noInstallsId} className="help" data-testid="catalog-no-installs">
            {t('catalog.filter.noInstalls')}
          </p>
        )}
      </fieldset>
      <div className="catalog-sort">
        <label htmlFor={sortId} className="field-label">
          {t('catalog.sort.label')}
        </label>
        <select
          id={sortId}
          className="field catalog-sort__select"
          value={sort}
          onChange={(e) => setSort(e.target.value as CatalogSort)}
        >
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {t(`catalog.sort.${s}`)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
