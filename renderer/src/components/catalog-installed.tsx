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
  const { version, update } = installed;
  return (
    <span
      id={id}
      className={update === null ? 'installed-badge' : 'installed-badge installed-badge--update'}
      data-testid="catalog-installed"
      data-state={update === null ? 'installed' : 'update'}
      data-version={version ?? ''}
      data-update={update ?? undefined}
    >
      {update === null ? installedText(version) : <UpdateText from={version} to={update} />}
    </span>
  );
}

function installedText(version: string | null): string {
  return version ? t('catalog.installed.badge', { version }) : t('catalog.installed.badgeUnknown');
}

/** Shown with an arrow, spoken with words. */
function UpdateText({ from, to }: { from: string | null; to: string }) {
  const values = { from: from ?? t('catalog.installed.unknownVersion'), to };
  return (
    <>
      <span aria-hidden="true">{t('catalog.installed.update', values)}</span>
      <span className="visually-hidden">{t('catalog.installed.updateSpoken', values)}</span>
    </>
  );
}
