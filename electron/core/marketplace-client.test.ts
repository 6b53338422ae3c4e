import { describe, expect, it } from 'vitest';
import { GlpiNetworkClient, NetworkProblem, type ClientConfig } from './glpi-network-client';
import { MarketplaceClient, PAGE_SIZE, archiveUrl, xLang, type CatalogEntry } from './marketplace-client';
import { TransportError, systemClock, type HttpRequest } from './ports';
import { FakeHttp, memoryLogger, type FakeReply } from './testing.testkit';

const CONFIG: ClientConfig = {
  servicesUrl: 'https://services.test',
  glpiVersion: '10.0.18',
  installMode: 'TARBALL',
  appVersion: '0.1.0',
  uid: 'U'.repeat(40),
  language: 'fr_FR',
};

function record(i: number, extra: Record<string, unknown> = {}) {
  return {
    key: `plugin${i}`,
    name: `Plugin ${i}`,
    versions: [
      { num: '1.0.0', compatibility: '~10.0.0', download_url: `https://services.test/dl/plugin${i}-1.0.0.tar.bz2` },
    ],
    required_offers: null,
    ...extra,
  };
}

/** A marketplace of `n` records paged by X-Range, with per-page overrides. */
function market(n: number, override: (page: number, req: HttpRequest) => FakeReply | undefined = () => undefined) {
  const all = Array.from({ length: n }, (_, i) => record(i));
  return new FakeHttp((req) => {
    const range = /^(\d+)-(\d+)$/.exec(req.headers['X-Range'] ?? '');
    const start = Number(range?.[1] ?? 0);
    const page = Math.floor(start / PAGE_SIZE);
    const special = override(page, req);
    if (special) return special;
    return { body: JSON.stringify(all.slice(start, start + PAGE_SIZE)), delayMs: (page * 7) % 5 };
  });
}

function clients(http: FakeHttp, concurrency = 4) {
  const network = new GlpiNetworkClient(http, systemClock, memoryLogger(), () => CONFIG, {
    backoffMs: 1,
    timeoutMs: 2_000,
  });
  return new MarketplaceClient(network, { concurrency, language: () => 'fr_FR' });
}

const pageRequests = (http: FakeHttp) => http.requests.filter((r) => r.url.endsWith('/api/marketplace/plugins'));

