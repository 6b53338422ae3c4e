/**
 * Offline bundles (`.mdbundle`, docs/development.md "Decisions about offline bundles"): an
 * uncompressed ustar archive whose first member is `bundle.json` (this file's {@link BundleJson}),
 * then one member per plugin archive, `archives/<key>-<version>.<ext>`, byte for byte as GLPI
 * Network served it. bundle.json carries every archive's SHA-256; the SHA-256 of the whole file,
 * printed by `bundle create`, is what proves the bundle is the one that was made.
 *
 * What crosses the contract (`bundles.create`, `bundles.inspect`, `bundles.import`) is here too.
 */
import { z } from 'zod';
import type { CatalogPlugin, PluginVersion } from './catalog';
import { manifestSchema, type Manifest } from './manifest';

/** The bundle format this Marketdesk writes and reads. */
export const BUNDLE_FORMAT = 1;
/** bundle.json's `kind`: what tells a bundle from any other tar file. */
export const BUNDLE_KIND = 'marketdesk-bundle';
export const BUNDLE_EXTENSION = '.mdbundle';
/** The first member of every bundle. */
export const BUNDLE_JSON = 'bundle.json';
/** bundle.json larger than this is refused unread (a real one is a few hundred KB at most). */
export const BUNDLE_JSON_MAX_BYTES = 16 * 1024 * 1024;

/** Where a bundle's plugins were chosen: an instance's plugins at their versions, or a manifest. */
export type BundleSource = { kind: 'instance'; instance: string } | { kind: 'manifest'; name: string | null };

/** The subscription tier whose key entitled the premium archives when the bundle was made. */
export interface BundleEntitlement {
  offer: string;
  title: string;
}

/** One plugin archive of a bundle, as bundle.json lists it. */
export interface BundleEntry {
  key: string;
  version: string;
  /** Of the archive's bytes, lower-case hex. */
  sha256: string;
  bytes: number;
  /** The member inside the bundle: `archives/<key>-<version>.<ext>`. */
  path: string;
  /** The catalogue record it came from when the bundle was made, and where the archive was downloaded. */
  catalogue: { plugin: CatalogPlugin; version: PluginVersion; archiveUrl: string };
}

/** bundle.json. Never holds the registration key, its fingerprint or the instance id. */
export interface BundleJson {
  format: typeof BUNDLE_FORMAT;
  kind: typeof BUNDLE_KIND;
  /** ISO 8601. */
  createdAt: string;
  /** The Marketdesk version that made it. */
  marketdesk: string;
  /** The GLPI version the plugins were chosen for. */
  glpiVersion: string;
  source: BundleSource;
  /** Set when an entry is premium: the tier that entitled it. Import trusts it (no network there). */
  entitlement: BundleEntitlement | null;
  /** The same plugins as a manifest (shared/manifest.ts): exact versions, each with its sha256. */
  manifest: Manifest;
  entries: BundleEntry[];
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case SHA-256');
const pluginKey = z.string().regex(/^[A-Za-z0-9]{1,100}$/, 'a plugin key');
const pluginVersion = z.string().regex(/^[0-9A-Za-z.+_-]{1,50}$/, 'a plugin version');
/**
 * Member names of archives; nothing else (no folders, no `..`). The part after `archives/` must fit
 * ustar's 100-byte name field (`archives` goes in its prefix field).
 */
export const ARCHIVE_MEMBER =
  /^archives\/(?=[^/]{1,100}$)[A-Za-z0-9]{1,100}-[A-Za-z0-9._+-]{1,50}\.(tar\.gz|tgz|tar\.bz2|tbz2|zip|archive)$/;

// Only what the core reads of the catalogue records is checked; the rest is kept as it was written.
const catalogueRecord = z.object({
  plugin: z.looseObject({
    key: pluginKey,
    name: z.string().max(500),
    requiredOffers: z.array(z.string().max(100)).max(50).nullable(),
  }),
  version: z.looseObject({
    num: pluginVersion,
    compatibility: z.array(z.string().max(200)).max(100),
    stability: z.string().max(50),
  }),
  archiveUrl: z.string().max(4096),
});

const entrySchema = z.object({
  key: pluginKey,
  version: pluginVersion,
  sha256: sha256Hex,
  bytes: z.number().int().min(0),
  path: z.string().regex(ARCHIVE_MEMBER, 'archives/<key>-<version>.<ext>'),
  catalogue: catalogueRecord,
});

/** bundle.json of the format this Marketdesk reads; `format` is checked first, apart (a newer bundle says so). */
export const bundleJsonSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    kind: z.literal(BUNDLE_KIND),
    createdAt: z.iso.datetime(),
    marketdesk: z.string().max(100),
    glpiVersion: z.string().max(64),
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('instance'), instance: z.string().max(64) }),
      z.object({ kind: z.literal('manifest'), name: z.string().max(255).nullable() }),
    ]),
    entitlement: z.object({ offer: z.string().max(100), title: z.string().max(200) }).nullable(),
    manifest: manifestSchema,
    entries: z.array(entrySchema).max(1000),
  })
  .superRefine((b, ctx) => {
    const paths = new Set<string>();
    b.entries.forEach((e, i) => {
      if (paths.has(e.path)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'path'], message: 'listed twice' });
      paths.add(e.path);
      if (e.catalogue.plugin.key !== e.key || e.catalogue.version.num !== e.version)
        ctx.addIssue({ code: 'custom', path: ['entries', i], message: 'its catalogue record is of another plugin' });
      const listed = b.manifest.plugins.find((p) => p.key === e.key);
      if (listed?.version !== e.version || listed.sha256 !== e.sha256)
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i],
          message: 'the manifest does not list it with its sha256',
        });
    });
    if (b.manifest.plugins.length !== b.entries.length)
      ctx.addIssue({ code: 'custom', path: ['manifest'], message: 'lists other plugins than the entries' });
  });

