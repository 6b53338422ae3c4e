import type { ErrorShape } from '../../../shared/errors';
import type {
  ActionProgress,
  ActionReport,
  ChecksumChangedDetails,
  ConsolePlugin,
  ConsoleRun,
  ConsoleTask,
  HistoryEntry,
  InstanceList,
  InstanceSummary,
  PluginAction,
  PluginBackup,
  PluginLocation,
  PluginsView,
  SshAddOptions,
  SshFailure,
} from '../../../shared/instances';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import type { SliceContext, SliceDefinition } from './slice';

/**
 * Where a Cancel of a running install or update is:
 * - `asking`: `plugins.cancel` is on its way;
 * - `waiting`: the core had not started the job yet (it was still reading the catalogue): asked
 *   again at the job's first step;
 * - `asked`: the core stops it at its next step;
 * - `too-late`: the core could not stop it (it is putting the files in place, or it ended).
 */
export type CancelState = 'none' | 'asking' | 'waiting' | 'asked' | 'too-late';

/** One action on one plugin, as its row shows it. */
export type PluginJob =
  | {
      state: 'running';
      action: PluginAction;
      step: string | null;
      fraction: number;
      /** Started from this window (a job seen through progress events only was started elsewhere). */
      local: boolean;
      cancel: CancelState;
      /** `plugins.cancel` itself failed. */
      cancelError: ErrorShape | null;
    }
  | { state: 'done'; action: PluginAction; report: ActionReport }
  | { state: 'failed'; action: PluginAction; error: ErrorShape; step: string | null }
  /** Stopped by a Cancel before anything was changed. */
  | { state: 'cancelled'; action: PluginAction; step: string | null };

export type RunningJob = Extract<PluginJob, { state: 'running' }>;

/** Both checksums of an install or update refused because the version's archive changed; else null. */
export function checksumChanged(error: ErrorShape): ChecksumChangedDetails | null {
  const d = error.details as Partial<ChecksumChangedDetails> | undefined;
  if (error.code !== 'INSTALL_FAILED' || d?.code !== 'checksum-changed') return null;
  const { key, version, pinned, received } = d;
  if (!key || !version || !pinned || !received) return null;
  return { step: 'download', code: 'checksum-changed', key, version, pinned, received };
}

/** What one line of the "Update all" dialog shows. */
export type BatchResult =
  | { state: 'unselected' }
  | { state: 'waiting' }
  | { state: 'running' }
  | { state: 'done'; report: ActionReport }
  | { state: 'failed'; error: ErrorShape; step: string | null }
  | { state: 'cancelled' }
  /** Not run: the batch was cancelled before its turn, or another action on it was running. */
  | { state: 'skipped'; reason: 'cancelled' | 'busy' };

export interface BatchItem {
  key: string;
  name: string;
  location: PluginLocation;
  from: string | null;
  to: string;
  selected: boolean;
  result: BatchResult;
}

/** The "Update all" dialog: the plugins it offered (a snapshot), then what happened to each. */
export interface UpdateBatch {
  phase: 'review' | 'running' | 'finished';
  items: BatchItem[];
  /** Cancel was asked: the current update is being stopped and the rest are skipped. */
  cancelling: boolean;
}

/** A run of GLPI's console: for one plugin (after its files were put in place), or to resume plugins. */
export type ConsoleState =
  | { state: 'running'; action: ConsoleTask['action'] }
  | { state: 'done'; action: ConsoleTask['action']; run: ConsoleRun }
  | { state: 'failed'; action: ConsoleTask['action']; error: ErrorShape };

export interface InstalledSlice {
  /** GLPI console runs per plugin key (the last one). */
  consoleRuns: Readonly<Record<string, ConsoleState>>;
  /** Runs `php bin/console plugin:install|activate <key>` (when offered in the settings). */
  runConsole: (key: string, action: 'install' | 'activate') => Promise<void>;
  /** The last `plugin:resume_execution` run of the active instance, or null. */
  resumeRun: ConsoleState | null;
  /** Runs `php bin/console plugin:resume_execution` (GLPI 11), then reads the plugins again. */
  resumeExecution: () => Promise<void>;
  /** The active instance and its plugins; null until read. */
  view: PluginsView | null;
  /** Reading `plugins.list`. */
  loadState: AsyncState;
  /** The profile's instances (`instances.list`); null until read. */
  instanceList: InstanceList | null;
  /** The instance being switched to (`instances.use`). */
  switching: string | null;
  /** Adding an instance (`instances.add`). */
  adding: boolean;
  addError: ErrorShape | null;
  /** The instance being removed (`instances.remove`). */
  removingInstance: string | null;
  /** Switching instances or a background re-read that failed. */
  actionError: ErrorShape | null;
  /** The last job per plugin key. */
  jobs: Readonly<Record<string, PluginJob>>;
  /** "Update all" is running. */
  updatingAll: boolean;
  /** The "Update all" dialog, while it is open. */
  batch: UpdateBatch | null;
  /** Every backup kept in the active instance, newest first (`plugins.backups`). */
  backups: PluginBackup[];
  backupsState: AsyncState;
  history: HistoryEntry[];
  historyState: AsyncState;

