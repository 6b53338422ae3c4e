import type { AppCore, CorePorts } from './app-core';
import type { Handlers } from './dispatch';
import { join } from 'node:path';
import { CatalogCache } from './catalog-cache';
import { CatalogService } from './catalog-service';
import { EventHub } from './event-hub';
import { GlpiNetworkClient, type ClientLimits } from './glpi-network-client';
import { FleetService } from './fleet/fleet-service';
import { InstanceAccess } from './instance-access';
import { InstanceService } from './instance-service';
import { KeyService } from './key-service';
import { MarketplaceClient } from './marketplace-client';
import { DoctorService } from './doctor/doctor-service';
import { NetworkService } from './network-service';
import { pluginHandlers } from './plugin-handlers';
import { manifestDialogHandlers } from './manifest/manifest-handlers';
import { ManifestService } from './manifest/manifest-service';
import { PlanService } from './planner/plan-service';
import { PluginService } from './plugin-service';
import { ProfileSettingsService } from './profile-settings';
import { settingsHandlers } from './settings-handlers';
import type { SecretStore } from './ports';
import type { BundleProgress } from '../../shared/bundle';
import { AppError } from '../../shared/errors';
import { bundleDialogHandlers } from './bundle/bundle-dialog-handlers';
import { BundleFiles } from './bundle/bundle-files';
import { BundleService } from './bundle/bundle-service';

export interface CoreOptions {
  /** Holds session-only keys; a fresh in-memory store per process. */
  sessionSecrets: SecretStore;
  keychainFix: string;
  limits?: Partial<ClientLimits>;
  keyIntervalMs?: number;
  catalogRefreshMs?: number;
  /** Pages of the plugin list fetched at once after the first. */
  pageConcurrency?: number;
  /** 0..1 for the schedules' jitter (tests pin it). */
  random?: () => number;
  /** The GLPI version the catalogue is for, for this core's life only (the CLI's --glpi-version). */
  glpiVersion?: string;
  /** Per SSH connection (TCP, handshake, authentication). Default 15 s. */
  sshTimeoutMs?: number;
  /** Per instance in a fleet check (connection, detection, inventory). Default 20 s. */
  fleetTimeoutMs?: number;
}

