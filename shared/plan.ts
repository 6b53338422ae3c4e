/**
 * The upgrade planner's pure part: one verdict per plugin of an instance for a target GLPI version,
 * and the order of operations, as data and as Markdown. The core builds a Plan from the target
 * version's catalogue and the instance's inventory; the renderer and the CLI only show it.
 */
import type { CatalogPlugin } from './catalog';
import { availability, keptVersions } from './entitlements';
import { normalizeGlpiVersion } from './glpi-version';
import type { InstalledPlugin, PluginLocation } from './instances';
import type { KeyState, Offer, SubscriptionInfo } from './model';
import { versionCompare } from './php-version';

export const PLAN_VERDICTS = ['keeps', 'needs', 'none-yet', 'absorbed', 'unmanaged'] as const;
export type PlanVerdict = (typeof PLAN_VERDICTS)[number];

/** Where a plugin went when GLPI took its features into its core, and how its data follows. */
export interface Absorption {
  /** The GLPI version whose core took the plugin's features over. */
  since: string;
  /** What replaces it in GLPI. */
  feature: string;
  /** GLPI's own migration command for the plugin's data. */
  command: string;
  /** The migration path, as GLPI gives it. */
  text: string;
}

/**
 * Plugins whose features GLPI 11 took into its core, with the data migration GLPI ships. GLPI
 * Network's catalogue has no field for this, so the table is ours, from GLPI 11's sources:
 * `src/Glpi/Console/Migration/FormCreatorPluginToCoreCommand.php` and
 * `GenericobjectPluginToCoreCommand.php`, which GLPI's central page names when the plugins' data
 * is still to migrate ("You have some forms from the 'Formcreator' plugin. Run …"). The migrations
 * read the plugins' tables (FormMigration checks Formcreator's schema first), so the plugin must
 * not be uninstalled in GLPI before they ran. "fields" is not absorbed: it stays a plugin.
 */
export const ABSORBED_PLUGINS: Readonly<Record<string, Absorption>> = {
  formcreator: {
    since: '11.0.0',
    feature: "GLPI's native forms (Administration > Forms, Assistance > Service catalog)",
    command: 'php bin/console migration:formcreator_plugin_to_core',
    text: "Do not uninstall Formcreator before the upgrade: GLPI's migration reads its tables. After db:update, run the migration, check the forms in Administration > Forms, then uninstall the plugin.",
  },
  genericobject: {
    since: '11.0.0',
    feature: "GLPI's custom assets (Setup > Dropdowns > Asset definitions)",
    command: 'php bin/console migration:genericobject_plugin_to_core',
    text: "Do not uninstall Generic object before the upgrade: GLPI's migration reads its tables. After db:update, run the migration, check the asset definitions, then uninstall the plugin.",
  },
};

/** The absorption that applies to `key` when upgrading to `to` (null: none). */
export function absorptionOf(key: string, to: string): Absorption | null {
  const a = ABSORBED_PLUGINS[key.toLowerCase()];
  return a && versionCompare(normalizeGlpiVersion(to), a.since) >= 0 ? a : null;
}

export interface PlanItem {
  key: string;
  name: string;
  location: PluginLocation;
  /** The installed version (setup.php); null when unknown. */
  installed: string | null;
  verdict: PlanVerdict;
  /** `needs`: the version to install (the newest compatible with the target). */
  version: string | null;
  /** `keeps`: a newer compatible version that exists, for later. */
  newer: string | null;
  /** The lowest tier that grants the plugin; null for a free one. */
  tier: Offer | null;
  /** `needs`: whether the key's subscription entitles it to the version; null otherwise. */
  entitled: boolean | null;
  /** The sentence that says why, in English (the renderer words it from the fields). */
  reason: string;
  /** Why the planned version cannot be installed with this key, when `entitled` is false. */
  entitlement: string | null;
  absorbed: Absorption | null;
  /** `unmanaged`: why Marketdesk does not manage it. */
  unmanaged: 'plugins' | 'vcs' | 'not-in-catalogue' | null;
}

