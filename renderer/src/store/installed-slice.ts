import type { ErrorShape } from '../../../shared/errors';
import type {
  ActionProgress,
  ActionReport,
  HistoryEntry,
  InstanceSummary,
  PluginAction,
  PluginsView,
} from '../../../shared/instances';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import type { SliceContext, SliceDefinition } from './slice';

/** One action on one plugin, as its row shows it. */
export type PluginJob =
  | { state: 'running'; action: PluginAction; step: string | null; fraction: number }
  | { state: 'done'; action: PluginAction; report: ActionReport }
  | { state: 'failed'; action: PluginAction; error: ErrorShape; step: string | null };

export interface InstalledSlice {
  /** The active instance and its plugins; null until read. */
  view: PluginsView | null;
  /** Reading `plugins.list`. */
  loadState: AsyncState;
  /** Adding an instance (`instances.add`). */
  adding: boolean;
  addError: ErrorShape | null;
  /** Switching instances or a background re-read that failed. */
  actionError: ErrorShape | null;
  /** The last job per plugin key. */
  jobs: Readonly<Record<string, PluginJob>>;
  /** "Update all" is running. */
  updatingAll: boolean;
  history: HistoryEntry[];
  historyState: AsyncState;

  /** Reads the view (`plugins.list`). */
  load: () => Promise<void>;
  /** Resolves with the instance, or null when the core refused (see `addError`). */
  addInstance: (root: string, name?: string) => Promise<InstanceSummary | null>;
  useInstance: (name: string) => Promise<void>;
  install: (key: string, version?: string) => Promise<void>;
  update: (key: string) => Promise<void>;
  restore: (key: string) => Promise<void>;
  remove: (key: string) => Promise<void>;
  /** Updates every plugin with an update, one after another. */
  updateAll: () => Promise<void>;
  loadHistory: () => Promise<void>;
  /** Applies a `plugins.progressed` event. */
  receiveProgress: (progress: ActionProgress) => void;
}

/** The failed step an INSTALL_FAILED error carries in its details. */
export function failedStep(error: ErrorShape): string | null {
  const details = error.details as { step?: unknown } | null | undefined;
  return details && typeof details.step === 'string' ? details.step : null;
}

/** The plugins "Update all" would update: loaded copies with an update. */
export function updatable(view: PluginsView | null): string[] {
  if (!view) return [];
  return view.plugins.filter((p) => p.update !== null && p.shadowedBy === null).map((p) => p.key);
}

function createInstalledSlice(ctx: SliceContext<InstalledSlice>): InstalledSlice {
  let readSeq = 0;

  function setJob(key: string, job: PluginJob): void {
    ctx.patch({ jobs: { ...ctx.slice().jobs, [key]: job } });
  }

  async function load(): Promise<void> {
    const seq = ++readSeq;
    if (ctx.slice().view === null) ctx.patch({ loadState: LOADING });
    try {
      const view = await ctx.api.invoke('plugins.list', {});
      if (seq === readSeq) ctx.patch({ view, loadState: READY });
    } catch (err) {
      if (seq !== readSeq) return;
      if (ctx.slice().view) ctx.patch({ actionError: toErrorShape(err) });
      else ctx.patch({ loadState: failed(toErrorShape(err)) });
    }
  }

  async function loadHistory(): Promise<void> {
    ctx.patch({ historyState: LOADING });
    try {
      const history = await ctx.api.invoke('plugins.history', {});
      ctx.patch({ history, historyState: READY });
    } catch (err) {
      ctx.patch({ historyState: failed(toErrorShape(err)) });
    }
  }

  async function run(action: PluginAction, key: string, call: () => Promise<ActionReport>): Promise<boolean> {
    const current = ctx.slice().jobs[key];
    if (current?.state === 'running') return false;
    setJob(key, { state: 'running', action, step: null, fraction: 0 });
    try {
      const report = await call();
      setJob(key, { state: 'done', action, report });
      return true;
    } catch (err) {
      const error = toErrorShape(err);
      setJob(key, { state: 'failed', action, error, step: failedStep(error) });
      return false;
    } finally {
      // The core also says `plugins.changed`; reading here keeps a window without events right.
      void load();
      if (ctx.slice().historyState.status !== 'idle') void loadHistory();
    }
  }

  return {
    view: null,
    loadState: IDLE,
    adding: false,
    addError: null,
    actionError: null,
    jobs: {},
    updatingAll: false,
    history: [],
    historyState: IDLE,

    load,

    async addInstance(root, name) {
      if (ctx.slice().adding) return null;
      ctx.patch({ adding: true, addError: null });
      try {
        const req: { root: string; name?: string } = { root: root.trim() };
        const trimmed = name?.trim();
        if (trimmed) req.name = trimmed;
        const instance = await ctx.api.invoke('instances.add', req);
        if (!instance.active) await ctx.api.invoke('instances.use', { name: instance.name });
        ctx.patch({ adding: false });
        await load();
        return instance;
      } catch (err) {
        ctx.patch({ adding: false, addError: toErrorShape(err) });
        return null;
      }
    },

    async useInstance(name) {
      try {
        const view = await ctx.api.invoke('instances.use', { name });
        readSeq++;
        ctx.patch({ view, loadState: READY, jobs: {}, actionError: null });
      } catch (err) {
        ctx.patch({ actionError: toErrorShape(err) });
      }
    },

    async install(key, version) {
      await run('install', key, () => ctx.api.invoke('plugins.install', version ? { key, version } : { key }));
    },
    async update(key) {
      await run('update', key, () => ctx.api.invoke('plugins.update', { key }));
    },
    async restore(key) {
      await run('restore', key, () => ctx.api.invoke('plugins.restore', { key }));
    },
    async remove(key) {
      await run('remove', key, () => ctx.api.invoke('plugins.remove', { key }));
    },

    async updateAll() {
      if (ctx.slice().updatingAll) return;
      const keys = updatable(ctx.slice().view);
      if (keys.length === 0) return;
      ctx.patch({ updatingAll: true });
      try {
        for (const key of keys) {
          await run('update', key, () => ctx.api.invoke('plugins.update', { key }));
        }
      } finally {
        ctx.patch({ updatingAll: false });
      }
    },

    loadHistory,

    receiveProgress(progress) {
      const job = ctx.slice().jobs[progress.key];
      // Progress of an action started elsewhere (another window) is shown too; a finished job stays.
      if (job && job.state !== 'running') return;
      setJob(progress.key, {
        state: 'running',
        action: progress.action,
        step: progress.step,
        fraction: Math.min(1, Math.max(0, progress.fraction)),
      });
    },
  };
}

export const installedSlice: SliceDefinition<InstalledSlice> = {
  create: createInstalledSlice,
  connect(ctx) {
    const offChanged = ctx.api.on('plugins.changed', () => {
      if (ctx.slice().loadState.status === 'idle') return;
      void ctx.slice().load();
      if (ctx.slice().historyState.status !== 'idle') void ctx.slice().loadHistory();
    });
    const offProgress = ctx.api.on('plugins.progressed', (progress) => ctx.slice().receiveProgress(progress));
    // Updates are computed against the catalogue: a new list may bring (or take away) some.
    const offCatalog = ctx.api.on('catalog.changed', (status) => {
      if (!status.refreshing && ctx.slice().view?.instance) void ctx.slice().load();
    });
    return () => {
      offChanged();
      offProgress();
      offCatalog();
    };
  },
};
