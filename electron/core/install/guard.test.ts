import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fr } from '../../../shared/messages/fr';
import { render } from '../../../shared/messages/ref';
import { nodeFileSystem } from '../../adapters/node-file-system.js';
import { nodeProcessRunner } from '../../adapters/process-runner.js';
import { inspectPluginFolders, lintStaged, type GuardInstance } from './guard.js';
import { setupPhp } from './testing-install.testkit.js';

let root: string;
let instance: GuardInstance;
const mp = () => join(root, 'marketplace');
const plugins = () => join(root, 'plugins');

/** Writes `files` (path relative to the GLPI root → content) into the test's tree. */
async function tree(files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await fsp.mkdir(join(root, path, '..'), { recursive: true });
    await fsp.writeFile(join(root, path), text);
  }
}

beforeEach(async () => {
  root = await fsp.mkdtemp(join(tmpdir(), 'md-guard-'));
  await fsp.mkdir(mp());
  await fsp.mkdir(plugins());
  // GLPI 10's default order: marketplace/ first.
  instance = { marketplaceDir: mp(), pluginsDirs: [mp(), plugins()] };
});
afterEach(() => fsp.rm(root, { recursive: true, force: true }));

const inspect = (installing?: string) =>
  inspectPluginFolders(instance, nodeFileSystem, installing ? { installing } : {});

describe('inspectPluginFolders', () => {
  it('finds nothing in clean plugin folders', async () => {
    await tree({ 'marketplace/fields/setup.php': setupPhp('fields', '1.0.0'), 'plugins/tag/setup.php': '<?php' });
    expect(await inspect('fields')).toEqual([]);
  });

  it('says which copy GLPI loads when a key is in plugins/ and marketplace/', async () => {
    await tree({
      'marketplace/fields/setup.php': setupPhp('fields', '1.21.0'),
      'plugins/fields/setup.php': setupPhp('fields', '1.19.0'),
    });
    const [f, ...rest] = await inspect('fields');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: 'duplicate', severity: 'warns', key: 'fields', path: join(plugins(), 'fields') });
    expect(f?.message).toBe(
      `fields is both in ${join(mp(), 'fields')} and in ${join(plugins(), 'fields')}: GLPI loads the copy in ${join(mp(), 'fields')} and ignores the other, whatever their versions.`,
    );
    expect(f?.fix).toContain(`Move ${join(plugins(), 'fields')} out of GLPI's plugin folders`);
    expect(render(fr, f?.refs.message, '')).toContain('GLPI charge la copie de');
  });

  it('blocks installing a key that an earlier plugins folder holds (the new copy would be ignored)', async () => {
    instance = { marketplaceDir: mp(), pluginsDirs: [plugins(), mp()] };
    await tree({
      'plugins/fields/setup.php': setupPhp('fields', '1.19.0'),
      'marketplace/fields/setup.php': setupPhp('fields', '1.21.0'),
    });
    expect(await inspect('fields')).toMatchObject([{ id: 'duplicate', severity: 'blocks' }]);
    expect(await inspect('tag')).toMatchObject([{ id: 'duplicate', severity: 'warns' }]);
  });

  it('finds a plugin unpacked one folder too deep, with the commands that move it up', async () => {
    await tree({ 'plugins/fields/fields/setup.php': setupPhp('fields', '1.0.0') });
    const [f] = await inspect();
    const path = join(plugins(), 'fields');
    expect(f).toMatchObject({ id: 'nested', severity: 'warns', key: 'fields', path });
    expect(f?.message).toContain(`${join(path, 'fields')} has one`);
    expect(f?.fix).toBe(
      `Move the inner folder up: mv ${path} ${path}.nested && mv ${path}.nested/fields ${path} && rmdir ${path}.nested`,
    );
  });

  it('finds a folder without setup.php that holds no plugin either', async () => {
    await tree({ 'plugins/broken/README.md': 'no setup.php here' });
    expect(await inspect()).toMatchObject([
      {
        id: 'no-setup-php',
        severity: 'warns',
        path: join(plugins(), 'broken'),
        fix: expect.stringContaining('Remove') as string,
      },
    ]);
  });

  it('finds folders named after a branch or a download, with the key their setup.php declares', async () => {
    await tree({
      'plugins/fields-main/setup.php': setupPhp('fields', '1.22.0-dev'),
      'marketplace/glpi-tag-2.9.0/setup.php': setupPhp('tag', '2.9.0'),
      'plugins/escalade-master/README.md': 'no setup.php',
    });
    const findings = await inspect();
    expect(findings.map((f) => [f.id, f.key, f.path])).toEqual([
      ['branch-name', 'tag', join(mp(), 'glpi-tag-2.9.0')],
      ['branch-name', 'escalade', join(plugins(), 'escalade-master')],
      ['branch-name', 'fields', join(plugins(), 'fields-main')],
    ]);
    expect(findings[2]?.fix).toBe(
      `Rename it after the plugin's key: mv ${join(plugins(), 'fields-main')} ${join(plugins(), 'fields')}`,
    );
    expect(findings[2]?.message).toContain('Cannot redeclare plugin_version_fields()');
  });

  it('blocks installing the key a branch-named folder declares, unless a folder of that name already exists', async () => {
    await tree({ 'plugins/fields-1.21.0/setup.php': setupPhp('fields', '1.21.0') });
    expect(await inspect('fields')).toMatchObject([{ id: 'branch-name', severity: 'blocks', key: 'fields' }]);
    expect(await inspect('tag')).toMatchObject([{ id: 'branch-name', severity: 'warns' }]);
    // With marketplace/fields there already, GLPI already stops on it: the update changes nothing.
    await tree({ 'marketplace/fields/setup.php': setupPhp('fields', '1.20.0') });
    const findings = await inspect('fields');
    expect(findings).toMatchObject([{ id: 'branch-name', severity: 'warns' }]);
    expect(findings[0]?.fix).toBe(
      `Move ${join(plugins(), 'fields-1.21.0')} out of GLPI's plugin folders (install fields under its own name instead).`,
    );
  });

  it('finds archives nobody unpacked, in plugins/ and marketplace/', async () => {
    await tree({
      'plugins/fields-1.21.0.tar.bz2': 'x',
      'marketplace/tag.zip': 'x',
      'marketplace/news.tgz': 'x',
      'plugins/escalade.tar.gz': 'x',
      'plugins/notes.txt': 'not an archive',
    });
    const findings = await inspect();
    expect(findings.map((f) => [f.id, f.severity, f.path])).toEqual([
      ['archive', 'warns', join(mp(), 'news.tgz')],
      ['archive', 'warns', join(mp(), 'tag.zip')],
      ['archive', 'warns', join(plugins(), 'escalade.tar.gz')],
      ['archive', 'warns', join(plugins(), 'fields-1.21.0.tar.bz2')],
    ]);
    expect(findings[1]?.fix).toBe(
      `Delete ${join(mp(), 'tag.zip')}. To install the plugin, use Marketdesk's catalogue, or unpack it so that ${mp()}/<key>/setup.php exists.`,
    );
  });

  it('finds working copies in marketplace/, blocking only the one about to be replaced', async () => {
    await tree({
      'marketplace/fields/setup.php': setupPhp('fields', '1.0.0'),
      'marketplace/fields/.git/HEAD': 'ref: refs/heads/main',
      'marketplace/tag/setup.php': setupPhp('tag', '1.0.0'),
      'marketplace/tag/.svn/entries': '12',
      'plugins/escalade/setup.php': setupPhp('escalade', '1.0.0'),
      'plugins/escalade/.hg/requires': 'store',
    });
    expect((await inspect('fields')).map((f) => [f.id, f.severity, f.key, f.message])).toEqual([
      [
        'vcs',
        'blocks',
        'fields',
        `${join(mp(), 'fields')} contains a .git folder: it looks like a working copy under development, which Marketdesk will not overwrite.`,
      ],
      [
        'vcs',
        'warns',
        'tag',
        `${join(mp(), 'tag')} contains a .svn folder: it looks like a working copy under development, which Marketdesk will not overwrite.`,
      ],
    ]);
  });

  it('skips hidden entries (Marketdesk’s own .marketdesk) and a missing plugins folder', async () => {
    await tree({ 'marketplace/.marketdesk/backups/x.zip': 'x', 'marketplace/.hidden/README': '' });
    instance = { marketplaceDir: mp(), pluginsDirs: [mp(), plugins(), join(root, 'absent')] };
    expect(await inspect()).toEqual([]);
  });
});

