import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { fakeGlpi } from '../../electron/core/testing-glpi.testkit';
import { DEMO_KEYS } from '../standin/standin';
import { expect, test } from '../fixtures';
import { saveValidKey } from '../steps';

/**
 * Every screen, in the light and the dark theme (the theme follows the OS by default), has no
 * serious or critical WCAG 2.1 A/AA violation axe can find, and keyboard focus is visible.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SCHEMES = ['light', 'dark'] as const;

/** Scans the page as it is in both colour schemes; fails listing each violation with its targets. */
async function expectNoSeriousViolations(page: Page, screen: string) {
  const found: string[] = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    // The theme follows the OS: the page is really light or dark before it is scanned.
    await expect.poll(() => pageIsDark(page), `${screen} in the ${colorScheme} scheme`).toBe(colorScheme === 'dark');
    const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const v of violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      const targets = v.nodes.map(
        (n) => `      ${n.target.join(' ')}${n.failureSummary ? `: ${oneLine(n.failureSummary)}` : ''}`,
      );
      found.push(`[${colorScheme}] ${v.id} (${v.impact}): ${v.help}\n${targets.join('\n')}`);
    }
  }
  await page.emulateMedia({ colorScheme: null });
  expect(found, `${screen}: serious or critical accessibility violations\n${found.join('\n')}`).toEqual([]);
}

/** Whether the page background is dark (relative luminance below 0.2). */
function pageIsDark(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const [r = 0, g = 0, b = 0] = (getComputedStyle(document.body).backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
    const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b) < 0.2;
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

async function openCatalogue(page: Page) {
  await page.getByRole('link', { name: 'Catalogue' }).click();
  await expect(page.getByTestId('catalog-count')).toContainText(/\d{3} plugins/);
}

test('the key screen without a key, and with a key GLPI Network refuses', async ({ app }) => {
  const { page } = app;
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'none');
  await expectNoSeriousViolations(page, 'Key screen, no key');
  await page.getByLabel('Registration key', { exact: true }).fill(DEMO_KEYS.invalid);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('key-save-error')).toHaveAttribute('data-code', 'KEY_INVALID');
  await expectNoSeriousViolations(page, 'Key screen, refused key');
});

test('the key screen with a valid key, then unreachable, and the Forget dialog', async ({ app, standin }) => {
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await expect(page.getByTestId('key-owner')).not.toBeEmpty();
  await expectNoSeriousViolations(page, 'Key screen, valid key');

  standin.setFaults([{ fault: { mode: 'refuse', ms: 20_000 } }]);
  await page.getByRole('button', { name: 'Sync' }).click();
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'unreachable');
  await expect(page.getByTestId('key-failure')).toBeVisible();
  await expectNoSeriousViolations(page, 'Key screen, GLPI Network unreachable');

  await page.getByRole('button', { name: 'Forget' }).click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await expectNoSeriousViolations(page, 'Key screen, Forget dialog');
});

test('the catalogue with a plugin’s details open', async ({ app }) => {
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.basic);
  await openCatalogue(page);
  await expectNoSeriousViolations(page, 'Catalogue');
  await page.getByLabel('Search plugins').fill('metabase');
  await page.locator('[data-testid="catalog-row"][data-key="metabase"]').click();
  await page.keyboard.press('Enter');
  const details = page.locator('[data-testid="plugin-details"][data-key="metabase"]');
  await expect(details).toBeVisible();
  await expect(details.getByTestId('plugin-description')).not.toBeEmpty();
  await expectNoSeriousViolations(page, 'Catalogue, details open');
});

test('the catalogue in two panes, and in comfortable rows', async ({ app }) => {
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.basic);
  await openCatalogue(page);
  await page.getByRole('button', { name: 'Details beside the list' }).click();
  await page.getByRole('listbox', { name: 'Plugins' }).focus();
  await expect(page.getByTestId('plugin-details').getByTestId('plugin-description')).not.toBeEmpty();
  await expectNoSeriousViolations(page, 'Catalogue, two panes');
  await page.getByRole('button', { name: 'Compact rows' }).click();
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'false');
  await expectNoSeriousViolations(page, 'Catalogue, two panes, comfortable rows');
});

test('the entitlements screen', async ({ app }) => {
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.basic);
  await page.getByRole('link', { name: 'Entitlements' }).click();
  await expect(page.getByRole('table')).toBeVisible();
  await expectNoSeriousViolations(page, 'Entitlements');
});

