/** Test support: fake GLPI trees on disk. Not imported by production code. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A setup.php in the most common style (constants, plugin_version_<key>() with requirements). */
export function setupPhp(key: string, version: string, extra = ''): string {
  return `<?php
define('PLUGIN_${key.toUpperCase()}_VERSION', '${version}');
define('PLUGIN_${key.toUpperCase()}_MIN_GLPI', '10.0.0');
define('PLUGIN_${key.toUpperCase()}_MAX_GLPI', '10.0.99');
${extra}
function plugin_version_${key}() {
   return [
      'name'         => '${key[0]?.toUpperCase()}${key.slice(1)}',
      'version'      => PLUGIN_${key.toUpperCase()}_VERSION,
      'requirements' => ['glpi' => ['min' => PLUGIN_${key.toUpperCase()}_MIN_GLPI, 'max' => PLUGIN_${key.toUpperCase()}_MAX_GLPI]],
   ];
}
`;
}

/** Trees made by this process and not removed yet: removed when it exits (see {@link glpiTree}). */
const made = new Set<string>();
process.once('exit', () => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

/**
 * A temporary folder (named from `prefix`) holding `files`: path in the tree → content. Removed
 * when this process exits, if the test did not remove it (e2e specs hand trees to the app and
 * leave them: hundreds of folders piled up in /tmp over a day of runs).
 */
export function glpiTree(prefix: string, files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  made.add(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** What makes a folder a GLPI 10.0.18 tree, without any plugin. */
export const GLPI10_CORE_FILES: Readonly<Record<string, string>> = {
  'inc/define.php': "<?php\ndefine('GLPI_VERSION', '10.0.18');\n",
  'src/Plugin.php': '<?php class Plugin {}',
  'version/10.0.18': '',
  'config/config_db.php': '<?php',
};

/** A GLPI 10.0.18 tree with the usual mix of plugin folders. */
export function fakeGlpi(): string {
  const root = glpiTree('md-glpi-', {
    ...GLPI10_CORE_FILES,
    'marketplace/fields/setup.php': setupPhp('fields', '1.21.0'),
    'plugins/fields/setup.php': setupPhp('fields', '1.19.0'), // shadowed by marketplace/
    'plugins/tag/setup.php': setupPhp('tag', '2.9.0'),
    'marketplace/news/setup.php':
      "<?php\ndefine('PLUGIN_NEWS_VERSION', trim(file_get_contents(__DIR__ . '/VERSION')));\nfunction plugin_version_news() { return ['name' => 'News', 'version' => PLUGIN_NEWS_VERSION]; }\n",
    'marketplace/fields-master/setup.php': setupPhp('fields', '1.21.0'),
    'plugins/broken/README.md': 'no setup.php here',
    'marketplace/metabase/setup.php': setupPhp('metabase', '1.0.0'),
    'plugins/escalade/setup.php': setupPhp('escalade', '2.9.9'),
  });
  mkdirSync(join(root, 'plugins/tag/.git'));
  return root;
}

/**
 * A GLPI 11.0.1 tree: version in src/autoload/constants.php, the public/ web root, bin/console, and
 * config/local_define.php with `localDefine` (PHP statements) when given.
 */
export function fakeGlpi11(localDefine = ''): string {
  return glpiTree('md-glpi11-', {
    'src/autoload/constants.php': "<?php\nuse function Safe\\define;\ndefine('GLPI_VERSION', '11.0.1');\n",
    'src/Plugin.php': '<?php class Plugin {}',
    'public/index.php': '<?php',
    'bin/console': '<?php // GLPI console',
    'version/11.0.1': '',
    'config/config_db.php': '<?php',
    ...(localDefine ? { 'config/local_define.php': `<?php\n${localDefine}\n` } : {}),
    'marketplace/fields/setup.php': setupPhp('fields', '1.22.0'),
    'plugins/fields/setup.php': setupPhp('fields', '1.21.0'),
    'plugins/tag/setup.php': setupPhp('tag', '2.14.0'),
  });
}

/** Gives `path` (recursively) to an account, as root; a no-op otherwise (the sshd runs as us). */
export function chownTo(path: string, ids: { uid: number; gid: number }): void {
  if (process.getuid?.() !== 0) return;
  const r = spawnSync('chown', ['-R', `${ids.uid}:${ids.gid}`, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chown failed: ${r.stderr}`);
}

/**
 * A GLPI 10.0.18 tree (fakeGlpi's) at `<server.dir>/<name>`, owned by the account a test sshd runs
 * as (testing-sshd.testkit's `uid`/`gid`) or by `owner`.
 */
export function glpiOnServer(
  server: { dir: string; uid: number; gid: number },
  name = 'glpi',
  owner?: { uid: number; gid: number },
): string {
  const local = fakeGlpi();
  const path = join(server.dir, name);
  cpSync(local, path, { recursive: true });
  rmSync(local, { recursive: true, force: true });
  chownTo(path, owner ?? server);
  return path;
}

/** GLPI 11's console commands, as Symfony's `list --format=json` (JsonDescriptor) prints them. */
export function consoleListJson(names: readonly string[]): string {
  const command = (name: string) => ({
    name,
    hidden: false,
    usage: [name],
    description: '',
    help: '',
    definition: { arguments: {}, options: {} },
  });
  const namespaces = new Map<string, string[]>();
  for (const n of names) {
    const id = n.includes(':') ? n.slice(0, n.lastIndexOf(':')) : '_global';
    namespaces.set(id, [...(namespaces.get(id) ?? []), n]);
  }
  return JSON.stringify({
    application: { name: 'GLPI CLI', version: '11.0.1' },
    commands: names.map(command),
    namespaces: [...namespaces].map(([id, commands]) => ({ id, commands })),
  });
}

export const GLPI11_COMMANDS = [
  'list',
  'help',
  'db:update',
  'plugin:activate',
  'plugin:deactivate',
  'plugin:install',
  'plugin:list',
  'plugin:resume_execution',
  'plugin:suspend_execution',
  'plugin:uninstall',
  'marketplace:download',
];

/** One record of GLPI's ListCommand (`plugin:list --format json`). */
export interface PluginListRecord {
  key: string;
  name: string;
  version: string;
  state: string;
  install_method: 'Marketplace' | 'Manually installed';
}

/**
 * A fake `php` answering `bin/console list --format=json` and `plugin:list --format json` like GLPI 11
 * (a PHP deprecation notice first, as real consoles often print), with the exit codes given; any other
 * command echoes its arguments and exits 0. Returns the script's path.
 */
export function fakePhp(answers: {
  commands?: readonly string[] | null;
  plugins?: readonly PluginListRecord[];
  pluginListExit?: number;
  resumeExit?: number;
}): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-fakephp-'));
  const list = answers.commands === null ? 'not json' : consoleListJson(answers.commands ?? GLPI11_COMMANDS);
  writeFileSync(join(dir, 'list.json'), list);
  writeFileSync(join(dir, 'plugins.json'), JSON.stringify(answers.plugins ?? []));
  const php = join(dir, 'php');
  writeFileSync(
    php,
    `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$2" in
  list) echo "PHP Deprecated:  something in Symfony"; cat "${dir}/list.json"; exit 0 ;;
  plugin:list) [ ${answers.pluginListExit ?? 0} -ne 0 ] && { echo "The database is not up to date"; exit ${answers.pluginListExit ?? 0}; }; cat "${dir}/plugins.json"; exit 0 ;;
  plugin:resume_execution) echo "Execution of all active plugins has been resumed."; exit ${answers.resumeExit ?? 0} ;;
  *) echo "args=$*"; exit 0 ;;
esac
`,
    { mode: 0o755 },
  );
  return php;
}
