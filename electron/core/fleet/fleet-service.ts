/**
 * Every instance of the profile at a glance, and one update across several of them. Checks run in
 * parallel with a bound, each within its own timeout: a slow or dead server costs its own timeout
 * and never holds up the others. Updates run one instance after another per plugin (each takes the
 * instance's lock and writes its history), and a failure in one instance stops nothing else.
 */
import { AppError } from '../../../shared/errors';
import type { FleetReport, FleetRow, FleetUpdateResult, InstanceRecord } from '../../../shared/instances';
import { instanceWhere } from '../../../shared/ssh-target';
import { isInstallError, stoppedBy } from '../install/errors';
import { ChecksumChanged } from '../install/pins';
import type { InstanceService } from '../instance-service';
import type { InstallOptions, PluginService } from '../plugin-service';
import type { ManifestService } from '../manifest/manifest-service';
import type { Clock } from '../ports';
import { RunningOperations } from '../running-operations';
import { runBounded, TaskTimeoutError } from './bounded';

export interface FleetDeps {
  instances: InstanceService;
  plugins: PluginService;
  clock: Clock;
  /** The manifests attached to instances, for each row's drift; absent: no drift is computed. */
  manifests?: ManifestService;
  /** Checks at once. Default 24: an SSH check mostly waits for round trips, so a typical fleet is checked in one wave. */
  concurrency?: number;
  /** Per instance (connection, detection, inventory). Default 20 s. */
  timeoutMs?: number;
}

export class FleetService {
  /** The running updates, for {@link cancel}. */
  private readonly running = new RunningOperations();

  constructor(private readonly d: FleetDeps) {}

  /**
   * Asks the running fleet updates to stop (`fleet.cancel`): the update being made stops as its own
   * Cancel would (one already swapping finishes); the instances and plugins not reached yet each
   * get a line saying nothing was changed there. False when none was running.
   */
  cancel(): boolean {
    return this.running.cancel();
  }

  async check(names?: string[]): Promise<FleetReport> {
    const { instances, active } = this.d.instances.list();
    const chosen = names ? names.map((n) => this.record(instances, n)) : instances;
    let catalogue = false;
    const settled = await runBounded(
      chosen,
      async (record) => {
        const listed = await this.d.plugins.list(record.name);
        catalogue ||= listed.catalogue;
        return listed;
      },
      { concurrency: this.d.concurrency ?? 24, timeoutMs: this.d.timeoutMs ?? 20_000, clock: this.d.clock },
    );
    const rows = settled.map((s, i): FleetRow => {
      const record = chosen[i]!;
      const base = {
        name: record.name,
        where: instanceWhere(record),
        kind: record.ssh ? ('ssh' as const) : ('local' as const),
        active: record.name === active,
        checkedAt: this.d.clock.now().toISOString(),
        ms: s.ms,
      };
      if (!s.ok) {
        // A server that did not answer in time: drop its session, the next check reconnects.
        if (s.timedOut) this.d.instances.access.close(record.name);
        return {
          ...base,
          reachable: false,
          error: describe(s.error, s.timedOut),
          version: null,
          plugins: 0,
          updates: [],
          problems: [],
          drift: null,
        };
      }
      const { info, plugins } = s.value;
      const unreadable = info.version === null && info.line === 'unknown';
      return {
        ...base,
        reachable: true,
        error: unreadable
          ? { code: 'NOT_GLPI', message: info.problems.join('; ') || 'No GLPI found there.', fix: null }
          : null,
        version: info.version,
        plugins: plugins.length,
        updates: plugins
          .filter((p) => p.update !== null && p.shadowedBy === null)
          .map((p) => ({ key: p.key, from: p.version, to: p.update! })),
        problems: [...info.problems, ...(info.marketplaceWritable ? [] : [`${info.marketplaceDir} is not writable`])],
        drift: this.d.manifests?.drift(record.name, plugins) ?? null,
      };
    });
    return { rows, catalogue };
  }

  /**
   * Updates `key` (or every plugin with an update) in each named instance. One instance at a time:
   * the archive is downloaded again per instance (each install verifies its own copy), and an
   * admin watching sees one server change at a time. `options.acceptNewChecksum` confirms the new
   * archive of one plugin (a result's `checksumChanged`): only with one instance and that key.
   */
  update(
    names: string[],
    key: string | undefined,
    onProgress?: (instance: string, key: string, step: string, fraction: number) => void,
    options: InstallOptions = {},
  ): Promise<FleetUpdateResult[]> {
    return this.running.run((signal) => this.updateAll(names, key, signal, onProgress, options));
  }

