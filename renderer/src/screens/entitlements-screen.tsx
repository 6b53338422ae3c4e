/**
 * The Entitlements screen: every plugin against every GLPI Network offer, the admin's own tier
 * highlighted, what the next tier would add, and the subscription period. Filtered by the same
 * search text and tags as the Catalogue (the view is shared and saved the same way).
 *
 * Stable hooks for e2e tests (keep them when restyling):
 * - `data-testid="entitlement-map"` — the table (`aria-rowcount` = plugins shown + header); only the
 *   visible rows exist, each `data-testid="entitlement-row"` with `data-key`; cells
 *   `data-testid="entitlement-cell"` with `data-offer` and `data-included="true|false"`.
 * - `data-testid="tier-column"` — one header cell per offer in `/offers` order, `data-offer="<reference>"`,
 *   `data-current="true|false"`; its text is the offer title and "N plugins".
 * - `data-testid="next-tier-adds"` — the "What <next tier> adds" panel, `data-offer` of that tier;
 *   items `data-key`.
 * - `data-testid="entitlement-subscription"` — the current tier and period; `entitlement-days-left`
 *   (`data-soon="true"` under 30 days).
 * - `data-testid="entitlement-export"` — the "Export CSV" button (downloads marketdesk-entitlements.csv).
 * - `data-testid="entitlement-count"` — "N plugins shown".
 * - The catalogue's `catalog-status`, `catalog-blocked` and `catalog-search` hooks appear here too.
 *
 * Accessible names: field "Search plugins"; group "Tags"; button "Export CSV" (described by what
 * it saves); table captioned "Plugins by GLPI Network offer"; the current tier's header reads
 * "<title> (your tier)"; cells read "Included" / "Not included".
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef } from 'react';
import type { CatalogListItem } from '../../../shared/catalog';
import { queryCatalog } from '../../../shared/catalog-query';
import { entitlementCsv, entitlementMap, unlockedBy, type TierEntitlement } from '../../../shared/entitlements';
import type { Offer } from '../../../shared/model';
import { CatalogSearch } from '../components/catalog-search';
import { CatalogBlocked, CatalogStatusLine } from '../components/catalog-status';
import { Period } from '../components/key-details';
import { saveFile } from '../components/save-file';
import { TagFilter } from '../components/tag-filter';
import { useNow } from '../components/use-now';
import { t } from '../i18n/t';
import { tierName, formatNumber } from '../store/catalog-view';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../store/store-context';
import './entitlements-screen.css';

export const CSV_FILE_NAME = 'marketdesk-entitlements.csv';
export { REVOKE_DELAY_MS } from '../components/save-file';
const ROW_HEIGHT = 44;
/** Names listed in the next-tier panel before "and N more". */
const NEXT_TIER_LISTED = 100;

export function EntitlementsScreen() {
  const store = useAppStoreApi();
  const now = useNow();
  const searchRef = useRef<HTMLInputElement>(null);
  const tableId = useId();
  const glpiVersion = useAppStore((s) => s.catalog.glpiVersion);

  useEffect(() => {
    if (store.getState().catalog.load.status === 'idle') void store.getState().catalog.hydrate();
  }, [store]);

  return (
    <div className="entitlements-screen">
      <h1 className="screen-title">{t('entitlements.title')}</h1>
      <p>{t('entitlements.intro', { version: glpiVersion || '—' })}</p>
      <SubscriptionSummary now={now} />
      <CatalogStatusLine />
      <CatalogBlocked />
      <div className="catalog-toolbar" role="search">
        <CatalogSearch
          inputRef={searchRef}
          listId={tableId}
          onArrowDown={() => document.getElementById(tableId)?.focus()}
        />
        <TagFilter />
      </div>
      <EntitlementBody tableId={tableId} />
    </div>
  );
}

