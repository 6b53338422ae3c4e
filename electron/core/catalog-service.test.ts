import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CatalogStatus } from '../../shared/catalog';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { catalogPlugin } from '../../shared/catalog-fixtures.testkit';
import { CatalogCache, type CatalogDoc } from './catalog-cache';
import { createAppCore } from './create-app-core';
import { PAGE_SIZE } from './marketplace-client';
import { TransportError, type HttpRequest } from './ports';
import { FakeClock, FakeHttp, MemoryStore, memoryLogger, type FakeReply } from './testing.testkit';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeHostInfo } from '../adapters/node-host';

const KEY = 'eyJjdXN0b21lcl9yZWZlcmVuY2UiOiJURVNUIn0=';

/** A GLPI Network with a valid key and a catalogue of `count` plugins (for the UA's version). */
class Network {
  count = 450;
  down = false;
  failPage: number | null = null;
  version = '1.0.0';

  handle = (req: HttpRequest): FakeReply => {
    if (this.down) return { error: new TransportError('refused', 'connect ECONNREFUSED', 'ECONNREFUSED') };
    const path = new URL(req.url).pathname;
    if (path === '/api/registration/info')
      return {
        body: JSON.stringify({
          is_valid: req.headers['X-Registration-Key'] === KEY,
          validation_message: null,
          owner: { name: 'ACME' },
          subscription: {
            title: 'GLPI Network Basic',
            offer_reference: 'basic',
            is_running: true,
            begin_date: '2026-01-01',
            end_date: '2027-01-01',
          },
        }),
      };
    if (path === '/api/registration/offers')
      return {
        body: JSON.stringify([
          { offer_reference: 'registered', title: 'Registered' },
          { offer_reference: 'basic', title: 'Basic' },
        ]),
      };
    if (path === '/api/marketplace/tags/top')
      return { body: JSON.stringify([{ key: 'inventory', tag: 'Inventory', plugin_count: 1 }]) };
    if (path === '/api/marketplace/tags/inventory/plugin')
      return { body: req.headers['X-Range'] === '0-199' ? JSON.stringify([{ key: 'plugin1' }]) : '[]' };
    if (path === '/api/marketplace/plugins') {
      const start = Number(/^(\d+)/.exec(req.headers['X-Range'] ?? '0')?.[1]);
      if (this.failPage !== null && start / PAGE_SIZE === this.failPage) return { status: 500, body: 'boom' };
      const glpi = /^GLPI\/(\S+)/.exec(req.headers['User-Agent'] ?? '')?.[1];
      const items = Array.from({ length: Math.max(0, Math.min(PAGE_SIZE, this.count - start)) }, (_, i) => ({
        key: `plugin${start + i}`,
        name: `Plugin ${start + i} for ${glpi}`,
        versions: [
          { num: this.version, compatibility: `~${glpi}`, download_url: `https://dl.test/plugin${start + i}.zip` },
        ],
        required_offers: (start + i) % 10 === 0 ? ['standard', 'advanced'] : null,
        descriptions: ['en', 'fr', 'de'].map((lang) => ({
          lang,
          short_description: `${lang} short`,
          long_description: `${lang} long`,
        })),
      }));
      return { body: JSON.stringify(items) };
    }
    return { status: 404, body: '{}' };
  };
}

/** What a restarted app keeps: its data folder, keychain and settings. */
interface Kept {
  dataDir: string;
  secrets: MemorySecretStore;
  store: MemoryStore;
}

