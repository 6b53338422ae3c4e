import { act, screen, waitFor, within } from '@testing-library/react';
import { AppError } from '../../../shared/errors';
import { ref } from '../../../shared/messages/ref';
import { applyLanguage } from '../i18n/language';
import { STANDARD } from '../test/core-harness';
import { syntheticPlugins } from '../test/fake-catalog';
import { makeInstalled, makeInstance } from '../test/fake-plugins';
import {
  catalogRow,
  deferred,
  openDetails,
  renderCatalogInstall,
  versionRow,
  type RenderedCatalogInstall,
} from '../test/render-catalog-install';
import { rowKeys } from '../test/render-catalog';
import { installVirtualViewport } from '../test/virtual-viewport';

installVirtualViewport();

const BASIC = { ...STANDARD, offer: 'basic', title: 'GLPI Network Basic' };

function installCalls(app: RenderedCatalogInstall): unknown[] {
  return app.transport.calls.filter((c) => c.channel === 'plugins.install').map((c) => c.payload);
}

function installButton(): HTMLElement {
  return screen.getByTestId('catalog-install');
}

describe('Installed state in the catalogue', () => {
  it('badges each installed row with its version or its update, and no other row', async () => {
    await renderCatalogInstall();
    const form = within(catalogRow('formcreator')).getByTestId('catalog-installed');
    expect(form).toHaveAttribute('data-state', 'update');
    expect(form).toHaveTextContent('Update 2.13.0 → 2.13.1');
    expect(catalogRow('formcreator')).toHaveAttribute('data-installed', '2.13.0');
    // The row's description names the installed state for screen readers.
    expect(catalogRow('formcreator')).toHaveAccessibleDescription(
      expect.stringContaining('Installed 2.13.0, update to 2.13.1 available') as string,
    );
    const fields = within(catalogRow('fields')).getByTestId('catalog-installed');
    expect(fields).toHaveAttribute('data-state', 'installed');
    expect(fields).toHaveTextContent('Installed 1.21.0');
    expect(within(catalogRow('datainjection')).queryByTestId('catalog-installed')).toBeNull();
    expect(catalogRow('datainjection')).not.toHaveAttribute('data-installed');
  });

  it('follows the instance: a plugin installed or updated elsewhere changes its badge', async () => {
    const { plugins } = await renderCatalogInstall();
    plugins.plugins = [
      ...plugins.plugins.map((p) => (p.key === 'formcreator' ? { ...p, version: '2.13.1', update: null } : p)),
      makeInstalled('datainjection', { version: '2.13.5' }),
    ];
    act(() => plugins.emitChanged());
    await waitFor(() =>
      expect(within(catalogRow('formcreator')).getByTestId('catalog-installed')).toHaveTextContent('Installed 2.13.1'),
    );
    expect(within(catalogRow('datainjection')).getByTestId('catalog-installed')).toHaveTextContent('Installed 2.13.5');
  });

  it('badges the visible rows of 10,000 plugins with 3,000 installed, and keeps them while searching', async () => {
    const catalogue = syntheticPlugins(10_000, 11);
    const installed = catalogue
      .filter((_, i) => i % 3 === 0)
      .map((p, i) => makeInstalled(p.key, { version: '1.0.0', update: i % 2 === 0 ? '1.1.0' : null }));
    const app = await renderCatalogInstall({
      catalog: { plugins: catalogue, tags: [] },
      instance: { plugins: installed },
    });
    const byKey = new Map(installed.map((p) => [p.key, p]));
    const check = () => {
      const rows = screen.getAllByTestId('catalog-row');
      expect(rows.length).toBeLessThan(40);
      for (const row of rows) {
        const plugin = byKey.get(row.getAttribute('data-key') ?? '');
        const badge = within(row).queryByTestId('catalog-installed');
        if (!plugin) expect(badge).toBeNull();
        else expect(badge).toHaveAttribute('data-state', plugin.update ? 'update' : 'installed');
      }
    };
    check();
    const target = catalogue[3 * 400];
    if (!target) throw new Error('fixture');
    await app.user.type(screen.getByLabelText('Search plugins'), target.key);
    expect(catalogRow(target.key)).toHaveAttribute('data-installed', '1.0.0');
    check();
  });

  it('shows no badge without an instance', async () => {
    await renderCatalogInstall({ instance: { instance: null } });
    expect(screen.queryAllByTestId('catalog-installed')).toHaveLength(0);
  });

  it('the details show the instance, the installed version, the update button and the installed version row', async () => {
    const app = await renderCatalogInstall();
    const details = await openDetails(app, 'formcreator');
    const where = within(details).getByTestId('catalog-install-where');
    expect(where).toHaveTextContent('In prod (GLPI 10.0.18):');
    expect(within(where).getByTestId('catalog-installed')).toHaveTextContent('Update 2.13.0 → 2.13.1');
    expect(installButton()).toHaveTextContent('Update to 2.13.1');
    expect(installButton()).toBeEnabled();
    expect(installButton()).toHaveAttribute('data-version', '2.13.1');

    expect(versionRow('2.13.0')).toHaveAttribute('data-installed', 'true');
    expect(within(versionRow('2.13.0')).getByTestId('version-installed')).toHaveTextContent('Installed');
    expect(within(versionRow('2.13.0')).getByRole('button', { name: 'Reinstall this version 2.13.0' })).toBeEnabled();
    expect(versionRow('2.13.1')).toHaveAttribute('data-installed', 'false');
    expect(within(versionRow('2.13.1')).getByRole('button', { name: 'Install this version 2.13.1' })).toBeEnabled();
    // A version for GLPI 9.5 says what it needs instead.
    expect(within(versionRow('2.12.0')).queryByRole('button')).toBeNull();
    expect(within(versionRow('2.12.0')).getByTestId('version-incompatible')).toHaveTextContent(
      'Not for GLPI 10.0.18: needs >=9.5.0 <9.6.0',
    );
    expect(screen.getByRole('columnheader', { name: 'Install in prod' })).toBeInTheDocument();
  });

  it('says Reinstall when the latest compatible version is installed, and Install when nothing is', async () => {
    const app = await renderCatalogInstall();
    await openDetails(app, 'fields');
    expect(installButton()).toHaveTextContent('Reinstall 1.21.0');
    expect(screen.getByTestId('catalog-installed')).toHaveTextContent('Installed 1.21.0');
    await app.user.click(screen.getByTestId('details-back'));
    await openDetails(app, 'datainjection');
    expect(installButton()).toHaveTextContent('Install 2.13.5');
    expect(screen.getByTestId('catalog-not-installed')).toHaveTextContent('not installed');
  });
});

