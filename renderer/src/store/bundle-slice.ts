import type {
  BundleCreateReport,
  BundleFileRef,
  BundleImportResult,
  BundleInspectReport,
  BundlePreview,
  BundleProgress,
} from '../../../shared/bundle';
import type { ErrorShape } from '../../../shared/errors';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import { askToStop } from './ask-to-stop';
import type { SliceContext, SliceDefinition } from './slice';

/** How far one plugin of a running export or import went (`bundles.progressed`). */
export interface BundleItemProgress {
  phase: BundleProgress['phase'];
  step: string | null;
  fraction: number;
}

/** The Export dialog, for one instance: its plugins, or a manifest's, bundled for a GLPI version. */
export interface ExportDialogState {
  /** The instance it was opened for. */
  instance: string;
  /** Its GLPI version: the target offered first. */
  instanceVersion: string | null;
  /** What goes in: the instance's plugins at their versions, or a manifest's. */
  source: 'instance' | 'manifest';
  manifestText: string;
  /** The manifest file's name, when read from one. */
  manifestName: string | null;
  /** The GLPI version to bundle for, as typed; '' for the core's default. */
  glpiVersion: string;
  /** What would go in (`bundles.preview`), for the source and version above. */
  preview: BundlePreview | null;
  previewState: AsyncState;
  /** `bundles.chooseSave` or `bundles.export` runs. */
  running: boolean;
  /** Where the bundle goes; kept so that trusting a new checksum makes it into the same file. */
  target: BundleFileRef | null;
  /** The admin cancelled the save dialog, or stopped the bundle being made. */
  cancelled: boolean;
  /** The admin asked to stop (`bundles.cancel`); the export has not ended yet. */
  stopping: boolean;
  progress: Record<string, BundleItemProgress>;
  report: BundleCreateReport | null;
  error: ErrorShape | null;
}

/** The Import dialog, into one instance: a bundle file, its check, its plan, then the import. */
export interface ImportDialogState {
  instance: string;
  /** The bundle chosen (desktop app) or uploaded (browser shell). */
  file: BundleFileRef | null;
  /** The open dialog or the upload runs; `uploaded` is the upload's share sent. */
  choosing: boolean;
  uploaded: number | null;
  fileError: ErrorShape | null;
  /** The whole file's SHA-256 the admin received with it, as typed. */
  sha256: string;
  inspect: BundleInspectReport | null;
  checkState: AsyncState;
  /** What importing would change (`bundles.apply` with `plan`). */
  plan: BundleImportResult | null;
  planState: AsyncState;
  importing: boolean;
  /** The admin asked to stop (`bundles.cancel`); the import has not ended yet. */
  stopping: boolean;
  /** The last import was stopped by the admin: while the bundle was read, or between plugins. */
  cancelled: boolean;
  /** The whole file's verification (0..1) while an import runs, then each plugin's install. */
  verified: number | null;
  progress: Record<string, BundleItemProgress>;
  result: BundleImportResult | null;
  importError: ErrorShape | null;
}

export interface BundleSlice {
  exportDialog: ExportDialogState | null;
  importDialog: ImportDialogState | null;
  /**
   * The browser shell: where the page downloads a bundle made into a temporary file (and bundles
   * to import are uploaded). Null in the desktop app, whose main process shows its own dialogs.
   */
  downloadUrl: ((ref: string) => string) | null;

  /** Opens the Export dialog for `instance` (whose GLPI version is the target offered) and lists its plugins. */
  openExport: (instance: string, glpiVersion: string | null) => Promise<void>;
  /** Closes it (not while a bundle is made); a temporary file not downloaded goes. */
  closeExport: () => void;
  setExportSource: (source: ExportDialogState['source']) => void;
  /** The manifest to bundle, pasted or read from the file `name`. */
  setManifest: (text: string, name?: string | null) => void;
  setGlpiVersion: (version: string) => void;
  /** Lists what the bundle would hold. */
  preview: () => Promise<void>;
  /**
   * Asks where the bundle goes (desktop app) or makes a temporary file (browser shell), then makes
   * it. `acceptNewChecksum`: the new SHA-256 the admin trusted, made into the same file.
   */
  runExport: (acceptNewChecksum?: string) => Promise<void>;

  /** Opens the Import dialog for the active instance `instance`. */
  openImport: (instance: string) => void;
  /** Closes it (not while an import runs); an uploaded file goes. */
  closeImport: () => void;
  /** Desktop app: the main process's open dialog. */
  chooseFile: () => Promise<void>;
  /** Browser shell: sends the file to the server, streamed. */
  uploadFile: (file: File) => Promise<void>;
  /** A refusal of the page before anything is sent (a file too large, not a bundle). */
  refuseFile: (error: ErrorShape) => void;
  setSha256: (text: string) => void;
  /** Inspects the bundle, then (when every archive is intact) plans the import. */
  check: () => Promise<void>;
  /** Imports, stopping at the first failure (a second import of the same bundle has nothing to do). */
  runImport: (acceptNewChecksum?: string) => Promise<void>;
  /**
   * Stops the running export, check or import (`bundles.cancel`): an export leaves no file, a check
   * plans nothing, an import stops before its next plugin (a plugin already swapping finishes).
   */
  stopRun: () => Promise<void>;
}