function setup(options: { online?: () => boolean; restart?: Kept } = {}) {
  const kept: Kept = options.restart ?? {
    dataDir: mkdtempSync(join(tmpdir(), 'md-catalog-')),
    secrets: new MemorySecretStore('keychain'),
    store: new MemoryStore(),
  };
  const { dataDir } = kept;
  const net = new Network();
  const http = new FakeHttp((req) => net.handle(req));
  const clock = new FakeClock(Date.now());
  const core = createAppCore(
    {
      secrets: kept.secrets,
      store: kept.store,
      http,
      clock,
      logger: memoryLogger(),
      dataDir,
      fs: nodeFileSystem,
      host: nodeHostInfo(),
      appVersion: '0.1.0',
      shell: 'cli',
      profile: 'default',
      systemLanguage: 'en_US',
      servicesUrlFromEnv: 'https://services.test',
      redact: () => undefined,
      ...(options.online ? { online: options.online } : {}),
    },
    { sessionSecrets: new MemorySecretStore(), keychainFix: 'fix', limits: { backoffMs: 1 } },
  );
  const events: CatalogStatus[] = [];
  core.events.on('catalog.changed', (s) => events.push(s));
  const marketRequests = () => http.requests.filter((r) => r.url.includes('/api/marketplace/'));
  return { core, net, http, clock, dataDir, events, marketRequests, kept };
}

