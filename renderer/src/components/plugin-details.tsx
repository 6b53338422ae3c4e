import { lazy, Suspense, useEffect, useId, useRef, type Ref } from 'react';
import type { CatalogListItem, CatalogPlugin } from '../../../shared/catalog';
import { formatDate } from '../i18n/format';
import { t, type MessageKey } from '../i18n/t';
import { availabilityText, formatNumber, httpsUrl, longDescription, webUrl } from '../store/catalog-view';
import type { PluginDetailsState } from '../store/catalog-slice';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../store/store-context';
import { CatalogInstallPanel, useCatalogInstall } from './catalog-install';
import { PluginLogo } from './plugin-logo';
import { PrereleaseToggle } from './prerelease-toggle';
import { StarRating } from './star-rating';
import { TierBadge } from './tier-badge';
import { VersionTable } from './version-table';

// The Markdown renderer is the biggest dependency and only the details need it: its own chunk.
const SafeMarkdown = lazy(() => import('./safe-markdown').then((m) => ({ default: m.SafeMarkdown })));

interface PluginDetailsProps {
  pluginKey: string;
  onBack: () => void;
  /**
   * Beside the list (two-pane mode): no Back button, and the heading takes focus only when this
   * number changes (Enter in the list), not on every move of the list's selection.
   */
  focusRequest?: number;
}

/**
 * One plugin: what it is, who makes it, what it needs, every version, and its description. The
 * heading takes focus when it opens; Esc (handled by the screen) or Back returns to the list.
 * What the list has shows at once; the full record (licence, links, screenshots, description) is
 * read when the plugin is opened (`catalog.details`) and kept for the list it belongs to.
 */
