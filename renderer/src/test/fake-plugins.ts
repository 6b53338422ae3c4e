import { AppError } from '../../../shared/errors';
import { installedPlugin } from '../../../shared/installed-fixtures.testkit';
import { parseSshTarget } from '../../../shared/ssh-target';
import type {
  ActionReport,
  ConsoleGlpiState,
  ConsolePlugin,
  ConsoleRun,
  ConsoleTask,
  HistoryEntry,
  InstalledPlugin,
  InstanceList,
  InstanceSummary,
  PluginAction,
  PluginBackup,
  PluginFolderFinding,
  PluginsView,
} from '../../../shared/instances';
import type { CoreHarness } from './core-harness';

/**
 * Stand-in for the core's instance and plugin services (instances.*, plugins.*), installed into
 * the real core's handler map like FakeCatalog: requests still go through the real dispatch
 * (validation, envelopes) and events through the real EventHub.
 */

/** A history entry of a successful update. */
export const HISTORY_OK: HistoryEntry = {
  at: '2025-06-15T12:00:00.000Z',
  user: 'admin',
  action: 'update',
  key: 'fields',
  from: '1.21.0',
  to: '1.21.23',
  sha256: 'ab12',
  result: 'ok',
};

/** A failed install whose error and note need CSV quoting and formula guarding. */
export const HISTORY_FAILED: HistoryEntry = {
  at: '2025-06-15T12:05:00Z',
  user: 'jdoe',
  action: 'install',
  key: 'metabase',
  from: null,
  to: '1.3.0',
  sha256: null,
  result: 'failed',
  error: { step: 'extract', message: 'The archive is damaged, "cut" at 50%,\nsee the log' },
  note: '=HYPERLINK("http://evil.test","click")',
};

export const GLPI_ROOT = '/srv/glpi';