describe('MarketplaceClient.plugins', () => {
  it('reads every page in order until the empty one, concurrently but bounded', async () => {
    const http = market(1_050);
    const result = await clients(http).plugins('KEY', CONFIG.uid);
    expect(result.complete).toBe(true);
    expect(result.entries.map((e) => e.plugin.key)).toEqual(Array.from({ length: 1_050 }, (_, i) => `plugin${i}`));
    expect(http.peak).toBeGreaterThan(1);
    expect(http.peak).toBeLessThanOrEqual(4);
    const ranges = pageRequests(http).map((r) => r.headers['X-Range']);
    expect(ranges.slice(0, 7)).toEqual(expect.arrayContaining(['0-199', '200-399', '1000-1199', '1200-1399']));
    const req = http.requests[0];
    expect(req?.headers['X-Registration-Key']).toBe('KEY');
    expect(req?.headers['X-Glpi-Network-Uid']).toBe(CONFIG.uid);
    expect(req?.headers['User-Agent']).toBe('GLPI/10.0.18 (installation-mode:TARBALL; marketdesk/0.1.0)');
  });

  it('reads a small catalogue with the two requests GLPI makes, sent together (first page short)', async () => {
    const http = market(30);
    const result = await clients(http).plugins('KEY', CONFIG.uid);
    expect(result).toMatchObject({ complete: true, requests: 2 });
    expect(result.entries).toHaveLength(30);
    expect(pageRequests(http).map((r) => r.headers['X-Range'])).toEqual(['0-199', '200-399']);
    expect(http.peak).toBe(2);
  });

  it('handles an empty catalogue', async () => {
    const result = await clients(market(0)).plugins('KEY', CONFIG.uid);
    // The second page went with the first: the one request GLPI would not have made.
    expect(result).toMatchObject({ complete: true, entries: [], requests: 2 });
  });

  it('marks the list truncated at a page that keeps failing, keeping the pages before it', async () => {
    const http = market(1_000, (page) => (page === 2 ? { status: 503, body: 'down' } : undefined));
    const result = await clients(http).plugins('KEY', CONFIG.uid);
    expect(result).toMatchObject({ complete: false, failedPage: 2 });
    expect(result.entries).toHaveLength(400);
    expect(result.failure).toBeInstanceOf(NetworkProblem);
    // Three attempts for the failing page, as GLPI.
    expect(pageRequests(http).filter((r) => r.headers['X-Range'] === '400-599')).toHaveLength(3);
  });

  it('retries a page once failed, and keeps the list complete when it recovers', async () => {
    let failed = false;
    const http = market(600, (page) => {
      if (page === 1 && !failed) {
        failed = true;
        return { error: new TransportError('reset', 'socket hang up', 'ECONNRESET') };
      }
      return undefined;
    });
    const result = await clients(http).plugins('KEY', CONFIG.uid);
    expect(result.complete).toBe(true);
    expect(result.entries).toHaveLength(600);
  });

  it('treats a body that is not an array as a failed attempt', async () => {
    const http = market(500, (page) => (page === 1 ? { body: '{"message":"Server Error"}' } : undefined));
    const result = await clients(http).plugins('KEY', CONFIG.uid);
    expect(result).toMatchObject({ complete: false, failedPage: 1 });
    expect(result.entries).toHaveLength(200);
    expect(result.failure?.kind).toBe('bad-response');
  });

  it('takes an upstream-style 400 past the end, after a short page, as the end of the list', async () => {
    const http = market(450, (_page, req) => {
      const start = Number(/^(\d+)/.exec(req.headers['X-Range'] ?? '')?.[1]);
      return start >= 450 ? { status: 400, body: '{"error":"Start at unexisting index"}' } : undefined;
    });
    const result = await clients(http).plugins('KEY', CONFIG.uid);
    expect(result.complete).toBe(true);
    expect(result.entries).toHaveLength(450);
  });

  it('fails as a whole when the first page cannot be had', async () => {
    const http = market(10, () => ({ error: new TransportError('refused', 'connect ECONNREFUSED', 'ECONNREFUSED') }));
    await expect(clients(http).plugins('KEY', CONFIG.uid)).rejects.toMatchObject({ kind: 'refused' });
  });

  it('skips malformed records one by one and reports them', async () => {
    const good = [record(1), record(2)];
    const bad = [
      { name: 'no key', versions: [] },
      { key: 'bad key!', name: 'x', versions: [] },
      { key: 'noversions', name: 'x', versions: 'many' },
      { key: 'numname', name: 42, versions: [] },
      record(1),
    ];
    const http = new FakeHttp((req) => ({
      body: req.headers['X-Range'] === '0-199' ? JSON.stringify([...good, ...bad]) : '[]',
    }));
    const result = await clients(http).plugins('KEY', CONFIG.uid);
    expect(result.entries.map((e) => e.plugin.key)).toEqual(['plugin1', 'plugin2']);
    expect(result.skipped.map((s) => [s.index, s.key])).toEqual([
      [2, null],
      [3, 'bad key!'],
      [4, 'noversions'],
      [5, 'numname'],
      [6, 'plugin1'],
    ]);
    expect(result.skipped[4]?.reason).toMatch(/duplicate/);
    expect(result.complete).toBe(true);
  });

  it('merges version rows per num, sorts them with PHP semantics and keeps archive URLs in the core', async () => {
    const plugin = record(9, {
      versions: [
        { num: '2.0.0-beta', compatibility: '~10.0.0', stability: 'beta', download_url: 'https://x.test/b.zip' },
        { num: '1.10.0', compatibility: '~10.0.0', download_url: 'https://x.test/110.tar.gz' },
        { num: '1.9.0', compatibility: '10.0', download_url: 'https://x.test/19.tar.gz' },
        { num: '1.10.0', compatibility: '~11.0.0', download_url: 'https://x.test/110-11.tar.gz' },
      ],
      required_offers: [],
    });
    const http = new FakeHttp((req) => ({
      body: req.headers['X-Range'] === '0-199' ? JSON.stringify([plugin]) : '[]',
    }));
    const [entry] = (await clients(http).plugins('KEY', CONFIG.uid)).entries;
    expect(entry?.plugin.versions).toEqual([
      { num: '1.9.0', compatibility: ['10.0'], stability: 'stable' },
      { num: '1.10.0', compatibility: ['~10.0.0', '~11.0.0'], stability: 'stable' },
      { num: '2.0.0-beta', compatibility: ['~10.0.0'], stability: 'beta' },
    ]);
    expect(entry?.downloads['1.10.0']).toBe('https://x.test/110.tar.gz');
    expect(entry?.plugin.requiredOffers).toBeNull();
    expect(JSON.stringify(entry?.plugin)).not.toContain('https://x.test');
  });

  it('keeps the archive of any version name, even one an object inherits', async () => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
    const plugin = record(3, {
      versions: names.map((num) => ({ num, compatibility: '~10.0.0', download_url: `https://x.test/${num}.zip` })),
    });
    const http = new FakeHttp((req) => ({
      body: req.headers['X-Range'] === '0-199' ? JSON.stringify([plugin]) : '[]',
    }));
    const [entry] = (await clients(http).plugins('KEY', CONFIG.uid)).entries;
    for (const num of names)
      expect(Object.getOwnPropertyDescriptor(entry?.downloads, num)?.value).toBe(`https://x.test/${num}.zip`);
    // As the catalogue cache writes it, and reads it back (a plain object): only own entries count.
    const cached = JSON.parse(JSON.stringify(entry)) as CatalogEntry;
    expect(Object.keys(cached.downloads).sort()).toEqual([...names].sort());
    for (const num of names) expect(archiveUrl(cached, num)).toBe(`https://x.test/${num}.zip`);
    const bare = { ...cached, downloads: JSON.parse('{}') as Record<string, string> };
    for (const num of [...names, 'valueOf', '1.0.0']) expect(archiveUrl(bare, num)).toBeNull();
  });
});

