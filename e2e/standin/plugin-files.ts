/**
 * The files of a plugin release archive, written the way real plugins write them
 * (`docs/setup-php-patterns.md`): one top directory named after the key, a `setup.php` whose
 * `plugin_version_<key>()` returns the catalogue version, plus `hook.php`, `README.md`, a locale
 * and an `inc/` class. Four `setup.php` styles (chosen by key) cover the common patterns a static
 * reader meets: constants with MIN/MAX GLPI constants, Infotel-style literals with a commented-out
 * old define, a literal version with a legacy `minGlpiVersion`, and guarded defines next to other
 * `*_VERSION` constants.
 */
import { hashSeed } from './catalog-data';
import type { StandinPlugin, StandinVersion } from './catalog-types';
import { glpiBounds } from './compat';
import { incompressible, REAL_SHAPES, sourceTree, treeEntries, type SourceShape } from './source-tree';

export { incompressible };

export interface ArchiveEntry {
  /** Relative path; directories end with `/`. */
  path: string;
  type: 'file' | 'dir';
  data: Buffer;
  /** 0o644 for files, 0o755 for directories. */
  mode: number;
  mtime: Date;
}

export interface PluginFilesOptions {
  /** Top directory; default: the key. */
  top?: string;
  /** The version written in setup.php; default: the catalogue num. */
  fileVersion?: string;
  /** Bytes of incompressible data added as `data/padding.bin` (0: none). */
  padding?: number;
  /**
   * The body of a real release (`source-tree.ts`): by default the real shape of the key where
   * {@link REAL_SHAPES} has one, else none; `null` for none.
   */
  source?: SourceShape | null;
  /**
   * How many times this version was republished in place (0: the original archive): each edition
   * adds a line to README.md, so the same version comes with other bytes.
   */
  edition?: number;
}

export type SetupStyle = 'teclib' | 'infotel' | 'literal' | 'guarded';
const STYLES: readonly SetupStyle[] = ['teclib', 'infotel', 'literal', 'guarded'];

export function setupStyleOf(key: string): SetupStyle {
  return STYLES[hashSeed(key) % STYLES.length] ?? 'teclib';
}

/** A PHP single-quoted string literal. */
function q(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A PHP double-quoted string literal. */
function qq(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$')}"`;
}

function twoPart(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) return version;
  if (m[3] === '99') return `${m[1]}.${Number(m[2]) + 1}`;
  return m[3] === '0' ? `${m[1]}.${m[2]}` : version;
}

function header(plugin: StandinPlugin, year: string): string {
  const author = plugin.authors.map((a) => a.name).join(', ') || 'Unknown';
  return [
    '/**',
    ' * -------------------------------------------------------------------------',
    ` * ${plugin.name} plugin for GLPI`,
    ' * -------------------------------------------------------------------------',
    ' *',
    ' * LICENSE',
    ' *',
    ` * This file is part of ${plugin.name}.`,
    ' *',
    ` * ${plugin.name} is free software; you can redistribute it and/or modify`,
    ' * it under the terms of the GNU General Public License as published by',
    ' * the Free Software Foundation; either version 2 of the License, or',
    ' * (at your option) any later version.',
    ' * -------------------------------------------------------------------------',
    ` * @copyright Copyright (C) 2015-${year} by ${author}.`,
    ` * @license   ${plugin.license} https://www.gnu.org/licenses/gpl-2.0.html`,
    ` * @link      ${plugin.homepage_url}`,
    ' * -------------------------------------------------------------------------',
    ' */',
  ].join('\n');
}

