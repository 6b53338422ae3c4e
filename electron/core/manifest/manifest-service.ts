/**
 * Manifests: what an instance has (export), what applying one changes (plan), making those changes
 * (apply), and the manifest attached to an instance for the fleet's drift. Every change goes
 * through PluginService (verified download, atomic swap, history), one after another, stopping at
 * the first failure: each step is atomic, so what was done before it stays done and consistent.
 */
import { AppError } from '../../../shared/errors';
import type { InstalledPlugin } from '../../../shared/instances';
import { MANIFEST_SCHEMA_ID, validateManifest, type Manifest, type ManifestPlugin } from '../../../shared/manifest';
import {
  APPLY_AGAIN,
  catalogueVersions,
  isChange,
  manifestDrift,
  planManifest,
  type CatalogueVersion,
  type DriftItem,
  type ManifestApplyResult,
  type ManifestPlan,
  type ManifestStep,
} from '../../../shared/manifest-plan';
import type { CatalogService } from '../catalog-service';
import type { InstanceService } from '../instance-service';
import { english } from '../../../shared/messages/ref';
import { checksumChangedFix } from '../bundle/bundle-errors';
import { isInstallError, stoppedBy } from '../install/errors';
import { ChecksumChanged } from '../install/pins';
import type { InstallOptions, PluginService } from '../plugin-service';
import type { KeyValueStore } from '../ports';
import { RunningOperations } from '../running-operations';
import type { ProfileSettingsService } from '../profile-settings';

export interface ManifestDeps {
  instances: InstanceService;
  plugins: PluginService;
  catalog: CatalogService;
  settings: ProfileSettingsService;
  store: KeyValueStore;
  profile: string;
}

export type ApplyProgress = (instance: string, step: ManifestStep, phase: string, fraction: number) => void;

export class ManifestService {
  /** The running applies, for {@link cancel}. */
  private readonly running = new RunningOperations();

  constructor(private readonly d: ManifestDeps) {}

  /** What the instance has: every plugin GLPI loads, at its exact version, with what is known of it. */
  async export(instance?: string): Promise<Manifest> {
    const name = this.name(instance);
    const { info, target, plugins } = await this.d.plugins.list(name);
    const live = plugins.filter((p) => p.shadowedBy === null && p.version !== null);
    const history = await this.d.plugins.history(name);
    const states = await this.consoleStates(name, info, target, plugins);
    return {
      $schema: MANIFEST_SCHEMA_ID,
      format: 1,
      ...(info.version ? { glpiVersion: info.version } : {}),
      plugins: live.map((p): ManifestPlugin => {
        const sha256 = history.findLast(
          (h) => h.result === 'ok' && h.key === p.key && h.to === p.version && h.sha256,
        )?.sha256;
        const active = states.get(p.key);
        return {
          key: p.key,
          version: p.version!,
          from: p.location,
          ...(active !== undefined ? { active } : {}),
          ...(sha256 ? { sha256 } : {}),
        };
      }),
    };
  }

  /** The steps that make the instance match `manifest`; `prune` also removes what it does not list. */
  async plan(manifest: Manifest, instance?: string, prune = false): Promise<ManifestPlan> {
    const name = this.name(instance);
    const { info, plugins, catalogue } = await this.d.plugins.list(name);
    const snapshot = catalogue ? await this.d.catalog.get({ background: false }) : null;
    const glpiVersion = info.version ?? snapshot?.glpiVersion ?? '';
    const versions = (key: string): CatalogueVersion[] | null => {
      if (!snapshot) return null;
      const entry = this.d.catalog.entry(key) ?? this.d.catalog.entry(key.toLowerCase());
      return entry ? catalogueVersions(entry.plugin, glpiVersion) : null;
    };
    const plan = planManifest(name, {
      manifest,
      installed: plugins,
      versions,
      includePrereleases: this.d.settings.get().includePrereleases,
      prune,
    });
    if (!catalogue)
      plan.steps = plan.steps.map((s) =>
        s.action === 'error' && s.message.startsWith('not in the catalogue')
          ? { ...s, message: 'the catalogue is not available (no valid key, or GLPI Network unreachable)' }
          : s,
      );
    return plan;
  }

  /**
   * Makes the plan's changes in order, stopping at the first failure. A plan with an error line
   * changes nothing: the manifest is fixed first.
   */
  apply(
    manifest: Manifest,
    instance?: string,
    prune = false,
    onProgress?: ApplyProgress,
    /** The new SHA-256 the admin confirmed for a version whose archive changed (pins.ts). */
    acceptNewChecksum?: string,
  ): Promise<ManifestApplyResult> {
    return this.running.run((signal) =>
      this.applyPlan(manifest, instance, prune, signal, onProgress, acceptNewChecksum),
    );
  }

  /**
   * Asks the running applies to stop (`manifest.cancel`): before their next step, the step being
   * made stopping as its own Cancel would (one already swapping finishes). False when none ran.
   */
  cancel(): boolean {
    return this.running.cancel();
  }

