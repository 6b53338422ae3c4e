import { act, screen, waitFor, within } from '@testing-library/react';
import { AppError } from '../../../shared/errors';
import { installedPlugin } from '../../../shared/installed-fixtures.testkit';
import { FakeFleet, makeFleetRow } from '../test/fake-fleet';
import { FakeManifests } from '../test/fake-manifests';
import { FakePlugins } from '../test/fake-plugins';
import { renderApp, type RenderedApp } from '../test/render-app';
import { captureSavedFiles, readBlob } from '../test/saved-files';

const INVENTORIES = {
  prod: [
    installedPlugin('fields', { version: '1.21.0' }),
    installedPlugin('metabase', { version: '1.0.0' }),
    installedPlugin('tag', { version: '2.9.0', location: 'plugins' }),
  ],
  web2: [installedPlugin('fields', { version: '1.20.0' })],
};
const VERSIONS = { fields: ['1.20.0', '1.21.0', '1.21.23'], datainjection: ['2.13.5'], metabase: ['1.0.0'] };

/** fields to the 1.21 line, datainjection added; metabase and tag not listed. */
const MANIFEST = JSON.stringify(
  {
    format: 1,
    plugins: [
      { key: 'fields', version: '~1.21.20' },
      { key: 'datainjection', version: '*' },
    ],
  },
  null,
  2,
);

type Rendered = RenderedApp & { manifests: FakeManifests };

async function openFromInstalled(): Promise<Rendered> {
  let manifests!: FakeManifests;
  const app = await renderApp({}, (harness) => {
    new FakePlugins(harness);
    manifests = new FakeManifests(harness, { inventories: INVENTORIES, versions: VERSIONS });
  });
  await app.user.click(screen.getByRole('link', { name: /^Installed/ }));
  await app.user.click(await screen.findByRole('button', { name: 'Manifest…' }));
  await waitFor(() => expect(valueOf(exportText())).toContain('"format": 1'));
  return { ...app, manifests };
}

function dialog(name = 'prod'): HTMLElement {
  return screen.getByRole('dialog', { name: `Manifest of ${name}` });
}

function exportText(): HTMLElement {
  return within(screen.getByTestId('manifest-export')).getByRole('textbox');
}

function valueOf(element: HTMLElement): string {
  return (element as HTMLTextAreaElement).value;
}

function draftField(): HTMLElement {
  return within(dialog()).getByRole('textbox', { name: 'Manifest (JSON or YAML)' });
}

/** Replaces the manifest to apply by `text` (pasted), then checks and plans it. */
async function checkDraft(app: Rendered, text: string): Promise<void> {
  await app.user.clear(draftField());
  await app.user.click(draftField());
  await app.user.paste(text);
  await app.user.click(within(dialog()).getByRole('button', { name: 'Check and plan' }));
}

function planLines(): string[] {
  return within(screen.getByTestId('manifest-plan'))
    .getAllByRole('listitem')
    .map((li) => li.textContent ?? '');
}

