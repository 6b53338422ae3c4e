import type { CatalogPlugin, CatalogSnapshot } from '../../shared/catalog';
import { describePlugin as shortDescription } from '../../shared/catalog-list';
import { createCatalogIndex, queryCatalog } from '../../shared/catalog-query';
import { fitsAny } from '../../shared/compatibility';
import { availability, entitlementCsv, entitlementMap, tierOf, type Availability } from '../../shared/entitlements';
import { DEFAULT_CATALOG_VIEW } from '../../shared/catalog';
import { glpiVersionPattern } from '../../shared/glpi-version';
import type { KeyStatus, ProfileSettings } from '../../shared/model';
import type { CliIo, ParsedArgs } from './cli';
import { EXIT } from './cli';
import { call, type Core } from './cli-core';
import { columns, labelled } from './format';

const ALLOWED: Record<string, string[]> = {
  list: ['--json'],
  search: ['--json'],
  show: ['--json'],
  refresh: ['--json'],
  entitlements: ['--json', '--csv'],
};

/** `catalog list|search|show|refresh` and `entitlements`. */
export async function runCatalog(args: ParsedArgs, core: Core, io: CliIo): Promise<number> {
  const checked = checkArgs(args, io);
  if (typeof checked === 'number') return checked;
  const { command, rest } = checked;
  const snap = await loadCatalog(core, command, io);
  if (typeof snap === 'number') return snap;
  const [key, settings] = await Promise.all([call(core, 'key.status', {}), call(core, 'settings.get', {})]);
  const ctx = availabilityContext(key, settings, snap);
  const shown: Shown = {
    snap,
    io,
    json: args.flags.has('--json'),
    language: settings.language,
    notes: statusNotes(snap, io.now()),
    avail: (p) => availability(p, ctx),
  };
  switch (command) {
    case 'refresh':
      return refreshed(shown);
    case 'list':
    case 'search':
      return listed(shown, command, rest);
    case 'show':
      return showOne(shown, rest[0] ?? '');
    case 'entitlements': {
      const current = ctx.subscription?.running ? ctx.subscription.offer : null;
      return entitlements(shown, current, args.flags.has('--csv'));
    }
  }
  return EXIT.other;
}

/** The command and its words, or the exit code of a usage error (said on stderr). */
function checkArgs(args: ParsedArgs, io: CliIo): { command: string; rest: string[] } | number {
  const [group, ...rest] = args.words;
  const command = group === 'entitlements' ? 'entitlements' : rest.shift();
  const known = command ? ALLOWED[command] : undefined;
  if (!command || !known) {
    io.err(`Unknown command "${args.words.join(' ')}". Run marketdesk --help.`);
    return EXIT.other;
  }
  const unknownFlag = [...args.flags].find((f) => !known.includes(f));
  if (unknownFlag) {
    io.err(`Unknown option ${unknownFlag} for "${group} ${command}".`);
    return EXIT.other;
  }
  // A valid --glpi-version is already the core's for this run (cliCoreSetup).
  const version = args.values.get('--glpi-version');
  if (version !== undefined && !glpiVersionPattern.test(version)) {
    io.err(`"${version}" is not a GLPI version (for example 10.0.18 or 11.0.1).`);
    return EXIT.other;
  }
  if ((command === 'search' && rest.length === 0) || (command === 'show' && rest.length !== 1)) {
    io.err(
      command === 'search'
        ? 'Say what to search for: marketdesk catalog search <words>'
        : 'Name one plugin: marketdesk catalog show <key>',
    );
    return EXIT.other;
  }
  if (!['search', 'show'].includes(command) && rest.length > 0) {
    io.err(`Unexpected argument "${rest[0]}".`);
    return EXIT.other;
  }
  return { command, rest };
}

