import { readFile } from 'node:fs/promises';
import { fakeGlpi } from '../../electron/core/testing-glpi.testkit';
import { DEMO_KEYS } from '../standin/standin';
import { expect, test, type AppUnderTest } from '../fixtures';
import { addInstance, openCatalogue, saveValidKey } from '../steps';

/** A valid key, and the catalogue the updates are computed against. */
async function withKey(app: AppUnderTest, key: string) {
  await saveValidKey(app, key);
  await openCatalogue(app);
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

  // Going back to 1.21.0 is a downgrade: the row asks first, as the Versions panel does.
  await fields.getByRole('button', { name: 'Restore the previous version of fields' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Restore fields 1.21.0, an older version?' });
  await confirm.getByRole('button', { name: 'Restore 1.21.0' }).click();
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

/** The loaded rows with an update: `location/key` → new version. */
async function updates(app: AppUnderTest): Promise<Map<string, string>> {
  const rows = app.page.locator('[data-testid="plugin-row"]:not([data-update=""])');
  const found = new Map<string, string>();
  for (const r of await rows.all()) {
    found.set(
      `${await r.getAttribute('data-location')}/${await r.getAttribute('data-key')}`,
      (await r.getAttribute('data-update')) ?? '',
    );
  }
  return found;
}

test('update all with one failing archive: that row fails with its reason, the others are done', async ({
  app,
  standin,
}) => {
  const { page } = app;
  await withKey(app, DEMO_KEYS.standard);
  await addInstance(app, fakeGlpi());
  await expect(row(app, 'fields')).not.toHaveAttribute('data-update', '');
  const before = await updates(app);
  expect(before.size).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole('link', { name: `Installed, ${before.size} updates` })).toBeVisible();

  // Only fields' archive arrives cut in half.
  standin.setFaults([{ fault: { mode: 'archive-truncated' }, path: '/downloads/fields/' }]);

  await page.getByTestId('update-all').click();
  const dialog = page.getByRole('dialog', { name: 'Update plugins' });
  await expect(dialog).toBeVisible();
  const lines = dialog.getByTestId('update-all-row');
  await expect(lines).toHaveCount(before.size);
  await expect(dialog.getByRole('checkbox', { checked: true })).toHaveCount(before.size);
  await dialog.getByRole('button', { name: `Update ${before.size} selected` }).click();

  const summary = dialog.getByTestId('update-all-summary');
  await expect(summary).toHaveText(`Updated: ${before.size - 1}. Failed: 1. Not run: 0.`, { timeout: 60_000 });
  const failed = dialog.locator('[data-testid="update-all-row"][data-key="fields"]');
  await expect(failed).toHaveAttribute('data-state', 'failed');
  await expect(failed).toContainText(/Failed at step "(download|extract|validate)"/);
  await expect(failed).toContainText('What to do:');
  for (const line of await lines.all()) {
    if ((await line.getAttribute('data-key')) !== 'fields') await expect(line).toHaveAttribute('data-state', 'done');
  }
  // The dialog stays with the results until closed.
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // Only fields still has its update; its row says why it failed.
  await expect(page.getByRole('link', { name: 'Installed, 1 update' })).toBeVisible();
  await expect(row(app, 'fields')).toHaveAttribute('data-update', before.get('marketplace/fields') ?? '');
  await expect(row(app, 'fields').getByTestId('job-status')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('update-all')).toHaveAccessibleDescription('1 update available.');

  // The history keeps the failure, and exports it.
  await page.getByTestId('history-toggle').click();
  await expect(page.getByTestId('history-list')).toContainText('Failed');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^marketdesk-history-prod-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await file.path()) ?? '', 'utf8');
  expect(csv).toContain('when,user,action,key,from,to,sha256,result,step,error,note\r\n');
  expect(csv).toMatch(/,update,fields,1\.21\.0,[^,]*,,failed,/);
});

test('Cancel stops a slow download: nothing was changed', async ({ app, standin }) => {
  await withKey(app, DEMO_KEYS.standard);
  await addInstance(app, fakeGlpi());
  const fields = row(app, 'fields');
  await expect(fields).not.toHaveAttribute('data-update', '');
  const target = (await fields.getAttribute('data-update')) ?? '';

  standin.setFaults([{ fault: { mode: 'latency', ms: 5_000 }, path: '/downloads/fields/' }]);
  await fields.getByTestId('plugin-update').click();
  const status = fields.getByTestId('job-status');
  await expect(status).toHaveAttribute('data-state', 'running');
  await expect(status).toContainText('download');
  await fields.getByRole('button', { name: 'Cancel the update of fields' }).click();

  await expect(status).toHaveAttribute('data-state', 'cancelled');
  await expect(status).toContainText('Cancelled: nothing was changed.');
  await expect(fields.locator('td').first()).toHaveText('1.21.0');
  await expect(fields).toHaveAttribute('data-update', target);

  // Without the delay, the same update goes through.
  standin.setFaults([]);
  await fields.getByTestId('plugin-update').click();
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(fields.locator('td').first()).toHaveText(target);
});

test('installs another version, confirms a downgrade, restores a chosen backup and a removed plugin', async ({
  app,
}) => {
  const { page } = app;
  await withKey(app, DEMO_KEYS.standard);
  await addInstance(app, fakeGlpi());
  const fields = row(app, 'fields');
  const version = fields.locator('td').first();
  await expect(version).toHaveText('1.21.0');
  const status = fields.getByTestId('job-status');

  await fields.getByRole('button', { name: 'Other versions of fields' }).click();
  const panel = page.getByTestId('plugin-versions');
  await expect(panel.getByTestId('catalog-version-row').first()).toBeVisible();
  await expect(panel.getByText('No backup of fields is kept.')).toBeVisible();

  // A newer version installs at once; the replaced folder becomes a backup.
  await panel.getByRole('button', { name: 'Install fields 1.21.22' }).click();
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(version).toHaveText('1.21.22');
  await expect(panel.getByTestId('backup-row')).toHaveCount(1);
  await expect(panel.getByTestId('backup-row')).toContainText('1.21.0');

  // An older one asks first.
  await panel.getByRole('button', { name: 'Install fields 1.21.19' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Install fields 1.21.19, an older version?' });
  await expect(confirm).toContainText('GLPI may refuse to run 1.21.19');
  await confirm.getByRole('button', { name: 'Install 1.21.19' }).click();
  await expect(version).toHaveText('1.21.19', { timeout: 30_000 });
  await expect(panel.getByTestId('backup-row')).toHaveCount(2);

  // Restore the chosen backup (1.21.22, newer than 1.21.19: no question).
  await panel.getByRole('button', { name: /^Restore fields 1\.21\.22 kept on / }).click();
  await expect(version).toHaveText('1.21.22', { timeout: 30_000 });
  await expect(status).toContainText('restored');

  // Removed, then brought back from the removed plugins.
  await fields.getByRole('button', { name: 'Remove fields' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove fields' }).click();
  const removed = page.getByRole('region', { name: 'Removed plugins' });
  const kept = removed.locator('[data-testid="removed-plugin"][data-key="fields"]');
  await expect(kept).toBeVisible({ timeout: 30_000 });
  await expect(fields).toHaveCount(0);
  await kept.getByRole('button', { name: /^Restore fields 1\.21\.22 kept on / }).click();
  await expect(version).toHaveText('1.21.22', { timeout: 30_000 });
  await expect(kept).toHaveCount(0);
});
