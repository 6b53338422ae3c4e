import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshdUnavailable, startSshd } from '../../electron/adapters/ssh/testing-sshd.testkit';
import { glpiOnServer } from '../../electron/core/testing-glpi.testkit';
import { expect, test } from '../fixtures';
import { DEMO_KEYS } from '../standin/standin';
import { openCatalogue, saveValidKey } from '../steps';

test('adds a GLPI server over SSH after confirming its host key, installs a plugin into it, and sees it in Fleet', async ({
  app,
}) => {
  const why = sshdUnavailable();
  test.skip(why !== null, `cannot run here: ${why}`);
  test.slow();
  const { page } = app;
  const sshd = await startSshd();
  try {
    const root = glpiOnServer(sshd);
    const address = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${root}`;
    await saveValidKey(app, DEMO_KEYS.standard);

    // Add it: key file authentication; the host is unknown, so its fingerprint is asked about first.
    await page.getByRole('link', { name: /^Installed/ }).click();
    const form = page.getByTestId('instance-add');
    await form.getByRole('radio', { name: 'GLPI server over SSH' }).check();
    await form.getByLabel('SSH address').fill(address);
    await form.getByRole('radio', { name: 'Private key file' }).check();
    await form.getByLabel('Path of the private key').fill(sshd.clientKey.path);
    await form.getByLabel('Name', { exact: true }).fill('web');
    await form.getByRole('button', { name: 'Add instance' }).click();

    const question = page.getByTestId('host-key-confirm');
    await expect(question).toBeVisible({ timeout: 20_000 });
    await expect(question.getByTestId('host-key-fingerprint')).toHaveText(sshd.hostKey.fingerprint);
    await expect(question).toContainText('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
    await question.getByRole('button', { name: 'Trust this key and add' }).click();

    const summary = page.getByTestId('instance-summary');
    await expect(summary).toContainText('web', { timeout: 20_000 });
    await expect(summary).toContainText('GLPI 10.0.18');
    await expect(page.getByRole('combobox', { name: 'GLPI instance' })).toContainText(`web (${address})`);

    // Install a plugin from the catalogue (datainjection: a 3 MB .tar.bz2 of ~250 files, unpacked
    // over SFTP): its files land on the server.
    await openCatalogue(app);
    await page.getByLabel('Search plugins').fill('datainjection');
    await page.locator('[data-testid="catalog-row"][data-key="datainjection"]').click();
    const details = page.getByTestId('plugin-details');
    await expect(details).toHaveAttribute('data-key', 'datainjection');
    await expect(details.getByTestId('catalog-install-where')).toContainText('In web (GLPI 10.0.18):');
    const install = details.getByTestId('catalog-install');
    await expect(install).toBeEnabled();
    const version = (await install.getAttribute('data-version')) ?? '';
    await install.click();
    const job = details.getByTestId('job-status');
    await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(job).toContainText(`datainjection ${version} installed.`);
    const setup = join(root, 'marketplace/datainjection/setup.php');
    expect(existsSync(setup), `${setup} on the server`).toBe(true);
    expect(readFileSync(setup, 'utf8')).toContain(version);

    // Fleet: the server is reachable, with its GLPI version.
    await page.getByRole('link', { name: 'Fleet' }).click();
    const row = page.getByTestId('fleet-row-web');
    await expect(row).toHaveAttribute('data-reachable', 'true', { timeout: 20_000 });
    await expect(row).toContainText('Reachable');
    await expect(row).toContainText('10.0.18');
    await expect(row).toContainText(address);
    await expect(row).toContainText('active');

    // In a narrow window each instance is a card and nothing scrolls sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    await expect(row).toHaveCSS('display', 'block');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
  } finally {
    await sshd.close();
  }
});
