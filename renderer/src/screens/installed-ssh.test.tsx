import { screen, waitFor, within } from '@testing-library/react';
import { AppError } from '../../../shared/errors';
import type { SshFailure } from '../../../shared/instances';
import { FakePlugins, makeInstalled, makeInstance, type FakePluginsOptions } from '../test/fake-plugins';
import { renderApp, type RenderedApp } from '../test/render-app';

const ADDRESS = 'ssh://admin@glpi.example.org:2222/var/www/glpi';
const FINGERPRINT = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';

async function renderInstalled(options: FakePluginsOptions): Promise<RenderedApp & { plugins: FakePlugins }> {
  let plugins!: FakePlugins;
  const app = await renderApp({}, (harness) => {
    plugins = new FakePlugins(harness, options);
  });
  await waitFor(() => expect(app.store.getState().installed.loadState.status).toBe('ready'));
  await app.user.click(screen.getByRole('link', { name: /^Installed/ }));
  await screen.findByTestId('installed-screen');
  return { ...app, plugins };
}

function addCalls(plugins: FakePlugins): unknown[] {
  return plugins.calls.filter((c) => c.channel === 'instances.add').map((c) => c.req);
}

function sshFailed(message: string, fix: string, details: SshFailure): AppError {
  return new AppError('SSH_FAILED', message, { fix, details });
}

/** Fills the SSH address and the password, then submits. */
async function submitWithPassword(app: RenderedApp, password: string): Promise<HTMLElement> {
  const form = screen.getByTestId('instance-add');
  await app.user.click(within(form).getByRole('radio', { name: 'GLPI server over SSH' }));
  await app.user.type(within(form).getByLabelText('SSH address'), ADDRESS);
  await app.user.click(within(form).getByRole('radio', { name: 'Password' }));
  await app.user.type(within(form).getByLabelText('SSH password'), password);
  await app.user.click(within(form).getByRole('button', { name: 'Add instance' }));
  return form;
}

