import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../../../shared/messages/fr';
import { localizeCheck } from '../../../../shared/messages/doctor-text';
import { withTitleRef } from '../check';
import { byId, cleanupTemps, healthyGlpi, runChecks, write } from './testing-doctor.testkit';

afterEach(cleanupTemps);

describe('the Plugin folders check', () => {
  it('lists every finding of the shared tree with its fix, in English and French', async () => {
    const { root, owners } = healthyGlpi();
    write(join(root, 'plugins', 'tag.zip'), 'x');
    const check = byId(await runChecks(root, { owners }), 'instance.plugin-folders');
    expect(check.state).toBe('warning');
    expect(check.title).toBe('Plugin folders');
    expect(check.summary).toMatch(/^4 problems in the plugin folders: /);
    const mp = join(root, 'marketplace');
    const plugins = join(root, 'plugins');
    expect(check.details).toEqual({
      [join(mp, 'fields-master')]: 'branch-name',
      [join(plugins, 'broken')]: 'no-setup-php',
      [join(plugins, 'fields')]: 'duplicate',
      [join(plugins, 'tag.zip')]: 'archive',
    });
    expect(check.summary).toContain(`GLPI loads the copy in ${join(mp, 'fields')}`);
    const fixes = check.fix?.split('\n') ?? [];
    expect(fixes[0]).toBe('One fix per problem:');
    expect(fixes).toHaveLength(5);
    expect(fixes).toContain(
      `- Delete ${join(plugins, 'tag.zip')}. To install the plugin, use Marketdesk's catalogue, or unpack it so that ${plugins}/<key>/setup.php exists.`,
    );
    const french = localizeCheck(withTitleRef(check), fr); // the doctor service adds the title's reference
    expect(french.title).toBe('Dossiers de greffons');
    expect(french.summary).toMatch(/^4 problèmes dans les dossiers de greffons\u00a0: /);
    expect(french.fix).toContain(`- Supprimez ${join(plugins, 'tag.zip')}.`);
  });

  it('is ok when the plugin folders hold only plugins', async () => {
    const { root, owners } = healthyGlpi();
    for (const folder of ['marketplace/fields-master', 'plugins/fields', 'plugins/broken'])
      rmSync(join(root, folder), { recursive: true });
    const check = byId(await runChecks(root, { owners }), 'instance.plugin-folders');
    expect(check).toMatchObject({ state: 'ok', details: { 'plugin folder 2': join(root, 'plugins') } });
    expect(check.summary).toContain('No duplicate, nested, misnamed, setup.php-less folder and no unpacked archive in');
  });
});
