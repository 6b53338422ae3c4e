import type { AppError } from '../../../shared/errors';
import type {
  ActionReport,
  HistoryEntry,
  InstalledPlugin,
  InstanceSummary,
  PluginAction,
  PluginsView,
} from '../../../shared/instances';
import type { CoreHarness } from './core-harness';

/**
 * Stand-in for the core's instance and plugin services (instances.*, plugins.*), installed into
 * the real core's handler map like FakeCatalog: requests still go through the real dispatch
 * (validation, envelopes) and events through the real EventHub.
 */

export const GLPI_ROOT = '/srv/glpi';

export function makeInstalled(key: string, overrides: Partial<InstalledPlugin> = {}): InstalledPlugin {
  return {
    key,
    location: 'marketplace',
    path: `${GLPI_ROOT}/marketplace/${key}`,
    name: key[0]?.toUpperCase() + key.slice(1),
    version: '1.0.0',
    glpiMin: '10.0.0',
    glpiMax: '10.0.99',
    problem: null,
    vcs: null,
    shadowedBy: null,
    invalidKey: false,
    update: null,
    updateBlocked: null,
    ...overrides,
  };
}

export function makeInstance(overrides: Partial<InstanceSummary> = {}): InstanceSummary {
  return {
    name: 'prod',
    root: GLPI_ROOT,
    addedAt: '2025-06-01T10:00:00Z',
    active: true,
    version: '10.0.18',
    versionSource: 'inc/define.php',
    line: '10.0',
    installMode: 'tarball',
    marketplaceDir: `${GLPI_ROOT}/marketplace`,
    marketplaceWritable: true,
    problems: [],
    ...overrides,
  };
}

/** fields with an update, metabase blocked, a shadowed copy, a VCS checkout, an unknown version. */
export const INSTALLED: InstalledPlugin[] = [
  makeInstalled('fields', { name: 'Fields', version: '1.21.0', update: '1.21.23' }),
  makeInstalled('fields', {
    location: 'plugins',
    path: `${GLPI_ROOT}/plugins/fields`,
    version: '1.19.0',
    shadowedBy: 'marketplace',
    updateBlocked: 'GLPI loads the copy in marketplace/',
  }),
  makeInstalled('metabase', { updateBlocked: 'Needs Standard' }),
  makeInstalled('tag', {
    location: 'plugins',
    path: `${GLPI_ROOT}/plugins/tag`,
    version: '2.9.0',
    vcs: '.git',
    updateBlocked: 'a .git checkout: update it with git',
  }),
  makeInstalled('news', { version: null, problem: 'The version is computed at run time (file_get_contents).' }),
  makeInstalled('escalade', { location: 'plugins', path: `${GLPI_ROOT}/plugins/escalade`, update: '2.10.0' }),
];

export interface PlannedAction {
  /** Progress events emitted before the answer. */
  steps?: [step: string, fraction: number][];
  /** The action waits for this after its progress events. */
  hold?: Promise<void>;
  /** The action fails with this. */
  fail?: AppError;
}

export interface FakePluginsOptions {
  instance?: InstanceSummary | null;
  plugins?: InstalledPlugin[];
  catalogue?: boolean;
}

export class FakePlugins {
  instance: InstanceSummary | null;
  plugins: InstalledPlugin[];
  catalogue: boolean;
  history: HistoryEntry[] = [];
  readonly calls: { channel: string; req: unknown }[] = [];
  /** The next `instances.add` fails with this. */
  addFailure: AppError | null = null;
  /** What the next action on a key does. */
  readonly plans = new Map<string, PlannedAction>();

  constructor(
    private readonly harness: CoreHarness,
    options: FakePluginsOptions = {},
  ) {
    this.instance = options.instance === undefined ? makeInstance() : options.instance;
    this.plugins = options.plugins ?? structuredClone(INSTALLED);
    this.catalogue = options.catalogue ?? true;
    const handlers = harness.core.handlers;
    handlers['instances.list'] = () => {
      this.calls.push({ channel: 'instances.list', req: {} });
      const instances = this.instance ? [{ name: this.instance.name, root: this.instance.root, addedAt: '' }] : [];
      return Promise.resolve({ instances, active: this.instance?.name ?? null });
    };
    handlers['instances.add'] = (req) => {
      this.calls.push({ channel: 'instances.add', req });
      const failure = this.addFailure;
      this.addFailure = null;
      if (failure) return Promise.reject(failure);
      this.instance = makeInstance({ root: req.root, name: req.name ?? 'glpi' });
      this.emitChanged();
      return Promise.resolve(structuredClone(this.instance));
    };
    handlers['instances.use'] = (req) => {
      this.calls.push({ channel: 'instances.use', req });
      return Promise.resolve(this.view());
    };
    handlers['plugins.list'] = () => {
      this.calls.push({ channel: 'plugins.list', req: {} });
      return Promise.resolve(this.view());
    };
    handlers['plugins.history'] = () => Promise.resolve(structuredClone(this.history));
    handlers['plugins.install'] = (req) => this.act('install', req.key, req.version ?? '1.0.0');
    handlers['plugins.update'] = (req) => this.act('update', req.key, null);
    handlers['plugins.restore'] = (req) => this.act('restore', req.key, null);
    handlers['plugins.remove'] = (req) => this.act('remove', req.key, null);
  }

  view(): PluginsView {
    if (!this.instance) return { instance: null, plugins: [], catalogue: false, updates: 0 };
    return structuredClone({
      instance: this.instance,
      plugins: this.plugins,
      catalogue: this.catalogue,
      updates: this.plugins.filter((p) => p.update !== null).length,
    });
  }

  emitChanged(): void {
    this.harness.core.events.emit('plugins.changed', { instance: this.instance?.name ?? null });
  }

  private async act(action: PluginAction, key: string, installVersion: string | null): Promise<ActionReport> {
    this.calls.push({ channel: `plugins.${action}`, req: { key } });
    const plan = this.plans.get(key) ?? {};
    this.plans.delete(key);
    const events = this.harness.core.events;
    try {
      for (const [step, fraction] of plan.steps ?? [])
        events.emit('plugins.progressed', { key, action, step, fraction });
      if (plan.hold) await plan.hold;
      const at = this.harness.clock.now().toISOString();
      const plugin = this.plugins.find((p) => p.key === key && p.shadowedBy === null);
      const from = plugin?.version ?? null;
      if (plan.fail) {
        const details = plan.fail.details as { step?: string } | undefined;
        this.history.push({
          at,
          user: 'admin',
          action,
          key,
          from,
          to: null,
          sha256: null,
          result: 'failed',
          error: { step: details?.step ?? '?', message: plan.fail.message },
        });
        throw plan.fail;
      }
      let to: string | null = null;
      if (action === 'update' && plugin) {
        to = plugin.update;
        plugin.version = to;
        plugin.update = null;
      } else if (action === 'install') {
        to = installVersion;
      } else if (action === 'remove') {
        this.plugins = this.plugins.filter((p) => p !== plugin);
      }
      this.history.push({ at, user: 'admin', action, key, from, to, sha256: null, result: 'ok' });
      return {
        action,
        key,
        from,
        to,
        message: `${key} ${from ?? ''} → ${to ?? ''} ${action}d.`,
        next: `In GLPI, open Setup > Plugins and ${action === 'remove' ? 'uninstall' : 'check'} ${key}.`,
      };
    } finally {
      this.emitChanged();
    }
  }
}
