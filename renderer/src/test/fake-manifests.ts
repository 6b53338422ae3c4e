import { AppError } from '../../../shared/errors';
import { installedPlugin } from '../../../shared/installed-fixtures.testkit';
import type { InstalledPlugin } from '../../../shared/instances';
import type { Manifest } from '../../../shared/manifest';
import { isChange, planManifest, type ManifestApplyResult, type ManifestStep } from '../../../shared/manifest-plan';
import type { CoreHarness } from './core-harness';
import { StoppableHold } from './stoppable-hold';

/**
 * Stand-in for the core's manifest service (manifest.export, plan, apply, attach, attached),
 * installed into the real core's handler map like FakePlugins: requests go through the real
 * dispatch (the manifest schema included) and progress through the real EventHub. Plans come from
 * the real `planManifest` over each instance's inventory and the catalogue versions given; an
 * apply changes that inventory, so a second apply has nothing to do. manifest.parse and
 * manifest.format stay the core's own.
 */
export interface FakeManifestsOptions {
  /** Each instance's plugins, by instance name. */
  inventories: Record<string, InstalledPlugin[]>;
  /** Catalogue versions per plugin key, oldest first. */
  versions: Record<string, string[]>;
}

/** What applying a step does: fail with this error, or wait for `hold` after its progress. */
export interface StepPlan {
  fail?: AppError;
  hold?: Promise<void>;
}

export class FakeManifests {
  readonly inventories: Map<string, InstalledPlugin[]>;
  readonly attached = new Map<string, Manifest>();
  readonly calls: { channel: string; req: unknown }[] = [];
  /** What applying the step of a plugin key does (used once). */
  readonly steps = new Map<string, StepPlan>();
  /** Where a step waits on its `hold`, ended by `manifest.cancel`. */
  private readonly waiting = new StoppableHold();
  /** Plugins whose archive changed since pinned: key → the pinned and the received SHA-256. */
  readonly republished = new Map<string, { pinned: string; received: string }>();

  constructor(
    private readonly harness: CoreHarness,
    private readonly options: FakeManifestsOptions,
  ) {
    this.inventories = new Map(Object.entries(structuredClone(options.inventories)));
    const handlers = harness.core.handlers;
    handlers['manifest.export'] = (req) => {
      this.calls.push({ channel: 'manifest.export', req });
      const plugins = this.inventory(req.instance).filter((p) => p.shadowedBy === null && p.version !== null);
      return Promise.resolve({
        format: 1 as const,
        plugins: plugins.map((p) => ({ key: p.key, version: p.version!, from: p.location })),
      });
    };
    handlers['manifest.plan'] = (req) => {
      this.calls.push({ channel: 'manifest.plan', req });
      return Promise.resolve(this.plan(req.manifest, req.instance, req.prune));
    };
    handlers['manifest.apply'] = (req) => {
      this.calls.push({ channel: 'manifest.apply', req });
      return this.apply(req.manifest, req.instance, req.prune, req.acceptNewChecksum);
    };
    handlers['manifest.cancel'] = (req) => {
      this.calls.push({ channel: 'manifest.cancel', req });
      return Promise.resolve({ cancelled: this.waiting.stop() });
    };
    handlers['manifest.attach'] = (req) => {
      this.calls.push({ channel: 'manifest.attach', req });
      if (req.manifest) this.attached.set(req.instance, req.manifest);
      else this.attached.delete(req.instance);
      return Promise.resolve({ instance: req.instance, attached: req.manifest !== null });
    };
    handlers['manifest.attached'] = (req) => {
      this.calls.push({ channel: 'manifest.attached', req });
      const instance = this.name(req.instance);
      return Promise.resolve({ instance, manifest: structuredClone(this.attached.get(instance) ?? null) });
    };
  }

  private name(instance: string | undefined): string {
    const name = instance ?? 'prod';
    if (!this.inventories.has(name)) throw new AppError('INVALID_INPUT', `No instance named "${name}".`);
    return name;
  }

  private inventory(instance: string | undefined): InstalledPlugin[] {
    return this.inventories.get(this.name(instance)) ?? [];
  }

  private plan(manifest: Manifest, instance: string | undefined, prune = false) {
    const versions = (key: string) => this.options.versions[key]?.map((num) => ({ num, stable: true })) ?? null;
    return planManifest(this.name(instance), {
      manifest,
      installed: this.inventory(instance),
      versions,
      includePrereleases: false,
      prune,
    });
  }

  private async apply(
    manifest: Manifest,
    instance: string | undefined,
    prune = false,
    accept?: string,
  ): Promise<ManifestApplyResult> {
    const plan = this.plan(manifest, instance, prune);
    const changes = plan.steps.filter(isChange);
    const done: ManifestStep[] = [];
    for (const [i, step] of changes.entries()) {
      const { fail, hold } = this.steps.get(step.key) ?? {};
      this.steps.delete(step.key);
      const progressed = { instance: plan.instance, key: step.key, action: step.action };
      this.harness.core.events.emit('manifest.progressed', { ...progressed, step: 'start', fraction: 0 });
      this.harness.core.events.emit('manifest.progressed', { ...progressed, step: 'download', fraction: 0.5 });
      if (hold && (await this.waiting.wait(hold)) === 'stopped') {
        const failed = {
          step,
          message: 'Stopped: this step and the ones after it were not made.',
          fix: 'Apply the manifest again to make them.',
        };
        return { instance: plan.instance, done, failed, notDone: changes.slice(i + 1) };
      }
      const changed = this.republished.get(step.key);
      if (changed && 'to' in step && accept !== changed.received) {
        const checksumChanged = {
          step: 'download' as const,
          code: 'checksum-changed' as const,
          key: step.key,
          version: step.to,
          ...changed,
        };
        const failed = { step, message: 'The archive changed since it was pinned.', fix: null, checksumChanged };
        return { instance: plan.instance, done, failed, notDone: changes.slice(i + 1) };
      }
      if (fail) {
        const failed = { step, message: fail.message, fix: fail.fix ?? null };
        return { instance: plan.instance, done, failed, notDone: changes.slice(i + 1) };
      }
      this.make(plan.instance, step);
      done.push(step);
    }
    return { instance: plan.instance, done, failed: null, notDone: [] };
  }

  private make(instance: string, step: ManifestStep): void {
    const others = this.inventory(instance).filter((p) => p.key !== step.key || p.location !== 'marketplace');
    if (step.action === 'install' || step.action === 'update' || step.action === 'downgrade')
      others.push(installedPlugin(step.key, { version: step.to }));
    this.inventories.set(instance, others);
  }
}