/** The catalogue, or the exit code that says why there is none (said on stderr). */
async function loadCatalog(core: Core, command: string, io: CliIo): Promise<CatalogSnapshot | number> {
  // One-shot: use the cache when there is one, fetch when there is none (the CLI's core does no background work).
  let snap = await call(core, command === 'refresh' ? 'catalog.refresh' : 'catalog.get', {});
  if (!snap.blocked && !snap.fetchedAt && command !== 'refresh') snap = await call(core, 'catalog.refresh', {});
  if (snap.blocked) {
    io.err(
      snap.blocked === 'no-key'
        ? 'No registration key: GLPI Network serves the marketplace only to registered instances. Run: marketdesk key set'
        : 'The registration key is not valid, so the marketplace is not available. Check it with: marketdesk key status --refresh',
    );
    return snap.blocked === 'no-key' ? EXIT.noKey : EXIT.invalid;
  }
  if (!snap.fetchedAt) {
    io.err(
      `The catalogue could not be fetched: ${snap.failure?.message ?? 'unknown error'}${snap.failure ? `\nFix: ${snap.failure.fix}` : ''}`,
    );
    return EXIT.unreachable;
  }
  return snap;
}

/** What every catalogue command prints from. */
interface Shown {
  snap: CatalogSnapshot;
  io: CliIo;
  json: boolean;
  language: string;
  notes: string[];
  avail: (p: CatalogPlugin) => Availability;
}

function refreshed({ snap, io, json, notes }: Shown): number {
  const summary = {
    plugins: snap.pluginCount,
    complete: snap.complete,
    fetchedAt: snap.fetchedAt,
    skipped: snap.skipped.length,
    failure: snap.failure,
  };
  if (json) io.out(JSON.stringify(summary));
  else
    io.out(
      [`${snap.pluginCount} plugins for GLPI ${snap.glpiVersion}, fetched ${snap.fetchedAt}.`, ...notes].join('\n'),
    );
  return snap.failure ? EXIT.unreachable : EXIT.ok;
}

function listed({ snap, io, json, language, notes, avail }: Shown, command: string, words: string[]): number {
  const index = createCatalogIndex(snap.plugins, language);
  const view = {
    ...DEFAULT_CATALOG_VIEW,
    text: words.join(' '),
    sort: command === 'search' ? ('relevance' as const) : ('name-asc' as const),
  };
  const found = queryCatalog(index, view, { availability: avail, installed: new Set(), updates: new Set() });
  if (json) {
    io.out(JSON.stringify(found.map((p) => pluginJson(p, avail(p), snap, language))));
    return EXIT.ok;
  }
  notes.forEach((n) => io.err(n));
  io.out(
    columns(
      ['KEY', 'NAME', 'VERSION', 'TIER', 'AVAILABILITY'],
      found.map((p) => row(p, avail(p), snap)),
    ),
  );
  io.err(`${found.length} plugin${found.length === 1 ? '' : 's'} for GLPI ${snap.glpiVersion}.`);
  return EXIT.ok;
}

function showOne({ snap, io, json, language, avail }: Shown, key: string): number {
  const plugin = snap.plugins.find((p) => p.key.toLowerCase() === key.toLowerCase());
  if (!plugin) {
    io.err(`No plugin "${key}" in the catalogue for GLPI ${snap.glpiVersion}. Try: marketdesk catalog search ${key}`);
    return EXIT.other;
  }
  const a = avail(plugin);
  io.out(json ? JSON.stringify(pluginJson(plugin, a, snap, language, true)) : details(plugin, a, snap, language));
  return EXIT.ok;
}

function entitlements({ snap, io, json }: Shown, current: string | null, csv: boolean): number {
  if (csv) {
    io.out(entitlementCsv(snap.plugins, snap.offers).trimEnd());
    return EXIT.ok;
  }
  const map = entitlementMap(snap.plugins, snap.offers, current);
  if (json) {
    io.out(JSON.stringify(map));
    return EXIT.ok;
  }
  io.out(
    columns(
      ['TIER', 'PLUGINS', ''],
      map.tiers.map((t) => [t.offer.title, String(t.count), t.current ? '← your subscription' : '']),
    ),
  );
  if (map.nextTier)
    io.out(`\n${map.nextTier.title} would add ${map.nextTierAdds.length} plugins: ${map.nextTierAdds.join(', ')}`);
  return EXIT.ok;
}

