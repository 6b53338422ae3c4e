/**
 * Offline bundles (docs/development.md "Decisions about offline bundles"):
 * - create: the plugins of an instance (at their versions) or of a manifest (ranges resolved
 *   against the catalogue for the target GLPI version), entitled as an install would be, each
 *   archive downloaded and verified into the download cache (or reused from it), pinned, then
 *   written with bundle.json into one file, atomically;
 * - inspect: what a bundle holds, each archive checked against bundle.json;
 * - import: with no network at all, the whole bundle verified first (and copied into the cache),
 *   then each change made through PluginService.installFromCache, the same pipeline as any install.
 */
import { dirname, isAbsolute } from 'node:path';
import {
  BUNDLE_EXTENSION,
  BUNDLE_FORMAT,
  BUNDLE_KIND,
  ARCHIVE_MEMBER,
  bundleArchivePath,
  isPremiumEntry,
  type BundleCreateReport,
  type BundleCreateRequest,
  type BundleEntry,
  type BundleImportItem,
  type BundleImportRequest,
  type BundleImportResult,
  type BundleInspectReport,
  type BundleItem,
  type BundleJson,
  type BundlePreview,
  type BundleProgress,
  type BundleSource,
} from '../../../shared/bundle';
import { availability, tierOf } from '../../../shared/entitlements';
import { AppError } from '../../../shared/errors';
import { normalizeGlpiVersion } from '../../../shared/glpi-version';
import type { InstalledPlugin } from '../../../shared/instances';
import { MANIFEST_SCHEMA_ID, manifestFormatOfName, type Manifest } from '../../../shared/manifest';
import { catalogueVersions, planManifest, type ManifestStep } from '../../../shared/manifest-plan';
import { guessManifestFormat, parseManifestText } from '../../../shared/manifest-text';
import { english } from '../../../shared/messages/ref';
import { fitsAny } from '../../../shared/compatibility';
import type { VersionCatalogue } from '../catalog-service';
import { DownloadError } from '../download';
import type { InstanceInfo } from '../glpi-instance';
import {
  archiveExtension,
  cachedArchivePath,
  containerOf,
  downloadsDir,
  fetchIntoCache,
  rememberDownload,
} from '../install/archive-cache';
import { isInstallError, stoppedBy } from '../install/errors';
import { newId } from '../install/journal';
import { ChecksumChanged, normalizeSha256, PinStore, type PinCheck } from '../install/pins';
import { readInventory } from '../inventory';
import type { PluginService } from '../plugin-service';
import type { PlanServiceDeps } from '../planner/plan-service';
import type { FileWriter } from '../ports';
import * as errors from './bundle-errors';
import { readBundleHead, scanBundle, type BundleHead, type BundleScan } from './bundle-read';
import { writeBundle } from './bundle-write';
import { RunningOperations } from '../running-operations';
import { archiveUrl } from '../marketplace-client';

/** What the planner needs to download into the cache, plus the plugins' installs and the app's version. */
export interface BundleDeps extends PlanServiceDeps {
  plugins: PluginService;
  /** Written in bundle.json. */
  appVersion: string;
}

export type BundleProgressListener = (progress: BundleProgress) => void;

/** A plugin chosen for a bundle, before its archive is fetched. */
interface Chosen {
  key: string;
  version: string;
  url: string;
  /** Its member in the bundle. */
  path: string;
  catalogue: BundleEntry['catalogue'];
  /** The manifest's sha256 for this exact version, when it names one. */
  expected: string | undefined;
}

/** A chosen plugin's archive in the download cache, as the bundle lists it. */
interface Fetched {
  entry: BundleEntry;
  /** The cached file. */
  file: string;
  cached: boolean;
  pin: PinCheck;
}

export class BundleService {
  /** The running creates, inspects and imports, for {@link cancel}. */
  private readonly running = new RunningOperations();

  constructor(private readonly d: BundleDeps) {}

  /**
   * Asks every running create, inspect and import to stop (`bundles.cancel`): a create at its next
   * chunk, leaving no bundle under its name; an import before its next plugin (an install already
   * in its swap finishes first, as a plugin's Cancel does). False when none was running.
   */
  cancel(): boolean {
    return this.running.cancel();
  }

  create(req: BundleCreateRequest, onProgress?: BundleProgressListener): Promise<BundleCreateReport> {
    return this.running.run((signal) => this.make(req, signal, onProgress));
  }