describe('Install button states', () => {
  it('without an instance: disabled, says to add one in Installed first, and links there', async () => {
    const app = await renderCatalogInstall({ instance: { instance: null } });
    await openDetails(app, 'datainjection');
    const button = installButton();
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription('Add a GLPI instance in Installed first. Go to Installed');
    expect(button).toHaveAttribute('title', 'Add a GLPI instance in Installed first.');
    // No version picker without an instance.
    expect(screen.queryAllByTestId('version-install')).toHaveLength(0);
    expect(screen.queryByTestId('catalog-install-where')).toBeNull();
    await app.user.click(screen.getByRole('link', { name: 'Go to Installed' }));
    expect(await screen.findByTestId('installed-screen')).toBeInTheDocument();
  });

  it('a Basic key cannot install a Standard plugin: "Needs Standard", on every version too', async () => {
    const app = await renderCatalogInstall({ registration: BASIC });
    await openDetails(app, 'escalade');
    expect(installButton()).toBeDisabled();
    expect(installButton()).toHaveAccessibleDescription('Needs Standard');
    for (const button of screen.getAllByTestId('version-install')) {
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription('Needs Standard');
    }
    // A free plugin is still installable with the same key.
    await app.user.click(screen.getByTestId('details-back'));
    await openDetails(app, 'datainjection');
    expect(installButton()).toBeEnabled();
    expect(installButton()).not.toHaveAttribute('aria-describedby');
  });

  it('no version for the instance’s GLPI: disabled with the reason', async () => {
    const app = await renderCatalogInstall();
    await openDetails(app, 'barcode');
    expect(installButton()).toBeDisabled();
    expect(installButton()).toHaveTextContent(/^Install$/);
    expect(installButton()).toHaveAccessibleDescription('Not available for GLPI 10.0.18');
    expect(within(versionRow('2.4.0')).getByTestId('version-incompatible')).toHaveTextContent(
      'Not for GLPI 10.0.18: needs >=9.5.0 <9.6.0',
    );
  });

  it('checks versions against the instance’s GLPI version, not the catalogue’s', async () => {
    const app = await renderCatalogInstall({ instance: { instance: makeInstance({ version: '10.0.2' }) } });
    await openDetails(app, 'datainjection');
    expect(screen.getByTestId('catalog-install-where')).toHaveTextContent('In prod (GLPI 10.0.2):');
    // 2.13.5 needs ~10.0.3: the latest for this instance is 2.13.4.
    expect(installButton()).toHaveTextContent('Install 2.13.4');
    expect(within(versionRow('2.13.5')).getByTestId('version-incompatible')).toHaveTextContent(
      'Not for GLPI 10.0.2: needs >=10.0.3 <10.1.0',
    );
    expect(within(versionRow('2.13.4')).getByRole('button', { name: 'Install this version 2.13.4' })).toBeEnabled();
  });

  it('a marketplace folder Marketdesk cannot write in: disabled with the folder', async () => {
    const app = await renderCatalogInstall({ instance: { instance: makeInstance({ marketplaceWritable: false }) } });
    await openDetails(app, 'datainjection');
    expect(installButton()).toBeDisabled();
    expect(installButton()).toHaveAccessibleDescription('Marketdesk cannot write in /srv/glpi/marketplace.');
    expect(screen.getAllByTestId('version-install').every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });

  it('a version-control checkout: disabled, never overwritten', async () => {
    const app = await renderCatalogInstall({
      instance: { plugins: [makeInstalled('fields', { version: '1.20.0', vcs: '.git' })] },
    });
    await openDetails(app, 'fields');
    expect(installButton()).toBeDisabled();
    expect(installButton()).toHaveAccessibleDescription(
      'The installed copy is a .git checkout: Marketdesk never overwrites it.',
    );
  });

  it('a copy in plugins/ that GLPI loads before marketplace/: disabled, says which', async () => {
    const app = await renderCatalogInstall({
      instance: {
        plugins: [
          makeInstalled('fields', { location: 'plugins', path: '/srv/glpi/plugins/fields', version: '1.20.0' }),
          makeInstalled('fields', { version: '1.19.0', shadowedBy: 'plugins' }),
        ],
      },
    });
    await openDetails(app, 'fields');
    expect(installButton()).toBeDisabled();
    expect(installButton()).toHaveAccessibleDescription(
      'GLPI loads /srv/glpi/plugins/fields, which comes before marketplace/: update or remove that copy instead.',
    );
  });
});

describe('Installing from the details', () => {
  it('installs the latest compatible version, with progress, then the result and the next step in GLPI', async () => {
    const app = await renderCatalogInstall();
    const gate = deferred();
    app.plugins.plans.set('datainjection', { steps: [['download', 0.4]], hold: gate.promise });
    await openDetails(app, 'datainjection');
    await app.user.click(installButton());

    const job = await screen.findByTestId('job-status');
    await waitFor(() => expect(job).toHaveTextContent('download: 40%'));
    expect(job).toHaveAttribute('data-state', 'running');
    expect(within(job).getByRole('progressbar', { name: 'download: 40%' })).toHaveAttribute('value', '0.4');
    expect(job).toHaveFocus();
    expect(installButton()).toBeDisabled();
    expect(installButton()).toHaveAccessibleDescription('An action on datainjection is running.');
    for (const button of screen.getAllByTestId('version-install')) expect(button).toBeDisabled();

    await act(async () => {
      gate.resolve();
      await gate.promise;
    });
    await waitFor(() => expect(job).toHaveAttribute('data-state', 'done'));
    expect(job).toHaveTextContent(/datainjection\s+→ 2\.13\.5/);
    expect(job).toHaveTextContent('Next step in GLPI: In GLPI, open Setup > Plugins and check datainjection.');
    expect(installCalls(app)).toEqual([{ key: 'datainjection', version: '2.13.5' }]);
    // The instance is read again: the details and the row now say it is installed.
    await waitFor(() => expect(screen.getByTestId('catalog-installed')).toHaveTextContent('Installed 2.13.5'));
    expect(installButton()).toHaveTextContent('Reinstall 2.13.5');
    await app.user.click(screen.getByTestId('details-back'));
    expect(within(catalogRow('datainjection')).getByTestId('catalog-installed')).toHaveTextContent('Installed 2.13.5');
  });

  it('installs a chosen version from the table, with progress then the result', async () => {
    const app = await renderCatalogInstall();
    const gate = deferred();
    app.plugins.plans.set('datainjection', {
      steps: [
        ['download', 0.3],
        ['extract', 0.6],
      ],
      hold: gate.promise,
    });
    await openDetails(app, 'datainjection');
    await app.user.click(within(versionRow('2.13.4')).getByRole('button', { name: 'Install this version 2.13.4' }));
    const job = await screen.findByTestId('job-status');
    await waitFor(() => expect(job).toHaveTextContent('extract: 60%'));
    expect(job).toHaveFocus();
    await act(async () => {
      gate.resolve();
      await gate.promise;
    });
    await waitFor(() => expect(job).toHaveAttribute('data-state', 'done'));
    expect(job).toHaveTextContent('Next step in GLPI:');
    expect(installCalls(app)).toEqual([{ key: 'datainjection', version: '2.13.4' }]);
    await waitFor(() => expect(versionRow('2.13.4')).toHaveAttribute('data-installed', 'true'));
    // The newer version is now an update.
    expect(installButton()).toHaveTextContent('Update to 2.13.5');
  });

  it('offers the same Cancel as the Installed row while the install runs', async () => {
    const app = await renderCatalogInstall();
    app.plugins.plans.set('datainjection', { steps: [['download', 0.4]], hold: new Promise(() => undefined) });
    await openDetails(app, 'datainjection');
    await app.user.click(installButton());
    const job = await screen.findByTestId('job-status');
    await waitFor(() => expect(job).toHaveAttribute('data-cancel', 'none'));
    await app.user.click(within(job).getByRole('button', { name: 'Cancel the install of datainjection' }));
    await waitFor(() => expect(screen.getByTestId('job-status')).toHaveAttribute('data-state', 'cancelled'));
    expect(screen.getByTestId('job-status')).toHaveTextContent('Cancelled: nothing was changed.');
    expect(app.transport.calls.filter((c) => c.channel === 'plugins.cancel')).toHaveLength(1);
  });

  it('shows a failure with its step and what to do', async () => {
    const app = await renderCatalogInstall();
    app.plugins.plans.set('datainjection', {
      fail: new AppError('INSTALL_FAILED', 'download failed: the archive is corrupt', {
        fix: 'Try again later.',
        details: { step: 'download', code: 'checksum' },
      }),
    });
    await openDetails(app, 'datainjection');
    await app.user.click(installButton());
    const job = await screen.findByTestId('job-status');
    await waitFor(() => expect(job).toHaveAttribute('data-state', 'failed'));
    expect(job).toHaveAttribute('role', 'alert');
    expect(job).toHaveTextContent('Failed at step "download": download failed: the archive is corrupt');
    expect(job).toHaveTextContent('What to do: Try again later.');
    expect(installButton()).toBeEnabled();
  });

  it('shows both checksums of a republished archive, and installs it again only once trusted', async () => {
    const app = await renderCatalogInstall();
    const [pinned, received] = ['a'.repeat(64), 'b'.repeat(64)];
    app.plugins.plans.set('datainjection', {
      fail: new AppError('INSTALL_FAILED', `download failed: The archive of datainjection 2.13.5 has changed.`, {
        fix: 'Ask the plugin author.',
        details: {
          step: 'download',
          code: 'checksum-changed',
          key: 'datainjection',
          version: '2.13.5',
          pinned,
          received,
        },
      }),
    });
    await openDetails(app, 'datainjection');
    await app.user.click(installButton());
    const job = await screen.findByTestId('job-status');
    await waitFor(() => expect(job).toHaveAttribute('data-state', 'failed'));
    const checksums = within(job).getByTestId('job-checksums');
    expect(checksums).toHaveTextContent(`SHA-256 at its first install${pinned}`);
    expect(checksums).toHaveTextContent(`SHA-256 received now${received}`);
    const trust = within(job).getByRole('button', {
      name: 'Trust the new archive and install datainjection 2.13.5',
    });
    expect(trust).toHaveTextContent('Trust the new archive and install');
    trust.focus();
    await app.user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByTestId('job-status')).toHaveAttribute('data-state', 'done'));
    expect(installCalls(app).at(-1)).toEqual({ key: 'datainjection', version: '2.13.5', acceptNewChecksum: received });
    expect(screen.queryByTestId('job-checksums')).toBeNull();
  });

  it('offers no trust button for other download failures', async () => {
    const app = await renderCatalogInstall();
    app.plugins.plans.set('datainjection', {
      fail: new AppError('INSTALL_FAILED', 'download failed: the archive is corrupt', {
        details: { step: 'download', code: 'checksum' },
      }),
    });
    await openDetails(app, 'datainjection');
    await app.user.click(installButton());
    await waitFor(() => expect(screen.getByTestId('job-status')).toHaveAttribute('data-state', 'failed'));
    expect(screen.queryByTestId('job-trust-checksum')).toBeNull();
  });

  it('shows an install failure in French from its references, the English text aside', async () => {
    const app = await renderCatalogInstall();
    app.plugins.plans.set('datainjection', {
      fail: new AppError('INSTALL_FAILED', 'extract failed: The archive ends before its end.', {
        fix: 'This archive cannot be installed safely.',
        details: { step: 'extract', code: 'truncated' },
        ref: ref('install.archive', { code: 'truncated', entry: 'datainjection/setup.php' }),
        fixRef: ref('install.fix.unsafeArchive'),
      }),
    });
    await openDetails(app, 'datainjection');
    await app.user.click(installButton());
    const job = await screen.findByTestId('job-status');
    await waitFor(() => expect(job).toHaveAttribute('data-state', 'failed'));
    act(() => void applyLanguage('fr_FR'));
    try {
      await waitFor(() =>
        expect(screen.getByTestId('job-status')).toHaveTextContent(
          'Échec à l’étape « extract » : L’archive a été refusée (truncated, à datainjection/setup.php) : elle est tronquée.',
        ),
      );
      expect(screen.getByTestId('job-status')).toHaveTextContent(
        'Que faire : Cette archive ne peut pas être installée sans risque.',
      );
      expect(screen.getByTestId('job-status')).not.toHaveTextContent('The archive ends');
    } finally {
      act(() => void applyLanguage('en_US'));
    }
  });

  it('asks before installing a version older than the installed one, and does nothing on cancel', async () => {
    const app = await renderCatalogInstall();
    await openDetails(app, 'formcreator');
    const older = within(versionRow('2.12.5')).getByRole('button', { name: 'Install this version 2.12.5' });
    await app.user.click(older);

    let dialog = screen.getByRole('alertdialog', { name: 'Go back to Form Creator 2.12.5?' });
    expect(dialog).toHaveAccessibleDescription(expect.stringContaining('GLPI may refuse to run it') as string);
    expect(dialog).toHaveTextContent('Form Creator 2.13.0 is installed; 2.12.5 is older.');
    // The safe choice has the focus; Esc cancels (and stays in the details).
    const keep = within(dialog).getByRole('button', { name: 'Keep 2.13.0' });
    expect(keep).toHaveFocus();
    await app.user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByTestId('plugin-details')).toBeInTheDocument();
    expect(older).toHaveFocus();
    await app.user.click(older);
    await app.user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Keep 2.13.0' }));
    expect(installCalls(app)).toEqual([]);

    await app.user.click(older);
    dialog = screen.getByRole('alertdialog');
    await app.user.click(within(dialog).getByRole('button', { name: 'Install 2.12.5' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    const job = await screen.findByTestId('job-status');
    await waitFor(() => expect(job).toHaveAttribute('data-state', 'done'));
    expect(installCalls(app)).toEqual([{ key: 'formcreator', version: '2.12.5' }]);
    await waitFor(() => expect(versionRow('2.12.5')).toHaveAttribute('data-installed', 'true'));
  });

  it('the main button asks too when the installed version is newer than every compatible one', async () => {
    const app = await renderCatalogInstall({
      instance: { plugins: [makeInstalled('formcreator', { name: 'Form Creator', version: '2.14.0' })] },
    });
    await openDetails(app, 'formcreator');
    expect(installButton()).toHaveTextContent('Go back to 2.13.1');
    await app.user.click(installButton());
    const dialog = screen.getByRole('alertdialog', { name: 'Go back to Form Creator 2.13.1?' });
    await app.user.click(within(dialog).getByRole('button', { name: 'Keep 2.14.0' }));
    expect(installButton()).toHaveFocus();
    expect(installCalls(app)).toEqual([]);
  });

  it('an update or a reinstall does not ask', async () => {
    const app = await renderCatalogInstall();
    await openDetails(app, 'formcreator');
    await app.user.click(installButton());
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('job-status')).toHaveAttribute('data-state', 'done'));
    await waitFor(() => expect(installButton()).toHaveTextContent('Reinstall 2.13.1'));
    await app.user.click(installButton());
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(installCalls(app)).toHaveLength(2));
    expect(installCalls(app)).toEqual([
      { key: 'formcreator', version: '2.13.1' },
      { key: 'formcreator', version: '2.13.1' },
    ]);
  });
});

describe('The Installed and Updates filters', () => {
  it('show the active instance’s loaded plugins, and those with an update', async () => {
    const app = await renderCatalogInstall();
    await app.user.click(screen.getByRole('button', { name: 'Installed' }));
    await waitFor(() => expect(rowKeys().sort()).toEqual(['fields', 'formcreator']));
    expect(screen.queryByTestId('catalog-no-installs')).not.toBeInTheDocument();
    await app.user.click(screen.getByRole('button', { name: 'Installed' }));
    await app.user.click(screen.getByRole('button', { name: 'Updates' }));
    await waitFor(() => expect(rowKeys()).toEqual(['formcreator']));
  });
});
