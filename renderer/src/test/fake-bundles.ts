import type {
  BundleCreateReport,
  BundleFileRef,
  BundleImportItem,
  BundleImportResult,
  BundleInspectReport,
  BundleItem,
  BundlePreview,
} from '../../../shared/bundle';
import { AppError, type Envelope } from '../../../shared/errors';
import type { FileTransfer } from '../api/transport';
import { screen } from '@testing-library/react';
import type { CoreHarness } from './core-harness';
import { FakePlugins } from './fake-plugins';
import { StoppableHold } from './stoppable-hold';
import { renderApp, type RenderedApp } from './render-app';

/** A plugin of the fake bundle (its compatibility is 10.0). */
export type FakeEntry = Omit<BundleItem, 'compatibility'>;

export const FIELDS: FakeEntry = {
  key: 'fields',
  name: 'Fields',
  version: '1.21.23',
  sha256: '1'.repeat(64),
  bytes: 300_000,
  premium: false,
};
export const METABASE: FakeEntry = {
  key: 'metabase',
  name: 'Metabase',
  version: '4.10.2',
  sha256: '2'.repeat(64),
  bytes: 2_500_000,
  premium: true,
};
/** The whole bundle file's SHA-256. */
export const BUNDLE_SHA256 = 'c'.repeat(64);
export const STANDARD = { offer: 'standard', title: 'GLPI Network Standard' };

/** What a step of the fake does: fail with this error, or wait for `hold`. */
export interface FakeStep {
  fail?: AppError;
  hold?: Promise<void>;
}

interface Held {
  file: BundleFileRef;
  use: 'output' | 'input';
}

/**
 * Stand-in for the core's bundle dialogs' channels (bundles.chooseSave, chooseOpen, preview,
 * export, check, apply, release), installed into the real core's handler map like FakeManifests:
 * requests go through the real dispatch (the schemas) and progress through the real EventHub. One
 * bundle, fields and metabase; an import changes `installed`, so a second one has nothing to do.
 * `files` is the browser shell's upload and download, for `renderApp`'s third argument.
 */
export class FakeBundles {
  readonly calls: { channel: string; req: unknown }[] = [];
  readonly held = new Map<string, Held>();
  readonly released: string[] = [];
  readonly uploads: File[] = [];
  /** The instance's versions, by key. */
  readonly installed = new Map<string, string>([
    ['fields', '1.21.0'],
    ['metabase', '1.0.0'],
  ]);
  /** What the save dialog answers (desktop app); null: cancelled. */
  saveAs: string | null = '/home/admin/prod-plugins.mdbundle';
  /** What the open dialog answers (desktop app); null: cancelled. */
  openAs: string | null = '/home/admin/glpi-plugins.mdbundle';
  /** The next export's outcome (used once). */
  nextExport: FakeStep = {};
  /** The next import's failure, at this plugin (used once). */
  failImport: { key: string; error: AppError } | null = null;
  /** The next check waits until this (used once). */
  holdCheck: Promise<void> | null = null;
  /** The next import waits at this plugin's install until `hold` (used once). */
  holdImport: { key: string; hold: Promise<void> } | null = null;
  /** An archive altered after the bundle was made. */
  tampered: string | null = null;
  /** Versions pinned with other bytes on this computer: key → pinned SHA-256. */
  readonly pins = new Map<string, string>();
  /** The upload's answer: a refusal instead of the reference. */
  refuseUpload: AppError | null = null;
  private next = 0;
  /** Where an export, a check or an import waits, ended by `bundles.cancel`. */
  private readonly waiting = new StoppableHold();

  /** The page is the browser shell's (temporary files, uploads), else the desktop app's. */
  private readonly browser: boolean;