export function setupPhp(plugin: StandinPlugin, version: StandinVersion, fileVersion = version.num): string {
  const key = plugin.key;
  const K = key.toUpperCase();
  const bounds = glpiBounds(version.compatibility);
  const min = bounds.min ?? '9.5.0';
  const max = bounds.max ?? '11.0.99';
  const author = plugin.authors.map((a) => a.name).join(', ') || 'Unknown';
  const year = version.date.slice(0, 4);
  const init = [
    `function plugin_init_${key}()`,
    '{',
    '    global $PLUGIN_HOOKS;',
    '',
    `    $PLUGIN_HOOKS['csrf_compliant'][${q(key)}] = true;`,
    `    $PLUGIN_HOOKS['config_page'][${q(key)}] = 'front/config.form.php';`,
    '',
    `    Plugin::registerClass(${q(`Plugin${key[0]?.toUpperCase() ?? ''}${key.slice(1)}Config`)}, ['addtabon' => 'Config']);`,
    '}',
  ].join('\n');
  const checks = [
    `function plugin_${key}_check_prerequisites()`,
    '{',
    '    return true;',
    '}',
    '',
    `function plugin_${key}_check_config($verbose = false)`,
    '{',
    '    if ($verbose) {',
    `        echo __('Installed / not configured', ${q(key)});`,
    '    }',
    '    return true;',
    '}',
  ].join('\n');

  switch (setupStyleOf(key)) {
    case 'teclib':
      return [
        '<?php',
        '',
        header(plugin, year),
        '',
        'use Glpi\\Plugin\\Hooks;',
        '',
        `define('PLUGIN_${K}_VERSION', ${q(fileVersion)});`,
        '',
        '// Minimal GLPI version, inclusive',
        `define('PLUGIN_${K}_MIN_GLPI', ${q(min)});`,
        '// Maximum GLPI version, exclusive',
        `define('PLUGIN_${K}_MAX_GLPI', ${q(max)});`,
        '',
        '/**',
        ' * Init hooks of the plugin.',
        ' * REQUIRED',
        ' *',
        ' * @return void',
        ' */',
        init,
        '',
        '/**',
        ' * Get the name and the version of the plugin',
        ' * REQUIRED',
        ' *',
        ' * @return array',
        ' */',
        `function plugin_version_${key}()`,
        '{',
        '    return [',
        `        'name'         => ${q(plugin.name)},`,
        `        'version'      => PLUGIN_${K}_VERSION,`,
        `        'author'       => ${q(`<a href="${plugin.homepage_url}">${author}</a>`)},`,
        `        'license'      => ${q(plugin.license)},`,
        `        'homepage'     => ${q(plugin.homepage_url)},`,
        `        'requirements' => [`,
        `            'glpi' => [`,
        `                'min' => PLUGIN_${K}_MIN_GLPI,`,
        `                'max' => PLUGIN_${K}_MAX_GLPI,`,
        '            ],',
        `            'php' => [`,
        `                'min' => '7.4',`,
        '            ],',
        '        ],',
        '    ];',
        '}',
        '',
        checks,
        '',
      ].join('\n');
    case 'infotel':
      return [
        '<?php',
        '/*',
        ` * @version $Id: setup.php ${year} $`,
        ' -------------------------------------------------------------------------',
        ` ${plugin.name} plugin for GLPI`,
        ` Copyright (C) ${year} by the ${plugin.name} Development Team.`,
        ' -------------------------------------------------------------------------',
        ' */',
        '',
        `//define('PLUGIN_${K}_VERSION', '0.9.0');`,
        `define('PLUGIN_${K}_VERSION', ${q(fileVersion)});`,
        '',
        `if (!defined(${qq(`PLUGIN_${K}_DIR`)})) {`,
        `    define(${qq(`PLUGIN_${K}_DIR`)}, Plugin::getPhpDir(${qq(key)}));`,
        `    define(${qq(`PLUGIN_${K}_NOTFULL_DIR`)}, Plugin::getPhpDir(${qq(key)}, false));`,
        '}',
        '',
        '// Init the hooks of the plugins -Needed',
        init,
        '',
        '// Get the name and the version of the plugin - Needed',
        '/**',
        ' * @return array',
        ' */',
        `function plugin_version_${key}()`,
        '{',
        '    return [',
        `        'name'           => _n(${qq(plugin.name)}, ${qq(plugin.name)}, 2, ${qq(key)}),`,
        `        'version'        => PLUGIN_${K}_VERSION,`,
        `        'license'        => ${q(plugin.license)},`,
        `        'author'         => ${qq(author)},`,
        `        'homepage'       => ${q(plugin.homepage_url)},`,
        `        'requirements'   => [`,
        `            'glpi' => [`,
        `                'min' => ${q(twoPart(min))},`,
        `                'max' => ${q(twoPart(max))},`,
        `                'dev' => false,`,
        '            ],',
        '        ],',
        '    ];',
        '}',
        '',
        checks,
        '',
      ].join('\n');
    case 'literal':
      return [
        '<?php',
        '',
        header(plugin, year),
        '',
        `function plugin_version_${key}()`,
        '{',
        `    return ['name'           => __(${q(plugin.name)}, ${q(key)}),`,
        `            'version'        => ${q(fileVersion)},`,
        `            'author'         => ${q(author)},`,
        `            'license'        => ${q(plugin.license)},`,
        `            'homepage'       => ${q(plugin.homepage_url)},`,
        `            'minGlpiVersion' => ${q(min)},`,
        `            'requirements'   => ['glpi' => ['min' => ${q(min)},`,
        `                                            'max' => ${q(max)}]]];`,
        '}',
        '',
        init,
        '',
        checks,
        '',
      ].join('\n');
    case 'guarded':
      return [
        '<?php',
        '',
        header(plugin, year),
        '',
        'use function Safe\\define;',
        '',
        `define('PLUGIN_${K}_SCHEMA_VERSION', '2.4');`,
        '',
        `if (!defined('PLUGIN_${K}_VERSION')) {`,
        `    define('PLUGIN_${K}_VERSION', ${q(fileVersion)});`,
        '}',
        `define('PLUGIN_${K}_GLPI_MIN_VERSION', ${q(min)});`,
        `define('PLUGIN_${K}_GLPI_MAX_VERSION', ${q(max)});`,
        '',
        init,
        '',
        '/**',
        ' * @return array{name: string, version: string, author: string, license: string, homepage: string, requirements: array}',
        ' */',
        `function plugin_version_${key}(): array`,
        '{',
        '    return [',
        `        'name'         => ${q(plugin.name)},`,
        `        'version'      => PLUGIN_${K}_VERSION,`,
        `        'author'       => ${q(author)},`,
        `        'license'      => ${q(plugin.license)},`,
        `        'homepage'     => ${q(plugin.homepage_url)},`,
        `        'requirements' => [`,
        `            'glpi' => [`,
        `                'min' => PLUGIN_${K}_GLPI_MIN_VERSION,`,
        `                'max' => PLUGIN_${K}_GLPI_MAX_VERSION,`,
        '            ],',
        `            'php' => ['min' => '8.1'],`,
        '        ],',
        '    ];',
        '}',
        '',
        checks,
        '',
      ].join('\n');
  }
}

