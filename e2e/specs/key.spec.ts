import { DEMO_KEYS } from '../standin/standin';
import { expect, test, type AppUnderTest } from '../fixtures';

async function saveKey(app: AppUnderTest, key: string) {
  const { page } = app;
  await page.getByLabel('Registration key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
}

const cases = [
  { tier: 'free', state: 'valid', badge: 'Valid · Registered', offer: 'registered' },
  { tier: 'basic', state: 'valid', badge: 'Valid · Basic', offer: 'basic' },
  { tier: 'standard', state: 'valid', badge: 'Valid · Standard', offer: 'standard' },
  { tier: 'advanced', state: 'valid', badge: 'Valid · Advanced', offer: 'advanced' },
  { tier: 'terminated', state: 'terminated', badge: 'Subscription terminated', offer: 'standard' },
] as const;

for (const c of cases) {
  test(`the ${c.tier} demo key shows state ${c.state} and its tier`, async ({ app }) => {
    const { page } = app;
    await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'none');
    await saveKey(app, DEMO_KEYS[c.tier]);
    await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', c.state);
    await expect(page.getByTestId('key-badge')).toContainText(c.badge);
    await expect(page.getByTestId('key-offer')).toContainText(c.offer);
    await expect(page.getByTestId('key-owner')).not.toBeEmpty();
    await expect(page.getByTestId('masked-key')).toHaveText(/^.{4}….{4}$/);
    await expect(page.getByTestId('key-storage')).toHaveAttribute('data-storage', 'keychain');
  });
}

test('an invalid key is reported and not stored unless the admin insists', async ({ app }) => {
  const { page } = app;
  await saveKey(app, DEMO_KEYS.invalid);
  await expect(page.getByTestId('key-save-error')).toHaveAttribute('data-code', 'KEY_INVALID');
  await expect(page.getByTestId('key-badge')).toContainText('No key');
  await page.getByRole('button', { name: 'Save anyway' }).click();
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'invalid');
  await expect(page.getByTestId('key-badge')).toContainText('Invalid key');
});

test('a malformed key is refused before anything is sent', async ({ app, standin }) => {
  const { page } = app;
  await saveKey(app, 'abcd efgh ijkl mnop');
  await expect(page.getByText(/spaces or line breaks/)).toBeVisible();
  expect(standin.requests.filter((r) => r.path === '/api/registration/info')).toHaveLength(0);
});

test('Sync shows the new answer after GLPI Network changes it', async ({ app, standin }) => {
  const { page } = app;
  await saveKey(app, DEMO_KEYS.basic);
  await expect(page.getByTestId('key-badge')).toContainText('Valid · Basic');
  standin.setAccount(DEMO_KEYS.basic, {
    owner: 'ACME Basic Corp',
    offer: 'advanced',
    title: 'GLPI Network Advanced',
    running: true,
    begins: '2026-01-01',
    ends: '2030-12-31',
  });
  await page.getByRole('button', { name: 'Sync' }).click();
  await expect(page.getByTestId('key-badge')).toContainText('Valid · Advanced');
  await expect(page.getByTestId('key-offer')).toContainText('advanced');
});

test('forget removes the key', async ({ app }) => {
  const { page } = app;
  await saveKey(app, DEMO_KEYS.standard);
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'valid');
  await page.getByRole('button', { name: 'Forget' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Forget the key' }).click();
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'none');
  await expect(page.getByTestId('key-badge')).toContainText('No key');
  await page.reload();
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'none');
});

test('an unreachable GLPI Network is named with its cause and fix, keeping the last answer', async ({
  app,
  standin,
}) => {
  const { page } = app;
  await saveKey(app, DEMO_KEYS.advanced);
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'valid');
  standin.setFaults([{ fault: { mode: 'refuse' } }]);
  await page.getByRole('button', { name: 'Sync' }).click();
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'unreachable');
  await expect(page.getByTestId('key-failure')).toHaveAttribute('data-cause', 'refused');
  await expect(page.getByTestId('key-failure')).toContainText(/firewall/);
  await expect(page.getByTestId('key-unreachable-since')).toBeVisible();
  await expect(page.getByTestId('key-owner')).toContainText('Initech');
  await expect(page.getByTestId('key-badge')).toContainText('Unreachable');
});

test('after saving, the key appears nowhere: page, settings files, logs', async ({ app }) => {
  const { page } = app;
  const key = DEMO_KEYS.standard;
  await saveKey(app, key);
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'valid');
  await page.getByRole('button', { name: 'Sync' }).click();
  await expect(page.getByTestId('key-status')).toHaveAttribute('data-state', 'valid');
  expect(await page.content()).not.toContain(key);
  const inputs = await page.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(inputs.join('\n')).not.toContain(key);
  const files = app.filesText();
  expect(files).toContain('config.json');
  expect(files).toContain('marketdesk.log');
  expect(files).not.toContain(key);
  // Nor any 12-character piece of it (a partial leak is still a leak).
  for (let i = 0; i + 12 <= key.length; i += 12) expect(files).not.toContain(key.slice(i, i + 12));
});
