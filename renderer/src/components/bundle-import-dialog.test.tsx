import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppError } from '../../../shared/errors';
import type { FakeBundles } from '../test/fake-bundles';
import { BUNDLE_SHA256, renderWithBundles } from '../test/fake-bundles';

type Rendered = Awaited<ReturnType<typeof renderWithBundles>>;

/** The app with the Import dialog of the active instance open; `browser`: the browser shell's page. */
async function openImport(browser: boolean, configure?: (bundles: FakeBundles) => void): Promise<Rendered> {
  const app = await renderWithBundles(browser, configure);
  await app.user.click(await screen.findByRole('button', { name: 'Import bundle…' }));
  return app;
}

function dialog(): HTMLElement {
  return screen.getByRole('dialog', { name: 'Import an offline bundle into prod' });
}

/** A file whose first block is bundle.json's ustar header, as the page checks it. */
function bundleFile(name = 'glpi-plugins.mdbundle', size = 4096): File {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode('bundle.json'), 0);
  bytes.set(new TextEncoder().encode('ustar'), 257);
  return new File([bytes], name);
}

/** Chooses `file` in the file field; the file dialog's "All files" lets any name through. */
async function upload(_app: Rendered, file: File = bundleFile()): Promise<void> {
  await userEvent
    .setup({ applyAccept: false })
    .upload(within(dialog()).getByLabelText('Bundle file (.mdbundle)'), file);
}

function items(testId: string): { key: string | null; state: string | null; action: string | null; text: string }[] {
  return within(screen.getByTestId(testId))
    .getAllByRole('listitem')
    .map((li) => ({
      key: li.getAttribute('data-key'),
      state: li.getAttribute('data-state'),
      action: li.getAttribute('data-action'),
      text: (li.firstChild?.textContent ?? '').trim(),
    }));
}

