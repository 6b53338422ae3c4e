import type { CatalogPlugin, CatalogSnapshot } from '../../shared/catalog';
import { createCatalogIndex, describePlugin as shortDescription, queryCatalog } from '../../shared/catalog-query';
import { fitsAny } from '../../shared/compatibility';
import { availability, entitlementCsv, entitlementMap, tierOf, type Availability } from '../../shared/entitlements';
import { DEFAULT_CATALOG_VIEW } from '../../shared/catalog';
import { glpiVersionPattern } from '../../shared/glpi-version';
import type { CliIo, Core, ParsedArgs } from './cli';
import { EXIT } from './cli';
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
  const version = args.values.get('--glpi-version');
  if (version !== undefined) {
    if (!glpiVersionPattern.test(version)) {
      io.err(`"${version}" is not a GLPI version (for example 10.0.18 or 11.0.1).`);
      return EXIT.other;
    }
    core.settings.overrideGlpiVersion(version);
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

  // One-shot: use the cache when there is one, fetch when there is none; no background work.
  let snap = command === 'refresh' ? await core.catalog.refresh() : await core.catalog.get({ background: false });
  if (!snap.blocked && !snap.fetchedAt && command !== 'refresh') snap = await core.catalog.refresh();
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
  const notes = statusNotes(snap, io.now());
  const json = args.flags.has('--json');
  const ctx = availabilityContext(core, snap);
  const avail = (p: CatalogPlugin) => availability(p, ctx);

  switch (command) {
    case 'refresh': {
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
    case 'list':
    case 'search': {
      const index = createCatalogIndex(snap.plugins, core.settings.get().language);
      const view = {
        ...DEFAULT_CATALOG_VIEW,
        text: rest.join(' '),
        sort: command === 'search' ? ('relevance' as const) : ('name-asc' as const),
      };
      const found = queryCatalog(index, view, { availability: avail, installed: new Set(), updates: new Set() });
      if (json) io.out(JSON.stringify(found.map((p) => pluginJson(p, avail(p), snap, core))));
      else {
        notes.forEach((n) => io.err(n));
        io.out(
          columns(
            ['KEY', 'NAME', 'VERSION', 'TIER', 'AVAILABILITY'],
            found.map((p) => row(p, avail(p), snap)),
          ),
        );
        io.err(`${found.length} plugin${found.length === 1 ? '' : 's'} for GLPI ${snap.glpiVersion}.`);
      }
      return EXIT.ok;
    }
    case 'show': {
      const wanted = (rest[0] ?? '').toLowerCase();
      const plugin = snap.plugins.find((p) => p.key.toLowerCase() === wanted);
      if (!plugin) {
        io.err(
          `No plugin "${rest[0]}" in the catalogue for GLPI ${snap.glpiVersion}. Try: marketdesk catalog search ${rest[0]}`,
        );
        return EXIT.other;
      }
      const a = avail(plugin);
      if (json) io.out(JSON.stringify(pluginJson(plugin, a, snap, core, true)));
      else io.out(details(plugin, a, snap, core));
      return EXIT.ok;
    }
    case 'entitlements': {
      const current = ctx.subscription?.running ? ctx.subscription.offer : null;
      if (args.flags.has('--csv')) {
        io.out(entitlementCsv(snap.plugins, snap.offers).trimEnd());
        return EXIT.ok;
      }
      const map = entitlementMap(snap.plugins, snap.offers, current);
      if (json) io.out(JSON.stringify(map));
      else {
        io.out(
          columns(
            ['TIER', 'PLUGINS', ''],
            map.tiers.map((t) => [t.offer.title, String(t.count), t.current ? '← your subscription' : '']),
          ),
        );
        if (map.nextTier)
          io.out(
            `\n${map.nextTier.title} would add ${map.nextTierAdds.length} plugins: ${map.nextTierAdds.join(', ')}`,
          );
      }
      return EXIT.ok;
    }
  }
  return EXIT.other;
}

function availabilityContext(core: Core, snap: CatalogSnapshot) {
  const key = core.keys.status();
  const settings = core.settings.get();
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

function pluginJson(p: CatalogPlugin, a: Availability, snap: CatalogSnapshot, core: Core, full = false) {
  const tier = tierOf(p, snap.offers);
  const base = {
    key: p.key,
    name: p.name,
    description: shortDescription(p, core.settings.get().language),
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

function details(p: CatalogPlugin, a: Availability, snap: CatalogSnapshot, core: Core): string {
  const lines: [string, string][] = [
    ['Plugin', `${p.name} (${p.key})`],
    ['Description', shortDescription(p, core.settings.get().language)],
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