  private async updateAll(
    names: string[],
    key: string | undefined,
    signal: AbortSignal,
    onProgress: ((instance: string, key: string, step: string, fraction: number) => void) | undefined,
    options: InstallOptions,
  ): Promise<FleetUpdateResult[]> {
    if (options.acceptNewChecksum && (!key || names.length !== 1))
      throw new AppError('INVALID_INPUT', 'A new checksum is confirmed for one plugin in one instance.', {
        fix: 'Name one instance and the plugin whose archive changed.',
      });
    const { instances } = this.d.instances.list();
    const records = names.map((n) => this.record(instances, n));
    const results: FleetUpdateResult[] = [];
    const stopped = (instance: string, k: string, from: string | null): FleetUpdateResult => ({
      instance,
      key: k,
      ok: false,
      from,
      to: null,
      message: STOPPED,
      fix: 'Update again to make it.',
    });
    for (const record of records) {
      if (signal.aborted) {
        results.push(stopped(record.name, key ?? '*', null));
        continue;
      }
      let keys: { key: string; from: string | null }[];
      try {
        const { plugins } = await this.d.plugins.list(record.name);
        const wanted = plugins.filter((p) => p.shadowedBy === null && (key ? p.key === key : p.update !== null));
        if (key && wanted.length === 0) {
          results.push(fail(record.name, key, null, new AppError('INVALID_INPUT', `${key} is not installed there.`)));
          continue;
        }
        keys = wanted.map((p) => ({ key: p.key, from: p.version }));
      } catch (err) {
        results.push(fail(record.name, key ?? '*', null, err));
        continue;
      }
      if (keys.length === 0) {
        results.push({
          instance: record.name,
          key: '*',
          ok: true,
          from: null,
          to: null,
          message: 'Every plugin is up to date.',
        });
      }
      for (const { key: k, from } of keys) {
        if (signal.aborted) {
          results.push(stopped(record.name, k, from));
          continue;
        }
        try {
          const progress = (step: string, f: number) => onProgress?.(record.name, k, step, f);
          const r = await this.d.plugins.update(k, progress, record.name, { ...options, cancelled: signal });
          results.push({
            instance: record.name,
            key: k,
            ok: true,
            from: r.from,
            to: r.to,
            message: `Updated ${k} ${r.from ?? ''} → ${r.to}.`,
          });
        } catch (err) {
          results.push(stoppedBy(signal, err) ? stopped(record.name, k, from) : fail(record.name, k, from, err));
        }
      }
    }
    return results;
  }

  private record(all: InstanceRecord[], name: string): InstanceRecord {
    const r = all.find((i) => i.name === name);
    if (!r)
      throw new AppError('INVALID_INPUT', `No instance named "${name}".`, {
        fix: 'See them with: marketdesk instance list',
      });
    return r;
  }
}

function describe(err: unknown, timedOut: boolean): FleetRow['error'] {
  if (timedOut || err instanceof TaskTimeoutError)
    return {
      code: 'TIMEOUT',
      message: `No answer in time (${err instanceof Error ? err.message : 'timeout'}).`,
      fix: 'Check that the server is up and reachable (its doctor says which step fails).',
    };
  if (err instanceof AppError) return { code: err.code, message: err.message, fix: err.fix ?? null };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), fix: null };
}

/** A fleet update's line for what a stop left as it was. */
const STOPPED = 'Stopped: nothing was changed here.';

function fail(instance: string, key: string, from: string | null, err: unknown): FleetUpdateResult {
  const fix = err instanceof AppError ? err.fix : isInstallError(err) ? err.fix : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return {
    instance,
    key,
    ok: false,
    from,
    to: null,
    message: isInstallError(err) ? `${err.step} failed: ${message}` : message,
    ...(fix ? { fix } : {}),
    ...(isInstallError(err) && err.cause instanceof ChecksumChanged ? { checksumChanged: changed(err.cause) } : {}),
  };
}

/** Both checksums of a refused republished archive, as `plugins.update` gives them (ChecksumChangedDetails). */
function changed({ key, version, pinned, received }: ChecksumChanged): FleetUpdateResult['checksumChanged'] {
  return { step: 'download', code: 'checksum-changed', key, version, pinned, received };
}