  /** Reads the view (`plugins.list`) and the instance list. */
  load: () => Promise<void>;
  loadInstances: () => Promise<void>;
  /**
   * Resolves with the instance, or null when the core refused (see `addError`). `ssh` (with an
   * ssh:// `root`) may carry a secret: it is sent, never kept.
   */
  addInstance: (root: string, name?: string, ssh?: SshAddOptions) => Promise<InstanceSummary | null>;
  /** Forgets why the last add failed (the admin cancelled or left the form). */
  clearAddError: () => void;
  /** Forgets an instance (`instances.remove`; its files are not touched); refused while an action runs here. */
  removeInstance: (name: string) => Promise<void>;
  /** Makes `name` the active instance; refused while an action started here runs. */
  useInstance: (name: string) => Promise<void>;
  /** Installs the newest compatible version, or `version` (another version, older or newer). */
  /** `acceptNewChecksum`: the new SHA-256 the admin trusts after a `checksum-changed` failure. */
  install: (key: string, version?: string, acceptNewChecksum?: string) => Promise<void>;
  update: (key: string, acceptNewChecksum?: string) => Promise<void>;
  /**
   * After a failed install or update refused as `checksum-changed`: the same action again, taking
   * exactly the archive whose SHA-256 the failure named (another one would be refused again).
   */
  trustNewChecksum: (key: string) => Promise<void>;
  /** Puts back the backup `backupId`, or the newest backup of `key`. */
  restore: (key: string, backupId?: string) => Promise<void>;
  remove: (key: string) => Promise<void>;
  /** Asks the core to stop the running install or update of `key`. */
  cancel: (key: string) => Promise<void>;
  /** Opens the "Update all" dialog with every plugin that has an update, all selected. */
  openUpdateAll: () => void;
  selectForUpdate: (key: string, selected: boolean) => void;
  /** Updates the selected plugins one after another; a failure does not stop the others. */
  runUpdateAll: () => Promise<void>;
  /**
   * After the batch, for a line refused as `checksum-changed`: updates that plugin alone again,
   * taking exactly the archive whose SHA-256 its failure named.
   */
  trustInBatch: (key: string) => Promise<void>;
  /** Stops the current update of the batch and skips the rest. */
  cancelUpdateAll: () => Promise<void>;
  /** Closes the dialog (not while it runs). */
  closeUpdateAll: () => void;
  loadBackups: () => Promise<void>;
  loadHistory: () => Promise<void>;
  /** Applies a `plugins.progressed` event. */
  receiveProgress: (progress: ActionProgress) => void;
}

/** The failed step an INSTALL_FAILED error carries in its details. */
export function failedStep(error: ErrorShape): string | null {
  const details = error.details as { step?: unknown } | null | undefined;
  return details && typeof details.step === 'string' ? details.step : null;
}

/** The SSH failure an SSH_FAILED error carries, or null for any other error. */
export function sshFailure(error: ErrorShape | null): SshFailure | null {
  if (error?.code !== 'SSH_FAILED') return null;
  const details = error.details as Partial<SshFailure> | null | undefined;
  return details && typeof details.code === 'string' ? (details as SshFailure) : null;
}

/** An INSTALL_FAILED error that says the job was cancelled (nothing was changed). */
export function isCancelled(error: ErrorShape): boolean {
  const details = error.details as { code?: unknown } | null | undefined;
  return error.code === 'INSTALL_FAILED' && !!details && details.code === 'cancelled';
}

/**
 * What GLPI's database says of a plugin folder (`plugin:list`), for the copy GLPI loads only; null
 * when the states could not be read or GLPI does not list it.
 */
