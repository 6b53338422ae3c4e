/** Test support: fake GLPI trees on disk. Not imported by production code. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

/** A GLPI 10.0.18 tree with the usual mix of plugin folders. */
export function fakeGlpi(): string {
  const root = mkdtempSync(join(tmpdir(), 'md-glpi-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('inc/define.php', "<?php\ndefine('GLPI_VERSION', '10.0.18');\n");
  write('src/Plugin.php', '<?php class Plugin {}');
  write('version/10.0.18', '');
  write('config/config_db.php', '<?php');
  write('marketplace/fields/setup.php', setupPhp('fields', '1.21.0'));
  write('plugins/fields/setup.php', setupPhp('fields', '1.19.0')); // shadowed by marketplace/
  write('plugins/tag/setup.php', setupPhp('tag', '2.9.0'));
  mkdirSync(join(root, 'plugins/tag/.git'));
  write(
    'marketplace/news/setup.php',
    "<?php\ndefine('PLUGIN_NEWS_VERSION', trim(file_get_contents(__DIR__ . '/VERSION')));\nfunction plugin_version_news() { return ['name' => 'News', 'version' => PLUGIN_NEWS_VERSION]; }\n",
  );
  write('marketplace/fields-master/setup.php', setupPhp('fields', '1.21.0'));
  write('plugins/broken/README.md', 'no setup.php here');
  write('marketplace/metabase/setup.php', setupPhp('metabase', '1.0.0'));
  write('plugins/escalade/setup.php', setupPhp('escalade', '2.9.9'));
  return root;
}
