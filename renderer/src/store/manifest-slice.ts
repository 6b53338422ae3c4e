import type { ErrorShape } from '../../../shared/errors';
import type { Events } from '../../../shared/ipc/contract';
import type { Manifest, ManifestFormat, ManifestParse } from '../../../shared/manifest';
import type { ManifestApplyResult, ManifestPlan } from '../../../shared/manifest-plan';
import { toErrorShape } from '../api/transport';
import { failed, IDLE, LOADING, READY, type AsyncState } from './async-state';
import type { SliceContext, SliceDefinition } from './slice';
import { askToStop } from './ask-to-stop';

/** What the Manifest dialog shows for one instance; reset each time it opens. */
export interface ManifestDialogState {
  /** The instance the dialog is open for. */
  instance: string;
  /** The manifest attached to it (`manifest.attached`), or null. */
  attached: Manifest | null;
  attachedState: AsyncState;
  /** What the instance has (`manifest.export`), and that as text in `exportFormat`. */
  exportFormat: ManifestFormat;
  exported: Manifest | null;
  exportedText: string | null;
  exportState: AsyncState;
  /** The manifest to apply, as typed, pasted, read from a file, or the attached one. */
  draft: string;
  /** What the draft's file name said; null: the core tells it from the text. */
  draftFormat: ManifestFormat | null;
  /** The draft as read (`manifest.parse`), with every problem and its place; null until checked. */
  parsed: ManifestParse | null;
  checkState: AsyncState;
  /** Also remove what the manifest does not list. */
  prune: boolean;
  /** The changes that make the instance match the checked manifest (`manifest.plan`). */
  plan: ManifestPlan | null;
  planState: AsyncState;
  /** `manifest.apply` runs. */
  applying: boolean;
  /** The admin asked the apply to stop (`manifest.cancel`); it has not ended yet. */
  stopping: boolean;
  /** The last step the core reported during the apply (`manifest.progressed`). */
  progress: Events['manifest.progressed'] | null;
  /** What the last apply made, failed and left. */
  result: ManifestApplyResult | null;
  /** `manifest.apply` itself was refused. */
  applyError: ErrorShape | null;
  /** Attaching or detaching (`manifest.attach`) runs, and how the last one ended. */
  attaching: boolean;
  attachState: AsyncState;
}

export interface ManifestSlice {
  /** The Manifest dialog, while it is open. */
  dialog: ManifestDialogState | null;

  /** Opens the dialog for `instance`: reads what it has and its attached manifest (then plans that). */
  open: (instance: string) => Promise<void>;
  /** Closes it (not while an apply runs). */
  close: () => void;
  /** Shows the export as JSON or YAML. */
  setExportFormat: (format: ManifestFormat) => Promise<void>;
  /** Replaces the manifest to apply; what was checked, planned and applied for the old text goes. */
  setDraft: (text: string, format?: ManifestFormat | null) => void;
  /** Reads the draft; when it is a manifest, plans it. */
  check: () => Promise<void>;
  /** Prune or not, and plans again. */
  setPrune: (prune: boolean) => Promise<void>;
  /**
   * Makes the plan's changes (stops at the first failure), then plans again. `acceptNewChecksum`:
   * the new SHA-256 the admin trusted for a version whose archive changed (the result's
   * `failed.checksumChanged`), applied again with it.
   */
  apply: (acceptNewChecksum?: string) => Promise<void>;
  /** Stops the running apply before its next step (the step being made stops as its Cancel would). */
  stopApply: () => Promise<void>;
  /** Attaches the checked manifest to the instance, so that the Fleet view shows its drift. */
  attach: () => Promise<void>;
  detach: () => Promise<void>;
}

