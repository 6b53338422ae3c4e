import { useEffect, useId, useRef } from 'react';
import type { InstalledPlugin, InstanceSummary } from '../../../shared/instances';
import { t } from '../i18n/t';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import { glpiRange, pluginProblems, RestoreRemove, UpdateAction, useBusyReason } from './installed-actions';
import { PluginGlpiState } from './installed-console';
import { VersionsPanel } from './installed-versions';
import { JobStatus } from './job-status';
import { CatalogueSummary } from './plugin-details';

/**
 * The selected plugin beside the Installed list (`data-testid="installed-details"`, `data-key`,
 * `data-location`): its version, folder and GLPI range, the update (`plugin-update`), Restore and
 * Remove (`plugin-restore`, `plugin-remove`) with the last action (`job-status`), its problems
 * (`installed-problems`), its other versions and backups (`plugin-versions`), and what the
 * catalogue says of it (`installed-catalogue`). The heading takes focus when `focusRequest` changes.
 */
export function InstalledDetails({
  plugin,
  instance,
  focusRequest,
  onRemove,
}: {
  plugin: InstalledPlugin;
  instance: InstanceSummary;
  focusRequest: number;
  onRemove: (key: string) => void;
}) {
  const store = useAppStoreApi();
  const loaded = plugin.shadowedBy === null;
  const job = useAppStore((s) => (loaded ? s.installed.jobs[plugin.key] : undefined));
  const entry = useAppStore((s) => s.catalog.byKey.get(plugin.key) ?? null);
  const busyReason = useBusyReason(plugin);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const sectionId = useId();
  const versionsId = useId();
  const problems = pluginProblems(plugin);

  useEffect(() => {
    if (focusRequest > 0) headingRef.current?.focus();
  }, [focusRequest]);
  useEffect(() => {
    // What the catalogue says of the plugin shows below its versions.
    if (store.getState().catalog.load.status === 'idle') void store.getState().catalog.hydrate();
  }, [store]);

  return (
    <article
      className="installed-details"
      aria-labelledby={headingId}
      data-testid="installed-details"
      data-key={plugin.key}
      data-location={plugin.location}
    >
      <header>
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="installed-details__title">
          {plugin.name ?? plugin.key}
        </h2>
        <p className="installed-details__key">
          <code>{plugin.key}</code>
        </p>
      </header>
      <dl className="instance-summary__facts">
        <dt>{t('installed.details.version')}</dt>
        <dd>{plugin.version ?? <span className="installed-warning-text">{t('installed.versionUnknown')}</span>}</dd>
        <dt>{t('installed.details.folder')}</dt>
        <dd>
          {t(`installed.location.${plugin.location}`)}/ <code>{plugin.path}</code>
        </dd>
        <dt>{t('installed.details.glpi')}</dt>
        <dd>{glpiRange(plugin)}</dd>
      </dl>
      <PluginGlpiState plugin={plugin} />

      <section aria-labelledby={`${sectionId}-update`}>
        <h3 id={`${sectionId}-update`}>{t('installed.details.update')}</h3>
        <UpdateAction plugin={plugin} busyReason={busyReason} />
      </section>

      {loaded && (
        <section aria-labelledby={`${sectionId}-actions`}>
          <h3 id={`${sectionId}-actions`}>{t('installed.details.actions')}</h3>
          <RestoreRemove plugin={plugin} busyReason={busyReason} onRemove={onRemove} />
          {job && <JobStatus pluginKey={plugin.key} job={job} />}
        </section>
      )}

      <section aria-labelledby={`${sectionId}-problems`} data-testid="installed-problems">
        <h3 id={`${sectionId}-problems`}>{t('installed.details.problems')}</h3>
        {problems.length === 0 ? (
          <p>{t('installed.details.noProblem')}</p>
        ) : (
          <ul className="installed-details__problems">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
      </section>

      {loaded && <VersionsPanel id={versionsId} plugin={plugin} instance={instance} busyReason={busyReason} />}
      {entry && <CatalogueSummary plugin={entry} />}
    </article>
  );
}