describe('Manifest dialog: export', () => {
  it('shows what the instance has as JSON or YAML, copies it and saves it as a file', async () => {
    const app = await openFromInstalled();
    expect(dialog()).toHaveAttribute('aria-modal', 'true');
    expect(dialog()).toHaveAccessibleDescription(/A manifest lists the plugins an instance should have/);
    expect(within(dialog()).getByRole('textbox', { name: 'Manifest of prod in JSON' })).toHaveAttribute('readonly');
    expect(JSON.parse(valueOf(exportText()))).toEqual({
      format: 1,
      plugins: [
        { key: 'fields', version: '1.21.0', from: 'marketplace' },
        { key: 'metabase', version: '1.0.0', from: 'marketplace' },
        { key: 'tag', version: '2.9.0', from: 'plugins' },
      ],
    });
    expect(screen.getByTestId('manifest-attached')).toHaveTextContent('No manifest is attached to prod.');

    await app.user.click(within(dialog()).getByRole('radio', { name: 'YAML' }));
    const yaml = await within(dialog()).findByRole('textbox', { name: 'Manifest of prod in YAML' });
    await waitFor(() => expect(valueOf(yaml)).toMatch(/^format: 1\nplugins:\n {2}- key: fields\n/));
    expect(app.manifests.calls.filter((c) => c.channel === 'manifest.export')).toHaveLength(1);

    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    try {
      await app.user.click(within(dialog()).getByRole('button', { name: 'Copy' }));
      expect(writeText).toHaveBeenCalledWith(valueOf(yaml));
      expect(screen.getByTestId('manifest-export-feedback')).toHaveTextContent('Copied to the clipboard.');
    } finally {
      Reflect.deleteProperty(navigator, 'clipboard');
    }

    const saved = captureSavedFiles('manifest');
    try {
      within(dialog()).getByRole('button', { name: 'Save to a file' }).click();
      expect(saved.clicked[0]?.download).toBe('prod-plugins-2025-06-15.yaml');
      expect(await readBlob(saved.blobs[0])).toBe(valueOf(yaml));
      expect(saved.blobs[0]?.type).toBe('application/yaml;charset=utf-8');
    } finally {
      saved.restore();
    }
    expect(screen.getByTestId('manifest-export-feedback')).toHaveTextContent('Saved as prod-plugins-2025-06-15.yaml');

    await app.user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Manifest…' })).toHaveFocus();
  });
});

