import { fakeGlpi } from '../../electron/core/testing-glpi';
import { DEMO_KEYS } from '../standin/standin';
import { expect, test, type AppUnderTest } from '../fixtures';

async function withKey(app: AppUnderTest, key: string) {
  const { page } = app;
  await page.getByLabel('Registration key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'valid');
  // The catalogue the updates are computed against.
  await page.getByRole('link', { name: 'Catalogue' }).click();
  await expect(page.getByTestId('catalog-count')).toContainText(/\d{3} plugins/);
}

async function addInstance(app: AppUnderTest, root: string) {
  const { page } = app;
  await page.getByRole('link', { name: /^Installed/ }).click();
  await expect(page.getByTestId('installed-screen')).toBeVisible();
  await page.getByLabel('GLPI folder').fill(root);
  await page.getByLabel('Name', { exact: true }).fill('prod');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await expect(page.getByTestId('instance-summary')).toContainText('GLPI 10.0.18');
}

const row = (app: AppUnderTest, key: string, location = 'marketplace') =>
  app.page.locator(`[data-testid="plugin-row"][data-key="${key}"][data-location="${location}"]`);

test('a Standard key updates fields, then restores the previous version', async ({ app }) => {
  const { page } = app;
  await withKey(app, DEMO_KEYS.standard);
  await addInstance(app, fakeGlpi());

  const fields = row(app, 'fields');
  await expect(fields).toContainText('1.21.0');
  await expect(fields).not.toHaveAttribute('data-update', '');
  const target = (await fields.getAttribute('data-update')) ?? '';
  expect(target).toMatch(/^1\.21\.\d+$/);
  await expect(page.getByRole('link', { name: /^Installed, \d+ updates?$/ })).toBeVisible();

  await fields.getByTestId('plugin-update').click();
  const status = fields.getByTestId('job-status');
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(status).toContainText('In GLPI, open Setup > Plugins');
  await expect(fields).toHaveAttribute('data-update', '');
  await expect(fields.locator('td').first()).toHaveText(target);

  await fields.getByRole('button', { name: 'Restore the previous version of fields' }).click();
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(status).toContainText('restored');
  await expect(fields.locator('td').first()).toHaveText('1.21.0');
  await expect(fields).toHaveAttribute('data-update', target);

  await page.getByTestId('history-toggle').click();
  await expect(page.getByTestId('history-list')).toContainText('fields');
});

test('a Basic key cannot update metabase', async ({ app }) => {
  await withKey(app, DEMO_KEYS.basic);
  await addInstance(app, fakeGlpi());
  const metabase = row(app, 'metabase');
  await expect(metabase).toContainText('Needs Standard');
  await expect(metabase).toHaveAttribute('data-update', '');
  await expect(metabase.locator('[data-testid="plugin-update"]:enabled')).toHaveCount(0);
});
