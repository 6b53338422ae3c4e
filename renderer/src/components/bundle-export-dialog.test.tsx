import { act, screen, waitFor, within } from '@testing-library/react';
import { AppError } from '../../../shared/errors';
import { BUNDLE_SHA256, FakeBundles, renderWithBundles } from '../test/fake-bundles';
import { FakeFleet, makeFleetRow } from '../test/fake-fleet';
import { FakePlugins } from '../test/fake-plugins';
import { renderApp } from '../test/render-app';

type Rendered = Awaited<ReturnType<typeof renderWithBundles>>;

/** The app with the Export dialog of the active instance open; `browser`: the browser shell's page. */
async function openExport(browser: boolean, configure?: (bundles: FakeBundles) => void): Promise<Rendered> {
  const app = await renderWithBundles(browser, configure);
  await app.user.click(await screen.findByRole('button', { name: 'Export bundle…' }));
  await screen.findByTestId('bundle-export-preview');
  return app;
}

function dialog(instance = 'prod'): HTMLElement {
  return screen.getByRole('dialog', { name: `Export an offline bundle from ${instance}` });
}

function lines(testId: string): string[] {
  return within(screen.getByTestId(testId))
    .getAllByRole('listitem')
    .map((li) => (li.textContent ?? '').trim());
}