export function PluginDetails({ pluginKey, onBack, focusRequest }: PluginDetailsProps) {
  const plugin = useAppStore((s) => s.catalog.byKey.get(pluginKey) ?? null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const pane = focusRequest !== undefined;

  useEffect(() => {
    if (!pane) headingRef.current?.focus();
  }, [pluginKey, pane]);
  useEffect(() => {
    if (focusRequest) headingRef.current?.focus();
  }, [focusRequest]);

  return (
    <article
      className={pane ? 'plugin-details plugin-details--pane' : 'plugin-details'}
      data-testid="plugin-details"
      data-key={pluginKey}
      aria-labelledby={headingId}
    >
      {!pane && (
        <p>
          <button type="button" className="button" onClick={onBack} data-testid="details-back">
            <span aria-hidden="true">← </span>
            {t('details.back')}
          </button>
        </p>
      )}
      {plugin ? (
        <DetailsBody key={plugin.key} plugin={plugin} headingRef={headingRef} headingId={headingId} pane={pane} />
      ) : (
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="plugin-details__title">
          {t('details.notFound')}
        </h2>
      )}
    </article>
  );
}

const LINKS: { field: 'homepageUrl' | 'issuesUrl' | 'readmeUrl' | 'changelogUrl'; label: MessageKey }[] = [
  { field: 'homepageUrl', label: 'details.link.homepage' },
  { field: 'issuesUrl', label: 'details.link.issues' },
  { field: 'readmeUrl', label: 'details.link.readme' },
  { field: 'changelogUrl', label: 'details.link.changelog' },
];

/** The full record of `key`, read the first time a component asks for it (again after a new list). */
function usePluginDetails(key: string): PluginDetailsState | undefined {
  const store = useAppStoreApi();
  const state = useAppStore((s) => s.catalog.details.get(key));
  useEffect(() => {
    if (state === undefined) void store.getState().catalog.loadDetails(key);
  }, [store, key, state]);
  return state;
}

function DetailsBody({
  plugin,
  headingRef,
  headingId,
  pane,
}: {
  plugin: CatalogListItem;
  headingRef: Ref<HTMLHeadingElement>;
  headingId: string;
  /** Beside the list, whose header already has the pre-release toggle. */
  pane: boolean;
}) {
  const { availability, glpiVersion, includePrereleases } = useAppStoreShallow((s) => ({
    availability: s.catalog.availabilityOf(plugin),
    glpiVersion: s.catalog.glpiVersion,
    includePrereleases: s.catalog.includePrereleases,
  }));
  const install = useCatalogInstall(plugin);
  const sectionId = useId();
  const details = usePluginDetails(plugin.key);
  const full = details?.status === 'ready' ? details.plugin : null;
  const screenshots = (full?.screenshots ?? [])
    .map((url) => httpsUrl(url))
    .filter((url): url is string => url !== null);

  return (
    <>
      <header className="plugin-details__header">
        <PluginLogo name={plugin.name} pluginKey={plugin.key} url={plugin.logoUrl} large />
        <div>
          <h2 id={headingId} ref={headingRef} tabIndex={-1} className="plugin-details__title">
            {plugin.name}
          </h2>
          <p className="plugin-details__key">
            <span className="visually-hidden">{t('details.key')}: </span>
            <code>{plugin.key}</code>
          </p>
        </div>
      </header>

      <section className="plugin-details__availability" aria-labelledby={`${sectionId}-availability`}>
        <h3 id={`${sectionId}-availability`}>{t('details.availability')}</h3>
        <AvailabilityLine plugin={plugin} />
      </section>

      <CatalogInstallPanel plugin={plugin} install={install} />

      <PluginFacts plugin={plugin} full={full} />

      {full && <Links plugin={full} headingId={`${sectionId}-links`} />}

      {screenshots.length > 0 && (
        <section aria-labelledby={`${sectionId}-screens`}>
          <h3 id={`${sectionId}-screens`}>{t('details.screenshots')}</h3>
          <ul className="screenshots">
            {screenshots.map((url, i) => (
              <li key={url}>
                <img
                  src={url}
                  alt={t('details.screenshot', { n: i + 1, name: plugin.name })}
                  loading="lazy"
                  decoding="async"
                  referrerPolicy="no-referrer"
                />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby={`${sectionId}-versions`}>
        <h3 id={`${sectionId}-versions`}>{t('details.versions')}</h3>
        <VersionTable
          plugin={plugin}
          glpiVersion={glpiVersion}
          includePrereleases={includePrereleases}
          latest={availability.latest}
          install={install}
        />
        {!pane && <PrereleaseToggle />}
      </section>

      <PluginDescription pluginKey={plugin.key} state={details} headingId={`${sectionId}-description`} />
    </>
  );
}

/** The tier it needs and whether this key may install it, for the target GLPI version. */
function AvailabilityLine({ plugin }: { plugin: CatalogListItem }) {
  const { availability, glpiVersion, includePrereleases } = useAppStoreShallow((s) => ({
    availability: s.catalog.availabilityOf(plugin),
    glpiVersion: s.catalog.glpiVersion,
    includePrereleases: s.catalog.includePrereleases,
  }));
  return (
    <p
      className="plugin-details__availability-line"
      data-testid="details-availability"
      data-availability={availability.kind}
    >
      <TierBadge offer={availability.tier} />{' '}
      <span className={`availability availability--${availability.kind}`}>
        {availabilityText(availability, plugin, glpiVersion, includePrereleases)}
      </span>
    </p>
  );
}

/** Authors, licence (once the full record is read), rating, downloads, dates and tags. */
function PluginFacts({ plugin, full }: { plugin: CatalogListItem; full: CatalogPlugin | null }) {
  const tags = useAppStore((s) => s.catalog.tags);
  const tagLabels = new Map(tags.map((tag) => [tag.key, tag.tag || tag.key]));
  return (
    <dl className="details">
      <div className="details__row">
        <dt>{t('details.authors')}</dt>
        <dd>{plugin.authors.length > 0 ? plugin.authors.join(', ') : t('details.unknown')}</dd>
      </div>
      {full && (
        <div className="details__row">
          <dt>{t('details.license')}</dt>
          <dd>{full.license || t('details.unknown')}</dd>
        </div>
      )}
      <div className="details__row">
        <dt>{t('details.rating')}</dt>
        <dd>
          <StarRating note={plugin.note} />
        </dd>
      </div>
      <div className="details__row">
        <dt>{t('details.downloads')}</dt>
        <dd>{formatNumber(plugin.downloads)}</dd>
      </div>
      {plugin.dateAdded && (
        <div className="details__row">
          <dt>{t('details.added')}</dt>
          <dd>{formatDate(plugin.dateAdded)}</dd>
        </div>
      )}
      {plugin.dateUpdated && (
        <div className="details__row">
          <dt>{t('details.updated')}</dt>
          <dd>{formatDate(plugin.dateUpdated)}</dd>
        </div>
      )}
      {plugin.tags.length > 0 && (
        <div className="details__row">
          <dt>{t('details.tags')}</dt>
          <dd>
            <ul className="tag-list" data-testid="details-tags">
              {plugin.tags.map((tag) => (
                <li key={tag} className="tag">
                  {tagLabels.get(tag) ?? tag}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
    </dl>
  );
}

/**
 * The long description in the interface's language, rendered as safe Markdown, once the full record
 * is read (`details-loading` meanwhile; `details-error` with Retry when the read failed).
 */
function PluginDescription({
  pluginKey,
  state,
  headingId,
}: {
  pluginKey: string;
  state: PluginDetailsState | undefined;
  headingId: string;
}) {
  const language = useAppStore((s) => s.catalog.language);
  const loadDetails = useAppStore((s) => s.catalog.loadDetails);
  let body;
  if (state?.status === 'error') {
    body = (
      <div className="notice notice--error" role="alert" data-testid="details-error" data-code={state.error.code}>
        <p>{t('details.loadFailed', { message: state.error.message })}</p>
        {state.error.fix && <p>{t('key.error.fix', { fix: state.error.fix })}</p>}
        <button type="button" className="button" onClick={() => void loadDetails(pluginKey)}>
          {t('app.retry')}
        </button>
      </div>
    );
  } else if (state?.status !== 'ready') {
    body = (
      <p className="help" role="status" data-testid="details-loading">
        {t('details.loadingDescription')}
      </p>
    );
  } else {
    const description = state.plugin ? longDescription(state.plugin, language) : '';
    body = description ? (
      <Suspense fallback={<p className="help">{t('details.loadingDescription')}</p>}>
        <SafeMarkdown source={description} testId="plugin-description" />
      </Suspense>
    ) : (
      <p data-testid="plugin-description">{t('details.noDescription')}</p>
    );
  }
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('details.description')}</h3>
      {body}
    </section>
  );
}

/**
 * What the catalogue says of an installed plugin (`data-testid="installed-catalogue"`), for the
 * Installed screen's details pane: availability, facts, links and description, without the
 * install panel and versions (the pane's Versions section has those for the instance).
 */
export function CatalogueSummary({ plugin }: { plugin: CatalogListItem }) {
  const sectionId = useId();
  const details = usePluginDetails(plugin.key);
  const full = details?.status === 'ready' ? details.plugin : null;
  return (
    <>
      <section aria-labelledby={`${sectionId}-catalogue`} data-testid="installed-catalogue">
        <h3 id={`${sectionId}-catalogue`}>{t('installed.details.catalogue')}</h3>
        <AvailabilityLine plugin={plugin} />
        <PluginFacts plugin={plugin} full={full} />
      </section>
      {full && <Links plugin={full} headingId={`${sectionId}-links`} />}
      <PluginDescription pluginKey={plugin.key} state={details} headingId={`${sectionId}-description`} />
    </>
  );
}

/** External links open in the browser; anything but http(s) is shown as text, never as a link. */
function Links({ plugin, headingId }: { plugin: CatalogPlugin; headingId: string }) {
  const present = LINKS.filter((l) => plugin[l.field]);
  if (present.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{t('details.links')}</h3>
      <ul className="link-list" data-testid="details-links">
        {present.map(({ field, label }) => {
          const raw = plugin[field] ?? '';
          const url = webUrl(raw);
          return (
            <li key={field}>
              {url ? (
                <a href={url} target="_blank" rel="noopener noreferrer">
                  {t(label)}
                  <span className="visually-hidden"> {t('details.link.newWindow')}</span>
                </a>
              ) : (
                <span>
                  {t(label)}: {t('details.link.notWeb', { url: raw })}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