export function glpiStateOf(
  view: PluginsView | null,
  plugin: { key: string; shadowedBy: unknown },
): ConsolePlugin | null {
  if (plugin.shadowedBy !== null) return null;
  return view?.console?.glpi?.plugins?.find((p) => p.key === plugin.key) ?? null;
}

/** The plugins "Update all" would update: loaded copies with an update. */
export function updatable(view: PluginsView | null): string[] {
  if (!view) return [];
  return view.plugins.filter((p) => p.update !== null && p.shadowedBy === null).map((p) => p.key);
}

/** Steps after which the core finishes rather than stop (a half-swapped folder is worse). */
const UNCANCELLABLE_STEPS: readonly string[] = ['swap', 'backup'];

/**
 * Why a running job cannot be cancelled now, or null when it can: only installs and updates can be
 * stopped, before their files are put in place, and once.
 */
export function cancelBlocked(job: RunningJob): 'action' | 'swap' | 'asked' | null {
  if (job.action !== 'install' && job.action !== 'update') return 'action';
  if (job.cancel === 'asking' || job.cancel === 'asked' || job.cancel === 'waiting') return 'asked';
  if (job.step !== null && UNCANCELLABLE_STEPS.includes(job.step)) return 'swap';
  return null;
}

/** An action started from this window is running (the instance must not change under it). */
export function busyHere(s: Pick<InstalledSlice, 'jobs' | 'updatingAll'>): boolean {
  return s.updatingAll || Object.values(s.jobs).some((j) => j.state === 'running' && j.local);
}

/** The backups of one plugin, newest first. */
export function backupsOf(backups: readonly PluginBackup[], key: string): PluginBackup[] {
  return backups.filter((b) => b.key === key);
}

/** Plugins whose folder is gone from marketplace/ but kept in the backups, by key, newest first. */
export function removedPlugins(backups: readonly PluginBackup[]): { key: string; backups: PluginBackup[] }[] {
  const byKey = new Map<string, PluginBackup[]>();
  for (const b of backups) {
    if (b.installed) continue;
    const list = byKey.get(b.key);
    if (list) list.push(b);
    else byKey.set(b.key, [b]);
  }
  return [...byKey].sort(([a], [b]) => a.localeCompare(b)).map(([key, list]) => ({ key, backups: list }));
}

function batchResultOf(job: PluginJob | null): BatchResult {
  if (!job) return { state: 'skipped', reason: 'busy' };
  switch (job.state) {
    case 'done':
      return { state: 'done', report: job.report };
    case 'failed':
      return { state: 'failed', error: job.error, step: job.step };
    case 'cancelled':
      return { state: 'cancelled' };
    default:
      return { state: 'running' };
  }
}

