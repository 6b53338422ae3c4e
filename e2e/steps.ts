/** Steps the specs share: what an admin does first on most screens. */
import { expect, type AppUnderTest } from './fixtures';

/**
 * Saves a key that GLPI Network confirms. Without an OS keychain (run outside
 * scripts/with-keyring.sh) it is kept for this session only: what follows is the same.
 */
export async function saveValidKey(app: AppUnderTest, key: string): Promise<void> {
  const { page } = app;
  await page.getByLabel('Registration key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const status = page.getByTestId('key-status');
  const noKeychain = page.locator('[data-testid="key-save-error"][data-code="KEYCHAIN_UNAVAILABLE"]');
  await expect(status.and(page.locator('[data-state="valid"]')).or(noKeychain)).toBeVisible();
  if (await noKeychain.isVisible()) await page.getByRole('button', { name: 'Keep for this session only' }).click();
  await expect(status).toHaveAttribute('data-state', 'valid');
}

/** Opens the catalogue and waits for the demo list (hundreds of plugins). */
export async function openCatalogue(app: AppUnderTest): Promise<void> {
  const { page } = app;
  await page.getByRole('link', { name: 'Catalogue' }).click();
  await expect(page.getByTestId('catalog-count')).toContainText(/\d{3} plugins/);
}

/** Adds a GLPI folder (a `fakeGlpi()` tree: GLPI 10.0.18) as the instance "prod". */
export async function addInstance(app: AppUnderTest, root: string): Promise<void> {
  const { page } = app;
  await page.getByRole('link', { name: /^Installed/ }).click();
  await expect(page.getByTestId('installed-screen')).toBeVisible();
  await page.getByLabel('GLPI folder').fill(root);
  await page.getByLabel('Name', { exact: true }).fill('prod');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await expect(page.getByTestId('instance-summary')).toContainText('GLPI 10.0.18');
}
