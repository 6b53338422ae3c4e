import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeGlpi } from '../../electron/core/testing-glpi.testkit';
import type { HistoryEntry } from '../../shared/instances';
import { expect, test, type AppUnderTest } from '../fixtures';
import { DEMO_KEYS } from '../standin/standin';
import { addInstance, saveValidKey } from '../steps';

/** fields (a real-shaped .tar.bz2, 1.21.0 installed → 1.21.23) and metabase (premium: Standard and up). */
const MANIFEST = JSON.stringify({
  format: 1,
  plugins: [
    { key: 'fields', version: '~1.21.20' },
    { key: 'metabase', version: '4.10.2' },
  ],
});

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A copy of `file` with one byte flipped in the middle of the body of its first member named `prefix…`. */
function tamperedCopy(file: string, prefix: string): string {
  const bytes = readFileSync(file);
  for (let at = 0; at + 512 <= bytes.length;) {
    const name = bytes
      .subarray(at, at + 100)
      .toString('latin1')
      .replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(
      bytes
        .subarray(at + 124, at + 136)
        .toString('latin1')
        .replace(/\0.*$/s, '')
        .trim(),
      8,
    );
    if (name.startsWith(prefix)) {
      const i = at + 512 + Math.floor(size / 2);
      bytes[i] = (bytes[i] ?? 0) ^ 0xff;
      const copy = `${file}.tampered.mdbundle`;
      writeFileSync(copy, bytes);
      return copy;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no member ${prefix}… in ${file}`);
}

/** The version a plugin folder's setup.php defines (`define('PLUGIN_<KEY>_VERSION', '…')` at a line's start). */
function versionIn(root: string, key: string): string | null {
  const setup = join(root, 'marketplace', key, 'setup.php');
  const defined = new RegExp(`^define\\('PLUGIN_${key.toUpperCase()}_VERSION',\\s*'([^']+)'`, 'm');
  return existsSync(setup) ? (defined.exec(readFileSync(setup, 'utf8'))?.[1] ?? null) : null;
}

/** What the browser shell keeps in its bundle transfers folder (temporary uploads and exports). */
function transfers(app: AppUnderTest): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (!e.isDirectory()) continue;
      if (e.name === 'bundle-transfers') found.push(...readdirSync(path));
      else walk(path);
    }
  };
  walk(app.home);
  return found;
}

