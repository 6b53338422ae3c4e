import { request as httpRequest } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_KEYS, type DemoTier } from './accounts';
import { readZipDirectory } from './archive-writers';
import {
  demoCatalogue,
  demoPremiumKeys,
  HOSTILE_PLUGIN_KEY,
  syntheticCatalogue,
  TAG_VOCABULARY,
  tagSlug,
} from './catalog-data';
import type { ApiPlugin, ApiTopTag, ArchiveFormat, StandinPlugin } from './catalog-types';
import { compatibilityMatches } from './compat';
import { parseFaultRules } from './faults';
import { COL_PAGE, parseRange, pageOf } from './marketplace';
import { parseArgs } from './standin-main';
import { startStandin, type Standin } from './standin';
import { extractWithSystemTools, glpiPagingLoop, tarListing, type Extracted } from './testkit';

let standin: Standin;
const cleanups: Extracted[] = [];

beforeEach(async () => {
  standin = await startStandin({ quiet: true });
});

afterEach(async () => {
  await standin.close();
});

afterAll(() => cleanups.forEach((e) => e.cleanup()));

const DEMO = demoCatalogue();
const N = DEMO.length;
const UA10 = 'GLPI/10.0.16 (installation-mode:TARBALL)';
const UA11 = 'GLPI/11.0.4 (installation-mode:DOCKER)';
const PLUGINS = '/api/marketplace/plugins';

function headers(tier: DemoTier | null = 'standard', extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json', ...extra };
  if (tier) h['X-Registration-Key'] = DEMO_KEYS[tier];
  return h;
}

function get(path: string, h: Record<string, string> = headers(), init: RequestInit = {}): Promise<Response> {
  return fetch(standin.url + path, { headers: h, ...init });
}

async function list(ua: string | null, path = PLUGINS, range = `0-${N + 50}`): Promise<ApiPlugin[]> {
  const res = await get(path, headers('standard', { 'X-Range': range, ...(ua ? { 'User-Agent': ua } : {}) }));
  expect(res.status).toBe(200);
  return (await res.json()) as ApiPlugin[];
}

function byKey(plugins: readonly ApiPlugin[], key: string): ApiPlugin {
  const p = plugins.find((x) => x.key === key);
  if (!p) throw new Error(`no ${key} in the answer`);
  return p;
}

function demoPlugin(key: string): StandinPlugin {
  const p = DEMO.find((x) => x.key === key);
  if (!p) throw new Error(key);
  return p;
}

