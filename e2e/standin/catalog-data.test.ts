import { describe, expect, it, vi } from 'vitest';
import {
  demoCatalogue,
  demoPremiumKeys,
  HOSTILE_PLUGIN_KEY,
  mulberry32,
  OFFER_LISTS,
  syntheticCatalogue,
  TAG_VOCABULARY,
  tagSlug,
} from './catalog-data';
import { ARCHIVE_FORMATS, type StandinPlugin } from './catalog-types';
import { checkCatalogue } from './marketplace';

const KEY = /^[a-z0-9]+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const catalogue = demoCatalogue();
const byKey = new Map(catalogue.map((p) => [p.key, p]));

function plugin(key: string): StandinPlugin {
  const p = byKey.get(key);
  if (!p) throw new Error(`no ${key}`);
  return p;
}

describe('demo catalogue', () => {
  it('has 150+ plugins with unique GLPI-valid keys and ids', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(150);
    expect(new Set(catalogue.map((p) => p.key)).size).toBe(catalogue.length);
    expect(new Set(catalogue.map((p) => p.id)).size).toBe(catalogue.length);
    for (const p of catalogue) expect(p.key, p.key).toMatch(KEY);
    expect(() => checkCatalogue(catalogue)).not.toThrow();
  });

  it('includes the real plugins the brief names', () => {
    const real = [
      'fields', 'formcreator', 'datainjection', 'genericobject', 'behaviors', 'pdf', 'tag', 'escalade', 'news',
      'reports', 'order', 'moreticket', 'accounts', 'addressing', 'appliances', 'archires', 'barcode',
      'databaseinventory', 'glpiinventory', 'manufacturersimports', 'mreporting', 'ocsinventoryng', 'oauthimap',
      'positions', 'printercounters', 'rgpdtools', 'satisfaction', 'tasklists', 'timelineticketlist', 'treeview',
      'uninstall', 'webapplications', 'whitelabel', 'advancedforms', 'cmdb', 'credit', 'deploy', 'gantt',
      'geninventorynumber', 'hours', 'impersonate', 'jamf', 'ldapcomputers', 'mailanalyzer', 'metabase',
      'mydashboard', 'processmaker', 'projectbridge', 'racks', 'resources', 'room', 'routetickets', 'scim',
      'singlesignon', 'telegrambot', 'useditemsexport', 'vip', 'worktime',
    ]; // prettier-ignore
    expect(real.filter((key) => !byKey.has(key))).toEqual([]);
  });

  it('is deterministic and returns a fresh copy each time', async () => {
    const again = demoCatalogue();
    expect(again).toEqual(catalogue);
    again[0]!.name = 'changed';
    expect(demoCatalogue()[0]?.name).not.toBe('changed');
    vi.resetModules();
    const reloaded = (await import('./catalog-data')).demoCatalogue();
    expect(reloaded).toEqual(catalogue);
  });

  it('fills every field with the right type', () => {
    for (const p of catalogue) {
      const where = p.key;
      expect(typeof p.name, where).toBe('string');
      expect(p.date_added, where).toMatch(DAY);
      expect(p.date_updated, where).toMatch(DAY);
      expect(p.date_updated >= p.date_added, where).toBe(true);
      expect(Number.isInteger(p.download_count) && p.download_count > 0, where).toBe(true);
      expect(p.note >= 0 && p.note <= 5, where).toBe(true);
      for (const url of [p.homepage_url, p.issues_url, p.readme_url, p.xml_url, p.download_url])
        expect(url, where).toMatch(/^https:\/\//);
      for (const url of [p.logo_url, p.changelog_url]) if (url !== null) expect(url, where).toMatch(/^https:\/\//);
      expect(p.authors.length, where).toBeGreaterThan(0);
      expect(p.license.length, where).toBeGreaterThan(0);
      expect(p.versions.length, where).toBeGreaterThan(0);
      for (const v of p.versions) {
        expect(v.date, where).toMatch(DAY);
        expect(v.compatibility.length, where).toBeGreaterThan(0);
      }
      expect(new Set(p.versions.map((v) => v.num)).size, `${where}: duplicate num`).toBe(p.versions.length);
    }
    // Some nulls and zero ratings, as on the real marketplace.
    expect(catalogue.some((p) => p.logo_url === null)).toBe(true);
    expect(catalogue.some((p) => p.changelog_url === null)).toBe(true);
    expect(catalogue.some((p) => p.note === 0)).toBe(true);
    expect(catalogue.filter((p) => p.screenshots.length > 0).length).toBeGreaterThanOrEqual(5);
  });

  it('varies compatibility strings, stabilities and archive formats', () => {
    const compat = new Set(catalogue.flatMap((p) => p.versions.flatMap((v) => v.compatibility)));
    for (const c of ['~10.0.0', '~10.0.11', '10.0', '~11.0.0', '9.5', '10.0.3', '11.0', '~9.5.0'])
      expect(compat, c).toContain(c);
    const stabilities = catalogue.flatMap((p) => p.versions.map((v) => v.stability ?? '(absent)'));
    for (const s of ['(absent)', 'stable', 'beta', 'rc', 'alpha']) expect(stabilities, s).toContain(s);
    // Mostly absent or stable.
    expect(stabilities.filter((s) => s === '(absent)' || s === 'stable').length / stabilities.length).toBeGreaterThan(
      0.9,
    );
    const formats = catalogue.flatMap((p) => p.versions.map((v) => v.format));
    for (const f of ARCHIVE_FORMATS) expect(formats.filter((x) => x === f).length, f).toBeGreaterThan(20);
    // Several compatibility rows on one version, and versions for one GLPI line only.
    expect(catalogue.some((p) => p.versions.some((v) => v.compatibility.length > 1))).toBe(true);
    expect(catalogue.some((p) => p.versions.every((v) => v.compatibility.every((c) => c.includes('11.'))))).toBe(true);
    expect(catalogue.some((p) => p.versions.every((v) => /^~?9\./.test(v.compatibility[0] ?? '')))).toBe(true);
  });

  it('has premium plugins at each tier as membership lists, the rest null', () => {
    const premium = demoPremiumKeys();
    expect(premium.basic.length).toBeGreaterThanOrEqual(2);
    expect(premium.standard.length).toBeGreaterThanOrEqual(2);
    expect(premium.advanced.length).toBeGreaterThanOrEqual(2);
    expect(plugin('cmdb').required_offers).toEqual(['basic', 'standard', 'advanced']);
    expect(plugin('metabase').required_offers).toEqual(['standard', 'advanced']);
    expect(plugin('whitelabel').required_offers).toEqual(['advanced']);
    const lists = Object.values(OFFER_LISTS).map((l) => JSON.stringify(l));
    const withOffers = catalogue.filter((p) => p.required_offers !== null);
    for (const p of withOffers) expect(lists, p.key).toContain(JSON.stringify(p.required_offers));
    expect(withOffers.length / catalogue.length).toBeLessThan(0.1);
  });

  it('writes long descriptions in Markdown with a heading, a list and a link, in English and French', () => {
    const markdown = catalogue.filter((p) =>
      ['en', 'fr'].every((lang) => p.descriptions.find((d) => d.lang === lang)?.long_description.startsWith('## ')),
    );
    expect(markdown.length).toBeGreaterThan(140);
    for (const p of markdown.filter((x) => x.key !== HOSTILE_PLUGIN_KEY && x.key !== 'verbosedoc')) {
      for (const lang of ['en', 'fr']) {
        const d = p.descriptions.find((x) => x.lang === lang);
        expect(d?.short_description.length, `${p.key} ${lang}`).toBeGreaterThan(0);
        expect(d?.long_description, `${p.key} ${lang}`).toMatch(
          /^## .+\n[\s\S]*\n- .+[\s\S]*\[[^\]]+\]\(https:\/\/[^)]+\)/,
        );
      }
    }
    expect(plugin('fields').descriptions.find((d) => d.lang === 'fr')?.short_description).toBe(
      'Ajoutez des champs personnalisés aux objets GLPI',
    );
  });

  it('has edge cases: very long, HTML-ish, many scripts, French only, empty', () => {
    const long = (key: string): string => plugin(key).descriptions.find((d) => d.lang === 'en')?.long_description ?? '';
    expect(long('verbosedoc').length).toBeGreaterThan(30_000);
    expect(long('htmlshowcase')).toMatch(/<p>.*<br\/>.*&amp;.*<a href="https:/s);
    expect(plugin('unicodedemo').descriptions.map((d) => d.lang)).toEqual(['en', 'fr', 'ja', 'ar']);
    expect(plugin('frenchonly').descriptions.map((d) => d.lang)).toEqual(['fr']);
    expect(plugin('emptydesc').descriptions.every((d) => d.long_description === '' && d.short_description === '')).toBe(
      true,
    );
    expect(plugin('longname').name.length).toBeGreaterThan(80);
    expect(plugin('fields').descriptions.map((d) => d.lang)).toEqual(['en', 'fr', 'es', 'de']);
  });

  it('has one hostile plugin for the security e2e test', () => {
    expect(HOSTILE_PLUGIN_KEY).toBe('hostiledemo');
    const hostile = plugin(HOSTILE_PLUGIN_KEY);
    expect(hostile.required_offers).toBeNull();
    for (const d of hostile.descriptions) {
      expect(d.long_description).toContain('<img src=x onerror=alert(1)>');
      expect(d.long_description).toContain('<script>alert(1)</script>');
      expect(d.long_description).toMatch(/\]\(javascript:alert\(1\)\)/);
    }
    // No other plugin carries script-like content.
    const others = catalogue.filter((p) => p.key !== HOSTILE_PLUGIN_KEY);
    expect(others.filter((p) => /<script|onerror=|javascript:/i.test(JSON.stringify(p))).map((p) => p.key)).toEqual([]);
  });

  it('tags come from a vocabulary of about 25, with upstream slugs per language', () => {
    expect(TAG_VOCABULARY.length).toBeGreaterThanOrEqual(24);
    expect(TAG_VOCABULARY.length).toBeLessThanOrEqual(30);
    const ids = new Set(TAG_VOCABULARY.map((t) => t.id));
    for (const p of catalogue) for (const t of p.tags) expect(ids, `${p.key}: ${t}`).toContain(t);
    expect(tagSlug('Asset management')).toBe('asset-management');
    expect(tagSlug('Sécurité')).toBe('s-curit-');
    expect(tagSlug('CMDB')).toBe('cmdb');
    expect(tagSlug('Réseau')).toBe('r-seau');
  });
});

describe('synthetic catalogue', () => {
  it('generates 10,000 plugins with distinct valid keys, deterministically', () => {
    const big = syntheticCatalogue(10_000);
    expect(big).toHaveLength(10_000);
    expect(new Set(big.map((p) => p.key)).size).toBe(10_000);
    for (const p of big) expect(p.key).toMatch(KEY);
    expect(() => checkCatalogue(big)).not.toThrow();
    const again = syntheticCatalogue(10_000);
    expect(again[9_999]).toEqual(big[9_999]);
    expect(again.map((p) => p.key)).toEqual(big.map((p) => p.key));
    // Same shape as the demo one.
    expect(Object.keys(big[0] ?? {}).sort()).toEqual(Object.keys(catalogue[0] ?? {}).sort());
    const formats = new Set(big.flatMap((p) => p.versions.map((v) => v.format)));
    expect([...formats].sort()).toEqual([...ARCHIVE_FORMATS].sort());
    for (const tier of ['basic', 'standard', 'advanced'])
      expect(
        big.some((p) => p.required_offers?.[0] === tier),
        tier,
      ).toBe(true);
  });

  it('depends on the seed, and small sizes are prefixes of the same sequence', () => {
    const a = syntheticCatalogue(50, 1);
    const b = syntheticCatalogue(50, 2);
    expect(a.map((p) => p.key)).not.toEqual(b.map((p) => p.key));
    expect(syntheticCatalogue(20, 1)).toEqual(a.slice(0, 20));
    expect(syntheticCatalogue(0)).toEqual([]);
    expect(() => syntheticCatalogue(-1)).toThrow(RangeError);
    expect(() => syntheticCatalogue(1.5)).toThrow(RangeError);
  });

  it('uses a seeded PRNG (same seed, same sequence)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