test('the installed screen, before and after adding an instance', async ({ app }) => {
  // Five full scans: 24 s alone, and past the default 45 s beside another test on two busy cores.
  test.setTimeout(90_000);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await openCatalogue(page);
  await page.getByRole('link', { name: /^Installed/ }).click();
  await expect(page.getByTestId('installed-screen')).toBeVisible();
  await expect(page.getByLabel('GLPI folder')).toBeVisible();
  await expectNoSeriousViolations(page, 'Installed, no instance');
  await page.getByLabel('GLPI folder').fill(fakeGlpi());
  await page.getByLabel('Name', { exact: true }).fill('prod');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await expect(page.getByTestId('instance-summary')).toContainText('GLPI 10.0.18');
  await expect(
    page.locator('[data-testid="plugin-row"][data-key="fields"][data-location="marketplace"]'),
  ).not.toHaveAttribute('data-update', '');
  await expectNoSeriousViolations(page, 'Installed, with an instance');

  await page.getByTestId('update-all').click();
  await expect(page.getByRole('dialog', { name: 'Update plugins' })).toBeVisible();
  await expectNoSeriousViolations(page, 'Installed, Update all dialog');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Manifest…' }).click();
  const manifest = page.getByRole('dialog', { name: 'Manifest of prod' });
  await expect(manifest.getByRole('textbox', { name: 'Manifest of prod in JSON' })).toHaveValue(/"format": 1/);
  const draft = manifest.getByRole('textbox', { name: 'Manifest (JSON or YAML)' });
  await draft.fill('{ "format": 1, "plugins": [,] }');
  await manifest.getByRole('button', { name: 'Check and plan' }).click();
  await expect(manifest.getByTestId('manifest-errors')).toBeVisible();
  await expectNoSeriousViolations(page, 'Installed, Manifest dialog with an error');
  await draft.fill('{ "format": 1, "plugins": [{ "key": "datainjection", "version": "*" }] }');
  await manifest.getByRole('button', { name: 'Check and plan' }).click();
  await expect(manifest.getByTestId('manifest-plan')).toBeVisible();
  await expectNoSeriousViolations(page, 'Installed, Manifest dialog with a plan');
});

test('the offline bundle dialogs: export with its result, import with its check and plan', async ({
  app,
}, testInfo) => {
  test.setTimeout(90_000);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await page.getByRole('link', { name: /^Installed/ }).click();
  await page.getByLabel('GLPI folder').fill(fakeGlpi());
  await page.getByLabel('Name', { exact: true }).fill('prod');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await expect(page.getByTestId('instance-summary')).toContainText('GLPI 10.0.18');

  await page.getByRole('button', { name: 'Export bundle…' }).click();
  const exporting = page.getByRole('dialog', { name: 'Export an offline bundle from prod' });
  await expect(exporting.getByTestId('bundle-export-preview')).toBeVisible({ timeout: 20_000 });
  await expectNoSeriousViolations(page, 'Installed, Export dialog with the instance’s plugins');
  await exporting.getByRole('radio', { name: 'The plugins of a manifest' }).check();
  await exporting
    .getByRole('textbox', { name: 'Manifest to bundle (JSON or YAML)' })
    .fill(
      '{ "format": 1, "plugins": [{ "key": "fields", "version": "~1.21.20" }, { "key": "metabase", "version": "4.10.2" }] }',
    );
  await exporting.getByRole('button', { name: 'List the plugins' }).click();
  await expect(exporting.getByTestId('bundle-export-preview').getByRole('listitem')).toHaveCount(2, {
    timeout: 20_000,
  });
  await exporting.getByRole('button', { name: 'Make the bundle' }).click();
  const result = exporting.getByTestId('bundle-export-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expectNoSeriousViolations(page, 'Installed, Export dialog with the bundle made');
  const downloading = page.waitForEvent('download');
  await result.getByRole('link', { name: /^Download / }).click();
  const bundle = testInfo.outputPath('a11y.mdbundle');
  await (await downloading).saveAs(bundle);
  await page.keyboard.press('Escape');
  await expect(exporting).toBeHidden();

  await page.getByRole('button', { name: 'Import bundle…' }).click();
  const importing = page.getByRole('dialog', { name: 'Import an offline bundle into prod' });
  await expectNoSeriousViolations(page, 'Installed, Import dialog');
  await importing.getByLabel('Bundle file (.mdbundle)').setInputFiles(bundle);
  await importing.getByRole('textbox', { name: 'SHA-256 of the bundle (optional)' }).fill('not a checksum');
  await expect(importing.getByRole('button', { name: 'Check' })).toBeDisabled();
  await expectNoSeriousViolations(page, 'Installed, Import dialog with a malformed SHA-256');
  await importing.getByRole('textbox', { name: 'SHA-256 of the bundle (optional)' }).fill('');
  await importing.getByRole('button', { name: 'Check' }).click();
  await expect(importing.getByTestId('bundle-import-plan')).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousViolations(page, 'Installed, Import dialog with the check and the plan');
});

test('the installed screen in two panes', async ({ app }) => {
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await openCatalogue(page);
  await page.getByRole('link', { name: /^Installed/ }).click();
  await page.getByLabel('GLPI folder').fill(fakeGlpi());
  await page.getByLabel('Name', { exact: true }).fill('prod');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await expect(page.getByTestId('instance-summary')).toContainText('GLPI 10.0.18');
  await page.getByRole('button', { name: 'Details beside the list' }).click();
  const list = page.getByRole('listbox', { name: 'Plugins installed in prod' });
  await list.locator('[data-testid="installed-item"][data-key="fields"][data-location="marketplace"]').click();
  await expect(list).toBeFocused();
  const details = page.locator('[data-testid="installed-details"][data-key="fields"]');
  await expect(details.getByTestId('plugin-update')).toBeEnabled();
  await expect(details.getByTestId('catalog-version-row').first()).toBeVisible();
  await expect(details.getByTestId('plugin-description')).not.toBeEmpty();
  await expectNoSeriousViolations(page, 'Installed, two panes');
  await page.keyboard.press('Enter');
  await expect(details.getByRole('heading', { level: 2 })).toBeFocused();
  await page.getByRole('button', { name: 'Compact rows' }).click();
  await expect(page.getByRole('button', { name: 'Compact rows' })).toHaveAttribute('aria-pressed', 'false');
  await expectNoSeriousViolations(page, 'Installed, two panes, comfortable rows');
});

test('the add form for a GLPI server over SSH, and the fleet screen with a selection', async ({ app }) => {
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await openCatalogue(page);
  await page.getByRole('link', { name: /^Installed/ }).click();
  await page.getByRole('radio', { name: 'GLPI server over SSH' }).check();
  await page.getByRole('radio', { name: 'Private key file' }).check();
  await expect(page.getByLabel('Path of the private key')).toBeVisible();
  await expectNoSeriousViolations(page, 'Installed, adding a GLPI server over SSH');

  await page.getByRole('radio', { name: 'Folder on this computer' }).check();
  await page.getByLabel('GLPI folder').fill(fakeGlpi());
  await page.getByLabel('Name', { exact: true }).fill('prod');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await expect(page.getByTestId('instance-summary')).toContainText('GLPI 10.0.18');
  await page.getByRole('link', { name: 'Fleet' }).click();
  await expect(page.getByTestId('fleet-row-prod')).toHaveAttribute('data-reachable', 'true');
  await page.getByRole('checkbox', { name: 'Select prod' }).check();
  await expect(page.getByRole('button', { name: 'Update all plugins' })).toBeEnabled();
  await expectNoSeriousViolations(page, 'Fleet, one instance selected');
});

test('the doctor after a run', async ({ app }) => {
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.advanced);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Doctor' }).click();
  await expectNoSeriousViolations(page, 'Doctor, not run');
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.getByTestId('doctor-report')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('doctor-live')).toContainText('Checks done.');
  await expectNoSeriousViolations(page, 'Doctor, after a run');
});