export interface PlanStep {
  id: 'backup-database' | 'backup-files' | 'suspend' | 'upgrade' | 'install' | 'migrate' | 'resume';
  title: string;
  detail: string;
  /** Commands to run on the GLPI server (or Marketdesk's), in order. */
  commands: string[];
}

export interface Plan {
  instance: string;
  root: string;
  /** The instance's GLPI version now (null: not detected). */
  from: string | null;
  /** The target, normalised (three numbers). */
  to: string;
  createdAt: string;
  catalogue: { fetchedAt: string | null; complete: boolean };
  items: PlanItem[];
  counts: Record<PlanVerdict, number>;
  steps: PlanStep[];
}

export interface VerdictContext {
  to: string;
  keyState: KeyState;
  subscription: SubscriptionInfo | null;
  offers: Offer[];
  includePrereleases: boolean;
}

/** One verdict for one installed plugin (a copy GLPI does not load gets none: see `planItems`). */
export function verdictFor(plugin: InstalledPlugin, entry: CatalogPlugin | undefined, ctx: VerdictContext): PlanItem {
  const to = normalizeGlpiVersion(ctx.to);
  const base: PlanItem = {
    key: plugin.key,
    name: entry?.name ?? plugin.name ?? plugin.key,
    location: plugin.location,
    installed: plugin.version,
    verdict: 'unmanaged',
    version: null,
    newer: null,
    tier: null,
    entitled: null,
    reason: '',
    entitlement: null,
    absorbed: null,
    unmanaged: null,
  };
  const absorbed = absorptionOf(plugin.key, to);
  if (absorbed)
    return {
      ...base,
      verdict: 'absorbed',
      absorbed,
      reason: `GLPI ${to} includes it: ${absorbed.feature}. Migrate its data with ${absorbed.command}.`,
    };
  if (plugin.vcs)
    return {
      ...base,
      unmanaged: 'vcs',
      reason: `A ${plugin.vcs} checkout: update it with your version-control tool to a release that supports GLPI ${to}${declared(plugin)}.`,
    };
  if (plugin.location === 'plugins')
    return {
      ...base,
      unmanaged: 'plugins',
      reason: `Installed by hand in plugins/: Marketdesk does not replace it. Get a release that supports GLPI ${to} from its authors${declared(plugin)}.`,
    };
  if (!entry || plugin.invalidKey)
    return {
      ...base,
      unmanaged: 'not-in-catalogue',
      reason: `Not in GLPI Network's catalogue for GLPI ${to}: ask its authors for a release that supports GLPI ${to}${declared(plugin)}.`,
    };
  const kept = keptVersions(entry, to, ctx.includePrereleases);
  const latest = kept.at(-1) ?? null;
  const a = availability(entry, { ...ctx, glpiVersion: to });
  const tier = a.tier;
  if (plugin.version !== null && kept.some((v) => v.num === plugin.version)) {
    const newer = latest && versionCompare(latest.num, plugin.version) > 0 ? latest.num : null;
    return {
      ...base,
      verdict: 'keeps',
      newer,
      tier,
      reason: `Version ${plugin.version} supports GLPI ${to}${newer ? ` (${newer} is newer, for later)` : ''}.`,
    };
  }
  if (!latest)
    return {
      ...base,
      verdict: 'none-yet',
      tier,
      reason: `${a.kind === 'incompatible' ? a.text : `Not available for GLPI ${to}`}: no released version supports it yet. Wait for one before upgrading, or go without the plugin.`,
    };
  const entitled = a.kind === 'included';
  return {
    ...base,
    verdict: 'needs',
    version: latest.num,
    tier,
    entitled,
    entitlement: entitled ? null : a.text,
    reason: `${plugin.version === null ? 'The installed version is unknown' : `Version ${plugin.version} does not support GLPI ${to}`}: install ${latest.num}, the newest that does.${entitled ? '' : ` ${a.text}.`}`,
  };
}