describe('CatalogService', () => {
  it('sends no marketplace request without a valid key, as GLPI', async () => {
    const t = setup();
    const snap = await t.core.catalog.refresh();
    expect(snap).toMatchObject({ blocked: 'no-key', plugins: [] });
    await t.core.keys.set('eyJpbnZhbGlkIjoidHJ1ZSJ9eyJpbnZhbGlk', { force: true });
    expect((await t.core.catalog.get()).blocked).toBe('invalid-key');
    expect(t.marketRequests()).toHaveLength(0);
  });

  it('fetches on first use, caches to disk, and serves the cache without requests', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    const first = await t.core.catalog.get();
    expect(first.refreshing).toBe(true);
    const done = await t.core.catalog.refresh();
    expect(done).toMatchObject({ complete: true, pluginCount: 450, failure: null, blocked: null });
    expect(done.offers.map((o) => o.reference)).toEqual(['registered', 'basic']);
    expect(done.plugins.find((p) => p.key === 'plugin1')?.tags).toEqual(['inventory']);
    expect(done.plugins[0]?.name).toBe('Plugin 0 for 10.0.18');
    // The document and its light copy for the list, neither with the key.
    const files = readdirSync(join(t.dataDir, 'cache'));
    expect(files).toHaveLength(2);
    for (const file of files) expect(readFileSync(join(t.dataDir, 'cache', file), 'utf8')).not.toContain(KEY);

    const before = t.marketRequests().length;
    const again = await t.core.catalog.get();
    expect(again.pluginCount).toBe(450);
    expect(again.refreshing).toBe(false);
    expect(t.marketRequests().length).toBe(before);
  });

  it('refreshes in the background once the list is older than the check interval', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    await t.core.catalog.refresh();
    t.net.version = '1.1.0';
    t.clock.advance(61 * 60_000);
    expect((await t.core.catalog.get()).refreshing).toBe(false); // 6 hours by default
    t.core.settings.update({ checkIntervalHours: 1 });
    const stale = await t.core.catalog.get();
    expect(stale.refreshing).toBe(true);
    expect(stale.plugins[0]?.versions[0]?.num).toBe('1.0.0');
    const fresh = await t.core.catalog.refresh();
    expect(fresh.plugins[0]?.versions[0]?.num).toBe('1.1.0');
  });

  it('schedules checks at the interval plus up to 10% jitter, and waits while offline', async () => {
    let online = true;
    const t = setup({ online: () => online });
    await t.core.keys.set(KEY);
    await t.core.catalog.refresh();
    t.core.settings.update({ checkIntervalHours: 2 });
    const { stop } = t.core.catalog.start();
    const next = Date.parse((await t.core.catalog.get()).nextRefreshAt ?? '');
    const fetched = Date.parse((await t.core.catalog.get()).fetchedAt ?? '');
    expect(next - fetched).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(next - fetched).toBeLessThanOrEqual(2.2 * 3_600_000);

    online = false;
    const before = t.marketRequests().length;
    t.clock.advance(2.3 * 3_600_000);
    await vi.waitFor(() => expect(t.clock.pending()).toBeGreaterThan(0));
    expect(t.marketRequests().length).toBe(before); // offline: nothing asked
    online = true;
    t.clock.advance(6 * 60_000);
    await vi.waitFor(() => expect(t.marketRequests().length).toBeGreaterThan(before));
    stop();
    expect(() => t.core.settings.update({ checkIntervalHours: 0 })).toThrow(/1 to 168 hours/);
  });

  it('keeps showing the cached list when GLPI Network is unreachable, saying why', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    const ok = await t.core.catalog.refresh();
    t.net.down = true;
    const offline = await t.core.catalog.refresh();
    expect(offline.pluginCount).toBe(450);
    expect(offline.fetchedAt).toBe(ok.fetchedAt);
    expect(offline.failure).toMatchObject({ cause: 'refused' });
    expect(offline.failure?.fix).toMatch(/firewall/);
  });

  it('never replaces a complete list with a truncated one', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    await t.core.catalog.refresh();
    t.net.version = '2.0.0';
    t.net.failPage = 1;
    const truncated = await t.core.catalog.refresh();
    expect(truncated.complete).toBe(true);
    expect(truncated.pluginCount).toBe(450);
    expect(truncated.plugins[0]?.versions[0]?.num).toBe('1.0.0');
    expect(truncated.failure?.message).toMatch(/page 2 failed.*last complete list/);
    // A new service (app restart) reads the complete list from disk too.
    const file = readdirSync(join(t.dataDir, 'cache'))[0] ?? '';
    expect((JSON.parse(readFileSync(join(t.dataDir, 'cache', file), 'utf8')) as CatalogDoc).complete).toBe(true);
  });

  it('shows a truncated list when no complete one exists, and says it is incomplete', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    t.net.failPage = 1;
    const snap = await t.core.catalog.refresh();
    expect(snap).toMatchObject({ complete: false, pluginCount: 200 });
    expect(snap.failure?.message).toMatch(/incomplete: page 2 failed/);
  });

  it('keeps one catalogue per GLPI version and switches when the target version changes', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    void t.core.start();
    await t.core.catalog.refresh();
    t.core.settings.update({ glpiVersion: '11.0.1' });
    const eleven = await t.core.catalog.refresh();
    expect(eleven.glpiVersion).toBe('11.0.1');
    expect(eleven.plugins[0]?.name).toBe('Plugin 0 for 11.0.1');
    expect(readdirSync(join(t.dataDir, 'cache'))).toHaveLength(4);
    t.core.settings.update({ glpiVersion: '10.0.18' });
    const back = await t.core.catalog.get();
    expect(back.plugins[0]?.name).toBe('Plugin 0 for 10.0.18');
    expect(back.refreshing).toBe(false);
    t.core.stop();
  });

  it('sends descriptions in the UI language and English only', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    const en = await t.core.catalog.refresh();
    expect(en.plugins[0]?.descriptions.map((d) => d.lang)).toEqual(['en']);
    t.core.settings.update({ language: 'fr_FR' });
    const fr = await t.core.catalog.get();
    expect(fr.plugins[0]?.descriptions.map((d) => d.lang)).toEqual(['en', 'fr']);
  });

  it('shares one fetch between concurrent refreshes and announces start and end', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    const [a, b] = await Promise.all([t.core.catalog.refresh(), t.core.catalog.refresh()]);
    expect(a).toBe(b);
    expect(t.events.some((e) => e.refreshing)).toBe(true);
    expect(t.events.at(-1)?.refreshing).toBe(false);
  });
});