/** The member name of an archive: the download cache's file name (`<key>-<version>.<ext>`) under archives/. */
export function bundleArchivePath(key: string, version: string, ext: string): string {
  return `archives/${key}-${version.replace(/[^A-Za-z0-9._+-]/g, '_')}.${ext}`;
}

/** Whether an entry needs a subscription tier (its catalogue record names offers). */
export function isPremiumEntry(entry: Pick<BundleEntry, 'catalogue'>): boolean {
  const offers = entry.catalogue.plugin.requiredOffers;
  return offers !== null && offers.length > 0;
}

// ---------------------------------------------------------------------------------------------
// The contract's side

/** Why a bundle could not be made, read or imported: the details of a BUNDLE_FAILED error. */
export const BUNDLE_FAILURE_CODES = [
  /** The bundle file does not exist. */
  'not-found',
  /** The file could not be read (permissions, I/O error). */
  'unreadable',
  /** Not a bundle, or its structure is damaged (headers, bundle.json, members). */
  'corrupt',
  /** The file ends before the bundle does: an unfinished copy. */
  'truncated',
  /** An archive's bytes (or size) do not match bundle.json; `key`, `version`, `expected`, `actual`. */
  'tampered',
  /** Made by a newer Marketdesk (a format this one does not read); `format`. */
  'version',
  /** The whole file's SHA-256 is not the one given (`--sha256`); `expected`, `actual`. */
  'sha256-mismatch',
  /** The output file cannot be written (folder missing or not writable); `file`. */
  'not-writable',
  /** The disk filled up while writing (the bundle, or the archives copied into the cache); `file`. */
  'disk-full',
  /** Plugins the bundle cannot hold (not in the catalogue at that version, not entitled...); `problems`. */
  'unresolved',
  /** An archive could not be downloaded while making the bundle; `key`, `version`. */
  'download',
  /** A pinned version came with other bytes (pins.ts); `expected` the pinned, `actual` the new SHA-256. */
  'checksum-changed',
  /** A manifest's sha256 is not the archive's; `expected` the manifest's, `actual` the archive's. */
  'checksum-mismatch',
  /** Stopped by the admin (`bundles.cancel`, Ctrl+C) while making or reading the bundle; `file`. */
  'cancelled',
] as const;
export type BundleFailureCode = (typeof BUNDLE_FAILURE_CODES)[number];

