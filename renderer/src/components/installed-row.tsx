import { useId, useState } from 'react';
import type { InstalledPlugin, InstanceSummary } from '../../../shared/instances';
import { t } from '../i18n/t';
import { useAppStore } from '../store/store-context';
import { glpiRange, pluginFlags, RestoreRemove, UpdateAction, useBusyReason } from './installed-actions';
import { PluginGlpiState } from './installed-console';
import { VersionsPanel } from './installed-versions';
import { JobStatus } from './job-status';

/**
 * One plugin folder of the Installed table (see screens/installed-screen.tsx for its test ids): its
 * version, update, actions and last action, and the Versions panel under it when opened.
 */
export function PluginRow({
  plugin,
  instance,
  onRemove,
}: {
  plugin: InstalledPlugin;
  instance: InstanceSummary;
  onRemove: (key: string) => void;
}) {
  const loaded = plugin.shadowedBy === null;
  const job = useAppStore((s) => (loaded ? s.installed.jobs[plugin.key] : undefined));
  const busyReason = useBusyReason(plugin);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const panelId = useId();

  return (
    <>
      <tr
        data-testid="plugin-row"
        data-key={plugin.key}
        data-location={plugin.location}
        data-update={plugin.update ?? ''}
        className={loaded ? undefined : 'plugin-row--shadowed'}
      >
        <th scope="row">
          <span className="plugin-row__name">{plugin.name ?? plugin.key}</span> <code>{plugin.key}</code>
          <Flags plugin={plugin} />
          <PluginGlpiState plugin={plugin} />
        </th>
        <td>
          {plugin.version ?? <span className="installed-warning-text">{t('installed.versionUnknown')}</span>}
          {plugin.problem && <p className="help">{plugin.problem}</p>}
        </td>
        <td>{t(`installed.location.${plugin.location}`)}</td>
        <td>{glpiRange(plugin)}</td>
        <td>
          <UpdateAction plugin={plugin} busyReason={busyReason} />
        </td>
        <td>
          {loaded && (
            <RestoreRemove plugin={plugin} busyReason={busyReason} onRemove={onRemove}>
              <button
                type="button"
                className="button button--small"
                aria-expanded={versionsOpen}
                aria-controls={panelId}
                aria-label={t('installed.versions.label', { key: plugin.key })}
                onClick={() => setVersionsOpen(!versionsOpen)}
                data-testid="plugin-versions-toggle"
              >
                {t('installed.versions')}
              </button>
            </RestoreRemove>
          )}
          {job && <JobStatus pluginKey={plugin.key} job={job} />}
        </td>
      </tr>
      {loaded && versionsOpen && (
        <tr className="plugin-row__more">
          <td colSpan={6}>
            <VersionsPanel id={panelId} plugin={plugin} instance={instance} busyReason={busyReason} />
          </td>
        </tr>
      )}
    </>
  );
}

function Flags({ plugin }: { plugin: InstalledPlugin }) {
  const flags = pluginFlags(plugin);
  if (flags.length === 0) return null;
  return (
    <ul className="plugin-row__flags">
      {flags.map((flag) => (
        <li key={flag} className="plugin-flag">
          {flag}
        </li>
      ))}
    </ul>
  );
}
