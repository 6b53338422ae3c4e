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

/** How the parts of a catalogue frame (header, list, a row and its texts) look: boxes, colours, fonts. */
type Look = Record<string, string>;

interface Recorded {
  __look: (frame: Element, row: Element) => Look;
  __appRow: Box;
  __appLook: Look;
}

/**
 * Defines `__look` in the page, and records the box and look of the first app row as it was first
 * put in the document (before anything else moves it).
 */
async function recordFirstAppRow(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as Recorded;
    w.__look = (frame, row) => {
      const look: Look = {};
      const describe = (name: string, el: Element | null, what: 'box' | 'text' | 'panel') => {
        if (!el) return;
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        const at = `${Math.round(r.x)},${Math.round(r.y)}`;
        // A text's width is its column's: the app's side column holds more (its badges) than the frame's.
        if (what === 'text')
          look[name] =
            `${at} h${Math.round(r.height)} ${s.color}, ${s.fontFamily} ${s.fontSize}/${s.lineHeight} ${s.fontWeight}`;
        else look[name] = `${at} ${Math.round(r.width)}x${Math.round(r.height)}`;
        if (what === 'panel')
          look[name] += ` ${s.backgroundColor}, border ${s.borderBottomWidth} ${s.borderBottomColor}`;
      };
      describe('header', frame.querySelector('.app-header'), 'panel');
      describe('list', frame.querySelector('.catalog-list'), 'panel');
      describe('row', row, 'box'); // the app's first row is the active one, tinted
      describe('logo', row.querySelector('.plugin-logo'), 'box');
      describe('name', row.querySelector('.catalog-row__name'), 'text');
      describe('key', row.querySelector('.catalog-row__key'), 'text');
      describe('description', row.querySelector('.catalog-row__description'), 'text');
      return look;
    };
    const observer = new MutationObserver(() => {
      const row = document.querySelector('[data-testid="catalog-row"]');
      const frame = row?.closest('.app');
      if (!row || !frame) return;
      observer.disconnect();
      const r = row.getBoundingClientRect();
      w.__appRow = {
        key: row.getAttribute('data-key'),
        x: Math.round(r.x),
        y: Math.round(r.y),
        width: Math.round(r.width),
        height: Math.round(r.height),
      };
      w.__appLook = w.__look(frame, row);
    });
    observer.observe(document, { subtree: true, childList: true });
  });
}

/** The served frame's look (`__look`), now. */
async function earlyLook(page: Page): Promise<Look> {
  return page.evaluate((testid) => {
    const frame = document.querySelector('[data-testid="catalog-early"]');
    const row = frame?.querySelector(`[data-testid="${testid}"]`);
    return frame && row ? (window as unknown as Recorded).__look(frame, row) : {};
  }, EARLY_ROW_TESTID);
}

/**
 * Holds the app's files of one kind (its code, its stylesheet) until `release` is called: what shows
 * meanwhile is the served page without them.
 */
async function hold(page: Page, files: RegExp): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(files, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}
const APP_CODE = /\/assets\/.*\.js$/;
const APP_STYLES = /\/assets\/.*\.css$/;

/** Whether the app's stylesheet applies to the page (its link is put in once the frame is painted). */
async function appStylesApply(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].some((link) => link.sheet !== null),
  );
}

