import type { Page } from '@playwright/test';
import { EARLY_ROW_TESTID } from '../../shared/early-rows';
import { expect, test } from '../fixtures';
import { DEMO_KEYS } from '../standin/standin';
import { openCatalogue, saveValidKey } from '../steps';

/** The browser shell puts the catalogue's first screen in the page it serves (shared/early-rows.ts). */
const SHELL_ONLY =
  'The Electron window opens app://marketdesk on the key screen: its page never carries the first rows.';

interface Box {
  key: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Records, in the page, the box of the first app row as it was first put in the document. */
async function recordFirstAppRow(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      const row = document.querySelector('[data-testid="catalog-row"]');
      if (!row) return;
      observer.disconnect();
      const r = row.getBoundingClientRect();
      (window as unknown as { __appRow: Box }).__appRow = {
        key: row.getAttribute('data-key'),
        x: Math.round(r.x),
        y: Math.round(r.y),
        width: Math.round(r.width),
        height: Math.round(r.height),
      };
    });
    observer.observe(document, { subtree: true, childList: true });
  });
}

/** Holds the app's code until `release` is called: what shows meanwhile is the served page alone. */
async function holdAppCode(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/.*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('on #catalog the first rows come with the page, and the app’s rows take their place', async ({
  app,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', SHELL_ONLY);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.advanced);
  await openCatalogue(app); // the cache is warm from here on
  await recordFirstAppRow(page);
  const release = await holdAppCode(page);

  const origin = new URL(page.url()).origin;
  await page.goto('about:blank'); // a new document, not a move to the same page's #catalog
  await page.goto(`${origin}/#catalog`, { waitUntil: 'commit' });
  const early = page.getByTestId(EARLY_ROW_TESTID).first();
  await expect(early).toBeVisible();
  await expect(page.getByTestId('catalog-early')).toHaveAttribute('inert', '');
  await expect(page.getByTestId('catalog-row')).toHaveCount(0);
  const box = await early.boundingBox();
  const key = await early.getAttribute('data-key');

  release();
  await expect(page.getByTestId('catalog-row').first()).toBeVisible();
  await expect(page.getByTestId('catalog-early')).toHaveCount(0);
  const appRow = await page.evaluate(() => (window as unknown as { __appRow: Box }).__appRow);
  // The same plugin in the same box: nothing moved when the app replaced the frame.
  expect(appRow).toEqual({
    key,
    x: Math.round(box?.x ?? NaN),
    y: Math.round(box?.y ?? NaN),
    width: Math.round(box?.width ?? NaN),
    height: Math.round(box?.height ?? NaN),
  });
});

test('the default route does not show the first rows', async ({ app }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', SHELL_ONLY);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.advanced);
  await openCatalogue(app);
  const release = await holdAppCode(page);

  const origin = new URL(page.url()).origin;
  await page.goto('about:blank');
  await page.goto(`${origin}/`, { waitUntil: 'commit' });
  // The page carries them (the server does not see the address's #), its script showed none.
  await expect(page.locator('template#catalog-early')).toBeAttached();
  await expect(page.locator('#root')).toBeEmpty();
  await expect(page.getByTestId(EARLY_ROW_TESTID)).toHaveCount(0);

  release();
  await expect(page.getByTestId('key-status')).toBeVisible();
  await expect(page.getByTestId(EARLY_ROW_TESTID)).toHaveCount(0);
});
