import { readFile } from 'node:fs/promises';
import { fakeGlpi } from '../../electron/core/testing-glpi.testkit';
import { DEMO_KEYS } from '../standin/standin';
import { expect, test, type AppUnderTest } from '../fixtures';

/**
 * A French admin: the OS language (LANG) is French and the profile has no language of its own, so
 * the UI speaks French from the first paint; the Settings screen switches it without a reload.
 * The doctor's checks and report, and install errors, come from the core with references to its
 * message catalogue (shared/messages) and are shown in French too; availability reasons and job
 * reports stay in English.
 */
test.use({ appEnv: { LANG: 'fr_FR.UTF-8' } });

const NAV = [
  'Clé d’enregistrement',
  'Catalogue',
  'Offres',
  'Installés',
  'Parc',
  'Planificateur',
  'Diagnostic',
  'Réglages',
];
const ENGLISH_NAV = [
  'Registration key',
  'Catalogue',
  'Entitlements',
  'Installed',
  'Fleet',
  'Planner',
  'Doctor',
  'Settings',
];

test('the key screen and the navigation are in French from the first paint', async ({ app }) => {
  const { page } = app;
  // Every text that ever reaches the page, from before the first paint on.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __texts: string[] }).__texts = seen;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) seen.push(n.textContent ?? '');
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.reload();

  await expect(page.locator('html')).toHaveAttribute('lang', 'fr-FR');
  const nav = page.getByRole('navigation', { name: 'Principale' });
  await expect(nav.getByRole('link')).toHaveText(NAV);
  await expect(nav.getByRole('link', { name: 'Clé d’enregistrement' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1, name: 'Clé d’enregistrement' })).toBeVisible();
  await expect(page.getByTestId('key-badge')).toContainText('Aucune clé');
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'none');
  await expect(page.getByTestId('key-status')).toContainText('Aucune clé d’enregistrement');
  await expect(page.getByRole('link', { name: 'Aller au contenu' })).toBeAttached();
  await expect(page.locator('header')).toContainText('Profil : default · Interface navigateur');

  const texts = await page.evaluate(() => (window as unknown as { __texts: string[] }).__texts.join('\n'));
  expect(texts).toContain('Clé d’enregistrement');
  for (const english of ['Registration key', 'Skip to content', 'Reading the key status', 'No key']) {
    expect(texts, `"${english}" was on the page before the French UI`).not.toContain(english);
  }

  // A key saved in French: the states, the subscription and its dates are French too.
  await page.getByLabel('Clé d’enregistrement', { exact: true }).fill(DEMO_KEYS.standard);
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'valid');
  await expect(page.getByTestId('key-badge')).toContainText('Valide · Standard');
  await expect(page.getByRole('heading', { name: 'La clé est valide' })).toBeVisible();
  await expect(page.getByTestId('key-status')).toContainText(/Du \d{1,2} [a-zéû.]+ \d{4} au \d{1,2} [a-zéû.]+ \d{4}/);
  await expect(page.getByRole('button', { name: 'Synchroniser' })).toBeVisible();
});

