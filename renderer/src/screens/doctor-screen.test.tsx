import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DoctorSection } from '../../../shared/doctor';
import { AppError } from '../../../shared/errors';
import { english } from '../../../shared/messages/ref';
import { withTitleRef } from '../../../electron/core/doctor/check';
import { failureOutcome, sshSection, sshSectionTitle } from '../../../electron/core/doctor/ssh-checks';
import { sshRecord } from '../../../electron/core/doctor/ssh-checks.testkit';
import { TransportError } from '../../../electron/core/ports';
import { fakeGlpi } from '../../../electron/core/testing-glpi.testkit';
import { REPORT_REVOKE_DELAY_MS } from '../components/doctor-report';
import { applyLanguage } from '../i18n/language';
import { STANDARD, type CoreHarness } from '../test/core-harness';
import { captureSavedFiles, readBlob } from '../test/saved-files';
import { renderApp, type RenderedApp } from '../test/render-app';

const GOOD = 'eyJrZXkiOiJnb29kIn0sig1234567890';
const OTHER = 'eyJrZXkiOiJvdGhlciJ9sigABCDEFGH';

function openDoctor(hash = '#doctor') {
  window.history.replaceState(null, '', hash);
}

function checkElement(id: string): HTMLElement {
  const el = document.getElementById(`check-${id}`);
  if (!el) throw new Error(`no check ${id}`);
  return el;
}

async function runWithRefusedTcp(app: RenderedApp) {
  app.probe.fail('tcp', 'ECONNREFUSED');
  await app.user.click(screen.getByRole('button', { name: 'Run the checks' }));
  return screen.findByTestId('doctor-report');
}

function doctorRuns(app: RenderedApp) {
  return app.transport.calls.filter((c) => c.channel === 'doctor.run');
}

