import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { availability, keptVersions } from '../../shared/entitlements';
import type {
  ConsoleRun,
  ConsoleTask,
  HistoryEntry,
  InstalledPlugin,
  PluginBackup,
  PluginsView,
} from '../../shared/instances';
import { findConsole, locatePhp, RESUME_COMMAND, runConsoleStep, type FindConsoleDeps } from './glpi-console';
import { consoleState } from './glpi-console-state';
import { servicesApiUrl } from './glpi-instance-services';
import { listCommands } from './glpi-console-query';
import type { CatalogService } from './catalog-service';
import { downloadArchive } from './download';
import type { GlpiNetworkClient } from './glpi-network-client';
import type { InstanceInfo } from './glpi-instance';
import { backupKeys, listBackups } from './install/backups';
import { backupRoots } from './install/places';
import { InstallError, isInstallError } from './install/errors';
import type { PhpLint } from './install/guard';
import {
  installPlugin,
  recoverInstance,
  removePlugin,
  restorePlugin,
  type InstallDeps,
  type InstallReport,
  type InstallRequest,
} from './install/pipeline';
import type { InstanceTarget } from './instance-access';
import type { InstanceService } from './instance-service';
import { readInventory, withUpdates } from './inventory';
import type { KeyService } from './key-service';
import {
  type BufferCollector,
  type Bzip2Spawner,
  type Clock,
  type FileSystem,
  type HostInfo,
  type HttpClient,
  type Logger,
  type ProcessRunner,
} from './ports';
import type { ProfileSettingsService } from './profile-settings';

export interface PluginServiceDeps {
  instances: InstanceService;
  catalog: CatalogService;
  keys: KeyService;
  settings: ProfileSettingsService;
  network: GlpiNetworkClient;
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  keepBackups?: number;
  /** The GLPI instances' files (install pipeline, inventory) and the history under dataDir. */
  fs: FileSystem;
  host: HostInfo;
  processes?: ProcessRunner;
  /** The system's bzip2 decoder for .tar.bz2 archives; absent, the JavaScript one. */
  bzip2?: Bzip2Spawner;
  /** Frees each install's short-lived buffers as they pile up. */
  collectBuffers?: BufferCollector;
}

/** What an install or update did, with the instance's marketplace mode (what the admin does next depends on it). */
export type PluginInstallReport = InstallReport & { marketplaceEnable: InstanceInfo['marketplaceEnable'] };

/** A running install or update of one plugin in one instance, and the step it is at. */
interface Job {
  controller: AbortController;
  step: string;
}

/**
 * Stops a job at its next step boundary or chunk; false once it is stopped already or in its swap
 * (a half-swapped folder is worse than a finished install, so the install finishes instead).
 */
function stopJob(job: Job): boolean {
  if (job.controller.signal.aborted || job.step === 'swap' || job.step === 'backup') return false;
  job.controller.abort();
  return true;
}

/**
 * Installs, updates, restores and removes plugins of the active instance through the install
 * pipeline, deciding entitlement and versions from the catalogue, and writes the history.
 */
export class PluginService {
  constructor(private readonly d: PluginServiceDeps) {
    d.instances.onConnected = (name, target, info) => this.recoverConnected(name, target, info);
  }

  /** The plugins of an instance (the active one by default), with updates when a catalogue is available. */
  async list(instance?: string): Promise<{
    info: InstanceInfo;
    target: InstanceTarget;
    plugins: InstalledPlugin[];
    catalogue: boolean;
  }> {
    const { info, target } = await this.d.instances.show(instance);
    const plugins = await readInventory(info, target.fs);
    const snap = await this.snapshot();
    if (!snap) return { info, target, plugins, catalogue: false };
    const key = this.d.keys.status();
    const withUpd = withUpdates(plugins, snap.plugins, {
      keyState: key.state,
      subscription: key.subscription,
      offers: snap.offers,
      glpiVersion: info.version ?? snap.glpiVersion,
      includePrereleases: this.d.settings.get().includePrereleases,
      marketplaceWritable: info.marketplaceWritable,
    });
    return { info, target, plugins: withUpd, catalogue: true };
  }

