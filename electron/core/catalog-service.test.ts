import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CatalogStatus } from '../../shared/catalog';
import { MemorySecretStore } from '../adapters/memory-secret-store';
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

function setup(options: { online?: () => boolean } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'md-catalog-'));
  const net = new Network();
  const http = new FakeHttp((req) => net.handle(req));
  const clock = new FakeClock(Date.now());
  const core = createAppCore(
    {
      secrets: new MemorySecretStore('keychain'),
      store: new MemoryStore(),
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
  return { core, net, http, clock, dataDir, events, marketRequests };
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
    expect(readdirSync(join(t.dataDir, 'cache'))).toHaveLength(1);
    expect(
      readFileSync(join(t.dataDir, 'cache', readdirSync(join(t.dataDir, 'cache'))[0] ?? ''), 'utf8'),
    ).not.toContain(KEY);

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
    const stop = t.core.catalog.start();
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
    t.core.start();
    await t.core.catalog.refresh();
    t.core.settings.update({ glpiVersion: '11.0.1' });
    const eleven = await t.core.catalog.refresh();
    expect(eleven.glpiVersion).toBe('11.0.1');
    expect(eleven.plugins[0]?.name).toBe('Plugin 0 for 11.0.1');
    expect(readdirSync(join(t.dataDir, 'cache'))).toHaveLength(2);
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
    expect(readdirSync(dir)).toEqual(['catalog-abc-10.0.18.json']);
  });

  it('treats a damaged cache file as no cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-cache-'));
    const cache = new CatalogCache(nodeFileSystem, dir);
    writeFileSync(cache.file('abc', '10.0.18'), '{"format":1,"entries":[');
    expect(await cache.read('abc', '10.0.18')).toBeNull();
  });
});
