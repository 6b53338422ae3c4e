import { AppError } from '../../shared/errors';
import type {
  ActionReport,
  ChecksumChangedDetails,
  InstanceSummary,
  PluginAction,
  PluginsView,
} from '../../shared/instances';
import type { Handlers } from './dispatch';
import { DownloadError } from './download';
import type { EventHub } from './event-hub';
import type { InstanceInfo } from './glpi-instance';
import { networkApiDiffers } from './glpi-instance-services';
import { downloadErrorRefs, installErrorRefs } from './install/error-refs';
import { isInstallError } from './install/errors';
import { ChecksumChanged } from './install/pins';
import type { InstanceService } from './instance-service';
import type { InstallOptions, PluginInstallReport, PluginService } from './plugin-service';

type PluginHandlers = Pick<
  Handlers,
  | 'instances.list'
  | 'instances.add'
  | 'instances.remove'
  | 'instances.use'
  | 'instances.show'
  | 'plugins.list'
  | 'plugins.install'
  | 'plugins.update'
  | 'plugins.restore'
  | 'plugins.remove'
  | 'plugins.cancel'
  | 'plugins.backups'
  | 'plugins.history'
  | 'plugins.console'
>;

/** The contract's instance and plugin channels over InstanceService and PluginService. */
export function pluginHandlers(instances: InstanceService, plugins: PluginService, events: EventHub): PluginHandlers {
  const view = async (): Promise<PluginsView> => {
    if (!instances.list().active) return { instance: null, plugins: [], catalogue: false, updates: 0 };
    const { info, target, plugins: list, catalogue } = await plugins.list();
    const active = instances.list().active ?? '';
    const record = instances.list().instances.find((i) => i.name === active);
    return {
      instance: record ? summary(record, info, true, plugins.servicesApiUrl()) : null,
      plugins: list,
      catalogue,
      updates: list.filter((p) => p.update !== null).length,
      recovery: plugins.lastRecovery,
      console: await plugins.consoleInfo(info, target, active, list),
    };
  };

  const act = async (
    action: PluginAction,
    key: string,
    run: (progress: (step: string, fraction: number) => void) => Promise<ActionReport>,
  ) => {
    try {
      return await run((step, fraction) => events.emit('plugins.progressed', { key, action, step, fraction }));
    } catch (err) {
      throw toAppError(err, key);
    } finally {
      events.emit('plugins.changed', { instance: instances.list().active });
    }
  };

  return {
    'instances.list': () => Promise.resolve(instances.list()),
    'instances.add': async (req) => {
      const { record, info } = await instances.add(req.root, req.name, req.ssh);
      events.emit('plugins.changed', { instance: instances.list().active });
      return summary(record, info, instances.list().active === record.name, plugins.servicesApiUrl());
    },
    'instances.remove': async (req) => {
      await instances.remove(req.name);
      events.emit('plugins.changed', { instance: instances.list().active });
      return instances.list();
    },
    'instances.use': async (req) => {
      await instances.use(req.name);
      events.emit('plugins.changed', { instance: req.name });
      return view();
    },
    'instances.show': async (req) => {
      const { record, info } = await instances.show(req.name);
      const differs = networkApiDiffers(info, plugins.servicesApiUrl());
      return { ...record, active: instances.list().active === record.name, info, networkApiDiffers: differs };
    },
    'plugins.list': () => view(),
    'plugins.install': (req) =>
      act('install', req.key, async (progress) => {
        const r = await plugins.install(req.key, req.version, progress, undefined, accept(req));
        const done = report(r.from ? 'update' : 'install', r.key, r.from, r.to, r.marketplaceEnable);
        return { ...done, ...pinned(r) };
      }),
    'plugins.update': (req) =>
      act('update', req.key, async (progress) => {
        const r = await plugins.update(req.key, progress, undefined, accept(req));
        return { ...report('update', r.key, r.from, r.to, r.marketplaceEnable), ...pinned(r) };
      }),
    'plugins.restore': (req) =>
      act('restore', req.key, async () => {
        const r = await plugins.restore(req.key, req.version, req.backupId);
        return report('restore', r.key, r.from, r.to);
      }),
    'plugins.remove': (req) =>
      act('remove', req.key, async () => {
        const r = await plugins.remove(req.key);
        return { ...report('remove', r.key, r.from, null), message: `${r.key} was moved to the backups. ${r.message}` };
      }),
    'plugins.cancel': (req) => Promise.resolve({ cancelled: plugins.cancel(req.key) }),
    'plugins.backups': () => plugins.backups(),
    'plugins.history': () => plugins.history(),
    'plugins.console': ({ force, ...task }) => (force ? plugins.runConsoleNow(task) : plugins.runConsole(task)),
  };
}