export interface BundleFailure {
  code: BundleFailureCode;
  /** The bundle (or output) file concerned. */
  file?: string;
  key?: string;
  version?: string;
  /** The checksum that was expected (bundle.json's, the pinned one, the one given). */
  expected?: string;
  /** The checksum found: for `checksum-changed`, what to confirm with `acceptNewChecksum`. */
  actual?: string;
  /** For `version`: the bundle's format number. */
  format?: number;
  /** For `unresolved`: one line per plugin that cannot be bundled. */
  problems?: string[];
}

/** One plugin of a bundle, as every report shows it. */
export interface BundleItem {
  key: string;
  name: string;
  version: string;
  sha256: string;
  bytes: number;
  /** Needs a subscription tier: entitled by `entitlement` when the bundle was made, trusted at import. */
  premium: boolean;
  /** GLPI's compatibility strings of this version, from the catalogue. */
  compatibility: string[];
}

/**
 * `bundles.create`: exactly one of `instance` (its plugins at their installed versions) and
 * `manifest` (a manifest's text, JSON or YAML). Paths are on the computer running the core.
 */
export interface BundleCreateRequest {
  instance?: string;
  manifest?: string;
  /** The manifest's file name: recorded as where the bundle came from; `.yaml`/`.yml` reads YAML. */
  manifestName?: string;
  /** Default: the instance's GLPI version, the manifest's `glpiVersion`, then the profile's target. */
  glpiVersion?: string;
  /** Absolute path of the bundle to write, ending with `.mdbundle`; its folder must exist and be writable. */
  out: string;
  /** The new SHA-256 of a pinned version whose archive changed, once checked (pins.ts). */
  acceptNewChecksum?: string;
}

/** `bundles.import`. */
export interface BundleImportRequest {
  /** Absolute path of the bundle. */
  file: string;
  /** Default: the active instance. */
  instance?: string;
  /** Verify and say what would change; change nothing. */
  plan?: boolean;
  /** The whole file's SHA-256 as `bundle create` printed it, received over a trusted channel. */
  sha256?: string;
  acceptNewChecksum?: string;
}

/** What `bundles.create` wrote. */
export interface BundleCreateReport {
  /** Absolute path of the bundle written. */
  file: string;
  bytes: number;
  /** Of the whole file: give it to `bundles.import` (`sha256`) over a channel you trust. */
  sha256: string;
  glpiVersion: string;
  source: BundleSource;
  entitlement: BundleEntitlement | null;
  entries: (BundleItem & {
    /** Taken from the download cache (verified again) rather than downloaded. */
    cached: boolean;
    /** The checksum pin: recorded now (`new`), already these bytes (`same`), replaced as confirmed (`accepted`). */
    pin: 'new' | 'same' | 'accepted';
  })[];
  /** Installed plugins left out (an instance's plugins/ folder, unreadable versions), with why. */
  skipped: { key: string; version: string | null; reason: string }[];
}

/** What `bundles.inspect` found: bundle.json, and each archive checked against it. */
export interface BundleInspectReport {
  file: string;
  bytes: number;
  sha256: string;
  /** Whether the whole file has the SHA-256 given; null when none was given. */
  sha256Matches: boolean | null;
  format: number;
  createdAt: string;
  marketdesk: string;
  glpiVersion: string;
  source: BundleSource;
  entitlement: BundleEntitlement | null;
  entries: (BundleItem & {
    /** `tampered`: its bytes do not match bundle.json (`actualSha256` says what they hash to). */
    state: 'ok' | 'tampered';
    actualSha256: string;
  })[];
  /** Every archive matches bundle.json, and the whole file the SHA-256 given (when one was). */
  verified: boolean;
}

/**
 * One plugin of an import. `action` is what the plan says (`none`: the instance has this version
 * already; `error`: refused, `message` says why). `state`: `planned` (with `plan`), `unchanged`,
 * `refused` (an error line: nothing was changed), `done`, `failed` (`message`, `fix`), `not-done`
 * (after a failure, or because the plan had an error line).
 */