test('on #catalog the first rows paint before the app’s styles and code, and the app’s rows take their place', async ({
  app,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', SHELL_ONLY);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.advanced);
  await openCatalogue(app); // the cache is warm from here on
  await recordFirstAppRow(page);
  const releaseCode = await hold(page, APP_CODE);
  const releaseStyles = await hold(page, APP_STYLES);
  // The whole list waits for the app's first rows, so that the app's first render is the first
  // screen's (with the tag row, its counts the whole list's); its arrival must then move nothing.
  let releaseList = () => {};
  const listHeld = new Promise<void>((resolve) => (releaseList = resolve));
  await page.route(/\/api\/invoke\/catalog\.list$/, async (route) => {
    if (!route.request().postData()?.includes('"first"')) await listHeld;
    await route.continue();
  });

  const origin = new URL(page.url()).origin;
  await page.goto('about:blank'); // a new document, not a move to the same page's #catalog
  const codeAsked: string[] = [];
  page.on('request', (r) => void (APP_CODE.test(r.url()) && codeAsked.push(r.url())));
  await page.goto(`${origin}/#catalog`, { waitUntil: 'commit' });
  const early = page.getByTestId(EARLY_ROW_TESTID).first();
  await expect(early).toBeVisible();
  // A frame is rendered while the app's stylesheet is held (one in <head> would hold every frame).
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  expect(await appStylesApply(page)).toBe(false);
  // Meanwhile only the app's main chunk is preloaded; its entry (index-*.js, as the build names it)
  // is not even asked for before the stylesheet has loaded: the app never renders unstyled.
  await expect.poll(() => codeAsked.length).toBe(1);
  expect(codeAsked.filter((url) => /\/assets\/index-[^/]*\.js$/.test(url))).toEqual([]);
  await expect(page.getByTestId('catalog-early')).toHaveAttribute('inert', '');
  await expect(page.getByTestId('catalog-row')).toHaveCount(0);
  const before = await earlyLook(page);
  expect(Object.keys(before)).toHaveLength(7);

  // The app's stylesheet changes nothing of the frame.
  releaseStyles();
  await expect.poll(() => appStylesApply(page)).toBe(true);
  expect(await earlyLook(page)).toEqual(before);
  const box = await early.boundingBox();
  const key = await early.getAttribute('data-key');

  releaseCode();
  await expect(page.getByTestId('catalog-row').first()).toBeVisible();
  releaseList();
  await expect(page.getByTestId('catalog-early')).toHaveCount(0);
  const { __appRow: appRow, __appLook: appLook } = await page.evaluate(() => {
    const { __appRow, __appLook } = window as unknown as Recorded;
    return { __appRow, __appLook };
  });
  // The frame's own style (shared/early-style.ts) paints it as the app's styles paint the app.
  expect(appLook).toEqual(before);
  // The same plugin in the same box: nothing moved when the app replaced the frame.
  const sameBox = {
    key,
    x: Math.round(box?.x ?? NaN),
    y: Math.round(box?.y ?? NaN),
    width: Math.round(box?.width ?? NaN),
    height: Math.round(box?.height ?? NaN),
  };
  expect(appRow).toEqual(sameBox);
  // Nor when the whole list arrived: the tag row was there from the first screen, as it stays.
  await expect(page.locator('.tag-filter')).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => document.querySelector('[data-testid="catalog-list"]')?.getAttribute('aria-busy')))
    .toBeNull();
  const now = await page
    .getByTestId('catalog-row')
    .first()
    .evaluate((row) => {
      const r = row.getBoundingClientRect();
      const round = Math.round;
      return {
        key: row.getAttribute('data-key'),
        x: round(r.x),
        y: round(r.y),
        width: round(r.width),
        height: round(r.height),
      };
    });
  expect(now).toEqual(sameBox);
});

test('on #catalog the app’s files are asked for only once a frame with the first rows is rendered', async ({
  app,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', SHELL_ONLY);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.advanced);
  await openCatalogue(app);
  // In the page's own clock: the frame after the one in which the first early row was put in.
  await page.addInitScript((testid) => {
    const w = window as unknown as { __framed: number | null };
    w.__framed = null;
    const observer = new MutationObserver(() => {
      if (!document.querySelector(`[data-testid="${testid}"]`)) return;
      observer.disconnect();
      requestAnimationFrame(() => (w.__framed = performance.now()));
    });
    observer.observe(document, { subtree: true, childList: true });
  }, EARLY_ROW_TESTID);
  const origin = new URL(page.url()).origin;
  await page.goto('about:blank');
  await page.goto(`${origin}/#catalog`);
  await expect(page.getByTestId('catalog-row').first()).toBeVisible();
  const { framed, asked } = await page.evaluate(() => ({
    framed: (window as unknown as { __framed: number | null }).__framed,
    asked: performance
      .getEntriesByType('resource')
      .filter((e) => /\/assets\/.*\.(js|css)$/.test(e.name))
      .map((e) => e.startTime),
  }));
  expect(framed).not.toBeNull();
  expect(asked.length).toBeGreaterThanOrEqual(2);
  expect(Math.min(...asked)).toBeGreaterThanOrEqual(framed ?? Infinity);
});

test('the default route neither shows nor announces the first rows', async ({ app }, testInfo) => {
  test.skip(testInfo.project.name !== 'browser-shell', SHELL_ONLY);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.advanced);
  await openCatalogue(app);
  const releaseCode = await hold(page, APP_CODE);
  const releaseStyles = await hold(page, APP_STYLES);

  const origin = new URL(page.url()).origin;
  await page.goto('about:blank');
  await page.goto(`${origin}/`, { waitUntil: 'commit' });
  // The page carries them (the server does not see the address's #), its styles hide them.
  const frame = page.locator('#root > [data-testid="catalog-early"]');
  await expect(frame).toBeAttached();
  const key = (await page.getByTestId(EARLY_ROW_TESTID).first().getAttribute('data-key')) ?? '';
  expect(key).not.toBe('');
  await expect(frame).toBeHidden();
  expect(await page.locator('body').ariaSnapshot()).not.toContain(key);

  // Also once the app's `.app` rule applies.
  releaseStyles();
  await expect.poll(() => appStylesApply(page)).toBe(true);
  await expect(frame).toBeHidden();
  expect(await page.locator('body').ariaSnapshot()).not.toContain(key);

  releaseCode();
  await expect(page.getByTestId('key-status')).toBeVisible();
  await expect(page.getByTestId(EARLY_ROW_TESTID)).toHaveCount(0);
});