function accept(req: { acceptNewChecksum?: string }): InstallOptions {
  return req.acceptNewChecksum ? { acceptNewChecksum: req.acceptNewChecksum } : {};
}

/** The checksum facts of an install or update's report. */
function pinned(r: PluginInstallReport): Pick<ActionReport, 'sha256' | 'warnings' | 'checksumChange'> {
  return { sha256: r.sha256, warnings: r.warnings, ...(r.checksumChange ? { checksumChange: r.checksumChange } : {}) };
}

function summary(
  record: { name: string; root: string; addedAt: string },
  info: InstanceInfo,
  active: boolean,
  profileApi: string,
): InstanceSummary {
  return {
    ...record,
    active,
    version: info.version,
    versionSource: info.versionSource,
    line: info.line,
    installMode: info.installMode,
    marketplaceDir: info.marketplaceDir,
    marketplaceWritable: info.marketplaceWritable,
    marketplaceEnable: info.marketplaceEnable,
    networkApiUrl: { ...info.networkApiUrl, differsFromProfile: networkApiDiffers(info, profileApi), profileApi },
    webRoot: info.webRoot,
    notes: info.notes,
    problems: info.problems,
  };
}

/**
 * What happened, and what the admin must do next in GLPI (Setup > Plugins). With GLPI's web
 * marketplace off (`GLPI_MARKETPLACE_ENABLE` 0 or 1, docs/glpi-instance-layout.md §4.3) GLPI hides
 * its Marketplace pages: installs and updates say so, and send the admin to Setup > Plugins or the console.
 */
function report(
  action: PluginAction,
  key: string,
  from: string | null,
  to: string | null,
  mode?: InstanceInfo['marketplaceEnable'],
): ActionReport {
  const off = mode && (mode.value === 0 || mode.value === 1) ? webMarketplaceOff(mode.value, mode.source) : null;
  const next: Record<PluginAction, string> = {
    install: off
      ? `${off} install and enable ${key} from Setup > Plugins in GLPI, or with GLPI's console (plugin:install, then plugin:activate).`
      : `In GLPI, open Setup > Plugins, then install and enable ${key}.`,
    update: off
      ? `${off} open Setup > Plugins in GLPI: ${key} is marked "to update"; run its update there (or with GLPI's console), then enable it again if GLPI disabled it.`
      : `In GLPI, open Setup > Plugins: ${key} is marked "to update"; run its update, then enable it again if GLPI disabled it.`,
    restore: `In GLPI, open Setup > Plugins and check ${key}: if GLPI asks for an update (its tables are newer or older), run it.`,
    remove: `GLPI keeps ${key}'s database tables until you uninstall it in GLPI (Setup > Plugins), which deletes its data.`,
  };
  const what = { install: 'installed', update: 'updated', restore: 'restored', remove: 'removed' }[action];
  const versions = from && to ? `${from} → ${to}` : (to ?? from ?? '');
  return { action, key, from, to, message: `${key} ${versions} ${what}.`.replace(/\s+/g, ' '), next: next[action] };
}

function webMarketplaceOff(value: 0 | 1, source: string): string {
  const mode = value === 0 ? 'marketplace off' : 'console only';
  return `GLPI's web marketplace is off on this instance (GLPI_MARKETPLACE_ENABLE = ${value}, ${mode}, in ${source}), so GLPI shows no Marketplace page:`;
}

/** A refused republished archive: both checksums go with the error (ChecksumChangedDetails). */
function checksums(cause: unknown): Partial<ChecksumChangedDetails> {
  if (!(cause instanceof ChecksumChanged)) return {};
  const { key, version, pinned, received } = cause;
  return { key, version, pinned, received };
}

/** Where an install failure becomes INSTALL_FAILED: with references the UI renders in its language. */
function toAppError(err: unknown, plugin: string): unknown {
  if (isInstallError(err))
    return new AppError('INSTALL_FAILED', `${err.step} failed: ${err.message}`, {
      fix: err.fix,
      details: { step: err.step, code: err.code, ...checksums(err.cause) },
      ...installErrorRefs(err, plugin),
    });
  if (err instanceof DownloadError)
    return new AppError('INSTALL_FAILED', err.message, {
      fix: err.fix,
      details: { step: 'download', code: err.code },
      ...downloadErrorRefs(err, plugin),
    });
  return err;
}
