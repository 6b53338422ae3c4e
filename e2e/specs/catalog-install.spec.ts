import { fakeGlpi } from '../../electron/core/testing-glpi.testkit';
import { DEMO_KEYS } from '../standin/standin';
import { expect, test, type AppUnderTest } from '../fixtures';
import { addInstance, openCatalogue, saveValidKey } from '../steps';

async function withKey(app: AppUnderTest, key: string) {
  await saveValidKey(app, key);
  await openCatalogue(app);
}

async function openDetails(app: AppUnderTest, key: string) {
  const { page } = app;
  await page.getByLabel('Search plugins').fill(key);
  const row = page.locator(`[data-testid="catalog-row"][data-key="${key}"]`);
  await row.click();
  const details = page.getByTestId('plugin-details');
  await expect(details).toHaveAttribute('data-key', key);
  return { row, details };
}

/** The plugin rows of the Installed view, as "key location version" lines. */
async function installedRows(app: AppUnderTest): Promise<string[]> {
  const { page } = app;
  await page.getByRole('link', { name: /^Installed/ }).click();
  await expect(page.getByTestId('instance-summary')).toBeVisible();
  const rows = page.getByTestId('plugin-row');
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((els) =>
    els.map((el) =>
      [el.getAttribute('data-key'), el.getAttribute('data-location'), el.querySelector('td')?.textContent].join(' '),
    ),
  );
}

test('a Standard key installs a free plugin from the catalogue details, then sees it in Installed', async ({ app }) => {
  // datainjection comes as its real release is shaped: a 3 MB .tar.bz2 of ~250 files.
  test.slow();
  const { page } = app;
  await withKey(app, DEMO_KEYS.standard);
  await addInstance(app, fakeGlpi());
  await openCatalogue(app);

  // fields is in the fake GLPI: its row says so.
  await page.getByLabel('Search plugins').fill('fields');
  await expect(
    page.locator('[data-testid="catalog-row"][data-key="fields"]').getByTestId('catalog-installed'),
  ).toBeVisible();

  // datainjection is not.
  const { row, details } = await openDetails(app, 'datainjection');
  await expect(details.getByTestId('catalog-install-where')).toContainText('In prod (GLPI 10.0.18):');
  await expect(details.getByTestId('catalog-not-installed')).toBeVisible();
  const install = details.getByTestId('catalog-install');
  await expect(install).toBeEnabled();
  const version = (await install.getAttribute('data-version')) ?? '';
  expect(version).toMatch(/^\d+\.\d+/);
  await expect(install).toHaveText(`Install ${version}`);
  await expect(details.locator(`[data-testid="version-row"][data-version="${version}"]`)).toHaveAttribute(
    'data-latest',
    'true',
  );

  await install.click();
  const job = details.getByTestId('job-status');
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(job).toContainText(`datainjection ${version} installed.`);
  await expect(job).toContainText(
    'Next step in GLPI: In GLPI, open Setup > Plugins, then install and enable datainjection.',
  );
  await expect(details.getByTestId('catalog-installed')).toHaveText(`Installed ${version}`);
  await expect(details.locator(`[data-testid="version-row"][data-version="${version}"]`)).toHaveAttribute(
    'data-installed',
    'true',
  );
  await expect(install).toHaveText(`Reinstall ${version}`);

  await page.getByTestId('details-back').click();
  await expect(row.getByTestId('catalog-installed')).toHaveText(`Installed ${version}`);
  await expect(row).toHaveAttribute('data-installed', version);

  expect(await installedRows(app)).toContain(`datainjection marketplace ${version}`);
});

test('a Basic key cannot install a Standard plugin: the button says "Needs Standard"', async ({ app }) => {
  const { page } = app;
  await withKey(app, DEMO_KEYS.basic);
  await addInstance(app, fakeGlpi());
  const before = await installedRows(app);
  expect(before.some((r) => r.startsWith('webhookpro '))).toBe(false);

  await openCatalogue(app);
  const { details } = await openDetails(app, 'webhookpro');
  await expect(details.getByTestId('details-availability')).toHaveAttribute('data-availability', 'needs-tier');
  const install = details.getByTestId('catalog-install');
  await expect(install).toBeDisabled();
  await expect(install).toHaveAccessibleDescription('Needs Standard');
  await expect(install).toHaveAttribute('title', 'Needs Standard');
  await expect(details.getByTestId('catalog-install-reason')).toHaveText('Needs Standard');
  const versions = details.getByTestId('version-install');
  await expect(versions.first()).toBeVisible();
  for (const button of await versions.all()) {
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription('Needs Standard');
  }
  await expect(details.getByTestId('job-status')).toHaveCount(0);

  expect(await installedRows(app)).toEqual(before);
  await expect(page.getByTestId('plugin-row').filter({ hasText: 'webhookpro' })).toHaveCount(0);
});