function hookPhp(plugin: StandinPlugin, fileVersion: string, year: string): string {
  const key = plugin.key;
  return [
    '<?php',
    '',
    header(plugin, year),
    '',
    '/**',
    ' * Plugin install process',
    ' *',
    ' * @return boolean',
    ' */',
    `function plugin_${key}_install()`,
    '{',
    `    $migration = new Migration(${q(fileVersion)});`,
    `    Config::setConfigurationValues(${q(`plugin:${key}`)}, ['enabled' => 1]);`,
    '    $migration->executeMigration();',
    '    return true;',
    '}',
    '',
    '/**',
    ' * Plugin uninstall process',
    ' *',
    ' * @return boolean',
    ' */',
    `function plugin_${key}_uninstall()`,
    '{',
    `    $config = new Config();`,
    `    $config->deleteByCriteria(['context' => ${q(`plugin:${key}`)}]);`,
    '    return true;',
    '}',
    '',
  ].join('\n');
}

function classPhp(plugin: StandinPlugin): string {
  const cls = `Plugin${(plugin.key[0] ?? '').toUpperCase()}${plugin.key.slice(1)}Config`;
  return [
    '<?php',
    '',
    `class ${cls} extends CommonDBTM`,
    '{',
    `    public static $rightname = 'config';`,
    '',
    '    public static function getTypeName($nb = 0)',
    '    {',
    `        return __(${q(plugin.name)}, ${q(plugin.key)});`,
    '    }',
    '}',
    '',
  ].join('\n');
}