function availabilityContext(key: KeyStatus, settings: ProfileSettings, snap: CatalogSnapshot) {
  return {
    keyState: key.state,
    subscription: key.subscription,
    offers: snap.offers,
    glpiVersion: snap.glpiVersion,
    includePrereleases: settings.includePrereleases,
  };
}

function statusNotes(snap: CatalogSnapshot, now: Date): string[] {
  const notes: string[] = [];
  const age = snap.fetchedAt ? Math.round((now.getTime() - Date.parse(snap.fetchedAt)) / 60_000) : 0;
  if (snap.failure)
    notes.push(
      `Offline: showing the list from ${snap.fetchedAt} (${age} minutes old). ${snap.failure.message}\nFix: ${snap.failure.fix}`,
    );
  if (!snap.complete) notes.push('The list is incomplete: a page of the catalogue could not be read.');
  if (snap.skipped.length > 0)
    notes.push(`${snap.skipped.length} records from GLPI Network could not be read (see the log).`);
  return notes;
}

function pluginJson(p: CatalogPlugin, a: Availability, snap: CatalogSnapshot, language: string, full = false) {
  const tier = tierOf(p, snap.offers);
  const base = {
    key: p.key,
    name: p.name,
    description: shortDescription(p, language),
    latest: a.latest?.num ?? null,
    tier: tier?.reference ?? null,
    tierTitle: tier?.title ?? null,
    availability: a.kind,
    reason: a.text,
    requiredOffers: p.requiredOffers,
    authors: p.authors,
    tags: p.tags,
    downloads: p.downloads,
    note: p.note,
    dateUpdated: p.dateUpdated,
  };
  if (!full) return base;
  return {
    ...base,
    license: p.license,
    homepageUrl: p.homepageUrl,
    issuesUrl: p.issuesUrl,
    readmeUrl: p.readmeUrl,
    changelogUrl: p.changelogUrl,
    descriptions: p.descriptions,
    versions: p.versions.map((v) => ({ ...v, fits: fitsAny(v.compatibility, snap.glpiVersion) })),
  };
}

function row(p: CatalogPlugin, a: Availability, snap: CatalogSnapshot): string[] {
  return [p.key, p.name, a.latest?.num ?? '-', tierOf(p, snap.offers)?.title ?? 'Free', a.text];
}

function details(p: CatalogPlugin, a: Availability, snap: CatalogSnapshot, language: string): string {
  const lines: [string, string][] = [
    ['Plugin', `${p.name} (${p.key})`],
    ['Description', shortDescription(p, language)],
    ['Authors', p.authors.join(', ') || '-'],
    ['Licence', p.license || '-'],
    ['Tier', tierOf(p, snap.offers)?.title ?? 'Free with any registration'],
    ['Availability', a.text],
    ['Latest for you', a.latest?.num ?? '-'],
    ['Downloads', String(p.downloads)],
    ['Rating', p.note > 0 ? `${p.note.toFixed(1)} / 5` : 'not rated'],
    ['Updated', p.dateUpdated || '-'],
    ['Homepage', p.homepageUrl ?? '-'],
    ['Issues', p.issuesUrl ?? '-'],
    ['Changelog', p.changelogUrl ?? '-'],
    ['Tags', p.tags.join(', ') || '-'],
  ];
  const versions = columns(
    ['VERSION', 'STABILITY', 'COMPATIBILITY', `FITS GLPI ${snap.glpiVersion}`],
    [...p.versions]
      .reverse()
      .map((v) => [
        v.num,
        v.stability,
        v.compatibility.join(' ') || '-',
        fitsAny(v.compatibility, snap.glpiVersion) ? 'yes' : 'no',
      ]),
  );
  return `${labelled(lines)}\n\n${versions}`;
}
