import { describe, expect, it } from 'vitest';
import { parseSetupPhp } from './setup-php';

const LICENSE = `/**
 * -------------------------------------------------------------------------
 * LICENSE
 * This file is part of the plugin. See https://www.gnu.org/licenses/gpl-3.0.html
 * @copyright Copyright (C) 2013-2024 by the plugin team.
 * -------------------------------------------------------------------------
 */`;

describe('parseSetupPhp', () => {
  it('reads the dominant pattern: define + constants in the array (fields)', () => {
    const src = `<?php
${LICENSE}

use Glpi\\Plugin\\Hooks;

define('PLUGIN_FIELDS_VERSION', '1.21.22');

// Minimal GLPI version, inclusive
define("PLUGIN_FIELDS_MIN_GLPI", "10.0.11");
// Maximum GLPI version, exclusive
define("PLUGIN_FIELDS_MAX_GLPI", "10.0.99");

if (!defined("PLUGINFIELDS_DIR")) {
    define("PLUGINFIELDS_DIR", Plugin::getPhpDir("fields"));
}

function plugin_init_fields()
{
    global $PLUGIN_HOOKS;
    $PLUGIN_HOOKS['csrf_compliant']['fields'] = true;
}

function plugin_version_fields()
{
    return [
        'name'         => __("Additionnal fields", "fields"),
        'version'      => PLUGIN_FIELDS_VERSION,
        'author'       => 'Teclib\\', Olivier Moron',
        'homepage'     => 'https://github.com/pluginsGLPI/fields',
        'license'      => 'GPLv2+',
        'requirements' => [
            'glpi' => [
                'min' => PLUGIN_FIELDS_MIN_GLPI,
                'max' => PLUGIN_FIELDS_MAX_GLPI,
            ]
        ]
    ];
}
`;
    expect(parseSetupPhp(src, 'fields')).toEqual({
      key: 'fields',
      name: 'Additionnal fields',
      version: '1.21.22',
      glpiMin: '10.0.11',
      glpiMax: '10.0.99',
      problems: [],
      versionSource: 'constant PLUGIN_FIELDS_VERSION',
    });
  });

  it('resolves the constant named by the version entry, not any *_VERSION constant (formcreator)', () => {
    const src = `<?php
${LICENSE}
use Glpi\\Plugin\\Hooks;

define('PLUGIN_FORMCREATOR_SCHEMA_VERSION', '2.13');
define('PLUGIN_FORMCREATOR_VERSION', '2.13.9');
define('PLUGIN_FORMCREATOR_GLPI_MIN_VERSION', '10.0.0');
define('PLUGIN_FORMCREATOR_GLPI_MAX_VERSION', '10.0.99');
define('PLUGIN_FORMCREATOR_IS_OFFICIAL_RELEASE', true);

function plugin_version_formcreator() {
   plugin_formcreator_savePreviousVersion();
   $glpiVersion = rtrim(GLPI_VERSION, '-dev');
   if (!method_exists('Plugins', 'checkGlpiVersion') && version_compare($glpiVersion, PLUGIN_FORMCREATOR_GLPI_MIN_VERSION, 'lt')) {
      echo 'This plugin requires GLPI >= ' . PLUGIN_FORMCREATOR_GLPI_MIN_VERSION;
      return false;
   }
   $requirements = [
      'name'           => _n('Form', 'Forms', 2, 'formcreator'),
      'version'        => PLUGIN_FORMCREATOR_VERSION,
      'author'         => '<a href="http://www.teclib.com">Teclib\\'</a>',
      'homepage'       => 'https://github.com/pluginsGLPI/formcreator',
      'license'        => '<a href="../plugins/formcreator/LICENSE" target="_blank">GPLv2</a>',
      'requirements'   => [
         'glpi' => [
            'min' => PLUGIN_FORMCREATOR_GLPI_MIN_VERSION,
         ]
      ]
   ];
   if (PLUGIN_FORMCREATOR_IS_OFFICIAL_RELEASE) {
      $requirements['requirements']['glpi']['max'] = PLUGIN_FORMCREATOR_GLPI_MAX_VERSION;
   }
   return $requirements;
}
`;
    const info = parseSetupPhp(src, 'formcreator');
    expect(info.version).toBe('2.13.9');
    expect(info.name).toBe('Forms');
    expect(info.glpiMin).toBe('10.0.0');
    expect(info.glpiMax).toBe('10.0.99');
    expect(info.problems).toEqual([]);
    expect(info.versionSource).toBe('constant PLUGIN_FORMCREATOR_VERSION');
  });

  it('drops the conditional max when the official-release flag is false', () => {
    const src = `<?php
define('PLUGIN_FORMCREATOR_VERSION', '2.14.0-dev');
define('PLUGIN_FORMCREATOR_GLPI_MIN_VERSION', '10.0.0');
define('PLUGIN_FORMCREATOR_GLPI_MAX_VERSION', '10.0.99');
define('PLUGIN_FORMCREATOR_IS_OFFICIAL_RELEASE', false);
function plugin_version_formcreator() {
   $requirements = [
      'name' => 'Formcreator', 'version' => PLUGIN_FORMCREATOR_VERSION,
      'requirements' => ['glpi' => ['min' => PLUGIN_FORMCREATOR_GLPI_MIN_VERSION]],
   ];
   if (PLUGIN_FORMCREATOR_IS_OFFICIAL_RELEASE) {
      $requirements['requirements']['glpi']['max'] = PLUGIN_FORMCREATOR_GLPI_MAX_VERSION;
   }
   return $requirements;
}`;
    const info = parseSetupPhp(src, 'formcreator');
    expect(info.version).toBe('2.14.0-dev');
    expect(info.glpiMax).toBeNull();
    expect(info.problems).toEqual([]);
  });

  it('reports a max that depends on a run-time condition (carbon style)', () => {
    const src = `<?php
define('PLUGIN_CARBON_VERSION', '1.0.0-beta.2');
define('PLUGIN_CARBON_SCHEMA_VERSION', '1.0.0');
define('PLUGIN_CARBON_MIN_GLPI_VERSION', '11.0.0');
define('PLUGIN_CARBON_MAX_GLPI_VERSION', '11.0.99');
function plugin_version_carbon() {
    $requirements = [
        'name' => 'Carbon', 'version' => PLUGIN_CARBON_VERSION,
        'requirements' => ['glpi' => ['min' => PLUGIN_CARBON_MIN_GLPI_VERSION]],
    ];
    if (is_release_build(PLUGIN_CARBON_VERSION)) {
        $requirements['requirements']['glpi']['max'] = PLUGIN_CARBON_MAX_GLPI_VERSION;
    }
    return $requirements;
}`;
    const info = parseSetupPhp(src, 'carbon');
    expect(info.version).toBe('1.0.0-beta.2');
    expect(info.glpiMin).toBe('11.0.0');
    expect(info.glpiMax).toBeNull();
    expect(info.problems).toEqual([
      "the GLPI maximum version is computed at run time (is set only when is_release_build(PLUGIN_CARBON_VERSION) (to '11.0.99'))",
    ]);
  });

  it('evaluates a simple -dev test on the version (str_contains)', () => {
    const src = `<?php
define('PLUGIN_CARBON_VERSION', '1.1.0');
function plugin_version_carbon() {
    $requirements = ['name' => 'Carbon', 'version' => PLUGIN_CARBON_VERSION,
        'requirements' => ['glpi' => ['min' => '11.0.0']]];
    if (!str_contains(PLUGIN_CARBON_VERSION, '-dev')) {
        $requirements['requirements']['glpi']['max'] = '11.0.99';
    }
    return $requirements;
}`;
    expect(parseSetupPhp(src, 'carbon')).toMatchObject({ glpiMax: '11.0.99', problems: [] });
  });

  it('handles Safe\\define, \\define, use function, guarded defines and const (glpiinventory / tag)', () => {
    const src = `<?php
${LICENSE}
use function Safe\\define;
use Glpi\\Plugin\\Hooks;
use GlpiPlugin\\Tag\\Tag;

if (!defined('PLUGIN_TAG_VERSION')) {
    define('PLUGIN_TAG_VERSION', '2.13.0');
}
if (!defined("PLUGIN_TAG_MIN_GLPI")) {
    \\define("PLUGIN_TAG_MIN_GLPI", '11.0.0');
}
const PLUGIN_TAG_MAX_GLPI = '11.0.99';
if (!defined('PLUGIN_TAG_VERSION')) {
    Safe\\define('PLUGIN_TAG_VERSION', '9.9.9');
}

function plugin_version_tag() {
    return [
        'name'           => __('Tag Management', 'tag'),
        'version'        => PLUGIN_TAG_VERSION,
        'requirements'   => ['glpi' => ['min' => PLUGIN_TAG_MIN_GLPI, 'max' => PLUGIN_TAG_MAX_GLPI]],
    ];
}`;
    expect(parseSetupPhp(src, 'tag')).toMatchObject({
      name: 'Tag Management',
      version: '2.13.0',
      glpiMin: '11.0.0',
      glpiMax: '11.0.99',
      problems: [],
    });
  });

  it('accepts define with a space before the parenthesis and mixed quotes, and a define preceding use', () => {
    const src = `<?php
define ('PLUGIN_BEHAVIORS_VERSION', "2.7.3");
use Glpi\\Event;
function plugin_version_behaviors() {
   return ['name' => 'Behaviours', 'version' => PLUGIN_BEHAVIORS_VERSION,
           'requirements' => ['glpi' => ['min' => '10.0.5', 'max' => '10.1.0']]];
}`;
    expect(parseSetupPhp(src, 'behaviors')).toMatchObject({ version: '2.7.3', glpiMin: '10.0.5', glpiMax: '10.1.0' });
  });

  it('concatenates literals and constants, and constants built from other constants', () => {
    const src = `<?php
define('PLUGIN_NEWS_BASE_VERSION', '1.12');
define('PLUGIN_NEWS_VERSION', PLUGIN_NEWS_BASE_VERSION . '.' . "3" . '-beta');
const PLUGIN_NEWS_MIN_GLPI = PLUGIN_NEWS_GLPI_BRANCH . '.0';
const PLUGIN_NEWS_GLPI_BRANCH = '10.0';
function plugin_version_news() {
   return ['name' => 'News', 'version' => PLUGIN_NEWS_VERSION . '+build' . 7,
           'requirements' => ['glpi' => ['min' => PLUGIN_NEWS_MIN_GLPI]]];
}`;
    const info = parseSetupPhp(src, 'news');
    expect(info.version).toBe('1.12.3-beta+build7');
    expect(info.versionSource).toBe("expression in plugin_version_news() (PLUGIN_NEWS_VERSION . '+build' . 7)");
    // PLUGIN_NEWS_MIN_GLPI uses a constant defined after it: not readable.
    expect(info.glpiMin).toBeNull();
    expect(info.problems).toEqual([
      'the GLPI minimum version could not be read (constant PLUGIN_NEWS_MIN_GLPI constant PLUGIN_NEWS_GLPI_BRANCH is not defined in setup.php)',
    ]);
  });

  it('ignores commented-out defines and PHPDoc blocks mentioning version/min/max', () => {
    const src = `<?php
// define('PLUGIN_MORETICKET_VERSION', '1.0.0');
# define('PLUGIN_MORETICKET_VERSION', '1.1.0');
/*
define('PLUGIN_MORETICKET_VERSION', '1.2.0');
*/
define('PLUGIN_MORETICKET_VERSION', '1.7.3'); // define('PLUGIN_MORETICKET_VERSION', '0.1');
/**
 * @return array{name: string, version: string, requirements: array{glpi: array{min: string, max: string}}}
 */
function plugin_version_moreticket() {
   return [
      'name'    => 'More ticket', /* 'version' => '6.6.6', */
      'version' => PLUGIN_MORETICKET_VERSION,
      'requirements' => ['glpi' => ['min' => '10.0', /* 'max' => '10.5' */ 'max' => '11.0']],
   ];
}`;
    expect(parseSetupPhp(src, 'moreticket')).toMatchObject({
      version: '1.7.3',
      glpiMin: '10.0',
      glpiMax: '11.0',
      problems: [],
    });
  });

  it('keeps // and # inside strings (URLs, anchors) and decodes escaped quotes', () => {
    const src = `<?php
define('PLUGIN_ESCALADE_VERSION', '2.9.10'); # trailing comment
define('PLUGIN_ESCALADE_HOMEPAGE', 'https://github.com/pluginsGLPI/escalade#readme');
function plugin_version_escalade() {
   return [
      'name'     => "Escalade \\"plus\\" // not a comment",
      'version'  => PLUGIN_ESCALADE_VERSION,
      'author'   => 'Teclib\\' // still a string',
      'homepage' => "http://www.teclib.com/#home",
      'requirements' => ['glpi' => ['min' => '10.0.0', 'max' => '10.0.99']],
   ];
}`;
    expect(parseSetupPhp(src, 'escalade')).toMatchObject({
      name: 'Escalade "plus" // not a comment',
      version: '2.9.10',
      glpiMax: '10.0.99',
      problems: [],
    });
  });

  it('reads a literal version with array() syntax, a trailing // comment and minGlpiVersion (datainjection 2.4)', () => {
    const src = `<?php
function plugin_version_datainjection() {
   return array('name'           => __('File injection', 'datainjection'),
                'version'        => '2.4.2', // next: 2.5
                'author'         => 'Walid Nouh, Remi Collet, Nelly Mahu-Lasson, Xavier Caillaud',
                'homepage'       => 'https://forge.glpi-project.org/projects/datainjection',
                'license'        => 'GPLv2+',
                'minGlpiVersion' => '0.85');
}
?>`;
    expect(parseSetupPhp(src, 'datainjection')).toEqual({
      key: 'datainjection',
      name: 'File injection',
      version: '2.4.2',
      glpiMin: '0.85',
      glpiMax: null,
      problems: [],
      versionSource: 'literal in plugin_version_datainjection()',
    });
  });

  it('prefers requirements over a coexisting minGlpiVersion', () => {
    const src = `<?php
define('PLUGIN_ACTUALTIME_VERSION', '1.1.0');
function plugin_version_actualtime() {
   return ['name' => 'ActualTime', 'version' => PLUGIN_ACTUALTIME_VERSION, 'minGlpiVersion' => '9.1',
           'requirements' => ['glpi' => ['min' => '9.2', 'max' => '9.3']]];
}`;
    expect(parseSetupPhp(src, 'actualtime')).toMatchObject({ glpiMin: '9.2', glpiMax: '9.3' });
  });

  it('takes the max from check_prerequisites (Infotel 9.5 style, ge inside a failing if)', () => {
    const src = `<?php
define('PLUGIN_ACCOUNTS_VERSION', '3.0.0');
if (!defined("PLUGIN_ACCOUNTS_DIR")) {
   define("PLUGIN_ACCOUNTS_DIR", Plugin::getPhpDir("accounts"));
}
function plugin_version_accounts() {
   return ['name' => _n('Account', 'Accounts', 2, 'accounts'),
           'version' => PLUGIN_ACCOUNTS_VERSION,
           'requirements' => ['glpi' => ['min' => '9.5']]];
}
function plugin_accounts_check_prerequisites() {
   if (version_compare(GLPI_VERSION, '9.5', 'lt')
       || version_compare(GLPI_VERSION, '9.6', 'ge')) {
      if (method_exists('Plugin', 'messageIncompatible')) {
         echo Plugin::messageIncompatible('core', '9.5');
      }
      return false;
   }
   return true;
}`;
    expect(parseSetupPhp(src, 'accounts')).toMatchObject({
      name: 'Accounts',
      version: '3.0.0',
      glpiMin: '9.5',
      glpiMax: '9.6',
      problems: [],
    });
  });

  it('reads prerequisites written with >=, a GLPI-derived variable, constants and a passing return', () => {
    const src = `<?php
define('PLUGIN_ADDRESSING_VERSION', '2.9.1');
define('PLUGIN_ADDRESSING_MAX_GLPI', '9.6');
function plugin_version_addressing() {
   return ['name' => 'IP Addressing', 'version' => PLUGIN_ADDRESSING_VERSION, 'minGlpiVersion' => '9.4'];
}
function plugin_addressing_check_prerequisites() {
   $version = rtrim(GLPI_VERSION, '-dev');
   if (version_compare($version, PLUGIN_ADDRESSING_MAX_GLPI, '>=')) {
      echo 'This plugin requires GLPI < 9.6';
      return false;
   }
   return version_compare('9.4.1', GLPI_VERSION, '<=');
}`;
    expect(parseSetupPhp(src, 'addressing')).toMatchObject({ glpiMin: '9.4.1', glpiMax: '9.6', problems: [] });
  });

  it('reports a prerequisite check it cannot follow', () => {
    const src = `<?php
define('PLUGIN_SATISFACTION_VERSION', '1.5.0');
function plugin_version_satisfaction() {
   $author = "<a href='http://infotel.com/services/expertise-technique/glpi/'>Infotel</a>";
   return ['name' => 'Satisfaction', 'version' => PLUGIN_SATISFACTION_VERSION, 'author' => $author];
}
function plugin_satisfaction_check_prerequisites() {
   if (version_compare(GLPI_VERSION, getMaxGlpi(), 'ge')) {
      return false;
   }
   return true;
}`;
    const info = parseSetupPhp(src, 'satisfaction');
    expect(info.version).toBe('1.5.0');
    expect(info.glpiMax).toBeNull();
    expect(info.problems).toEqual([
      "plugin_satisfaction_check_prerequisites() checks the GLPI version in a way this reader cannot follow: version_compare(GLPI_VERSION, getMaxGlpi(), 'ge'): calls getMaxGlpi()",
    ]);
  });

  it('reports constants defined in a loop as computed at run time (glpiinventory 1.6.6+)', () => {
    const src = `<?php
use function Safe\\define;
$constants = [
    'PLUGIN_GLPI_INVENTORY_VERSION' => '1.6.6',
    'PLUGIN_GLPI_INVENTORY_GLPI_MIN_VERSION' => '11.0.0',
];
foreach ($constants as $name => $value) {
    if (!defined($name)) {
        define($name, $value);
    }
}
define('PLUGIN_GLPIINVENTORY_REALVERSION', '1.6.6');
function plugin_version_glpiinventory() {
    return ['name' => 'GLPI Inventory', 'version' => PLUGIN_GLPI_INVENTORY_VERSION,
            'requirements' => ['glpi' => ['min' => PLUGIN_GLPI_INVENTORY_GLPI_MIN_VERSION]]];
}`;
    const info = parseSetupPhp(src, 'glpiinventory');
    expect(info.version).toBeNull();
    expect(info.glpiMin).toBeNull();
    expect(info.versionSource).toBe('constant PLUGIN_GLPI_INVENTORY_VERSION');
    expect(info.problems[0]).toBe(
      'the version is computed at run time (constant PLUGIN_GLPI_INVENTORY_VERSION is not defined literally in setup.php; define() is called with a computed name ($name) inside a foreach loop)',
    );
    expect(info.problems).toHaveLength(2);
  });

  it('reports a version read from a file by function calls', () => {
    const src = `<?php
define('PLUGIN_GENERICOBJECT_VERSION', trim(file_get_contents(__DIR__ . '/VERSION')));
function plugin_version_genericobject() {
   return ['name' => __("Objects management", "genericobject"), 'version' => PLUGIN_GENERICOBJECT_VERSION];
}`;
    const info = parseSetupPhp(src, 'genericobject');
    expect(info.version).toBeNull();
    expect(info.name).toBe('Objects management');
    expect(info.problems).toEqual([
      'the version is computed at run time (constant PLUGIN_GENERICOBJECT_VERSION calls trim())',
    ]);
  });

  it('leaves a heredoc version unresolved and a missing constant explained', () => {
    const heredoc = `<?php
function plugin_version_odd() {
   return ['name' => 'Odd', 'version' => <<<EOT
1.0.0
EOT, 'requirements' => ['glpi' => ['min' => PLUGIN_ODD_MIN_GLPI]]];
}`;
    expect(parseSetupPhp(heredoc, 'odd').problems).toEqual([
      'the version could not be read (uses a heredoc/nowdoc string, which this reader does not evaluate)',
      'the GLPI minimum version could not be read (constant PLUGIN_ODD_MIN_GLPI is not defined in setup.php)',
    ]);
  });

  it('matches the function name case-insensitively against the folder key', () => {
    const src = `<?php
define('PLUGIN_OCS_VERSION', '1.7.3');
function Plugin_Version_OcsInventoryNG() {
   return ['name' => "OCS Inventory NG", 'version' => PLUGIN_OCS_VERSION];
}`;
    expect(parseSetupPhp(src, 'ocsinventoryng')).toMatchObject({ version: '1.7.3', problems: [] });
    expect(parseSetupPhp(src, 'OCSInventoryNG')).toMatchObject({ key: 'OCSInventoryNG', version: '1.7.3' });
  });

  it('reads array keys case-sensitively like GLPI and says so', () => {
    const src = `<?php
function plugin_version_shout() {
   return ['NAME' => 'Shout', 'Version' => '1.0.0'];
}`;
    const info = parseSetupPhp(src, 'shout');
    expect(info.version).toBeNull();
    expect(info.name).toBeNull();
    expect(info.problems).toEqual([
      "plugin_version_shout() returns no 'version' entry (it has 'Version'; GLPI reads array keys case-sensitively)",
    ]);
  });

  it('survives CRLF endings, tabs, odd spacing and a closing ?>', () => {
    const src =
      "<?php\r\n\tdefine(\r\n\t\t'PLUGIN_PDF_VERSION' ,\r\n\t\t'0.84-2.3.3'\r\n\t) ;\r\nfunction   plugin_version_pdf ( )\r\n{\r\n" +
      "return array ( 'name'=>'Print to pdf' ,'version'=>PLUGIN_PDF_VERSION ,\r\n'minGlpiVersion'=>'0.84' ) ;\r\n}\r\n?>\r\n";
    expect(parseSetupPhp(src, 'pdf')).toMatchObject({
      version: '0.84-2.3.3',
      glpiMin: '0.84',
      name: 'Print to pdf',
      problems: [],
    });
  });

  it('reports a missing plugin_version function', () => {
    const src = `<?php
define('PLUGIN_MYPLUGIN_VERSION', '1.0.0');
function plugin_version_otherplugin() { return ['name' => 'x', 'version' => '1']; }`;
    expect(parseSetupPhp(src, 'myplugin')).toEqual({
      key: 'myplugin',
      name: null,
      version: null,
      glpiMin: null,
      glpiMax: null,
      problems: ['setup.php has no plugin_version_myplugin() function'],
      versionSource: null,
    });
  });

  it('does not crash on a file that is not PHP at all', () => {
    const html = '<!DOCTYPE html><html><body>404 Not Found // define("X", "1")</body></html>';
    expect(parseSetupPhp(html, 'broken').problems).toEqual([
      'setup.php contains no PHP code (no "<?php" opening tag)',
      'setup.php has no plugin_version_broken() function',
    ]);
    const binary = "\u0000\u0001PK\u0003\u0004<?php \u00ff\u00fe ( [ { ' unterminated";
    expect(() => parseSetupPhp(binary, 'zip')).not.toThrow();
    expect(parseSetupPhp(binary, 'zip').problems).toEqual(['setup.php has no plugin_version_zip() function']);
  });

  it('skips early runtime returns and picks the array returned at the end', () => {
    const src = `<?php
define('PLUGIN_WEBAPPLICATIONS_VERSION', '5.0.2');
function plugin_version_webapplications() {
   if (!class_exists('Plugin')) {
      return false;
   }
   $info = array();
   $info['name'] = 'Web applications';
   $info['version'] = PLUGIN_WEBAPPLICATIONS_VERSION;
   $info['requirements']['glpi']['min'] = '9.5';
   return $info;
}`;
    expect(parseSetupPhp(src, 'webapplications')).toMatchObject({
      name: 'Web applications',
      version: '5.0.2',
      glpiMin: '9.5',
      versionSource: 'constant PLUGIN_WEBAPPLICATIONS_VERSION',
      problems: [],
    });
  });

  it('uses the first define (PHP refuses a redefinition) and double-quoted escapes', () => {
    const src = `<?php
define("PLUGIN_ETL_VERSION", "1.0.\\x31");
define("PLUGIN_ETL_VERSION", "2.0.0");
function plugin_version_etl() {
   return ['name' => "ETL\\tplugin", 'version' => PLUGIN_ETL_VERSION, 'requirements' => ['glpi' => ['min' => '10.0.0']]];
}`;
    expect(parseSetupPhp(src, 'etl')).toMatchObject({ version: '1.0.1', name: 'ETL\tplugin', glpiMin: '10.0.0' });
  });

  it('reports an interpolated string version as run-time', () => {
    const src = `<?php
$major = 3;
function plugin_version_interp() {
   return ['name' => 'I', 'version' => "$major.0.0"];
}`;
    expect(parseSetupPhp(src, 'interp').problems).toEqual([
      'the version is computed at run time (interpolates variables in the string "$major.0.0")',
    ]);
  });
});