  private async applyPlan(
    manifest: Manifest,
    instance: string | undefined,
    prune: boolean,
    signal: AbortSignal,
    onProgress: ApplyProgress | undefined,
    acceptNewChecksum: string | undefined,
  ): Promise<ManifestApplyResult> {
    const plan = await this.plan(manifest, instance, prune);
    const changes = plan.steps.filter(isChange);
    const error = plan.steps.find((s) => s.action === 'error');
    if (error)
      return {
        instance: plan.instance,
        done: [],
        failed: {
          step: error,
          message: error.action === 'error' ? error.message : '',
          fix: 'Fix the manifest (or the catalogue) so that every line of `marketdesk apply --plan` can be made; nothing was changed.',
        },
        notDone: changes,
      };
    const done: ManifestStep[] = [];
    // Stopped before or during a step: it and the ones after it are not made.
    const stopped = (i: number): ManifestApplyResult => ({
      instance: plan.instance,
      done,
      failed: {
        step: changes[i]!,
        message: 'Stopped: this step and the ones after it were not made.',
        fix: 'Apply the manifest again to make them.',
      },
      notDone: changes.slice(i + 1),
    });
    for (const [i, step] of changes.entries()) {
      if (signal.aborted) return stopped(i);
      try {
        onProgress?.(plan.instance, step, 'start', 0);
        const expectedSha256 = pinnedBy(manifest, step);
        const options = {
          ...(expectedSha256 ? { expectedSha256 } : {}),
          ...(acceptNewChecksum ? { acceptNewChecksum } : {}),
          cancelled: signal,
        };
        await this.make(plan.instance, step, options, (phase, fraction) =>
          onProgress?.(plan.instance, step, phase, fraction),
        );
        done.push(step);
      } catch (err) {
        if (stoppedBy(signal, err)) return stopped(i);
        const fix = err instanceof AppError ? err.fix : (err as { fix?: unknown } | null)?.fix;
        const changed = isInstallError(err) && err.cause instanceof ChecksumChanged ? err.cause : null;
        return {
          instance: plan.instance,
          done,
          failed: {
            step,
            message: err instanceof Error ? err.message : String(err),
            fix: changed ? english(checksumChangedFix(changed, APPLY_AGAIN)) : typeof fix === 'string' ? fix : null,
            ...(changed
              ? {
                  checksumChanged: {
                    step: 'download' as const,
                    code: 'checksum-changed' as const,
                    key: changed.key,
                    version: changed.version,
                    pinned: changed.pinned,
                    received: changed.received,
                  },
                }
              : {}),
          },
          notDone: changes.slice(i + 1),
        };
      }
    }
    return { instance: plan.instance, done, failed: null, notDone: [] };
  }

  /** Attaches `manifest` to an instance (null detaches it): the fleet then shows its drift. */
  attach(instance: string, manifest: Manifest | null): void {
    const name = this.name(instance);
    const all = { ...this.attachedAll() };
    if (manifest) all[name] = manifest;
    else delete all[name];
    this.d.store.set(this.path(), all);
  }

  /** The manifest attached to an instance, or null. A stored one that no longer validates counts as none. */
  attached(instance: string): Manifest | null {
    const stored = this.attachedAll()[instance];
    if (stored === undefined) return null;
    const r = validateManifest(stored);
    return r.ok ? r.manifest : null;
  }

  /** The manifest attached to an instance (active, or `instance`), with that instance's name. */
  attachedTo(instance?: string): { instance: string; manifest: Manifest | null } {
    const name = this.name(instance);
    return { instance: name, manifest: this.attached(name) };
  }

  /** The instance's drift from its attached manifest; null without one. */
  drift(instance: string, installed: readonly InstalledPlugin[]): DriftItem[] | null {
    const manifest = this.attached(instance);
    return manifest ? manifestDrift(manifest, installed) : null;
  }

  private async make(
    instance: string,
    step: ManifestStep,
    options: InstallOptions,
    onProgress: (phase: string, fraction: number) => void,
  ) {
    switch (step.action) {
      case 'install':
      case 'update':
      case 'downgrade':
        await this.d.plugins.install(step.key, step.to, onProgress, instance, options);
        return;
      case 'remove':
        await this.d.plugins.remove(step.key, instance);
        return;
      default:
        return;
    }
  }

  /** Whether GLPI has each plugin activated, when its console is offered and can say; else empty. */
  private async consoleStates(
    name: string,
    info: Awaited<ReturnType<PluginService['list']>>['info'],
    target: Awaited<ReturnType<PluginService['list']>>['target'],
    plugins: InstalledPlugin[],
  ): Promise<Map<string, boolean>> {
    const states = new Map<string, boolean>();
    try {
      const consoleInfo = await this.d.plugins.consoleInfo(info, target, name, plugins);
      for (const p of consoleInfo.glpi?.plugins ?? [])
        if (p.state !== 'unknown') states.set(p.key, p.state === 'activated');
    } catch {
      // The console is never required: without it, `active` is left out.
    }
    return states;
  }

  private name(instance?: string): string {
    const name = instance ?? this.d.instances.list().active;
    if (!name)
      throw new AppError('INVALID_INPUT', 'No instance is active.', {
        fix: 'Add one with: marketdesk instance add <GLPI root>, or name one with --instance',
      });
    if (!this.d.instances.list().instances.some((r) => r.name === name))
      throw new AppError('INVALID_INPUT', `No instance named "${name}".`, {
        fix: 'See them with: marketdesk instance list',
      });
    return name;
  }

  private attachedAll(): Record<string, unknown> {
    return this.d.store.get<Record<string, unknown>>(this.path()) ?? {};
  }

  private path(): string {
    return `profiles.${this.d.profile}.manifests`;
  }
}

/**
 * The SHA-256 the manifest carries for the version a step installs: only when its entry names that
 * exact version (a range resolves to versions whose bytes the manifest cannot know).
 */
function pinnedBy(manifest: Manifest, step: ManifestStep): string | undefined {
  if (step.action !== 'install' && step.action !== 'update' && step.action !== 'downgrade') return undefined;
  const entry = manifest.plugins.find((p) => p.key.toLowerCase() === step.key.toLowerCase());
  return entry?.sha256 && entry.version === step.to ? entry.sha256 : undefined;
}