describe('record tags', () => {
  it('keeps the tags of the UI language (else English), not one per language', async () => {
    const plugin = record(3, {
      tags: [
        { key: 'inventory', tag: 'Inventory', lang: 'en' },
        { key: 'inventaire', tag: 'Inventaire', lang: 'fr' },
        { key: 'reports', tag: 'Reports', lang: 'en' },
      ],
    });
    const german = record(4, {
      tags: [
        { key: 'inventory', tag: 'Inventory', lang: 'en' },
        { key: 'x', tag: 'X', lang: 'es' },
      ],
    });
    const http = new FakeHttp((req) => ({
      body: req.headers['X-Range'] === '0-199' ? JSON.stringify([plugin, german]) : '[]',
    }));
    const [fr, de] = (await clients(http).plugins('KEY', CONFIG.uid)).entries; // CONFIG.language is fr_FR
    expect(fr?.plugin.tags).toEqual(['inventaire']);
    expect(de?.plugin.tags).toEqual(['inventory']);
  });
});

describe('MarketplaceClient.tags', () => {
  it('reads top tags with X-Lang, then each tag’s plugins', async () => {
    const http = new FakeHttp((req) => {
      if (req.url.endsWith('/tags/top'))
        return { body: JSON.stringify([{ key: 'inventory', tag: 'Inventaire', lang: 'fr', plugin_count: 2 }]) };
      if (req.url.endsWith('/tags/inventory/plugin'))
        return {
          body: req.headers['X-Range'] === '0-199' ? JSON.stringify([{ key: 'fields' }, { key: 'tag' }]) : '[]',
        };
      return { status: 404, body: '{}' };
    });
    const tags = await clients(http).tags('KEY', CONFIG.uid);
    expect(tags.tags).toEqual([{ key: 'inventory', tag: 'Inventaire', count: 2 }]);
    expect(tags.byPlugin.get('fields')).toEqual(['inventory']);
    expect(http.requests[0]?.headers['X-Lang']).toBe('fr');
  });

  it('maps languages to the jQuery codes GLPI sends', () => {
    expect(['fr_FR', 'en_US', 'en_GB', 'pt_BR', 'zh_CN', 'de_DE', 'es'].map(xLang)).toEqual([
      'fr',
      'en-GB',
      'en-GB',
      'pt-BR',
      'zh-CN',
      'de',
      'es',
    ]);
  });
});