function declared(plugin: InstalledPlugin): string {
  if (!plugin.glpiMin && !plugin.glpiMax) return '';
  const range = [plugin.glpiMin ? `>= ${plugin.glpiMin}` : '', plugin.glpiMax ? `<= ${plugin.glpiMax}` : '']
    .filter(Boolean)
    .join(', ');
  return ` (its setup.php declares GLPI ${range})`;
}

/** Verdicts for the plugins GLPI loads (a shadowed copy is not), in key order. */
export function planItems(
  plugins: readonly InstalledPlugin[],
  catalogue: readonly CatalogPlugin[],
  ctx: VerdictContext,
): PlanItem[] {
  const byKey = new Map(catalogue.map((p) => [p.key.toLowerCase(), p]));
  return plugins
    .filter((p) => p.shadowedBy === null)
    .map((p) => verdictFor(p, byKey.get(p.key.toLowerCase()), ctx))
    .sort((a, b) => a.key.localeCompare(b.key));
}

export function countVerdicts(items: readonly PlanItem[]): Record<PlanVerdict, number> {
  const counts = Object.fromEntries(PLAN_VERDICTS.map((v) => [v, 0])) as Record<PlanVerdict, number>;
  for (const item of items) counts[item.verdict]++;
  return counts;
}

/** The order of operations for this plan (GLPI's upgrade procedure, with the plugins in it). */
export function planSteps(p: Pick<Plan, 'instance' | 'root' | 'from' | 'to' | 'items'>): PlanStep[] {
  const cmd = (command: string) => `php bin/console ${command}`;
  const from11 = p.from !== null && versionCompare(normalizeGlpiVersion(p.from), '11.0.0') >= 0;
  const planned = p.items.filter((i) => i.verdict === 'needs');
  const needs = planned.filter((i) => i.entitled !== false);
  const refused = planned.filter((i) => i.entitled === false);
  const absorbed = p.items.filter((i) => i.verdict === 'absorbed' && i.absorbed);
  const byHand = p.items.filter((i) => i.verdict === 'unmanaged' || i.verdict === 'none-yet');
  const updated = [...needs.map((i) => i.key), ...p.items.filter((i) => i.verdict === 'keeps').map((i) => i.key)];
  return [
    {
      id: 'backup-database',
      title: 'Back up the database',
      detail: "A full dump of GLPI's database (its name and account are in config/config_db.php).",
      commands: ['mysqldump --single-transaction --routines --triggers <database> > glpi-before-upgrade.sql'],
    },
    {
      id: 'backup-files',
      title: "Back up GLPI's files",
      detail: `The whole GLPI folder (${p.root}), with config/, files/, marketplace/ and plugins/, and any data folder kept outside it.`,
      commands: [`tar -czf glpi-files-before-upgrade.tar.gz -C ${parentOf(p.root)} ${baseOf(p.root)}`],
    },
    {
      id: 'suspend',
      title: 'Stop GLPI and suspend the plugins',
      detail: from11
        ? 'Maintenance mode keeps users out; suspending stops every active plugin from running until you resume.'
        : `Maintenance mode keeps users out. GLPI ${p.from ?? '10'} has no command to suspend plugins: the upgrade to GLPI ${p.to} suspends their execution itself.`,
      commands: [cmd('glpi:maintenance:enable'), ...(from11 ? [cmd('plugin:suspend_execution')] : [])],
    },
    {
      id: 'upgrade',
      title: `Upgrade GLPI to ${p.to}`,
      detail:
        "Replace GLPI's files with those of the release archive, keeping config/, files/, marketplace/ and plugins/." +
        (versionCompare(p.to, '11.0.0') >= 0
          ? " GLPI 11's web root is its public/ folder: point the web server there."
          : ''),
      commands: [],
    },
    {
      id: 'install',
      title: 'Install the planned plugin versions',
      detail:
        (needs.length > 0
          ? `From the download cache, no network needed when downloaded ahead (${p.instance}).`
          : 'No plugin needs a new version.') +
        (refused.length > 0
          ? ` Not included in your subscription: ${refused.map((i) => `${i.key} ${i.version ?? ''} (${i.entitlement ?? ''})`).join(', ')}.`
          : '') +
        (byHand.length > 0 ? ` By hand: ${byHand.map((i) => i.key).join(', ')} (see their verdicts).` : ''),
      commands: needs.map((i) => `marketdesk install ${i.key}@${i.version ?? ''}`),
    },
    {
      id: 'migrate',
      title: 'Run the migrations',
      detail:
        "GLPI's database first, then each plugin's own update (plugin:install runs it for a plugin to update), then activation." +
        (absorbed.length > 0 ? ' Then the migrations of the plugins GLPI absorbed.' : ''),
      commands: [
        cmd('db:update'),
        ...updated.flatMap((key) => [cmd(`plugin:install ${key}`), cmd(`plugin:activate ${key}`)]),
        ...absorbed.map((i) => i.absorbed?.command ?? ''),
      ],
    },
    {
      id: 'resume',
      title: 'Resume the plugins and reopen GLPI',
      detail: 'Once the plugins are updated and activated, let them run again, then end maintenance mode.',
      commands: [cmd('plugin:resume_execution'), cmd('glpi:maintenance:disable')],
    },
  ];
}

