import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fakeGlpi } from '../../electron/core/testing-glpi.testkit';
import type { HistoryEntry } from '../../shared/instances';
import { expect, test, type AppUnderTest } from '../fixtures';
import { DEMO_KEYS } from '../standin/standin';
import { addInstance, openCatalogue, saveValidKey } from '../steps';

const row = (app: AppUnderTest, key: string, location = 'marketplace') =>
  app.page.locator(`[data-testid="plugin-row"][data-key="${key}"][data-location="${location}"]`);

/** Every folder named `name` under `dir` (the profile's data folder layout varies). */
function foldersNamed(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => (e.name === name ? [join(dir, e.name)] : foldersNamed(join(dir, e.name), name)));
}

test('a manifest attached, planned and applied, then applied again with nothing to do; Update all meets a republished archive, trusted for that plugin', async ({
  app,
  standin,
}) => {
  test.setTimeout(150_000);
  const { page } = app;
  await saveValidKey(app, DEMO_KEYS.standard);
  await openCatalogue(app);
  await addInstance(app, fakeGlpi());
  const fields = row(app, 'fields');
  await expect(fields).not.toHaveAttribute('data-update', '');
  const target = (await fields.getAttribute('data-update')) ?? '';
  expect(target).toMatch(/^1\.21\.\d+$/);

  // The Manifest dialog of the active instance: what it has, then a manifest to apply.
  await page.getByRole('button', { name: 'Manifest…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Manifest of prod' });
  await expect(dialog.getByRole('textbox', { name: 'Manifest of prod in JSON' })).toHaveValue(
    /"key": "fields",\s+"version": "1\.21\.0"/,
  );
  await expect(dialog.getByTestId('manifest-attached')).toHaveText('No manifest is attached to prod.');
  const draft = dialog.getByRole('textbox', { name: 'Manifest (JSON or YAML)' });
  await draft.fill('format: 1\nplugins:\n  - key: fields\n    version: 1.20\n');
  await dialog.getByRole('button', { name: 'Check and plan' }).click();
  await expect(dialog.getByTestId('manifest-errors')).toContainText(
    'plugins[0].version: a version or range as a string (in YAML, quote it',
  );

  const manifest = {
    format: 1,
    plugins: [
      { key: 'fields', version: target },
      { key: 'datainjection', version: '*' },
    ],
  };
  await draft.fill(JSON.stringify(manifest, null, 2));
  await dialog.getByRole('button', { name: 'Check and plan' }).click();
  const plan = dialog.getByTestId('manifest-plan').getByRole('listitem');
  await expect(plan).toHaveText([`Update fields 1.21.0 → ${target}`, /^Install datainjection \d/]);
  await expect(dialog).toContainText('Not in the manifest, kept (tick Prune to remove them): ');
  await dialog.getByRole('button', { name: 'Attach to prod' }).click();
  await expect(dialog.getByTestId('manifest-attach-status')).toHaveText(
    'Attached to prod: the Fleet view shows how it drifts from this manifest.',
  );

  await dialog.getByRole('button', { name: 'Apply to prod' }).click();
  const result = dialog.getByTestId('manifest-result');
  await expect(result).toHaveText(/^Done: 2 changes made\./, { timeout: 60_000 });
  await expect(result.getByRole('listitem')).toHaveText([
    `Done: Update fields 1.21.0 → ${target}`,
    /^Done: Install datainjection \d/,
  ]);
  await expect(dialog.getByTestId('manifest-plan-none')).toHaveText('Nothing to do: prod matches the manifest.');
  await dialog.getByRole('button', { name: 'Apply to prod' }).click();
  await expect(result).toHaveText('Nothing to do: prod already matches the manifest.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(fields.locator('td').first()).toHaveText(target);

  // Back to 1.21.0; the author republishes the pinned version with other bytes, and this computer
  // no longer has the first archive.
  await fields.getByRole('button', { name: 'Restore the previous version of fields' }).click();
  await page
    .getByRole('alertdialog', { name: 'Restore fields 1.21.0, an older version?' })
    .getByRole('button', { name: 'Restore 1.21.0' })
    .click();
  await expect(fields.locator('td').first()).toHaveText('1.21.0', { timeout: 30_000 });
  standin.republish('fields', target);
  for (const folder of foldersNamed(app.home, 'downloads')) rmSync(folder, { recursive: true, force: true });

  await page.getByTestId('update-all').click();
  const batch = page.getByRole('dialog', { name: 'Update plugins' });
  const count = await batch.getByTestId('update-all-row').count();
  await batch.getByRole('button', { name: `Update ${count} selected` }).click();
  const line = batch.locator('[data-testid="update-all-row"][data-key="fields"]');
  await expect(line).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  const checksums = line.getByTestId('job-checksums');
  await expect(checksums).toContainText(`the archive of fields ${target} is not the one first installed`);
  const sums = checksums.locator('code.checksum');
  await expect(sums).toHaveText([/^[0-9a-f]{64}$/, /^[0-9a-f]{64}$/]);
  const received = (await sums.nth(1).textContent()) ?? '';
  expect(received).not.toBe(await sums.nth(0).textContent());
  await expect(batch.getByTestId('update-all-summary')).toContainText('Failed: 1.', { timeout: 60_000 });

  const trust = line.getByRole('button', { name: `Trust the new archive and update fields ${target}` });
  await trust.focus();
  await page.keyboard.press('Enter');
  await expect(line).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(batch.getByTestId('update-all-summary')).toContainText('Failed: 0.');
  await batch.getByRole('button', { name: 'Close' }).click();
  await expect(fields.locator('td').first()).toHaveText(target);

  // The history says the admin confirmed the new checksum.
  await page.getByTestId('history-toggle').click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const file = await (await download).path();
  const history = JSON.parse(readFileSync(file, 'utf8')) as HistoryEntry[];
  expect(history.at(-1)).toMatchObject({
    action: 'update',
    key: 'fields',
    to: target,
    result: 'ok',
    sha256: received,
    checksumChange: { to: received, confirmedBy: 'admin' },
  });
});