  private async make(
    req: BundleCreateRequest,
    signal: AbortSignal,
    onProgress?: BundleProgressListener,
  ): Promise<BundleCreateReport> {
    const out = absolute(req.out, 'out');
    await this.checkOutput(out);
    const wanted = await this.wanted(req);
    const catalogue = await this.d.catalog.forVersion(wanted.glpiVersion);
    const chosen = this.choose(wanted.manifest, catalogue, wanted.glpiVersion);
    const secret = await this.d.keys.secret();
    if (!secret) throw new AppError('INVALID_INPUT', 'No registration key is stored.', { fix: 'marketdesk key set' });
    const pins = new PinStore(this.d.fs, this.d.dataDir);
    const fetched: Fetched[] = [];
    const stopped = () => errors.cancelled(out, true);
    // One at a time, like "Download ahead": steady rather than fast.
    for (const c of chosen) {
      if (signal.aborted) throw stopped();
      const f = this.fetch(c, catalogue.userAgent, secret, pins, req.acceptNewChecksum, signal, onProgress);
      fetched.push(
        await f.catch((err: unknown) => {
          throw signal.aborted ? stopped() : err;
        }),
      );
    }
    const entries = fetched.map((f) => f.entry);
    const status = this.d.keys.status();
    const sub = status.subscription;
    const json: BundleJson = {
      format: BUNDLE_FORMAT,
      kind: BUNDLE_KIND,
      createdAt: this.d.clock.now().toISOString(),
      marketdesk: this.d.appVersion,
      glpiVersion: wanted.glpiVersion,
      source: wanted.source,
      entitlement: sub && entries.some(isPremiumEntry) ? { offer: sub.offer, title: sub.title } : null,
      manifest: {
        $schema: MANIFEST_SCHEMA_ID,
        format: 1,
        glpiVersion: wanted.glpiVersion,
        plugins: entries.map((e) => ({ key: e.key, version: e.version, sha256: e.sha256 })),
      },
      entries,
    };
    const files = new Map(fetched.map((f) => [f.entry.path, f.file]));
    const written = await writeBundle(this.d.fs, out, json, files, signal, (key, fraction) =>
      onProgress?.({ operation: 'create', phase: 'write', key, step: null, fraction }),
    );
    // Pinned once the bundle exists; the bundle is written already, so a failure here is only logged.
    for (const { entry, pin } of fetched) {
      if (pin.kind === 'same') continue;
      const { key, version, sha256 } = entry;
      await pins
        .record(
          { key, version, sha256, source: `bundle:${out}`, at: this.d.clock.now() },
          { replace: pin.kind === 'accepted' },
        )
        .catch((err: unknown) => this.d.logger.error('Could not record the checksum pin', { key, error: String(err) }));
    }
    this.d.logger.info('Bundle written', { file: out, bytes: written.bytes, sha256: written.sha256 });
    return {
      file: out,
      ...written,
      glpiVersion: json.glpiVersion,
      source: json.source,
      entitlement: json.entitlement,
      entries: fetched.map((f) => ({ ...item(f.entry), cached: f.cached, pin: f.pin.kind })),
      skipped: wanted.skipped,
    };
  }

  /**
   * The archive of a chosen plugin, verified in the download cache (reused, else downloaded), its
   * manifest checksum and its pin checked.
   */
  private async fetch(
    c: Chosen,
    userAgent: string,
    secret: string,
    pins: PinStore,
    acceptNewChecksum: string | undefined,
    signal: AbortSignal,
    onProgress?: BundleProgressListener,
  ): Promise<Fetched> {
    const { result, cached } = await fetchIntoCache(
      { http: this.d.http, clock: this.d.clock, fs: this.d.fs, dataDir: this.d.dataDir },
      {
        key: c.key,
        version: c.version,
        url: c.url,
        servicesOrigin: new URL(this.d.settings.get().servicesUrl).origin,
        userAgent,
        secret,
        uid: this.d.settings.uid(),
        onProgress: (fraction) =>
          onProgress?.({ operation: 'create', phase: 'download', key: c.key, step: null, fraction }),
        signal,
      },
    ).catch((err: unknown) => {
      throw err instanceof DownloadError ? errors.downloadFailed(err, c.key, c.version) : err;
    });
    if (c.expected && c.expected !== result.sha256)
      throw errors.checksumMismatch(c.key, c.version, c.expected, result.sha256);
    const command = 'marketdesk bundle create …';
    const pin = await pinCheck(pins, c.key, c.version, result.sha256, acceptNewChecksum, command);
    const { key, version, path, catalogue } = c;
    return {
      entry: { key, version, sha256: result.sha256, bytes: result.bytes, path, catalogue },
      file: result.file,
      cached,
      pin,
    };
  }