function initial(instance: string): ManifestDialogState {
  return {
    instance,
    attached: null,
    attachedState: LOADING,
    exportFormat: 'json',
    exported: null,
    exportedText: null,
    exportState: LOADING,
    draft: '',
    draftFormat: null,
    parsed: null,
    checkState: IDLE,
    prune: false,
    plan: null,
    planState: IDLE,
    applying: false,
    stopping: false,
    progress: null,
    result: null,
    applyError: null,
    attaching: false,
    attachState: IDLE,
  };
}

/** The manifest the draft was read as, when it is one. */
export function checkedManifest(dialog: ManifestDialogState | null): Manifest | null {
  return dialog?.parsed?.ok ? dialog.parsed.manifest : null;
}

function createManifestSlice(ctx: SliceContext<ManifestSlice>): ManifestSlice {
  // Every open starts a new session: answers for an earlier one (or a closed dialog) are dropped.
  let session = 0;
  let planSeq = 0;
  let exportSeq = 0;

  /** Patches the dialog when it is still the session `mine`. */
  function patchIf(mine: number, change: Partial<ManifestDialogState>): boolean {
    const dialog = ctx.slice().dialog;
    if (mine !== session || !dialog) return false;
    ctx.patch({ dialog: { ...dialog, ...change } });
    return true;
  }

  async function loadExport(mine: number): Promise<void> {
    const seq = ++exportSeq;
    const dialog = ctx.slice().dialog;
    if (!dialog) return;
    patchIf(mine, { exportState: LOADING });
    try {
      const exported = dialog.exported ?? (await ctx.api.invoke('manifest.export', { instance: dialog.instance }));
      const format = ctx.slice().dialog?.exportFormat ?? dialog.exportFormat;
      const { text } = await ctx.api.invoke('manifest.format', { manifest: exported, format });
      if (seq === exportSeq) patchIf(mine, { exported, exportedText: text, exportState: READY });
    } catch (err) {
      if (seq === exportSeq) patchIf(mine, { exportState: failed(toErrorShape(err)) });
    }
  }

  async function loadAttached(mine: number, instance: string): Promise<void> {
    try {
      const { manifest } = await ctx.api.invoke('manifest.attached', { instance });
      if (!patchIf(mine, { attached: manifest, attachedState: READY }) || !manifest) return;
      // The attached manifest is the one to apply, unless the admin has started another.
      const { text } = await ctx.api.invoke('manifest.format', { manifest, format: 'json' });
      if (mine !== session || ctx.slice().dialog?.draft !== '') return;
      setDraft(text, 'json');
      await check();
    } catch (err) {
      patchIf(mine, { attachedState: failed(toErrorShape(err)) });
    }
  }

  function setDraft(text: string, format: ManifestFormat | null = null): void {
    planSeq++;
    patchIf(session, {
      draft: text,
      draftFormat: format,
      parsed: null,
      checkState: IDLE,
      plan: null,
      planState: IDLE,
      result: null,
      applyError: null,
      attachState: IDLE,
    });
  }

  async function makePlan(): Promise<void> {
    const mine = session;
    const seq = ++planSeq;
    const dialog = ctx.slice().dialog;
    const manifest = checkedManifest(dialog);
    if (!dialog || !manifest) return;
    patchIf(mine, { planState: LOADING });
    try {
      const req = { manifest, instance: dialog.instance, ...(dialog.prune ? { prune: true } : {}) };
      const plan = await ctx.api.invoke('manifest.plan', req);
      if (seq === planSeq) patchIf(mine, { plan, planState: READY });
    } catch (err) {
      if (seq === planSeq) patchIf(mine, { plan: null, planState: failed(toErrorShape(err)) });
    }
  }

  async function check(): Promise<void> {
    const mine = session;
    const dialog = ctx.slice().dialog;
    if (!dialog || dialog.applying) return;
    const { draft, draftFormat } = dialog;
    patchIf(mine, { checkState: LOADING, parsed: null, plan: null, planState: IDLE, result: null });
    try {
      const parsed = await ctx.api.invoke('manifest.parse', {
        text: draft,
        ...(draftFormat ? { format: draftFormat } : {}),
      });
      // The text changed meanwhile: this answer is about the old one.
      if (ctx.slice().dialog?.draft !== draft || !patchIf(mine, { parsed, checkState: READY })) return;
    } catch (err) {
      patchIf(mine, { checkState: failed(toErrorShape(err)) });
      return;
    }
    await makePlan();
  }

  /** The Fleet view shows each instance's drift: check again when it has been read. */
  function refreshFleet(): void {
    const fleet = ctx.get().fleet;
    if (fleet.checkState.status !== 'idle' && !fleet.updating) void fleet.check();
  }

  async function setAttached(manifest: Manifest | null): Promise<void> {
    const mine = session;
    const dialog = ctx.slice().dialog;
    if (!dialog || dialog.attaching) return;
    patchIf(mine, { attaching: true, attachState: LOADING });
    try {
      await ctx.api.invoke('manifest.attach', { instance: dialog.instance, manifest });
      patchIf(mine, { attached: manifest, attaching: false, attachState: READY });
      refreshFleet();
    } catch (err) {
      patchIf(mine, { attaching: false, attachState: failed(toErrorShape(err)) });
    }
  }

  return {
    dialog: null,

    async open(instance) {
      if (ctx.slice().dialog?.applying) return;
      const mine = ++session;
      ctx.patch({ dialog: initial(instance) });
      await Promise.all([loadExport(mine), loadAttached(mine, instance)]);
    },

    close() {
      if (ctx.slice().dialog?.applying) return;
      session++;
      ctx.patch({ dialog: null });
    },

    async setExportFormat(format) {
      const dialog = ctx.slice().dialog;
      if (!dialog || dialog.exportFormat === format) return;
      patchIf(session, { exportFormat: format });
      await loadExport(session);
    },

    setDraft,
    check,

    async setPrune(prune) {
      const dialog = ctx.slice().dialog;
      if (!dialog || dialog.applying || dialog.prune === prune) return;
      patchIf(session, { prune, result: null });
      await makePlan();
    },

    async apply(acceptNewChecksum) {
      const mine = session;
      const dialog = ctx.slice().dialog;
      const manifest = checkedManifest(dialog);
      if (!dialog || !manifest || dialog.applying) return;
      patchIf(mine, { applying: true, stopping: false, progress: null, result: null, applyError: null });
      try {
        const req = {
          manifest,
          instance: dialog.instance,
          ...(dialog.prune ? { prune: true } : {}),
          ...(acceptNewChecksum ? { acceptNewChecksum } : {}),
        };
        const result = await ctx.api.invoke('manifest.apply', req);
        patchIf(mine, { result });
      } catch (err) {
        patchIf(mine, { applyError: toErrorShape(err) });
      } finally {
        patchIf(mine, { applying: false, stopping: false, progress: null });
      }
      // What the instance has changed: the plan, the export and the fleet's drift with it.
      if (mine !== session) return;
      patchIf(mine, { exported: null });
      await Promise.all([makePlan(), loadExport(mine)]);
      refreshFleet();
    },

    async stopApply() {
      const mine = session;
      const dialog = ctx.slice().dialog;
      if (!dialog?.applying || dialog.stopping) return;
      await askToStop(
        () => ctx.api.invoke('manifest.cancel', {}),
        (stopping) => patchIf(mine, { stopping }),
      );
    },

    async attach() {
      const manifest = checkedManifest(ctx.slice().dialog);
      if (manifest) await setAttached(manifest);
    },

    async detach() {
      if (ctx.slice().dialog?.attached) await setAttached(null);
    },
  };
}

export const manifestSlice: SliceDefinition<ManifestSlice> = {
  create: createManifestSlice,
  connect(ctx) {
    return ctx.api.on('manifest.progressed', (progress) => {
      const dialog = ctx.slice().dialog;
      if (dialog?.applying && dialog.instance === progress.instance) ctx.patch({ dialog: { ...dialog, progress } });
    });
  },
};