function poString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function localePo(plugin: StandinPlugin, fileVersion: string): string {
  return [
    `# English translations for the ${plugin.name.replace(/\n/g, ' ')} plugin for GLPI.`,
    'msgid ""',
    'msgstr ""',
    `"Project-Id-Version: ${plugin.key} ${fileVersion}\\n"`,
    `"Report-Msgid-Bugs-To: ${plugin.issues_url}\\n"`,
    '"Language: en_GB\\n"',
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
    '',
    `msgid ${poString(plugin.name)}`,
    `msgstr ${poString(plugin.name)}`,
    '',
    'msgid "Installed / not configured"',
    'msgstr "Installed / not configured"',
    '',
  ].join('\n');
}

function readme(plugin: StandinPlugin, version: StandinVersion): string {
  const en = plugin.descriptions.find((d) => d.lang === 'en') ?? plugin.descriptions[0];
  return [
    `# ${plugin.name}`,
    '',
    en?.short_description ?? '',
    '',
    `Version ${version.num}, for GLPI ${version.compatibility.join(', ')}.`,
    '',
    '## Installation',
    '',
    `Extract this archive in the \`marketplace\` (or \`plugins\`) directory of GLPI: it must create a \`${plugin.key}\` directory.`,
    '',
    `Documentation: ${plugin.readme_url}`,
    '',
  ].join('\n');
}

/** The README's last line in a republished archive (nothing in the original). */
function republished(edition: number): string {
  return edition > 0 ? `Republished in place (edition ${edition + 1}).\n` : '';
}

export function pluginFiles(
  plugin: StandinPlugin,
  version: StandinVersion,
  options: PluginFilesOptions = {},
): ArchiveEntry[] {
  const top = options.top ?? plugin.key;
  const fileVersion = options.fileVersion ?? version.num;
  const mtime = new Date(`${version.date}T12:00:00Z`);
  const year = version.date.slice(0, 4);
  const dir = (path: string): ArchiveEntry => ({
    path: `${top}/${path}`,
    type: 'dir',
    data: Buffer.alloc(0),
    mode: 0o755,
    mtime,
  });
  const file = (path: string, data: string | Buffer): ArchiveEntry => ({
    path: `${top}/${path}`,
    type: 'file',
    data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
    mode: 0o644,
    mtime,
  });
  const entries = [
    dir(''),
    file('setup.php', setupPhp(plugin, version, fileVersion)),
    file('hook.php', hookPhp(plugin, fileVersion, year)),
    file('README.md', readme(plugin, version) + republished(options.edition ?? 0)),
    dir('inc/'),
    file('inc/config.class.php', classPhp(plugin)),
    dir('locales/'),
    file('locales/en_GB.po', localePo(plugin, fileVersion)),
  ];
  const source = options.source === undefined ? REAL_SHAPES[plugin.key] : options.source;
  if (source) {
    const existing = new Set(entries.map((e) => e.path.slice(top.length + 1)).filter((p) => p.endsWith('/')));
    entries.push(...treeEntries(top, sourceTree(plugin.key, source, `${plugin.key}@${version.num}`), mtime, existing));
  }
  const padding = options.padding ?? 0;
  if (padding > 0) {
    entries.push(dir('data/'), file('data/padding.bin', incompressible(padding, `${plugin.key}@${version.num}`)));
  }
  return entries;
}
