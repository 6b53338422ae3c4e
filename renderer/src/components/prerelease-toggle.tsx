import { useId } from 'react';
import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';

/** "Show pre-release versions" (GLPI's GLPI_MARKETPLACE_PRERELEASES), saved with the profile. */
export function PrereleaseToggle() {
  const checked = useAppStore((s) => s.catalog.includePrereleases);
  const setIncludePrereleases = useAppStore((s) => s.catalog.setIncludePrereleases);
  const id = useId();
  return (
    <p className="checkbox">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => void setIncludePrereleases(e.target.checked)} />
      <label htmlFor={id}>{t('catalog.prereleases')}</label>
    </p>
  );
}