function SubscriptionSummary({ now }: { now: Date }) {
  const subscription = useAppStore((s) => s.key.status?.subscription ?? null);
  const offers = useAppStore((s) => s.catalog.offers);
  if (!subscription) {
    return (
      <p className="entitlement-subscription box" data-testid="entitlement-subscription">
        {t('entitlements.noSubscription')}
      </p>
    );
  }
  const offer = offers.find((o) => o.reference === subscription.offer) ?? {
    reference: subscription.offer,
    title: subscription.title,
  };
  const tier = tierName(offer);
  return (
    <div className="entitlement-subscription box" data-testid="entitlement-subscription">
      <p>
        <strong>
          {subscription.running ? t('entitlements.current', { tier }) : t('entitlements.currentNotRunning', { tier })}
        </strong>
      </p>
      {(subscription.begins ?? subscription.ends) && (
        <p>
          {t('entitlements.period')}{' '}
          <Period
            begins={subscription.begins}
            ends={subscription.ends}
            now={now}
            daysLeftTestId="entitlement-days-left"
          />
        </p>
      )}
    </div>
  );
}

/** The filtered plugins, the map over them, the next-tier panel, the export and the table. */
function EntitlementBody({ tableId }: { tableId: string }) {
  const { index, offers, text, tags, availabilityOf, installed, updates, byKey, load } = useAppStoreShallow((s) => ({
    index: s.catalog.index,
    offers: s.catalog.offers,
    text: s.catalog.view.text,
    tags: s.catalog.view.tags,
    availabilityOf: s.catalog.availabilityOf,
    installed: s.catalog.installed,
    updates: s.catalog.updates,
    byKey: s.catalog.byKey,
    load: s.catalog.load.status,
  }));
  const currentOffer = useAppStore((s) => s.key.status?.subscription?.offer ?? null);
  const exportHelpId = useId();

  // Same query as the catalogue, without its filters: the map is about what each tier grants.
  const plugins = useMemo(
    () =>
      index
        ? queryCatalog(
            index,
            { text, tags, filters: [], sort: text.trim() ? 'relevance' : 'name-asc' },
            { availability: availabilityOf, installed, updates },
          )
        : [],
    [index, text, tags, availabilityOf, installed, updates],
  );
  const map = useMemo(() => entitlementMap(plugins, offers, currentOffer), [plugins, offers, currentOffer]);

  if (load !== 'ready' && plugins.length === 0) return null;
  if (offers.length === 0) {
    return <p className="notice">{t('entitlements.noOffers')}</p>;
  }

  function exportCsv() {
    saveFile(CSV_FILE_NAME, entitlementCsv(plugins, offers), 'text/csv');
  }

  return (
    <>
      <NextTier map={map} byKey={byKey} />
      <div className="entitlement-actions">
        <p className="catalog-count" role="status" aria-live="polite" data-testid="entitlement-count">
          {t('entitlements.shown', { count: plugins.length, formatted: formatNumber(plugins.length) })}
        </p>
        <button
          type="button"
          className="button"
          onClick={exportCsv}
          aria-describedby={exportHelpId}
          data-testid="entitlement-export"
        >
          {t('entitlements.export')}
        </button>
        <p id={exportHelpId} className="help">
          {t('entitlements.export.help', { count: formatNumber(plugins.length) })}
        </p>
      </div>
      {plugins.length === 0 ? (
        <p data-testid="entitlement-empty">{t('entitlements.empty')}</p>
      ) : (
        <EntitlementTable id={tableId} plugins={plugins} tiers={map.tiers} />
      )}
    </>
  );
}

