import { z } from 'zod';
import { FILTERS, SORTS } from '../catalog';
import { manifestSchema } from '../manifest';
import type { Channel, Req } from './contract';

// Kept apart from contract.ts so the preload, which needs only the channel lists, does not
// bundle zod.
const empty = z.object({}).strict();
// GLPI 11's plugin key pattern: nothing else may reach a path in the main process.
const pluginKey = z.string().regex(/^[a-z0-9]+$/i, 'a plugin key (letters and digits)');
const instanceName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'an instance name (letters, digits, . _ -)');
const glpiTarget = z.string().regex(/^\d{1,3}\.\d{1,3}(\.\d{1,4})?$/, 'a GLPI version such as 11.0.2');
const pluginVersion = z.string().regex(/^[0-9A-Za-z.+_-]{1,50}$/, 'a plugin version such as 1.21.10');
const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 (64 hexadecimal digits)');
const manifestFormat = z.enum(['json', 'yaml']);
// A path on the computer running the core (the core requires it absolute and says so).
const localPath = z.string().min(1).max(4096);
// What a bundle holds: an instance's plugins or a manifest's (the core refuses both or neither).
const bundleChoice = {
  instance: instanceName.optional(),
  manifest: z
    .string()
    .max(1024 * 1024)
    .optional(),
  // Written into bundle.json as where the plugins came from: a file name, nothing else.
  manifestName: z
    .string()
    .regex(/^[^/\\\p{Cc}]{1,255}$/u, 'a file name')
    .optional(),
  glpiVersion: glpiTarget.optional(),
};
// A bundle file the page names: a reference the core gave (bundle-files.ts), never a path.
const bundleRef = z.string().regex(/^[0-9a-f]{32}$/, 'a bundle file reference');
const bundleFileName = z.string().regex(/^(?!\.)[^/\\\p{Cc}]{1,200}\.mdbundle$/u, 'a file name ending with .mdbundle');

