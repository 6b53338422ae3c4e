/** Test support: a GLPI 10.0 tree whose plugins get every verdict of a plan to GLPI 11.0.x. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupPhp } from '../testing-glpi.testkit';

/**
 * Against the stand-in's demo catalogue (e2e/standin/catalog-data.ts) with a Standard key:
 * singlesignon 3.0.0 keeps working (~10.0.0 and ~11.0.0), fields needs 1.22.1 (free), whitelabel
 * needs 3.7.1 (Advanced only: not entitled), ocsinventoryng has only a 2.1.0-rc1 for 11 (none yet),
 * formcreator is absorbed, inhouse sits in plugins/ (unmanaged).
 */
export const PLAN_EXPECTED = {
  singlesignon: 'keeps',
  fields: 'needs',
  whitelabel: 'needs',
  ocsinventoryng: 'none-yet',
  formcreator: 'absorbed',
  inhouse: 'unmanaged',
} as const;

export function glpi10ForPlan(): string {
  const root = mkdtempSync(join(tmpdir(), 'md-plan-glpi-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('inc/define.php', "<?php\ndefine('GLPI_VERSION', '10.0.18');\n");
  write('src/Plugin.php', '<?php class Plugin {}');
  write('version/10.0.18', '');
  write('config/config_db.php', '<?php');
  write('marketplace/singlesignon/setup.php', setupPhp('singlesignon', '3.0.0'));
  write('marketplace/fields/setup.php', setupPhp('fields', '1.21.22'));
  write('marketplace/whitelabel/setup.php', setupPhp('whitelabel', '3.5.1'));
  write('marketplace/ocsinventoryng/setup.php', setupPhp('ocsinventoryng', '2.0.5'));
  write('marketplace/formcreator/setup.php', setupPhp('formcreator', '2.13.9'));
  write('plugins/inhouse/setup.php', setupPhp('inhouse', '1.0.0'));
  return root;
}