  /**
   * Installs `key` (latest compatible version unless `version` is given), or another version of it.
   * `options.acceptNewChecksum`: the new SHA-256 the admin confirmed after a `checksum-changed` refusal.
   */
  async install(
    key: string,
    version?: string,
    onProgress?: InstallProgress,
    instance?: string,
    options: InstallOptions = {},
  ): Promise<PluginInstallReport> {
    return this.asJob(key, instance, onProgress, options.cancelled, (name, info, target, signal, progress) =>
      this.installJob(name, info, target, key, version, signal, progress, options),
    );
  }

  /**
   * Installs `key` `version` from an archive an offline bundle put, verified, in the download cache
   * (bundle/bundle-service.ts): no catalogue, no key, no download counter, no network at all. The
   * bundle's maker decided entitlement; the pins and every step of the pipeline apply as usual.
   */
  async installFromCache(
    key: string,
    version: string,
    archive: CachedArchive,
    onProgress?: InstallProgress,
    instance?: string,
    /** The bundle import's cancel: stops this install as {@link cancel} would. */
    cancelled?: AbortSignal,
  ): Promise<PluginInstallReport> {
    return this.asJob(key, instance, onProgress, cancelled, (name, info, target, signal, progress) =>
      this.runPipeline(name, info, target, {
        request: {
          key,
          version,
          // Only the cache path is taken from it: the download itself is refused below.
          source: { url: archive.url, servicesOrigin: 'offline:', headers: {}, key: '', uid: '' },
          allowed: true,
          expectedSha256: archive.sha256,
          pinSource: `bundle:${archive.bundle.file}`,
          ...(archive.acceptNewChecksum ? { acceptNewChecksum: archive.acceptNewChecksum } : {}),
          signal,
          onProgress: progress,
        },
        download: () => Promise.reject(new InstallError('download', 'not-cached', notCached(key, version), REMAKE)),
        history: { source: { kind: 'bundle', ...archive.bundle } },
      }),
    );
  }

  /** Runs `work` as the cancellable job of `key` in the instance (one at a time per key and instance). */
  private async asJob(
    key: string,
    instance: string | undefined,
    onProgress: InstallProgress | undefined,
    cancelled: AbortSignal | undefined,
    work: (
      name: string,
      info: InstanceInfo,
      target: InstanceTarget,
      signal: AbortSignal,
      progress: InstallProgress,
    ) => Promise<InstallReport>,
  ): Promise<PluginInstallReport> {
    const { record, info, target } = await this.d.instances.show(instance);
    // Registered before anything slow (the catalogue read), so Cancel works from the first moment.
    const id = `${record.name}\0${key.toLowerCase()}`;
    if (this.jobs.has(id))
      throw new AppError('INVALID_INPUT', `${key} is already being installed or updated in this instance.`);
    const job: Job = { controller: new AbortController(), step: 'prepare' };
    this.jobs.set(id, job);
    const stop = () => stopJob(job);
    if (cancelled?.aborted) stop();
    cancelled?.addEventListener('abort', stop, { once: true });
    try {
      const report = await work(record.name, info, target, job.controller.signal, (step, fraction) => {
        job.step = step;
        onProgress?.(step, fraction);
      });
      return { ...report, marketplaceEnable: info.marketplaceEnable };
    } finally {
      cancelled?.removeEventListener('abort', stop);
      this.jobs.delete(id);
    }
  }

