import { AppError } from '../../../shared/errors';
import { normalizeGlpiVersion } from '../../../shared/glpi-version';
import { countVerdicts, planItems, planSteps, type Plan, type PlanDownload } from '../../../shared/plan';
import type { CatalogService, VersionCatalogue } from '../catalog-service';
import { DownloadError } from '../download';
import { fetchIntoCache } from '../install/archive-cache';
import type { InstanceService } from '../instance-service';
import { readInventory } from '../inventory';
import type { KeyService } from '../key-service';
import type { Clock, FileSystem, HttpClient, Logger } from '../ports';
import type { ProfileSettingsService } from '../profile-settings';
import { RunningOperations } from '../running-operations';
import { archiveUrl } from '../marketplace-client';

export interface PlanServiceDeps {
  instances: InstanceService;
  catalog: CatalogService;
  keys: KeyService;
  settings: ProfileSettingsService;
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  /** This computer's files: the download cache is `<dataDir>/downloads/`. */
  fs: FileSystem;
  dataDir: string;
}

export type PlanProgressListener = (key: string, version: string, fraction: number) => void;

/** What "Download ahead" says of an archive a stop left undownloaded, and what to do. */
const STOPPED = { message: 'Stopped: not downloaded.', fix: 'Download ahead again to fetch it.' };

/**
 * The upgrade planner: what each plugin of an instance becomes with another GLPI version, from
 * that version's catalogue (the profile's target is left alone), and "Download ahead", which puts
 * the planned archives, verified, in the download cache that installs reuse.
 */
export class PlanService {
  /** The running "Download ahead", for {@link cancel}. */
  private readonly running = new RunningOperations();

  constructor(private readonly d: PlanServiceDeps) {}

  async plan(to: string, instance?: string): Promise<Plan> {
    return (await this.build(to, instance)).plan;
  }

  downloadAhead(to: string, instance?: string, onProgress?: PlanProgressListener): Promise<PlanDownload[]> {
    return this.running.run((signal) => this.fetchAll(to, instance, signal, onProgress));
  }

  /**
   * Stops the running "Download ahead" (`plan.cancel`): the archive being downloaded is not kept,
   * those after it are not started; what was downloaded stays, verified. False when none ran.
   */
  cancel(): boolean {
    return this.running.cancel();
  }

  private async fetchAll(
    to: string,
    instance: string | undefined,
    signal: AbortSignal,
    onProgress: PlanProgressListener | undefined,
  ): Promise<PlanDownload[]> {
    const { plan, catalogue } = await this.build(to, instance);
    const secret = await this.d.keys.secret();
    if (!secret) throw new AppError('INVALID_INPUT', 'No registration key is stored.', { fix: 'marketdesk key set' });
    const results: PlanDownload[] = [];
    // One at a time: the upgrade window is later; a polite, steady download is enough now.
    for (const item of plan.items) {
      if (item.verdict !== 'needs' || !item.version) continue;
      const version = item.version;
      const base = { key: item.key, version, bytes: null, sha256: null, message: null, fix: null };
      if (signal.aborted) {
        results.push({ ...base, state: 'failed', ...STOPPED });
        continue;
      }
      if (item.entitled === false) {
        results.push({
          ...base,
          state: 'skipped',
          message: `${item.entitlement ?? 'Not included in your subscription'}: GLPI Network refuses this archive to this key.`,
          fix: 'Ask your GLPI Network reseller for the tier named, or plan without this plugin.',
        });
        continue;
      }
      const entry = catalogue.doc.entries.find((e) => e.plugin.key === item.key);
      const url = entry ? archiveUrl(entry, version) : null;
      if (!url) {
        results.push({
          ...base,
          state: 'failed',
          message: `GLPI Network gives no archive for ${item.key} ${version}.`,
          fix: null,
        });
        continue;
      }
      results.push(await this.fetchOne(item.key, version, url, catalogue.userAgent, secret, signal, onProgress));
    }
    return results;
  }

  private async fetchOne(
    key: string,
    version: string,
    url: string,
    userAgent: string,
    secret: string,
    signal: AbortSignal,
    onProgress?: PlanProgressListener,
  ): Promise<PlanDownload> {
    try {
      const { result, cached } = await fetchIntoCache(
        { http: this.d.http, clock: this.d.clock, fs: this.d.fs, dataDir: this.d.dataDir },
        {
          key,
          version,
          url,
          servicesOrigin: new URL(this.d.settings.get().servicesUrl).origin,
          userAgent,
          secret,
          uid: this.d.settings.uid(),
          onProgress: (fraction) => onProgress?.(key, version, fraction),
          signal,
        },
      );
      if (!cached) this.d.logger.info('Downloaded ahead', { key, version, bytes: result.bytes });
      const state = cached ? 'cached' : 'downloaded';
      return { key, version, state, bytes: result.bytes, sha256: result.sha256, message: null, fix: null };
    } catch (err) {
      if (!(err instanceof DownloadError)) throw err;
      const stopped = signal.aborted && err.code === 'cancelled';
      if (!stopped) this.d.logger.warn('Download ahead failed', { key, version, code: err.code });
      const said = stopped ? STOPPED : { message: err.message, fix: err.fix };
      return { key, version, state: 'failed', bytes: null, sha256: null, ...said };
    }
  }

  private async build(to: string, instance?: string): Promise<{ plan: Plan; catalogue: VersionCatalogue }> {
    const target = normalizeGlpiVersion(to);
    if (!/^\d+\.\d+\.\d+$/.test(target))
      throw new AppError('INVALID_INPUT', `"${to}" is not a GLPI version.`, { fix: 'Give a version such as 11.0.2.' });
    const { record, info, target: access } = await this.d.instances.show(instance);
    const [plugins, catalogue] = await Promise.all([readInventory(info, access.fs), this.d.catalog.forVersion(target)]);
    const key = this.d.keys.status();
    const items = planItems(
      plugins,
      catalogue.doc.entries.map((e) => e.plugin),
      {
        to: target,
        keyState: key.state,
        subscription: key.subscription,
        offers: catalogue.doc.offers,
        includePrereleases: this.d.settings.get().includePrereleases,
      },
    );
    const base = { instance: record.name, root: info.root, from: info.version, to: target, items };
    return {
      catalogue,
      plan: {
        ...base,
        createdAt: this.d.clock.now().toISOString(),
        catalogue: { fetchedAt: catalogue.doc.fetchedAt, complete: catalogue.doc.complete },
        counts: countVerdicts(items),
        steps: planSteps(base),
      },
    };
  }
}