export interface BundleImportItem extends BundleItem {
  action: 'install' | 'update' | 'downgrade' | 'none' | 'error';
  /** The version the instance has (null: not installed). */
  from: string | null;
  state: 'planned' | 'unchanged' | 'refused' | 'done' | 'failed' | 'not-done';
  message: string | null;
  fix: string | null;
  /** Set when a pinned version came with other bytes and the admin confirmed them (`acceptNewChecksum`). */
  checksumChange?: { from: string; to: string };
  /**
   * Set on an `error` item refused because this version is pinned with other bytes: the pinned
   * SHA-256 and the bundle's, which `acceptNewChecksum` confirms.
   */
  checksumChanged?: { pinned: string; received: string };
}

/** What `bundles.import` did (or, with `plan`, would do), one item per plugin of the bundle. */
export interface BundleImportResult {
  instance: string;
  file: string;
  /** Of the whole bundle file. */
  sha256: string;
  /** True: nothing was changed, the items say what an import would do. */
  plan: boolean;
  createdAt: string;
  glpiVersion: string;
  source: BundleSource;
  entitlement: BundleEntitlement | null;
  items: BundleImportItem[];
  /** The first item refused or failed, and what to do; null when every change was (or can be) made. */
  failed: { key: string; message: string; fix: string | null } | null;
}

/** `bundles.progressed`: a slow step of a create or an import. */
export interface BundleProgress {
  operation: 'create' | 'inspect' | 'import';
  /**
   * `download`: an archive fetched into the cache (create); `write`: an archive copied into the
   * bundle (create); `verify`: the bundle read and checked (inspect, import); `install`: one plugin
   * through the install pipeline (import), `step` being the pipeline's step.
   */
  phase: 'download' | 'write' | 'verify' | 'install';
  /** The plugin concerned; null while bundle.json itself is read or written. */
  key: string | null;
  step: string | null;
  /** 0..1 within the phase (for one plugin where `key` is set). */
  fraction: number;
}

// ---------------------------------------------------------------------------------------------
// The app's Export and Import dialogs: bundle files named by reference, never by path

/**
 * A bundle file the page refers to without naming its path (docs/development.md "Bundles in the
 * app"): one the admin chose in the desktop app's own dialog, or a private temporary file of the
 * browser shell (a bundle being made, which the page then downloads; or one the page uploaded).
 */
export interface BundleFileRef {
  /** Opaque and random; valid until released, or an hour without use. */
  ref: string;
  /** The file's name, without its folder. */
  name: string;
  /** `chosen`: a file of the admin's, which Marketdesk never deletes; `temporary`: deleted when released. */
  kind: 'chosen' | 'temporary';
  /** Its size in bytes when it exists (an opened or uploaded bundle); null for a bundle still to make. */
  bytes: number | null;
}

/**
 * The largest bundle the browser shell accepts as an upload (2 GiB): far more than the plugins of
 * any GLPI server (an archive is at most 200 MiB), small enough to refuse a wrong file at once.
 */
export const BUNDLE_UPLOAD_MAX_BYTES = 2 * 1024 * 1024 * 1024;

/** `bundles.export`: `bundles.create` into a file chosen with `bundles.chooseSave`. */
export type BundleExportRequest = Omit<BundleCreateRequest, 'out'> & { ref: string };

/** `bundles.apply`: `bundles.import` of a file chosen with `bundles.chooseOpen` or uploaded. */
export type BundleApplyRequest = Omit<BundleImportRequest, 'file'> & { ref: string };

/** One plugin a bundle would hold, before anything is downloaded (`bundles.preview`). */
export interface BundlePreviewEntry {
  key: string;
  name: string;
  version: string;
  /** The lowest subscription tier that grants it; null for a free plugin. */
  tier: { reference: string; title: string } | null;
}

/** What `bundles.create` would put in a bundle, chosen exactly as it would; nothing downloaded. */
export interface BundlePreview {
  glpiVersion: string;
  source: BundleSource;
  /** The key's subscription, which entitles the premium entries; null when none is premium. */
  entitlement: BundleEntitlement | null;
  entries: BundlePreviewEntry[];
  /** One line per plugin that cannot be bundled: the create would fail with them (`unresolved`). */
  problems: string[];
  /** Installed plugins left out, with why. */
  skipped: BundleCreateReport['skipped'];
}