describe('CatalogService: the list and the details', () => {
  it('lists what the list needs only, and gives the rest of one plugin when it is opened', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    await t.core.catalog.refresh();
    const list = await t.core.catalog.list();
    expect(list).toMatchObject({ pluginCount: 450, language: 'en', complete: true });
    const item = list.plugins.find((p) => p.key === 'plugin10');
    expect(item).toEqual({
      key: 'plugin10',
      name: 'Plugin 10 for 10.0.18',
      logoUrl: null,
      summary: 'en short',
      authors: [],
      note: 0,
      downloads: 0,
      dateAdded: '',
      dateUpdated: '',
      requiredOffers: ['standard', 'advanced'],
      versions: [{ num: '1.0.0', compatibility: ['~10.0.18'], stability: 'stable' }],
      tags: [],
    });
    expect(JSON.stringify(list)).not.toMatch(/long|dl\.test|screenshots|homepageUrl|license/);

    const details = await t.core.catalog.details('plugin10');
    expect(details?.descriptions).toEqual([{ lang: 'en', short: 'en short', long: 'en long' }]);
    expect(details).toHaveProperty('screenshots');
    expect(JSON.stringify(details)).not.toContain('dl.test'); // archive URLs never leave the core
    expect(await t.core.catalog.details('nosuchplugin')).toBeNull();

    t.core.settings.update({ language: 'fr_FR' });
    expect((await t.core.catalog.list()).plugins[0]?.summary).toBe('fr short');
    expect((await t.core.catalog.searchText()).texts.plugin3).toBe('en short\nen long\nfr short\nfr long');
  });

  it('gives the first screen alone, most downloaded first', async () => {
    const t = setup();
    await t.core.keys.set(KEY);
    await t.core.catalog.refresh();
    const all = (await t.core.catalog.list()).plugins;
    const first = await t.core.catalog.list({ first: 3 });
    expect(first.pluginCount).toBe(450);
    // No downloads anywhere: by name, naturally (Plugin 0, 1, 2 before Plugin 10).
    expect(first.plugins.map((p) => p.key)).toEqual(['plugin0', 'plugin1', 'plugin2']);
    expect(first.plugins[0]).toEqual(all[0]);
    // With the tag counts of the whole list (the first screen's tag row is the list's), and only then.
    const counts: Record<string, number> = {};
    for (const p of all) for (const tag of p.tags) counts[tag] = (counts[tag] ?? 0) + 1;
    expect(Object.keys(counts).length).toBeGreaterThan(0);
    expect(first.tagCounts).toEqual(counts);
    expect(await t.core.catalog.list()).not.toHaveProperty('tagCounts');
  });

  it('lists from the light copy at start, and reads the full document only for what needs it', async () => {
    const warm = setup();
    await warm.core.keys.set(KEY);
    await warm.core.catalog.refresh();
    const cache = new CatalogCache(nodeFileSystem, join(warm.dataDir, 'cache'));
    const full = cache.file(warm.core.keys.fingerprint() ?? '', '10.0.18');
    writeFileSync(full, '{"format":1,"entries":['); // only the light copy is readable now

    const t = setup({ restart: warm.kept });
    t.net.down = true;
    void t.core.start();
    const list = await t.core.catalog.list();
    expect(list.plugins).toHaveLength(450);
    expect(list.plugins[0]?.summary).toBe('en short');
    expect(await t.core.catalog.details('plugin0')).toBeNull(); // it needs the full document
    t.core.stop();
  });

  it('says the list changed when the full document is newer than the light copy it started from', async () => {
    const warm = setup();
    await warm.core.keys.set(KEY);
    const old = await warm.core.catalog.refresh();
    const cache = new CatalogCache(nodeFileSystem, join(warm.dataDir, 'cache'));
    const lightFile = cache.lightFile(warm.core.keys.fingerprint() ?? '', '10.0.18');
    const staleLight = readFileSync(lightFile, 'utf8');
    warm.clock.advance(60_000);
    await warm.core.catalog.refresh();
    writeFileSync(lightFile, staleLight); // as if the app stopped between the two writes

    const t = setup({ restart: warm.kept });
    const list = await t.core.catalog.list({ background: false });
    expect(list.fetchedAt).toBe(old.fetchedAt);
    await t.core.catalog.details('plugin0'); // reads the full document
    expect(t.events.at(-1)?.fetchedAt).not.toBe(old.fetchedAt);
    expect((await t.core.catalog.list()).fetchedAt).toBe(t.events.at(-1)?.fetchedAt);
  });

  it('paints the cached list while GLPI Network is down, and says why once the refresh fails', async () => {
    const warm = setup();
    await warm.core.keys.set(KEY);
    await warm.core.catalog.refresh();

    const t = setup({ restart: warm.kept });
    t.net.down = true;
    t.clock.advance(7 * 3_600_000); // stale: the read starts a refresh, which fails
    const list = await t.core.catalog.list();
    expect(list.plugins).toHaveLength(450);
    expect(list.refreshing).toBe(true);
    await vi.waitFor(() => expect(t.events.at(-1)).toMatchObject({ refreshing: false, failure: { cause: 'refused' } }));
    expect((await t.core.catalog.list()).plugins).toHaveLength(450);
  });
});

