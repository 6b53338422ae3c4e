import { DEMO_KEYS } from '../standin/standin';
import { expect, test } from '../fixtures';
import { saveValidKey } from '../steps';

test('an unreachable GLPI Network: Diagnose opens the doctor at the refused TCP step, with its fix', async ({
  app,
  standin,
}) => {
  const { page } = app;
  const { hostname, port } = new URL(standin.url);
  await saveValidKey(app, DEMO_KEYS.advanced);
  await expect(page.getByRole('link', { name: 'Diagnose' })).toHaveCount(0);

  // The port stops listening (it reopens by itself after 20 s, well after the test).
  standin.setFaults([{ fault: { mode: 'refuse', ms: 20_000 } }]);
  await page.getByRole('button', { name: 'Sync' }).click();
  const status = page.getByTestId('key-status');
  await expect(status).toHaveAttribute('data-state', 'unreachable');
  await expect(page.getByTestId('key-failure')).toHaveAttribute('data-cause', 'refused');

  const diagnose = status.getByRole('link', { name: 'Diagnose' });
  await expect(diagnose).toHaveAttribute('href', '#doctor/network.tcp');
  await diagnose.click();

  await expect(page).toHaveURL(/#doctor\/network\.tcp$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Doctor' })).toBeVisible();
  const tcp = page.locator('[id="check-network.tcp"]');
  await expect(tcp).toHaveAttribute('data-state', 'failed');
  await expect(tcp).toBeFocused();
  await expect(tcp.getByRole('heading', { level: 3 })).toHaveText(/Failed.*TCP connection/);
  await expect(tcp).toContainText('refused');
  await expect(tcp.getByTestId('doctor-fix')).toContainText(`allow outgoing TCP ${port}`, { ignoreCase: true });
  await expect(tcp.getByTestId('doctor-fix')).toContainText(hostname);

  // The later steps say why they were not run; the whole report is failed.
  await expect(page.locator('[id="check-network.http"]')).toHaveAttribute('data-state', 'skipped');
  await expect(page.locator('[id="check-network.registration"]')).toContainText(
    'the connection to GLPI Network failed first',
  );
  await expect(page.getByTestId('doctor-summary')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('doctor-live')).toContainText('Checks done. Overall: Failed.');
  // The key is not on the page (the report quotes it masked at most).
  expect(await page.content()).not.toContain(DEMO_KEYS.advanced);
});

test('the doctor runs from the navigation and the network settings save a manual proxy', async ({ app }) => {
  const { page } = app;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Doctor' }).click();
  await expect(page).toHaveURL(/#doctor$/);
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page.getByTestId('doctor-report')).toBeVisible({ timeout: 30_000 });
  // The stand-in answers on loopback over plain http: the path works, TLS is not used.
  await expect(page.locator('[id="check-network.tcp"]')).toHaveAttribute('data-state', 'ok');
  await expect(page.locator('[id="check-network.tls"]')).toHaveAttribute('data-state', 'skipped');

  const panel = page.getByRole('region', { name: 'Network settings' });
  await panel.getByRole('radio', { name: 'Manual proxy' }).check();
  await panel.getByLabel('Proxy address').fill('ftp://proxy.example.com');
  await panel.getByRole('button', { name: 'Save network settings' }).click();
  await expect(panel.getByRole('alert')).toContainText('Only http:// and https:// proxies are supported');
  await panel.getByLabel('Proxy address').fill('proxy.example.com:3128');
  await panel.getByRole('button', { name: 'Save network settings' }).click();
  await expect(panel.getByTestId('network-save-status')).toHaveText('The network settings were saved.');
  await expect(panel.getByLabel('Proxy address')).toHaveValue('http://proxy.example.com:3128');
  await expect(page.getByTestId('doctor-stale')).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole('region', { name: 'Network settings' }).getByRole('radio', { name: 'Manual proxy' }),
  ).toBeChecked();
});