/** Whether `err` is the core's answer to `bundles.cancel`: the bundle was not made, or not read. */
function isCancelled(err: ErrorShape): boolean {
  return err.code === 'BUNDLE_FAILED' && (err.details as { code?: unknown } | undefined)?.code === 'cancelled';
}

function initialExport(instance: string, glpiVersion: string | null): ExportDialogState {
  return {
    instance,
    instanceVersion: glpiVersion,
    source: 'instance',
    manifestText: '',
    manifestName: null,
    glpiVersion: glpiVersion ?? '',
    preview: null,
    previewState: IDLE,
    running: false,
    target: null,
    cancelled: false,
    stopping: false,
    progress: {},
    report: null,
    error: null,
  };
}

function initialImport(instance: string): ImportDialogState {
  return {
    instance,
    file: null,
    choosing: false,
    uploaded: null,
    fileError: null,
    sha256: '',
    inspect: null,
    checkState: IDLE,
    plan: null,
    planState: IDLE,
    importing: false,
    stopping: false,
    cancelled: false,
    verified: null,
    progress: {},
    result: null,
    importError: null,
  };
}

/** The SHA-256 typed, without spaces and in lower case; null when none was typed. */
export function typedSha256(text: string): string | null {
  const value = text.replace(/\s+/g, '').toLowerCase();
  return value === '' ? null : value;
}

/** Whether a typed SHA-256 has the right form (64 hexadecimal digits), or is empty. */
export function sha256Valid(text: string): boolean {
  const value = typedSha256(text);
  return value === null || /^[0-9a-f]{64}$/.test(value);
}