  private async installJob(
    name: string,
    info: InstanceInfo,
    target: InstanceTarget,
    key: string,
    version: string | undefined,
    signal: AbortSignal,
    onProgress: InstallProgress,
    options: InstallOptions,
  ): Promise<InstallReport> {
    const snap = await this.snapshot();
    if (!snap)
      throw new AppError(
        'INVALID_INPUT',
        'The catalogue is not available (no valid key, or GLPI Network unreachable).',
      );
    const entry = this.d.catalog.entry(key) ?? this.d.catalog.entry(key.toLowerCase());
    if (!entry)
      throw new AppError('INVALID_INPUT', `No plugin "${key}" in the catalogue for GLPI ${snap.glpiVersion}.`);
    const plugin = entry.plugin;
    const glpiVersion = info.version ?? snap.glpiVersion;
    const includePrereleases = this.d.settings.get().includePrereleases;
    const kept = keptVersions(plugin, glpiVersion, includePrereleases || version !== undefined);
    const chosen = version ?? kept.at(-1)?.num;
    if (!chosen || !kept.some((v) => v.num === chosen))
      throw new AppError(
        'INVALID_INPUT',
        version
          ? `Version ${version} of ${plugin.key} is not available for GLPI ${glpiVersion} (available: ${kept.map((v) => v.num).join(', ') || 'none'}).`
          : `${plugin.name} has no version for GLPI ${glpiVersion}.`,
      );
    const status = this.d.keys.status();
    const a = availability(plugin, {
      keyState: status.state,
      subscription: status.subscription,
      offers: snap.offers,
      glpiVersion,
      includePrereleases: true,
    });
    const url = this.d.catalog.downloadUrl(plugin.key, chosen);
    if (!url) throw new AppError('INVALID_INPUT', `GLPI Network gives no archive for ${plugin.key} ${chosen}.`);
    const secret = await this.d.keys.secret();
    if (!secret) throw new AppError('INVALID_INPUT', 'No registration key is stored.', { fix: 'marketdesk key set' });
    const servicesOrigin = new URL(this.d.settings.get().servicesUrl).origin;
    return this.runPipeline(name, info, target, {
      request: {
        key: plugin.key,
        version: chosen,
        source: {
          url,
          servicesOrigin,
          headers: { 'User-Agent': this.d.network.userAgent(), Accept: 'application/json, */*' },
          key: secret,
          uid: this.d.settings.uid(),
        },
        allowed: a.kind === 'needs-tier' || a.kind === 'not-running' || a.kind === 'no-key' ? { reason: a.text } : true,
        onProgress,
        signal,
        ...(options.acceptNewChecksum ? { acceptNewChecksum: options.acceptNewChecksum } : {}),
        ...(options.expectedSha256 ? { expectedSha256: options.expectedSha256 } : {}),
      },
      after: (report) => this.countDownload(plugin.key, report.to, secret),
    });
  }

  /**
   * The install pipeline for one plugin of an instance, and its history entry, success or failure.
   * `download` replaces the verified download (an offline install refuses it); `after` runs once
   * the plugin is in place; `history` adds to the entry.
   */
  private async runPipeline(
    name: string,
    info: InstanceInfo,
    target: InstanceTarget,
    run: {
      request: Omit<InstallRequest, 'instance'>;
      download?: InstallDeps['download'];
      after?: (report: InstallReport) => Promise<void>;
      history?: Pick<HistoryEntry, 'source'>;
    },
  ): Promise<InstallReport> {
    const { key, version } = run.request;
    const before = (await readInventory(info, target.fs)).find((p) => p.key === key && p.location === 'marketplace');
    const action: HistoryEntry['action'] = before ? 'update' : 'install';
    try {
      const php = await this.phpLint(target);
      const deps = { ...this.deps(target), ...(run.download ? { download: run.download } : {}) };
      const report = await installPlugin({ ...deps, ...(php ? { php } : {}) }, { ...run.request, instance: info });
      await run.after?.(report);
      await this.record(
        {
          action,
          key,
          from: report.from,
          to: report.to,
          sha256: report.sha256,
          result: 'ok',
          note: historyNote(report),
          ...(report.checksumChange ? { checksumChange: { ...report.checksumChange, confirmedBy: 'admin' } } : {}),
          ...run.history,
        },
        name,
      );
      return report;
    } catch (caught) {
      const err = onServer(caught, target);
      await this.recordFailure(action, key, before?.version ?? null, version, err, name, run.history);
      throw err;
    }
  }

  /** Running installs and updates, by instance and lower-case key, so they can be cancelled. */
  private readonly jobs = new Map<string, Job>();

  private running(instance: string): boolean {
    return [...this.jobs.keys()].some((id) => id.startsWith(`${instance}\0`));
  }

  /**
   * Asks the running install or update of `key` in the active instance to stop. The pipeline stops
   * at its next step boundary or chunk and leaves marketplace/ as it was; once the swap has begun it
   * finishes instead (a half-swapped folder is worse than a finished install).
   */
  cancel(key: string): boolean {
    const job = this.jobs.get(`${this.d.instances.requireActive()}\0${key.toLowerCase()}`);
    return job ? stopJob(job) : false;
  }