  /** What `create` would put in the bundle for `req`, chosen exactly as it would; nothing is downloaded. */
  async preview(req: Omit<BundleCreateRequest, 'out' | 'acceptNewChecksum'>): Promise<BundlePreview> {
    const wanted = await this.wanted(req);
    const catalogue = await this.d.catalog.forVersion(wanted.glpiVersion);
    const { chosen, problems } = this.select(wanted.manifest, catalogue, wanted.glpiVersion);
    const sub = this.d.keys.status().subscription;
    return {
      glpiVersion: wanted.glpiVersion,
      source: wanted.source,
      entitlement: sub && chosen.some(isPremiumEntry) ? { offer: sub.offer, title: sub.title } : null,
      entries: chosen.map((c) => ({
        key: c.key,
        name: c.catalogue.plugin.name,
        version: c.version,
        tier: tierOf(c.catalogue.plugin, catalogue.doc.offers),
      })),
      problems,
      skipped: wanted.skipped,
    };
  }

  /** What a bundle holds, each archive checked against bundle.json (and the whole file against `sha256`). */
  inspect(file: string, sha256?: string, onProgress?: BundleProgressListener): Promise<BundleInspectReport> {
    return this.running.run((signal) => this.check(file, sha256, signal, onProgress));
  }

  private async check(
    file: string,
    sha256: string | undefined,
    signal: AbortSignal,
    onProgress?: BundleProgressListener,
  ): Promise<BundleInspectReport> {
    const path = absolute(file, 'file');
    const head = await readBundleHead(this.d.fs, path);
    const scan = await scanBundle(this.d.fs, path, head, { signal, onProgress: verifying('inspect', onProgress) });
    const expected = sha256 === undefined ? null : normalizeSha256(sha256);
    const entries = head.json.entries.map((e) => {
      const actualSha256 = scan.actual.get(e.path) ?? '';
      return { ...item(e), state: actualSha256 === e.sha256 ? ('ok' as const) : ('tampered' as const), actualSha256 };
    });
    const sha256Matches = expected === null ? null : expected === scan.sha256;
    const { json } = head;
    return {
      file: path,
      bytes: scan.bytes,
      sha256: scan.sha256,
      sha256Matches,
      format: json.format,
      createdAt: json.createdAt,
      marketdesk: json.marketdesk,
      glpiVersion: json.glpiVersion,
      source: json.source,
      entitlement: json.entitlement,
      entries,
      verified: sha256Matches !== false && entries.every((e) => e.state === 'ok'),
    };
  }

  /**
   * Verifies the whole bundle (bundle.json, every archive, the whole file against `sha256` when
   * given) before anything is installed, then makes the plan's changes in order through the install
   * pipeline, stopping at the first failure. No catalogue, no key, no network.
   */
  import(req: BundleImportRequest, onProgress?: BundleProgressListener): Promise<BundleImportResult> {
    return this.running.run((signal) => this.apply(req, signal, onProgress));
  }

  private async apply(
    req: BundleImportRequest,
    signal: AbortSignal,
    onProgress?: BundleProgressListener,
  ): Promise<BundleImportResult> {
    const file = absolute(req.file, 'file');
    const head = await readBundleHead(this.d.fs, file);
    const { record, info, target } = await this.d.instances.show(req.instance);
    const installed = await readInventory(info, target.fs);
    const items = await this.plan(file, head.json, info, installed, req.acceptNewChecksum);
    const refused = items.find((i) => i.action === 'error');
    const copies = req.plan || refused ? [] : items.filter(isChangeItem);
    const scan = await this.verify(file, head, req.sha256, copies, signal, onProgress);
    const result: BundleImportResult = {
      instance: record.name,
      file,
      sha256: scan.sha256,
      plan: req.plan === true,
      createdAt: head.json.createdAt,
      glpiVersion: head.json.glpiVersion,
      source: head.json.source,
      entitlement: head.json.entitlement,
      items,
      failed: null,
    };
    // Until made: planned (or, in an import, not done yet), unchanged, or refused.
    for (const i of items)
      i.state =
        i.action === 'none' ? 'unchanged' : i.action === 'error' ? 'refused' : req.plan ? 'planned' : 'not-done';
    if (refused) result.failed = { key: refused.key, message: refused.message ?? '', fix: refused.fix };
    else if (!req.plan)
      result.failed = await this.install(head.json, copies, scan.sha256, record.name, req, signal, onProgress);
    return result;
  }