function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i > 0 ? trimmed.slice(0, i) : '/';
}

function baseOf(path: string): string {
  return path.replace(/\/+$/, '').split('/').at(-1) ?? path;
}

const VERDICT_TITLE: Record<PlanVerdict, string> = {
  keeps: 'Keeps working',
  needs: 'Needs a new version',
  'none-yet': 'No compatible version yet',
  absorbed: "Absorbed into GLPI's core",
  unmanaged: 'Not managed by Marketdesk',
};

export function verdictTitle(verdict: PlanVerdict): string {
  return VERDICT_TITLE[verdict];
}

/** The plan as Markdown: to paste in a ticket or keep beside the upgrade. */
export function planMarkdown(plan: Plan): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `# Upgrade plan: ${plan.instance}, GLPI ${plan.from ?? '?'} → ${plan.to}`,
    '',
    `Made ${plan.createdAt} from GLPI Network's catalogue for GLPI ${plan.to}${plan.catalogue.fetchedAt ? ` (fetched ${plan.catalogue.fetchedAt})` : ''}.`,
    ...(plan.catalogue.complete ? [] : ['', '**The catalogue was incomplete: some verdicts may be wrong.**']),
    '',
    '## Plugins',
    '',
    '| Plugin | Installed | Verdict | Version | Why |',
    '| --- | --- | --- | --- | --- |',
    ...plan.items.map(
      (i) =>
        `| ${cell(i.name)} (\`${i.key}\`) | ${i.installed ?? '?'} | ${VERDICT_TITLE[i.verdict]} | ${i.version ?? ''} | ${cell(i.reason)} |`,
    ),
    '',
    '## Order of operations',
    '',
  ];
  plan.steps.forEach((step, n) => {
    lines.push(`${n + 1}. [ ] **${step.title}**: ${step.detail}`);
    if (step.commands.length > 0) lines.push('', '   ```sh', ...step.commands.map((c) => `   ${c}`), '   ```', '');
  });
  return (
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/** One planned archive after "Download ahead". */
export interface PlanDownload {
  key: string;
  version: string;
  /** `cached`: a verified copy was already there; `skipped`: the key is not entitled to it. */
  state: 'downloaded' | 'cached' | 'skipped' | 'failed';
  bytes: number | null;
  sha256: string | null;
  /** Why it was skipped or failed, and what to do. */
  message: string | null;
  fix: string | null;
}

/** Progress of "Download ahead", per archive. */
export interface PlanProgress {
  key: string;
  version: string;
  fraction: number;
}