describe('Manifest dialog: check, plan, apply', () => {
  it('says where a text is not a manifest, with its line or its field, and plans nothing', async () => {
    const app = await openFromInstalled();
    const check = within(dialog()).getByRole('button', { name: 'Check and plan' });
    expect(check).toBeDisabled();
    expect(check).toHaveAccessibleDescription('Paste a manifest or read a file first.');

    await checkDraft(app, '{\n  "format": 1,\n  "plugins": [,]\n}');
    const errors = await screen.findByTestId('manifest-errors');
    expect(errors).toHaveAttribute('role', 'alert');
    expect(errors).toHaveTextContent('This is not a valid manifest:');
    expect(within(errors).getByRole('listitem')).toHaveTextContent(/^line 3, column \d+: not JSON/);
    expect(errors).toHaveTextContent('What to do: Correct each line or field named above');
    expect(draftField()).toHaveAttribute('aria-invalid', 'true');
    expect(draftField()).toHaveAccessibleDescription(/line 3, column \d+: not JSON/);
    expect(screen.queryByTestId('manifest-run')).toBeNull();

    await checkDraft(app, 'format: 1\nplugins:\n  - key: fields\n    version: 1.20\n');
    await waitFor(() =>
      expect(within(screen.getByTestId('manifest-errors')).getByRole('listitem')).toHaveTextContent(
        'plugins[0].version: a version or range as a string (in YAML, quote it',
      ),
    );
    // Editing the text forgets the old verdict.
    await app.user.type(draftField(), ' ');
    expect(screen.queryByTestId('manifest-errors')).toBeNull();
    expect(draftField()).toHaveAttribute('aria-invalid', 'false');
    expect(app.manifests.calls.filter((c) => c.channel === 'manifest.plan')).toEqual([]);
  });

  it('plans one line per change, removes only with Prune, applies with progress, and a second apply has nothing to do', async () => {
    const app = await openFromInstalled();
    await checkDraft(app, MANIFEST);
    await waitFor(() =>
      expect(planLines()).toEqual(['Update fields 1.21.0 → 1.21.23', 'Install datainjection 2.13.5']),
    );
    expect(dialog()).toHaveTextContent('2 changes, in this order:');
    expect(dialog()).toHaveTextContent('Not in the manifest, kept (tick Prune to remove them): metabase, tag');

    await app.user.click(within(dialog()).getByRole('checkbox', { name: 'Prune' }));
    await waitFor(() =>
      expect(planLines()).toEqual([
        'Update fields 1.21.0 → 1.21.23',
        'Install datainjection 2.13.5',
        'Remove metabase 1.0.0',
        expect.stringMatching(/^Leave tag: in plugins\/, which Marketdesk does not manage/),
      ]),
    );
    expect(dialog()).toHaveTextContent('3 changes, in this order:');

    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    app.manifests.steps.set('fields', { hold });
    await app.user.click(within(dialog()).getByRole('button', { name: 'Apply to prod' }));
    const progress = await screen.findByTestId('manifest-progress');
    await within(progress).findByRole('progressbar', { name: 'fields: download, 50%' });
    const close = within(dialog()).getByRole('button', { name: 'Close' });
    expect(close).toBeDisabled();
    expect(close).toHaveAccessibleDescription('Wait for the apply to end.');
    expect(within(dialog()).getByRole('button', { name: 'Apply to prod' })).toHaveAccessibleDescription(
      'An apply is running.',
    );
    await app.user.keyboard('{Escape}');
    expect(dialog()).toBeInTheDocument();
    await act(async () => {
      release();
      await hold;
    });

    const result = await screen.findByTestId('manifest-result');
    expect(result).toHaveAttribute('data-ok', 'true');
    expect(result).toHaveTextContent('Done: 3 changes made.');
    expect(
      within(result)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Done: Update fields 1.21.0 → 1.21.23',
      'Done: Install datainjection 2.13.5',
      'Done: Remove metabase 1.0.0',
    ]);
    expect(app.manifests.calls.filter((c) => c.channel === 'manifest.apply').map((c) => c.req)).toEqual([
      { manifest: JSON.parse(MANIFEST) as unknown, instance: 'prod', prune: true },
    ]);
    // Planned again: in sync now; the export follows.
    await waitFor(() =>
      expect(screen.getByTestId('manifest-plan-none')).toHaveTextContent('Nothing to do: prod matches the manifest.'),
    );
    await waitFor(() => expect(valueOf(exportText())).toContain('"datainjection"'));

    await app.user.click(within(dialog()).getByRole('button', { name: 'Apply to prod' }));
    await waitFor(() =>
      expect(screen.getByTestId('manifest-result')).toHaveTextContent(
        'Nothing to do: prod already matches the manifest.',
      ),
    );
    expect(app.manifests.calls.filter((c) => c.channel === 'manifest.apply')).toHaveLength(2);
  });

  it('stops at the first failure: what was done stays, the failure has its fix, the rest is not done', async () => {
    const app = await openFromInstalled();
    app.manifests.steps.set('fields', {
      fail: new AppError('INSTALL_FAILED', 'download failed: GLPI Network answered 503.', { fix: 'Try again later.' }),
    });
    await checkDraft(app, MANIFEST);
    await waitFor(() => expect(planLines()).toHaveLength(2));
    await app.user.click(within(dialog()).getByRole('button', { name: 'Apply to prod' }));
    const result = await screen.findByTestId('manifest-result');
    expect(result).toHaveAttribute('role', 'alert');
    expect(result).toHaveTextContent('Stopped at the first failure; what was done before it stays done.');
    const lines = within(result).getAllByRole('listitem');
    expect(lines.map((li) => li.dataset.result)).toEqual(['failed', 'not-done']);
    expect(lines[0]).toHaveTextContent(
      'Failed: Update fields 1.21.0 → 1.21.23: download failed: GLPI Network answered 503.What to do: Try again later.',
    );
    expect(lines[1]).toHaveTextContent('Not done: Install datainjection 2.13.5');
  });

  it('Stop, beside the progress, ends the apply: the step being made and those after it are not made', async () => {
    const app = await openFromInstalled();
    app.manifests.steps.set('fields', { hold: new Promise<void>(() => undefined) });
    await checkDraft(app, MANIFEST);
    await waitFor(() => expect(planLines()).toHaveLength(2));
    await app.user.click(within(dialog()).getByRole('button', { name: 'Apply to prod' }));
    const progress = await screen.findByTestId('manifest-progress');
    await app.user.click(within(progress).getByRole('button', { name: 'Stop' }));
    expect(app.manifests.calls.filter((c) => c.channel === 'manifest.cancel')).toHaveLength(1);
    const result = await screen.findByTestId('manifest-result');
    const lines = within(result).getAllByRole('listitem');
    expect(lines.map((li) => li.dataset.result)).toEqual(['failed', 'not-done']);
    expect(lines[0]).toHaveTextContent('Stopped: this step and the ones after it were not made.');
    expect(lines[0]).toHaveTextContent('Apply the manifest again to make them.');
    expect(screen.queryByTestId('manifest-progress')).toBeNull();
  });

  it('a version whose archive changed since it was pinned: both checksums, and Trust applies again with the new one', async () => {
    const app = await openFromInstalled();
    const [pinned, received] = ['a'.repeat(64), 'b'.repeat(64)];
    app.manifests.republished.set('fields', { pinned, received });
    await checkDraft(app, MANIFEST);
    await waitFor(() => expect(planLines()).toHaveLength(2));
    await app.user.click(within(dialog()).getByRole('button', { name: 'Apply to prod' }));
    const result = await screen.findByTestId('manifest-result');
    const checksums = within(result).getByTestId('job-checksums');
    expect(checksums).toHaveTextContent(pinned);
    expect(checksums).toHaveTextContent(received);
    await app.user.click(
      within(checksums).getByRole('button', { name: 'Trust the new archive and update fields 1.21.23' }),
    );
    await waitFor(() => expect(screen.getByTestId('manifest-result')).toHaveAttribute('data-ok', 'true'));
    expect(app.manifests.calls.filter((c) => c.channel === 'manifest.apply').map((c) => c.req)).toEqual([
      expect.not.objectContaining({ acceptNewChecksum: expect.anything() as unknown }),
      expect.objectContaining({ acceptNewChecksum: received }),
    ]);
    expect(screen.getByTestId('manifest-result')).toHaveTextContent('Done: 2 changes made.');
  });

  it('refuses to apply a plan with a line it cannot make, saying why', async () => {
    const app = await openFromInstalled();
    await checkDraft(app, JSON.stringify({ format: 1, plugins: [{ key: 'glpiinventory', version: '^9' }] }));
    await waitFor(() =>
      expect(planLines()).toEqual(['Cannot plan glpiinventory: not in the catalogue for this GLPI version']),
    );
    const run = within(dialog()).getByRole('button', { name: 'Apply to prod' });
    expect(run).toBeDisabled();
    expect(run).toHaveAccessibleDescription(
      'Correct the lines that cannot be planned first: a plan with one changes nothing.',
    );
  });

  it('reads a YAML file chosen by the admin, and plans it', async () => {
    const app = await openFromInstalled();
    const file = new File(['format: 1\nplugins:\n  - key: fields\n    version: "1.21.0"\n'], 'plugins.yml', {
      type: 'application/yaml',
    });
    await app.user.upload(within(dialog()).getByLabelText('Read a file'), file);
    await waitFor(() => expect(screen.getByTestId('manifest-plan-none')).toBeInTheDocument());
    expect(draftField()).toHaveValue('format: 1\nplugins:\n  - key: fields\n    version: "1.21.0"\n');
    expect(app.transport.calls.filter((c) => c.channel === 'manifest.parse').map((c) => c.payload)).toEqual([
      { text: 'format: 1\nplugins:\n  - key: fields\n    version: "1.21.0"\n', format: 'yaml' },
    ]);
  });
});