function createInstalledSlice(ctx: SliceContext<InstalledSlice>): InstalledSlice {
  let readSeq = 0;
  let instancesSeq = 0;
  let historySeq = 0;
  let backupsSeq = 0;

  function setJob(key: string, job: PluginJob): void {
    ctx.patch({ jobs: { ...ctx.slice().jobs, [key]: job } });
  }

  function patchRunning(key: string, change: Partial<RunningJob>): void {
    const job = ctx.slice().jobs[key];
    if (job?.state === 'running') setJob(key, { ...job, ...change });
  }

  function patchBatch(change: Partial<UpdateBatch>): void {
    const batch = ctx.slice().batch;
    if (batch) ctx.patch({ batch: { ...batch, ...change } });
  }

  function setBatchResult(key: string, result: BatchResult): void {
    const batch = ctx.slice().batch;
    if (!batch) return;
    ctx.patch({ batch: { ...batch, items: batch.items.map((i) => (i.key === key ? { ...i, result } : i)) } });
  }

  /** Updates `requests` one after another as the batch's lines; a failure does not stop the others. */
  async function runBatch(requests: { key: string; acceptNewChecksum?: string }[]): Promise<void> {
    patchBatch({ phase: 'running', cancelling: false });
    ctx.patch({ updatingAll: true });
    try {
      for (const req of requests) {
        if (ctx.slice().batch?.cancelling) {
          setBatchResult(req.key, { state: 'skipped', reason: 'cancelled' });
          continue;
        }
        setBatchResult(req.key, { state: 'running' });
        const job = await run('update', req.key, () => ctx.api.invoke('plugins.update', req));
        setBatchResult(req.key, batchResultOf(job));
      }
    } finally {
      patchBatch({ phase: 'finished' });
      ctx.patch({ updatingAll: false });
    }
  }

  async function load(): Promise<void> {
    const seq = ++readSeq;
    if (ctx.slice().view === null) ctx.patch({ loadState: LOADING });
    void loadInstances();
    try {
      const view = await ctx.api.invoke('plugins.list', {});
      if (seq !== readSeq) return;
      const before = ctx.slice().view?.instance?.name;
      const jobs = ctx.slice().jobs;
      // Another window switched instances: the finished jobs shown were about the other one.
      const keep =
        before !== undefined && before !== view.instance?.name
          ? Object.fromEntries(Object.entries(jobs).filter(([, j]) => j.state === 'running'))
          : jobs;
      ctx.patch({ view, loadState: READY, jobs: keep });
    } catch (err) {
      if (seq !== readSeq) return;
      if (ctx.slice().view) ctx.patch({ actionError: toErrorShape(err) });
      else ctx.patch({ loadState: failed(toErrorShape(err)) });
    }
  }

  async function loadInstances(): Promise<void> {
    const seq = ++instancesSeq;
    try {
      const instanceList = await ctx.api.invoke('instances.list', {});
      if (seq === instancesSeq) ctx.patch({ instanceList });
    } catch (err) {
      // The switcher falls back to the active instance alone; the error says why.
      if (seq === instancesSeq) ctx.patch({ actionError: toErrorShape(err) });
    }
  }

  /** Reads a list under `state`: LOADING, then `read`'s patch and READY, or the error; a later read wins. */
  async function loadList(
    state: 'historyState' | 'backupsState',
    read: () => Promise<Partial<InstalledSlice>>,
    current: () => boolean,
  ): Promise<void> {
    ctx.patch({ [state]: LOADING });
    try {
      const patch = await read();
      if (current()) ctx.patch({ ...patch, [state]: READY });
    } catch (err) {
      if (current()) ctx.patch({ [state]: failed(toErrorShape(err)) });
    }
  }

  async function loadHistory(): Promise<void> {
    const seq = ++historySeq;
    const read = async () => ({ history: await ctx.api.invoke('plugins.history', {}) });
    await loadList('historyState', read, () => seq === historySeq);
  }

  async function loadBackups(): Promise<void> {
    const seq = ++backupsSeq;
    const read = async () => ({ backups: await ctx.api.invoke('plugins.backups', {}) });
    await loadList('backupsState', read, () => seq === backupsSeq);
  }

  /** Re-reads what an action or a switch may have changed (only what someone has read already). */
  function rereadAfterChange(): void {
    void load();
    if (ctx.slice().historyState.status !== 'idle') void loadHistory();
    if (ctx.slice().backupsState.status !== 'idle') void loadBackups();
  }

  /** Runs one action; resolves with how it ended, or null when another one on `key` was running. */
  async function run(action: PluginAction, key: string, call: () => Promise<ActionReport>): Promise<PluginJob | null> {
    const current = ctx.slice().jobs[key];
    if (current?.state === 'running') return null;
    setJob(key, { state: 'running', action, step: null, fraction: 0, local: true, cancel: 'none', cancelError: null });
    let job: PluginJob;
    try {
      const report = await call();
      job = { state: 'done', action, report };
    } catch (err) {
      const error = toErrorShape(err);
      job = isCancelled(error)
        ? { state: 'cancelled', action, step: failedStep(error) }
        : { state: 'failed', action, error, step: failedStep(error) };
    }
    setJob(key, job);
    // The core also says `plugins.changed`; reading here keeps a window without events right.
    rereadAfterChange();
    return job;
  }

  async function askCancel(key: string): Promise<void> {
    const asked = ctx.slice().jobs[key];
    // The core takes a cancel once the job has begun (its first step), not while it reads the catalogue.
    const begun = asked?.state === 'running' && asked.step !== null;
    patchRunning(key, { cancel: 'asking', cancelError: null });
    try {
      const { cancelled } = await ctx.api.invoke('plugins.cancel', { key });
      const job = ctx.slice().jobs[key];
      if (job?.state !== 'running') return;
      if (cancelled) patchRunning(key, { cancel: 'asked' });
      else if (begun) patchRunning(key, { cancel: 'too-late' });
      // It began while the answer came back: ask again now.
      else if (job.step !== null) await askCancel(key);
      // Asked too early: ask again at its first step (see receiveProgress).
      else patchRunning(key, { cancel: 'waiting' });
    } catch (err) {
      patchRunning(key, { cancel: 'none', cancelError: toErrorShape(err) });
    }
  }

  async function switchInstance(name: string): Promise<void> {
    const s = ctx.slice();
    if (s.switching !== null || busyHere(s) || s.view?.instance?.name === name) return;
    ctx.patch({ switching: name, actionError: null });
    try {
      const view = await ctx.api.invoke('instances.use', { name });
      readSeq++;
      // History and backups belong to the instance: the old ones must not show under the new name.
      historySeq++;
      backupsSeq++;
      const after = ctx.slice();
      ctx.patch({
        view,
        loadState: READY,
        jobs: {},
        consoleRuns: {},
        resumeRun: null,
        batch: null,
        switching: null,
        history: [],
        historyState: after.historyState.status === 'idle' ? IDLE : LOADING,
        backups: [],
        backupsState: after.backupsState.status === 'idle' ? IDLE : LOADING,
      });
      if (after.historyState.status !== 'idle') void loadHistory();
      if (after.backupsState.status !== 'idle') void loadBackups();
      void loadInstances();
    } catch (err) {
      ctx.patch({ switching: null, actionError: toErrorShape(err) });
    }
  }

  return {
    consoleRuns: {},
    async runConsole(key, action) {
      const setRun = (run: ConsoleState) => ctx.patch({ consoleRuns: { ...ctx.slice().consoleRuns, [key]: run } });
      if (ctx.slice().consoleRuns[key]?.state === 'running') return;
      setRun({ state: 'running', action });
      try {
        setRun({ state: 'done', action, run: await ctx.api.invoke('plugins.console', { key, action }) });
      } catch (err) {
        setRun({ state: 'failed', action, error: toErrorShape(err) });
      }
    },
    resumeRun: null,
    async resumeExecution() {
      if (ctx.slice().resumeRun?.state === 'running') return;
      ctx.patch({ resumeRun: { state: 'running', action: 'resume' } });
      try {
        const run = await ctx.api.invoke('plugins.console', { action: 'resume' });
        ctx.patch({ resumeRun: { state: 'done', action: 'resume', run } });
      } catch (err) {
        ctx.patch({ resumeRun: { state: 'failed', action: 'resume', error: toErrorShape(err) } });
      }
      // Resumed plugins change what GLPI's console lists and says.
      void load();
    },
    view: null,
    loadState: IDLE,
    instanceList: null,
    switching: null,
    adding: false,
    addError: null,
    removingInstance: null,
    actionError: null,
    jobs: {},
    updatingAll: false,
    batch: null,
    backups: [],
    backupsState: IDLE,
    history: [],
    historyState: IDLE,

    load,
    loadInstances,

    async addInstance(root, name, ssh) {
      if (ctx.slice().adding) return null;
      ctx.patch({ adding: true, addError: null });
      let instance: InstanceSummary;
      try {
        const req: { root: string; name?: string; ssh?: SshAddOptions } = { root: root.trim() };
        const trimmed = name?.trim();
        if (trimmed) req.name = trimmed;
        if (ssh) req.ssh = ssh;
        instance = await ctx.api.invoke('instances.add', req);
      } catch (err) {
        ctx.patch({ adding: false, addError: toErrorShape(err) });
        return null;
      }
      ctx.patch({ adding: false });
      // The new instance becomes the active one, unless an action runs in the current one: it is
      // listed in the switcher then, to choose once the action has ended.
      if (!instance.active && !busyHere(ctx.slice())) await switchInstance(instance.name);
      else await load();
      return instance;
    },

    clearAddError() {
      if (ctx.slice().addError) ctx.patch({ addError: null });
    },

    async removeInstance(name) {
      const s = ctx.slice();
      if (s.removingInstance !== null || s.switching !== null || busyHere(s)) return;
      ctx.patch({ removingInstance: name, actionError: null });
      try {
        const instanceList = await ctx.api.invoke('instances.remove', { name });
        instancesSeq++;
        ctx.patch({ instanceList, removingInstance: null });
      } catch (err) {
        ctx.patch({ removingInstance: null, actionError: toErrorShape(err) });
        return;
      }
      // The active instance may have changed (or be gone): read the view again.
      rereadAfterChange();
    },

    useInstance: switchInstance,

    async install(key, version, acceptNewChecksum) {
      const req = { key, ...(version ? { version } : {}), ...(acceptNewChecksum ? { acceptNewChecksum } : {}) };
      await run('install', key, () => ctx.api.invoke('plugins.install', req));
    },
    async update(key, acceptNewChecksum) {
      const req = { key, ...(acceptNewChecksum ? { acceptNewChecksum } : {}) };
      await run('update', key, () => ctx.api.invoke('plugins.update', req));
    },
    async trustNewChecksum(key) {
      const job = ctx.slice().jobs[key];
      const changed = job?.state === 'failed' ? checksumChanged(job.error) : null;
      if (!job || !changed) return;
      const s = ctx.slice();
      if (job.action === 'update') await s.update(key, changed.received);
      else await s.install(key, changed.version, changed.received);
    },
    async restore(key, backupId) {
      await run('restore', key, () => ctx.api.invoke('plugins.restore', backupId ? { key, backupId } : { key }));
    },
    async remove(key) {
      await run('remove', key, () => ctx.api.invoke('plugins.remove', { key }));
    },

    async cancel(key) {
      const job = ctx.slice().jobs[key];
      if (job?.state !== 'running' || cancelBlocked(job) !== null) return;
      await askCancel(key);
    },

    openUpdateAll() {
      const s = ctx.slice();
      if (s.batch?.phase === 'running' || !s.view) return;
      const items: BatchItem[] = s.view.plugins
        .filter((p) => p.update !== null && p.shadowedBy === null)
        .map((p) => ({
          key: p.key,
          name: p.name ?? p.key,
          location: p.location,
          from: p.version,
          to: p.update ?? '',
          selected: true,
          result: { state: 'waiting' },
        }));
      if (items.length > 0) ctx.patch({ batch: { phase: 'review', items, cancelling: false } });
    },

    selectForUpdate(key, selected) {
      const batch = ctx.slice().batch;
      if (batch?.phase !== 'review') return;
      patchBatch({ items: batch.items.map((i) => (i.key === key ? { ...i, selected } : i)) });
    },

    async runUpdateAll() {
      const batch = ctx.slice().batch;
      if (batch?.phase !== 'review' || ctx.slice().updatingAll) return;
      const chosen = batch.items.filter((i) => i.selected).map((i) => i.key);
      if (chosen.length === 0) return;
      patchBatch({
        items: batch.items.map((i) => ({ ...i, result: i.selected ? { state: 'waiting' } : { state: 'unselected' } })),
      });
      await runBatch(chosen.map((key) => ({ key })));
    },

    async trustInBatch(key) {
      const batch = ctx.slice().batch;
      if (batch?.phase !== 'finished' || ctx.slice().updatingAll) return;
      const result = batch.items.find((i) => i.key === key)?.result;
      const changed = result?.state === 'failed' ? checksumChanged(result.error) : null;
      if (changed) await runBatch([{ key, acceptNewChecksum: changed.received }]);
    },

    async cancelUpdateAll() {
      const batch = ctx.slice().batch;
      if (batch?.phase !== 'running' || batch.cancelling) return;
      patchBatch({ cancelling: true });
      const current = batch.items.find((i) => i.result.state === 'running');
      const job = current ? ctx.slice().jobs[current.key] : undefined;
      if (current && job?.state === 'running' && cancelBlocked(job) === null) await askCancel(current.key);
    },

    closeUpdateAll() {
      if (ctx.slice().batch?.phase === 'running') return;
      ctx.patch({ batch: null });
    },

    loadBackups,
    loadHistory,

    receiveProgress(progress) {
      const job = ctx.slice().jobs[progress.key];
      // Progress of an action started elsewhere (another window) is shown too; a finished job stays.
      if (job && job.state !== 'running') return;
      const fraction = Math.min(1, Math.max(0, progress.fraction));
      if (!job) {
        setJob(progress.key, {
          state: 'running',
          action: progress.action,
          step: progress.step,
          fraction,
          local: false,
          cancel: 'none',
          cancelError: null,
        });
        return;
      }
      setJob(progress.key, { ...job, action: progress.action, step: progress.step, fraction });
      // The job has begun in the core: a Cancel that came too early can get through now.
      if (job.cancel === 'waiting') void askCancel(progress.key);
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
      if (ctx.slice().backupsState.status !== 'idle') void ctx.slice().loadBackups();
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
