import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../adapters/node-file-system';
import { detectInstance } from './glpi-instance';
import { readInventory } from './inventory';
import { fakeGlpi, fakeGlpi11 } from './testing-glpi.testkit';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const glpi11 = (localDefine = '') => {
  const r = fakeGlpi11(localDefine);
  roots.push(r);
  return r;
};

describe('detectInstance: GLPI 11 as SystemConfigurator computes it', () => {
  it('finds the public/ web root, the defaults of the marketplace mode and the GLPI Network API', async () => {
    const root = glpi11();
    const info = await detectInstance(root, nodeFileSystem);
    expect(info).toMatchObject({
      line: '11',
      webRoot: join(root, 'public'),
      marketplaceEnable: { value: 3, source: 'default' },
      networkApiUrl: { value: 'https://services.glpi-network.com/api', overridden: false, source: 'default' },
      pluginsDirs: [join(root, 'marketplace'), join(root, 'plugins')],
      problems: [],
    });
    expect(info.notes.join(' ')).toMatch(/web server's environment .*cannot be seen/);
  });

  it('reads GLPI_PLUGINS_DIRECTORIES, GLPI_MARKETPLACE_ENABLE and GLPI_NETWORK_API_URL from local_define.php', async () => {
    const root = glpi11(
      [
        "define('GLPI_PLUGINS_DIRECTORIES', [GLPI_ROOT . '/plugins', GLPI_ROOT . '/marketplace', GLPI_ROOT . '/plugins']);",
        "define('GLPI_MARKETPLACE_ENABLE', 1);",
        "define('GLPI_NETWORK_API_URL', 'https://proxy.example.org/glpi-network/api');",
      ].join('\n'),
    );
    const info = await detectInstance(root, nodeFileSystem);
    // Duplicates dropped as array_unique() does; the order is GLPI's priority.
    expect(info.pluginsDirs).toEqual([join(root, 'plugins'), join(root, 'marketplace')]);
    expect(info.marketplaceEnable).toEqual({ value: 1, source: 'config/local_define.php' });
    expect(info.networkApiUrl).toEqual({
      value: 'https://proxy.example.org/glpi-network/api',
      overridden: true,
      source: 'config/local_define.php (GLPI_NETWORK_API_URL)',
    });
    // plugins/ now comes first: GLPI loads that copy, the marketplace one is shadowed.
    const inventory = await readInventory(info, nodeFileSystem);
    const fields = inventory.filter((p) => p.key === 'fields');
    expect(fields.map((p) => [p.location, p.version, p.shadowedBy])).toEqual([
      ['plugins', '1.21.0', null],
      ['marketplace', '1.22.0', 'plugins'],
    ]);
  });

  it('keeps the first definition: local_define.php before inc/downstream.php, GLPI_PLUGINS_DIRECTORIES before PLUGINS_DIRECTORIES', async () => {
    const root = glpi11(
      "define('PLUGINS_DIRECTORIES', [GLPI_ROOT . '/plugins']);\ndefine('GLPI_MARKETPLACE_ENABLE', 2);",
    );
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(root, 'inc'), { recursive: true });
    writeFileSync(
      join(root, 'inc/downstream.php'),
      "<?php\ndefine('GLPI_PLUGINS_DIRECTORIES', ['/usr/share/glpi/marketplace']);\ndefine('GLPI_MARKETPLACE_ENABLE', 0);\n",
    );
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.pluginsDirs).toEqual(['/usr/share/glpi/marketplace']);
    expect(info.marketplaceEnable).toEqual({ value: 2, source: 'config/local_define.php' });
  });

  it('follows a moved GLPI_NETWORK_SERVICES into the API URL, and reports a marketplace mode it cannot read', async () => {
    const root = glpi11(
      "define('GLPI_NETWORK_SERVICES', 'https://mirror.example.org/');\ndefine('GLPI_MARKETPLACE_ENABLE', getenv('MP'));",
    );
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.networkApiUrl).toMatchObject({ value: 'https://mirror.example.org/api', overridden: true });
    expect(info.marketplaceEnable).toEqual({ value: null, source: 'config/local_define.php' });
    expect(info.problems.join(' ')).toMatch(/GLPI_MARKETPLACE_ENABLE.*cannot be evaluated/);
  });

  it('says when GLPI 11 has no public/index.php', async () => {
    const root = glpi11();
    rmSync(join(root, 'public'), { recursive: true });
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.webRoot).toBeNull();
    expect(info.problems.join(' ')).toMatch(/public as its web root, but it has no index\.php/);
  });
});

describe('detectInstance: GLPI 10.0', () => {
  it('has no web root, reads PLUGINS_DIRECTORIES only, and builds the API URL from GLPI_NETWORK_SERVICES', async () => {
    const root = fakeGlpi();
    roots.push(root);
    const info = await detectInstance(root, nodeFileSystem);
    expect(info).toMatchObject({
      line: '10.0',
      webRoot: null,
      marketplaceEnable: { value: 3, source: 'default' },
      networkApiUrl: { value: 'https://services.glpi-network.com/api', overridden: false },
    });
    // The default order: marketplace/ first, so its fields wins over plugins/fields.
    const fields = (await readInventory(info, nodeFileSystem)).filter((p) => p.key === 'fields');
    expect(fields.map((p) => [p.location, p.shadowedBy])).toEqual([
      ['marketplace', null],
      ['plugins', 'marketplace'],
    ]);
  });
});