describe('Manifest dialog: attach and detach', () => {
  it('attaches the checked manifest, shows it the next time it opens, and detaches it', async () => {
    const app = await openFromInstalled();
    await checkDraft(app, MANIFEST);
    await waitFor(() => expect(planLines()).toHaveLength(2));
    await app.user.click(within(dialog()).getByRole('button', { name: 'Attach to prod' }));
    await waitFor(() =>
      expect(screen.getByTestId('manifest-attach-status')).toHaveTextContent(
        'Attached to prod: the Fleet view shows how it drifts from this manifest.',
      ),
    );
    expect(app.manifests.attached.get('prod')).toEqual(JSON.parse(MANIFEST));
    const attach = within(dialog()).getByRole('button', { name: 'Attach to prod' });
    expect(attach).toBeDisabled();
    expect(attach).toHaveAccessibleDescription('This manifest is the one attached to prod.');

    await app.user.click(within(dialog()).getByRole('button', { name: 'Close' }));
    await app.user.click(screen.getByRole('button', { name: 'Manifest…' }));
    await waitFor(() =>
      expect(screen.getByTestId('manifest-attached')).toHaveTextContent('A manifest is attached to prod'),
    );
    // The attached one is loaded and planned at once.
    await waitFor(() =>
      expect(planLines()).toEqual(['Update fields 1.21.0 → 1.21.23', 'Install datainjection 2.13.5']),
    );
    expect(JSON.parse(valueOf(draftField()))).toEqual(JSON.parse(MANIFEST));

    await app.user.click(within(dialog()).getByRole('button', { name: 'Detach the manifest from prod' }));
    await waitFor(() =>
      expect(screen.getByTestId('manifest-attach-status')).toHaveTextContent(
        'No manifest is attached to prod any more.',
      ),
    );
    expect(app.manifests.attached.has('prod')).toBe(false);
    expect(within(dialog()).queryByRole('button', { name: 'Detach the manifest from prod' })).toBeNull();
    expect(within(dialog()).getByRole('button', { name: 'Attach to prod' })).toBeEnabled();
  });

  it('opens from a Fleet row for that instance, and the drift is checked again after attaching', async () => {
    let manifests!: FakeManifests;
    let fleet!: FakeFleet;
    const app = await renderApp({}, (harness) => {
      new FakePlugins(harness);
      manifests = new FakeManifests(harness, { inventories: INVENTORIES, versions: VERSIONS });
      fleet = new FakeFleet(harness, [makeFleetRow('prod', { active: true }), makeFleetRow('web2', { drift: null })]);
    });
    await app.user.click(screen.getByRole('link', { name: 'Fleet' }));
    await screen.findByTestId('fleet-table');
    await app.user.click(screen.getByRole('button', { name: 'Manifest of web2' }));
    await waitFor(() =>
      expect(valueOf(within(dialog('web2')).getByRole('textbox', { name: 'Manifest of web2 in JSON' }))).toContain(
        '"version": "1.20.0"',
      ),
    );
    expect(manifests.calls.filter((c) => c.channel === 'manifest.export').map((c) => c.req)).toEqual([
      { instance: 'web2' },
    ]);
    const draft = within(dialog('web2')).getByRole('textbox', { name: 'Manifest (JSON or YAML)' });
    await app.user.click(draft);
    await app.user.paste(MANIFEST);
    await app.user.click(within(dialog('web2')).getByRole('button', { name: 'Check and plan' }));
    await waitFor(() =>
      expect(planLines()).toEqual(['Update fields 1.20.0 → 1.21.23', 'Install datainjection 2.13.5']),
    );
    const checks = fleet.calls.filter((c) => c.channel === 'fleet.check').length;
    await app.user.click(within(dialog('web2')).getByRole('button', { name: 'Attach to web2' }));
    await waitFor(() => expect(fleet.calls.filter((c) => c.channel === 'fleet.check')).toHaveLength(checks + 1));
    expect(manifests.attached.get('web2')).toEqual(JSON.parse(MANIFEST));
  });
});