  constructor(
    private readonly harness: CoreHarness,
    options: { browser?: boolean } = {},
  ) {
    this.browser = options.browser ?? false;
    const h = harness.core.handlers;
    const record = (channel: string, req: unknown) => this.calls.push({ channel, req });
    h['bundles.chooseSave'] = (req) => {
      record('bundles.chooseSave', req);
      const path = this.browser ? req.name : this.saveAs;
      return Promise.resolve(path === null ? null : this.hold(path.replace(/^.*\//, ''), 'output', null));
    };
    h['bundles.chooseOpen'] = (req) => {
      record('bundles.chooseOpen', req);
      if (this.browser) return Promise.reject(new AppError('INVALID_INPUT', 'No open dialog here.'));
      const path = this.openAs;
      return Promise.resolve(path === null ? null : this.hold(path.replace(/^.*\//, ''), 'input', 1_000_000));
    };
    h['bundles.preview'] = (req) => {
      record('bundles.preview', req);
      return Promise.resolve(this.preview(req.glpiVersion ?? '10.0.18', req.manifest));
    };
    h['bundles.export'] = (req) => {
      record('bundles.export', req);
      return this.export(req.ref, req.glpiVersion ?? '10.0.18');
    };
    h['bundles.check'] = async (req) => {
      record('bundles.check', req);
      const hold = this.holdCheck;
      this.holdCheck = null;
      if (hold && (await this.waiting.wait(hold)) === 'stopped')
        throw new AppError('BUNDLE_FAILED', 'Cancelled while reading the bundle: nothing was changed.', {
          details: { code: 'cancelled' },
        });
      return this.inspect(req.ref, req.sha256);
    };
    h['bundles.apply'] = (req) => {
      record('bundles.apply', req);
      return this.apply(req.ref, req.plan === true, req.sha256, req.acceptNewChecksum);
    };
    h['bundles.cancel'] = (req) => {
      record('bundles.cancel', req);
      return Promise.resolve({ cancelled: this.waiting.stop() });
    };
    h['bundles.release'] = (req) => {
      record('bundles.release', req);
      this.released.push(req.ref);
      return Promise.resolve({ released: this.held.delete(req.ref) });
    };
  }

  /** The browser shell's file routes: uploads become temporary files of the fake. */
  files(): FileTransfer {
    return {
      upload: (file, onProgress) => {
        this.uploads.push(file);
        onProgress(0.5);
        if (this.refuseUpload)
          return Promise.resolve<Envelope<unknown>>({ ok: false, error: this.refuseUpload.toShape() });
        return Promise.resolve({ ok: true, value: this.hold(file.name, 'input', file.size) });
      },
      downloadUrl: (ref) => `/api/bundle-files/${ref}`,
    };
  }

  channel(name: string): unknown[] {
    return this.calls.filter((c) => c.channel === name).map((c) => c.req);
  }

  private hold(name: string, use: Held['use'], bytes: number | null): BundleFileRef {
    const ref = (++this.next).toString(16).padStart(32, '0');
    const file: BundleFileRef = { ref, name, kind: this.browser ? 'temporary' : 'chosen', bytes };
    this.held.set(ref, { file, use });
    return file;
  }

  private find(ref: string, use: Held['use']): Held {
    const held = this.held.get(ref);
    if (held?.use !== use)
      throw new AppError('INVALID_INPUT', 'This bundle file is no longer available to Marketdesk.');
    return held;
  }

  private preview(glpiVersion: string, manifest: string | undefined): BundlePreview {
    const entries = [FIELDS, METABASE].map((e) => ({
      key: e.key,
      name: e.name,
      version: e.version,
      tier: e.premium ? { reference: 'standard', title: STANDARD.title } : null,
    }));
    const unknown = manifest?.includes('nosuchplugin') ? ['nosuchplugin: not in the catalogue'] : [];
    return {
      glpiVersion,
      source: manifest ? { kind: 'manifest', name: null } : { kind: 'instance', instance: 'prod' },
      entitlement: STANDARD,
      entries,
      problems: unknown,
      skipped: manifest
        ? []
        : [{ key: 'tag', version: '2.9.0', reason: 'in plugins/, which Marketdesk does not manage' }],
    };
  }

  private async export(ref: string, glpiVersion: string): Promise<BundleCreateReport> {
    const held = this.find(ref, 'output');
    const { fail, hold } = this.nextExport;
    this.nextExport = {};
    const emit = (phase: 'download' | 'write', key: string, fraction: number) =>
      this.harness.core.events.emit('bundles.progressed', { operation: 'create', phase, key, step: null, fraction });
    emit('download', 'fields', 0.4);
    if (hold && (await this.waiting.wait(hold)) === 'stopped')
      throw new AppError('BUNDLE_FAILED', `Cancelled: no bundle was written to ${held.file.name}.`, {
        details: { code: 'cancelled', file: held.file.name },
      });
    if (fail) throw fail;
    for (const e of [FIELDS, METABASE]) {
      emit('download', e.key, 1);
      emit('write', e.key, 1);
    }
    const bytes = FIELDS.bytes + METABASE.bytes + 2048;
    held.file = { ...held.file, bytes };
    return {
      file: this.browser ? `/data/bundle-transfers/${ref}/${held.file.name}` : `/home/admin/${held.file.name}`,
      bytes,
      sha256: BUNDLE_SHA256,
      glpiVersion,
      source: { kind: 'instance', instance: 'prod' },
      entitlement: STANDARD,
      entries: [FIELDS, METABASE].map((e) => ({ ...e, compatibility: ['10.0'], cached: false, pin: 'new' as const })),
      skipped: [],
    };
  }

  private inspect(ref: string, sha256: string | undefined): BundleInspectReport {
    const held = this.find(ref, 'input');
    const actual = this.tampered ? 'd'.repeat(64) : BUNDLE_SHA256;
    const sha256Matches = sha256 === undefined ? null : sha256 === actual;
    const entries = [FIELDS, METABASE].map((e) => ({
      ...e,
      compatibility: ['10.0'],
      state: e.key === this.tampered ? ('tampered' as const) : ('ok' as const),
      actualSha256: e.key === this.tampered ? 'e'.repeat(64) : e.sha256,
    }));
    return {
      file: held.file.name,
      bytes: held.file.bytes ?? 0,
      sha256: actual,
      sha256Matches,
      format: 1,
      createdAt: '2025-06-14T09:30:00Z',
      marketdesk: '0.1.0',
      glpiVersion: '10.0.18',
      source: { kind: 'instance', instance: 'prod' },
      entitlement: STANDARD,
      entries,
      verified: sha256Matches !== false && this.tampered === null,
    };
  }

  private async apply(
    ref: string,
    plan: boolean,
    sha256: string | undefined,
    accept: string | undefined,
  ): Promise<BundleImportResult> {
    await Promise.resolve(); // answered a tick later, as over IPC
    const held = this.find(ref, 'input');
    if (this.tampered)
      throw new AppError('BUNDLE_FAILED', `The archive of ${this.tampered} does not match bundle.json.`, {
        details: { code: 'tampered', key: this.tampered },
      });
    if (sha256 !== undefined && sha256 !== BUNDLE_SHA256)
      throw new AppError('BUNDLE_FAILED', 'Not the bundle that was made.', { details: { code: 'sha256-mismatch' } });
    const items: BundleImportItem[] = [FIELDS, METABASE].map((e) => {
      const from = this.installed.get(e.key) ?? null;
      const pinned = this.pins.get(e.key);
      const base = { ...e, compatibility: ['10.0'], from, message: null, fix: null };
      if (pinned && accept !== e.sha256)
        return {
          ...base,
          action: 'error',
          state: 'refused',
          message: `The archive of ${e.key} ${e.version} has changed.`,
          fix: 'Confirm the new checksum.',
          checksumChanged: { pinned, received: e.sha256 },
        };
      const action = from === e.version ? 'none' : from === null ? 'install' : 'update';
      return { ...base, action, state: action === 'none' ? 'unchanged' : plan ? 'planned' : 'not-done' };
    });
    const result: BundleImportResult = {
      instance: 'prod',
      file: held.file.name,
      sha256: BUNDLE_SHA256,
      plan,
      createdAt: '2025-06-14T09:30:00Z',
      glpiVersion: '10.0.18',
      source: { kind: 'instance', instance: 'prod' },
      entitlement: STANDARD,
      items,
      failed: null,
    };
    const refused = items.find((i) => i.action === 'error');
    if (refused) return { ...result, failed: { key: refused.key, message: refused.message ?? '', fix: refused.fix } };
    if (plan) return result;
    const emit = (phase: 'verify' | 'install', key: string | null, step: string | null, fraction: number) =>
      this.harness.core.events.emit('bundles.progressed', { operation: 'import', phase, key, step, fraction });
    emit('verify', null, null, 1);
    for (const i of items.filter((x) => x.state === 'not-done')) {
      const wait = this.holdImport?.key === i.key ? this.holdImport.hold : null;
      if (wait) {
        this.holdImport = null;
        emit('install', i.key, 'extract', 0.5);
        if ((await this.waiting.wait(wait)) === 'stopped') {
          const message = `Cancelled: ${i.key} ${i.version} and the plugins after it were not changed.`;
          return { ...result, failed: { key: i.key, message, fix: 'Import the bundle again.' } };
        }
      }
      emit('install', i.key, 'swap', 0.9);
      if (this.failImport?.key === i.key) {
        const { error } = this.failImport;
        this.failImport = null;
        Object.assign(i, { state: 'failed', message: error.message, fix: error.fix ?? null });
        return { ...result, failed: { key: i.key, message: error.message, fix: error.fix ?? null } };
      }
      this.installed.set(i.key, i.version);
      i.state = 'done';
    }
    return result;
  }
}

/** The browser shell's file routes of a FakeBundles made later (in `renderApp`'s configure). */
export function lazyFiles(bundles: () => FakeBundles): FileTransfer {
  return {
    upload: (file, onProgress) => bundles().files().upload(file, onProgress),
    downloadUrl: (ref) => bundles().files().downloadUrl(ref),
  };
}

/**
 * The whole app over a FakeBundles (`browser`: the browser shell's page, with uploads and
 * downloads; else the desktop app's), with FakePlugins' instance "prod" shown in Installed.
 */
export async function renderWithBundles(
  browser: boolean,
  configure?: (bundles: FakeBundles) => void,
): Promise<RenderedApp & { bundles: FakeBundles }> {
  let bundles!: FakeBundles;
  const app = await renderApp(
    {},
    (harness) => {
      new FakePlugins(harness);
      bundles = new FakeBundles(harness, { browser });
      configure?.(bundles);
    },
    browser ? lazyFiles(() => bundles) : undefined,
  );
  await app.user.click(screen.getByRole('link', { name: /^Installed/ }));
  return { ...app, bundles };
}
