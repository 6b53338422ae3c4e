import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, screen, waitFor, within } from '@testing-library/react';
import { writeRootCaFiles } from '../../../electron/adapters/doctor/test-certs';
import type { ConfirmRequest, PickFileRequest } from '../../../electron/core/app-core';
import { DEFAULT_SERVICES_URL } from '../../../electron/core/glpi-network-client';
import { SERVICES_URL } from '../test/core-harness';
import { renderApp, type RenderedApp } from '../test/render-app';

let dir: string;
let pem: string;
let der: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-settings-screen-'));
  ({ pem, der } = writeRootCaFiles(dir, '/O=Corp/CN=Corp Root CA'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(() => {
  delete document.documentElement.dataset.theme;
});

async function openSettings(
  options: Parameters<typeof renderApp>[0] = {},
  configure?: Parameters<typeof renderApp>[1],
) {
  window.history.replaceState(null, '', '#settings');
  const app = await renderApp(options, configure);
  await screen.findByRole('heading', { level: 2, name: 'General' });
  return app;
}

function section(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

/** The field's message: under it, announced (role=alert) and read with the field. */
async function fieldError(field: HTMLElement, text: string) {
  const alert = await waitFor(() => {
    const ids = (field.getAttribute('aria-describedby') ?? '').split(' ');
    const found = ids.map((id) => document.getElementById(id)).find((el) => el?.getAttribute('role') === 'alert');
    if (!found) throw new Error('no error described');
    return found;
  });
  expect(alert).toHaveTextContent(text);
  expect(field).toHaveAttribute('aria-invalid', 'true');
  return alert;
}

/** The desktop app's dialogs: what they were asked, and what the admin answers. */
function fakeDialogs() {
  const asked: ConfirmRequest[] = [];
  const picks: PickFileRequest[] = [];
  const dialogs = {
    answer: false,
    pick: null as string | null,
    asked,
    picks,
    ports: {
      confirm: (request: ConfirmRequest) => {
        asked.push(request);
        return Promise.resolve(dialogs.answer);
      },
      pickFile: (request: PickFileRequest) => {
        picks.push(request);
        return Promise.resolve(dialogs.pick);
      },
    },
  };
  return dialogs;
}

describe('Settings screen', () => {
  it('is in the navigation and opens from #settings with every section', async () => {
    await openSettings();
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    const link = within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Settings' });
    expect(link).toHaveAttribute('aria-current', 'page');
    expect(link).toHaveAttribute('href', '#settings');
    for (const name of ['General', 'Catalogue and updates', 'GLPI console', 'Network settings', 'GLPI Network address'])
      expect(screen.getByRole('region', { name })).toBeInTheDocument();
  });

  describe('General', () => {
    it('saves the theme and applies it to <html>: dark, light, then the system’s again', async () => {
      const { user, core } = await openSettings();
      const general = section('General');
      const theme = within(general).getByRole('combobox', { name: 'Theme' });
      expect(theme).toHaveValue('system');
      expect(document.documentElement).not.toHaveAttribute('data-theme');

      await user.selectOptions(theme, 'Dark');
      await user.click(within(general).getByRole('button', { name: 'Save general settings' }));
      await waitFor(() => expect(within(general).getByTestId('settings-status')).toHaveTextContent('saved'));
      expect(core.settings.get().theme).toBe('dark');
      expect(document.documentElement).toHaveAttribute('data-theme', 'dark');

      await user.selectOptions(theme, 'Light');
      expect(within(general).getByTestId('settings-status')).toBeEmptyDOMElement();
      await user.click(within(general).getByRole('button', { name: 'Save general settings' }));
      await waitFor(() => expect(document.documentElement).toHaveAttribute('data-theme', 'light'));

      await user.selectOptions(theme, 'System');
      await user.click(within(general).getByRole('button', { name: 'Save general settings' }));
      await waitFor(() => expect(document.documentElement).not.toHaveAttribute('data-theme'));
      expect(core.settings.get().theme).toBe('system');
    });

    it('follows a theme changed elsewhere (settings.changed)', async () => {
      const { core } = await openSettings();
      act(() => void core.settings.update({ theme: 'dark' }));
      await waitFor(() => expect(document.documentElement).toHaveAttribute('data-theme', 'dark'));
      expect(within(section('General')).getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
    });

    it('saves the language, notifications and log level', async () => {
      const { user, core } = await openSettings();
      const general = section('General');
      const language = within(general).getByRole('combobox', { name: 'Language' });
      expect(language).toHaveValue('system');
      expect(within(language).getByRole('option', { name: 'Follow the system (now en_US)' })).toBeInTheDocument();
      expect(within(language).getByRole('option', { name: 'Français' })).toHaveAttribute('lang', 'fr');

      await user.selectOptions(language, 'English');
      await user.click(within(general).getByRole('checkbox', { name: 'Desktop notifications' }));
      await user.selectOptions(within(general).getByRole('combobox', { name: 'Log level' }), 'Errors only');
      await user.click(within(general).getByRole('button', { name: 'Save general settings' }));
      await waitFor(() => expect(core.settings.get()).toMatchObject({ language: 'en', languageSource: 'setting' }));
      expect(core.settings.get()).toMatchObject({ notifications: false, logLevel: 'error' });

      // "Follow the system" removes the choice: the system language is read at each start.
      await user.selectOptions(language, 'Follow the system');
      await user.click(within(general).getByRole('button', { name: 'Save general settings' }));
      await waitFor(() => expect(core.settings.get()).toMatchObject({ language: 'en_US', languageSource: 'system' }));
    });
  });

  describe('Catalogue and updates', () => {
    it('shows the core’s message next to a refused interval, keeps the text, then saves a good one', async () => {
      const { user, core, transport } = await openSettings();
      const updates = section('Catalogue and updates');
      const interval = within(updates).getByLabelText('Check for updates every (hours)');
      expect(interval).toHaveValue('6');
      await user.clear(interval);
      await user.type(interval, '200');
      await user.click(within(updates).getByRole('button', { name: 'Save catalogue and update settings' }));

      await fieldError(interval, 'Check for updates every 1 to 168 hours (whole hours; at most once an hour).');
      expect(interval).toHaveValue('200');
      expect(interval).toHaveFocus();
      expect(core.settings.get().checkIntervalHours).toBe(6);

      // Not a number at all: said at once, nothing sent.
      const updatesSent = () => transport.calls.filter((c) => c.channel === 'settings.update').length;
      const before = updatesSent();
      await user.clear(interval);
      expect(within(updates).queryByRole('alert')).not.toBeInTheDocument();
      await user.type(interval, 'often');
      await user.click(within(updates).getByRole('button', { name: 'Save catalogue and update settings' }));
      await fieldError(interval, '“often” is not a number');
      expect(interval).toHaveValue('often');
      expect(updatesSent()).toBe(before);

      await user.clear(interval);
      await user.type(interval, '12');
      await user.click(within(updates).getByRole('checkbox', { name: 'Show pre-release versions' }));
      await user.click(within(updates).getByRole('button', { name: 'Save catalogue and update settings' }));
      await waitFor(() =>
        expect(within(updates).getByTestId('settings-status')).toHaveTextContent(
          'The catalogue and update settings were saved.',
        ),
      );
      expect(core.settings.get()).toMatchObject({ checkIntervalHours: 12, includePrereleases: true });
      expect(interval).not.toHaveAttribute('aria-invalid');
    });

    it('shows the core’s message for backups out of range, next to that field', async () => {
      const { user, core } = await openSettings();
      const updates = section('Catalogue and updates');
      const keep = within(updates).getByLabelText('Backups kept per plugin');
      await user.clear(keep);
      await user.type(keep, '25');
      await user.click(within(updates).getByRole('button', { name: 'Save catalogue and update settings' }));
      await fieldError(keep, 'Keep between 1 and 20 backups per plugin');
      expect(keep).toHaveValue('25');
      expect(within(updates).getByLabelText('Check for updates every (hours)')).not.toHaveAttribute('aria-invalid');
      expect(core.settings.get().keepBackups).toBe(3);
    });

    it('changes the target GLPI version with the catalogue’s form, with the core’s message', async () => {
      const { user, core } = await openSettings();
      const updates = section('Catalogue and updates');
      expect(within(updates).getByTestId('catalog-glpi-version')).toHaveTextContent('For GLPI 10.0.18');
      await user.click(within(updates).getByRole('button', { name: 'Change GLPI version' }));
      const field = within(updates).getByLabelText('Target GLPI version');
      await user.clear(field);
      await user.type(field, 'eleven{Enter}');
      expect(await within(updates).findByTestId('catalog-version-error')).toHaveTextContent(
        '"eleven" is not a GLPI version',
      );
      expect(field).toHaveValue('eleven');
      await user.clear(field);
      await user.type(field, '11.0.1{Enter}');
      await waitFor(() => expect(core.settings.get().glpiVersion).toBe('11.0.1'));
    });
  });

  describe('GLPI console', () => {
    it('shows the core’s message for a php that is not an absolute path, then saves', async () => {
      const { user, core } = await openSettings();
      const consoleSection = section('GLPI console');
      const offer = within(consoleSection).getByRole('checkbox', {
        name: 'Offer to run GLPI’s console after installs and updates',
      });
      expect(offer).not.toBeChecked();
      await user.click(offer);
      const php = within(consoleSection).getByLabelText('php binary');
      await user.type(php, 'php8.2');
      await user.click(within(consoleSection).getByRole('button', { name: 'Save console settings' }));
      await fieldError(php, '"php8.2" is not an absolute path to a php binary (such as /usr/bin/php8.2).');
      expect(php).toHaveValue('php8.2');
      expect(offer).toBeChecked();
      expect(core.settings.get().glpiConsole.offer).toBe(false);

      const user_ = within(consoleSection).getByLabelText('GLPI user');
      await user.clear(php);
      await user.type(php, '/usr/bin/php8.2');
      await user.clear(user_);
      await user.click(within(consoleSection).getByRole('button', { name: 'Save console settings' }));
      await fieldError(user_, 'Give the name of an existing GLPI user, such as glpi.');
      expect(php).not.toHaveAttribute('aria-invalid');

      await user.type(user_, 'admin');
      await user.click(within(consoleSection).getByRole('button', { name: 'Save console settings' }));
      await waitFor(() =>
        expect(core.settings.get().glpiConsole).toEqual({ offer: true, php: '/usr/bin/php8.2', user: 'admin' }),
      );
      expect(within(consoleSection).getByTestId('settings-status')).toHaveTextContent(
        'The console settings were saved.',
      );
    });
  });

  describe('Network and the services URL in the browser shell', () => {
    it('has the proxy panel, and lists the extra CA files read-only with the command that changes them', async () => {
      const missing = join(dir, 'gone.pem');
      const { transport } = await openSettings({}, ({ core }) =>
        core.settings.updateNetwork({ extraCaFiles: [pem, missing] }),
      );
      const network = section('Network settings');
      expect(within(network).getByRole('group', { name: 'Proxy' })).toBeInTheDocument();
      const ca = within(network).getByRole('region', { name: 'Extra trusted certificates' });
      const files = await within(ca).findAllByTestId('settings-ca-file');
      expect(files[0]).toHaveTextContent(pem);
      expect(files[0]).toHaveTextContent('O=Corp, CN=Corp Root CA');
      expect(files[1]).toHaveTextContent(`Not used: ${missing} cannot be read (ENOENT).`);
      expect(within(ca).getByTestId('settings-ca-cli')).toHaveTextContent('marketdesk config ca --add FILE');
      expect(within(ca).queryByRole('button')).not.toBeInTheDocument();
      expect(transport.calls.some((c) => c.channel === 'settings.addCaFile')).toBe(false);
    });

    it('shows the services URL, where it comes from, read-only with the command that changes it', async () => {
      const app = await openSettings({ servicesUrlFromEnv: null });
      const services = section('GLPI Network address');
      const field = within(services).getByLabelText('Services URL');
      expect(field).toHaveValue(DEFAULT_SERVICES_URL);
      expect(field).toHaveAttribute('readonly');
      expect(field).toHaveAccessibleDescription(/marketdesk config services-url URL/);
      expect(within(services).getByTestId('settings-services-source')).toHaveTextContent('The default address.');
      expect(within(services).queryByRole('button')).not.toBeInTheDocument();
      // Typing in it changes nothing.
      await app.user.type(field, 'x');
      expect(field).toHaveValue(DEFAULT_SERVICES_URL);
    });

    it('says when GLPI_NETWORK_SERVICES sets the URL', async () => {
      await openSettings();
      const services = section('GLPI Network address');
      expect(within(services).getByLabelText('Services URL')).toHaveValue(SERVICES_URL);
      expect(within(services).getByTestId('settings-services-source')).toHaveTextContent(
        'Set by GLPI_NETWORK_SERVICES',
      );
    });
  });

  describe('in the desktop app (the shell asks in its own dialogs)', () => {
    async function openDesktop(dialogs: ReturnType<typeof fakeDialogs>): Promise<RenderedApp> {
      return openSettings({ servicesUrlFromEnv: null, dialogs: dialogs.ports });
    }

    it('changes the services URL after the shell’s confirmation, showing the core’s refusal next to the field', async () => {
      const dialogs = fakeDialogs();
      const { user, core } = await openDesktop(dialogs);
      const services = section('GLPI Network address');
      const field = within(services).getByLabelText('Services URL');
      expect(field).not.toHaveAttribute('readonly');
      const change = within(services).getByRole('button', { name: 'Change address' });

      await user.clear(field);
      await user.type(field, 'http://glpi-network.example.com');
      await user.click(change);
      await fieldError(field, '"http://glpi-network.example.com" cannot be the GLPI Network services URL.');
      expect(within(services).getByRole('alert')).toHaveTextContent('What to do: Give an https:// address');
      expect(field).toHaveValue('http://glpi-network.example.com');
      expect(dialogs.asked).toEqual([]);

      // The admin says no in the dialog: nothing changes, the text stays.
      await user.clear(field);
      await user.type(field, 'https://glpi-network.example.com');
      await user.click(change);
      await waitFor(() =>
        expect(within(services).getByTestId('settings-services-status')).toHaveTextContent('Nothing was changed.'),
      );
      expect(dialogs.asked[0]?.detail.split('\n')[0]).toBe('https://glpi-network.example.com');
      expect(core.settings.get().servicesUrlSource).toBe('default');
      expect(field).toHaveValue('https://glpi-network.example.com');

      dialogs.answer = true;
      await user.click(change);
      await waitFor(() =>
        expect(within(services).getByTestId('settings-services-status')).toHaveTextContent('The address was changed.'),
      );
      expect(core.settings.get()).toMatchObject({
        servicesUrl: 'https://glpi-network.example.com',
        servicesUrlSource: 'setting',
      });
      expect(within(services).getByTestId('settings-services-source')).toHaveTextContent('Set in the settings.');

      await user.click(within(services).getByRole('button', { name: 'Use the default address' }));
      await waitFor(() => expect(core.settings.get().servicesUrlSource).toBe('default'));
      expect(dialogs.asked.at(-1)?.detail.split('\n')[0]).toBe(DEFAULT_SERVICES_URL);
      expect(field).toHaveValue(DEFAULT_SERVICES_URL);
    });

    it('adds a CA file the shell picks and removes it after the shell’s confirmation', async () => {
      const dialogs = fakeDialogs();
      const { user, core } = await openDesktop(dialogs);
      const ca = within(section('Network settings')).getByRole('region', { name: 'Extra trusted certificates' });
      expect(await within(ca).findByTestId('settings-ca-none')).toBeInTheDocument();
      const add = within(ca).getByRole('button', { name: 'Add a certificate file…' });

      // A file that holds no PEM certificate: the core's reason, next to the button.
      dialogs.pick = der;
      await user.click(add);
      const alert = await within(ca).findByRole('alert');
      expect(alert).toHaveTextContent('holds no PEM certificate');
      expect(add.getAttribute('aria-describedby')).toContain(alert.id);
      expect(core.settings.get().network.extraCaFiles).toEqual([]);

      dialogs.pick = pem;
      await user.click(add);
      const file = await within(ca).findByTestId('settings-ca-file');
      expect(file).toHaveTextContent('O=Corp, CN=Corp Root CA');
      expect(within(ca).getByTestId('settings-ca-status')).toHaveTextContent('The file was added');
      expect(core.settings.get().network.extraCaFiles).toEqual([pem]);
      expect(dialogs.picks).toHaveLength(2);

      const remove = within(file).getByRole('button', { name: `Remove ${pem}` });
      dialogs.answer = false;
      await user.click(remove);
      await waitFor(() =>
        expect(within(ca).getByTestId('settings-ca-status')).toHaveTextContent('Nothing was changed.'),
      );
      expect(dialogs.asked.at(-1)?.detail.split('\n')[0]).toBe(pem);
      expect(core.settings.get().network.extraCaFiles).toEqual([pem]);

      dialogs.answer = true;
      await user.click(remove);
      await waitFor(() => expect(within(ca).getByTestId('settings-ca-none')).toBeInTheDocument());
      expect(core.settings.get().network.extraCaFiles).toEqual([]);
      expect(add).toHaveFocus();
    });
  });
});
