/**
 * The Catalogue screen: GLPI Network's plugin list for the target GLPI version, searched, filtered
 * and sorted on every keystroke, and one plugin's details.
 *
 * Stable hooks for e2e tests (keep them when restyling):
 * - `data-testid="catalog-list"` — the listbox (role="listbox", name "Plugins"); only visible rows exist.
 *   `aria-busy="true"` while only the first screen is there (the rest of the list is on its way);
 *   `data-search="names|descriptions"`: whether search reads the descriptions yet (their text comes
 *   after the list).
 * - The first screen: the most downloaded plugins, shown before the whole list when the view opens
 *   in that order (no search, tag or filter; relevance or popular); the count is the whole list's.
 * - `data-testid="catalog-row"` — one option per plugin, `data-key="<plugin key>"`,
 *   `data-availability="included|needs-tier|incompatible|not-running|no-key"` and, when the plugin
 *   is installed in the active GLPI instance, `data-installed="<version>"` ("" when unknown).
 * - `data-testid="catalog-installed"` — the installed badge (rows and details): `data-state="installed|update"`,
 *   `data-version`, `data-update`; text "Installed 1.2.0" or "Update 1.2.0 → 1.3.0".
 * - `data-testid="tier-badge"` — `data-tier="<offer reference>"` or `free` (rows and details).
 * - `data-testid="catalog-count"` — "123 plugins" (role="status").
 * - `data-testid="catalog-search"` — the search field.
 * - `data-testid="catalog-status"` — `data-offline="true|false"`; text "Updated N minutes ago".
 *   Inside: `catalog-refresh` (button), `catalog-offline` (`data-cause`), `catalog-incomplete`,
 *   `catalog-skipped` (a <details> listing the records), `catalog-action-error`.
 * - `data-testid="catalog-blocked"` — `data-reason="no-key|invalid-key"`, with a link to the Key screen.
 * - `data-testid="catalog-glpi-version"` — "For GLPI 10.0.18"; `catalog-glpi-stale`, `catalog-version-error`.
 * - `data-testid="catalog-empty"` — no result; `catalog-no-installs` — the honest note of Installed/Updates;
 *   `catalog-load-error` (`data-code`) — the first read failed.
 * - `data-testid="plugin-details"` — `data-key`; inside `details-back`, `details-availability`
 *   (`data-availability`), `details-links`, `details-tags`, `version-table` with `version-row`
 *   (`data-version`, `data-fits`, `data-latest`), `prereleases-hidden`, and
 *   `data-testid="plugin-description"` (the rendered Markdown; its code loads on first use, so wait
 *   for it).
 * - Installing from the details: `catalog-install-panel` with `catalog-install-where` (instance,
 *   GLPI version, `catalog-installed` or `catalog-not-installed`), the button `catalog-install`
 *   (`data-version`: the latest compatible version; disabled with its reason in
 *   `catalog-install-reason`, also its description and title), `catalog-picker-reason` (why other
 *   versions cannot be installed, when that differs), `job-status` (`data-state="running|done|failed|cancelled"`:
 *   step and progress bar, then the report and the next step in GLPI). With an instance, the version
 *   rows also carry `data-installed` (marker `version-installed`) and either `version-install`
 *   ("Install this version"/"Reinstall this version", named with the version) or
 *   `version-incompatible` (the GLPI versions it needs). An older version than the installed one
 *   asks first (alertdialog "Go back to <name> <version>?").
 *
 * Accessible names: field "Search plugins"; groups "Tags" and "Filters" of toggle buttons
 * (aria-pressed) "Installed", "Updates", "Available to me", "Premium", "Not compatible" and one
 * per tag "<tag> (<count>)"; select "Sort by"; listbox "Plugins"; buttons "Refresh",
 * "Change GLPI version", "Apply", "Cancel", "Back to the list", "Clear search and filters";
 * field "Target GLPI version"; checkbox "Show pre-release versions"; in the details "Install <v>",
 * "Update to <v>", "Reinstall <v>" or "Go back to <v>", and per version "Install this version <v>".
 *
 * Keyboard: `/` or Ctrl+F focuses the search from anywhere on the screen (from the details too);
 * Esc in the search clears it (then leaves it); ArrowDown goes to the list; arrows/Home/End/Page
 * keys move the active row (aria-activedescendant); Enter or a click opens the details; Esc goes
 * back to the list (same row, same scroll position, focus on the list); Esc in the list goes back
 * to the search. A new search, filter or sort starts the list from the top.
 *
 * View (components/view-options.tsx, group "View"): "Compact rows" (52 px rows, tags behind "Show
 * all") and "Details beside the list" (`catalog-split`): the details of the active row show beside
 * the list and follow the arrows without taking the focus; a click selects; Enter moves the focus
 * to the details' heading; Esc there returns it to the list (the details stay). No Back button.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { CatalogFilters } from '../components/catalog-filters';
import { CatalogList, type ListMemory } from '../components/catalog-list';
import { CatalogSearch } from '../components/catalog-search';
import { CatalogBlocked, CatalogStatusLine } from '../components/catalog-status';
import { GlpiVersionForm } from '../components/glpi-version-form';
import { PluginDetails } from '../components/plugin-details';
import { PrereleaseToggle } from '../components/prerelease-toggle';
import { Spinner } from '../components/spinner';
import { TagFilter } from '../components/tag-filter';
import { ViewOptions } from '../components/view-options';
import { t } from '../i18n/t';
import { formatNumber } from '../store/catalog-view';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../store/store-context';
import './catalog-screen.css';

type FocusTarget = 'search' | 'list' | null;

/** Keys typed into a field are text, not shortcuts. */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
}

