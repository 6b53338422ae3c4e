import { DEMO_KEYS } from '../standin/standin';
import { expect, test } from '../fixtures';

/**
 * A French admin: the OS language (LANG) is French and the profile has no language of its own, so
 * the UI speaks French from the first paint; the Settings screen switches it without a reload.
 * Messages the core writes (errors, fixes, availability reasons, job reports) stay in English.
 */
test.use({ appEnv: { LANG: 'fr_FR.UTF-8' } });

const NAV = ['Clé d’enregistrement', 'Catalogue', 'Offres', 'Installés', 'Diagnostic', 'Réglages'];
const ENGLISH_NAV = ['Registration key', 'Catalogue', 'Entitlements', 'Installed', 'Doctor', 'Settings'];

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
