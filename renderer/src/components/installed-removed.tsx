import { useMemo } from 'react';
import type { PluginsView } from '../../../shared/instances';
import { t } from '../i18n/t';
import { removedPlugins } from '../store/installed-slice';
import { useAppStore } from '../store/store-context';
import { JobStatus } from './job-status';
import { BackupTable } from './installed-versions';
import { TitledSection } from './titled-section';

/**
 * "Removed plugins" (`data-testid="removed-plugins"`): plugins whose folder is no longer in
 * marketplace/ but whose backups Marketdesk kept, each backup with Restore. Shown only when there
 * is one.
 */
export function RemovedPlugins({ view }: { view: PluginsView }) {
  const backups = useAppStore((s) => s.installed.backups);
  const jobs = useAppStore((s) => s.installed.jobs);
  const updatingAll = useAppStore((s) => s.installed.updatingAll);
  const restore = useAppStore((s) => s.installed.restore);
  const removed = useMemo(() => removedPlugins(backups), [backups]);
  if (removed.length === 0) return null;

  return (
    <TitledSection block="installed-removed" title={t('installed.removed.title')} testId="removed-plugins">
      <p className="help">{t('installed.removed.intro')}</p>
      {removed.map(({ key, backups: kept }) => {
        const job = jobs[key];
        const busyReason =
          job?.state === 'running' ? t('installed.busy.job', { key }) : updatingAll ? t('installed.busy.all') : null;
        // Once restored, the plugin's row in the table shows how it went.
        const shownInTable = view.plugins.some((p) => p.key === key && p.shadowedBy === null);
        return (
          <div key={key} className="installed-removed__plugin" data-testid="removed-plugin" data-key={key}>
            <BackupTable
              caption={t('installed.versions.backupsCaption', { key })}
              backups={kept}
              busyReason={busyReason}
              showKey
              onRestore={(b) => void restore(key, b.id)}
            />
            {job && !shownInTable && <JobStatus pluginKey={key} job={job} />}
          </div>
        );
      })}
    </TitledSection>
  );
}