  /** Makes the changes in order, each through the install pipeline; the first failure stops the rest. */
  private async install(
    json: BundleJson,
    changes: readonly BundleImportItem[],
    sha256: string,
    instance: string,
    req: BundleImportRequest,
    signal: AbortSignal,
    onProgress?: BundleProgressListener,
  ): Promise<BundleImportResult['failed']> {
    // Cancelled before or during a plugin's install: it and those after it stay "not done".
    const stopped = (i: BundleImportItem) => ({
      key: i.key,
      message: `Cancelled: ${i.key} ${i.version} and the plugins after it were not changed.`,
      fix: 'Import the bundle again to make the remaining changes.',
    });
    for (const i of changes) {
      if (signal.aborted) return stopped(i);
      const entry = json.entries.find((e) => e.key === i.key)!;
      const archive = {
        url: entry.catalogue.archiveUrl,
        sha256: entry.sha256,
        bundle: { file: req.file, sha256 },
        ...(req.acceptNewChecksum ? { acceptNewChecksum: req.acceptNewChecksum } : {}),
      };
      try {
        const report = await this.d.plugins.installFromCache(
          i.key,
          i.version,
          archive,
          (step, fraction) => onProgress?.({ operation: 'import', phase: 'install', key: i.key, step, fraction }),
          instance,
          signal,
        );
        i.state = 'done';
        if (report.checksumChange) i.checksumChange = report.checksumChange;
      } catch (err) {
        if (stoppedBy(signal, err)) return stopped(i);
        const fix = (err as { fix?: unknown } | null)?.fix;
        i.state = 'failed';
        i.message = err instanceof Error ? err.message : String(err);
        i.fix = typeof fix === 'string' ? fix : null;
        return { key: i.key, message: i.message, fix: i.fix };
      }
    }
    return null;
  }

  /** One item per entry: what the instance has, what importing changes, or why it is refused. */
  private async plan(
    file: string,
    json: BundleJson,
    info: InstanceInfo,
    installed: readonly InstalledPlugin[],
    acceptNewChecksum: string | undefined,
  ): Promise<BundleImportItem[]> {
    const byKey = (key: string) => json.entries.find((e) => e.key.toLowerCase() === key.toLowerCase());
    const { steps } = planManifest('', {
      manifest: { format: 1, plugins: json.entries.map((e) => ({ key: e.key, version: e.version })) },
      installed,
      versions: (key) => {
        const e = byKey(key);
        return e ? [{ num: e.version, stable: true }] : null;
      },
      includePrereleases: true,
      prune: false,
    });
    const pins = new PinStore(this.d.fs, this.d.dataDir);
    const items: BundleImportItem[] = [];
    for (const e of json.entries) {
      const step = steps.find((s) => s.key.toLowerCase() === e.key.toLowerCase());
      const have = installed.find((p) => p.shadowedBy === null && p.key.toLowerCase() === e.key.toLowerCase());
      const base = { ...item(e), from: have?.version ?? null, state: 'planned' as const, message: null, fix: null };
      const refusal = await this.refusal(file, json, e, step, info, pins, acceptNewChecksum);
      if (refusal) items.push({ ...base, action: 'error', ...refusal });
      else items.push({ ...base, action: step ? (step.action as BundleImportItem['action']) : 'none' });
    }
    return items;
  }