export function makeInstalled(key: string, overrides: Partial<InstalledPlugin> = {}): InstalledPlugin {
  return installedPlugin(key, {
    path: `${GLPI_ROOT}/marketplace/${key}`,
    name: key[0]?.toUpperCase() + key.slice(1),
    glpiMin: '10.0.0',
    glpiMax: '10.0.99',
    ...overrides,
  });
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

/** One plugin as GLPI's `plugin:list` reports it, in the loaded copy's folder unless overridden. */
export function makeConsolePlugin(key: string, overrides: Partial<ConsolePlugin> = {}): ConsolePlugin {
  return {
    key,
    name: key,
    version: '1.0.0',
    state: 'activated',
    stateLabel: 'Enabled',
    marketplace: true,
    mismatch: null,
    ...overrides,
  };
}

/** What GLPI 11's console says (`plugins.list`'s `console.glpi`): resume offered and ready unless overridden. */
export function makeGlpiConsole(overrides: Partial<ConsoleGlpiState> = {}): ConsoleGlpiState {
  return {
    commands: ['list', 'plugin:list', 'plugin:install', 'plugin:activate', 'plugin:resume_execution'],
    plugins: [],
    notes: [],
    resume: { offered: true, ready: true, reason: null },
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
  /**
   * The action waits for this before it begins (as the core reads the catalogue before it starts the
   * pipeline): until then `plugins.cancel` answers `{ cancelled: false }`.
   */
  begin?: Promise<void>;
  /** Progress events emitted before the answer. */
  steps?: [step: string, fraction: number][];
  /** The action waits for this after its progress events; `plugins.cancel` stops it meanwhile. */
  hold?: Promise<void>;
  /** The action fails with this. */
  fail?: AppError;
  /** What the pre-flight guard found that did not block the action. */
  warnings?: PluginFolderFinding[];
}

/** An instance that is not the active one, with what the fake keeps for it. */
export interface ShelvedInstance {
  instance: InstanceSummary;
  plugins: InstalledPlugin[];
  history?: HistoryEntry[];
  backups?: PluginBackup[];
}

export interface FakePluginsOptions {
  instance?: InstanceSummary | null;
  plugins?: InstalledPlugin[];
  catalogue?: boolean;
  /** Kept backups of the active instance (`plugins.backups`), newest first. */
  backups?: PluginBackup[];
  /** Other instances of the profile (`instances.list`, `instances.use`). */
  others?: ShelvedInstance[];
  /** The GLPI console step as `plugins.list` reports it, and what `plugins.console` answers. */
  console?: { info: NonNullable<PluginsView['console']>; run: (task: ConsoleTask) => ConsoleRun };
}

export function makeBackup(key: string, version: string | null, createdAt: string, installed = true): PluginBackup {
  return { key, id: `${key}-${createdAt.replace(/[^0-9]/g, '')}`, version, createdAt, installed };
}

/** The error the core answers when a Cancel stopped an install or update. */
export function cancelledError(step: string): AppError {
  return new AppError('INSTALL_FAILED', `${step} failed: The operation was cancelled; nothing was changed.`, {
    fix: 'Start it again when you are ready.',
    details: { step, code: 'cancelled' },
  });
}

export class FakePlugins {
  instance: InstanceSummary | null;
  plugins: InstalledPlugin[];
  catalogue: boolean;
  history: HistoryEntry[] = [];
  backups: PluginBackup[];
  readonly calls: { channel: string; req: unknown }[] = [];
  console: FakePluginsOptions['console'] | null;
  /** The next `instances.add` fails with this. */
  addFailure: AppError | null = null;
  /** What the next action on a key does. */
  readonly plans = new Map<string, PlannedAction>();
  /** Other instances, by name. */
  readonly others = new Map<string, ShelvedInstance>();
  /** Stops a running (begun, held) action, by key. */
  private readonly cancellers = new Map<string, () => void>();
  private backupSeq = 0;

  constructor(
    private readonly harness: CoreHarness,
    options: FakePluginsOptions = {},
  ) {
    this.instance = options.instance === undefined ? makeInstance() : options.instance;
    this.plugins = options.plugins ?? structuredClone(INSTALLED);
    this.catalogue = options.catalogue ?? true;
    this.backups = options.backups ?? [];
    this.console = options.console ?? null;
    for (const other of options.others ?? []) {
      this.others.set(
        other.instance.name,
        structuredClone({ ...other, instance: { ...other.instance, active: false } }),
      );
    }
    const handlers = harness.core.handlers;
    handlers['instances.list'] = () => {
      this.calls.push({ channel: 'instances.list', req: {} });
      return Promise.resolve(this.list());
    };
    handlers['instances.add'] = (req) => {
      this.calls.push({ channel: 'instances.add', req });
      const failure = this.addFailure;
      this.addFailure = null;
      if (failure) return Promise.reject(failure);
      const added = makeInstance({ root: req.root, name: req.name ?? 'glpi', active: this.instance === null });
      if (req.ssh) {
        // Like the core: the record keeps the path on the server and how to reach it, never the secret.
        const target = parseSshTarget(req.root);
        added.root = target.path;
        added.marketplaceDir = `${target.path}/marketplace`;
        added.ssh = {
          host: target.host,
          port: target.port,
          user: target.user,
          auth: req.ssh.auth,
          ...(req.ssh.keyFile ? { keyFile: req.ssh.keyFile } : {}),
          secretSaved: req.ssh.secret !== undefined && (req.ssh.auth === 'password' || req.ssh.saveSecret === true),
          ...(req.ssh.sudoUser ? { sudoUser: req.ssh.sudoUser } : {}),
          hostKey: { type: 'ssh-ed25519', key: 'AAAA', fingerprint: req.ssh.acceptHostKey ?? 'SHA256:known' },
        };
      }
      if (this.instance) {
        // Like the core: the first instance becomes the active one, the others wait for instances.use.
        this.others.set(added.name, { instance: added, plugins: structuredClone(INSTALLED) });
      } else {
        this.instance = added;
      }
      this.emitChanged();
      return Promise.resolve(structuredClone(added));
    };
    handlers['instances.remove'] = (req) => {
      this.calls.push({ channel: 'instances.remove', req });
      if (this.others.delete(req.name)) return Promise.resolve(this.list());
      if (this.instance?.name !== req.name) {
        return Promise.reject(new AppError('INVALID_INPUT', `No instance named ${req.name}.`));
      }
      // Like the core: the first other instance becomes the active one.
      const [next] = [...this.others.values()].sort((a, b) => a.instance.name.localeCompare(b.instance.name));
      this.instance = next ? { ...next.instance, active: true } : null;
      if (next) {
        this.others.delete(next.instance.name);
        this.plugins = next.plugins;
        this.history = next.history ?? [];
        this.backups = next.backups ?? [];
      }
      this.emitChanged();
      return Promise.resolve(this.list());
    };
    handlers['instances.use'] = (req) => {
      this.calls.push({ channel: 'instances.use', req });
      if (this.instance?.name !== req.name) {
        const next = this.others.get(req.name);
        if (!next) return Promise.reject(new AppError('INVALID_INPUT', `No instance named ${req.name}.`));
        this.others.delete(req.name);
        if (this.instance) {
          this.others.set(this.instance.name, {
            instance: { ...this.instance, active: false },
            plugins: this.plugins,
            history: this.history,
            backups: this.backups,
          });
        }
        this.instance = { ...next.instance, active: true };
        this.plugins = next.plugins;
        this.history = next.history ?? [];
        this.backups = next.backups ?? [];
      }
      this.emitChanged();
      return Promise.resolve(this.view());
    };
    handlers['plugins.list'] = () => {
      this.calls.push({ channel: 'plugins.list', req: {} });
      return Promise.resolve(this.view());
    };
    handlers['plugins.history'] = () => Promise.resolve(structuredClone(this.history));
    handlers['plugins.console'] = (req) => {
      this.calls.push({ channel: 'plugins.console', req });
      if (!this.console) return Promise.reject(new AppError('INVALID_INPUT', "Running GLPI's console is off."));
      const { force: _force, ...task } = req;
      return Promise.resolve(this.console.run(task));
    };
    handlers['plugins.backups'] = () => {
      this.calls.push({ channel: 'plugins.backups', req: {} });
      return Promise.resolve(structuredClone(this.backups));
    };
    handlers['plugins.cancel'] = (req) => {
      this.calls.push({ channel: 'plugins.cancel', req });
      const stop = this.cancellers.get(req.key);
      stop?.();
      return Promise.resolve({ cancelled: stop !== undefined });
    };
    handlers['plugins.install'] = (req) => this.act('install', req);
    handlers['plugins.update'] = (req) => this.act('update', req);
    handlers['plugins.restore'] = (req) => this.act('restore', req);
    handlers['plugins.remove'] = (req) => this.act('remove', req);
  }

  list(): InstanceList {
    const records = [...(this.instance ? [this.instance] : []), ...[...this.others.values()].map((o) => o.instance)];
    return {
      instances: records
        .map((i) => ({ name: i.name, root: i.root, addedAt: i.addedAt, ...(i.ssh ? { ssh: i.ssh } : {}) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      active: this.instance?.name ?? null,
    };
  }

  view(): PluginsView {
    if (!this.instance) return { instance: null, plugins: [], catalogue: false, updates: 0 };
    return structuredClone({
      instance: this.instance,
      plugins: this.plugins,
      catalogue: this.catalogue,
      updates: this.plugins.filter((p) => p.update !== null).length,
      ...(this.console ? { console: this.console.info } : {}),
    });
  }

  emitChanged(): void {
    this.harness.core.events.emit('plugins.changed', { instance: this.instance?.name ?? null });
  }

  private async act(
    action: PluginAction,
    req: { key: string; version?: string; backupId?: string },
  ): Promise<ActionReport> {
    const { key } = req;
    this.calls.push({ channel: `plugins.${action}`, req });
    const plan = this.plans.get(key) ?? {};
    this.plans.delete(key);
    const events = this.harness.core.events;
    const at = () => this.harness.clock.now().toISOString();
    const plugin = () => this.plugins.find((p) => p.key === key && p.shadowedBy === null);
    const fail = (error: AppError, from: string | null) => {
      const details = error.details as { step?: string } | undefined;
      this.history.push({
        at: at(),
        user: 'admin',
        action,
        key,
        from,
        to: null,
        sha256: null,
        result: 'failed',
        error: { step: details?.step ?? '?', message: error.message },
      });
      return error;
    };
    try {
      if (plan.begin) await plan.begin;
      let lastStep = 'preflight';
      let stopped: (() => void) | null = null;
      const stop = new Promise<void>((resolve) => (stopped = resolve));
      if (action === 'install' || action === 'update') this.cancellers.set(key, () => stopped?.());
      try {
        for (const [step, fraction] of plan.steps ?? []) {
          lastStep = step;
          events.emit('plugins.progressed', { key, action, step, fraction });
        }
        if (plan.hold) {
          const cancelled = await Promise.race([plan.hold.then(() => false), stop.then(() => true)]);
          if (cancelled) throw fail(cancelledError(lastStep), plugin()?.version ?? null);
        }
      } finally {
        this.cancellers.delete(key);
      }
      const current = plugin();
      const from = current?.version ?? null;
      if (plan.fail) throw fail(plan.fail, from);
      let to: string | null = null;
      // Like the core: the folder an action replaces or removes is kept in the backups.
      const keep = (installed: boolean) => {
        const backup = makeBackup(key, from, at(), installed);
        this.backups.unshift({ ...backup, id: `${backup.id}-${++this.backupSeq}` });
      };
      if (action === 'update' && current) {
        to = current.update;
        keep(true);
        current.version = to;
        current.update = null;
      } else if (action === 'install') {
        to = req.version ?? '1.0.0';
        if (current) {
          keep(true);
          current.version = to;
          current.update = null;
        } else this.plugins.push(makeInstalled(key, { version: to }));
      } else if (action === 'restore') {
        const backup = req.backupId
          ? this.backups.find((b) => b.id === req.backupId)
          : this.backups.find((b) => b.key === key);
        if (!backup) throw fail(new AppError('INVALID_INPUT', `No backup of ${key} to restore.`), from);
        to = backup.version;
        this.backups = this.backups.filter((b) => b !== backup);
        if (current) {
          keep(true);
          current.version = to;
        } else {
          this.plugins.push(makeInstalled(key, { version: to }));
        }
        this.backups = this.backups.map((b) => (b.key === key ? { ...b, installed: true } : b));
      } else if (action === 'remove') {
        this.plugins = this.plugins.filter((p) => p !== current);
        keep(false);
        this.backups = this.backups.map((b) => (b.key === key ? { ...b, installed: false } : b));
      }
      this.history.push({ at: at(), user: 'admin', action, key, from, to, sha256: null, result: 'ok' });
      return {
        action,
        key,
        from,
        to,
        message: `${key} ${from ?? ''} → ${to ?? ''} ${action}d.`,
        next: `In GLPI, open Setup > Plugins and ${action === 'remove' ? 'uninstall' : 'check'} ${key}.`,
        ...(plan.warnings ? { warnings: plan.warnings } : {}),
      };
    } finally {
      this.emitChanged();
    }
  }
}