  /** Every backup in the active instance, newest first (replaced versions and removed plugins). */
  async backups(): Promise<PluginBackup[]> {
    const { info, target } = await this.d.instances.show();
    const { fs } = target;
    // Out of the web's reach (GLPI's data folder), and where older versions left them until moved.
    const roots = backupRoots(info);
    let keys: string[];
    try {
      keys = await backupKeys(fs, roots);
    } catch {
      return [];
    }
    const installed = new Set(
      (await readInventory(info, fs)).filter((p) => p.location === 'marketplace').map((p) => p.key),
    );
    const all: PluginBackup[] = [];
    for (const key of keys.sort()) {
      for (const b of await listBackups(fs, roots, key).catch(() => [])) {
        all.push({ key, id: b.id, version: b.version, createdAt: b.createdAt, installed: installed.has(key) });
      }
    }
    return all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /** Updates one plugin to its newest compatible version (strictly newer only). */
  async update(
    key: string,
    onProgress?: InstallProgress,
    instance?: string,
    options: InstallOptions = {},
  ): Promise<PluginInstallReport> {
    const { plugins } = await this.list(instance);
    const installed = plugins.find((p) => p.key === key && p.shadowedBy === null);
    if (!installed)
      throw new AppError(
        'INVALID_INPUT',
        `${key} is not installed in ${instance ? `"${instance}"` : 'this instance'}.`,
      );
    if (!installed.update)
      throw new AppError(
        'INVALID_INPUT',
        installed.updateBlocked ? `No update for ${key}: ${installed.updateBlocked}.` : `${key} is up to date.`,
      );
    return this.install(key, installed.update, onProgress, instance, options);
  }

  /**
   * Puts a backup back (the one named `backupId`, else the newest of `version`, else the newest);
   * the current folder, if any, becomes a backup in turn.
   */
  async restore(key: string, version?: string, backupId?: string) {
    const { info, target } = await this.d.instances.show();
    const backups = await listBackups(target.fs, backupRoots(info), key);
    const backup = backupId
      ? backups.find((b) => b.id === backupId)
      : version
        ? backups.find((b) => b.version === version)
        : backups[0];
    if (!backup)
      throw new AppError(
        'INVALID_INPUT',
        backupId || version
          ? `No backup of ${key} ${backupId ?? version} (backups: ${backups.map((b) => b.version ?? '?').join(', ') || 'none'}).`
          : `No backup of ${key} to restore.`,
      );
    try {
      const report = await restorePlugin(this.deps(target), { instance: info, key, backupId: backup.id });
      await this.record({ action: 'restore', key, from: report.from, to: report.to, sha256: null, result: 'ok' });
      return report;
    } catch (caught) {
      const err = onServer(caught, target);
      await this.recordFailure('restore', key, null, backup.version, err);
      throw err;
    }
  }

  /**
   * Moves the plugin folder of an instance (the active one by default) to the backups; GLPI keeps
   * its tables until it is uninstalled there.
   */
  async remove(key: string, instance?: string) {
    const { record, info, target } = await this.d.instances.show(instance);
    try {
      const report = await removePlugin(this.deps(target), { instance: info, key });
      await this.record(
        { action: 'remove', key, from: report.from, to: null, sha256: null, result: 'ok' },
        record.name,
      );
      return report;
    } catch (caught) {
      const err = onServer(caught, target);
      await this.recordFailure('remove', key, null, null, err, record.name);
      throw err;
    }
  }

  /** What the start-up check repaired, per instance, said to the admin in the Installed view. */
  private readonly recoveries = new Map<string, string>();

  /** What the start-up check repaired in the active instance, if anything. */
  get lastRecovery(): string | null {
    const active = this.d.instances.list().active;
    return active ? (this.recoveries.get(active) ?? null) : null;
  }

  /**
   * At start: in every instance, finish or undo an operation that a crash interrupted, and keep what
   * was done (in the log, in that instance's history, and for the Installed view). An instance that
   * cannot be read (an unmounted share) is logged and skipped; the others are still checked.
   */
  async recoverAll(): Promise<{ instance: string; message: string }[]> {
    const repaired: { instance: string; message: string }[] = [];
    // SSH instances are repaired when they are next connected to (InstanceService.onConnected).
    for (const { name } of this.d.instances.list().instances.filter((r) => !r.ssh)) {
      try {
        const { info, target } = await this.d.instances.show(name);
        const message = await this.recoverOne(name, target, info);
        if (message) repaired.push({ instance: name, message });
      } catch (err) {
        this.d.logger.error('Start-up recovery failed', { instance: name, error: String(err) });
      }
    }
    return repaired;
  }

  /** At a new SSH connection: the same repair as at start, logged rather than thrown. */
  async recoverConnected(instance: string, target: InstanceTarget, info: InstanceInfo): Promise<void> {
    try {
      await this.recoverOne(instance, target, info);
    } catch (err) {
      this.d.logger.error('Recovery at connection failed', { instance, error: String(err) });
    }
  }

  private async recoverOne(instance: string, target: InstanceTarget, info: InstanceInfo): Promise<string | null> {
    const { host } = this.d;
    const r = await recoverInstance(
      {
        fs: target.fs,
        clock: this.d.clock,
        host,
        logger: this.d.logger,
        // A lock of this very process with no job of ours running there: its release failed with the
        // connection it was written through (a server gone mid-install). Nothing can hold it any more.
        lock: { isAlive: (pid) => (pid === host.pid ? this.running(instance) : host.isAlive(pid)) },
      },
      info,
    );
    if (r.action === 'busy') return null;
    if (r.migration.moved.length > 0)
      this.d.logger.info("Moved backups out of the web server's reach", {
        instance,
        count: r.migration.moved.length,
        to: r.backupPlace.root,
      });
    if (!r.message || r.action === 'none') return null;
    this.recoveries.set(instance, r.message);
    this.d.logger.warn('Repaired an interrupted operation at start', { instance, message: r.message });
    const journal = 'journal' in r ? r.journal : null;
    await this.record(
      {
        action: journal?.operation ?? 'update',
        key: journal?.key ?? '?',
        from: null,
        to: null,
        sha256: null,
        result: r.action === 'needs-attention' ? 'failed' : 'ok',
        note: `At start: ${r.message}`,
      },
      instance,
    );
    return r.message;
  }

  /**
   * Whether the GLPI console step is offered for the active instance, and possible; when it is, what
   * GLPI's console itself says (commands, plugin states, resume), never required.
   */
  async consoleInfo(
    info: InstanceInfo,
    target: InstanceTarget,
    instance: string,
    inventory: readonly InstalledPlugin[],
  ): Promise<NonNullable<PluginsView['console']>> {
    const { offer, php } = this.d.settings.get().glpiConsole;
    if (!target.processes) return { offered: false, available: false, reason: 'This shell cannot run programs.' };
    const found = await findConsole(info.root, php || null, consoleDeps(target));
    if (!found.available) return { offered: offer, available: false, reason: found.reason };
    if (!offer) return { offered: false, available: true, reason: null };
    const query = { php: found.php, root: info.root };
    const glpi = await consoleState(
      target.processes,
      query,
      await this.commands(instance, info, target, found.php),
      inventory,
    );
    return { offered: true, available: true, reason: null, glpi };
  }

  /** This profile's GLPI Network API base: its services URL + '/api' (what GLPI_NETWORK_API_URL defaults to). */
  servicesApiUrl(): string {
    return servicesApiUrl(this.d.settings.get().servicesUrl);
  }

  /** `bin/console list --format=json`, asked once per instance, GLPI version and php for the session. */
  private readonly consoleCommands = new Map<string, Promise<Awaited<ReturnType<typeof listCommands>>>>();

  private commands(
    instance: string,
    info: InstanceInfo,
    target: InstanceTarget,
    php: string,
  ): Promise<Awaited<ReturnType<typeof listCommands>>> {
    const runner = target.processes;
    if (!runner) return Promise.resolve({ commands: null, reason: 'This shell cannot run programs.' });
    const id = [instance, info.root, info.version ?? '', php].join('\0');
    let cached = this.consoleCommands.get(id);
    if (!cached) {
      cached = listCommands(runner, { php, root: info.root });
      this.consoleCommands.set(id, cached);
    }
    return cached;
  }

  /**
   * Runs `php bin/console plugin:install|activate <key>` or `plugin:resume_execution` in the active
   * instance, with its output.
   */
  async runConsole(task: ConsoleTask): Promise<ConsoleRun> {
    const { offer } = this.d.settings.get().glpiConsole;
    const { info, target } = await this.d.instances.show();
    if (!offer || !target.processes)
      throw new AppError('INVALID_INPUT', "Running GLPI's console is off.", {
        fix: 'Turn on "Offer to run GLPI\'s console" in Settings (or pass --console to the CLI).',
      });
    return this.console(info, target, task);
  }

  /** The CLI's --console: the same step, whatever the setting says (the admin asked on the command line). */
  async runConsoleNow(task: ConsoleTask): Promise<ConsoleRun> {
    const { info, target } = await this.d.instances.show();
    return this.console(info, target, task);
  }

  private async console(info: InstanceInfo, target: InstanceTarget, task: ConsoleTask): Promise<ConsoleRun> {
    const { action } = task;
    // plugin:resume_execution names no plugin: the console step ignores its key.
    const key = task.action === 'resume' ? '' : task.key;
    const { php, user } = this.d.settings.get().glpiConsole;
    const runner = target.processes;
    if (!runner) throw new AppError('INVALID_INPUT', 'This shell cannot run programs.');
    const found = await findConsole(info.root, php || null, consoleDeps(target));
    const command = action === 'resume' ? RESUME_COMMAND : `plugin:${action} ${key}`;
    if (!found.available)
      throw new AppError('INVALID_INPUT', `GLPI's console cannot be run: ${found.reason}.`, {
        fix: `Run it yourself on the GLPI server, from ${info.root}: php bin/console ${command}`,
      });
    const instance = this.d.instances.requireActive();
    const listed = await this.commands(instance, info, target, found.php);
    const r = await runConsoleStep(runner, {
      php: found.php,
      root: info.root,
      glpiVersion: info.version,
      action,
      key,
      user,
      commands: listed.commands ? new Set(listed.commands) : null,
    });
    // Resumed plugins bring their own commands: ask the console again next time.
    if (action === 'resume') this.consoleCommands.clear();
    this.d.logger.info("Ran GLPI's console", { command: r.commandLine, ok: r.ok, exitCode: r.exitCode });
    return r;
  }

  async history(instance?: string): Promise<HistoryEntry[]> {
    let text: string;
    try {
      text = await this.d.fs.readText(this.historyFile(instance ?? this.d.instances.requireActive()));
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as HistoryEntry];
        } catch {
          return []; // a torn last line after a crash
        }
      });
  }

  /** php where the instance is (the console's php setting, else PATH there), for the guard's php -l. */
  private async phpLint(target: InstanceTarget): Promise<PhpLint | null> {
    if (!target.processes) return null;
    const located = await locatePhp(this.d.settings.get().glpiConsole.php || null, consoleDeps(target));
    if ('php' in located) return { runner: target.processes, php: located.php };
    this.d.logger.info('php -l skipped', { reason: located.reason });
    return null;
  }

  private deps(target: InstanceTarget): InstallDeps {
    return {
      fs: target.fs,
      localFs: this.d.fs,
      ...(this.d.bzip2 ? { bzip2: this.d.bzip2 } : {}),
      ...(this.d.collectBuffers ? { collectBuffers: this.d.collectBuffers } : {}),
      clock: this.d.clock,
      host: this.d.host,
      logger: this.d.logger,
      dataDir: this.d.dataDir,
      keepBackups: this.d.keepBackups ?? this.d.settings.get().keepBackups,
      download: (request) => downloadArchive({ http: this.d.http, clock: this.d.clock, fs: this.d.fs }, request),
    };
  }

  private async snapshot() {
    const snap = await this.d.catalog.get({ background: false });
    const fresh = snap.fetchedAt || snap.blocked ? snap : await this.d.catalog.refresh();
    return fresh.blocked || !fresh.fetchedAt ? null : fresh;
  }

  /** GLPI's download counter, after a successful install; its failure is only logged (GLPI: ignored). */
  private async countDownload(key: string, version: string, secret: string): Promise<void> {
    const base = this.d.settings.get().servicesUrl;
    try {
      const res = await this.d.http.send({
        url: `${base}/api/marketplace/plugin/${encodeURIComponent(key)}/download/${encodeURIComponent(version)}`,
        headers: {
          Accept: 'application/json',
          'User-Agent': this.d.network.userAgent(),
          'X-Registration-Key': secret,
          'X-Glpi-Network-Uid': this.d.settings.uid(),
        },
        connectTimeoutMs: 5_000,
        timeoutMs: 10_000,
      });
      await res.cancel();
    } catch (err) {
      this.d.logger.warn('Download counter call failed', {
        key,
        version,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private async recordFailure(
    action: HistoryEntry['action'],
    key: string,
    from: string | null,
    to: string | null,
    err: unknown,
    instance?: string,
    extra?: Pick<HistoryEntry, 'source'>,
  ) {
    const step = isInstallError(err) ? err.step : 'prepare';
    const message = err instanceof Error ? err.message : String(err);
    const entry = {
      action,
      key,
      from,
      to,
      sha256: null,
      result: 'failed' as const,
      error: { step, message },
      ...extra,
    };
    await this.record(entry, instance);
  }

  private async record(entry: Omit<HistoryEntry, 'at' | 'user'>, instance?: string): Promise<void> {
    const line: HistoryEntry = { at: this.d.clock.now().toISOString(), user: this.d.host.user, ...entry };
    const file = this.historyFile(instance ?? this.d.instances.requireActive());
    try {
      await this.d.fs.mkdir(join(this.d.dataDir, 'history'));
      await this.d.fs.appendFile(file, JSON.stringify(line) + '\n', { mode: 0o600 });
    } catch (err) {
      this.d.logger.error('Could not write the history', { file, error: String(err) });
    }
  }

  private historyFile(instance: string): string {
    return join(this.d.dataDir, 'history', `${instance}.jsonl`);
  }
}

export type InstallProgress = (step: string, fraction: number) => void;

/** An archive an offline bundle put in the download cache, and the bundle it came from. */
export interface CachedArchive {
  /** The catalogue URL recorded in the bundle: it names the cache file (never fetched). */
  url: string;
  /** bundle.json's SHA-256 for it: other bytes are refused. */
  sha256: string;
  /** The bundle file and its whole SHA-256, for the pin's source and the history. */
  bundle: { file: string; sha256: string };
  /** As InstallOptions.acceptNewChecksum. */
  acceptNewChecksum?: string;
}

const REMAKE =
  'Import the bundle again (its archives are put in the download cache before anything is installed); if it persists, make the bundle again.';

function notCached(key: string, version: string): string {
  return `The archive of ${key} ${version} is not in the download cache, where the bundle import put it (removed meanwhile?). Marketdesk does not download anything during an import.`;
}

export interface InstallOptions {
  /** The exact new SHA-256 the admin confirmed for a version whose archive changed (pins.ts). */
  acceptNewChecksum?: string;
  /** The cancel of the operation this install is part of (a manifest's apply, a fleet update): as {@link PluginService.cancel}. */
  cancelled?: AbortSignal;
  /** The SHA-256 a manifest carries for this version: an archive with other bytes is refused. */
  expectedSha256?: string;
}

/** What the history says besides the versions: a repaired interruption, a confirmed checksum change. */
function historyNote(report: InstallReport): string | undefined {
  const change = report.checksumChange;
  const notes = [
    report.recovery,
    change ? `Checksum changed from ${change.from} to ${change.to}, confirmed by the admin.` : null,
  ].filter((n): n is string => Boolean(n));
  return notes.length > 0 ? notes.join(' ') : undefined;
}

/**
 * Fixes that speak of the GLPI server when the instance is one: a refused permission is the SSH
 * login's (or the sudo account's) on the server, not "the account running Marketdesk" here; a
 * connection lost mid-operation is not a folder to make writable.
 */
function onServer(err: unknown, target: InstanceTarget): unknown {
  if (!target.remote || !(err instanceof InstallError)) return err;
  const where = err.where ?? 'the marketplace folder';
  const fixes: Record<string, string> = {
    EACCES: `On the server, the account Marketdesk logs in as (${target.remote}) may not change ${where}. Give it write access there (for example the web server's group, group-writable), or set "Run as" for this instance to the web server's account (sudo -u www-data), then try again.`,
    ECONNRESET: `The connection to ${target.remote} was lost during the operation. Check that the server is up and reachable, then try again: at the next connection Marketdesk puts back in order what was left half done.`,
  };
  const fix = fixes[err.code === 'EPERM' ? 'EACCES' : err.code];
  if (!fix) return err;
  return new InstallError(err.step, err.code, err.message, fix, {
    cause: err,
    ...(err.where ? { where: err.where } : {}),
  });
}

function consoleDeps(target: InstanceTarget): FindConsoleDeps {
  const { fs } = target;
  return {
    exists: (path) =>
      fs.stat(path).then(
        () => true,
        () => false,
      ),
    isExecutable: (path) => fs.access(path, 'execute'),
    pathEnv: target.pathEnv,
    platform: target.platform,
  };
}