describe('lintStaged (php -l)', () => {
  /** A fake php: `php -d … -l FILE` fails with a parse error when FILE contains "BROKEN". */
  async function fakePhp(): Promise<string> {
    const php = join(root, 'fake-php');
    await fsp.writeFile(
      php,
      '#!/bin/sh\nfor f; do :; done\nif grep -q BROKEN "$f"; then echo "PHP Parse error:  syntax error, unexpected end of file in $f on line 3"; echo "Errors parsing $f"; exit 255; fi\necho "No syntax errors detected in $f"\n',
      { mode: 0o755 },
    );
    return php;
  }

  it('blocks on a syntax error in setup.php or hook.php, naming the file by its key', async () => {
    await tree({ 'staged/fields/setup.php': setupPhp('fields', '1.0.0'), 'staged/fields/hook.php': '<?php BROKEN' });
    const staged = join(root, 'staged', 'fields');
    const findings = await lintStaged(nodeFileSystem, staged, 'fields', {
      runner: nodeProcessRunner,
      php: await fakePhp(),
    });
    expect(findings).toMatchObject([{ id: 'php-syntax', severity: 'blocks', key: 'fields', path: 'fields/hook.php' }]);
    expect(findings[0]?.message).toBe(
      'php -l finds an error in fields/hook.php: PHP Parse error: syntax error, unexpected end of file in fields/hook.php on line 3. GLPI would stop on it as soon as it loads the plugin.',
    );
  });

  it('passes clean files, and only warns when php cannot be run', async () => {
    await tree({ 'staged/fields/setup.php': setupPhp('fields', '1.0.0') });
    const staged = join(root, 'staged', 'fields');
    expect(
      await lintStaged(nodeFileSystem, staged, 'fields', { runner: nodeProcessRunner, php: await fakePhp() }),
    ).toEqual([]);
    const missing = await lintStaged(nodeFileSystem, staged, 'fields', {
      runner: nodeProcessRunner,
      php: join(root, 'no-php'),
    });
    expect(missing).toMatchObject([{ id: 'php-unchecked', severity: 'warns', path: 'fields/setup.php' }]);
    expect(missing[0]?.message).toContain('php could not be started (ENOENT');
  });
});