test('exports a bundle in the browser shell, then with GLPI Network stopped refuses a tampered copy and imports it into another instance', async ({
  app,
  standin,
}, testInfo) => {
  test.setTimeout(150_000);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await addInstance(app, fakeGlpi());

  // Export: a manifest's plugins for the instance's GLPI version, listed first with their tiers.
  await page.getByRole('button', { name: 'Export bundle…' }).click();
  const exporting = page.getByRole('dialog', { name: 'Export an offline bundle from prod' });
  await expect(exporting.getByRole('textbox', { name: 'Target GLPI version' })).toHaveValue('10.0.18');
  await exporting.getByRole('radio', { name: 'The plugins of a manifest' }).check();
  await exporting.getByRole('textbox', { name: 'Manifest to bundle (JSON or YAML)' }).fill(MANIFEST);
  await exporting.getByRole('button', { name: 'List the plugins' }).click();
  const preview = exporting.getByTestId('bundle-export-preview').getByRole('listitem');
  await expect(preview).toHaveText(
    ['Additional fields (fields) 1.21.23 Tier: Free', 'Metabase (metabase) 4.10.2 Tier: Standard'],
    {
      timeout: 20_000,
    },
  );

  await exporting.getByRole('button', { name: 'Make the bundle' }).click();
  const result = exporting.getByTestId('bundle-export-result');
  await expect(result).toContainText('Bundle made: manifest-plugins-10.0.18-', { timeout: 60_000 });
  const sha256 = (await result.getByTestId('bundle-sha256-value').textContent()) ?? '';
  expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  await expect(result).toContainText('Send this SHA-256 apart from the file, over a channel you trust');
  const downloading = page.waitForEvent('download');
  await result.getByRole('link', { name: /^Download .+\.mdbundle$/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^manifest-plugins-10\.0\.18-\d{4}-\d{2}-\d{2}\.mdbundle$/);
  const bundle = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(bundle);
  expect(sha256Of(bundle)).toBe(sha256);
  expect(readFileSync(bundle).includes(DEMO_KEYS.standard)).toBe(false);
  expect(transfers(app)).toHaveLength(1);
  await exporting.getByRole('button', { name: 'Close' }).click();
  await expect(exporting).toBeHidden();
  // The temporary file the page downloaded goes with the dialog.
  await expect.poll(() => transfers(app)).toEqual([]);

  // The offline side: no GLPI Network at all, and another GLPI.
  await standin.close();
  const offline = fakeGlpi();
  await page.getByTestId('instance-add-toggle').click();
  await page.getByLabel('GLPI folder').fill(offline);
  await page.getByLabel('Name', { exact: true }).fill('offline');
  await page.getByRole('button', { name: 'Add instance' }).click();
  await expect(page.getByTestId('instance-summary')).toContainText('offline');

  await page.getByRole('button', { name: 'Import bundle…' }).click();
  const importing = page.getByRole('dialog', { name: 'Import an offline bundle into offline' });
  await expect(importing).toContainText('No network is used');
  await expect(importing).toContainText('Premium plugins are trusted as entitled when the bundle was made');
  const sha = importing.getByRole('textbox', { name: 'SHA-256 of the bundle (optional)' });
  await sha.fill(sha256);

  // A copy with one byte of an archive flipped: refused, nothing installed.
  const tampered = tamperedCopy(bundle, 'archives/fields-');
  await importing.getByLabel('Bundle file (.mdbundle)').setInputFiles(tampered);
  await expect(importing.getByTestId('bundle-import-chosen')).toContainText('File: ');
  await importing.getByRole('button', { name: 'Check' }).click();
  const verdict = importing.getByTestId('bundle-import-verdict');
  await expect(verdict).toHaveAttribute('data-verified', 'false', { timeout: 30_000 });
  await expect(verdict).toContainText('The whole file does not have the SHA-256 given');
  await expect(verdict).toContainText('Altered archives: fields. Nothing from this bundle will be installed.');
  await expect(importing.locator('[data-testid="bundle-import-inspect"] li[data-key="fields"]')).toHaveAttribute(
    'data-state',
    'tampered',
  );
  await expect(importing.getByRole('button', { name: 'Import into offline' })).toHaveCount(0);
  expect(versionIn(offline, 'fields')).toBe('1.21.0');
  expect(versionIn(offline, 'metabase')).toBe('1.0.0');

  // The bundle as made: checked, planned, imported, then nothing to do.
  const good = join(testInfo.outputPath(), 'copy.mdbundle');
  copyFileSync(bundle, good);
  await importing.getByLabel('Bundle file (.mdbundle)').setInputFiles(good);
  await expect(importing.getByTestId('bundle-import-chosen')).toContainText('File: copy.mdbundle');
  await importing.getByRole('button', { name: 'Check' }).click();
  await expect(verdict).toHaveAttribute('data-verified', 'true', { timeout: 30_000 });
  await expect(verdict).toContainText('The whole file has the SHA-256 given');
  await expect(importing.getByTestId('bundle-import-inspect')).toContainText(
    'Premium plugins were entitled by GLPI Network Standard when it was made',
  );
  await expect(importing.getByTestId('bundle-import-plan').getByRole('listitem')).toHaveText([
    'Update fields 1.21.0 → 1.21.23',
    'Update metabase 1.0.0 → 4.10.2',
  ]);
  await importing.getByRole('button', { name: 'Import into offline' }).click();
  const imported = importing.getByTestId('bundle-import-result');
  await expect(imported).toContainText('Done: 2 changes made in offline.', { timeout: 60_000 });
  await expect(imported.getByRole('listitem')).toHaveText([
    'Done: Update fields 1.21.0 → 1.21.23',
    'Done: Update metabase 1.0.0 → 4.10.2',
  ]);
  expect(versionIn(offline, 'fields')).toBe('1.21.23');
  expect(versionIn(offline, 'metabase')).toBe('4.10.2');

  await importing.getByRole('button', { name: 'Import into offline' }).click();
  await expect(imported).toHaveText('Nothing to do: offline already has every version of this bundle.', {
    timeout: 30_000,
  });
  await importing.getByRole('button', { name: 'Close' }).click();
  await expect(importing).toBeHidden();
  await expect.poll(() => transfers(app)).toEqual([]);

  // The Installed view and the history say so; the history names the bundle and its SHA-256.
  await expect(
    page.locator('[data-testid="plugin-row"][data-key="fields"][data-location="marketplace"] td').first(),
  ).toHaveText('1.21.23');
  await page.getByTestId('history-toggle').click();
  const exported = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const history = JSON.parse(readFileSync(await (await exported).path(), 'utf8')) as HistoryEntry[];
  expect(history.map((h) => [h.action, h.key, h.to, h.result, h.source?.kind, h.source?.sha256])).toEqual([
    ['update', 'fields', '1.21.23', 'ok', 'bundle', sha256],
    ['update', 'metabase', '4.10.2', 'ok', 'bundle', sha256],
  ]);
});

test('Stop ends an export whose download hangs: no bundle, no error, nothing left behind', async ({ app, standin }) => {
  test.setTimeout(90_000);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await addInstance(app, fakeGlpi());
  // The archives' server takes the request and never answers.
  standin.setFaults([{ fault: { mode: 'stall' }, path: '/downloads/' }]);

  await page.getByRole('button', { name: 'Export bundle…' }).click();
  const exporting = page.getByRole('dialog', { name: 'Export an offline bundle from prod' });
  await exporting.getByRole('radio', { name: 'The plugins of a manifest' }).check();
  await exporting.getByRole('textbox', { name: 'Manifest to bundle (JSON or YAML)' }).fill(MANIFEST);
  await exporting.getByRole('button', { name: 'List the plugins' }).click();
  await expect(exporting.getByTestId('bundle-export-preview').getByRole('listitem')).toHaveCount(2, {
    timeout: 20_000,
  });
  await exporting.getByRole('button', { name: 'Make the bundle' }).click();
  const progress = exporting.getByTestId('bundle-export-progress');
  await expect(progress).toBeVisible();
  await expect.poll(() => standin.requests.some((r) => r.path.startsWith('/downloads/'))).toBe(true);

  await progress.getByRole('button', { name: 'Stop' }).click();
  await expect(exporting.getByTestId('bundle-export-cancelled')).toHaveText('Cancelled: no bundle was made.');
  await expect(progress).toBeHidden();
  await expect(exporting.getByRole('alert')).toHaveCount(0);
  await exporting.getByRole('button', { name: 'Close' }).click();
  await expect(exporting).toBeHidden();
  await expect.poll(() => transfers(app)).toEqual([]);
});
