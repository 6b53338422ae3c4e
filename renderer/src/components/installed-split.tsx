import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { InstalledPlugin, InstanceSummary } from '../../../shared/instances';
import { t } from '../i18n/t';
import { pluginProblems } from './installed-actions';
import { InstalledDetails } from './installed-details';

/**
 * The Installed screen in two panes (`data-testid="installed-split"`), as the catalogue's: the
 * plugins in a listbox named "Plugins installed in <name>" (`installed-list`, one option
 * `installed-item` per folder with `data-key`, `data-location`, `data-update` and aria-selected),
 * and the selected one's details beside it (components/installed-details.tsx).
 *
 * Keyboard: arrows, Home and End move the selection, and the details follow without taking the
 * focus; a click selects; Enter moves the focus to the details' heading; Escape there (outside a
 * dialog) brings it back to the list.
 */
export function InstalledSplit({
  plugins,
  instance,
  onRemove,
}: {
  plugins: InstalledPlugin[];
  instance: InstanceSummary;
  onRemove: (key: string) => void;
}) {
  const [selectedPath, setSelectedPath] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const listId = useId();
  const hintId = useId();
  // The first plugin until one is chosen, and again when the chosen one is gone (removed).
  const index = Math.max(
    0,
    plugins.findIndex((p) => p.path === selectedPath),
  );
  const selected = plugins[index];
  const optionId = (i: number) => `${listId}-${i}`;

  useEffect(() => {
    // jsdom has no scrollIntoView; browsers do.
    const option = document.getElementById(`${listId}-${index}`);
    if (option && 'scrollIntoView' in option) option.scrollIntoView({ block: 'nearest' });
  }, [listId, index]);

  function onListKey(e: KeyboardEvent<HTMLUListElement>) {
    const last = plugins.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(index + 1, last),
      ArrowUp: Math.max(index - 1, 0),
      Home: 0,
      End: last,
    };
    if (e.key === 'Enter') {
      e.preventDefault();
      setFocusRequest((n) => n + 1);
    } else if (e.key in moves) {
      e.preventDefault();
      setSelectedPath(plugins[moves[e.key]!]!.path);
    }
  }

  function onDetailsKey(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('[aria-modal="true"]')) return;
    e.preventDefault();
    listRef.current?.focus();
  }

  if (!selected) return null;
  return (
    <div className="installed-split" data-testid="installed-split">
      <div className="installed-split__list">
        <p id={hintId} className="visually-hidden">
          {t('installed.split.hint')}
        </p>
        <ul
          ref={listRef}
          className="installed-list box scroll-box"
          role="listbox"
          aria-label={t('installed.table.caption', { name: instance.name })}
          aria-describedby={hintId}
          aria-activedescendant={optionId(index)}
          tabIndex={0}
          onKeyDown={onListKey}
          data-testid="installed-list"
        >
          {plugins.map((plugin, i) => (
            <InstalledItem
              key={plugin.path}
              id={optionId(i)}
              plugin={plugin}
              selected={i === index}
              onSelect={() => setSelectedPath(plugin.path)}
            />
          ))}
        </ul>
      </div>
      {/* Escape inside the details (from any of its controls) returns to the list. */}
      <div className="installed-split__details" onKeyDown={onDetailsKey}>
        <InstalledDetails
          key={selected.path}
          plugin={selected}
          instance={instance}
          focusRequest={focusRequest}
          onRemove={onRemove}
        />
      </div>
    </div>
  );
}

function InstalledItem({
  id,
  plugin,
  selected,
  onSelect,
}: {
  id: string;
  plugin: InstalledPlugin;
  selected: boolean;
  onSelect: () => void;
}) {
  const problems = pluginProblems(plugin).length;
  return (
    // The listbox takes the keys (aria-activedescendant); a click on an option selects it.
    <li
      id={id}
      role="option"
      aria-selected={selected}
      className={selected ? 'installed-item installed-item--selected' : 'installed-item'}
      onClick={onSelect}
      data-testid="installed-item"
      data-key={plugin.key}
      data-location={plugin.location}
      data-update={plugin.update ?? ''}
    >
      <span className="installed-item__title">
        <span className="plugin-row__name">{plugin.name ?? plugin.key}</span> <code>{plugin.key}</code>
      </span>
      <span className="installed-item__meta">
        <span>{plugin.version ?? t('installed.versionUnknown')}</span>
        <span>{t(`installed.location.${plugin.location}`)}/</span>
        {plugin.update !== null && (
          <span className="installed-badge installed-badge--update">
            {t('installed.item.update', { version: plugin.update })}
          </span>
        )}
        {problems > 0 && <span className="plugin-flag">{t('installed.item.problems', { count: problems })}</span>}
      </span>
    </li>
  );
}