export function CatalogScreen() {
  const store = useAppStoreApi();
  const openKey = useAppStore((s) => s.catalog.openKey);
  const open = useAppStore((s) => s.catalog.open);
  const close = useAppStore((s) => s.catalog.close);
  const { twoPane, density } = useAppStore((s) => s.ui.view);
  const [detailsFocus, setDetailsFocus] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const [memory, setMemory] = useState<ListMemory>({ activeKey: null, scrollOffset: 0 });
  const [focus, setFocus] = useState<{ target: FocusTarget; n: number }>({ target: null, n: 0 });
  const listId = useId();

  useEffect(() => {
    if (store.getState().catalog.load.status === 'idle') void store.getState().catalog.hydrate();
    // Installed versions and updates show on the rows and in the details.
    if (store.getState().installed.loadState.status === 'idle') void store.getState().installed.load();
  }, [store]);

  useEffect(() => {
    if (focus.target === 'search') searchRef.current?.focus();
  }, [focus]);

  const focusSearch = useCallback(() => setFocus((f) => ({ target: 'search', n: f.n + 1 })), []);
  const focusList = useCallback(() => setFocus((f) => ({ target: 'list', n: f.n + 1 })), []);
  const back = useCallback(() => {
    close();
    setFocus((f) => ({ target: 'list', n: f.n + 1 }));
  }, [close]);

  // The desktop menu's Search (app.command): the same as Ctrl+F, once per request (also one made
  // just before this screen was shown).
  useEffect(() => {
    const take = () => {
      if (!store.getState().ui.searchRequested || !store.getState().ui.takeSearchRequest()) return;
      if (store.getState().catalog.openKey !== null) close();
      focusSearch();
      searchRef.current?.select();
    };
    const pending = setTimeout(take, 0);
    const off = store.subscribe(take);
    return () => {
      clearTimeout(pending);
      off();
    };
  }, [store, close, focusSearch]);

  // Screen-wide keys: `/` and Ctrl+F to search, Esc to leave the details.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.altKey || document.querySelector('[aria-modal="true"]')) return;
      const find =
        (e.key === '/' && !e.ctrlKey && !e.metaKey && !isEditable(e.target)) ||
        ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'f');
      const pane = store.getState().ui.view.twoPane;
      if (find) {
        e.preventDefault();
        if (!pane && store.getState().catalog.openKey !== null) close();
        focusSearch();
        searchRef.current?.select();
      } else if (e.key === 'Escape' && store.getState().catalog.openKey !== null) {
        e.preventDefault();
        // Beside the list the details stay: Esc only takes the focus back to the list.
        if (pane) focusList();
        else back();
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store, close, back, focusSearch, focusList]);

  const onOpen = useCallback(
    (key: string, where: ListMemory) => {
      setMemory(where);
      open(key);
      // Beside the list, Enter moves the focus into the details the selection already shows.
      if (store.getState().ui.view.twoPane) setDetailsFocus((n) => n + 1);
    },
    [open, store],
  );

  const header = (
    <>
      <div className="catalog-context">
        <GlpiVersionForm />
        <PrereleaseToggle />
        <ViewOptions pane="twoPane" />
      </div>
      <CatalogStatusLine />
      <CatalogBlocked />
      <div className="catalog-toolbar" role="search">
        <CatalogSearch inputRef={searchRef} listId={listId} onArrowDown={focusList} />
        <TagFilter top={density === 'compact' ? 0 : undefined} />
        <CatalogFilters />
      </div>
    </>
  );
  const body = (
    <CatalogBody
      key={density}
      listId={listId}
      memory={memory}
      focusList={focus.target === 'list' ? focus.n : 0}
      onOpen={onOpen}
      onSelect={twoPane ? open : undefined}
      onEscape={focusSearch}
    />
  );

  return (
    <div className="catalog-screen">
      <h1 className="screen-title">{t('catalog.title')}</h1>
      {twoPane ? (
        <>
          {header}
          <div className="catalog-split" data-testid="catalog-split">
            <div className="catalog-split__list">{body}</div>
            <div className="catalog-split__details">
              {openKey !== null ? (
                <PluginDetails pluginKey={openKey} onBack={focusList} focusRequest={detailsFocus} />
              ) : (
                <p className="help">{t('catalog.split.empty')}</p>
              )}
            </div>
          </div>
        </>
      ) : openKey !== null ? (
        <PluginDetails pluginKey={openKey} onBack={back} />
      ) : (
        <>
          {header}
          {body}
        </>
      )}
    </div>
  );
}

