import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import { fakeGlpi, fakeGlpi11 } from '../core/testing-glpi.testkit';
import { EXIT } from './cli';
import { cliInstallation, standinPerTest } from './cli-harness.testkit';

const standin = standinPerTest();

const installation = () => cliInstallation(() => standin().url);

describe('marketdesk install --console', () => {
  it("runs GLPI's console after the files are in place, and fails with its reason", async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.standard);
    const root = fakeGlpi();
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'console'), '<?php\n');
    const php = join(mkdtempSync(join(tmpdir(), 'md-php-')), 'php8.2');
    writeFileSync(php, '#!/bin/sh\necho "ran $2 $5"\n[ "$2" = "plugin:activate" ] && exit 1\nexit 0\n', {
      mode: 0o755,
    });
    await run(['instance', 'add', root]);
    expect((await run(['config', 'console', '--php', php, '--user', 'admin', '--json'])).json()).toEqual({
      offer: false,
      php,
      user: 'admin',
    });
    const r = await run(['install', 'genericobject', '--console']);
    expect(r.err).toContain(
      `$ cd ${root} && ${php} bin/console plugin:install --no-interaction --username=admin genericobject`,
    );
    expect(r.err).toContain('ran plugin:install');
    expect(r.err).toContain('ran plugin:activate');
    expect(r.code).toBe(EXIT.other); // activate failed: said, and the exit code says it
    expect(existsSync(join(root, 'marketplace', 'genericobject', 'setup.php'))).toBe(true);
    expect((await run(['config', 'console', '--php', '/usr/bin/python3'])).code).not.toBe(EXIT.ok);
  });
});

describe('marketdesk instance and plugins', () => {
  it('shows a GLPI 11 instance: marketplace mode, its own GLPI Network API, the public/ web root', async () => {
    const run = installation();
    const root = fakeGlpi11(
      "define('GLPI_MARKETPLACE_ENABLE', 2);\ndefine('GLPI_NETWORK_API_URL', 'https://proxy.example.org/api');",
    );
    await run(['instance', 'add', root, '--name', 'next']);
    const show = await run(['instance', 'show']);
    expect(show.out).toMatch(/GLPI marketplace +web only \(2\) \(config\/local_define\.php\)/);
    expect(show.out).toMatch(
      /GLPI Network API +https:\/\/proxy\.example\.org\/api \(set in config\/local_define\.php \(GLPI_NETWORK_API_URL\)\) - differs from this profile's services URL/,
    );
    expect(show.out).toContain(`Web root`);
    expect(show.out).toContain(join(root, 'public'));
    expect(show.out).toMatch(/Note .*web server's environment/);
    const json = await run(['instance', 'show', '--json']);
    expect(json.json<{ networkApiDiffers: boolean }>().networkApiDiffers).toBe(true);
  });

  it('adds an instance, detects its GLPI version and makes it the catalogue target', async () => {
    const run = installation();
    const root = fakeGlpi();
    const added = await run(['instance', 'add', root, '--name', 'prod']);
    expect(added.code).toBe(EXIT.ok);
    expect(added.out).toMatch(/Added "prod": GLPI 10\.0\.18 \(10\.0, TARBALL\), marketplace writable/);
    const list = await run(['instance', 'list', '--json']);
    expect(list.json<{ name: string; root: string; active: boolean }[]>()).toEqual([
      expect.objectContaining({ name: 'prod', root, active: true }),
    ]);
    const show = await run(['instance', 'show', '--json']);
    expect(show.json<{ info: { version: string; versionSource: string } }>().info).toMatchObject({
      version: '10.0.18',
      versionSource: 'inc/define.php (GLPI_VERSION)',
    });
  });

  it('refuses a folder that is not GLPI, a duplicate name, and an unknown instance', async () => {
    const run = installation();
    const notGlpi = await run(['instance', 'add', '/tmp']);
    expect(notGlpi.code).toBe(EXIT.other);
    expect(notGlpi.err).toMatch(/does not look like a GLPI folder/);
    await run(['instance', 'add', fakeGlpi(), '--name', 'prod']);
    expect((await run(['instance', 'add', fakeGlpi(), '--name', 'prod'])).err).toMatch(/exists already/);
    expect((await run(['instance', 'use', 'staging'])).err).toMatch(/No instance named "staging"/);
    expect((await installation()(['plugins'])).err).toMatch(/No GLPI instance is configured/);
  });

  it('switches the active instance', async () => {
    const run = installation();
    await run(['instance', 'add', fakeGlpi(), '--name', 'a']);
    await run(['instance', 'add', fakeGlpi(), '--name', 'b']);
    expect((await run(['instance', 'use', 'b'])).code).toBe(EXIT.ok);
    const list = (await run(['instance', 'list'])).out;
    expect(list).toMatch(/^\*\s+b\s/m);
  });

  it('plugins --json: every plugin with version, location, requirements and a strictly newer update', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.basic);
    await run(['instance', 'add', fakeGlpi()]);
    const r = await run(['plugins', '--json']);
    expect(r.code).toBe(EXIT.ok);
    type Row = {
      key: string;
      name: string | null;
      version: string | null;
      problem: string | null;
      location: string;
      glpiMin: string | null;
      glpiMax: string | null;
      update: string | null;
      updateBlocked: string | null;
    };
    const rows = r.json<Row[]>();
    const fields = rows.find((p) => p.key === 'fields' && p.location === 'marketplace');
    expect(fields).toMatchObject({ name: 'Fields', version: '1.21.0', glpiMin: '10.0.0', glpiMax: '10.0.99' });
    expect(fields?.update).toMatch(/^\d+\.\d+/);
    expect(rows.find((p) => p.key === 'news')).toMatchObject({ version: null, update: null });
    expect(rows.find((p) => p.key === 'news')?.problem).toMatch(/computed at run time/);
    expect(rows.find((p) => p.key === 'metabase')?.updateBlocked).toBe('Needs Standard');
    const updates = (await run(['plugins', '--updates', '--json'])).json<Row[]>();
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((p) => p.update !== null)).toBe(true);
    expect((await run(['plugins'])).out).toMatch(/^KEY\s+NAME\s+VERSION\s+WHERE\s+GLPI\s+UPDATE\s+NOTE/);
  });
});