  /** Why the change an entry needs cannot be made here (the plan's error, GLPI's version, the pin), or null. */
  private async refusal(
    file: string,
    json: BundleJson,
    entry: BundleEntry,
    step: ManifestStep | undefined,
    info: InstanceInfo,
    pins: PinStore,
    acceptNewChecksum: string | undefined,
  ): Promise<Pick<BundleImportItem, 'message' | 'fix' | 'checksumChanged'> | null> {
    if (!step) return null;
    if (step.action === 'error' || step.action === 'skip')
      return { message: step.message, fix: 'Nothing was changed.' };
    const compat = entry.catalogue.version.compatibility;
    if (info.version && !fitsAny(compat, info.version))
      return {
        message: `${entry.key} ${entry.version} is not for GLPI ${info.version} (it declares ${compat.join(', ')}; the bundle was made for GLPI ${json.glpiVersion}).`,
        fix: `Make a bundle for this instance: marketdesk bundle create … --glpi-version ${info.version}. Nothing was changed.`,
      };
    try {
      await pins.check(entry.key, entry.version, entry.sha256, acceptNewChecksum);
    } catch (err) {
      if (!(isInstallError(err) && err.cause instanceof ChecksumChanged)) throw pinFailure(err);
      return {
        message: err.message,
        fix: english(errors.checksumChangedFix(err.cause, `marketdesk bundle import ${file}`)),
        checksumChanged: { pinned: err.cause.pinned, received: err.cause.received },
      };
    }
    return null;
  }

  /**
   * The whole bundle read once: every archive hashed, those of `copies` copied into the download
   * cache (kept only when everything matched); the first mismatch throws, nothing copied is kept.
   */
  private async verify(
    file: string,
    head: BundleHead,
    sha256: string | undefined,
    copies: readonly BundleImportItem[],
    signal: AbortSignal,
    onProgress?: BundleProgressListener,
  ): Promise<BundleScan> {
    const wanted = new Set(copies.map((i) => i.key));
    const parts = new Map<BundleEntry, { part: string; head: Uint8Array | null }>();
    const dir = downloadsDir(this.d.dataDir);
    const copyTo = async (entry: BundleEntry): Promise<FileWriter | null> => {
      if (!wanted.has(entry.key)) return null;
      const part = `${this.cachePath(entry)}.bundle-${newId()}.part`;
      try {
        await this.d.fs.mkdir(dir);
        const writer = await this.d.fs.openWriter(part, { exclusive: true, mode: 0o600 });
        const seen = { part, head: null as Uint8Array | null };
        parts.set(entry, seen);
        return {
          write: (chunks) => {
            seen.head ??= chunks[0] ?? null;
            return writer.write(chunks);
          },
          close: () => writer.close(),
          abort: () => writer.abort(),
        };
      } catch (err) {
        throw errors.writeFailure(part, err);
      }
    };
    const dropParts = () => Promise.all([...parts.values()].map((p) => this.d.fs.rm(p.part).catch(() => undefined)));
    let scan: BundleScan;
    try {
      scan = await scanBundle(this.d.fs, file, head, { copyTo, signal, onProgress: verifying('import', onProgress) });
    } catch (err) {
      await dropParts();
      throw err instanceof AppError ? err : errors.writeFailure(dir, err);
    }
    const expected = sha256 === undefined ? null : normalizeSha256(sha256);
    const bad = head.json.entries.find((e) => scan.actual.get(e.path) !== e.sha256);
    if ((expected && expected !== scan.sha256) || bad) {
      await dropParts();
      if (expected && expected !== scan.sha256) throw errors.sha256Mismatch(file, expected, scan.sha256);
      if (bad) throw errors.tampered(file, bad, scan.actual.get(bad.path) ?? '');
    }
    try {
      for (const [entry, p] of parts) {
        const dest = this.cachePath(entry);
        await this.d.fs.rename(p.part, dest);
        const result = {
          file: dest,
          bytes: entry.bytes,
          sha256: entry.sha256,
          contentType: null,
          finalUrl: `bundle:${file}`,
          format: containerOf(p.head ?? new Uint8Array()),
        };
        await rememberDownload(this.d.fs, entry.key, entry.version, result, this.d.clock.now());
      }
    } catch (err) {
      await dropParts();
      throw errors.writeFailure(dir, err);
    }
    return scan;
  }

  private cachePath(entry: BundleEntry): string {
    return cachedArchivePath(this.d.dataDir, entry.key, entry.version, entry.catalogue.archiveUrl);
  }