test('the settings screen', async ({ app }) => {
  const { page } = app;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/#settings$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expectNoSeriousViolations(page, 'Settings');
});

test.describe('in French', () => {
  test.use({ appEnv: { LANG: 'fr_FR.UTF-8' } });

  test('the key screen', async ({ app }) => {
    const { page } = app;
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr-FR');
    await expect(page.getByTestId('key-status')).toContainText('Aucune clé d’enregistrement');
    await expectNoSeriousViolations(page, 'Key screen in French');
  });
});

/** What the focused element shows: an outline or a ring (box-shadow), and its contrast with the page. */
async function focusIndicator(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 4).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    // The background the outline is drawn on: the first opaque one up the tree.
    let bg = 'rgb(255, 255, 255)';
    for (let node = el.parentElement; node; node = node.parentElement) {
      const c = getComputedStyle(node).backgroundColor;
      const alpha = rgb(c)[3];
      if (c !== 'transparent' && (alpha === undefined || alpha > 0.9)) {
        bg = c;
        break;
      }
    }
    const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow !== 'none' ? style.boxShadow : '';
    const color = outlined ? style.outlineColor : (ring.match(/rgba?\([^)]*\)/)?.[0] ?? '');
    const [l1, l2] = [luminance(rgb(color)), luminance(rgb(bg))].sort((a, b) => b - a);
    return {
      what: `${el.tagName.toLowerCase()}${el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`,
      tag: el.tagName.toLowerCase(),
      visible: outlined || ring !== '',
      contrast: color ? (l1! + 0.05) / (l2! + 0.05) : 0,
    };
  });
}

for (const colorScheme of SCHEMES) {
  test(`keyboard focus is visible on links, buttons and fields (${colorScheme})`, async ({ app }) => {
    const { page } = app;
    await page.emulateMedia({ colorScheme });
    await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'none');
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    const seen = new Set<string>();
    const faults: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const focus = await focusIndicator(page);
      if (!focus) continue;
      seen.add(focus.tag);
      if (!focus.visible) faults.push(`${focus.what}: no outline or ring`);
      else if (focus.contrast < 3)
        faults.push(`${focus.what}: focus indicator contrast ${focus.contrast.toFixed(2)}:1`);
    }
    expect(faults, faults.join('\n')).toEqual([]);
    expect([...seen]).toEqual(expect.arrayContaining(['a', 'button', 'input']));
  });
}