/** Raw HTTP without any User-Agent (fetch always sends one). */
function rawGet(path: string, h: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${standin.url}${path}`, { headers: h }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function download(url: string, tier: DemoTier | null = 'advanced'): Promise<{ res: Response; bytes: Buffer }> {
  const res = await fetch(url, { headers: headers(tier, { Accept: 'application/json, */*' }) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

function extract(bytes: Buffer, format: ArchiveFormat): Extracted {
  const e = extractWithSystemTools(bytes, format);
  cleanups.push(e);
  return e;
}

describe('plugins: paging (docs/glpi-network-api.md §2.8)', () => {
  it('serves inclusive X-Range pages as JSON arrays with upstream headers', async () => {
    const res = await get(PLUGINS, headers('standard', { 'X-Range': '0-9' }));
    expect(res.status).toBe(206);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-range')).toBe(`0-9/${N}`);
    expect(res.headers.get('accept-range')).toBe(`model ${N}`);
    const page = (await res.json()) as ApiPlugin[];
    expect(page.map((p) => p.key)).toEqual(DEMO.slice(0, 10).map((p) => p.key));

    const next = (await (await get(PLUGINS, headers('standard', { 'X-Range': '10-19' }))).json()) as ApiPlugin[];
    expect(next.map((p) => p.key)).toEqual(DEMO.slice(10, 20).map((p) => p.key));
  });

  it('a last partial page, then [] with 200 past the end (the faithful default)', async () => {
    const last = await get(PLUGINS, headers('standard', { 'X-Range': `${N - 3}-${N + 196}` }));
    expect(last.status).toBe(206);
    expect(last.headers.get('content-range')).toBe(`${N - 3}-${N - 1}/${N}`);
    expect((await last.json()) as unknown[]).toHaveLength(3);

    for (const range of [`${N}-${N + 199}`, '5000-5199']) {
      const past = await get(PLUGINS, headers('standard', { 'X-Range': range }));
      expect(past.status, range).toBe(200);
      expect(await past.json()).toEqual([]);
      expect(past.headers.get('accept-range')).toBe(`model ${N}`);
    }
  });

  it('the whole collection in one page is a 200', async () => {
    const res = await get(PLUGINS, headers('standard', { 'X-Range': `0-${N - 1}` }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBe(`0-${N - 1}/${N}`);
    expect((await res.json()) as unknown[]).toHaveLength(N);
  });

  it('without X-Range (or with a malformed one): the first COL_PAGE (200) items, never everything', async () => {
    const big = await startStandin({ quiet: true, catalogue: syntheticCatalogue(450) });
    try {
      for (const range of [undefined, 'bytes=0-10', 'abc', '-5']) {
        const h = headers('standard', range ? { 'X-Range': range } : {});
        const res = await fetch(`${big.url}${PLUGINS}`, { headers: h });
        expect(res.status, String(range)).toBe(206);
        expect(res.headers.get('content-range')).toBe('0-199/450');
        expect((await res.json()) as unknown[]).toHaveLength(COL_PAGE);
      }
      const invalid = await fetch(`${big.url}${PLUGINS}`, { headers: headers('standard', { 'X-Range': '10-5' }) });
      expect(invalid.status).toBe(400);
    } finally {
      await big.close();
    }
  });

  it.each([
    [0, 1],
    [1, 2],
    [199, 2],
    [200, 2],
    [201, 3],
    [400, 3],
    [450, 4],
    [1000, 6],
  ])('a GLPI-style loop over %i plugins makes ⌈N/200⌉+1 = %i requests', async (n, expected) => {
    standin.setCatalogue(syntheticCatalogue(n, 3));
    const result = await glpiPagingLoop(standin.url + PLUGINS, headers('standard', { 'User-Agent': UA10 }));
    expect(result.complete).toBe(true);
    expect(result.requests).toBe(expected);
    expect(result.items).toHaveLength(n);
    expect(new Set(result.items.map((p) => (p as ApiPlugin).key)).size).toBe(n);
  });

  it('pages the demo catalogue in ⌈N/200⌉+1 requests', async () => {
    const result = await glpiPagingLoop(standin.url + PLUGINS, headers('free', { 'User-Agent': UA11 }));
    expect(result).toMatchObject({ complete: true, requests: Math.ceil(N / 200) + 1 });
    expect(result.items).toHaveLength(N);
  });

  it('serves 10,000 plugins (swapped in per test) in 51 requests', async () => {
    const big = await startStandin({ quiet: true, catalogue: syntheticCatalogue(10_000) });
    try {
      const result = await glpiPagingLoop(big.url + PLUGINS, headers('standard', { 'User-Agent': UA10 }));
      expect(result.complete).toBe(true);
      expect(result.requests).toBe(51);
      expect(result.items).toHaveLength(10_000);
    } finally {
      await big.close();
    }
  });

  it('parses ranges and pages like the doc says', () => {
    expect(parseRange('0-199')).toEqual({ start: 0, end: 199 });
    expect(parseRange(' 200-399 ')).toEqual({ start: 200, end: 399 });
    expect(parseRange(undefined)).toEqual({ start: 0, end: 199 });
    expect(parseRange('10-5')).toBe('invalid');
    expect(pageOf({ start: 0, end: 199 })).toBe(1);
    expect(pageOf({ start: 400, end: 599 })).toBe(3);
    expect(pageOf({ start: 20, end: 29 })).toBe(3);
  });
});

describe('plugins: record shape', () => {
  it('always sends every field GLPI reads (§2.4), required_offers null when none', async () => {
    const plugins = await list(UA10);
    expect(plugins).toHaveLength(N);
    const fields = [
      'key', 'name', 'versions', 'logo_url', 'descriptions', 'authors', 'license', 'note', 'homepage_url',
      'issues_url', 'readme_url', 'changelog_url', 'download_count', 'date_added', 'date_updated', 'required_offers',
    ]; // prettier-ignore
    for (const p of plugins) {
      for (const f of fields) expect(p, `${p.key}.${f}`).toHaveProperty(f);
      expect(Array.isArray(p.versions), p.key).toBe(true);
      expect(p.required_offers === null || Array.isArray(p.required_offers), p.key).toBe(true);
      expect(typeof p.download_count).toBe('number');
      expect(p.date_added).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(plugins.filter((p) => p.required_offers === null).length).toBeGreaterThan(N * 0.9);
    const fields_ = byKey(plugins, 'fields');
    expect(fields_.descriptions.map((d) => d.lang)).toEqual(['en', 'fr', 'es', 'de']);
    expect(fields_.authors).toEqual([{ id: expect.any(Number) as number, name: "Teclib'" }]);
    expect(fields_.tags).toContainEqual({ key: 'forms', tag: 'Forms', lang: 'en' });
    expect(fields_.tags).toContainEqual({ key: 'formulaires', tag: 'Formulaires', lang: 'fr' });
  });

  it('version download_urls point at archives on the stand-in itself, ending with the file name', async () => {
    const plugins = await list(null);
    const urls = plugins.flatMap((p) => p.versions.map((v) => ({ key: p.key, num: v.num, url: v.download_url })));
    for (const { key, num, url } of urls) {
      const file = decodeURIComponent(url.split('/').at(-1) ?? '');
      expect(url.startsWith(`${standin.url}/downloads/${key}/`), url).toBe(true);
      expect(file).toMatch(new RegExp(`^${key}-.+\\.(tar\\.bz2|tar\\.gz|zip)$`));
      expect(file.startsWith(`${key}-${num}.`)).toBe(true);
    }
    const exts = new Set(urls.map((u) => /\.(tar\.bz2|tar\.gz|zip)$/.exec(u.url)?.[1]));
    expect([...exts].sort()).toEqual(['tar.bz2', 'tar.gz', 'zip']);
  });

  it('the hostile plugin is served verbatim (escaping is the client’s job)', async () => {
    const hostile = byKey(await list(null), HOSTILE_PLUGIN_KEY);
    const en = hostile.descriptions.find((d) => d.lang === 'en')?.long_description ?? '';
    expect(en).toContain('<img src=x onerror=alert(1)>');
    expect(en).toContain('<script>alert(1)</script>');
    expect(en).toContain('[click](javascript:alert(1))');
  });
});

describe('plugins: versions filtered by the User-Agent (§5.2)', () => {
  it('GLPI 10.0.16 sees only its compatible rows, still lists plugins with none', async () => {
    const plugins = await list(UA10);
    expect(plugins).toHaveLength(N);
    for (const p of plugins)
      for (const v of p.versions)
        expect(compatibilityMatches(v.compatibility, [10, 0, 16]), `${p.key} ${v.num}`).toBe(true);
    expect(byKey(plugins, 'fields').versions.map((v) => `${v.num} ${v.compatibility}`)).toEqual([
      '1.21.23 ~10.0.11',
      '1.21.22 ~10.0.0',
      '1.21.19 ~10.0.0',
    ]);
    // GLPI 11-only and 9.5-only plugins: listed, with versions [].
    expect(byKey(plugins, 'advancedforms').versions).toEqual([]);
    expect(byKey(plugins, 'appliances').versions).toEqual([]);
    expect(plugins.filter((p) => p.versions.length === 0).length).toBeGreaterThan(10);
  });

  it('GLPI 11.0.4 sees other versions (prereleases keep their stability)', async () => {
    const plugins = await list(UA11);
    expect(byKey(plugins, 'fields').versions).toEqual([
      expect.objectContaining({ num: '1.23.0-beta1', compatibility: '~11.0.0', stability: 'beta' }),
      expect.objectContaining({ num: '1.22.1', compatibility: '~11.0.0' }),
      expect.objectContaining({ num: '1.22.0', compatibility: '~11.0.0' }),
    ]);
    expect(byKey(plugins, 'formcreator').versions).toEqual([]); // no GLPI 11 release
    expect(byKey(plugins, 'advancedforms').versions.length).toBeGreaterThan(0);
    expect(byKey(plugins, 'fields').versions[1]).not.toHaveProperty('stability');
    expect(byKey(plugins, 'datainjection').versions[0]?.stability).toBe('stable');
  });

  it('no GLPI User-Agent: unfiltered, one object per (num, compatibility) pair', async () => {
    const expectedRows = (p: StandinPlugin): number => p.versions.reduce((n, v) => n + v.compatibility.length, 0);
    for (const ua of [null, 'Mozilla/5.0']) {
      const plugins = await list(ua);
      for (const p of plugins) expect(p.versions.length, p.key).toBe(expectedRows(demoPlugin(p.key)));
    }
    const raw = await rawGet(PLUGINS, { 'X-Registration-Key': DEMO_KEYS.basic, 'X-Range': `0-${N}` });
    expect(raw.status).toBe(200);
    const fields = (JSON.parse(raw.body) as ApiPlugin[]).find((p) => p.key === 'fields');
    expect(fields?.versions).toHaveLength(7);
  });

  it('a version with two matching rows appears twice (same num)', async () => {
    const multi = DEMO.find((p) => p.versions.some((v) => v.compatibility.join() === '~10.0.0,~10.0.11'));
    expect(multi).toBeDefined();
    const served = byKey(await list(UA10), multi!.key);
    const nums = served.versions.map((v) => v.num);
    expect(nums.length).toBeGreaterThan(new Set(nums).size);
    // Rows in upstream's order: compatibility DESC, then num DESC.
    const keys = served.versions.map((v) => [v.compatibility, v.num] as const);
    expect([...keys].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? 1 : -1) : a[0] < b[0] ? 1 : -1))).toEqual(keys);
  });

  it('exact, two-part and tilde strings follow the documented rules', async () => {
    const at = async (ua: string, key: string): Promise<string[]> =>
      byKey(await list(ua), key).versions.map((v) => v.compatibility);
    expect(await at('GLPI/10.0.3 (installation-mode:TARBALL)', 'behaviors')).toEqual(['10.0.3']);
    expect(await at('GLPI/10.0.5 (installation-mode:TARBALL)', 'behaviors')).toEqual([]);
    expect(await at('GLPI/10.0.0 (installation-mode:GIT)', 'room')).toEqual(['10.0', '10.0']);
    expect(await at('GLPI/9.5.13 (installation-mode:TARBALL)', 'fields')).toEqual(['9.5']);
    expect(await at('GLPI/10.0.10 (installation-mode:TARBALL)', 'glpiinventory')).toEqual(['~10.0.0']);
  });
});

describe('registration key checks (§10.5: 401 JSON)', () => {
  const paths = [
    PLUGINS,
    '/api/marketplace/tags/top',
    '/api/marketplace/tags/inventory/plugin',
    '/api/marketplace/plugin/fields/download/1.21.22',
    '/api/glpi-plugins/plugins',
  ];

  it.each(paths)('%s: 401 without a key or with an unknown one', async (path) => {
    for (const h of [headers(null), headers('invalid'), { 'X-Registration-Key': '   ' }]) {
      const res = await get(path, h, { redirect: 'manual' });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(/registration key/i);
    }
  });

  it('valid keys of every tier get the list, a terminated one too', async () => {
    for (const tier of ['free', 'basic', 'standard', 'advanced', 'terminated'] as const) {
      const res = await get(PLUGINS, headers(tier, { 'X-Range': '0-4' }));
      expect(res.status, tier).toBe(206);
    }
  });

  it('follows setAccount: an unknown key that becomes known gets the list', async () => {
    standin.setAccount(DEMO_KEYS.invalid, {
      owner: 'Initrode',
      offer: 'basic',
      title: 'GLPI Network Basic',
      running: true,
      begins: '2025-01-01',
      ends: '2026-12-31',
    });
    expect((await get(PLUGINS, headers('invalid', { 'X-Range': '0-0' }))).status).toBe(206);
  });
});

describe('legacy alias and routing', () => {
  it('/api/glpi-plugins/ answers like /api/marketplace/', async () => {
    const h = headers('basic', { 'X-Range': '0-29', 'User-Agent': UA10 });
    const a = (await (await get(PLUGINS, h)).json()) as unknown;
    const b = (await (await get('/api/glpi-plugins/plugins', h)).json()) as unknown;
    expect(b).toEqual(a);
    const tags = (await (await get('/api/glpi-plugins/tags/top', h)).json()) as unknown;
    expect(tags).toEqual(await (await get('/api/marketplace/tags/top', h)).json());
  });

  it('non-GET: 405 with Allow; unknown marketplace path: 404', async () => {
    const res = await get(PLUGINS, headers(), { method: 'POST', body: '[]' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect((await get('/api/marketplace/nothing')).status).toBe(404);
    expect((await get('/api/marketplace/plugins/extra')).status).toBe(404);
  });

  it('GLPI 9.5 top-10 lists answer with partial objects', async () => {
    for (const [list_, field] of [
      ['popular', 'download_count'],
      ['trending', 'recent_downloads'],
      ['new', 'date_added'],
      ['updated', 'date_updated'],
    ] as const) {
      const res = await get(`/api/glpi-plugins/plugin/${list_}`);
      expect(res.status, list_).toBe(200);
      const items = (await res.json()) as Record<string, unknown>[];
      expect(items).toHaveLength(10);
      expect(items[0], list_).toHaveProperty('key');
      expect(items[0], list_).toHaveProperty(field);
    }
    const popular = (await (await get('/api/marketplace/plugin/popular')).json()) as { key: string }[];
    expect(popular[0]?.key).toBe([...DEMO].sort((a, b) => b.download_count - a.download_count)[0]?.key);
  });
});

describe('tags', () => {
  it('tags/top: the 10 most used, English by default, {key, tag, lang, plugin_count}', async () => {
    for (const xLang of [undefined, 'en', 'en-GB', 'de', 'es']) {
      const res = await get('/api/marketplace/tags/top', headers('basic', xLang ? { 'X-Lang': xLang } : {}));
      expect(res.status).toBe(200);
      const tags = (await res.json()) as ApiTopTag[];
      expect(tags).toHaveLength(10);
      for (const t of tags) {
        expect(Object.keys(t).sort()).toEqual(['key', 'lang', 'plugin_count', 'tag']);
        expect(t.lang).toBe('en');
        const def = TAG_VOCABULARY.find((d) => d.en === t.tag);
        expect(def, t.tag).toBeDefined();
        expect(t.key).toBe(tagSlug(t.tag));
        expect(t.plugin_count).toBe(DEMO.filter((p) => p.tags.includes(def!.id)).length);
      }
      const counts = tags.map((t) => t.plugin_count);
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    }
  });

  it('tags/top in French with X-Lang: fr', async () => {
    const tags = (await (
      await get('/api/marketplace/tags/top', headers('basic', { 'X-Lang': 'fr' }))
    ).json()) as ApiTopTag[];
    expect(tags).toHaveLength(10);
    for (const t of tags) {
      expect(t.lang).toBe('fr');
      expect(TAG_VOCABULARY.map((d) => d.fr)).toContain(t.tag);
      expect(t.key).toBe(tagSlug(t.tag));
    }
    const en = (await (await get('/api/marketplace/tags/top', headers('basic'))).json()) as ApiTopTag[];
    expect(tags.map((t) => t.plugin_count)).toEqual(en.map((t) => t.plugin_count));
  });

  it('tags/{key}/plugin lists the tagged plugins (English or French key), paged', async () => {
    const expected = DEMO.filter((p) => p.tags.includes('inventory')).map((p) => p.key);
    expect(expected.length).toBeGreaterThan(10);
    for (const key of ['inventory', 'inventaire']) {
      const items = await list(UA10, `/api/marketplace/tags/${key}/plugin`);
      expect(items.map((p) => p.key)).toEqual(expected);
      expect(byKey(items, 'glpiinventory')).toHaveProperty('versions');
    }
    const security = await list(null, '/api/marketplace/tags/s-curit-/plugin');
    expect(security.map((p) => p.key)).toEqual(DEMO.filter((p) => p.tags.includes('security')).map((p) => p.key));

    const page = await get('/api/marketplace/tags/inventory/plugin', headers('basic', { 'X-Range': '2-3' }));
    expect(page.status).toBe(206);
    expect(page.headers.get('content-range')).toBe(`2-3/${expected.length}`);
    expect(((await page.json()) as ApiPlugin[]).map((p) => p.key)).toEqual(expected.slice(2, 4));

    const loop = await glpiPagingLoop(`${standin.url}/api/marketplace/tags/helpdesk/plugin`, headers('basic'));
    expect(loop).toMatchObject({ complete: true, requests: 2 });
  });

  it('an unknown tag is 200 [] (a 404 would flag GLPI’s list as truncated)', async () => {
    for (const key of ['no-such-tag', '%E2%9C%93', 'INVENTORY']) {
      const res = await get(`/api/marketplace/tags/${key}/plugin`, headers('basic'));
      expect(res.status, key).toBe(200);
      expect(await res.json()).toEqual([]);
    }
  });
});

describe('download counter (§2.7)', () => {
  const COUNTER = '/api/marketplace/plugin/fields/download/1.21.22';

  it('counts and redirects (302) to the archive', async () => {
    const before = byKey(await list(null), 'fields').download_count;
    const res = await get(COUNTER, headers('basic', { Accept: 'application/json, */*' }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(standin.archiveUrl('fields', '1.21.22'));
    expect(res.headers.get('location')).toMatch(/\/downloads\/fields\/fields-1\.21\.22\.tar\.bz2$/);
    expect(byKey(await list(null), 'fields').download_count).toBe(before + 1);
    expect(standin.downloads.map((d) => `${d.key}@${d.version}`)).toEqual(['fields@1.21.22']);
    expect(standin.getPlugin('fields')?.download_count).toBe(before + 1);
  });

  it('answers 200 {download_url} when Accept is exactly application/json', async () => {
    const res = await get(COUNTER, headers('basic', { Accept: 'application/json' }), { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ download_url: standin.archiveUrl('fields', '1.21.22') });
    expect(standin.downloads).toHaveLength(1);
  });

  it('unknown plugin: 404; unknown version: counted, 404', async () => {
    expect((await get('/api/marketplace/plugin/nope/download/1.0.0', headers('basic'))).status).toBe(404);
    const res = await get('/api/marketplace/plugin/fields/download/9.9.9', headers('basic'), { redirect: 'manual' });
    expect(res.status).toBe(404);
    expect(standin.downloads.map((d) => d.version)).toEqual(['9.9.9']);
  });
});

describe('archives', () => {
  function sample(format: ArchiveFormat): { plugin: StandinPlugin; num: string } {
    const plugin = DEMO.find((p) => p.required_offers === null && p.versions.some((v) => v.format === format))!;
    return { plugin, num: plugin.versions.find((v) => v.format === format)!.num };
  }

  it.each(['tar.bz2', 'tar.gz', 'zip'] as const)(
    '%s: 200, Content-Length and type, one <key>/ folder with setup.php at the catalogue version',
    async (format) => {
      const { plugin, num } = sample(format);
      const url = standin.archiveUrl(plugin.key, num);
      expect(url.endsWith(`.${format}`)).toBe(true);
      const { res, bytes } = await download(url, 'free');
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
      expect(res.headers.get('content-type')).toBe(
        { 'tar.bz2': 'application/x-bzip2', 'tar.gz': 'application/gzip', zip: 'application/zip' }[format],
      );
      const e = extract(bytes, format);
      expect(e.ok, e.stderr).toBe(true);
      expect(e.top).toEqual([plugin.key]);
      const root = join(e.dir, plugin.key);
      expect(readdirSync(root).sort()).toEqual(['README.md', 'hook.php', 'inc', 'locales', 'setup.php']);
      expect(readdirSync(join(root, 'locales'))).toEqual(['en_GB.po']);
      const setup = readFileSync(join(root, 'setup.php'), 'utf8');
      expect(setup).toContain(`function plugin_version_${plugin.key}()`);
      expect(setup).toContain(`'${num}'`);
      const version = plugin.versions.find((v) => v.num === num)!;
      expect(statSync(join(root, 'setup.php')).mtime.toISOString()).toBe(`${version.date}T12:00:00.000Z`);
      if (format === 'zip') {
        const entry = readZipDirectory(bytes).find((z) => z.name === `${plugin.key}/setup.php`)!;
        const start = entry.localOffset + 30 + bytes.readUInt16LE(entry.localOffset + 26);
        const raw = bytes.subarray(start, start + entry.compressedSize);
        expect((entry.method === 8 ? inflateRawSync(raw) : raw).toString('utf8')).toBe(setup);
      } else {
        const listing = tarListing(bytes, format);
        expect(listing.find((l) => l.endsWith(`${plugin.key}/`))).toMatch(/^drwxr-xr-x /);
        expect(listing.find((l) => l.endsWith('/setup.php'))).toMatch(/^-rw-r--r-- /);
      }
    },
  );

  it('every setup.php style of the catalogue carries the version (one archive per style)', async () => {
    const { setupStyleOf } = await import('./plugin-files');
    const seen = new Set<string>();
    for (const p of DEMO.filter((x) => x.required_offers === null)) {
      const style = setupStyleOf(p.key);
      if (seen.has(style)) continue;
      seen.add(style);
      const v = p.versions.at(-1)!;
      const { res, bytes } = await download(standin.archiveUrl(p.key, v.num), 'basic');
      expect(res.status).toBe(200);
      const e = extract(bytes, v.format);
      expect(readFileSync(join(e.dir, p.key, 'setup.php'), 'utf8'), style).toContain(`'${v.num}'`);
    }
    expect(seen.size).toBe(4);
  });

  it('is cached: the same bytes twice, and HEAD gives the length', async () => {
    const { plugin, num } = sample('tar.bz2');
    const url = standin.archiveUrl(plugin.key, num);
    const a = await download(url);
    const b = await download(url);
    expect(b.bytes).toEqual(a.bytes);
    const head = await fetch(url, { method: 'HEAD', headers: headers('advanced') });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(a.bytes.length);
  });

  it('free archives need a known key (GLPI: the API refuses archives without one); 404 for unknown files', async () => {
    const { plugin, num } = sample('tar.gz');
    const url = standin.archiveUrl(plugin.key, num);
    expect((await download(url, null)).res.status).toBe(401);
    expect((await download(url, 'invalid')).res.status).toBe(401);
    expect((await download(url, 'terminated')).res.status).toBe(200);
    for (const path of [
      `/downloads/${plugin.key}/${plugin.key}-0.0.0.tar.gz`,
      `/downloads/${plugin.key}/${plugin.key}-${num}.zip`, // wrong format for that version
      `/downloads/nope/nope-1.0.0.zip`,
      `/downloads/${plugin.key}/other-${num}.tar.gz`,
    ])
      expect((await download(standin.url + path)).res.status, path).toBe(404);
  });

  describe('premium archives (§10.8: 403 for a lower tier)', () => {
    const premium = demoPremiumKeys();
    const cases: [tier: 'registered' | 'basic' | 'standard' | 'advanced', allowed: DemoTier[]][] = [
      ['registered', ['free', 'basic', 'standard', 'advanced']],
      ['basic', ['basic', 'standard', 'advanced']],
      ['standard', ['standard', 'advanced']],
      ['advanced', ['advanced']],
    ];

    it.each(cases)('%s plugins', async (tier, allowed) => {
      const key = premium[tier][0]!;
      const p = demoPlugin(key);
      const v = p.versions.at(-1)!;
      const url = standin.archiveUrl(key, v.num);
      for (const who of [null, 'free', 'basic', 'standard', 'advanced', 'terminated', 'invalid'] as const) {
        const { res, bytes } = await download(url, who);
        const ok = who !== null && allowed.includes(who);
        expect(res.status, `${key} (${tier}) for ${who}`).toBe(ok ? 200 : 403);
        if (!ok) {
          const body = JSON.parse(bytes.toString('utf8')) as { error: string; required_offers: string[] };
          expect(body.required_offers).toEqual(p.required_offers);
          expect(body.error).toContain(p.required_offers!.join(', '));
        } else {
          const e = extract(bytes, v.format);
          expect(e.top).toEqual([key]);
        }
      }
    });
  });

  it('setArchiveSource: archives get a body of the given shape, none, or the default again', async () => {
    const { plugin, num } = sample('tar.gz');
    const url = standin.archiveUrl(plugin.key, num);
    const plain = await download(url);
    standin.setArchiveSource(plugin.key, { textFiles: 40, textBytes: 200_000, binaryFiles: 3, binaryBytes: 30_000 });
    const shaped = extract((await download(url)).bytes, 'tar.gz');
    const files = readdirSync(join(shaped.dir, plugin.key), { recursive: true }) as string[];
    expect(files.filter((f) => /\.(php|js|css|po)$/.test(f)).length).toBeGreaterThanOrEqual(40);
    expect(files.filter((f) => /\.(png|woff2|mo)$/.test(f))).toHaveLength(3);
    standin.setArchiveSource(plugin.key, undefined);
    expect((await download(url)).bytes).toEqual(plain.bytes);
    expect(() =>
      standin.setArchiveSource(plugin.key, { textFiles: -1, textBytes: 0, binaryFiles: 0, binaryBytes: 0 }),
    ).toThrow(RangeError);
  });

  it('republish: the same version comes with other bytes, each time, and only that version', async () => {
    const plugin = DEMO.find(
      (p) => p.required_offers === null && p.versions.filter((v) => v.format === 'zip').length > 1,
    )!;
    const [first, other] = plugin.versions.filter((v) => v.format === 'zip').map((v) => v.num);
    const url = standin.archiveUrl(plugin.key, first!);
    const otherUrl = standin.archiveUrl(plugin.key, other!);
    const [original, otherBefore] = [await download(url), await download(otherUrl)];
    expect(standin.republish(plugin.key, first!)).toBe(1);
    const again = await download(url);
    expect(again.res.status).toBe(200);
    expect(again.bytes.equals(original.bytes)).toBe(false);
    const e = extract(again.bytes, 'zip');
    expect(readFileSync(join(e.dir, plugin.key, 'setup.php'), 'utf8')).toContain(first!);
    expect(readFileSync(join(e.dir, plugin.key, 'README.md'), 'utf8')).toContain('Republished in place (edition 2)');
    expect((await download(otherUrl)).bytes).toEqual(otherBefore.bytes);
    expect(standin.republish(plugin.key, first!)).toBe(2);
    const third = await download(url);
    expect(third.bytes.equals(again.bytes) || third.bytes.equals(original.bytes)).toBe(false);
    expect(() => standin.republish(plugin.key, '0.0.0-none')).toThrow(RangeError);
  });

  it('padding: ?size= and setArchivePadding add incompressible bytes', async () => {
    const { plugin, num } = sample('tar.gz');
    const url = standin.archiveUrl(plugin.key, num);
    const plain = await download(url);
    const sized = await download(`${url}?size=300000`);
    expect(sized.res.status).toBe(200);
    expect(sized.bytes.length).toBeGreaterThan(300_000);
    const e = extract(sized.bytes, 'tar.gz');
    expect(statSync(join(e.dir, plugin.key, 'data/padding.bin')).size).toBe(300_000);

    standin.setArchivePadding(plugin.key, 200_000);
    const padded = await download(url);
    expect(padded.bytes.length).toBeGreaterThan(200_000);
    expect(padded.bytes.length).toBeLessThan(300_000);
    standin.setArchivePadding(plugin.key, 0);
    expect((await download(url)).bytes).toEqual(plain.bytes);

    for (const bad of ['abc', '-1', String(10 ** 10)])
      expect((await download(`${url}?size=${bad}`)).res.status).toBe(400);
    expect(() => standin.setArchivePadding(plugin.key, -1)).toThrow(RangeError);
  });

  it('serves a 20 MB archive for benchmarks', async () => {
    const { plugin, num } = sample('zip');
    const { res, bytes } = await download(`${standin.archiveUrl(plugin.key, num)}?size=${20 * 1024 * 1024}`);
    expect(res.status).toBe(200);
    expect(bytes.length).toBeGreaterThan(20 * 1024 * 1024);
    expect(readZipDirectory(bytes).find((z) => z.name.endsWith('padding.bin'))?.size).toBe(20 * 1024 * 1024);
  });
});

describe('catalogue changes', () => {
  it('setCatalogue swaps the catalogue and validates it', async () => {
    standin.setCatalogue(syntheticCatalogue(5));
    expect(await list(null)).toHaveLength(5);
    expect(() => standin.setCatalogue([...syntheticCatalogue(2), ...syntheticCatalogue(1)])).toThrow(/duplicate key/);
    const broken = syntheticCatalogue(1);
    (broken[0] as unknown as { versions: unknown }).versions = 'nope';
    expect(() => standin.setCatalogue(broken)).toThrow(TypeError);
    expect(await list(null)).toHaveLength(5); // unchanged after a refused catalogue
  });

  it('addVersion makes an update appear (listing, date, archive, counter)', async () => {
    const before = byKey(await list(UA11), 'fields');
    standin.addVersion('fields', { num: '1.22.2', compatibility: ['~11.0.0'], date: '2026-01-10' });
    const after = byKey(await list(UA11), 'fields');
    expect(after.versions.map((v) => v.num)).toEqual(['1.23.0-beta1', '1.22.2', '1.22.1', '1.22.0']);
    expect(after.date_updated).toBe('2026-01-10');
    expect(before.date_updated < after.date_updated).toBe(true);
    expect(byKey(await list(UA10), 'fields').versions.map((v) => v.num)).not.toContain('1.22.2');
    const url = after.versions[1]!.download_url;
    expect(url).toMatch(/fields-1\.22\.2\.tar\.bz2$/);
    const { res, bytes } = await download(url);
    expect(res.status).toBe(200);
    const e = extract(bytes, 'tar.bz2');
    expect(readFileSync(join(e.dir, 'fields/setup.php'), 'utf8')).toContain("'1.22.2'");
    expect(() => standin.addVersion('fields', { num: '1.22.2', compatibility: ['~11.0.0'] })).toThrow(/already/);
    expect(() => standin.addVersion('nope', { num: '1.0.0', compatibility: ['~11.0.0'] })).toThrow(RangeError);
    expect(() => standin.addVersion('fields', { num: '2.0.0', compatibility: [] })).toThrow(TypeError);
  });

  it('updatePlugin changes one plugin; the caller’s objects are never shared', async () => {
    standin.updatePlugin('tag', (p) => {
      p.name = 'Tags (renamed)';
      p.required_offers = ['advanced'];
    });
    expect(byKey(await list(null), 'tag')).toMatchObject({ name: 'Tags (renamed)', required_offers: ['advanced'] });
    const copy = standin.getCatalogue();
    copy[0]!.name = 'mutated';
    expect(standin.getCatalogue()[0]?.name).not.toBe('mutated');
    expect(() => standin.archiveUrl('tag', '0.0.0')).toThrow(RangeError);
  });
});

describe('marketplace faults', () => {
  it('page-fail: a 5xx on page N only; GLPI retries then succeeds within 3 attempts', async () => {
    standin.setCatalogue(syntheticCatalogue(450));
    standin.setFaults([{ fault: { mode: 'page-fail', page: 2 }, path: PLUGINS, times: 2 }]);
    const result = await glpiPagingLoop(standin.url + PLUGINS, headers());
    expect(result.complete).toBe(true);
    expect(result.items).toHaveLength(450);
    expect(result.statuses).toEqual([206, 500, 500, 206, 206, 200]);
  });

  it('page-fail without times: the list is truncated after 3 attempts', async () => {
    standin.setCatalogue(syntheticCatalogue(450));
    standin.setFaults([{ fault: { mode: 'page-fail', page: 3, status: 503 } }]);
    const result = await glpiPagingLoop(standin.url + PLUGINS, headers());
    expect(result).toMatchObject({ complete: false, requests: 5 });
    expect(result.items).toHaveLength(400);
    expect(result.statuses).toEqual([206, 206, 503, 503, 503]);
    // Other paths are untouched by a list fault.
    expect((await get('/api/registration/offers')).status).toBe(200);
  });

  it('page-fail on the empty page past the end truncates a complete list', async () => {
    standin.setFaults([{ fault: { mode: 'page-fail', page: 2 } }]);
    const result = await glpiPagingLoop(standin.url + PLUGINS, headers());
    expect(result.complete).toBe(false);
    expect(result.items).toHaveLength(N);
  });

  it('past-end-400: upstream’s 400 past the end instead of []', async () => {
    standin.setFaults([{ fault: { mode: 'past-end-400' } }]);
    expect((await get(PLUGINS, headers('basic', { 'X-Range': '0-9' }))).status).toBe(206);
    const res = await get(PLUGINS, headers('basic', { 'X-Range': `${N}-${N + 199}` }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Start at unexisting index' });
    const result = await glpiPagingLoop(standin.url + PLUGINS, headers());
    expect(result).toMatchObject({ complete: false, requests: 4 });
    expect(result.items).toHaveLength(N);
  });

  it('non-array: the page is a JSON object keyed by index', async () => {
    standin.setFaults([{ fault: { mode: 'non-array' }, times: 1 }]);
    const res = await get(PLUGINS, headers('basic', { 'X-Range': '200-202' }));
    const body = (await res.json()) as Record<string, ApiPlugin>;
    if (N > 202) {
      expect(Array.isArray(body)).toBe(false);
      expect(Object.keys(body)).toEqual(['200', '201', '202']);
    }
    standin.setFaults([{ fault: { mode: 'non-array' } }]);
    const page = (await (await get(PLUGINS, headers('basic', { 'X-Range': '0-2' }))).json()) as Record<
      string,
      ApiPlugin
    >;
    expect(Array.isArray(page)).toBe(false);
    expect(Object.keys(page)).toEqual(['0', '1', '2']);
    expect(page['1']?.key).toBe(DEMO[1]?.key);
  });

  it('malformed-records: indices 3, 13, 23, 33 broken four ways; the others intact', async () => {
    standin.setFaults([{ fault: { mode: 'malformed-records' } }]);
    const page = (await (await get(PLUGINS, headers('basic', { 'X-Range': '0-39' }))).json()) as Record<
      string,
      unknown
    >[];
    expect(page).toHaveLength(40);
    expect(page[3]).not.toHaveProperty('key');
    expect(page[13]?.key).toBe(`../${DEMO[13]?.key}`);
    expect(Array.isArray(page[23]?.versions)).toBe(false);
    expect(typeof page[23]?.versions).toBe('object');
    expect(typeof page[33]?.name).toBe('number');
    const intact = page.filter((_, i) => i % 10 !== 3);
    for (const [i, p] of intact.entries()) expect(typeof p.key, String(i)).toBe('string');
    expect(intact.every((p) => /^[a-z0-9]+$/.test(String(p.key)) && Array.isArray(p.versions))).toBe(true);
  });

  it('list faults do not apply to archives, and archive faults not to lists', async () => {
    standin.setFaults([
      { fault: { mode: 'archive-404' }, times: 1 },
      { fault: { mode: 'non-array' }, times: 1 },
    ]);
    const { plugin, num } = { plugin: demoPlugin('news'), num: demoPlugin('news').versions[0]!.num };
    expect((await download(standin.archiveUrl(plugin.key, num))).res.status).toBe(404);
    expect(Array.isArray(await (await get(PLUGINS, headers('basic', { 'X-Range': '0-1' }))).json())).toBe(false);
    expect((await download(standin.archiveUrl(plugin.key, num))).res.status).toBe(200);
    expect(Array.isArray(await (await get(PLUGINS, headers('basic', { 'X-Range': '0-1' }))).json())).toBe(true);
  });

  describe('archive faults', () => {
    const p = demoPlugin('news');
    const v = p.versions.at(-1)!;

    it('archive-404: a release asset that is gone', async () => {
      standin.setFaults([{ fault: { mode: 'archive-404' }, path: '/downloads/news/' }]);
      const { res, bytes } = await download(standin.archiveUrl('news', v.num));
      expect(res.status).toBe(404);
      expect(bytes.toString()).toBe('Not Found');
      const other = demoPlugin('tag');
      expect((await download(standin.archiveUrl('tag', other.versions[0]!.num))).res.status).toBe(200);
    });

    it('archive-wrong-top: the top folder is not the key', async () => {
      standin.setFaults([{ fault: { mode: 'archive-wrong-top' } }]);
      const { res, bytes } = await download(standin.archiveUrl('news', v.num));
      expect(res.status).toBe(200);
      const e = extract(bytes, v.format);
      expect(e.ok).toBe(true);
      expect(e.top).toEqual(['news-master']);
    });

    it('archive-version-mismatch: setup.php says another version', async () => {
      standin.setFaults([{ fault: { mode: 'archive-version-mismatch' } }]);
      const { bytes } = await download(standin.archiveUrl('news', v.num));
      const e = extract(bytes, v.format);
      const setup = readFileSync(join(e.dir, 'news/setup.php'), 'utf8');
      expect(setup).not.toContain(`'${v.num}'`);
      expect(setup).toMatch(/'\d+\.\d+\.\d+'/);
      standin.setFaults([]);
      const good = extract((await download(standin.archiveUrl('news', v.num))).bytes, v.format);
      expect(readFileSync(join(good.dir, 'news/setup.php'), 'utf8')).toContain(`'${v.num}'`);
    });

    it('archive-truncated: 200 and a consistent Content-Length, but a corrupt archive', async () => {
      const full = await download(standin.archiveUrl('news', v.num));
      standin.setFaults([{ fault: { mode: 'archive-truncated' } }]);
      const { res, bytes } = await download(standin.archiveUrl('news', v.num));
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
      expect(bytes.length).toBe(Math.floor(full.bytes.length / 2));
      expect(extract(bytes, v.format).ok).toBe(false);
    });
  });

  it('fault rules are validated', () => {
    for (const bad of [
      [{ fault: { mode: 'page-fail' } }],
      [{ fault: { mode: 'page-fail', page: 0 } }],
      [{ fault: { mode: 'page-fail', page: 1, status: 200 } }],
      [{ fault: { mode: 'page-fail', page: 1, extra: true } }],
      [{ fault: { mode: 'archive-404', page: 1 } }],
    ])
      expect(parseFaultRules(bad, { requireRefuseMs: false }).ok, JSON.stringify(bad)).toBe(false);
    for (const good of [
      [{ fault: { mode: 'page-fail', page: 2, status: 502 } }],
      [{ fault: { mode: 'past-end-400' } }, { fault: { mode: 'malformed-records' }, path: '/api/marketplace/' }],
      [{ fault: { mode: 'archive-truncated' }, times: 3 }],
    ])
      expect(parseFaultRules(good, { requireRefuseMs: false }).ok, JSON.stringify(good)).toBe(true);
  });
});

describe('control API (own process)', () => {
  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${standin.url}/__standin/${path}`, { method: 'POST', body: JSON.stringify(body) });

  it('swaps catalogues, adds versions, pads archives, lists counter hits', async () => {
    expect((await post('catalogue', { synthetic: 300, seed: 2 })).status).toBe(200);
    const loop = await glpiPagingLoop(standin.url + PLUGINS, headers());
    expect(loop.items).toHaveLength(300);
    const first = loop.items[0] as ApiPlugin;

    const add = await post('versions', { key: first.key, version: { num: '99.0.0', compatibility: ['~11.0.0'] } });
    expect(add.status).toBe(200);
    expect(standin.getPlugin(first.key)?.versions.at(-1)?.num).toBe('99.0.0');

    expect((await post('archive-padding', { key: first.key, bytes: 1000 })).status).toBe(200);
    expect((await post('archive-source', { key: first.key, shape: null })).status).toBe(200);
    expect((await post('archive-source', { key: first.key })).status).toBe(200);
    await get(`/api/marketplace/plugin/${first.key}/download/99.0.0`, headers(), { redirect: 'manual' });
    const hits = (await (await fetch(`${standin.url}/__standin/downloads`)).json()) as { key: string }[];
    expect(hits.map((h) => h.key)).toEqual([first.key]);

    expect((await post('catalogue', { demo: true })).status).toBe(200);
    expect((await glpiPagingLoop(standin.url + PLUGINS, headers())).items).toHaveLength(N);
  });

  it('rejects bad bodies with 400', async () => {
    for (const [path, body] of [
      ['catalogue', {}],
      ['catalogue', { synthetic: -1 }],
      ['catalogue', { synthetic: 10, seed: 'x' }],
      ['catalogue', { demo: true, other: 1 }],
      ['versions', { key: 'fields' }],
      ['versions', { key: 'nope', version: { num: '1.0.0', compatibility: ['~11.0.0'] } }],
      ['versions', { key: 'fields', version: { num: '1.0.0', compatibility: 'x' } }],
      ['archive-padding', { key: 'fields', bytes: -5 }],
      ['archive-padding', { key: 'fields' }],
      ['archive-source', { key: 'fields', shape: 'big' }],
      ['archive-source', { key: 'fields', shape: { textFiles: 1.5, textBytes: 0, binaryFiles: 0, binaryBytes: 0 } }],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
    }
    expect(await list(null)).toHaveLength(N);
  });

  it('the CLI can start with a synthetic catalogue', () => {
    expect(parseArgs(['--synthetic', '10000'])).toEqual({ port: 0, quiet: false, synthetic: 10_000 });
    expect(parseArgs(['--synthetic=5', '--quiet'])).toEqual({ port: 0, quiet: true, synthetic: 5 });
    expect(() => parseArgs(['--synthetic'])).toThrow(/--synthetic/);
    expect(() => parseArgs(['--synthetic', 'many'])).toThrow(/--synthetic/);
  });
});