  /** Refuses an output that cannot be written before anything is downloaded. */
  private async checkOutput(out: string): Promise<void> {
    // The page of the desktop app names this path: it may write a bundle, never replace another file.
    if (!out.endsWith(BUNDLE_EXTENSION))
      throw new AppError('INVALID_INPUT', `${out} does not end with ${BUNDLE_EXTENSION}.`, {
        fix: `Name the bundle file with the ${BUNDLE_EXTENSION} extension, for example -o glpi-plugins${BUNDLE_EXTENSION}.`,
        details: { field: 'out' },
      });
    const stat = (path: string) =>
      this.d.fs.stat(path).then(
        (s) => s,
        (err: unknown) => ({ err }),
      );
    const target = await stat(out);
    if ('isDirectory' in target && target.isDirectory())
      throw new AppError('INVALID_INPUT', `${out} is a folder.`, {
        fix: 'Name the bundle file to write, for example -o glpi-plugins.mdbundle.',
      });
    const folder = await stat(dirname(out));
    if ('err' in folder) throw errors.writeFailure(out, folder.err);
    if (!(await this.d.fs.access(dirname(out), 'write'))) throw errors.writeFailure(out, { code: 'EACCES' });
  }

  /** The manifest to bundle, the GLPI version it is for, and where it came from. */
  private async wanted(req: Omit<BundleCreateRequest, 'out' | 'acceptNewChecksum'>): Promise<{
    manifest: Manifest;
    glpiVersion: string;
    source: BundleSource;
    skipped: BundleCreateReport['skipped'];
  }> {
    if ((req.instance === undefined) === (req.manifest === undefined))
      throw new AppError('INVALID_INPUT', 'Give either an instance or a manifest to bundle (not both).', {
        fix: 'marketdesk bundle create --instance NAME -o FILE, or --manifest plugins.json -o FILE',
      });
    if (req.manifest !== undefined) {
      const name = req.manifestName ?? null;
      const format = (name ? manifestFormatOfName(name) : null) ?? guessManifestFormat(req.manifest);
      const parsed = parseManifestText(req.manifest, format === 'yaml');
      if (!parsed.ok)
        throw new AppError(
          'INVALID_INPUT',
          `${name ?? 'The manifest'} is not a valid manifest:\n  ${parsed.errors.join('\n  ')}`,
          {
            fix: 'Correct those fields (the format is docs/manifest.schema.json), or write one with: marketdesk manifest export',
          },
        );
      const glpiVersion = targetVersion(
        req.glpiVersion ?? parsed.manifest.glpiVersion ?? this.d.settings.get().glpiVersion,
      );
      return { manifest: parsed.manifest, glpiVersion, source: { kind: 'manifest', name }, skipped: [] };
    }
    const { record, info, target } = await this.d.instances.show(req.instance);
    const skipped: BundleCreateReport['skipped'] = [];
    const plugins: Manifest['plugins'] = [];
    for (const p of await readInventory(info, target.fs)) {
      const reason =
        p.shadowedBy !== null
          ? `another copy in ${p.shadowedBy}/ is the one GLPI loads`
          : p.location !== 'marketplace'
            ? 'in plugins/, which Marketdesk does not manage'
            : p.version === null
              ? `its version cannot be read (${p.problem ?? 'setup.php'})`
              : null;
      if (reason) skipped.push({ key: p.key, version: p.version, reason });
      else plugins.push({ key: p.key, version: p.version! });
    }
    const glpiVersion = targetVersion(req.glpiVersion ?? info.version ?? this.d.settings.get().glpiVersion);
    return {
      manifest: { format: 1, glpiVersion, plugins },
      glpiVersion,
      source: { kind: 'instance', instance: record.name },
      skipped,
    };
  }

  /**
   * Each plugin's version from the catalogue for `glpiVersion` (ranges resolved as `apply` does),
   * its archive URL and entitlement checked; every problem at once, or BUNDLE_FAILED unresolved.
   */
  private choose(manifest: Manifest, catalogue: VersionCatalogue, glpiVersion: string): Chosen[] {
    const { chosen, problems } = this.select(manifest, catalogue, glpiVersion);
    if (problems.length > 0) throw errors.unresolved(problems);
    return chosen;
  }