describe('CatalogCache', () => {
  const doc = (complete: boolean, fetchedAt: string): CatalogDoc => ({
    format: 1,
    fingerprint: 'abc',
    glpiVersion: '10.0.18',
    fetchedAt,
    complete,
    offers: [],
    tags: [],
    entries: [],
    skipped: [],
  });

  it('writes atomically and refuses to replace a complete list with a truncated one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-cache-'));
    const cache = new CatalogCache(nodeFileSystem, dir);
    expect(await cache.write(doc(true, '2026-01-01T00:00:00Z'))).toBe(true);
    expect(await cache.write(doc(false, '2026-02-01T00:00:00Z'))).toBe(false);
    expect((await cache.read('abc', '10.0.18'))?.fetchedAt).toBe('2026-01-01T00:00:00Z');
    expect(await cache.write(doc(true, '2026-03-01T00:00:00Z'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['catalog-abc-10.0.18.json', 'catalog-abc-10.0.18.list.json']);
  });

  it('writes a light copy for the list: short descriptions only, no links, screenshots or archive URLs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-cache-'));
    const cache = new CatalogCache(nodeFileSystem, dir);
    const plugin = {
      ...catalogPlugin('fields', {
        descriptions: [{ lang: 'en', short: 'Add fields', long: 'A long text' }],
        homepageUrl: 'https://example.com',
        screenshots: ['https://example.com/1.png'],
      }),
    };
    const full = {
      ...doc(true, '2026-01-01T00:00:00Z'),
      entries: [{ plugin, downloads: { '1.0.0': 'https://dl.test/f.zip' } }],
    };
    await cache.write(full);
    const light = await cache.readLight('abc', '10.0.18');
    expect(light?.light).toBe(true);
    expect(light?.entries[0]?.plugin).toMatchObject({ key: 'fields', versions: plugin.versions, screenshots: [] });
    expect(light?.entries[0]?.plugin.descriptions).toEqual([{ lang: 'en', short: 'Add fields', long: '' }]);
    expect(JSON.stringify(light)).not.toMatch(/A long text|example\.com|dl\.test/);
    // Each read gives only its own kind.
    expect(await cache.read('abc', '10.0.18')).toEqual(full);
    writeFileSync(cache.lightFile('abc', '10.0.18'), JSON.stringify(full));
    expect(await cache.readLight('abc', '10.0.18')).toBeNull();
  });

  it('treats a damaged cache file as no cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-cache-'));
    const cache = new CatalogCache(nodeFileSystem, dir);
    writeFileSync(cache.file('abc', '10.0.18'), '{"format":1,"entries":[');
    expect(await cache.read('abc', '10.0.18')).toBeNull();
  });
});
