import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../adapters/node-file-system';
import { detectInstance, extractGlpiVersion } from './glpi-instance';
import type { FileSystem } from './ports';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'glpi-instance-'));
  temps.push(d);
  return d;
}

/** Writes files (path → content) and empty folders (path ending in '/') under a new temp dir. */
function tree(entries: Record<string, string>, base = tempDir()): string {
  for (const [rel, content] of Object.entries(entries)) {
    const p = join(base, rel);
    if (rel.endsWith('/')) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
  return base;
}

function fsError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

const HEADER = `<?php

/**
 * ---------------------------------------------------------------------
 * GLPI - Gestionnaire Libre de Parc Informatique
 * ---------------------------------------------------------------------
 */
`;

const define95 = `${HEADER}
// Current version of GLPI
define('GLPI_VERSION', '9.5.3');
if (substr(GLPI_VERSION, -4) === '-dev') {
   //for dev version
   define('GLPI_PREVER', str_replace('-dev', '', GLPI_VERSION));
   define("GLPI_SCHEMA_VERSION", GLPI_PREVER . '@' . sha1_file(GLPI_ROOT . '/install/mysql/glpi-empty.sql'));
} else {
   //for stable version
   define("GLPI_SCHEMA_VERSION", '9.5.3');
}
define('GLPI_MIN_PHP', '7.2.0'); // Must also be changed in top of index.php
`;

const define100 = (v: string) => `${HEADER}
use Glpi\\SocketModel;

// Old releases said: define('GLPI_VERSION', '9.0.0');
/* define('GLPI_VERSION', '1.2.3'); */
// Current version of GLPI
define('GLPI_VERSION', '${v}');

$schema_file = sprintf('%s/install/mysql/glpi-empty.sql', GLPI_ROOT);
define(
    "GLPI_SCHEMA_VERSION",
    GLPI_VERSION . (is_readable($schema_file) ? '@' . sha1_file($schema_file) : '')
);
define('GLPI_MIN_PHP', '7.4.0');
define('GLPI_MAX_PHP', '8.4.0');
`;

const constants11 = (v: string) => `${HEADER}
use function Safe\\define;
use function Safe\\preg_replace;
use function Safe\\sha1_file;

define('GLPI_ROOT', dirname(__DIR__, 2));

// Current version of GLPI
define('GLPI_VERSION', '${v}');
define("GLPI_MIN_PHP", "8.2.0");
`;

function glpi95(extra: Record<string, string> = {}): string {
  return tree({
    'inc/define.php': define95,
    'inc/plugin.class.php': '<?php class Plugin {}',
    'inc/based_config.php': '<?php',
    'config/config_db.php': '<?php class DB extends DBmysql {}',
    'marketplace/': '',
    'plugins/': '',
    ...extra,
  });
}

function glpi100(version = '10.0.18', extra: Record<string, string> = {}): string {
  return tree({
    'inc/define.php': define100(version),
    'src/Plugin.php': '<?php class Plugin {}',
    'config/': '',
    'marketplace/': '',
    'plugins/': '',
    [`version/${version.replace(/-.*/, '')}`]: '{"algorithm":"CRC32c","files":{}}',
    ...extra,
  });
}

function glpi11(version = '11.0.1', extra: Record<string, string> = {}): string {
  return tree({
    'src/autoload/constants.php': constants11(version),
    'src/Plugin.php': '<?php class Plugin {}',
    'public/index.php': '<?php',
    'config/': '',
    'marketplace/': '',
    'plugins/': '',
    [`version/${version.replace(/-.*/, '')}`]: '{"algorithm":"CRC32c","files":{}}',
    ...extra,
  });
}

describe('detectInstance: version and release line', () => {
  it('reads a 9.5 tree from inc/define.php, ignoring the schema defines', async () => {
    const root = glpi95();
    const info = await detectInstance(root, nodeFileSystem);
    expect(info).toMatchObject({
      root,
      version: '9.5.3',
      versionSource: 'inc/define.php (GLPI_VERSION)',
      crossCheck: null,
      line: '9.5',
      installMode: 'TARBALL',
      marketplaceDir: join(root, 'marketplace'),
      pluginsDirs: [join(root, 'marketplace'), join(root, 'plugins')],
      marketplaceWritable: true,
      configDir: join(root, 'config'),
      varDir: join(root, 'files'),
      overrides: [],
    });
    expect(info.problems).toEqual([]);
  });

  it('reads a 10.0 tree past the use import and the commented-out defines, cross-checked with version/', async () => {
    const root = glpi100('10.0.18');
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.version).toBe('10.0.18');
    expect(info.line).toBe('10.0');
    expect(info.crossCheck).toEqual({ file: 'version/10.0.18', version: '10.0.18', agrees: true });
    expect(info.problems).toEqual([]);
  });

  it('reads a GLPI 11 tree from src/autoload/constants.php', async () => {
    const root = glpi11('11.0.1');
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.version).toBe('11.0.1');
    expect(info.versionSource).toBe('src/autoload/constants.php (GLPI_VERSION)');
    expect(info.line).toBe('11');
    expect(info.crossCheck).toEqual({ file: 'version/11.0.1', version: '11.0.1', agrees: true });
    expect(info.problems).toEqual([]);
  });

  it('compares the version/ file with the normalised version (11.0.0-rc1 ↔ version/11.0.0)', async () => {
    const info = await detectInstance(glpi11('11.0.0-rc1'), nodeFileSystem);
    expect(info.version).toBe('11.0.0-rc1');
    expect(info.crossCheck).toEqual({ file: 'version/11.0.0', version: '11.0.0', agrees: true });
  });

  it('reports a define/version-folder mismatch', async () => {
    const root = glpi100('10.0.18', { 'version/': '' });
    rmSync(join(root, 'version', '10.0.18'));
    writeFileSync(join(root, 'version', '10.0.17'), '{}');
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.version).toBe('10.0.18');
    expect(info.crossCheck).toEqual({ file: 'version/10.0.17', version: '10.0.17', agrees: false });
    expect(info.problems.join('\n')).toMatch(/says 10\.0\.18 but version\/ says 10\.0\.17/);
  });

  it('reports leftovers when version/ holds several files', async () => {
    // A newer leftover too: the file matching GLPI_VERSION is the one reported.
    const root = glpi100('10.0.18', { 'version/10.0.9': '{}', 'version/10.0.20': '{}' });
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.crossCheck).toEqual({ file: 'version/10.0.18', version: '10.0.18', agrees: false });
    expect(info.problems).toEqual([
      'version/ holds 3 files (10.0.9, 10.0.18, 10.0.20): files of an older release were left behind',
    ]);
  });

  it('falls back to the hidden .version/ folder of early 10.0 releases', async () => {
    const root = tree({ 'inc/define.php': define100('10.0.3'), 'src/Plugin.php': '<?php', '.version/10.0.3': '' });
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.crossCheck).toEqual({ file: '.version/10.0.3', version: '10.0.3', agrees: true });
  });

  it('flags an 11 tree that still carries inc/define.php, and a version outside the supported lines', async () => {
    const r11 = glpi11('11.0.1', { 'inc/define.php': define100('10.0.18') });
    const i11 = await detectInstance(r11, nodeFileSystem);
    expect(i11.version).toBe('11.0.1');
    expect(i11.problems).toEqual(['inc/define.php is also present: a leftover of a release older than 11?']);

    const r94 = tree({ 'inc/define.php': define95.replaceAll('9.5.3', '9.4.6'), 'inc/plugin.class.php': '<?php' });
    const i94 = await detectInstance(r94, nodeFileSystem);
    expect(i94.version).toBe('9.4.6');
    expect(i94.line).toBe('unknown');
    expect(i94.problems[0]).toBe('GLPI 9.4.6 is not one of the supported release lines (9.5, 10.0, 11)');
  });

  it('says plainly when the folder is not a GLPI folder', async () => {
    const root = tree({ 'index.html': '<html></html>', 'config/': '' });
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.version).toBeNull();
    expect(info.line).toBe('unknown');
    expect(info.problems).toEqual(['not a GLPI folder: neither inc/define.php nor src/autoload/constants.php exists']);
  });

  it('says when the folder does not exist', async () => {
    const info = await detectInstance(join(tempDir(), 'nope'), nodeFileSystem);
    expect(info.version).toBeNull();
    expect(info.problems[0]).toMatch(/does not exist/);
  });

  it('reports an unreadable inc/define.php (EACCES through the fs port) and still infers the line', async () => {
    const root = glpi100('10.0.18');
    const fs: FileSystem = {
      ...nodeFileSystem,
      readText: (p) =>
        p === join(root, 'inc', 'define.php') ? Promise.reject(fsError('EACCES')) : nodeFileSystem.readText(p),
    };
    const info = await detectInstance(root, fs);
    expect(info.version).toBeNull();
    expect(info.versionSource).toBe('inc/define.php (unreadable)');
    expect(info.line).toBe('10.0');
    expect(info.crossCheck).toEqual({ file: 'version/10.0.18', version: '10.0.18', agrees: false });
    expect(info.problems).toContain(
      'cannot read inc/define.php, so the GLPI version is unknown: permission denied (EACCES)',
    );
  });

  it('does not take a computed GLPI_VERSION as a version', () => {
    expect(extractGlpiVersion(`<?php define('GLPI_VERSION', '10.0.' . PATCH);`)).toEqual({
      unresolved: `define('GLPI_VERSION', '10.0.' . PATCH)`,
    });
    expect(extractGlpiVersion(`<?php const GLPI_VERSION = "11.0.2";`)).toEqual({ version: '11.0.2' });
    expect(extractGlpiVersion(`<?php # define('GLPI_VERSION', '1.0.0');`)).toBeNull();
  });
});

