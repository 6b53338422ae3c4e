import type { Page } from '@playwright/test';
import { DEMO_KEYS } from '../standin/standin';
import { expect, test } from '../fixtures';
import { openCatalogue, saveValidKey } from '../steps';

/** Catalogue rows wholly inside the window. */
function rowsAboveFold(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('[data-testid="catalog-row"]')].filter((row) => {
        const box = row.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      }).length,
  );
}

/** How many px the page is wider than the window (0: no horizontal scrolling). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('at 1280x800 the compact catalogue shows many rows; comfortable rows stay available', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 800 });
  await saveValidKey(app, DEMO_KEYS.standard);
  await openCatalogue(app);
  const compact = page.getByRole('button', { name: 'Compact rows' });
  await expect(compact).toHaveAttribute('aria-pressed', 'true');
  // Before the compact view, one row was wholly visible at this size (two started above the fold).
  expect(await rowsAboveFold(page)).toBeGreaterThanOrEqual(8);

  await compact.click();
  await expect(compact).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('button', { name: /^Security \(\d+\)$/ })).toBeVisible();
  // Remembered across a reload.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'false');
});

test('two panes: arrows move the selection and the details follow; Enter goes in, Esc comes back', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 800 });
  await saveValidKey(app, DEMO_KEYS.standard);
  await openCatalogue(app);
  await page.getByRole('button', { name: 'Details beside the list' }).click();
  await expect(page.getByTestId('catalog-split')).toBeVisible();

  const list = page.getByRole('listbox', { name: 'Plugins' });
  const details = page.getByTestId('plugin-details');
  const rows = page.getByTestId('catalog-row');
  const first = await rows.nth(0).getAttribute('data-key');
  const second = await rows.nth(1).getAttribute('data-key');
  await list.focus();
  await expect(details).toHaveAttribute('data-key', first ?? '');
  await page.keyboard.press('ArrowDown');
  await expect(details).toHaveAttribute('data-key', second ?? '');
  await expect(list).toBeFocused();
  // The list and the details are side by side.
  const listBox = await list.boundingBox();
  const detailsBox = await details.boundingBox();
  expect(detailsBox?.x ?? 0).toBeGreaterThan((listBox?.x ?? 0) + (listBox?.width ?? 0) - 1);

  await page.keyboard.press('Enter');
  await expect(details.getByRole('heading', { level: 2 })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(list).toBeFocused();
  await expect(details).toHaveAttribute('data-key', second ?? '');
});

test('the Settings screen does not scroll sideways at 320 px wide', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 320, height: 800 });
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('network-settings')).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  for (const mode of ['Manual proxy', 'PAC script']) {
    await page.getByRole('radio', { name: mode }).check();
    expect(await horizontalOverflow(page), mode).toBe(0);
  }
});
