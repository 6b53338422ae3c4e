import { useMemo, useState } from 'react';
import { t } from '../i18n/t';
import { formatNumber } from '../store/catalog-view';
import { useAppStore } from '../store/store-context';

/** Tags shown before "Show all N tags", unless the screen says otherwise. */
const TOP_TAGS = 12;

/**
 * Tag chips (toggle buttons with aria-pressed), most used first, with how many plugins of the list
 * carry each. A plugin must carry every selected tag. `top`: how many show before "Show all" (the
 * compact catalogue shows none, to leave the room to the list).
 */
export function TagFilter({ top = TOP_TAGS }: { top?: number }) {
  const tags = useAppStore((s) => s.catalog.tags);
  const counts = useAppStore((s) => s.catalog.tagCounts);
  const selected = useAppStore((s) => s.catalog.view.tags);
  const toggleTag = useAppStore((s) => s.catalog.toggleTag);
  const clearTags = useAppStore((s) => s.catalog.clearTags);
  const [expanded, setExpanded] = useState(false);

  const all = useMemo(() => {
    const known = new Map(tags.map((tag) => [tag.key, tag.tag || tag.key]));
    // Tags of the list that GLPI Network's tag list does not name, and selected tags the list lost.
    for (const key of counts.keys()) if (!known.has(key)) known.set(key, key);
    for (const key of selected) if (!known.has(key)) known.set(key, key);
    return [...known]
      .map(([key, label]) => ({ key, label, count: counts.get(key) ?? 0 }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }, [tags, counts, selected]);

  if (all.length === 0) return null;
  const shown = expanded ? all : all.filter((tag, i) => i < top || selected.includes(tag.key));
  return (
    <fieldset className="chip-group tag-filter">
      <legend className="field-label">{t('catalog.tags.label')}</legend>
      <ul className="chip-group__list">
        {shown.map((tag) => {
          const pressed = selected.includes(tag.key);
          return (
            <li key={tag.key}>
              <button
                type="button"
                className="chip"
                aria-pressed={pressed}
                data-tag={tag.key}
                onClick={() => toggleTag(tag.key)}
              >
                {t('catalog.tags.option', { tag: tag.label, count: formatNumber(tag.count) })}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="chip-group__actions">
        {all.length > top && (
          <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
            {expanded ? t('catalog.tags.fewer') : t('catalog.tags.more', { count: all.length })}
          </button>
        )}
        {selected.length > 0 && (
          <button type="button" className="link-button" onClick={clearTags}>
            {t('catalog.tags.clear')}
          </button>
        )}
      </div>
    </fieldset>
  );
}
