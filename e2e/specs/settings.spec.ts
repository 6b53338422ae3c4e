import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

/** The page background as the browser paints it (theme.css: #f3f4f7 light, #111418 dark). */
function background(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}
const LIGHT_BG = 'rgb(243, 244, 247)';
const DARK_BG = 'rgb(17, 20, 24)';

async function openSettings(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/#settings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
}

test('the theme and the check interval are saved by the core and still set after a reload', async ({ app }) => {
  const { page } = app;
  await page.emulateMedia({ colorScheme: 'light' });
  await openSettings(page);
  expect(await background(page)).toBe(LIGHT_BG);

  const general = page.getByRole('region', { name: 'General' });
  await general.getByLabel('Theme').selectOption({ label: 'Dark' });
  await general.getByRole('button', { name: 'Save general settings' }).click();
  await expect(general.getByTestId('settings-status')).toHaveText('The general settings were saved.');
  // Dark on a light system.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => background(page)).toBe(DARK_BG);

  const updates = page.getByRole('region', { name: 'Catalogue and updates' });
  await updates.getByLabel('Check for updates every (hours)').fill('12');
  await updates.getByRole('button', { name: 'Save catalogue and update settings' }).click();
  await expect(updates.getByTestId('settings-status')).toHaveText('The catalogue and update settings were saved.');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'General' }).getByLabel('Theme')).toHaveValue('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => background(page)).toBe(DARK_BG);
  await expect(
    page.getByRole('region', { name: 'Catalogue and updates' }).getByLabel('Check for updates every (hours)'),
  ).toHaveValue('12');

  // Light on a dark system, then the system's again.
  await page.emulateMedia({ colorScheme: 'dark' });
  const theme = page.getByRole('region', { name: 'General' }).getByLabel('Theme');
  await theme.selectOption({ label: 'Light' });
  await page.getByRole('button', { name: 'Save general settings' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => background(page)).toBe(LIGHT_BG);
  await theme.selectOption({ label: 'System' });
  await page.getByRole('button', { name: 'Save general settings' }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
  await expect.poll(() => background(page)).toBe(DARK_BG);
  // The settings file has the values, in electron-store's format.
  expect(app.filesText()).toMatch(/"checkIntervalHours": ?12/);
});

test('a refused value shows the core’s message next to the field and keeps what was typed', async ({ app }) => {
  const { page } = app;
  await openSettings(page);
  const updates = page.getByRole('region', { name: 'Catalogue and updates' });
  const interval = updates.getByLabel('Check for updates every (hours)');
  await interval.fill('500');
  await updates.getByRole('button', { name: 'Save catalogue and update settings' }).click();

  const alert = updates.getByRole('alert');
  await expect(alert).toContainText('Check for updates every 1 to 168 hours (whole hours; at most once an hour).');
  await expect(interval).toHaveValue('500');
  await expect(interval).toHaveAttribute('aria-invalid', 'true');
  await expect(interval).toBeFocused();
  // The message is read with the field.
  await expect(interval).toHaveAccessibleDescription(/Check for updates every 1 to 168 hours/);

  const consoleSection = page.getByRole('region', { name: 'GLPI console' });
  const php = consoleSection.getByLabel('php binary');
  await php.fill('bin/php');
  await consoleSection.getByRole('button', { name: 'Save console settings' }).click();
  await expect(consoleSection.getByRole('alert')).toContainText('"bin/php" is not an absolute path to a php binary');
  await expect(php).toHaveValue('bin/php');

  // Nothing was saved.
  await page.reload();
  await expect(
    page.getByRole('region', { name: 'Catalogue and updates' }).getByLabel('Check for updates every (hours)'),
  ).toHaveValue('6');
  await expect(page.getByRole('region', { name: 'GLPI console' }).getByLabel('php binary')).toHaveValue('');
});

test('the browser shell shows the services URL and the extra certificates read-only, with the commands', async ({
  app,
  standin,
}, testInfo) => {
  test.skip(
    testInfo.project.name === 'electron',
    'Browser-shell only: the desktop app edits these through main-process dialogs instead of showing them read-only (those flows are tested in electron/core/settings-handlers.test.ts and settings-screen.test.tsx).',
  );
  const { page } = app;
  await openSettings(page);
  const services = page.getByRole('region', { name: 'GLPI Network address' });
  const url = services.getByLabel('Services URL');
  await expect(url).toHaveValue(standin.url.replace(/\/+$/, ''));
  await expect(url).not.toBeEditable();
  await expect(url).toHaveAccessibleDescription(/marketdesk config services-url URL/);
  await expect(services.getByTestId('settings-services-source')).toContainText('GLPI_NETWORK_SERVICES');
  await expect(services.getByRole('button')).toHaveCount(0);

  const ca = page.getByRole('region', { name: 'Extra trusted certificates' });
  await expect(ca).toContainText('None: only the default authorities are trusted.');
  await expect(ca.getByTestId('settings-ca-cli')).toContainText('marketdesk config ca --add FILE');
  await expect(ca.getByRole('button')).toHaveCount(0);
});