describe('marketdesk install, update, restore, remove, history', () => {
  it('installs, updates, restores and removes plugins in the active instance, with a history', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.basic);
    const root = fakeGlpi();
    await run(['instance', 'add', root, '--name', 'prod']);
    const version = (dir: string) => readFileSync(join(root, 'marketplace', dir, 'setup.php'), 'utf8');

    const installed = await run(['install', 'genericobject', '--json']);
    expect(installed.code).toBe(EXIT.ok);
    const report = installed.json<{ to: string; from: string | null; sha256: string }>();
    expect(report.from).toBeNull();
    expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(version('genericobject')).toContain(report.to);
    expect(standin().downloads.map((d) => d.key)).toContain('genericobject');

    const updated = await run(['update', 'fields']);
    expect(updated.code).toBe(EXIT.ok);
    expect(updated.out).toMatch(/fields 1\.21\.0 → \S+ updated/);
    expect(version('fields')).not.toContain("'1.21.0'");

    expect((await run(['restore', 'fields'])).code).toBe(EXIT.ok);
    expect(version('fields')).toContain("'1.21.0'");

    const removed = await run(['remove', 'genericobject']);
    expect(removed.code).toBe(EXIT.ok);
    expect(removed.out).toMatch(/GLPI keeps/);
    expect(existsSync(join(root, 'marketplace', 'genericobject'))).toBe(false);

    const denied = await run(['install', 'metabase']);
    expect(denied.code).toBe(EXIT.other);
    expect(denied.err).toMatch(/Needs Standard/);
    expect(standin().requests.some((r) => r.path.startsWith('/downloads/metabase/'))).toBe(false);

    const history = (await run(['history', '--json'])).json<
      { action: string; key: string; result: string; user: string }[]
    >();
    expect(history.map((h) => [h.action, h.key, h.result])).toEqual([
      ['install', 'genericobject', 'ok'],
      ['update', 'fields', 'ok'],
      ['restore', 'fields', 'ok'],
      ['remove', 'genericobject', 'ok'],
      ['update', 'metabase', 'failed'], // the fake tree has metabase 1.0.0 already
    ]);
    expect(history.every((h) => h.user.length > 0)).toBe(true);
  });

  it('a version that does not exist for this GLPI is refused before any download', async () => {
    const run = installation();
    await run(['key', 'set'], DEMO_KEYS.advanced);
    await run(['instance', 'add', fakeGlpi()]);
    const r = await run(['install', 'fields@0.0.1']);
    expect(r.code).toBe(EXIT.other);
    expect(r.err).toMatch(/Version 0\.0\.1 of fields is not available for GLPI 10\.0\.18/);
    expect(standin().requests.some((q) => q.path.startsWith('/downloads/'))).toBe(false);
  });
});

describe('marketdesk errors in the language of LANG', () => {
  it('prints an install failure and its fix in French under LANG=fr_FR.UTF-8, in English otherwise', async () => {
    const fr = cliInstallation(() => standin().url, undefined, { LANG: 'fr_FR.UTF-8' });
    await fr(['key', 'set'], DEMO_KEYS.standard);
    await fr(['instance', 'add', fakeGlpi()]);
    standin().setFaults([{ fault: { mode: 'archive-truncated' }, path: '/downloads/fields/' }]);
    const failed = await fr(['update', 'fields']);
    expect(failed.code).toBe(EXIT.other);
    expect(failed.err + failed.out).toMatch(/Le téléchargement de fields a échoué|L’archive a été refusée/);
    expect(failed.err + failed.out).toMatch(/Échec à l’étape «\s(download|extract|validate)\s»\s:/u);
    expect(failed.err + failed.out).toMatch(/Que faire\s:/u);
    expect(failed.err + failed.out).not.toContain('Fix:');

    const en = cliInstallation(() => standin().url);
    await en(['key', 'set'], DEMO_KEYS.standard);
    await en(['instance', 'add', fakeGlpi()]);
    const english = await en(['update', 'fields']);
    expect(english.err + english.out).toContain('Fix:');
    expect(english.err + english.out).not.toContain('Que faire');
  });
});