describe('Installed screen: adding a GLPI server over SSH', () => {
  it('sends the address, the key file, the passphrase to keep and the sudo user, then forgets the passphrase', async () => {
    const app = await renderInstalled({ instance: null });
    const { user, plugins } = app;
    const form = screen.getByTestId('instance-add');
    const kind = within(form).getByRole('group', { name: 'Where GLPI is' });
    expect(within(kind).getByRole('radio', { name: 'Folder on this computer' })).toBeChecked();
    await user.click(within(kind).getByRole('radio', { name: 'GLPI server over SSH' }));

    const address = within(form).getByLabelText('SSH address');
    expect(address).toHaveAccessibleDescription(/ssh:\/\/user@host\[:port\]/);
    await user.type(address, ADDRESS);
    const auth = within(form).getByRole('group', { name: 'Authentication' });
    expect(within(auth).getByRole('radio', { name: 'SSH agent' })).toBeChecked();
    await user.click(within(auth).getByRole('radio', { name: 'Private key file' }));
    const submit = within(form).getByRole('button', { name: 'Add instance' });
    expect(submit).toHaveAccessibleDescription('Enter the private key file first.');

    await user.type(within(form).getByLabelText('Path of the private key'), '/home/admin/.ssh/id_ed25519');
    const passphrase = within(form).getByLabelText('Key passphrase');
    expect(passphrase).toHaveAttribute('type', 'password');
    expect(passphrase).toHaveAttribute('autocomplete', 'off');
    await user.type(passphrase, 's3cret phrase');
    await user.click(within(form).getByRole('checkbox', { name: 'Keep the passphrase in the OS keychain' }));
    await user.type(within(form).getByLabelText('Write files as (sudo -n -u)'), 'www-data');
    await user.type(within(form).getByLabelText('Name'), 'prod-ssh');
    await user.click(submit);

    const summary = await screen.findByTestId('instance-summary');
    expect(summary).toHaveTextContent('prod-ssh');
    expect(addCalls(plugins)).toEqual([
      {
        root: ADDRESS,
        name: 'prod-ssh',
        ssh: {
          auth: 'key',
          keyFile: '/home/admin/.ssh/id_ed25519',
          secret: 's3cret phrase',
          saveSecret: true,
          sudoUser: 'www-data',
        },
      },
    ]);
    expect(JSON.stringify(app.store.getState())).not.toContain('s3cret phrase');
    // The switcher names the server as the admin wrote it.
    const select = screen.getByRole('combobox', { name: 'GLPI instance' });
    await waitFor(() => expect(within(select).getByRole('option')).toHaveTextContent(`prod-ssh (${ADDRESS})`));
  });

  it('sends a password without a save flag: a password is always kept in the keychain', async () => {
    const app = await renderInstalled({ instance: null });
    const form = await submitWithPassword(app, 'pw');
    await screen.findByTestId('instance-summary');
    expect(addCalls(app.plugins)).toEqual([{ root: ADDRESS, ssh: { auth: 'password', secret: 'pw' } }]);
    expect(form).not.toBeInTheDocument();
  });

  it('an unknown host shows its fingerprint and how to compare it; trusting it sends the request again with it', async () => {
    const app = await renderInstalled({ instance: null });
    app.plugins.addFailure = sshFailed(
      'glpi.example.org is not a known host.',
      'Compare the fingerprint with the server, then accept it.',
      { code: 'host-unknown', hostKey: { type: 'ssh-ed25519', fingerprint: FINGERPRINT, expected: [] } },
    );
    const form = await submitWithPassword(app, 'pw');
    const password = within(form).getByLabelText('SSH password');
    expect(password).toHaveValue('');
    expect(password).toHaveAccessibleDescription('Always kept in the OS keychain, never in Marketdesk’s files.');
    expect(within(form).queryByRole('checkbox')).toBeNull();

    const panel = await screen.findByTestId('host-key-confirm');
    expect(within(panel).getByTestId('host-key-fingerprint')).toHaveTextContent(FINGERPRINT);
    expect(panel).toHaveTextContent('Marketdesk has never connected to glpi.example.org.');
    expect(panel).toHaveTextContent('ssh-ed25519');
    expect(panel).toHaveTextContent('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
    expect(panel).toHaveFocus();
    expect(screen.queryByTestId('instance-add-error')).toBeNull();
    expect(within(form).queryByRole('button', { name: 'Add instance' })).toBeNull();
    expect(JSON.stringify(app.store.getState())).not.toContain('"pw"');

    await app.user.click(within(panel).getByRole('button', { name: 'Trust this key and add' }));
    await screen.findByTestId('instance-summary');
    expect(addCalls(app.plugins)).toEqual([
      { root: ADDRESS, ssh: { auth: 'password', secret: 'pw' } },
      { root: ADDRESS, ssh: { auth: 'password', secret: 'pw', acceptHostKey: FINGERPRINT } },
    ]);
  });

  it('Cancel drops the question and the request', async () => {
    const app = await renderInstalled({ instance: null });
    app.plugins.addFailure = sshFailed('unknown host', 'compare', {
      code: 'host-unknown',
      hostKey: { type: 'ecdsa-sha2-nistp256', fingerprint: FINGERPRINT, expected: [] },
    });
    const form = await submitWithPassword(app, 'pw');
    const panel = await screen.findByTestId('host-key-confirm');
    expect(panel).toHaveTextContent('ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub');
    await app.user.click(within(panel).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('host-key-confirm')).toBeNull();
    expect(app.store.getState().installed.addError).toBeNull();
    // The password was sent once and is gone: it has to be typed again.
    expect(within(form).getByRole('button', { name: 'Add instance' })).toHaveAccessibleDescription(
      'Enter the password first.',
    );
    expect(addCalls(app.plugins)).toHaveLength(1);
  });

  it('a changed host key is refused with the message and the fix, and no way to trust it', async () => {
    const app = await renderInstalled({ instance: null });
    app.plugins.addFailure = sshFailed(
      'The host key of glpi.example.org has changed.',
      'If the server was reinstalled, run ssh-keygen -R glpi.example.org, then add it again.',
      { code: 'host-changed', hostKey: { type: 'ssh-ed25519', fingerprint: FINGERPRINT, expected: ['SHA256:old'] } },
    );
    await submitWithPassword(app, 'pw');
    const error = await screen.findByTestId('instance-add-error');
    expect(error).toHaveTextContent('The instance was not added: The host key of glpi.example.org has changed.');
    expect(error).toHaveTextContent('What to do: If the server was reinstalled, run ssh-keygen -R glpi.example.org');
    expect(screen.queryByTestId('host-key-confirm')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Trust this key and add' })).toBeNull();
  });
});

describe('Installed screen: removing an instance', () => {
  it('asks first, says that no file is touched, then forgets it and shows the next one', async () => {
    const staging = makeInstance({ name: 'staging', root: '/srv/glpi-staging', active: false });
    const { user, plugins } = await renderInstalled({
      others: [{ instance: staging, plugins: [makeInstalled('formcreator')] }],
    });
    await user.click(screen.getByRole('button', { name: 'Remove instance…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove the instance prod?' });
    expect(dialog).toHaveTextContent('No file is touched');
    expect(within(dialog).getByRole('button', { name: 'Keep it' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Remove prod' }));

    await waitFor(() => expect(screen.getByTestId('instance-summary')).toHaveTextContent('staging'));
    expect(plugins.calls.filter((c) => c.channel === 'instances.remove').map((c) => c.req)).toEqual([{ name: 'prod' }]);
    const select = screen.getByRole('combobox', { name: 'GLPI instance' });
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(1));
  });
});
