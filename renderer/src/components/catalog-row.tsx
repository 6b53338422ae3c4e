import { memo } from 'react';
import type { CatalogListItem } from '../../../shared/catalog';
import type { InstalledPlugin } from '../../../shared/instances';
import { useLocale } from '../i18n/language';
import { t } from '../i18n/t';
import type { Availability } from '../store/catalog-slice';
import { availabilityText, formatCompact } from '../store/catalog-view';
import { CatalogInstalledBadge } from './catalog-installed';
import { htmlToPlain } from '../../../shared/html-text';
import { PluginLogo } from './plugin-logo';
import { StarRating } from './star-rating';
import { TierBadge } from './tier-badge';

interface CatalogRowProps {
  id: string;
  plugin: CatalogListItem;
  availability: Availability;
  /** The copy GLPI loads in the active instance, if the plugin is installed there. */
  installed: InstalledPlugin | undefined;
  glpiVersion: string;
  includePrereleases: boolean;
  index: number;
  setSize: number;
  start: number;
  height: number;
  active: boolean;
  onOpen: (key: string, index: number) => void;
}

/**
 * One plugin of the list (an option of the listbox). Memoised: every prop is a primitive or a
 * reference that stays the same while the plugin, its availability and its position do, so a
 * keystroke re-renders only the rows whose content or position changed.
 */
export const CatalogRow = memo(function CatalogRow({
  id,
  plugin,
  availability,
  installed,
  glpiVersion,
  includePrereleases,
  index,
  setSize,
  start,
  height,
  active,
  onOpen,
}: CatalogRowProps) {
  // Memoised: renders again by itself when the UI language changes.
  useLocale();
  const raw = plugin.summary;
  // Some authors write HTML even in the short description: show its text, as GLPI does.
  const description = /[<&]/.test(raw) ? htmlToPlain(raw) : raw;
  const authors = plugin.authors.join(', ');
  const version = availability.latest?.num ?? null;
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      aria-labelledby={`${id}-name`}
      aria-describedby={
        installed ? `${id}-installed ${id}-availability ${id}-description` : `${id}-availability ${id}-description`
      }
      className={active ? 'catalog-row catalog-row--active' : 'catalog-row'}
      data-testid="catalog-row"
      data-key={plugin.key}
      data-availability={availability.kind}
      data-installed={installed ? (installed.version ?? '') : undefined}
      style={{ transform: `translateY(${start}px)`, height }}
      onClick={() => onOpen(plugin.key, index)}
    >
      <PluginLogo name={plugin.name} pluginKey={plugin.key} url={plugin.logoUrl} />
      <div className="catalog-row__main">
        <p className="catalog-row__title">
          <span id={`${id}-name`} className="catalog-row__name">
            {plugin.name}
          </span>{' '}
          <code className="catalog-row__key">{plugin.key}</code>
        </p>
        <p id={`${id}-description`} className="catalog-row__description">
          {description}
        </p>
        <p className="catalog-row__meta">
          {authors && <span>{t('catalog.row.by', { authors })}</span>}
          <span>{version ? t('catalog.row.version', { version }) : t('catalog.row.noVersion')}</span>
          <StarRating note={plugin.note} />
          <span>
            {t('catalog.row.downloads', { count: plugin.downloads, formatted: formatCompact(plugin.downloads) })}
          </span>
        </p>
      </div>
      <div className="catalog-row__side">
        <p className="catalog-row__badges">
          {installed && <CatalogInstalledBadge installed={installed} id={`${id}-installed`} />}
          <TierBadge offer={availability.tier} />
        </p>
        <p id={`${id}-availability`} className={`availability availability--${availability.kind}`}>
          {availabilityText(availability, plugin, glpiVersion, includePrereleases)}
        </p>
      </div>
    </div>
  );
});