interface CatalogBodyProps {
  listId: string;
  memory: ListMemory;
  /** Changes each time the list should take focus (0: never). */
  focusList: number;
  onOpen: (key: string, memory: ListMemory) => void;
  /** Two-pane mode: the list's selection, shown beside it. */
  onSelect?: (key: string) => void;
  onEscape: () => void;
}

/** The count and the list, or why there is none. */
function CatalogBody({ listId, memory, focusList, onOpen, onSelect, onEscape }: CatalogBodyProps) {
  const { load, count, total, blocked, filters, hasQuery } = useAppStoreShallow((s) => ({
    load: s.catalog.load,
    // The first screen alone stands for the whole list until it arrives.
    count: s.catalog.previewing ? (s.catalog.status?.pluginCount ?? 0) : s.catalog.results.length,
    total: s.catalog.previewing ? s.catalog.results.length : s.catalog.plugins.length,
    blocked: s.catalog.status?.blocked ?? null,
    filters: s.catalog.view.filters,
    hasQuery: s.catalog.view.text !== '' || s.catalog.view.tags.length > 0 || s.catalog.view.filters.length > 0,
  }));
  const installed = useAppStore((s) => s.catalog.installed.size);
  const hydrate = useAppStore((s) => s.catalog.hydrate);
  const clearQuery = useAppStore((s) => s.catalog.clearQuery);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (focusList > 0) listRef.current?.querySelector<HTMLElement>('[role="listbox"]')?.focus();
  }, [focusList]);

  // Idle: the first render, before the effect that starts reading.
  if ((load.status === 'loading' || load.status === 'idle') && total === 0) {
    return (
      <p className="catalog-loading" role="status">
        <Spinner /> {t('catalog.loading')}
      </p>
    );
  }
  if (load.status === 'error' && total === 0) {
    return (
      <div className="notice notice--error" role="alert" data-testid="catalog-load-error" data-code={load.error.code}>
        <p>{t('catalog.loadFailed')}</p>
        <p>{load.error.message}</p>
        {load.error.fix && <p>{t('key.error.fix', { fix: load.error.fix })}</p>}
        <button type="button" className="button" onClick={() => void hydrate()}>
          {t('app.retry')}
        </button>
      </div>
    );
  }

  // Without a key there is no list to count: the blocked notice says why.
  if (blocked && total === 0) return null;
  const noInstalls = installed === 0 && filters.some((f) => f === 'installed' || f === 'updates');
  return (
    <div ref={listRef} className="catalog-body">
      <p className="catalog-count" role="status" aria-live="polite" aria-atomic="true" data-testid="catalog-count">
        {t('catalog.count', { count, formatted: formatNumber(count) })}
      </p>
      {count === 0 && (
        <div className="catalog-empty" data-testid="catalog-empty">
          <p>
            {noInstalls
              ? t('catalog.empty.noInstalls')
              : total === 0
                ? t('catalog.empty.noList')
                : t('catalog.empty.noMatch')}
          </p>
          {hasQuery && (
            <button type="button" className="button" onClick={clearQuery}>
              {t('catalog.empty.clear')}
            </button>
          )}
        </div>
      )}
      {count > 0 && (
        <CatalogList listId={listId} memory={memory} onOpen={onOpen} onSelect={onSelect} onEscape={onEscape} />
      )}
    </div>
  );
}