describe('Import dialog', () => {
  it('says no network is used and premium plugins are trusted; uploads, checks, plans, imports, then has nothing to do', async () => {
    const app = await openImport(true);
    expect(dialog()).toHaveAccessibleDescription(
      /No network is used.*Premium plugins are trusted as entitled when the bundle was made/,
    );
    const check = within(dialog()).getByRole('button', { name: 'Check' });
    expect(check).toHaveAccessibleDescription('Choose a bundle file first.');

    await upload(app);
    await waitFor(() =>
      expect(screen.getByTestId('bundle-import-chosen')).toHaveTextContent('File: glpi-plugins.mdbundle 4.1 kB'),
    );
    expect(app.bundles.uploads.map((f) => f.name)).toEqual(['glpi-plugins.mdbundle']);
    const sha = within(dialog()).getByRole('textbox', { name: 'SHA-256 of the bundle (optional)' });
    await app.user.click(sha);
    await app.user.paste(` ${BUNDLE_SHA256.toUpperCase()} `);
    await app.user.click(check);

    const inspect = await screen.findByTestId('bundle-import-inspect');
    expect(inspect).toHaveTextContent('for GLPI 10.0.18, from the plugins of prod.');
    expect(inspect).toHaveTextContent(
      'Premium plugins were entitled by GLPI Network Standard when it was made (trusted here, not checked).',
    );
    expect(
      within(inspect)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-state')),
    ).toEqual(['ok', 'ok']);
    expect(screen.getByTestId('bundle-import-verdict')).toHaveTextContent(
      'The whole file has the SHA-256 given: it is the bundle that was made, and every archive is intact.',
    );
    const ref = app.bundles.channel('bundles.check')[0] as { ref: string };
    expect(app.bundles.channel('bundles.check')).toEqual([{ ref: ref.ref, sha256: BUNDLE_SHA256 }]);
    await waitFor(() =>
      expect(items('bundle-import-plan')).toEqual([
        { key: 'fields', state: null, action: 'update', text: 'Update fields 1.21.0 → 1.21.23' },
        { key: 'metabase', state: null, action: 'update', text: 'Update metabase 1.0.0 → 4.10.2' },
      ]),
    );
    expect(screen.getByTestId('bundle-import-plan-summary')).toHaveTextContent('2 changes, in this order:');

    await app.user.click(within(dialog()).getByRole('button', { name: 'Import into prod' }));
    const result = await screen.findByTestId('bundle-import-result');
    expect(result).toHaveAttribute('data-ok', 'true');
    expect(result).toHaveTextContent('Done: 2 changes made in prod.');
    expect(items('bundle-import-result').map((i) => [i.key, i.state, i.text])).toEqual([
      ['fields', 'done', 'Done: Update fields 1.21.0 → 1.21.23'],
      ['metabase', 'done', 'Done: Update metabase 1.0.0 → 4.10.2'],
    ]);
    expect(app.bundles.channel('bundles.apply').at(-1)).toEqual({ ref: ref.ref, sha256: BUNDLE_SHA256 });

    await app.user.click(within(dialog()).getByRole('button', { name: 'Import into prod' }));
    await waitFor(() =>
      expect(screen.getByTestId('bundle-import-result')).toHaveTextContent(
        'Nothing to do: prod already has every version of this bundle.',
      ),
    );

    // Closing forgets the uploaded file (the server deletes it).
    await app.user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(app.bundles.released).toEqual([ref.ref]));
  });

  it('refuses a file that is not a bundle, or too large, before sending it', async () => {
    const app = await openImport(true);
    await upload(app, new File(['PK\x03\x04 not a bundle'], 'plugins.zip'));
    const error = await screen.findByTestId('bundle-import-file-error');
    expect(error).toHaveTextContent(
      'plugins.zip is not a Marketdesk bundle: it does not start with bundle.json. Choose the .mdbundle file',
    );
    const huge = bundleFile('huge.mdbundle');
    Object.defineProperty(huge, 'size', { value: 3 * 1024 ** 3 });
    await upload(app, huge);
    await waitFor(() =>
      expect(screen.getByTestId('bundle-import-file-error')).toHaveTextContent(
        'huge.mdbundle is larger than 2.1 GB: it is not a bundle Marketdesk made.',
      ),
    );
    expect(app.bundles.uploads).toEqual([]);
  });

  it('shows the server’s refusal of an upload with the fix for the app', async () => {
    const app = await openImport(true, (bundles) => {
      bundles.refuseUpload = new AppError('BUNDLE_FAILED', 'x.mdbundle is not a readable Marketdesk bundle.', {
        details: { code: 'corrupt' },
      });
    });
    await upload(app);
    const error = await screen.findByTestId('bundle-import-file-error');
    expect(error).toHaveAttribute('data-code', 'corrupt');
    expect(error).toHaveTextContent('The file was refused: x.mdbundle is not a readable Marketdesk bundle.');
    expect(error).toHaveTextContent('Do not use this file. Make the bundle again on the connected computer');
  });

  it('a SHA-256 of the wrong form is said at once and blocks the check', async () => {
    const app = await openImport(true);
    await upload(app);
    const sha = within(dialog()).getByRole('textbox', { name: 'SHA-256 of the bundle (optional)' });
    await app.user.type(sha, 'abc');
    expect(sha).toHaveAttribute('aria-invalid', 'true');
    expect(sha).toHaveAccessibleDescription(/A SHA-256 is 64 hexadecimal digits/);
    expect(within(dialog()).getByRole('button', { name: 'Check' })).toBeDisabled();
  });

  it('a tampered bundle fails its check, names the altered archive, and cannot be imported', async () => {
    const app = await openImport(true, (bundles) => {
      bundles.tampered = 'metabase';
    });
    await upload(app);
    await app.user.type(
      within(dialog()).getByRole('textbox', { name: 'SHA-256 of the bundle (optional)' }),
      BUNDLE_SHA256,
    );
    await app.user.click(within(dialog()).getByRole('button', { name: 'Check' }));
    const inspect = await screen.findByTestId('bundle-import-inspect');
    expect(
      within(inspect)
        .getAllByRole('listitem')
        .map((li) => li.getAttribute('data-state')),
    ).toEqual(['ok', 'tampered']);
    const verdict = screen.getByTestId('bundle-import-verdict');
    expect(verdict).toHaveAttribute('role', 'alert');
    expect(verdict).toHaveTextContent(
      'The whole file does not have the SHA-256 given: it is not the bundle that was made',
    );
    expect(verdict).toHaveTextContent('Altered archives: metabase. Nothing from this bundle will be installed.');
    expect(screen.queryByRole('button', { name: 'Import into prod' })).toBeNull();
    expect(app.bundles.channel('bundles.apply')).toEqual([]);
  });

  it('a version pinned with other bytes shows both checksums; trusting it imports with that checksum', async () => {
    const pinned = 'a'.repeat(64);
    const app = await openImport(true, (bundles) => {
      bundles.pins.set('metabase', pinned);
    });
    await upload(app);
    await app.user.click(within(dialog()).getByRole('button', { name: 'Check' }));
    await waitFor(() =>
      expect(screen.getByTestId('bundle-import-plan-summary')).toHaveTextContent('A line below cannot be imported'),
    );
    const run = within(dialog()).getByRole('button', { name: 'Import into prod' });
    expect(run).toBeDisabled();
    const line = within(screen.getByTestId('bundle-import-plan')).getAllByRole('listitem')[1]!;
    expect(
      within(line)
        .getAllByText(/^[0-9a-f]{64}$/)
        .map((c) => c.textContent),
    ).toEqual([pinned, '2'.repeat(64)]);
    await app.user.click(
      within(line).getByRole('button', { name: 'Trust the new archive and update metabase 4.10.2' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('bundle-import-result')).toHaveTextContent('Done: 2 changes made in prod.'),
    );
    expect(app.bundles.channel('bundles.apply').at(-1)).toMatchObject({ acceptNewChecksum: '2'.repeat(64) });
  });

  it('stops at the first failure: what was done stays done, the rest is not done', async () => {
    const app = await openImport(true, (bundles) => {
      bundles.failImport = {
        key: 'metabase',
        error: new AppError('INSTALL_FAILED', 'marketplace/ is not writable.', {
          fix: 'Give the web server write access.',
        }),
      };
      bundles.installed.delete('fields');
    });
    await upload(app);
    await app.user.click(within(dialog()).getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(within(dialog()).getByRole('button', { name: 'Import into prod' })).toBeEnabled());
    await app.user.click(within(dialog()).getByRole('button', { name: 'Import into prod' }));
    const result = await screen.findByTestId('bundle-import-result');
    expect(result).toHaveAttribute('role', 'alert');
    expect(result).toHaveTextContent('Stopped at metabase; what was done before it stays done.');
    expect(items('bundle-import-result').map((i) => [i.state, i.text])).toEqual([
      ['done', 'Done: Install fields 1.21.23'],
      ['failed', 'Failed: Update metabase 1.0.0 → 4.10.2: marketplace/ is not writable.'],
    ]);
    expect(result).toHaveTextContent('Give the web server write access.');
  });

  it('in the desktop app: the main process’s open dialog chooses the file', async () => {
    const app = await openImport(false, (bundles) => {
      bundles.openAs = null;
    });
    expect(within(dialog()).queryByLabelText('Bundle file (.mdbundle)')).toBeNull();
    await app.user.click(within(dialog()).getByRole('button', { name: 'Choose a bundle file…' }));
    await waitFor(() => expect(app.bundles.channel('bundles.chooseOpen')).toHaveLength(1));
    expect(screen.getByTestId('bundle-import-chosen')).toHaveTextContent('No file chosen.');
    app.bundles.openAs = '/home/admin/glpi-plugins.mdbundle';
    await app.user.click(within(dialog()).getByRole('button', { name: 'Choose a bundle file…' }));
    await waitFor(() =>
      expect(screen.getByTestId('bundle-import-chosen')).toHaveTextContent('File: glpi-plugins.mdbundle 1 MB'),
    );
    await app.user.click(within(dialog()).getByRole('button', { name: 'Check' }));
    await screen.findByTestId('bundle-import-plan');
    await app.user.click(within(dialog()).getByRole('button', { name: 'Close' }));
    // The admin's own file is never deleted: nothing to release but the reference.
    await waitFor(() => expect(app.bundles.released).toHaveLength(1));
    expect(app.bundles.uploads).toEqual([]);
  });

  it('Stop, beside the progress, ends the import before the plugins not done and says they were not changed', async () => {
    const app = await openImport(true, (bundles) => {
      bundles.holdImport = { key: 'metabase', hold: new Promise<void>(() => undefined) };
    });
    await upload(app);
    await waitFor(() => expect(screen.getByTestId('bundle-import-chosen')).toHaveTextContent('glpi-plugins.mdbundle'));
    await app.user.click(within(dialog()).getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(screen.getByTestId('bundle-import-plan')).toBeInTheDocument());
    await app.user.click(within(dialog()).getByRole('button', { name: 'Import into prod' }));
    const progress = await screen.findByTestId('bundle-import-progress');
    await waitFor(() => expect(progress).toHaveTextContent('metabase'));
    await app.user.click(within(progress).getByRole('button', { name: 'Stop' }));
    expect(app.bundles.channel('bundles.cancel')).toEqual([{}]);
    expect(await screen.findByTestId('bundle-import-cancelled')).toHaveTextContent(
      'Stopped: the plugins not done were not changed. Import the bundle again to make them.',
    );
    expect(items('bundle-import-result').map((i) => [i.key, i.state])).toEqual([
      ['fields', 'done'],
      ['metabase', 'not-done'],
    ]);
    expect(screen.queryByTestId('bundle-import-progress')).toBeNull();
    // Again: only metabase is left to do, and it is done.
    await app.user.click(within(dialog()).getByRole('button', { name: 'Import into prod' }));
    await waitFor(() =>
      expect(items('bundle-import-result').map((i) => [i.key, i.state])).toEqual([
        ['fields', 'unchanged'],
        ['metabase', 'done'],
      ]),
    );
    expect(screen.queryByTestId('bundle-import-cancelled')).toBeNull();
  });

  it('Stop while the bundle is checked: the check ends, nothing is planned, and it can be checked again', async () => {
    const app = await openImport(true, (bundles) => {
      bundles.holdCheck = new Promise<void>(() => undefined);
    });
    await upload(app);
    await waitFor(() => expect(screen.getByTestId('bundle-import-chosen')).toHaveTextContent('glpi-plugins.mdbundle'));
    await app.user.click(within(dialog()).getByRole('button', { name: 'Check' }));
    await app.user.click(await within(dialog()).findByRole('button', { name: 'Stop' }));
    expect(await screen.findByTestId('bundle-import-cancelled')).toHaveTextContent(
      'Check stopped: nothing was changed.',
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('bundle-import-plan')).toBeNull();
    expect(within(dialog()).queryByRole('button', { name: 'Stop' })).toBeNull();
    await app.user.click(within(dialog()).getByRole('button', { name: 'Check' }));
    await waitFor(() => expect(screen.getByTestId('bundle-import-plan')).toBeInTheDocument());
    expect(screen.queryByTestId('bundle-import-cancelled')).toBeNull();
  });
});