  /** The plugins `choose` takes, and one line per plugin it cannot. */
  private select(
    manifest: Manifest,
    catalogue: VersionCatalogue,
    glpiVersion: string,
  ): { chosen: Chosen[]; problems: string[] } {
    const entries = catalogue.doc.entries;
    const find = (key: string) =>
      entries.find((e) => e.plugin.key === key) ??
      entries.find((e) => e.plugin.key.toLowerCase() === key.toLowerCase());
    // A bundle installs into marketplace/ only: where the manifest says a plugin lives does not matter.
    const plugins = manifest.plugins.map((p) => ({ key: p.key, version: p.version }));
    const { steps } = planManifest('', {
      manifest: { ...manifest, plugins },
      installed: [],
      versions: (key) => {
        const e = find(key);
        return e ? catalogueVersions(e.plugin, glpiVersion) : null;
      },
      includePrereleases: this.d.settings.get().includePrereleases,
      prune: false,
    });
    const status = this.d.keys.status();
    const problems: string[] = [];
    const chosen: Chosen[] = [];
    for (const step of steps) {
      if (step.action !== 'install') {
        problems.push(`${step.key}: ${'message' in step ? step.message : step.action}`);
        continue;
      }
      const entry = find(step.key)!;
      const version = entry.plugin.versions.find((v) => v.num === step.to);
      const url = archiveUrl(entry, step.to);
      const a = availability(entry.plugin, {
        keyState: status.state,
        subscription: status.subscription,
        offers: catalogue.doc.offers,
        glpiVersion,
        includePrereleases: true,
      });
      const path = url ? bundleArchivePath(entry.plugin.key, step.to, archiveExtension(url)) : '';
      if (!version || !url) problems.push(`${step.key} ${step.to}: GLPI Network gives no archive for this version`);
      else if (a.kind === 'needs-tier' || a.kind === 'not-running' || a.kind === 'no-key')
        problems.push(`${step.key} ${step.to}: not included in this key's subscription (${a.text})`);
      else if (!ARCHIVE_MEMBER.test(path))
        problems.push(`${step.key} ${step.to}: its name and version are too long for a bundle member (${path})`);
      else {
        const listed = manifest.plugins.find((p) => p.key.toLowerCase() === step.key.toLowerCase());
        chosen.push({
          key: entry.plugin.key,
          version: step.to,
          url,
          path,
          catalogue: { plugin: entry.plugin, version, archiveUrl: url.split(/[?#]/)[0] ?? url },
          expected: listed?.sha256 && listed.version === step.to ? listed.sha256 : undefined,
        });
      }
    }
    return { chosen, problems };
  }
}

/** An import item's change (install, update, downgrade). */
function isChangeItem(i: BundleImportItem): boolean {
  return i.action === 'install' || i.action === 'update' || i.action === 'downgrade';
}

function item(e: BundleEntry): BundleItem {
  return {
    key: e.key,
    name: e.catalogue.plugin.name,
    version: e.version,
    sha256: e.sha256,
    bytes: e.bytes,
    premium: isPremiumEntry(e),
    compatibility: e.catalogue.version.compatibility,
  };
}

function verifying(operation: BundleProgress['operation'], onProgress?: BundleProgressListener) {
  return (key: string | null, fraction: number) =>
    onProgress?.({ operation, phase: 'verify', key, step: null, fraction });
}

function absolute(path: string, field: string): string {
  if (!isAbsolute(path))
    throw new AppError('INVALID_INPUT', `${path} is not an absolute path.`, {
      fix: 'Give the full path of the file on the computer running Marketdesk.',
      details: { field },
    });
  return path;
}

function targetVersion(text: string): string {
  const version = normalizeGlpiVersion(text);
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new AppError('INVALID_INPUT', `"${text}" is not a GLPI version.`, { fix: 'Give a version such as 10.0.16.' });
  return version;
}

/** The pin of an archive compared with its bytes; a changed archive is BUNDLE_FAILED checksum-changed. */
async function pinCheck(
  pins: PinStore,
  key: string,
  version: string,
  sha256: string,
  accept: string | undefined,
  command: string,
): Promise<PinCheck> {
  try {
    return await pins.check(key, version, sha256, accept);
  } catch (err) {
    if (isInstallError(err) && err.cause instanceof ChecksumChanged)
      throw errors.checksumChanged(err.cause, err.message, command);
    throw pinFailure(err);
  }
}

/** An unreadable pin file (pins.ts fails closed) as an AppError with its fix. */
function pinFailure(err: unknown): unknown {
  return isInstallError(err) ? new AppError('INVALID_INPUT', err.message, { fix: err.fix }) : err;
}
