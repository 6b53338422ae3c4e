import { describe, expect, it } from 'vitest';
import type { CatalogPlugin } from '../../shared/catalog';
import { catalogPlugin } from '../../shared/catalog-fixtures.testkit';
import { detectInstance } from './glpi-instance';
import { readInventory, withUpdates } from './inventory';
import { fakeGlpi } from './testing-glpi.testkit';
import { nodeFileSystem } from '../adapters/node-file-system';

const plugin = (key: string, versions: string[], requiredOffers: string[] | null = null): CatalogPlugin =>
  catalogPlugin(key, {
    requiredOffers,
    versions: versions.map((num) => ({ num, compatibility: ['~10.0.0'], stability: 'stable' })),
  });

const catalogue = [
  plugin('fields', ['1.20.0', '1.21.0', '1.21.10']),
  plugin('tag', ['2.10.0']),
  plugin('news', ['1.12.0']),
  plugin('metabase', ['1.1.0'], ['standard', 'advanced']),
  plugin('escalade', ['2.9.10']),
];
const offers = [
  { reference: 'basic', title: 'Basic' },
  { reference: 'standard', title: 'Standard' },
];
const ctx = {
  keyState: 'valid' as const,
  subscription: { title: 'GLPI Network Basic', offer: 'basic', running: true, begins: null, ends: null },
  offers,
  glpiVersion: '10.0.18',
  includePrereleases: false,
  marketplaceWritable: true,
};

describe('inventory', () => {
  it('reads every plugin folder, first folder wins, without running PHP', async () => {
    const info = await detectInstance(fakeGlpi(), nodeFileSystem);
    const list = await readInventory(info, nodeFileSystem);
    const by = (key: string, location: string) => list.find((p) => p.key === key && p.location === location);
    expect(by('fields', 'marketplace')).toMatchObject({
      version: '1.21.0',
      name: 'Fields',
      glpiMin: '10.0.0',
      glpiMax: '10.0.99',
      shadowedBy: null,
    });
    expect(by('fields', 'plugins')).toMatchObject({ version: '1.19.0', shadowedBy: 'marketplace' });
    expect(by('tag', 'plugins')?.vcs).toBe('.git');
    expect(by('news', 'marketplace')).toMatchObject({ version: null });
    expect(by('news', 'marketplace')?.problem).toMatch(/version unknown: .*computed at run time/);
    expect(by('fields-master', 'marketplace')).toMatchObject({ invalidKey: true });
    expect(by('fields-master', 'marketplace')?.problem).toMatch(/not a valid plugin key/);
    expect(by('broken', 'plugins')?.problem).toBe('no setup.php in this folder');
  });

  it('offers only strictly newer compatible versions, and says why not otherwise', async () => {
    const info = await detectInstance(fakeGlpi(), nodeFileSystem);
    const list = withUpdates(await readInventory(info, nodeFileSystem), catalogue, ctx);
    const by = (key: string, location: string) => list.find((p) => p.key === key && p.location === location);
    expect(by('fields', 'marketplace')).toMatchObject({ update: '1.21.10', updateBlocked: null });
    expect(by('fields', 'plugins')).toMatchObject({ update: null });
    expect(by('fields', 'plugins')?.updateBlocked).toMatch(/loads the copy in marketplace/);
    expect(by('tag', 'plugins')).toMatchObject({ update: null });
    expect(by('tag', 'plugins')?.updateBlocked).toMatch(/\.git checkout/);
    expect(by('news', 'marketplace')?.updateBlocked).toMatch(/installed version is unknown/);
    expect(by('metabase', 'marketplace')).toMatchObject({ update: null, updateBlocked: 'Needs Standard' });
    // 2.9.10 > 2.9.9 by version_compare, though "2.9.10" < "2.9.9" as strings.
    expect(by('escalade', 'plugins')).toMatchObject({ update: '2.9.10' });
  });

  it('offers no downgrade and no update when the marketplace folder is not writable', async () => {
    const info = await detectInstance(fakeGlpi(), nodeFileSystem);
    const older = withUpdates(await readInventory(info, nodeFileSystem), [plugin('fields', ['1.20.0'])], ctx);
    expect(older.find((p) => p.key === 'fields' && p.location === 'marketplace')).toMatchObject({
      update: null,
      updateBlocked: null,
    });
    const locked = withUpdates(await readInventory(info, nodeFileSystem), catalogue, {
      ...ctx,
      marketplaceWritable: false,
    });
    expect(locked.find((p) => p.key === 'fields' && p.location === 'marketplace')?.updateBlocked).toMatch(
      /not writable/,
    );
  });

  it('says when a newer version exists but not for this GLPI', async () => {
    const info = await detectInstance(fakeGlpi(), nodeFileSystem);
    const eleven = plugin('fields', ['1.21.0', '1.22.0']);
    eleven.versions[1] = { num: '1.22.0', compatibility: ['~11.0.0'], stability: 'stable' };
    const list = withUpdates(await readInventory(info, nodeFileSystem), [eleven], ctx);
    expect(list.find((p) => p.key === 'fields' && p.location === 'marketplace')?.updateBlocked).toBe(
      'no newer version is compatible with GLPI 10.0.18',
    );
  });
});