/** The composition of services and handlers, shared by every shell. */
export function createAppCore(
  ports: CorePorts,
  options: CoreOptions,
): AppCore & {
  keys: KeyService;
  settings: ProfileSettingsService;
  client: GlpiNetworkClient;
  catalog: CatalogService;
  instances: InstanceService;
  plugins: PluginService;
  network: NetworkService;
  doctor: DoctorService | null;
  /** The Export and Import dialogs' files: the browser shell uploads into it and downloads from it. */
  bundleFiles: BundleFiles;
} {
  const events = new EventHub();
  const settings = new ProfileSettingsService(ports.store, events, ports.profile, {
    servicesUrl: ports.servicesUrlFromEnv,
    systemLanguage: ports.systemLanguage,
    appVersion: ports.appVersion,
  });
  if (options.glpiVersion) settings.overrideGlpiVersion(options.glpiVersion);
  const network = new NetworkService({
    settings: () => settings.get().network,
    secrets: ports.secrets,
    profile: ports.profile,
    env: ports.proxyEnv ?? {},
    redact: (secret) => ports.redact(secret),
    pac: ports.pac,
    readText: (file) => ports.fs.readText(file),
  });
  const client = new GlpiNetworkClient(
    ports.http,
    ports.clock,
    ports.logger,
    () => settings.clientConfig(),
    options.limits,
  );
  const keys = new KeyService({
    keychain: ports.secrets,
    session: options.sessionSecrets,
    store: ports.store,
    settings,
    client,
    clock: ports.clock,
    logger: ports.logger,
    events,
    redact: (secret) => ports.redact(secret),
    keychainFix: options.keychainFix,
    intervalMs: options.keyIntervalMs,
    online: ports.online,
    random: options.random,
  });
  const catalog = new CatalogService({
    market: new MarketplaceClient(client, {
      concurrency: options.pageConcurrency,
      language: () => settings.get().language,
    }),
    network: client,
    keys,
    settings,
    cache: new CatalogCache(ports.fs, join(ports.dataDir, 'cache')),
    clock: ports.clock,
    logger: ports.logger,
    events,
    refreshMs: options.catalogRefreshMs,
    online: ports.online,
    random: options.random,
    clientFor: (glpiVersion) => {
      const versioned = new GlpiNetworkClient(
        ports.http,
        ports.clock,
        ports.logger,
        () => ({ ...settings.clientConfig(), glpiVersion }),
        options.limits,
      );
      const market = new MarketplaceClient(versioned, {
        concurrency: options.pageConcurrency,
        language: () => settings.get().language,
      });
      return { market, network: versioned };
    },
  });
  const access = new InstanceAccess({
    fs: ports.fs,
    ...(ports.processes ? { processes: ports.processes } : {}),
    host: ports.host,
    keychain: ports.secrets,
    session: options.sessionSecrets,
    ...(ports.ssh ? { connector: ports.ssh } : {}),
    account: (instance) => `${settings.installId()}/${ports.profile}/ssh/${instance}`,
    redact: (secret) => ports.redact(secret),
    logger: ports.logger,
    ...(options.sshTimeoutMs ? { timeoutMs: options.sshTimeoutMs } : {}),
  });
  const instances = new InstanceService(ports.store, settings, ports.clock, access);
  const plugins = new PluginService({
    instances,
    catalog,
    keys,
    settings,
    network: client,
    http: ports.http,
    clock: ports.clock,
    logger: ports.logger,
    dataDir: ports.dataDir,
    fs: ports.fs,
    host: ports.host,
    processes: ports.processes,
    bzip2: ports.bzip2,
    collectBuffers: ports.collectBuffers,
  });
  const manifests = new ManifestService({
    instances,
    plugins,
    catalog,
    settings,
    store: ports.store,
    profile: ports.profile,
  });
  const fleet = new FleetService({
    instances,
    plugins,
    manifests,
    clock: ports.clock,
    ...(options.fleetTimeoutMs ? { timeoutMs: options.fleetTimeoutMs } : {}),
  });
  const doctor = ports.doctor
    ? new DoctorService({
        ports: ports.doctor,
        fs: ports.fs,
        settings,
        network,
        keys,
        client,
        instances,
        shell: ports.shell,
        now: () => ports.clock.now(),
      })
    : null;
  // Both download verified archives into the cache for a catalogue of their own GLPI version.
  const downloads = {
    instances,
    catalog,
    keys,
    settings,
    http: ports.http,
    clock: ports.clock,
    logger: ports.logger,
    fs: ports.fs,
    dataDir: ports.dataDir,
  };
  const planner = new PlanService(downloads);
  const bundles = new BundleService({ ...downloads, plugins, appVersion: ports.appVersion });
  const bundleProgress = (p: BundleProgress) => events.emit('bundles.progressed', p);
  const bundleFiles = new BundleFiles({
    fs: ports.fs,
    clock: ports.clock,
    logger: ports.logger,
    dataDir: ports.dataDir,
    ...(ports.pickFile ? { pickFile: ports.pickFile } : {}),
    ...(ports.pickSaveFile ? { pickSaveFile: ports.pickSaveFile } : {}),
  });
  const pluginsChanged = () => events.emit('plugins.changed', { instance: instances.list().active });
  let stopCatalog: (() => void) | null = null;

  const handlers: Handlers = {
    'app.info': () =>
      Promise.resolve({
        version: ports.appVersion,
        shell: ports.shell === 'electron' ? 'electron' : 'browser',
        profile: ports.profile,
        adminDialogs: ports.confirm !== undefined && ports.pickFile !== undefined,
      }),
    'key.status': () => Promise.resolve(keys.status()),
    'key.set': (req) => keys.set(req.key, { force: req.force, storage: req.storage }),
    'key.sync': () => keys.sync(),
    'key.forget': () => keys.forget(),
    ...settingsHandlers({ settings, network, ports, keychainFix: options.keychainFix, keys }),
    // A one-shot CLI command does no background work: it would outlive the command.
    'catalog.get': () => catalog.get({ background: ports.shell !== 'cli' }),
    'catalog.refresh': () => catalog.refresh(),
    'catalog.list': ({ refresh, first }) =>
      catalog.list({ refresh: refresh === true, first, background: ports.shell !== 'cli' }),
    'catalog.searchText': () => catalog.searchText(),
    'catalog.details': ({ key }) => catalog.details(key),
    ...pluginHandlers(instances, plugins, events),
    'fleet.check': (req) => fleet.check(req.names),
    'fleet.update': async (req) => {
      const results = await fleet.update(
        req.names,
        req.key,
        (instance, key, step, fraction) => events.emit('fleet.progressed', { instance, key, step, fraction }),
        req.acceptNewChecksum ? { acceptNewChecksum: req.acceptNewChecksum } : {},
      );
      events.emit('plugins.changed', { instance: instances.list().active });
      return results;
    },
    'fleet.cancel': () => Promise.resolve({ cancelled: fleet.cancel() }),
    'doctor.run': (req) => {
      if (!doctor) return Promise.reject(new AppError('INVALID_INPUT', 'The doctor is not available in this shell.'));
      return doctor.run(req.instance ? { instance: req.instance } : {});
    },
    'plan.get': (req) => planner.plan(req.to, req.instance),
    'plan.cancel': () => Promise.resolve({ cancelled: planner.cancel() }),
    'plan.downloadAhead': (req) =>
      planner.downloadAhead(req.to, req.instance, (key, version, fraction) =>
        events.emit('plan.progressed', { key, version, fraction }),
      ),
    'manifest.export': (req) => manifests.export(req.instance),
    'manifest.plan': (req) => manifests.plan(req.manifest, req.instance, req.prune),
    'manifest.apply': async (req) => {
      const result = await manifests.apply(
        req.manifest,
        req.instance,
        req.prune,
        (instance, s, step, fraction) =>
          events.emit('manifest.progressed', { instance, key: s.key, action: s.action, step, fraction }),
        req.acceptNewChecksum,
      );
      events.emit('plugins.changed', { instance: instances.list().active });
      return result;
    },
    'manifest.cancel': () => Promise.resolve({ cancelled: manifests.cancel() }),
    'manifest.attach': (req) => {
      manifests.attach(req.instance, req.manifest);
      return Promise.resolve({ instance: req.instance, attached: req.manifest !== null });
    },
    ...manifestDialogHandlers(manifests),
    'bundles.create': (req) => bundles.create(req, bundleProgress),
    'bundles.inspect': (req) => bundles.inspect(req.file, req.sha256, bundleProgress),
    'bundles.import': async (req) => {
      try {
        return await bundles.import(req, bundleProgress);
      } finally {
        if (!req.plan) pluginsChanged();
      }
    },
    ...bundleDialogHandlers(bundles, bundleFiles, bundleProgress, pluginsChanged),
    'bundles.cancel': () => Promise.resolve({ cancelled: bundles.cancel() }),
  };

  return {
    handlers,
    events,
    keys,
    settings,
    client,
    catalog,
    instances,
    plugins,
    network,
    doctor,
    bundleFiles,
    start: () => {
      keys.start();
      const started = catalog.start();
      stopCatalog = started.stop;
      // A crash may have interrupted an install: repair every instance before anything else.
      void plugins
        .recoverAll()
        .catch((err: unknown) => ports.logger.error('Start-up recovery failed', { error: String(err) }));
      void bundleFiles.sweep();
      return started.listed;
    },
    stop: () => {
      keys.stop();
      stopCatalog?.();
      access.closeAll();
      void bundleFiles.releaseAll();
    },
  };
}