describe('Export dialog', () => {
  it('lists what goes in for the instance’s GLPI version, with tier badges and what is left out', async () => {
    const app = await openExport(true);
    expect(dialog()).toHaveAttribute('aria-modal', 'true');
    expect(dialog()).toHaveAccessibleDescription(/never holds the registration key/);
    expect(within(dialog()).getByRole('radio', { name: 'The plugins of prod, at the versions it has' })).toBeChecked();
    expect(within(dialog()).getByRole('textbox', { name: 'Target GLPI version' })).toHaveValue('10.0.18');
    expect(app.bundles.channel('bundles.preview')).toEqual([{ instance: 'prod', glpiVersion: '10.0.18' }]);
    expect(lines('bundle-export-preview')).toEqual([
      'Fields (fields) 1.21.23 Tier: Free',
      'Metabase (metabase) 4.10.2 Tier: Standard',
    ]);
    expect(screen.getByTestId('bundle-export-skipped')).toHaveTextContent(
      'tag: in plugins/, which Marketdesk does not manage',
    );
    expect(dialog()).toHaveTextContent('The premium plugins are included with your GLPI Network Standard subscription');

    // Another GLPI version: the list is about the old one until listed again.
    const version = within(dialog()).getByRole('textbox', { name: 'Target GLPI version' });
    await app.user.clear(version);
    await app.user.type(version, '11.0.2');
    expect(screen.queryByTestId('bundle-export-preview')).toBeNull();
    await app.user.click(within(dialog()).getByRole('button', { name: 'List the plugins' }));
    await waitFor(() => expect(screen.getByTestId('bundle-export-preview')).toBeInTheDocument());
    expect(app.bundles.channel('bundles.preview').at(-1)).toEqual({ instance: 'prod', glpiVersion: '11.0.2' });
  });

  it('in the browser shell: makes the bundle with per-plugin progress, then offers the download and the SHA-256', async () => {
    let release!: () => void;
    const app = await openExport(true, (bundles) => {
      bundles.nextExport = { hold: new Promise<void>((r) => (release = r)) };
    });
    await app.user.click(within(dialog()).getByRole('button', { name: 'Make the bundle' }));
    const progress = await screen.findByTestId('bundle-export-progress');
    await waitFor(() =>
      expect(
        within(progress)
          .getAllByRole('listitem')
          .map((li) => li.textContent?.trim()),
      ).toEqual(['fields: downloading, 40%', 'metabase: waiting']),
    );
    expect(within(progress).getByRole('progressbar', { name: 'fields: downloading, 40%' })).toHaveAttribute(
      'value',
      '0.4',
    );
    // Escape does not close it while the bundle is made.
    await app.user.keyboard('{Escape}');
    expect(dialog()).toBeInTheDocument();
    expect(within(dialog()).getByRole('button', { name: 'Close' })).toBeDisabled();
    await act(() => {
      release();
      return Promise.resolve();
    });

    const result = await screen.findByTestId('bundle-export-result');
    expect(app.bundles.channel('bundles.chooseSave')).toEqual([{ name: 'prod-plugins-10.0.18-2025-06-15.mdbundle' }]);
    const ref = (app.bundles.channel('bundles.export')[0] as { ref: string }).ref;
    expect(app.bundles.channel('bundles.export')).toEqual([{ ref, instance: 'prod', glpiVersion: '10.0.18' }]);
    expect(result).toHaveTextContent(
      'Bundle made: prod-plugins-10.0.18-2025-06-15.mdbundle, 2.8 MB, 2 plugins. Download it, then copy it to the server.',
    );
    const link = within(result).getByRole('link', { name: 'Download prod-plugins-10.0.18-2025-06-15.mdbundle' });
    expect(link).toHaveAttribute('href', `/api/bundle-files/${ref}`);
    expect(link).toHaveAttribute('download', 'prod-plugins-10.0.18-2025-06-15.mdbundle');
    expect(within(result).getByLabelText('SHA-256 of the whole bundle file')).toHaveTextContent(BUNDLE_SHA256);
    expect(result).toHaveTextContent('Send this SHA-256 apart from the file, over a channel you trust');
    expect(lines('bundle-export-entries')).toEqual([
      'Fields (fields) 1.21.23',
      'Metabase (metabase) 4.10.2 Tier: Standard',
    ]);

    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    try {
      await app.user.click(within(result).getByRole('button', { name: 'Copy the SHA-256' }));
      expect(writeText).toHaveBeenCalledWith(BUNDLE_SHA256);
      expect(result).toHaveTextContent('Copied to the clipboard.');
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard');
    }

    // Closing forgets the temporary file (the server deletes it).
    await app.user.click(within(dialog()).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(app.bundles.released).toEqual([ref]));
  });

  it('Stop, beside the progress, stops the bundle being made: no file, no error, and it can be made again', async () => {
    const app = await openExport(true, (bundles) => {
      bundles.nextExport = { hold: new Promise<void>(() => undefined) };
    });
    await app.user.click(within(dialog()).getByRole('button', { name: 'Make the bundle' }));
    const progress = await screen.findByTestId('bundle-export-progress');
    await waitFor(() => expect(within(progress).getAllByRole('listitem')[0]).toHaveTextContent('40%'));
    const stop = within(progress).getByRole('button', { name: 'Stop' });
    stop.focus();
    await app.user.keyboard('{Enter}');
    expect(app.bundles.channel('bundles.cancel')).toEqual([{}]);
    expect(await screen.findByTestId('bundle-export-cancelled')).toHaveTextContent('Cancelled: no bundle was made.');
    expect(screen.queryByTestId('bundle-export-progress')).toBeNull();
    expect(screen.queryByTestId('bundle-export-error')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(within(dialog()).getByRole('button', { name: 'Close' })).toBeEnabled();
    // Made again, to the end this time.
    await app.user.click(within(dialog()).getByRole('button', { name: 'Make the bundle' }));
    expect(await screen.findByTestId('bundle-export-result')).toHaveTextContent('Bundle made');
    expect(screen.queryByTestId('bundle-export-cancelled')).toBeNull();
  });

  it('in the desktop app: the save dialog asks where (cancel makes nothing), and says where it saved', async () => {
    const app = await openExport(false, (bundles) => {
      bundles.saveAs = null;
    });
    await app.user.click(within(dialog()).getByRole('button', { name: 'Make the bundle…' }));
    expect(await screen.findByTestId('bundle-export-cancelled')).toHaveTextContent('Cancelled: no bundle was made.');
    expect(app.bundles.channel('bundles.export')).toEqual([]);

    app.bundles.saveAs = '/home/admin/offline.mdbundle';
    await app.user.click(within(dialog()).getByRole('button', { name: 'Make the bundle…' }));
    const result = await screen.findByTestId('bundle-export-result');
    expect(result).toHaveTextContent('Bundle saved as /home/admin/offline.mdbundle: 2.8 MB, 2 plugins.');
    expect(within(result).queryByRole('link')).toBeNull();
    // A file the admin chose is theirs: closing does not delete it.
    await app.user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(app.bundles.released).toEqual([]);
  });

  it('a changed archive shows both checksums; trusting it makes the bundle into the same file', async () => {
    const pinned = 'a'.repeat(64);
    const received = 'b'.repeat(64);
    const app = await openExport(true, (bundles) => {
      bundles.nextExport = {
        fail: new AppError('BUNDLE_FAILED', 'The archive of metabase 4.10.2 has changed.', {
          fix: 'marketdesk bundle create … --accept-new-checksum',
          details: { code: 'checksum-changed', key: 'metabase', version: '4.10.2', expected: pinned, actual: received },
        }),
      };
    });
    await app.user.click(within(dialog()).getByRole('button', { name: 'Make the bundle' }));
    const error = await screen.findByTestId('bundle-export-error');
    expect(error).toHaveAttribute('role', 'alert');
    expect(
      within(error)
        .getAllByText(/^[0-9a-f]{64}$/)
        .map((c) => c.textContent),
    ).toEqual([pinned, received]);
    await app.user.click(
      within(error).getByRole('button', { name: 'Trust the new archive of metabase 4.10.2 and make the bundle' }),
    );
    await screen.findByTestId('bundle-export-result');
    const exports = app.bundles.channel('bundles.export') as { ref: string; acceptNewChecksum?: string }[];
    expect(exports).toHaveLength(2);
    expect(exports[1]).toMatchObject({ ref: exports[0]?.ref, acceptNewChecksum: received });
    expect(app.bundles.channel('bundles.chooseSave')).toHaveLength(1);
  });

  it('says what to do in the app when the bundle cannot be made', async () => {
    const app = await openExport(true, (bundles) => {
      bundles.nextExport = {
        fail: new AppError('BUNDLE_FAILED', 'Some plugins cannot be put in the bundle:\n  x: gone', {
          fix: 'marketdesk manifest export …',
          details: { code: 'unresolved', problems: ['x: gone'] },
        }),
      };
    });
    await app.user.click(within(dialog()).getByRole('button', { name: 'Make the bundle' }));
    const error = await screen.findByTestId('bundle-export-error');
    expect(error).toHaveAttribute('data-code', 'unresolved');
    expect(error).toHaveTextContent('The bundle was not made: Some plugins cannot be put in the bundle: x: gone');
    expect(error).toHaveTextContent('Choose another target GLPI version, or bundle from a manifest');
    expect(error).not.toHaveTextContent('marketdesk manifest export');
  });

  it('bundles a pasted manifest; plugins that cannot be bundled block the export with the reason', async () => {
    const app = await openExport(true);
    await app.user.click(within(dialog()).getByRole('radio', { name: 'The plugins of a manifest' }));
    const make = within(dialog()).getByRole('button', { name: 'Make the bundle' });
    expect(make).toBeDisabled();
    expect(make).toHaveAccessibleDescription('Paste a manifest or read a file first.');
    const manifest = within(dialog()).getByRole('textbox', { name: 'Manifest to bundle (JSON or YAML)' });
    await app.user.click(manifest);
    await app.user.paste('{"format":1,"plugins":[{"key":"nosuchplugin","version":"*"}]}');
    await app.user.click(within(dialog()).getByRole('button', { name: 'List the plugins' }));
    const problems = await screen.findByTestId('bundle-export-problems');
    expect(problems).toHaveTextContent('nosuchplugin: not in the catalogue');
    expect(make).toBeDisabled();
    expect(make).toHaveAccessibleDescription(
      'Some plugins cannot be bundled (see the list above): a bundle would miss them.',
    );
    const file = new File(['{"format":1,"plugins":[{"key":"fields","version":"~1.21"}]}'], 'site.json');
    await app.user.upload(within(dialog()).getByLabelText('Read a manifest file'), file);
    await waitFor(() => expect(screen.queryByTestId('bundle-export-problems')).toBeNull());
    expect(app.bundles.channel('bundles.preview').at(-1)).toEqual({
      manifest: '{"format":1,"plugins":[{"key":"fields","version":"~1.21"}]}',
      manifestName: 'site.json',
      glpiVersion: '10.0.18',
    });
    await app.user.click(make);
    await screen.findByTestId('bundle-export-result');
    expect(app.bundles.channel('bundles.chooseSave').at(-1)).toEqual({
      name: 'site-plugins-10.0.18-2025-06-15.mdbundle',
    });
  });

  it('opens from a Fleet row for that instance and its GLPI version', async () => {
    let bundles!: FakeBundles;
    const app = await renderApp({}, (harness) => {
      new FakePlugins(harness);
      bundles = new FakeBundles(harness);
      new FakeFleet(harness, [makeFleetRow('prod', { active: true }), makeFleetRow('web2', { version: '10.0.16' })]);
    });
    await app.user.click(screen.getByRole('link', { name: 'Fleet' }));
    await screen.findByTestId('fleet-table');
    await app.user.click(screen.getByRole('button', { name: 'Export an offline bundle from web2' }));
    await waitFor(() =>
      expect(within(dialog('web2')).getByRole('textbox', { name: 'Target GLPI version' })).toHaveValue('10.0.16'),
    );
    await waitFor(() =>
      expect(bundles.channel('bundles.preview')).toEqual([{ instance: 'web2', glpiVersion: '10.0.16' }]),
    );
  });
});