describe('Doctor screen', () => {
  it('is in the navigation and opens from #doctor', async () => {
    openDoctor();
    await renderApp();
    expect(screen.getByRole('heading', { level: 1, name: 'Doctor' })).toBeInTheDocument();
    const link = within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Doctor' });
    expect(link).toHaveAttribute('aria-current', 'page');
    expect(screen.getByText('No check has been run yet.')).toBeInTheDocument();
    expect(await screen.findByRole('group', { name: 'Proxy' })).toBeInTheDocument();
  });

  it('runs the checks with progress, then shows the failed TCP step, its fix, the skipped steps and the overall state', async () => {
    openDoctor();
    const app = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    app.probe.fail('tcp', 'ECONNREFUSED');
    const release = app.probe.hold();
    const run = screen.getByRole('button', { name: 'Run the checks' });
    await app.user.click(run);

    const progress = await screen.findByTestId('doctor-progress');
    expect(progress).toHaveTextContent('Checking the network path…');
    expect(progress).toHaveTextContent('up to 20 seconds');
    expect(run).toHaveAttribute('aria-disabled', 'true');
    expect(run).toHaveAccessibleDescription(/Checking the network path/);
    await waitFor(() => expect(screen.getByTestId('doctor-live')).toHaveTextContent('Running the checks…'));
    // Clicking again while it runs does not start a second run.
    await app.user.click(run);
    act(() => release());

    const report = await screen.findByTestId('doctor-report');
    expect(screen.queryByTestId('doctor-progress')).not.toBeInTheDocument();
    expect(doctorRuns(app)).toHaveLength(1);
    expect(report).toHaveAttribute('data-state', 'failed');

    const summary = screen.getByTestId('doctor-summary');
    expect(within(summary).getByRole('heading', { level: 2 })).toHaveTextContent('Overall: Failed');
    expect(screen.getByTestId('doctor-counts')).toHaveTextContent(/\d+ failed, .*\d+ OK, \d+ skipped/);
    // Focus goes to the result, which is announced.
    await waitFor(() => expect(within(summary).getByRole('heading', { level: 2 })).toHaveFocus());
    expect(screen.getByTestId('doctor-live')).toHaveTextContent(/^Checks done\. Overall: Failed\. \d+ failed/);

    const network = screen.getByRole('region', { name: 'Reaching GLPI Network (https://services.glpi-network.test)' });
    const tcp = checkElement('network.tcp');
    expect(network).toContainElement(tcp);
    expect(tcp).toHaveAttribute('data-state', 'failed');
    expect(tcp).toHaveClass('doctor-check--prominent');
    expect(within(tcp).getByRole('heading', { level: 3 })).toHaveTextContent('Failed: TCP connection');
    expect(tcp).toHaveTextContent('The connection to services.glpi-network.test:443 was refused (ECONNREFUSED)');
    expect(tcp.querySelector('dl')).toHaveAccessibleName('Details of TCP connection');
    expect(within(tcp).getByText('failed 192.0.2.10').nextSibling).toHaveTextContent('ECONNREFUSED');
    const fix = within(tcp).getByTestId('doctor-fix');
    expect(within(fix).getByRole('heading', { level: 4 })).toHaveTextContent('What to do');
    expect(fix).toHaveTextContent(
      'Allow outgoing TCP 443 from this machine to services.glpi-network.test (192.0.2.10) in the firewall',
    );
    // The fix sends the admin to the network settings: one click away.
    await app.user.click(within(fix).getByRole('button', { name: 'Open the network settings' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Network settings' })).toHaveFocus();

    expect(checkElement('network.dns')).toHaveAttribute('data-state', 'ok');
    for (const id of ['network.tls', 'network.http', 'network.clock']) {
      expect(checkElement(id)).toHaveAttribute('data-state', 'skipped');
      expect(checkElement(id)).toHaveTextContent('Skipped');
      expect(checkElement(id)).toHaveTextContent('Not run: an earlier step failed.');
    }
    expect(checkElement('network.registration')).toHaveTextContent(
      'Not checked: the connection to GLPI Network failed first (tcp connection).',
    );
    expect(screen.getByRole('region', { name: 'Registration key' })).toContainElement(checkElement('key.verdict'));
    expect(screen.getByRole('region', { name: 'GLPI instance' })).toHaveTextContent(
      'No GLPI instance is configured in this profile.',
    );
    expect(screen.getByRole('button', { name: 'Run the checks again' })).toBeInTheDocument();
    // The key itself is never on screen.
    expect(document.body.innerHTML).not.toContain(GOOD);
  });

  it('shows a multi-line fix preformatted, and copies its commands', async () => {
    openDoctor();
    const app = await renderApp();
    const original = app.core.handlers['doctor.run'];
    app.core.handlers['doctor.run'] = async (req) => {
      const report = await original(req);
      const fixed = {
        id: 'instance.glpicrypt-key',
        title: 'glpicrypt.key',
        state: 'failed' as const,
        summary: 'The key file is not readable by the web server.',
        fix: 'chown www-data /etc/glpi/glpicrypt.key\nchmod 640 /etc/glpi/glpicrypt.key',
      };
      return { ...report, sections: report.sections.map((s) => (s.id === 'instance' ? { ...s, checks: [fixed] } : s)) };
    };
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    await app.user.click(screen.getByRole('button', { name: 'Run the checks' }));
    const check = await waitFor(() => checkElement('instance.glpicrypt-key'));
    const pre = check.querySelector('pre');
    expect(pre).toHaveTextContent('chown www-data /etc/glpi/glpicrypt.key chmod 640 /etc/glpi/glpicrypt.key');
    await app.user.click(within(check).getByRole('button', { name: 'Copy the commands for glpicrypt.key' }));
    expect(writeText).toHaveBeenCalledWith('chown www-data /etc/glpi/glpicrypt.key\nchmod 640 /etc/glpi/glpicrypt.key');
    await waitFor(() =>
      expect(screen.getByTestId('doctor-live')).toHaveTextContent('The commands for glpicrypt.key were copied.'),
    );
  });

  it('shows the `commands` of a one-line fix as code, copyable', async () => {
    openDoctor();
    const app = await renderApp({}, ({ probe }) => probe.fail('dns', 'ENOTFOUND'));
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    await app.user.click(screen.getByRole('button', { name: 'Run the checks' }));
    const dns = await waitFor(() => checkElement('network.dns'));
    expect(dns).toHaveAttribute('data-state', 'failed');
    expect(dns.querySelector('code')).toHaveTextContent('nslookup services.glpi-network.test');
    expect(checkElement('network.tcp')).toHaveAttribute('data-state', 'skipped');
    await app.user.click(within(dns).getByRole('button', { name: 'Copy the commands for DNS resolution' }));
    expect(writeText).toHaveBeenCalledWith('nslookup services.glpi-network.test');
  });

  it('copies the report as Markdown, without the key', async () => {
    openDoctor();
    const app = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await runWithRefusedTcp(app);
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    await app.user.click(screen.getByRole('button', { name: 'Copy report' }));
    expect(writeText).toHaveBeenCalledTimes(1);
    const text = writeText.mock.calls[0]?.[0] ?? '';
    expect(text).toBe(app.store.getState().doctor.report?.markdown);
    expect(text).toContain('# Marketdesk doctor report');
    expect(text).toContain('- **FAILED** TCP connection: The connection to services.glpi-network.test:443 was refused');
    expect(text).not.toContain(GOOD);
    for (let i = 0; i + 12 <= GOOD.length; i += 12) expect(text).not.toContain(GOOD.slice(i, i + 12));
    expect(screen.getByTestId('doctor-copy-feedback')).toHaveTextContent('The report was copied.');
    expect(screen.getByTestId('doctor-live')).toHaveTextContent('The report was copied.');
  });

  it('offers the text to copy by hand when the clipboard refuses', async () => {
    openDoctor();
    const app = await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await runWithRefusedTcp(app);
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    await app.user.click(screen.getByRole('button', { name: 'Copy report' }));
    expect(await screen.findByTestId('doctor-copy-feedback')).toHaveTextContent('The clipboard refused the report.');
    const text = screen.getByRole('textbox', { name: 'The report (Markdown)' });
    expect(text).toHaveValue(app.store.getState().doctor.report?.markdown);
    expect(text).toHaveAttribute('readonly');
    await waitFor(() => expect(text).toHaveFocus());
  });

  it('saves the report as marketdesk-doctor-<date>.md', async () => {
    openDoctor();
    const app = await renderApp();
    await runWithRefusedTcp(app);
    const { blobs, clicked, create, revoke, restore } = captureSavedFiles('doctor');
    try {
      fireEvent.click(screen.getByRole('button', { name: 'Save report' }));
      expect(create).toHaveBeenCalledTimes(1);
      expect(await readBlob(blobs[0])).toBe(app.store.getState().doctor.report?.markdown);
      expect(blobs[0]?.type).toBe('text/markdown;charset=utf-8');
      expect(clicked[0]?.download).toBe('marketdesk-doctor-2025-06-15.md');
      expect(clicked[0]?.isConnected).toBe(false);
      expect(screen.getByTestId('doctor-copy-feedback')).toHaveTextContent(
        'The report was saved as marketdesk-doctor-2025-06-15.md.',
      );
      act(() => {
        vi.advanceTimersByTime(REPORT_REVOKE_DELAY_MS);
      });
      expect(revoke).toHaveBeenCalledWith('blob:marketdesk/doctor-1');
    } finally {
      restore();
    }
  });

  it('says why the checks could not run', async () => {
    openDoctor();
    const app = await renderApp({}, ({ core }) => {
      core.handlers['doctor.run'] = () => Promise.reject(new Error('boom'));
    });
    await app.user.click(screen.getByRole('button', { name: 'Run the checks' }));
    expect(await screen.findByTestId('doctor-run-error')).toHaveTextContent('The checks could not be run:');
    expect(screen.getByTestId('doctor-live')).toHaveTextContent('The checks could not be run.');
  });

  it('lets the admin choose the instance to check when there are several', async () => {
    openDoctor();
    const app = await renderApp();
    await waitFor(() => expect(app.store.getState().doctor.instances?.instances).toEqual([]));
    await act(() => app.core.handlers['instances.add']({ root: fakeGlpi(), name: 'prod' }));
    // One instance: no selector.
    await waitFor(() => expect(app.store.getState().doctor.instances?.instances).toHaveLength(1));
    expect(screen.queryByRole('combobox', { name: 'GLPI instance to check' })).not.toBeInTheDocument();

    const root = fakeGlpi();
    await act(() => app.core.handlers['instances.add']({ root, name: 'staging' }));
    const select = await screen.findByRole('combobox', { name: 'GLPI instance to check' });
    expect(select).toHaveValue('prod');
    expect(within(select).getByRole('option', { name: /^prod \(.*, active\)$/ })).toBeInTheDocument();
    await app.user.selectOptions(select, 'staging');
    await app.user.click(screen.getByRole('button', { name: 'Run the checks' }));
    await screen.findByTestId('doctor-report');
    expect(doctorRuns(app).at(-1)?.payload).toEqual({ instance: 'staging' });
    expect(screen.getByTestId('doctor-summary')).toHaveTextContent('GLPI instance checked: staging');
    expect(screen.getByRole('region', { name: 'GLPI instance' })).toHaveTextContent(root);
  });
});

describe('The doctor in French', () => {
  afterEach(() => applyLanguage('en_US'));

  it('shows the sections, check titles, summaries, fixes and the Markdown report in French', async () => {
    openDoctor();
    const app = await renderApp({}, ({ core }) => core.settings.update({ language: 'fr_FR' }));
    await act(() => app.core.handlers['instances.add']({ root: fakeGlpi(), name: 'prod' }));
    await app.user.click(await screen.findByRole('button', { name: 'Lancer les vérifications' }));
    await screen.findByTestId('doctor-report');

    expect(
      screen.getByRole('region', { name: 'Accès à GLPI Network (https://services.glpi-network.test)' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Clé d’enregistrement' })).toBeInTheDocument();
    const disk = checkElement('instance.disk-space');
    expect(within(disk).getByRole('heading', { level: 3 })).toHaveTextContent(/Espace disque libre$/);
    expect(disk).toHaveTextContent(/libres sur le volume contenant /);
    expect(within(checkElement('network.dns').parentElement!).getByRole('heading', { level: 3 })).toHaveTextContent(
      /Résolution DNS$/,
    );
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    await app.user.click(screen.getByRole('button', { name: 'Copier le rapport' }));
    const markdown = writeText.mock.calls[0]?.[0] ?? '';
    expect(markdown).toContain('# Rapport de diagnostic Marketdesk');
    expect(markdown).toMatch(/Espace disque libre: .* libres sur le volume contenant /);
    expect(markdown).not.toContain('Free disk space');
  });
});

describe('Links into the doctor', () => {
  it('#doctor/network.tcp opens the doctor, runs it, and focuses that check', async () => {
    openDoctor('#doctor/network.tcp');
    const app = await renderApp({}, ({ probe }) => probe.fail('tcp', 'ECONNREFUSED'));
    await waitFor(() => expect(checkElement('network.tcp')).toHaveFocus());
    expect(checkElement('network.tcp')).toHaveClass('doctor-check--target');
    expect(doctorRuns(app)).toHaveLength(1);
    expect(screen.getByRole('link', { name: 'Doctor' })).toHaveAttribute('aria-current', 'page');
  });

  it('a link to a check of a loaded report focuses it without running again', async () => {
    openDoctor();
    const app = await renderApp();
    await runWithRefusedTcp(app);
    await app.user.click(screen.getByRole('link', { name: 'Registration key' }));
    act(() => {
      window.history.pushState(null, '', '#doctor/key.storage');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await waitFor(() => expect(checkElement('key.storage')).toHaveFocus());
    expect(doctorRuns(app)).toHaveLength(1);
  });

  it('Diagnose on the key screen for an unreachable key opens the TCP step', async () => {
    window.history.replaceState(null, '', '#key');
    const app = await renderApp(
      {
        stored: { key: GOOD },
        storedWith: new TransportError('refused', 'connect ECONNREFUSED 192.0.2.10:443', 'ECONNREFUSED'),
      },
      ({ probe }) => probe.fail('tcp', 'ECONNREFUSED'),
    );
    // The scheduled check would ask again: keep the failure.
    app.network.failure = new TransportError('refused', 'connect ECONNREFUSED 192.0.2.10:443', 'ECONNREFUSED');
    const panel = await screen.findByTestId('key-status');
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'unreachable'));
    const diagnose = within(panel).getByRole('link', { name: 'Diagnose' });
    expect(diagnose).toHaveAttribute('href', '#doctor/network.tcp');
    expect(diagnose).toHaveAccessibleDescription('Opens the doctor at the check that explains this.');
    await app.user.click(diagnose);
    expect(window.location.hash).toBe('#doctor/network.tcp');
    expect(screen.getByRole('heading', { level: 1, name: 'Doctor' })).toBeInTheDocument();
    await waitFor(() => expect(checkElement('network.tcp')).toHaveFocus());
    expect(checkElement('network.tcp')).toHaveAttribute('data-state', 'failed');
    // Back returns to the key screen.
    act(() => {
      window.history.back();
    });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Registration key' })).toBeVisible());
  });

  it('Diagnose for an invalid or terminated key opens the verdict', async () => {
    const app = await renderApp({ stored: { key: OTHER } });
    const panel = await screen.findByTestId('key-status');
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'invalid'));
    const diagnose = within(panel).getByRole('link', { name: 'Diagnose' });
    expect(diagnose).toHaveAttribute('data-check', 'key.verdict');
    await app.user.click(diagnose);
    await waitFor(() => expect(checkElement('key.verdict')).toHaveFocus());
    expect(checkElement('key.verdict')).toHaveAttribute('data-state', 'failed');
  });

  it('no Diagnose while the key is valid', async () => {
    await renderApp({ stored: { key: GOOD }, registrations: { [GOOD]: STANDARD } });
    await waitFor(() => expect(screen.getByTestId('key-status')).toHaveAttribute('data-state', 'valid'));
    expect(screen.queryByRole('link', { name: 'Diagnose' })).not.toBeInTheDocument();
  });

  it('a save that could not reach GLPI Network offers Diagnose at the failing step', async () => {
    const app = await renderApp();
    await waitFor(() => expect(screen.getByTestId('key-status')).toHaveAttribute('data-state', 'none'));
    app.network.failure = new TransportError('dns', 'getaddrinfo ENOTFOUND services.glpi-network.test', 'ENOTFOUND');
    await app.user.type(screen.getByLabelText('Registration key'), GOOD);
    await app.user.click(screen.getByRole('button', { name: 'Save' }));
    const error = await screen.findByTestId('key-save-error');
    expect(error).toHaveAttribute('data-code', 'KEY_UNVERIFIED');
    const diagnose = within(error).getByRole('link', { name: 'Diagnose' });
    expect(diagnose).toHaveAttribute('href', '#doctor/network.dns');
  });

  it('a key GLPI Network refuses offers Diagnose once it is kept (the doctor checks a stored key)', async () => {
    const app = await renderApp();
    await waitFor(() => expect(screen.getByTestId('key-status')).toHaveAttribute('data-state', 'none'));
    await app.user.type(screen.getByLabelText('Registration key'), OTHER);
    await app.user.click(screen.getByRole('button', { name: 'Save' }));
    const error = await screen.findByTestId('key-save-error');
    expect(error).toHaveAttribute('data-code', 'KEY_INVALID');
    expect(within(error).queryByRole('link', { name: 'Diagnose' })).not.toBeInTheDocument();
    await app.user.click(within(error).getByRole('button', { name: 'Save anyway' }));
    const panel = screen.getByTestId('key-status');
    await waitFor(() => expect(panel).toHaveAttribute('data-state', 'invalid'));
    expect(within(panel).getByRole('link', { name: 'Diagnose' })).toHaveAttribute('href', '#doctor/key.verdict');
  });
});

describe('Network settings', () => {
  async function openSettings(options: Parameters<typeof renderApp>[0] = {}) {
    openDoctor();
    const app = await renderApp(options);
    const panel = await screen.findByRole('region', { name: 'Network settings' });
    await within(panel).findByRole('group', { name: 'Proxy' });
    return { app, panel };
  }

  it('saves a manual proxy with a user and a bypass list', async () => {
    const { app, panel } = await openSettings();
    const modes = within(panel).getByRole('group', { name: 'Proxy' });
    expect(within(modes).getByRole('radio', { name: 'System settings' })).toBeChecked();
    expect(
      within(modes)
        .getAllByRole('radio')
        .map((r) => r.getAttribute('value')),
    ).toEqual(['system', 'manual', 'pac', 'direct']);
    expect(within(panel).queryByLabelText('Proxy address')).not.toBeInTheDocument();
    await app.user.click(within(modes).getByRole('radio', { name: 'Manual proxy' }));
    await app.user.type(within(panel).getByLabelText('Proxy address'), 'proxy.example.com:3128');
    await app.user.type(within(panel).getByLabelText('Proxy user'), 'alice');
    await app.user.type(
      within(panel).getByLabelText('Go direct for'),
      'intranet.example.com, 10.0.0.0/8{Enter}<local>',
    );
    await app.user.click(within(panel).getByRole('button', { name: 'Save network settings' }));
    await waitFor(() => expect(screen.getByTestId('network-save-status')).toHaveTextContent('saved'));
    expect(app.core.settings.get().network).toMatchObject({
      proxyMode: 'manual',
      proxyUrl: 'http://proxy.example.com:3128',
      proxyUser: 'alice',
      bypass: ['intranet.example.com', '10.0.0.0/8', '<local>'],
    });
    // The form shows what the core kept (the address normalised).
    expect(within(panel).getByLabelText('Proxy address')).toHaveValue('http://proxy.example.com:3128');
    expect(within(panel).getByLabelText('Go direct for')).toHaveValue('intranet.example.com\n10.0.0.0/8\n<local>');
  });

  it("shows the core's message next to the form for an invalid address", async () => {
    const { app, panel } = await openSettings();
    await app.user.click(within(panel).getByRole('radio', { name: 'Manual proxy' }));
    const address = within(panel).getByLabelText('Proxy address');
    await app.user.type(address, 'socks5://proxy.example.com:1080');
    await app.user.click(within(panel).getByRole('button', { name: 'Save network settings' }));
    const error = await within(panel).findByRole('alert');
    expect(error).toHaveTextContent(
      'The network settings were not saved: Only http:// and https:// proxies are supported, not socks5://.',
    );
    expect(address).toHaveAccessibleDescription(expect.stringContaining('Only http:// and https:// proxies') as string);
    expect(app.core.settings.get().network.proxyMode).toBe('system');
    // Editing again clears the message.
    await app.user.clear(address);
    expect(within(panel).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('PAC mode asks for the script address', async () => {
    const { app, panel } = await openSettings();
    await app.user.click(within(panel).getByRole('radio', { name: 'PAC script' }));
    await app.user.click(within(panel).getByRole('button', { name: 'Save network settings' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent('PAC mode needs the address of the PAC script.');
    await app.user.type(within(panel).getByLabelText('PAC script address'), 'http://wpad.example.com/proxy.pac');
    await app.user.click(within(panel).getByRole('button', { name: 'Save network settings' }));
    await waitFor(() => expect(app.core.settings.get().network.proxyMode).toBe('pac'));
    expect(app.core.settings.get().network.pacUrl).toBe('http://wpad.example.com/proxy.pac');
  });

  it('sets and removes the proxy password, never showing it back', async () => {
    const { app, panel } = await openSettings();
    await app.user.click(within(panel).getByRole('radio', { name: 'Manual proxy' }));
    const field = within(panel).getByLabelText('Proxy password');
    expect(field).toHaveAttribute('type', 'password');
    expect(screen.getByTestId('network-password-state')).toHaveTextContent('No password is stored.');
    expect(within(panel).queryByRole('button', { name: 'Remove password' })).not.toBeInTheDocument();

    // Nothing typed: nothing sent.
    await app.user.click(within(panel).getByRole('button', { name: 'Set password' }));
    expect(screen.getByTestId('network-password-status')).toHaveTextContent('Type the password first.');
    expect(app.transport.calls.some((c) => c.channel === 'settings.proxyPassword')).toBe(false);

    const password = 'pr0xy-s3cret!';
    await app.user.type(field, `${password}{Enter}`);
    await waitFor(() =>
      expect(screen.getByTestId('network-password-state')).toHaveTextContent('A password is stored in the keychain.'),
    );
    expect(field).toHaveValue('');
    expect(screen.getByTestId('network-password-status')).toHaveTextContent('The password was stored in the keychain.');
    expect(await app.keychain.get('proxy-password:default')).toBe(password);
    expect(app.core.settings.get().proxyPasswordSet).toBe(true);
    // Enter set the password; it did not submit the proxy form.
    expect(app.transport.calls.some((c) => c.channel === 'settings.update')).toBe(false);
    expect(document.body.innerHTML).not.toContain(password);
    expect(JSON.stringify(app.store.getState())).not.toContain(password);

    await app.user.click(within(panel).getByRole('button', { name: 'Remove password' }));
    await waitFor(() =>
      expect(screen.getByTestId('network-password-state')).toHaveTextContent('No password is stored.'),
    );
    expect(screen.getByTestId('network-password-status')).toHaveTextContent('The password was removed');
    expect(await app.keychain.get('proxy-password:default')).toBeNull();
    expect(field).toHaveFocus();
  });

  it('lists the extra certificates read-only, with the command that adds them', async () => {
    const { panel } = await openSettings();
    const ca = within(panel).getByRole('region', { name: 'Extra trusted certificates' });
    expect(ca).toHaveTextContent('None: only the default authorities are trusted.');
    expect(ca).toHaveTextContent('marketdesk config ca --add FILE');
    expect(within(ca).queryByRole('textbox')).not.toBeInTheDocument();
    expect(within(ca).queryByRole('button')).not.toBeInTheDocument();
  });

  it('marks a loaded report stale once the settings change', async () => {
    const { app, panel } = await openSettings();
    await runWithRefusedTcp(app);
    expect(screen.queryByTestId('doctor-stale')).not.toBeInTheDocument();
    await app.user.click(within(panel).getByRole('radio', { name: 'No proxy' }));
    await app.user.click(within(panel).getByRole('button', { name: 'Save network settings' }));
    expect(await screen.findByTestId('doctor-stale')).toHaveTextContent('run them again');
  });
});

describe('An SSH instance in the doctor', () => {
  afterEach(() => applyLanguage('en_US'));

  const server = sshRecord(
    { auth: 'agent', sudoUser: 'www-data', hostKey: { type: 'ssh-ed25519', key: 'AAAA', fingerprint: 'SHA256:old' } },
    'server',
  );

  /** The report the core gives for `server` when its host key changed: the SSH section as the core builds it. */
  function withSshSection({ core }: CoreHarness): void {
    const list = core.handlers['instances.list'];
    core.handlers['instances.list'] = async (req) => {
      const real = await list(req);
      return { ...real, instances: [...real.instances, server] };
    };
    const run = core.handlers['doctor.run'];
    core.handlers['doctor.run'] = async (req) => {
      const report = await run({});
      const failure = new AppError('SSH_FAILED', 'The host key of glpi.example.org port 2222 has CHANGED.', {
        details: { code: 'host-changed', hostKey: { type: 'ssh-ed25519', fingerprint: 'SHA256:new', expected: [] } },
      });
      const title = sshSectionTitle(server.ssh);
      const ssh: DoctorSection = {
        id: 'ssh',
        title: english(title),
        titleRef: title,
        checks: sshSection(server, failureOutcome(server, failure)).map(withTitleRef),
      };
      expect(req).toEqual({ instance: 'server' });
      return { ...report, sections: [...report.sections.slice(0, 2), ssh, ...report.sections.slice(2)] };
    };
  }

  it('offers it by its ssh:// address and shows the SSH section before the instance, with the failed step and its fix', async () => {
    openDoctor();
    const app = await renderApp({}, withSshSection);
    await act(() => app.core.handlers['instances.add']({ root: fakeGlpi(), name: 'prod' }));
    const select = await screen.findByRole('combobox', { name: 'GLPI instance to check' });
    expect(
      within(select).getByRole('option', { name: 'server (ssh://admin@glpi.example.org:2222/var/www/glpi)' }),
    ).toBeInTheDocument();
    await app.user.selectOptions(select, 'server');
    await app.user.click(screen.getByRole('button', { name: 'Run the checks' }));
    await screen.findByTestId('doctor-report');

    const section = screen.getByRole('region', { name: 'SSH connection (ssh://admin@glpi.example.org:2222)' });
    expect(section).toHaveAttribute('data-testid', 'doctor-section-ssh');
    const regions = screen.getAllByRole('region').map((r) => r.getAttribute('data-section'));
    expect(regions.filter(Boolean)).toEqual(['network', 'key', 'ssh', 'instance']);
    const hostKey = checkElement('ssh.host-key');
    expect(section).toContainElement(hostKey);
    expect(hostKey).toHaveAttribute('data-state', 'failed');
    expect(within(hostKey).getByRole('heading', { level: 3 })).toHaveTextContent('Failed: SSH handshake and host key');
    expect(within(hostKey.parentElement!).getByTestId('doctor-fix')).toHaveTextContent(
      'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
    );
    expect(checkElement('ssh.sudo')).toHaveAttribute('data-state', 'skipped');
    expect(checkElement('ssh.sudo').parentElement).toHaveTextContent(
      'Not checked: because SSH handshake and host key failed.',
    );
  });

  it('shows the section and the step titles in French', async () => {
    openDoctor();
    const app = await renderApp({}, (harness) => {
      harness.core.settings.update({ language: 'fr_FR' });
      withSshSection(harness);
    });
    await act(() => app.core.handlers['instances.add']({ root: fakeGlpi(), name: 'prod' }));
    await app.user.selectOptions(await screen.findByRole('combobox', { name: 'Instance GLPI à vérifier' }), 'server');
    await app.user.click(screen.getByRole('button', { name: 'Lancer les vérifications' }));
    await screen.findByTestId('doctor-report');
    expect(
      screen.getByRole('region', { name: 'Connexion SSH (ssh://admin@glpi.example.org:2222)' }),
    ).toBeInTheDocument();
    expect(within(checkElement('ssh.host-key')).getByRole('heading', { level: 3 })).toHaveTextContent(
      /Négociation SSH et clé d’hôte$/,
    );
    expect(checkElement('ssh.auth').parentElement).toHaveTextContent(
      'Non vérifié : parce que l’étape « Négociation SSH et clé d’hôte » a échoué.',
    );
  });
});