function NextTier({
  map,
  byKey,
}: {
  map: ReturnType<typeof entitlementMap>;
  byKey: ReadonlyMap<string, CatalogListItem>;
}) {
  const titleId = useId();
  const next = map.nextTier;
  if (!next) {
    return (
      <section className="next-tier" data-testid="next-tier-adds" data-offer="">
        <p>{t('entitlements.next.top')}</p>
      </section>
    );
  }
  const tier = tierName(next);
  const adds = map.nextTierAdds;
  const listed = adds.slice(0, NEXT_TIER_LISTED);
  return (
    <section className="next-tier" aria-labelledby={titleId} data-testid="next-tier-adds" data-offer={next.reference}>
      <h2 id={titleId} className="next-tier__title">
        {t('entitlements.next.title', { tier })}
      </h2>
      {adds.length === 0 ? (
        <p>{t('entitlements.next.empty', { tier })}</p>
      ) : (
        <>
          <p>{t('entitlements.next.count', { count: adds.length })}</p>
          <ul className="next-tier__list">
            {listed.map((key) => (
              <li key={key} data-key={key}>
                {byKey.get(key)?.name ?? key} <code>{key}</code>
              </li>
            ))}
          </ul>
          {adds.length > listed.length && (
            <p className="help">{t('entitlements.next.more', { count: adds.length - listed.length })}</p>
          )}
        </>
      )}
    </section>
  );
}

/**
 * Plugins × offers as a real table (row and column headers), virtualized: only the rows in view
 * exist, between two spacer rows that keep the scroll height; aria-rowcount/rowindex tell
 * assistive technologies the full size.
 */
function EntitlementTable({
  id,
  plugins,
  tiers,
}: {
  id: string;
  plugins: CatalogListItem[];
  tiers: TierEntitlement[];
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const captionId = useId();
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders through its own onChange.
  const virtualizer = useVirtualizer({
    count: plugins.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // React 19 warns about flushSync inside effects; rows have a fixed height, so no tearing to fear.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const offers: Offer[] = tiers.map((tier) => tier.offer);
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <div
      ref={scrollRef}
      id={id}
      className="entitlement-scroll scroll-box"
      tabIndex={0}
      role="region"
      aria-labelledby={captionId}
    >
      <table className="data-table entitlement-map" data-testid="entitlement-map" aria-rowcount={plugins.length + 1}>
        <caption id={captionId} className="visually-hidden">
          {t('entitlements.caption')}
        </caption>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{t('entitlements.col.plugin')}</th>
            {tiers.map((tier) => (
              <th
                key={tier.offer.reference}
                scope="col"
                className={tier.current ? 'tier-col tier-col--current' : 'tier-col'}
                data-testid="tier-column"
                data-offer={tier.offer.reference}
                data-current={tier.current}
              >
                <span className="tier-col__title">
                  {tierName(tier.offer)}
                  {tier.current && ` ${t('entitlements.col.current')}`}
                </span>
                <span className="tier-col__count">
                  <span className="visually-hidden">, </span>
                  {t('entitlements.col.count', { count: tier.count })}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {before > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={offers.length + 1} style={{ height: before }} />
            </tr>
          )}
          {items.map((item) => {
            const plugin = plugins[item.index];
            if (!plugin) return null;
            return (
              <tr key={plugin.key} aria-rowindex={item.index + 2} data-testid="entitlement-row" data-key={plugin.key}>
                <th scope="row">
                  <span className="entitlement-map__name">{plugin.name}</span> <code>{plugin.key}</code>
                </th>
                {tiers.map((tier) => {
                  const included = unlockedBy(plugin, tier.offer.reference);
                  return (
                    <td
                      key={tier.offer.reference}
                      className={`${tier.current ? 'tier-cell tier-cell--current' : 'tier-cell'} ${included ? 'tier-cell--yes' : 'tier-cell--no'}`}
                      data-testid="entitlement-cell"
                      data-offer={tier.offer.reference}
                      data-included={included}
                    >
                      <span aria-hidden="true">{included ? '✓' : '—'}</span>
                      <span className="visually-hidden">
                        {included ? t('entitlements.cell.yes') : t('entitlements.cell.no')}
                      </span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {after > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={offers.length + 1} style={{ height: after }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
