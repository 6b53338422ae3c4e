import type { InstalledPlugin, PluginsView } from '../../../shared/instances';
import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';

const NONE: ReadonlyMap<string, InstalledPlugin> = new Map();
const indexes = new WeakMap<PluginsView, ReadonlyMap<string, InstalledPlugin>>();

/**
 * The copies GLPI loads (`shadowedBy === null`) of the active instance, by lower-case key (the core
 * matches catalogue keys that way). Built once per view object, so a list of 10,000 rows reads
 * one map instead of searching the plugins per row. Empty without an active instance.
 */
export function installedIndex(view: PluginsView | null): ReadonlyMap<string, InstalledPlugin> {
  if (!view?.instance) return NONE;
  let index = indexes.get(view);
  if (!index) {
    const built = new Map<string, InstalledPlugin>();
    for (const plugin of view.plugins) {
      if (plugin.shadowedBy === null && !plugin.invalidKey) built.set(plugin.key.toLowerCase(), plugin);
    }
    index = built;
    indexes.set(view, index);
  }
  return index;
}

/** The loaded copies of the active instance by lower-case key (a stable map per view). */
export function useInstalledIndex(): ReadonlyMap<string, InstalledPlugin> {
  return useAppStore((s) => installedIndex(s.installed.view));
}

/** "Installed 1.2.0" or "Update 1.2.0 → 1.3.0" (the arrow is spelt out for screen readers). */
export function CatalogInstalledBadge({ installed, id }: { installed: InstalledPlugin; id?: string }) {
  const version = installed.version;
  if (installed.update !== null) {
    const from = version ?? t('catalog.installed.unknownVersion');
    return (
      <span
        id={id}
        className="installed-badge installed-badge--update"
        data-testid="catalog-installed"
        data-state="update"
        data-version={version ?? ''}
        data-update={installed.update}
      >
        <span aria-hidden="true">{t('catalog.installed.update', { from, to: installed.update })}</span>
        <span className="visually-hidden">{t('catalog.installed.updateSpoken', { from, to: installed.update })}</span>
      </span>
    );
  }
  return (
    <span
      id={id}
      className="installed-badge"
      data-testid="catalog-installed"
      data-state="installed"
      data-version={version ?? ''}
    >
      {version ? t('catalog.installed.badge', { version }) : t('catalog.installed.badgeUnknown')}
    </span>
  );
}
