/** Test support: a GLPI 10.0 tree whose plugins get every verdict of a plan to GLPI 11.0.x. */
import { GLPI10_CORE_FILES, glpiTree, setupPhp } from '../testing-glpi.testkit';

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
  return glpiTree('md-plan-glpi-', {
    ...GLPI10_CORE_FILES,
    'marketplace/singlesignon/setup.php': setupPhp('singlesignon', '3.0.0'),
    'marketplace/fields/setup.php': setupPhp('fields', '1.21.22'),
    'marketplace/whitelabel/setup.php': setupPhp('whitelabel', '3.5.1'),
    'marketplace/ocsinventoryng/setup.php': setupPhp('ocsinventoryng', '2.0.5'),
    'marketplace/formcreator/setup.php': setupPhp('formcreator', '2.13.9'),
    'plugins/inhouse/setup.php': setupPhp('inhouse', '1.0.0'),
  });
}
