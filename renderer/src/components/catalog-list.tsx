import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';
import { useInstalledIndex } from './catalog-installed';
import { ROW_HEIGHTS } from '../../../shared/view-density';
import { CatalogRow } from './catalog-row';

export interface ListMemory {
  activeKey: string | null;
  scrollOffset: number;
}

interface CatalogListProps {
  /** Where the list was when the details opened: restored when it comes back. */
  memory: ListMemory;
  onOpen: (key: string, memory: ListMemory) => void;
  /** Esc in the list: back to the search box. */
  onEscape: () => void;
  listId: string;
  /**
   * Two-pane mode: the active row is the one the details beside the list show (told here on every
   * move, and first when the list appears); a click selects it, Enter still calls `onOpen`.
   */
  onSelect?: (key: string) => void;
}

/**
 * The plugins as a listbox: one tab stop, arrows (Home/End, Page Up/Down) move the active option
 * (aria-activedescendant), Enter or a click opens the details. Only the visible rows exist in the
 * DOM; every row has the same height.
 */
export function CatalogList({ memory, onOpen, onEscape, listId, onSelect }: CatalogListProps) {
  const results = useAppStore((s) => s.catalog.results);
  // While only the first screen is there, the rows still say how many plugins the list has.
  const previewing = useAppStore((s) => s.catalog.previewing);
  const setSize = useAppStore((s) =>
    s.catalog.previewing ? (s.catalog.status?.pluginCount ?? 0) : s.catalog.results.length,
  );
  const searchesDescriptions = useAppStore((s) => s.catalog.searchesDescriptions);
  const availabilityOf = useAppStore((s) => s.catalog.availabilityOf);
  // One map per installed view: each row reads it instead of searching the instance's plugins.
  const installed = useInstalledIndex();
  const glpiVersion = useAppStore((s) => s.catalog.glpiVersion);
  const includePrereleases = useAppStore((s) => s.catalog.includePrereleases);
  const helpId = useId();
  const rowIdBase = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const view = useAppStore((s) => s.catalog.view);
  const rowHeight = ROW_HEIGHTS[useAppStore((s) => s.ui.view.density)];
  const [activeKey, setActiveKey] = useState<string | null>(memory.activeKey);
  // A new search, filter or sort starts from the top; a new list for the same view (a background
  // refresh) keeps the place.
  const [viewSeen, setViewSeen] = useState(view);
  if (view !== viewSeen) {
    setViewSeen(view);
    setActiveKey(null);
  }

  // The active plugin stays active while it is in the result; otherwise the first one is.
  const found = activeKey === null ? -1 : results.findIndex((p) => p.key === activeKey);
  const activeIndex = found >= 0 ? found : results.length > 0 ? 0 : -1;

  // The active row is always rendered, even scrolled out of view, so aria-activedescendant
  // always names an element.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (activeIndex < 0 || indexes.includes(activeIndex)) return indexes;
      return [...indexes, activeIndex].sort((a, b) => a - b);
    },
    [activeIndex],
  );

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders through its own onChange.
  const virtualizer = useVirtualizer({
    count: results.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
    initialOffset: memory.scrollOffset,
    rangeExtractor,
    // React 19 warns about flushSync inside effects; rows have a fixed height, so no tearing to fear.
    useFlushSync: false,
  });

  const scrolledFor = useRef(view);
  useEffect(() => {
    if (scrolledFor.current === view) return;
    scrolledFor.current = view;
    virtualizer.scrollToOffset(0);
  }, [view, virtualizer]);

  const open = useCallback(
    (key: string, index: number) => {
      setActiveKey(key);
      onOpen(key, { activeKey: key, scrollOffset: virtualizer.scrollOffset ?? index * rowHeight });
    },
    [onOpen, virtualizer, rowHeight],
  );
  const select = useCallback((key: string) => setActiveKey(key), []);

  const activePlugin = results[activeIndex]?.key ?? null;
  useEffect(() => {
    if (onSelect && activePlugin !== null) onSelect(activePlugin);
  }, [onSelect, activePlugin]);

  function moveTo(index: number) {
    const target = results[Math.max(0, Math.min(results.length - 1, index))];
    if (!target) return;
    setActiveKey(target.key);
    virtualizer.scrollToIndex(results.indexOf(target), { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? rowHeight * 6) / rowHeight) - 1);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(activeIndex + 1);
        break;
      case 'ArrowUp':
        moveTo(activeIndex - 1);
        break;
      case 'PageDown':
        moveTo(activeIndex + page);
        break;
      case 'PageUp':
        moveTo(activeIndex - page);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(results.length - 1);
        break;
      case 'Enter': {
        const plugin = results[activeIndex];
        if (!plugin) return;
        open(plugin.key, activeIndex);
        break;
      }
      case 'Escape':
        onEscape();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  const active = results[activeIndex];
  const items = virtualizer.getVirtualItems();
  return (
    <>
      <p id={helpId} className="visually-hidden">
        {t('catalog.list.help')}
      </p>
      <div
        ref={listRef}
        id={listId}
        className="catalog-list box scroll-box"
        role="listbox"
        tabIndex={0}
        aria-label={t('catalog.list.label')}
        aria-describedby={helpId}
        aria-activedescendant={active ? `${rowIdBase}-${activeIndex}` : undefined}
        aria-busy={previewing || undefined}
        data-search={searchesDescriptions ? 'descriptions' : 'names'}
        data-testid="catalog-list"
        onKeyDown={onKeyDown}
      >
        <div role="none" className="catalog-list__inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const plugin = results[item.index];
            if (!plugin) return null;
            return (
              <CatalogRow
                key={plugin.key}
                id={`${rowIdBase}-${item.index}`}
                plugin={plugin}
                availability={availabilityOf(plugin)}
                installed={installed.get(plugin.key.toLowerCase())}
                glpiVersion={glpiVersion}
                includePrereleases={includePrereleases}
                index={item.index}
                setSize={setSize}
                start={item.start}
                height={rowHeight}
                active={item.index === activeIndex}
                onOpen={onSelect ? select : open}
              />
            );
          })}
        </div>
      </div>
    </>
  );
}
