/**
 * What applying a manifest to an instance changes (the plan), and how an instance differs from
 * the manifest attached to it (its drift). Pure: the inventory and the catalogue's versions come in.
 */
import type { CatalogPlugin } from './catalog';
import { keptVersions } from './entitlements';
import type { ChecksumChangedDetails, InstalledPlugin } from './instances';
import type { Manifest } from './manifest';
import { versionCompare } from './php-version';
import { newestSatisfying, parseRange, satisfies } from './version-range';

/** One line of a plan. `error` and `skip` lines are said, never made. */
export type ManifestStep =
  | { action: 'install'; key: string; to: string }
  | { action: 'update' | 'downgrade'; key: string; from: string | null; to: string }
  | { action: 'remove'; key: string; from: string | null }
  | { action: 'skip' | 'error'; key: string; message: string };

export interface ManifestPlan {
  instance: string;
  steps: ManifestStep[];
  /** Installed plugins the manifest does not list, kept because --prune was not asked. */
  extra: string[];
}

/**
 * The command an apply's fix gives to apply again: the core does not know the manifest's file, the
 * CLI writes the one it was given in place of `<manifest>`.
 */
export const APPLY_AGAIN = 'marketdesk apply <manifest>';

export interface ManifestApplyResult {
  instance: string;
  /** Made, in order. */
  done: ManifestStep[];
  /**
   * The step that failed, and why; null when every step was made. `checksumChanged`: its version's
   * archive is not the one pinned (republished?): trusting `received` is applying again with
   * `acceptNewChecksum`.
   */
  failed: { step: ManifestStep; message: string; fix: string | null; checksumChanged?: ChecksumChangedDetails } | null;
  /** Not attempted after the failure (or because the plan has errors). */
  notDone: ManifestStep[];
}

/** How an instance differs from its manifest: one item per plugin. */
export interface DriftItem {
  key: string;
  /** missing: listed, not installed; version: installed outside the range; extra: installed, not listed. */
  kind: 'missing' | 'version' | 'extra';
  installed: string | null;
  wanted: string | null;
}

/** A catalogue version of a plugin, compatible with the instance's GLPI. */
export interface CatalogueVersion {
  num: string;
  stable: boolean;
}

/** The versions of a catalogue plugin that suit GLPI `glpiVersion`, prereleases included (the plan decides). */
export function catalogueVersions(plugin: CatalogPlugin, glpiVersion: string): CatalogueVersion[] {
  return keptVersions(plugin, glpiVersion, true).map((v) => ({ num: v.num, stable: v.stability === 'stable' }));
}

export interface PlanInput {
  manifest: Manifest;
  /** The instance's inventory (copies shadowed by another are ignored). */
  installed: readonly InstalledPlugin[];
  /** The compatible catalogue versions of a plugin; null when the catalogue does not have it. */
  versions: (key: string) => readonly CatalogueVersion[] | null;
  /** Whether a range may resolve to a prerelease (an exact version always may). */
  includePrereleases: boolean;
  prune: boolean;
}

/** The steps that make the instance match the manifest, in the manifest's order, then removals. */
export function planManifest(instance: string, input: PlanInput): ManifestPlan {
  const live = input.installed.filter((p) => p.shadowedBy === null);
  const find = (key: string) => live.find((p) => p.key.toLowerCase() === key.toLowerCase());
  const steps: ManifestStep[] = [];
  for (const wanted of input.manifest.plugins) {
    const parsed = parseRange(wanted.version);
    if (!parsed.ok) {
      steps.push({ action: 'error', key: wanted.key, message: parsed.error });
      continue;
    }
    const range = parsed.range;
    const have = find(wanted.key);
    if (have?.version && satisfies(have.version, range)) continue;
    if (!have && wanted.from === 'plugins') {
      steps.push({
        action: 'error',
        key: wanted.key,
        message: `not installed, and listed in plugins/: Marketdesk installs only in marketplace/ (copy it into plugins/ by hand, or drop "from")`,
      });
      continue;
    }
    const versions = input.versions(wanted.key);
    if (!versions) {
      steps.push({ action: 'error', key: wanted.key, message: 'not in the catalogue for this GLPI version' });
      continue;
    }
    const candidates = versions.filter((v) => v.stable || input.includePrereleases || range.exact !== null);
    const to = newestSatisfying(
      candidates.map((v) => v.num),
      range,
    );
    if (!to) {
      const offered = versions.map((v) => v.num).join(', ') || 'none';
      steps.push({
        action: 'error',
        key: wanted.key,
        message: `no catalogue version satisfies ${wanted.version} (available for this GLPI: ${offered})`,
      });
      continue;
    }
    if (!have) steps.push({ action: 'install', key: wanted.key, to });
    else {
      const from = have.version;
      const down = from !== null && versionCompare(from, to) > 0;
      steps.push({ action: down ? 'downgrade' : 'update', key: have.key, from, to });
    }
  }
  const listed = new Set(input.manifest.plugins.map((p) => p.key.toLowerCase()));
  const extras = live.filter((p) => !listed.has(p.key.toLowerCase()));
  if (!input.prune) return { instance, steps, extra: extras.map((p) => p.key) };
  for (const p of extras) {
    if (p.location === 'marketplace') steps.push({ action: 'remove', key: p.key, from: p.version });
    else
      steps.push({
        action: 'skip',
        key: p.key,
        message: 'in plugins/, which Marketdesk does not manage: left alone (remove it by hand if it should go)',
      });
  }
  return { instance, steps, extra: [] };
}

/** The differences between an instance's plugins and the manifest attached to it (empty: it matches). */
export function manifestDrift(manifest: Manifest, installed: readonly InstalledPlugin[]): DriftItem[] {
  const live = installed.filter((p) => p.shadowedBy === null);
  const drift: DriftItem[] = [];
  for (const wanted of manifest.plugins) {
    const have = live.find((p) => p.key.toLowerCase() === wanted.key.toLowerCase());
    const parsed = parseRange(wanted.version);
    if (!have) drift.push({ key: wanted.key, kind: 'missing', installed: null, wanted: wanted.version });
    else if (!have.version || !parsed.ok || !satisfies(have.version, parsed.range))
      drift.push({ key: wanted.key, kind: 'version', installed: have.version, wanted: wanted.version });
  }
  const listed = new Set(manifest.plugins.map((p) => p.key.toLowerCase()));
  for (const p of live)
    if (!listed.has(p.key.toLowerCase())) drift.push({ key: p.key, kind: 'extra', installed: p.version, wanted: null });
  return drift;
}

/** One line of a plan, as the CLI prints it. */
export function stepText(step: ManifestStep): string {
  switch (step.action) {
    case 'install':
      return `install   ${step.key} ${step.to}`;
    case 'update':
    case 'downgrade':
      return `${step.action.padEnd(9)} ${step.key} ${step.from ?? '?'} → ${step.to}`;
    case 'remove':
      return `remove    ${step.key} ${step.from ?? '?'}`;
    case 'skip':
      return `skip      ${step.key}: ${step.message}`;
    case 'error':
      return `error     ${step.key}: ${step.message}`;
  }
}

/** Whether a step changes the instance (install, update, downgrade, remove). */
export function isChange(step: ManifestStep): boolean {
  return step.action !== 'error' && step.action !== 'skip';
}