/** Payload validators, checked by every shell before a handler runs. */
export const requestSchemas = {
  'app.info': empty,
  'key.status': empty,
  'key.set': z
    .object({
      key: z.string().max(16_384),
      force: z.boolean().optional(),
      storage: z.enum(['keychain', 'session']).optional(),
    })
    .strict(),
  'key.sync': empty,
  'key.forget': empty,
  'settings.get': empty,
  'settings.update': z
    .object({
      // Versions and numbers are only typed here: the core checks them and says what is wrong.
      glpiVersion: z.string().max(64).optional(),
      installMode: z
        .string()
        .regex(/^[A-Z0-9_-]{1,32}$/, 'an install mode such as TARBALL')
        .optional(),
      language: z
        .string()
        .regex(/^[a-z]{2}([_-][A-Za-z0-9]{2,3})?$/, 'a language code such as en or fr_FR')
        .nullable()
        .optional(),
      includePrereleases: z.boolean().optional(),
      checkIntervalHours: z.number().optional(),
      keepBackups: z.number().optional(),
      notifications: z.boolean().optional(),
      theme: z.enum(['system', 'light', 'dark']).optional(),
      logLevel: z.enum(['debug', 'info', 'warn', 'error']).optional(),
      catalogView: z
        .object({
          text: z.string().max(200),
          tags: z.array(z.string().max(50)).max(50),
          filters: z.array(z.enum(FILTERS)),
          sort: z.enum(SORTS),
        })
        .strict()
        .optional(),
      network: z
        .object({
          proxyMode: z.enum(['system', 'manual', 'pac', 'direct']),
          proxyUrl: z.string().max(2048),
          proxyUser: z.string().max(256),
          bypass: z.array(z.string().max(255)).max(200),
          pacUrl: z.string().max(2048),
        })
        .partial()
        .strict()
        .optional(),
      glpiConsole: z
        .object({ offer: z.boolean(), php: z.string().max(1024), user: z.string().max(255) })
        .partial()
        .strict()
        .optional(),
    })
    .strict(),
  'settings.proxyPassword': z.object({ password: z.string().max(1024).nullable() }).strict(),
  'settings.networkRoute': empty,
  'settings.caFiles': empty,
  // No path: the shell's own file dialog picks it.
  'settings.addCaFile': empty,
  // Only a file already in the settings is removed (the handler checks).
  'settings.removeCaFile': z.object({ file: z.string().min(1).max(4096) }).strict(),
  'settings.servicesUrl': z.object({ url: z.string().max(2048).nullable() }).strict(),
  'catalog.get': empty,
  'catalog.refresh': empty,
  'catalog.list': z
    .object({ refresh: z.boolean().optional(), first: z.number().int().min(1).max(100).optional() })
    .strict(),
  'catalog.searchText': empty,
  'catalog.details': z.object({ key: pluginKey }).strict(),
  'instances.list': empty,
  'instances.add': z
    .object({
      root: z.string().min(1).max(4096),
      name: instanceName.optional(),
      ssh: z
        .object({
          auth: z.enum(['agent', 'key', 'password']),
          keyFile: z.string().min(1).max(4096).optional(),
          secret: z.string().min(1).max(4096).optional(),
          saveSecret: z.boolean().optional(),
          sudoUser: z
            .string()
            .regex(/^[a-z_][a-z0-9_.-]{0,31}\$?$/i, 'a user name of the server')
            .optional(),
          acceptHostKey: z
            .string()
            .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256:... fingerprint as ssh-keygen -l prints it')
            .optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  'instances.remove': z.object({ name: instanceName }).strict(),
  'instances.use': z.object({ name: instanceName }).strict(),
  'instances.show': z.object({ name: instanceName.optional() }).strict(),
  'fleet.check': z.object({ names: z.array(instanceName).max(500).optional() }).strict(),
  'fleet.cancel': empty,
  'fleet.update': z
    .object({
      names: z.array(instanceName).min(1).max(500),
      key: pluginKey.optional(),
      acceptNewChecksum: sha256.optional(),
    })
    .strict(),
  'plugins.list': empty,
  'plugins.install': z
    .object({ key: pluginKey, version: pluginVersion.optional(), acceptNewChecksum: sha256.optional() })
    .strict(),
  'plugins.update': z.object({ key: pluginKey, acceptNewChecksum: sha256.optional() }).strict(),
  'plugins.restore': z
    .object({
      key: pluginKey,
      version: pluginVersion.optional(),
      backupId: z
        .string()
        .regex(/^[A-Za-z0-9._+~-]{1,160}$/)
        .optional(),
    })
    .strict(),
  'plugins.remove': z.object({ key: pluginKey }).strict(),
  'plugins.cancel': z.object({ key: pluginKey }).strict(),
  'plugins.backups': empty,
  'plugins.history': empty,
  'plugins.console': z.discriminatedUnion('action', [
    z.object({ action: z.enum(['install', 'activate']), key: pluginKey, force: z.boolean().optional() }).strict(),
    z.object({ action: z.literal('resume'), force: z.boolean().optional() }).strict(),
  ]),
  'doctor.run': z
    .object({
      instance: instanceName.optional(),
    })
    .strict(),
  'plan.get': z.object({ to: glpiTarget, instance: instanceName.optional() }).strict(),
  'plan.downloadAhead': z.object({ to: glpiTarget, instance: instanceName.optional() }).strict(),
  'plan.cancel': empty,
  'manifest.export': z.object({ instance: instanceName.optional() }).strict(),
  'manifest.plan': z
    .object({ manifest: manifestSchema, instance: instanceName.optional(), prune: z.boolean().optional() })
    .strict(),
  'manifest.apply': z
    .object({
      manifest: manifestSchema,
      instance: instanceName.optional(),
      prune: z.boolean().optional(),
      acceptNewChecksum: sha256.optional(),
    })
    .strict(),
  'manifest.cancel': empty,
  'manifest.attach': z.object({ instance: instanceName, manifest: manifestSchema.nullable() }).strict(),
  // The Manifest dialog. 1 MB of text is far more than 1000 plugins take.
  'manifest.parse': z.object({ text: z.string().max(1_000_000), format: manifestFormat.optional() }).strict(),
  'manifest.format': z.object({ manifest: manifestSchema, format: manifestFormat }).strict(),
  'manifest.attached': z.object({ instance: instanceName.optional() }).strict(),
  'bundles.create': z.object({ ...bundleChoice, out: localPath, acceptNewChecksum: sha256.optional() }).strict(),
  'bundles.inspect': z.object({ file: localPath, sha256: sha256.optional() }).strict(),
  'bundles.import': z
    .object({
      file: localPath,
      instance: instanceName.optional(),
      plan: z.boolean().optional(),
      sha256: sha256.optional(),
      acceptNewChecksum: sha256.optional(),
    })
    .strict(),
  // The Export and Import dialogs: files by reference only.
  'bundles.chooseSave': z.object({ name: bundleFileName }).strict(),
  'bundles.chooseOpen': empty,
  'bundles.preview': z.object(bundleChoice).strict(),
  'bundles.export': z.object({ ...bundleChoice, ref: bundleRef, acceptNewChecksum: sha256.optional() }).strict(),
  'bundles.check': z.object({ ref: bundleRef, sha256: sha256.optional() }).strict(),
  'bundles.apply': z
    .object({
      ref: bundleRef,
      instance: instanceName.optional(),
      plan: z.boolean().optional(),
      sha256: sha256.optional(),
      acceptNewChecksum: sha256.optional(),
    })
    .strict(),
  'bundles.release': z.object({ ref: bundleRef }).strict(),
  'bundles.cancel': empty,
} satisfies { [C in Channel]: z.ZodType<Req<C>> };