describe('detectInstance: install mode', () => {
  it('is GIT when .git is a folder', async () => {
    const info = await detectInstance(glpi100('10.0.18', { '.git/HEAD': 'ref: refs/heads/main\n' }), nodeFileSystem);
    expect(info.installMode).toBe('GIT');
  });

  it('is TARBALL when .git is a file (worktree/submodule)', async () => {
    const info = await detectInstance(glpi100('10.0.18', { '.git': 'gitdir: ../.git/modules/glpi\n' }), nodeFileSystem);
    expect(info.installMode).toBe('TARBALL');
  });

  it('takes GLPI_INSTALL_MODE from inc/downstream.php over the .git check', async () => {
    const root = glpi100('10.0.18', {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'inc/downstream.php': `<?php\ndefine('GLPI_INSTALL_MODE', 'RPM');\n`,
    });
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.installMode).toBe('RPM');
    expect(info.overrides).toEqual([{ name: 'GLPI_INSTALL_MODE', value: 'RPM', file: 'inc/downstream.php' }]);
  });
});

describe('detectInstance: overrides', () => {
  it('follows a packaged layout: inc/downstream.php → /etc/glpi and its local_define.php', async () => {
    const etc = tempDir(); // stands for /etc/glpi
    const varLib = tempDir(); // stands for /var/lib/glpi
    tree({ 'plugins/': '', 'files/': '' }, varLib);
    tree(
      {
        'local_define.php': `<?php
define('GLPI_VAR_DIR', '${varLib}/files');
define('GLPI_LOG_DIR', '/var/log/glpi');
define('GLPI_MARKETPLACE_DIR', '${varLib}/plugins');
`,
      },
      etc,
    );
    const root = glpi11('11.0.1', {
      'inc/downstream.php': `<?php
define('GLPI_CONFIG_DIR', '${etc}');

if (file_exists(GLPI_CONFIG_DIR . '/local_define.php')) {
    require_once GLPI_CONFIG_DIR . '/local_define.php';
}
define('GLPI_MARKETPLACE_DIR', '/ignored/because/already/defined');
`,
    });
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.configDir).toBe(etc);
    expect(info.varDir).toBe(join(varLib, 'files'));
    expect(info.marketplaceDir).toBe(join(varLib, 'plugins'));
    expect(info.pluginsDirs).toEqual([join(varLib, 'plugins'), join(root, 'plugins')]);
    expect(info.marketplaceWritable).toBe(true);
    expect(info.overrides).toEqual([
      { name: 'GLPI_CONFIG_DIR', value: etc, file: 'inc/downstream.php' },
      { name: 'GLPI_VAR_DIR', value: `${varLib}/files`, file: join(etc, 'local_define.php') },
      { name: 'GLPI_LOG_DIR', value: '/var/log/glpi', file: join(etc, 'local_define.php') },
      { name: 'GLPI_MARKETPLACE_DIR', value: `${varLib}/plugins`, file: join(etc, 'local_define.php') },
    ]);
    expect(info.problems).toEqual([]);
  });

  it('skips a file_exists-guarded include that is absent, and reports a missing config folder', async () => {
    const etc = join(tempDir(), 'glpi'); // never created
    const root = glpi100('10.0.18', {
      'inc/downstream.php': `<?php
define('GLPI_CONFIG_DIR', '${etc}');
if (file_exists(GLPI_CONFIG_DIR . '/local_define.php')) {
   require_once GLPI_CONFIG_DIR . '/local_define.php';
}
`,
    });
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.configDir).toBe(etc);
    expect(info.problems).toEqual([`the config folder ${etc} does not exist`]);
  });

  it('moves the marketplace with config/local_define.php (GLPI_ROOT and __DIR__ forms); first definition wins', async () => {
    const root = glpi100('10.0.18', {
      'config/local_define.php': `<?php
define('GLPI_MARKETPLACE_DIR', GLPI_ROOT . '/../glpi-marketplace');
define('PLUGINS_DIRECTORIES', [
    GLPI_MARKETPLACE_DIR,
    __DIR__ . '/../plugins',
    '/opt/glpi-extra-plugins',
]);
`,
      'inc/downstream.php': `<?php\ndefined('GLPI_MARKETPLACE_DIR') or define('GLPI_MARKETPLACE_DIR', '/srv/other');\n`,
    });
    const moved = join(dirname(root), 'glpi-marketplace');
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.marketplaceDir).toBe(moved);
    expect(info.pluginsDirs).toEqual([moved, join(root, 'plugins'), '/opt/glpi-extra-plugins']);
    expect(info.overrides.map((o) => [o.name, o.file])).toEqual([
      ['GLPI_MARKETPLACE_DIR', 'config/local_define.php'],
      ['PLUGINS_DIRECTORIES', 'config/local_define.php'],
    ]);
    expect(info.overrides[1]!.value).toBe(
      JSON.stringify([`${root}/../glpi-marketplace`, `${join(root, 'config')}/../plugins`, '/opt/glpi-extra-plugins']),
    );
    // The moved folder does not exist here, so it cannot be written to.
    expect(info.marketplaceWritable).toBe(false);
    expect(info.problems).toEqual([`the marketplace folder ${moved} does not exist`]);
  });

  it('uses GLPI_PLUGINS_DIRECTORIES on 11 and says it is ignored on 10.0', async () => {
    const local = `<?php\ndefine('GLPI_PLUGINS_DIRECTORIES', ['/srv/a', GLPI_ROOT . '/plugins']);\n`;
    const r11 = glpi11('11.0.1', { 'config/local_define.php': local });
    const i11 = await detectInstance(r11, nodeFileSystem);
    expect(i11.pluginsDirs).toEqual(['/srv/a', join(r11, 'plugins')]);
    expect(i11.problems).toEqual([]);

    const r10 = glpi100('10.0.18', { 'config/local_define.php': local });
    const i10 = await detectInstance(r10, nodeFileSystem);
    expect(i10.pluginsDirs).toEqual([join(r10, 'marketplace'), join(r10, 'plugins')]);
    expect(i10.problems).toEqual(['GLPI_PLUGINS_DIRECTORIES has no effect before GLPI 11 (config/local_define.php)']);
  });

  it('treats an if (!defined(X)) guard around define(X) as plain, and warns about PLUGINS_DIRECTORIES on 11', async () => {
    const root = glpi11('11.0.1', {
      'config/local_define.php': `<?php
if (!defined('GLPI_MARKETPLACE_DIR')) {
    define('GLPI_MARKETPLACE_DIR', '/srv/glpi/marketplace');
}
define('PLUGINS_DIRECTORIES', [GLPI_MARKETPLACE_DIR, GLPI_ROOT . '/plugins']);
`,
    });
    const info = await detectInstance(root, { ...nodeFileSystem, access: () => Promise.resolve(true) });
    expect(info.marketplaceDir).toBe('/srv/glpi/marketplace');
    expect(info.pluginsDirs).toEqual(['/srv/glpi/marketplace', join(root, 'plugins')]);
    expect(info.problems).toEqual([
      'PLUGINS_DIRECTORIES is deprecated in GLPI 11 (use GLPI_PLUGINS_DIRECTORIES)',
      'the marketplace folder /srv/glpi/marketplace does not exist',
    ]);
  });

  it('lists what needs PHP as unresolved instead of guessing', async () => {
    const root = glpi100('10.0.18', {
      'config/local_define.php': `<?php
define('GLPI_VAR_DIR', getenv('GLPI_VAR_DIR') ?: '/var/lib/glpi');
define('GLPI_MARKETPLACE_DIR', $base . '/marketplace');
define('GLPI_LOG_DIR', "/var/log/$site");
if (PHP_SAPI === 'cli') {
    define('GLPI_CACHE_DIR', '/tmp/glpi-cache');
}
define('GLPI_USER_AGENT_EXTRA_COMMENTS', 'acme');
`,
    });
    const info = await detectInstance(root, nodeFileSystem);
    expect(info.overrides).toEqual([
      { name: 'GLPI_USER_AGENT_EXTRA_COMMENTS', value: 'acme', file: 'config/local_define.php' },
    ]);
    expect(info.marketplaceDir).toBe(join(root, 'marketplace'));
    expect(info.varDir).toBeNull();
    const text = info.problems.join('\n');
    expect(text).toContain(
      "config/local_define.php: GLPI_VAR_DIR is set by `define('GLPI_VAR_DIR', getenv('GLPI_VAR_DIR') ?: '/var/lib/glpi')`",
    );
    expect(text).toContain("GLPI_MARKETPLACE_DIR is set by `define('GLPI_MARKETPLACE_DIR', $base . '/marketplace')`");
    expect(text).toContain('GLPI_LOG_DIR is set by');
    expect(text).toContain("only runs when `PHP_SAPI === 'cli'`");
    expect(text).toContain('GLPI_MARKETPLACE_DIR cannot be known without running PHP');
  });

  it('reports an unreadable local_define.php instead of ignoring it', async () => {
    const root = glpi100('10.0.18', { 'config/local_define.php': `<?php define('GLPI_VAR_DIR', '/x');` });
    const fs: FileSystem = {
      ...nodeFileSystem,
      readText: (p) =>
        p.endsWith('local_define.php') ? Promise.reject(fsError('EACCES')) : nodeFileSystem.readText(p),
    };
    const info = await detectInstance(root, fs);
    expect(info.overrides).toEqual([]);
    expect(info.problems).toEqual(['cannot read config/local_define.php: permission denied (EACCES)']);
  });
});

describe('detectInstance: marketplace writability', () => {
  it('reports a marketplace folder that is not writable (EACCES through the fs port)', async () => {
    const root = glpi100('10.0.18');
    const seen: [string, string][] = [];
    const fs: FileSystem = {
      ...nodeFileSystem,
      access: (p, need) => {
        seen.push([p, need]);
        return Promise.resolve(false);
      },
    };
    const info = await detectInstance(root, fs);
    expect(seen).toEqual([[join(root, 'marketplace'), 'write']]);
    expect(info.marketplaceWritable).toBe(false);
    expect(info.problems).toEqual([
      `the marketplace folder ${join(root, 'marketplace')} is not writable: permission denied (EACCES)`,
    ]);
  });

  it('is writable for a real folder with the default fs', async () => {
    const info = await detectInstance(glpi100('10.0.18'), nodeFileSystem);
    expect(info.marketplaceWritable).toBe(true);
  });
});