/** `YYYY-MM-DD` of `now`, for file names. */
function day(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** A name for the bundle: `<instance or manifest>-plugins-<GLPI version>-<date>.mdbundle`, safe characters only. */
export function bundleFileName(dialog: ExportDialogState, now: Date): string {
  const base =
    dialog.source === 'manifest'
      ? (dialog.manifestName?.replace(/\.(json|ya?ml)$/i, '') ?? 'manifest')
      : dialog.instance;
  const version = dialog.glpiVersion.trim() || dialog.instanceVersion || '';
  const name = [base, 'plugins', version, day(now)].filter(Boolean).join('-');
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'plugins'}.mdbundle`;
}

function createBundleSlice(ctx: SliceContext<BundleSlice>): BundleSlice {
  // Each open starts a new session: answers for an earlier one (or a closed dialog) are dropped.
  let exportSession = 0;
  let importSession = 0;
  let previewSeq = 0;

  function patchExport(mine: number, change: Partial<ExportDialogState>): boolean {
    const dialog = ctx.slice().exportDialog;
    if (mine !== exportSession || !dialog) return false;
    ctx.patch({ exportDialog: { ...dialog, ...change } });
    return true;
  }

  function patchImport(mine: number, change: Partial<ImportDialogState>): boolean {
    const dialog = ctx.slice().importDialog;
    if (mine !== importSession || !dialog) return false;
    ctx.patch({ importDialog: { ...dialog, ...change } });
    return true;
  }

  /** Forgets a file reference; a temporary file goes with it. */
  function release(file: BundleFileRef | null): void {
    if (file) void ctx.api.invoke('bundles.release', { ref: file.ref }).catch(() => undefined);
  }

  /** What to bundle, as the channels take it; null when a manifest is chosen but empty. */
  function choice(dialog: ExportDialogState) {
    const version = dialog.glpiVersion.trim();
    const from =
      dialog.source === 'instance'
        ? { instance: dialog.instance }
        : dialog.manifestText.trim() === ''
          ? null
          : { manifest: dialog.manifestText, ...(dialog.manifestName ? { manifestName: dialog.manifestName } : {}) };
    return from ? { ...from, ...(version ? { glpiVersion: version } : {}) } : null;
  }

  /** A change of what goes in: the list and the last result are about the old choice. */
  function changed(change: Partial<ExportDialogState>): void {
    previewSeq++;
    patchExport(exportSession, { ...change, preview: null, previewState: IDLE, report: null, error: null });
  }

  async function preview(): Promise<void> {
    const mine = exportSession;
    const seq = ++previewSeq;
    const dialog = ctx.slice().exportDialog;
    const req = dialog && choice(dialog);
    if (!dialog || !req) return;
    patchExport(mine, { previewState: LOADING });
    try {
      const result = await ctx.api.invoke('bundles.preview', req);
      if (seq === previewSeq) patchExport(mine, { preview: result, previewState: READY });
    } catch (err) {
      if (seq === previewSeq) patchExport(mine, { preview: null, previewState: failed(toErrorShape(err)) });
    }
  }

  async function plan(mine: number, file: BundleFileRef, sha256: string | null): Promise<void> {
    patchImport(mine, { planState: LOADING });
    try {
      const result = await ctx.api.invoke('bundles.apply', {
        ref: file.ref,
        plan: true,
        ...(sha256 ? { sha256 } : {}),
      });
      patchImport(mine, { plan: result, planState: READY });
    } catch (err) {
      patchImport(mine, { plan: null, planState: failed(toErrorShape(err)) });
    }
  }

  /** A new file replaces the old one: what was checked, planned and imported was about the old one. */
  function takeFile(mine: number, file: BundleFileRef): void {
    const old = ctx.slice().importDialog?.file ?? null;
    if (
      !patchImport(mine, {
        file,
        inspect: null,
        checkState: IDLE,
        plan: null,
        planState: IDLE,
        result: null,
        importError: null,
      })
    ) {
      release(file);
      return;
    }
    if (old && old.ref !== file.ref) release(old);
  }

  /** The import dialog's session, file and typed SHA-256 when a check or an import can start now. */
  function readyToRead(): { mine: number; file: BundleFileRef; sha256: string | null } | null {
    const dialog = ctx.slice().importDialog;
    if (!dialog?.file || dialog.importing || !sha256Valid(dialog.sha256)) return null;
    return { mine: importSession, file: dialog.file, sha256: typedSha256(dialog.sha256) };
  }

  const files = ctx.api.files;
  return {
    exportDialog: null,
    importDialog: null,
    downloadUrl: files ? (ref) => files.downloadUrl(ref) : null,

    async openExport(instance, glpiVersion) {
      if (ctx.slice().exportDialog?.running) return;
      release(ctx.slice().exportDialog?.target ?? null);
      exportSession++;
      ctx.patch({ exportDialog: initialExport(instance, glpiVersion) });
      await preview();
    },

    closeExport() {
      const dialog = ctx.slice().exportDialog;
      if (!dialog || dialog.running) return;
      exportSession++;
      if (dialog.target?.kind === 'temporary') release(dialog.target);
      ctx.patch({ exportDialog: null });
    },

    setExportSource(source) {
      const dialog = ctx.slice().exportDialog;
      if (!dialog || dialog.running || dialog.source === source) return;
      changed({ source });
      if (source === 'instance') void preview();
    },

    setManifest(text, name = null) {
      const dialog = ctx.slice().exportDialog;
      if (!dialog || dialog.running) return;
      changed({ manifestText: text, manifestName: name });
    },

    setGlpiVersion(version) {
      const dialog = ctx.slice().exportDialog;
      if (!dialog || dialog.running) return;
      changed({ glpiVersion: version });
    },

    preview,

    async runExport(acceptNewChecksum) {
      const mine = exportSession;
      const dialog = ctx.slice().exportDialog;
      const req = dialog && choice(dialog);
      if (!dialog || !req || dialog.running) return;
      patchExport(mine, { running: true, cancelled: false, stopping: false, progress: {}, report: null, error: null });
      try {
        // A trust runs into the same file; any other export asks again (it may hold other plugins).
        let target = acceptNewChecksum ? dialog.target : null;
        if (!target) {
          if (dialog.target?.kind === 'temporary') release(dialog.target);
          target = await ctx.api.invoke('bundles.chooseSave', { name: bundleFileName(dialog, ctx.now()) });
          if (!target) {
            patchExport(mine, { target: null, cancelled: true });
            return;
          }
          if (!patchExport(mine, { target })) {
            release(target);
            return;
          }
        }
        const report = await ctx.api.invoke('bundles.export', {
          ...req,
          ref: target.ref,
          ...(acceptNewChecksum ? { acceptNewChecksum } : {}),
        });
        patchExport(mine, { report });
      } catch (err) {
        const error = toErrorShape(err);
        patchExport(mine, isCancelled(error) ? { cancelled: true } : { error });
      } finally {
        patchExport(mine, { running: false, stopping: false });
      }
    },

    openImport(instance) {
      if (ctx.slice().importDialog?.importing) return;
      release(ctx.slice().importDialog?.file ?? null);
      importSession++;
      ctx.patch({ importDialog: initialImport(instance) });
    },

    closeImport() {
      const dialog = ctx.slice().importDialog;
      if (!dialog || dialog.importing || dialog.choosing) return;
      importSession++;
      release(dialog.file);
      ctx.patch({ importDialog: null });
    },

    async chooseFile() {
      const mine = importSession;
      const dialog = ctx.slice().importDialog;
      if (!dialog || dialog.importing || dialog.choosing) return;
      patchImport(mine, { choosing: true, fileError: null });
      try {
        const file = await ctx.api.invoke('bundles.chooseOpen', {});
        if (file) takeFile(mine, file);
      } catch (err) {
        patchImport(mine, { fileError: toErrorShape(err) });
      } finally {
        patchImport(mine, { choosing: false });
      }
    },

    async uploadFile(file) {
      const mine = importSession;
      const dialog = ctx.slice().importDialog;
      if (!dialog || !files || dialog.importing || dialog.choosing) return;
      patchImport(mine, { choosing: true, uploaded: 0, fileError: null });
      try {
        const ref = await files.upload(file, (fraction) => patchImport(mine, { uploaded: fraction }));
        takeFile(mine, ref);
      } catch (err) {
        patchImport(mine, { fileError: toErrorShape(err) });
      } finally {
        patchImport(mine, { choosing: false, uploaded: null });
      }
    },

    refuseFile(error) {
      patchImport(importSession, { fileError: error });
    },

    setSha256(text) {
      const dialog = ctx.slice().importDialog;
      if (!dialog || dialog.importing) return;
      patchImport(importSession, { sha256: text, inspect: null, checkState: IDLE, plan: null, planState: IDLE });
    },

    async check() {
      const ready = readyToRead();
      if (!ready) return;
      const { mine, file, sha256 } = ready;
      patchImport(mine, {
        checkState: LOADING,
        stopping: false,
        cancelled: false,
        inspect: null,
        plan: null,
        planState: IDLE,
        result: null,
        importError: null,
      });
      let inspect: BundleInspectReport;
      try {
        inspect = await ctx.api.invoke('bundles.check', { ref: file.ref, ...(sha256 ? { sha256 } : {}) });
        if (!patchImport(mine, { inspect, checkState: READY, stopping: false })) return;
      } catch (err) {
        const error = toErrorShape(err);
        const ended = isCancelled(error) ? { checkState: IDLE, cancelled: true } : { checkState: failed(error) };
        patchImport(mine, { ...ended, stopping: false });
        return;
      }
      // A bundle that failed its check has nothing to plan: the import would refuse it.
      if (inspect.verified) await plan(mine, file, sha256);
    },

    async runImport(acceptNewChecksum) {
      const ready = readyToRead();
      if (!ready) return;
      const { mine, file, sha256 } = ready;
      patchImport(mine, {
        importing: true,
        stopping: false,
        cancelled: false,
        verified: 0,
        progress: {},
        result: null,
        importError: null,
      });
      try {
        const result = await ctx.api.invoke('bundles.apply', {
          ref: file.ref,
          ...(sha256 ? { sha256 } : {}),
          ...(acceptNewChecksum ? { acceptNewChecksum } : {}),
        });
        // Stopped between plugins (or inside one): the result says which were done.
        const stopped = ctx.slice().importDialog?.stopping === true && result.failed !== null;
        patchImport(mine, { result, cancelled: stopped });
      } catch (err) {
        const error = toErrorShape(err);
        patchImport(mine, isCancelled(error) ? { cancelled: true } : { importError: error });
      } finally {
        patchImport(mine, { importing: false, stopping: false, verified: null });
      }
    },

    async stopRun() {
      const { exportDialog, importDialog } = ctx.slice();
      const exporting = exportDialog?.running === true && !exportDialog.stopping;
      const importing =
        (importDialog?.importing === true || importDialog?.checkState.status === 'loading') && !importDialog.stopping;
      if (!exporting && !importing) return;
      const [e, i] = [exportSession, importSession];
      await askToStop(
        () => ctx.api.invoke('bundles.cancel', {}),
        (stopping) => {
          if (exporting) patchExport(e, { stopping });
          if (importing) patchImport(i, { stopping });
        },
      );
    },
  };
}

export const bundleSlice: SliceDefinition<BundleSlice> = {
  create: createBundleSlice,
  connect(ctx) {
    return ctx.api.on('bundles.progressed', (p) => {
      const { exportDialog, importDialog } = ctx.slice();
      if (p.operation === 'create' && exportDialog?.running && p.key) {
        const progress = { ...exportDialog.progress, [p.key]: { phase: p.phase, step: p.step, fraction: p.fraction } };
        ctx.patch({ exportDialog: { ...exportDialog, progress } });
      } else if (p.operation === 'import' && importDialog?.importing) {
        if (p.phase === 'verify') ctx.patch({ importDialog: { ...importDialog, verified: p.fraction } });
        else if (p.key) {
          const progress = {
            ...importDialog.progress,
            [p.key]: { phase: p.phase, step: p.step, fraction: p.fraction },
          };
          ctx.patch({ importDialog: { ...importDialog, verified: 1, progress } });
        }
      }
    });
  },
};
