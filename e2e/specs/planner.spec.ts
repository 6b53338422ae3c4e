import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN_EXPECTED, glpi10ForPlan } from '../../electron/core/planner/testing-plan.testkit';
import { expect, test } from '../fixtures';
import { DEMO_KEYS } from '../standin/standin';
import { addInstance, saveValidKey } from '../steps';

test('plans a GLPI 10.0 → 11.0.2 upgrade: every verdict, the checklist, and download ahead fills the cache', async ({
  app,
}) => {
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await addInstance(app, glpi10ForPlan());

  await page.getByRole('link', { name: 'Planner' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Upgrade planner' })).toBeVisible();
  await page.getByLabel('Target GLPI version').fill('11.0.2');
  await page.getByRole('button', { name: 'Make the plan' }).click();

  const table = page.getByRole('table', { name: 'Plugins with GLPI 11.0.2' });
  await expect(table).toBeVisible({ timeout: 20_000 });
  for (const [key, verdict] of Object.entries(PLAN_EXPECTED))
    await expect(page.getByTestId(`planner-row-${key}`)).toHaveAttribute('data-verdict', verdict);
  await expect(page.getByTestId('planner-row-fields')).toContainText('install 1.22.1');
  await expect(page.getByTestId('planner-row-whitelabel')).toContainText('Not included in your subscription');
  await expect(page.getByTestId('planner-row-formcreator')).toContainText('migration:formcreator_plugin_to_core');
  await expect(page.getByTestId('planner-row-inhouse')).toContainText('Installed by hand in plugins/');

  const steps = page.getByTestId('planner-steps');
  await expect(steps.getByRole('listitem')).toHaveCount(7);
  await expect(steps).toContainText('Back up the database');
  await expect(steps).toContainText('php bin/console db:update');
  await expect(steps).toContainText('marketdesk install fields@1.22.1');

  await page.getByRole('button', { name: 'Download ahead' }).click();
  const results = page.getByTestId('planner-downloads');
  await expect(results).toBeVisible({ timeout: 30_000 });
  await expect(results.getByTestId('planner-download-fields')).toHaveAttribute('data-state', 'downloaded');
  await expect(results.getByTestId('planner-download-whitelabel')).toHaveAttribute('data-state', 'skipped');
  const cached = findFile(app.home, 'fields-1.22.1.tar.bz2');
  expect(cached, `no fields archive under ${app.home}`).not.toBeNull();
  expect(existsSync(`${cached}.json`)).toBe(true);
});

/** The path of a file named `name` under `dir`, or null (the profile's data folder layout varies). */
function findFile(dir: string, name: string): string | null {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return path;
    if (entry.isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    }
  }
  return null;
}