test('the Settings screen switches the language at once, without a reload', async ({ app }) => {
  const { page } = app;
  await expect(page.getByTestId('key-badge')).toContainText('Aucune clé');
  // Gone if the page were loaded again.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  await page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Réglages' }).click();
  const general = page.getByTestId('settings-general');
  const language = general.getByLabel('Langue');
  await expect(language).toHaveValue('system');
  await expect(language.locator('option[value="system"]')).toHaveText('Suivre le système (actuellement fr_FR)');
  await language.selectOption('en');
  await general.getByRole('button', { name: 'Enregistrer les réglages généraux' }).click();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText(ENGLISH_NAV);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByTestId('key-badge')).toContainText('No key');
  await expect(general.getByLabel('Language')).toHaveValue('en');

  // And back to the system's language, French.
  await general.getByLabel('Language').selectOption('system');
  await general.getByRole('button', { name: 'Save general settings' }).click();
  await expect(page.getByRole('navigation', { name: 'Principale' }).getByRole('link')).toHaveText(NAV);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr-FR');
  await expect(page.getByRole('heading', { level: 1, name: 'Réglages' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // The choice outlives a reload.
  await general.getByLabel('Langue').selectOption('en');
  await general.getByRole('button', { name: 'Enregistrer les réglages généraux' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(ENGLISH_NAV);
});

/** `saveValidKey` and `addInstance` of ../steps.ts, with the French labels. */
async function keyAndInstance(app: AppUnderTest): Promise<void> {
  const { page } = app;
  await page.getByLabel('Clé d’enregistrement', { exact: true }).fill(DEMO_KEYS.standard);
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  const status = page.getByTestId('key-status');
  const noKeychain = page.locator('[data-testid="key-save-error"][data-code="KEYCHAIN_UNAVAILABLE"]');
  await expect(status.and(page.locator('[data-state="valid"]')).or(noKeychain)).toBeVisible();
  if (await noKeychain.isVisible())
    await page.getByRole('button', { name: 'Conserver pour cette session seulement' }).click();
  await expect(status).toHaveAttribute('data-state', 'valid');
  await page.getByRole('link', { name: 'Catalogue' }).click();
  await expect(page.getByTestId('catalog-count')).toContainText(/\d{3} greffons/);
  await page.getByRole('link', { name: /^Installés/ }).click();
  await page.getByLabel('Dossier de GLPI').fill(fakeGlpi());
  await page.getByLabel('Nom', { exact: true }).fill('prod');
  await page.getByRole('button', { name: 'Ajouter l’instance' }).click();
  await expect(page.getByTestId('instance-summary')).toContainText('GLPI 10.0.18');
}

test('the doctor report is in French: sections, checks, summaries and the saved Markdown', async ({ app }) => {
  const { page } = app;
  await keyAndInstance(app);
  await page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Diagnostic' }).click();
  await page.getByRole('button', { name: 'Lancer les vérifications' }).click();
  const report = page.getByTestId('doctor-report');
  await expect(report).toBeVisible({ timeout: 30_000 });

  await expect(page.getByRole('region', { name: /^Accès à GLPI Network \(/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Clé d’enregistrement' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Instance GLPI' })).toBeVisible();
  await expect(page.locator('[id="check-network.dns"]').getByRole('heading', { level: 3 })).toHaveText(
    /Résolution DNS$/,
  );
  const disk = page.locator('[id="check-instance.disk-space"]');
  await expect(disk.getByRole('heading', { level: 3 })).toHaveText(/Espace disque libre$/);
  await expect(disk).toContainText('libres sur le volume contenant');
  await expect(page.locator('[id="check-key.verdict"]').getByRole('heading', { level: 3 })).toHaveText(/Verdict$/);
  await expect(report).not.toContainText('Free disk space');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Enregistrer le rapport' }).click();
  const markdown = await readFile((await (await download).path()) ?? '', 'utf8');
  expect(markdown).toContain('# Rapport de diagnostic Marketdesk');
  expect(markdown).toMatch(/## Instance GLPI/);
  expect(markdown).toMatch(/- \*\*OK\*\* Espace disque libre: .* libres sur le volume contenant /);
  expect(markdown).not.toContain(DEMO_KEYS.standard);
});

test('an install error is in French: its step, its reason and what to do', async ({ app, standin }) => {
  const { page } = app;
  await keyAndInstance(app);
  const fields = page.locator('[data-testid="plugin-row"][data-key="fields"][data-location="marketplace"]');
  await expect(fields).not.toHaveAttribute('data-update', '');

  // fields' archive arrives cut in half.
  standin.setFaults([{ fault: { mode: 'archive-truncated' }, path: '/downloads/fields/' }]);
  await fields.getByTestId('plugin-update').click();
  const status = fields.getByTestId('job-status');
  await expect(status).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(status).toContainText(/Échec à l’étape «\s(download|extract|validate)\s»/);
  await expect(status).toContainText(/Le téléchargement de fields a échoué|L’archive a été refusée/);
  await expect(status).toContainText('Que faire');
  await expect(status).not.toContainText('What to do');
  await expect(status).not.toContainText(' failed');
});
