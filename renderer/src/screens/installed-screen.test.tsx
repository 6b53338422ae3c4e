import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AppError } from '../../../shared/errors';
import { historyCsv, REVOKE_DELAY_MS } from '../components/history-export';
import { STANDARD } from '../test/core-harness';
import { FakeCatalog, makePlugin, type FakeCatalogOptions } from '../test/fake-catalog';
import {
  FakePlugins,
  GLPI_ROOT,
  HISTORY_FAILED,
  HISTORY_OK,
  makeBackup,
  makeConsolePlugin,
  makeGlpiConsole,
  makeInstalled,
  makeInstance,
  type FakePluginsOptions,
} from '../test/fake-plugins';
import { captureSavedFiles, readBlob } from '../test/saved-files';
import { renderApp, type RenderedApp } from '../test/render-app';
import { GOOD_KEY } from '../test/render-catalog';
import { defaultViewPrefs, saveViewPrefs } from '../store/view-prefs';

interface RenderedInstalled extends RenderedApp {
  plugins: FakePlugins;
  catalog: FakeCatalog | null;
}

interface InstalledTestOptions extends FakePluginsOptions {
  /** A catalogue stand-in (and a Standard key): without it the core has neither. */
  catalogList?: FakeCatalogOptions;
}

async function renderInstalled(options: InstalledTestOptions = {}, open = true): Promise<RenderedInstalled> {
  let plugins!: FakePlugins;
  let catalog: FakeCatalog | null = null;
  const { catalogList, ...pluginOptions } = options;
  const harnessOptions = catalogList ? { stored: { key: GOOD_KEY }, registrations: { [GOOD_KEY]: STANDARD } } : {};
  const app = await renderApp(harnessOptions, (harness) => {
    plugins = new FakePlugins(harness, pluginOptions);
    if (catalogList) catalog = new FakeCatalog(harness, catalogList);
  });
  await waitFor(() => expect(app.store.getState().installed.loadState.status).toBe('ready'));
  if (open) {
    await app.user.click(screen.getByRole('link', { name: /^Installed/ }));
    await screen.findByTestId('installed-screen');
  }
  return { ...app, plugins, catalog };
}

function row(key: string, location = 'marketplace'): HTMLElement {
  const found = screen
    .getAllByTestId('plugin-row')
    .find((r) => r.getAttribute('data-key') === key && r.getAttribute('data-location') === location);
  if (!found) throw new Error(`no row ${location}/${key}`);
  return found;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A promise that never settles: the action waits until it is cancelled. */
const forever = new Promise<void>(() => undefined);

function updateDialog(): HTMLElement {
  return screen.getByRole('dialog', { name: 'Update plugins' });
}

function dialogRow(key: string): HTMLElement {
  const found = within(updateDialog())
    .getAllByTestId('update-all-row')
    .find((r) => r.getAttribute('data-key') === key);
  if (!found) throw new Error(`no dialog row ${key}`);
  return found;
}

function callsOf(plugins: FakePlugins, channel: string): unknown[] {
  return plugins.calls.filter((c) => c.channel === channel).map((c) => c.req);
}

const EXTRACT_FAILED = () =>
  new AppError('INSTALL_FAILED', 'extract failed: the archive is damaged', {
    fix: 'Try again; if it fails again, download it by hand.',
    details: { step: 'extract', code: 'BAD_ARCHIVE' },
  });

/** The refusal of a version whose archive changed since it was pinned, as the core sends it. */
const CHECKSUM_CHANGED = (key: string, version: string, pinned: string, received: string) =>
  new AppError('INSTALL_FAILED', `download failed: The archive of ${key} ${version} has changed.`, {
    fix: 'Ask the plugin author.',
    details: { step: 'download', code: 'checksum-changed', key, version, pinned, received },
  });

describe('Installed screen', () => {
  it('without an instance asks for the GLPI folder, shows why adding failed, then adds it', async () => {
    const { user, plugins } = await renderInstalled({ instance: null });
    expect(window.location.hash).toBe('#installed');
    expect(screen.queryByTestId('instance-summary')).toBeNull();
    const form = screen.getByTestId('instance-add');
    const folder = within(form).getByLabelText('GLPI folder');
    const submit = within(form).getByRole('button', { name: 'Add instance' });
    expect(submit).toBeDisabled();

    plugins.addFailure = new AppError('INVALID_INPUT', 'No GLPI found in /tmp/nothing.', {
      fix: 'Choose the folder that contains inc/define.php.',
    });
    await user.type(folder, '/tmp/nothing');
    await user.click(submit);
    const error = await screen.findByTestId('instance-add-error');
    expect(error).toHaveTextContent('The instance was not added: No GLPI found in /tmp/nothing.');
    expect(error).toHaveTextContent('What to do: Choose the folder that contains inc/define.php.');
    expect(folder).toHaveAttribute('aria-invalid', 'true');

    await user.clear(folder);
    await user.type(folder, GLPI_ROOT);
    await user.type(within(form).getByLabelText('Name'), 'prod');
    await user.click(submit);
    const summary = await screen.findByTestId('instance-summary');
    expect(plugins.calls.filter((c) => c.channel === 'instances.add').map((c) => c.req)).toEqual([
      { root: '/tmp/nothing' },
      { root: GLPI_ROOT, name: 'prod' },
    ]);
    expect(summary).toHaveAttribute('data-writable', 'true');
    expect(summary).toHaveTextContent('prod');
    expect(summary).toHaveTextContent('GLPI 10.0.18 (read from inc/define.php)');
    expect(screen.getAllByTestId('plugin-row').length).toBeGreaterThan(0);
  });

  it('warns when the marketplace folder is not writable and lists the problems', async () => {
    await renderInstalled({
      instance: makeInstance({ marketplaceWritable: false, problems: ['config_db.php is missing'] }),
    });
    const summary = screen.getByTestId('instance-summary');
    expect(summary).toHaveAttribute('data-writable', 'false');
    expect(summary).toHaveTextContent(`Marketdesk cannot write in ${GLPI_ROOT}/marketplace`);
    expect(summary).toHaveTextContent('config_db.php is missing');
  });

  it('lists the plugins with their update, or why there is none', async () => {
    await renderInstalled();
    const table = screen.getByRole('table', { name: 'Plugins installed in prod' });
    expect(within(table).getAllByTestId('plugin-row')).toHaveLength(6);

    const fields = row('fields');
    expect(fields).toHaveAttribute('data-update', '1.21.23');
    expect(fields).toHaveTextContent('1.21.0');
    expect(fields).toHaveTextContent('Update to 1.21.23');
    expect(within(fields).getByRole('button', { name: 'Update fields to 1.21.23' })).toBeEnabled();

    const metabase = row('metabase');
    expect(metabase).toHaveAttribute('data-update', '');
    const blocked = within(metabase).getByTestId('plugin-update');
    expect(blocked).toBeDisabled();
    expect(blocked).toHaveAccessibleDescription('Needs Standard');

    expect(row('fields', 'plugins')).toHaveTextContent('Not loaded: GLPI loads the copy in marketplace/');
    expect(row('tag', 'plugins')).toHaveTextContent('.git checkout');
    expect(row('news')).toHaveTextContent('version unknown');
    expect(row('news')).toHaveTextContent('computed at run time');
    expect(screen.getByTestId('update-all')).toBeEnabled();
  });

  it('shows the update count as a badge in the navigation', async () => {
    const { plugins } = await renderInstalled({}, false);
    expect(screen.getByRole('link', { name: 'Installed, 2 updates' })).toBeInTheDocument();
    plugins.plugins = plugins.plugins.map((p) => (p.key === 'escalade' ? { ...p, update: null } : p));
    act(() => plugins.emitChanged());
    expect(await screen.findByRole('link', { name: 'Installed, 1 update' })).toBeInTheDocument();
  });

  it('Update shows the progress the core reports, then the report and what to do in GLPI', async () => {
    const { user, plugins } = await renderInstalled();
    const gate = deferred();
    plugins.plans.set('fields', { steps: [['download', 0.4]], hold: gate.promise });
    await user.click(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' }));

    const running = await within(row('fields')).findByTestId('job-status');
    expect(running).toHaveAttribute('data-state', 'running');
    expect(within(running).getByRole('progressbar', { name: 'download: 40%' })).toHaveAttribute('value', '0.4');

    await act(async () => {
      gate.resolve();
      await gate.promise;
    });
    await waitFor(() => expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'done'));
    const done = within(row('fields')).getByTestId('job-status');
    expect(done).toHaveTextContent('fields 1.21.0 → 1.21.23 updated.');
    expect(done).toHaveTextContent('Next step in GLPI: In GLPI, open Setup > Plugins');
    await waitFor(() => expect(row('fields')).toHaveAttribute('data-update', ''));
    expect(row('fields')).toHaveTextContent('1.21.23');
  });

  it('a finished update lists what the pre-flight guard found, each with its fix', async () => {
    const { user, plugins } = await renderInstalled();
    plugins.plans.set('fields', {
      warnings: [
        {
          id: 'archive',
          severity: 'warns',
          key: null,
          path: '/var/www/glpi/plugins/fields-1.21.0.tar.bz2',
          message: 'An archive was left in plugins/: fields-1.21.0.tar.bz2.',
          fix: 'Remove it: rm /var/www/glpi/plugins/fields-1.21.0.tar.bz2',
          refs: { message: { id: 'unknown.id' }, fix: { id: 'unknown.id' } },
        },
      ],
    });
    await user.click(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' }));
    const warnings = await within(row('fields')).findByTestId('job-warnings');
    expect(warnings).toHaveTextContent('Done, but 1 thing in the plugin folders may trip GLPI up:');
    expect(warnings).toHaveTextContent(
      'An archive was left in plugins/: fields-1.21.0.tar.bz2. What to do: Remove it: rm /var/www/glpi/plugins/fields-1.21.0.tar.bz2',
    );
  });

  it('a failed action shows the message, the failed step and the fix', async () => {
    const { user, plugins } = await renderInstalled();
    plugins.plans.set('fields', {
      fail: new AppError('INSTALL_FAILED', 'extract failed: the archive is damaged', {
        fix: 'Try again; if it fails again, download it by hand.',
        details: { step: 'extract', code: 'BAD_ARCHIVE' },
      }),
    });
    await user.click(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' }));
    await waitFor(() =>
      expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'failed'),
    );
    const status = within(row('fields')).getByTestId('job-status');
    expect(status).toHaveTextContent('Failed at step "extract": extract failed: the archive is damaged');
    expect(status).toHaveTextContent('What to do: Try again; if it fails again, download it by hand.');
    expect(row('fields')).toHaveAttribute('data-update', '1.21.23');
  });

  it('Remove asks for confirmation and explains that GLPI keeps the tables', async () => {
    const { user, plugins } = await renderInstalled();
    await user.click(within(row('metabase')).getByRole('button', { name: 'Remove metabase' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove metabase?' });
    expect(dialog).toHaveTextContent('GLPI keeps the plugin’s database tables until you uninstall it in GLPI');
    await user.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(plugins.calls.some((c) => c.channel === 'plugins.remove')).toBe(false);

    await user.click(within(row('metabase')).getByRole('button', { name: 'Remove metabase' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove metabase' }));
    await waitFor(() =>
      expect(screen.getAllByTestId('plugin-row').some((r) => r.getAttribute('data-key') === 'metabase')).toBe(false),
    );
    expect(plugins.calls.filter((c) => c.channel === 'plugins.remove')).toEqual([
      { channel: 'plugins.remove', req: { key: 'metabase' } },
    ]);
  });

  it('Restore is disabled, saying why, when no backup of the plugin is kept', async () => {
    await renderInstalled({ backups: [makeBackup('fields', '1.20.0', '2025-06-01T10:00:00Z')] });
    const restoreMetabase = within(row('metabase')).getByRole('button', {
      name: 'Restore the previous version of metabase',
    });
    await waitFor(() => expect(restoreMetabase).toBeDisabled());
    expect(restoreMetabase).toHaveAccessibleDescription('No backup of metabase is kept.');
    expect(within(row('fields')).getByRole('button', { name: 'Restore the previous version of fields' })).toBeEnabled();
  });
});

describe('Installed screen: Restore previous version', () => {
  it('asks first when the newest backup is older than the installed version, as the Versions panel does', async () => {
    const older = makeBackup('fields', '1.20.0', '2025-06-01T10:00:00Z');
    const { user, plugins } = await renderInstalled({ backups: [older] });
    const restore = within(row('fields')).getByRole('button', { name: 'Restore the previous version of fields' });
    await waitFor(() => expect(restore).toBeEnabled());

    await user.click(restore);
    const dialog = screen.getByRole('alertdialog', { name: 'Restore fields 1.20.0, an older version?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep 1.21.0' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(restore).toHaveFocus();
    expect(callsOf(plugins, 'plugins.restore')).toEqual([]);

    await user.click(restore);
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Restore 1.20.0' }));
    await waitFor(() => expect(callsOf(plugins, 'plugins.restore')).toEqual([{ key: 'fields', backupId: older.id }]));
  });

  it('restores at once when the backup is not older', async () => {
    const { user, plugins } = await renderInstalled({
      backups: [makeBackup('fields', '1.21.23', '2025-06-10T08:00:00Z')],
    });
    const restore = within(row('fields')).getByRole('button', { name: 'Restore the previous version of fields' });
    await waitFor(() => expect(restore).toBeEnabled());
    await user.click(restore);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(callsOf(plugins, 'plugins.restore')).toEqual([{ key: 'fields' }]));
  });
});

describe('Installed screen: density', () => {
  it('has the catalogue’s Compact rows toggle, applied to the whole frame and remembered', async () => {
    const { user } = await renderInstalled();
    const compact = screen.getByRole('button', { name: 'Compact rows' });
    // jsdom's window is 1024 px wide: a desktop width, compact by default.
    expect(compact).toHaveAttribute('aria-pressed', 'true');
    expect(document.querySelector('.app')).toHaveClass('app--compact');
    // Two panes are this screen's own choice (see 'Installed screen: two panes'), off by default.
    expect(screen.getByRole('button', { name: 'Details beside the list' })).toHaveAttribute('aria-pressed', 'false');
    await user.click(compact);
    expect(compact).toHaveAttribute('aria-pressed', 'false');
    expect(document.querySelector('.app')).toHaveClass('app--comfortable');
    expect(JSON.parse(window.localStorage.getItem('marketdesk.view') ?? '{}')).toMatchObject({
      density: 'comfortable',
    });
  });
});

describe('Installed screen: instances', () => {
  const STAGING = makeInstance({ name: 'staging', root: '/srv/glpi-staging', version: '10.0.17', active: false });

  it('lists the instances with the active one selected and switches at once', async () => {
    const { user, plugins } = await renderInstalled({
      others: [{ instance: STAGING, plugins: [makeInstalled('formcreator', { version: '2.13.0' })] }],
    });
    const select = screen.getByRole('combobox', { name: 'GLPI instance' });
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(2));
    expect(select).toHaveValue('prod');
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['prod (/srv/glpi)', 'staging (/srv/glpi-staging)']);

    await user.selectOptions(select, 'staging');
    await waitFor(() => expect(screen.getByTestId('instance-summary')).toHaveTextContent('staging'));
    expect(screen.getByTestId('instance-summary')).toHaveTextContent('GLPI 10.0.17');
    expect(screen.getAllByTestId('plugin-row').map((r) => r.getAttribute('data-key'))).toEqual(['formcreator']);
    expect(select).toHaveValue('staging');
    expect(callsOf(plugins, 'instances.use')).toEqual([{ name: 'staging' }]);
    expect(screen.getByRole('table', { name: 'Plugins installed in staging' })).toBeInTheDocument();
  });

  it('does not switch while an action started here runs, and says why', async () => {
    const { user, plugins } = await renderInstalled({ others: [{ instance: STAGING, plugins: [] }] });
    const gate = deferred();
    plugins.plans.set('fields', { steps: [['download', 0.2]], hold: gate.promise });
    await user.click(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' }));
    const select = screen.getByRole('combobox', { name: 'GLPI instance' });
    await waitFor(() => expect(select).toBeDisabled());
    expect(select).toHaveAccessibleDescription(
      'Wait until the running action ends: the instance cannot change under it.',
    );
    await act(async () => {
      gate.resolve();
      await gate.promise;
    });
    await waitFor(() => expect(select).toBeEnabled());
    expect(select).toHaveAccessibleDescription('The plugins shown are those of the chosen instance.');
  });

  it('adds another instance from a disclosure, and makes it the active one', async () => {
    const { user, plugins } = await renderInstalled();
    expect(screen.queryByTestId('instance-add')).toBeNull();
    const toggle = screen.getByRole('button', { name: 'Add another GLPI instance' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const form = screen.getByTestId('instance-add');
    const submit = within(form).getByRole('button', { name: 'Add instance' });
    expect(submit).toBeDisabled();
    expect(submit).toHaveAccessibleDescription('Enter the GLPI folder first.');
    await user.type(within(form).getByLabelText('GLPI folder'), '/srv/glpi-test');
    await user.type(within(form).getByLabelText('Name'), 'test');
    await user.click(submit);

    await waitFor(() => expect(screen.getByTestId('instance-summary')).toHaveTextContent('test'));
    const select = screen.getByRole('combobox', { name: 'GLPI instance' });
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(2));
    expect(select).toHaveValue('test');
    expect(screen.queryByTestId('instance-add')).toBeNull();
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveFocus();
    expect(callsOf(plugins, 'instances.add')).toEqual([{ root: '/srv/glpi-test', name: 'test' }]);
    expect(callsOf(plugins, 'instances.use')).toEqual([{ name: 'test' }]);
  });
});

describe('Installed screen: Update all', () => {
  it('opens a dialog listing each update, all selected; Escape closes it while nothing runs', async () => {
    const { user, plugins } = await renderInstalled();
    const open = screen.getByTestId('update-all');
    await user.click(open);
    const dialog = updateDialog();
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(
      within(dialog)
        .getAllByTestId('update-all-row')
        .map((r) => r.getAttribute('data-key')),
    ).toEqual(['fields', 'escalade']);
    expect(dialogRow('fields')).toHaveTextContent('1.21.0 → 1.21.23');
    expect(dialogRow('escalade')).toHaveTextContent('1.0.0 → 2.10.0');
    expect(within(dialog).getByRole('checkbox', { name: 'Update Fields (fields)' })).toBeChecked();
    expect(within(dialog).getByRole('checkbox', { name: 'Update Escalade (escalade)' })).toBeChecked();
    const run = within(dialog).getByRole('button', { name: 'Update 2 selected' });
    expect(run).toHaveFocus();

    // Tab stays inside the dialog.
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('checkbox', { name: 'Update Fields (fields)' })).toHaveFocus();
    await user.tab({ shift: true });
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(open).toHaveFocus();
    expect(callsOf(plugins, 'plugins.update')).toEqual([]);
  });

  it('updates only the selected plugins, one after another, and says so', async () => {
    const { user, plugins } = await renderInstalled();
    await user.click(screen.getByTestId('update-all'));
    const dialog = updateDialog();
    await user.click(within(dialog).getByRole('checkbox', { name: 'Update Fields (fields)' }));
    expect(within(dialog).getByText('1 of 2 selected.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('checkbox', { name: 'Update Escalade (escalade)' }));
    const run = within(dialog).getByRole('button', { name: 'Update 0 selected' });
    expect(run).toBeDisabled();
    expect(run).toHaveAccessibleDescription('Select at least one plugin.');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Update Escalade (escalade)' }));

    await user.click(within(dialog).getByRole('button', { name: 'Update 1 selected' }));
    await waitFor(() => expect(dialogRow('escalade')).toHaveAttribute('data-state', 'done'));
    expect(dialogRow('fields')).toHaveAttribute('data-state', 'unselected');
    expect(dialogRow('fields')).toHaveTextContent('Not selected');
    expect(dialogRow('escalade')).toHaveTextContent('escalade 1.0.0 → 2.10.0 updated.');
    expect(within(dialog).getByTestId('update-all-summary')).toHaveTextContent('Updated: 1. Failed: 0. Not run: 0.');
    expect(within(dialog).getByRole('checkbox', { name: 'Update Fields (fields)' })).toBeDisabled();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    expect(callsOf(plugins, 'plugins.update')).toEqual([{ key: 'escalade' }]);

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    // What was done stays on the rows, and in the history.
    expect(within(row('escalade', 'plugins')).getByTestId('job-status')).toHaveAttribute('data-state', 'done');
    await user.click(screen.getByRole('button', { name: 'History' }));
    const history = await screen.findByTestId('history-list');
    const lines = within(history).getAllByRole('row').slice(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveTextContent('Update escalade');
    expect(lines[0]).toHaveTextContent('1.0.0 → 2.10.0');
    expect(lines[0]).toHaveTextContent('Done');
  });

  it('a failing plugin does not stop the others; the dialog shows each result until closed', async () => {
    const { user, plugins } = await renderInstalled();
    const gate = deferred();
    plugins.plans.set('fields', { steps: [['download', 0.5]], hold: gate.promise, fail: EXTRACT_FAILED() });
    await user.click(screen.getByTestId('update-all'));
    await user.click(within(updateDialog()).getByRole('button', { name: 'Update 2 selected' }));

    await waitFor(() =>
      expect(within(dialogRow('fields')).getByRole('progressbar', { name: 'download: 50%' })).toBeInTheDocument(),
    );
    expect(dialogRow('escalade')).toHaveTextContent('Waiting');
    const close = within(updateDialog()).getByRole('button', { name: 'Close' });
    expect(close).toBeDisabled();
    expect(close).toHaveAccessibleDescription('Wait for the updates to end, or cancel them.');
    expect(within(updateDialog()).getByRole('button', { name: 'Cancel the updates' })).toHaveFocus();
    // Escape does not close it while it runs.
    await user.keyboard('{Escape}');
    expect(updateDialog()).toBeInTheDocument();
    expect(screen.getByTestId('update-all')).toHaveAccessibleDescription('Updating, one plugin after another…');

    await act(async () => {
      gate.resolve();
      await gate.promise;
    });
    await waitFor(() => expect(dialogRow('escalade')).toHaveAttribute('data-state', 'done'));
    const failed = dialogRow('fields');
    expect(failed).toHaveAttribute('data-state', 'failed');
    expect(failed).toHaveTextContent('Failed at step "extract": extract failed: the archive is damaged');
    expect(failed).toHaveTextContent('What to do: Try again; if it fails again, download it by hand.');
    expect(within(updateDialog()).getByTestId('update-all-summary')).toHaveTextContent(
      'Updated: 1. Failed: 1. Not run: 0.',
    );
    expect(callsOf(plugins, 'plugins.update')).toEqual([{ key: 'fields' }, { key: 'escalade' }]);
    await waitFor(() => expect(screen.getByRole('link', { name: 'Installed, 1 update' })).toBeInTheDocument());
    expect(updateDialog()).toBeInTheDocument();

    await user.click(within(updateDialog()).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'failed');
    expect(row('fields')).toHaveAttribute('data-update', '1.21.23');
    expect(screen.getByTestId('update-all')).toHaveAccessibleDescription('1 update available.');
  });

  it('a republished archive shows both checksums; once the batch ends, trusting it updates that plugin alone', async () => {
    const { user, plugins } = await renderInstalled();
    const [pinned, received] = ['a'.repeat(64), 'b'.repeat(64)];
    const gate = deferred();
    plugins.plans.set('fields', { fail: CHECKSUM_CHANGED('fields', '1.21.23', pinned, received) });
    plugins.plans.set('escalade', { steps: [['download', 0.5]], hold: gate.promise });
    await user.click(screen.getByTestId('update-all'));
    await user.click(within(updateDialog()).getByRole('button', { name: 'Update 2 selected' }));

    await waitFor(() => expect(dialogRow('fields')).toHaveAttribute('data-state', 'failed'));
    const checksums = within(dialogRow('fields')).getByTestId('job-checksums');
    expect(checksums).toHaveTextContent(
      'Stopped before anything changed: the archive of fields 1.21.23 is not the one first installed. Its author republished this version with other bytes',
    );
    expect(checksums).toHaveTextContent('Trust it only if you expect it');
    // The core's long text (both checksums, the CLI command) is not said twice.
    expect(dialogRow('fields')).not.toHaveTextContent('Ask the plugin author.');
    const codes = within(checksums)
      .getAllByRole('definition')
      .map((dd) => dd.querySelector('code.checksum')?.textContent);
    expect(codes).toEqual([pinned, received]);
    const trust = within(checksums).getByRole('button', { name: 'Trust the new archive and update fields 1.21.23' });
    expect(trust).toHaveTextContent('Trust the new archive and update');
    // Not while the other updates run.
    expect(trust).toBeDisabled();
    expect(trust).toHaveAccessibleDescription('Wait for the updates to end.');

    await act(async () => {
      gate.resolve();
      await gate.promise;
    });
    await waitFor(() => expect(dialogRow('escalade')).toHaveAttribute('data-state', 'done'));
    expect(within(updateDialog()).getByTestId('update-all-summary')).toHaveTextContent(
      'Updated: 1. Failed: 1. Not run: 0.',
    );
    const enabled = within(dialogRow('fields')).getByRole('button', {
      name: 'Trust the new archive and update fields 1.21.23',
    });
    expect(enabled).toBeEnabled();
    enabled.focus();
    await user.keyboard('{Enter}');

    await waitFor(() => expect(dialogRow('fields')).toHaveAttribute('data-state', 'done'));
    expect(within(dialogRow('fields')).queryByTestId('job-checksums')).toBeNull();
    expect(callsOf(plugins, 'plugins.update')).toEqual([
      { key: 'fields' },
      { key: 'escalade' },
      { key: 'fields', acceptNewChecksum: received },
    ]);
    expect(within(updateDialog()).getByTestId('update-all-summary')).toHaveTextContent(
      'Updated: 2. Failed: 0. Not run: 0.',
    );
    expect(within(updateDialog()).getByRole('button', { name: 'Close' })).toHaveFocus();
  });

  it('offers no trust for other failures', async () => {
    const { user, plugins } = await renderInstalled();
    plugins.plans.set('fields', { fail: EXTRACT_FAILED() });
    await user.click(screen.getByTestId('update-all'));
    await user.click(within(updateDialog()).getByRole('button', { name: 'Update 2 selected' }));
    await waitFor(() => expect(dialogRow('escalade')).toHaveAttribute('data-state', 'done'));
    expect(dialogRow('fields')).toHaveAttribute('data-state', 'failed');
    expect(within(updateDialog()).queryByTestId('job-trust-checksum')).toBeNull();
  });

  it('Cancel stops the current update and skips the rest', async () => {
    const { user, plugins } = await renderInstalled();
    plugins.plans.set('fields', { steps: [['download', 0.3]], hold: forever });
    await user.click(screen.getByTestId('update-all'));
    await user.click(within(updateDialog()).getByRole('button', { name: 'Update 2 selected' }));
    await waitFor(() => expect(dialogRow('fields')).toHaveAttribute('data-state', 'running'));
    await within(dialogRow('fields')).findByRole('progressbar', { name: 'download: 30%' });

    await user.click(within(updateDialog()).getByRole('button', { name: 'Cancel the updates' }));
    await waitFor(() => expect(dialogRow('fields')).toHaveAttribute('data-state', 'cancelled'));
    expect(dialogRow('fields')).toHaveTextContent('Cancelled: nothing was changed.');
    expect(dialogRow('escalade')).toHaveAttribute('data-state', 'skipped');
    expect(dialogRow('escalade')).toHaveTextContent('Skipped: cancelled before its turn.');
    expect(within(updateDialog()).getByTestId('update-all-summary')).toHaveTextContent(
      'Updated: 0. Failed: 0. Not run: 2.',
    );
    expect(callsOf(plugins, 'plugins.update')).toEqual([{ key: 'fields' }]);
    expect(callsOf(plugins, 'plugins.cancel')).toEqual([{ key: 'fields' }]);
    expect(within(updateDialog()).queryByRole('button', { name: 'Cancel the updates' })).toBeNull();
    expect(within(updateDialog()).getByRole('button', { name: 'Close' })).toHaveFocus();
    expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'cancelled');
    expect(row('fields')).toHaveAttribute('data-update', '1.21.23');
  });
});

describe('Installed screen: cancel', () => {
  it('Cancel stops a running update: nothing was changed', async () => {
    const { user, plugins } = await renderInstalled();
    plugins.plans.set('fields', { steps: [['download', 0.4]], hold: forever });
    await user.click(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' }));
    const cancel = await within(row('fields')).findByRole('button', { name: 'Cancel the update of fields' });
    await waitFor(() => expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-cancel', 'none'));
    await user.click(cancel);
    await waitFor(() =>
      expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'cancelled'),
    );
    expect(within(row('fields')).getByTestId('job-status')).toHaveTextContent('Cancelled: nothing was changed.');
    expect(row('fields')).toHaveAttribute('data-update', '1.21.23');
    expect(row('fields')).toHaveTextContent('1.21.0');
    expect(callsOf(plugins, 'plugins.cancel')).toEqual([{ key: 'fields' }]);
    expect(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' })).toBeEnabled();
  });

  it('a Cancel asked before the core began the job is asked again at its first step', async () => {
    const { user, plugins } = await renderInstalled();
    const begin = deferred();
    plugins.plans.set('fields', { begin: begin.promise, steps: [['download', 0.1]], hold: forever });
    await user.click(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' }));
    const cancel = await within(row('fields')).findByRole('button', { name: 'Cancel the update of fields' });
    await user.click(cancel);
    const status = within(row('fields')).getByTestId('job-status');
    await waitFor(() => expect(status).toHaveAttribute('data-cancel', 'waiting'));
    expect(cancel).toBeDisabled();
    expect(cancel).toHaveAccessibleDescription('Cancelling: Marketdesk stops it as soon as it starts.');

    await act(async () => {
      begin.resolve();
      await begin.promise;
    });
    await waitFor(() =>
      expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'cancelled'),
    );
    expect(callsOf(plugins, 'plugins.cancel')).toEqual([{ key: 'fields' }, { key: 'fields' }]);
  });

  it('once the files are being put in place, Cancel is disabled and says why', async () => {
    const { user, plugins } = await renderInstalled();
    const gate = deferred();
    plugins.plans.set('fields', { steps: [['swap', 0.5]], hold: gate.promise });
    await user.click(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' }));
    const cancel = await within(row('fields')).findByRole('button', { name: 'Cancel the update of fields' });
    await waitFor(() => expect(cancel).toBeDisabled());
    expect(cancel).toHaveAccessibleDescription('Too late to cancel: Marketdesk is putting the files in place.');
    // The other row actions say why they wait.
    expect(within(row('fields')).getByRole('button', { name: 'Remove fields' })).toHaveAccessibleDescription(
      'An action on fields is running.',
    );
    await act(async () => {
      gate.resolve();
      await gate.promise;
    });
    await waitFor(() => expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'done'));
    expect(callsOf(plugins, 'plugins.cancel')).toEqual([]);
  });
});

const FIELDS_VERSIONS = makePlugin('fields', {
  name: 'Fields',
  versions: [
    { num: '1.12.9', compatibility: ['9.5'], stability: 'stable' },
    { num: '1.21.19', compatibility: ['~10.0.0'], stability: 'stable' },
    { num: '1.21.22', compatibility: ['~10.0.0'], stability: 'stable' },
    { num: '1.21.23', compatibility: ['~10.0.11'], stability: 'stable' },
    { num: '1.22.0', compatibility: ['~11.0.0'], stability: 'stable' },
    { num: '1.23.0-beta1', compatibility: ['~10.0.0'], stability: 'beta' },
  ],
});
const METABASE_ADVANCED = makePlugin('metabase', {
  requiredOffers: ['advanced'],
  versions: [{ num: '1.3.0', compatibility: ['~10.0.0'], stability: 'stable' }],
});

describe('Installed screen: versions and backups', () => {
  async function openVersions(user: RenderedApp['user'], key: string): Promise<HTMLElement> {
    const toggle = within(row(key)).getByRole('button', { name: `Other versions of ${key}` });
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    return screen.getByRole('region', { name: new RegExp(`^Versions of`) });
  }

  it('lists the backups and the catalogue versions; restores by id, installs another version, confirms a downgrade', async () => {
    const newer = makeBackup('fields', '1.21.23', '2025-06-10T08:00:00Z');
    const older = makeBackup('fields', '1.20.0', '2025-05-01T08:00:00Z');
    const { user, plugins } = await renderInstalled({
      backups: [newer, older, makeBackup('metabase', '0.9.0', '2025-04-01T08:00:00Z')],
      catalogList: { plugins: [FIELDS_VERSIONS, METABASE_ADVANCED] },
    });
    const panel = await openVersions(user, 'fields');
    expect(panel).toHaveAccessibleName('Versions of Fields fields');

    // (a) the backups of this plugin only, newest first.
    const backups = await within(panel).findAllByTestId('backup-row');
    expect(backups.map((b) => b.getAttribute('data-backup'))).toEqual([newer.id, older.id]);
    expect(backups[0]).toHaveTextContent('1.21.23');
    expect(within(backups[0]!).getByRole('time')).toHaveAttribute('datetime', '2025-06-10T08:00:00Z');

    // (b) the catalogue's versions for GLPI 10.0.18, newest first, pre-releases included.
    const versions = await within(panel).findAllByTestId('catalog-version-row');
    expect(versions.map((v) => v.getAttribute('data-version'))).toEqual([
      '1.23.0-beta1',
      '1.21.23',
      '1.21.22',
      '1.21.19',
    ]);
    expect(within(panel).getByRole('heading', { name: 'Versions in the catalogue for GLPI 10.0.18' })).toBeVisible();

    // Restoring a newer backup runs at once, by its id.
    await user.click(within(backups[0]!).getByRole('button', { name: /^Restore fields 1\.21\.23 kept on / }));
    await waitFor(() => expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'done'));
    expect(callsOf(plugins, 'plugins.restore')).toEqual([{ key: 'fields', backupId: newer.id }]);
    await waitFor(() => expect(row('fields')).toHaveTextContent('1.21.23'));
    const current = within(panel).getAllByTestId('catalog-version-row')[1]!;
    expect(current).toHaveTextContent('Installed now');
    expect(within(current).queryByRole('button')).toBeNull();

    // An older version asks first: the database may already be migrated.
    const row22 = within(panel)
      .getAllByTestId('catalog-version-row')
      .find((r) => r.getAttribute('data-version') === '1.21.22')!;
    await user.click(within(row22).getByRole('button', { name: 'Install fields 1.21.22' }));
    let confirm = screen.getByRole('alertdialog', { name: 'Install fields 1.21.22, an older version?' });
    expect(confirm).toHaveTextContent(
      'fields 1.21.23 is installed. It may already have migrated the plugin’s database',
    );
    expect(confirm).toHaveTextContent('GLPI may refuse to run 1.21.22');
    await user.click(within(confirm).getByRole('button', { name: 'Keep 1.21.23' }));
    expect(callsOf(plugins, 'plugins.install')).toEqual([]);
    await user.click(within(row22).getByRole('button', { name: 'Install fields 1.21.22' }));
    confirm = screen.getByRole('alertdialog', { name: 'Install fields 1.21.22, an older version?' });
    await user.click(within(confirm).getByRole('button', { name: 'Install 1.21.22' }));
    await waitFor(() => expect(row('fields')).toHaveTextContent('1.21.22'));
    expect(callsOf(plugins, 'plugins.install')).toEqual([{ key: 'fields', version: '1.21.22' }]);

    // A newer version does not ask.
    await user.click(within(panel).getByRole('button', { name: 'Install fields 1.21.23' }));
    await waitFor(() => expect(callsOf(plugins, 'plugins.install')).toHaveLength(2));
    expect(callsOf(plugins, 'plugins.install')[1]).toEqual({ key: 'fields', version: '1.21.23' });
    await waitFor(() => expect(within(row('fields')).getByTestId('job-status')).toHaveAttribute('data-state', 'done'));

    // Restoring an older backup asks too.
    const olderRow = within(panel)
      .getAllByTestId('backup-row')
      .find((r) => r.getAttribute('data-backup') === older.id)!;
    await user.click(within(olderRow).getByRole('button', { name: /^Restore fields 1\.20\.0 kept on / }));
    confirm = screen.getByRole('alertdialog', { name: 'Restore fields 1.20.0, an older version?' });
    await user.click(within(confirm).getByRole('button', { name: 'Restore 1.20.0' }));
    await waitFor(() => expect(callsOf(plugins, 'plugins.restore')).toHaveLength(2));
    expect(callsOf(plugins, 'plugins.restore')[1]).toEqual({ key: 'fields', backupId: older.id });
  });

  it('says why a version cannot be installed with this subscription', async () => {
    const { user } = await renderInstalled({
      backups: [],
      catalogList: { plugins: [FIELDS_VERSIONS, METABASE_ADVANCED] },
    });
    const panel = await openVersions(user, 'metabase');
    expect(await within(panel).findByText('No backup of metabase is kept.')).toBeInTheDocument();
    const install = await within(panel).findByRole('button', { name: 'Install metabase 1.3.0' });
    expect(install).toBeDisabled();
    expect(install).toHaveAccessibleDescription(/Advanced/);
  });

  it('says so when the catalogue is not loaded', async () => {
    const { user } = await renderInstalled();
    const panel = await openVersions(user, 'fields');
    expect(
      await within(panel).findByText(
        'The catalogue is not loaded: a valid registration key is needed (see the Registration key screen).',
      ),
    ).toBeInTheDocument();
    expect(within(panel).queryByTestId('catalog-version-row')).toBeNull();
  });

  it('lists removed plugins kept in the backups, and restores one', async () => {
    const removed = makeBackup('formcreator', '2.13.0', '2025-06-01T10:00:00Z', false);
    const { user, plugins } = await renderInstalled({
      backups: [removed, makeBackup('formcreator', '2.12.0', '2025-05-01T10:00:00Z', false)],
    });
    const section = await screen.findByRole('region', { name: 'Removed plugins' });
    const kept = within(section).getAllByTestId('backup-row');
    expect(kept.map((r) => r.getAttribute('data-backup'))).toEqual([removed.id, 'formcreator-20250501100000']);
    await user.click(within(kept[0]!).getByRole('button', { name: /^Restore formcreator 2\.13\.0 kept on / }));
    await waitFor(() => expect(row('formcreator')).toHaveTextContent('2.13.0'));
    expect(callsOf(plugins, 'plugins.restore')).toEqual([{ key: 'formcreator', backupId: removed.id }]);
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Removed plugins' })).toBeNull());
    expect(within(row('formcreator')).getByTestId('job-status')).toHaveAttribute('data-state', 'done');
  });

  it('a removed plugin shows up in the removed section', async () => {
    const { user } = await renderInstalled({ backups: [] });
    expect(screen.queryByRole('region', { name: 'Removed plugins' })).toBeNull();
    await user.click(within(row('metabase')).getByRole('button', { name: 'Remove metabase' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove metabase' }));
    const section = await screen.findByRole('region', { name: 'Removed plugins' });
    expect(within(section).getByTestId('removed-plugin')).toHaveAttribute('data-key', 'metabase');
  });
});

describe('Installed screen: history export', () => {
  const HISTORY = [HISTORY_OK, HISTORY_FAILED];

  it('exports the history as CSV and JSON files named after the instance and the day', async () => {
    const { user, plugins } = await renderInstalled();
    plugins.history = structuredClone(HISTORY);
    await user.click(screen.getByRole('button', { name: 'History' }));
    await screen.findByTestId('history-list');

    const { blobs, clicked, revoke, restore } = captureSavedFiles();
    try {
      fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
      expect(clicked.map((a) => a.download)).toEqual([
        'marketdesk-history-prod-2025-06-15.csv',
        'marketdesk-history-prod-2025-06-15.json',
      ]);
      expect(clicked.every((a) => !a.isConnected)).toBe(true);
      const csv = await readBlob(blobs[0]);
      expect(blobs[0]?.type).toBe('text/csv;charset=utf-8');
      expect(csv).toBe(`\uFEFF${historyCsv(HISTORY)}`);
      expect(csv).toContain('when,user,action,key,from,to,sha256,result,step,error,note\r\n');
      expect(csv).toContain(
        '2025-06-15T12:05:00.000Z,jdoe,install,metabase,,1.3.0,,failed,extract,"The archive is damaged, ""cut"" at 50%,\nsee the log"',
      );
      expect(blobs[1]?.type).toBe('application/json;charset=utf-8');
      expect(JSON.parse(await readBlob(blobs[1]))).toEqual(HISTORY);
      act(() => {
        vi.advanceTimersByTime(REVOKE_DELAY_MS);
      });
      expect(revoke).toHaveBeenCalledWith('blob:marketdesk/test-1');
      expect(revoke).toHaveBeenCalledWith('blob:marketdesk/test-2');
    } finally {
      restore();
    }
  });

  it('an empty history has nothing to export, and says so', async () => {
    const { user } = await renderInstalled();
    await user.click(screen.getByRole('button', { name: 'History' }));
    await screen.findByText('Nothing was done in this instance yet.');
    const csv = screen.getByRole('button', { name: 'Export CSV' });
    expect(csv).toBeDisabled();
    expect(csv).toHaveAccessibleDescription('Nothing to export: the history is empty.');
    expect(screen.getByRole('button', { name: 'Export JSON' })).toBeDisabled();
  });
});

describe("GLPI's console after an install", () => {
  it('offers plugin:install and plugin:activate when the settings and the machine allow it, with the output', async () => {
    const app = await renderInstalled({
      console: {
        info: { offered: true, available: true, reason: null },
        run: (task) => {
          if (task.action === 'resume') throw new Error('not asked');
          const { key, action } = task;
          return {
            commandLine: `cd /srv/glpi && /usr/bin/php bin/console plugin:${action} --no-interaction ${key}`,
            ok: action === 'install',
            exitCode: action === 'install' ? 0 : 1,
            output: action === 'install' ? `Plugin ${key} installed.` : 'Plugin is not installed.',
            truncated: false,
            message: action === 'install' ? 'GLPI installed the plugin.' : 'The plugin command failed (exit code 1).',
          };
        },
      },
    });
    const fields = row('fields');
    await app.user.click(within(fields).getByTestId('plugin-update'));
    await waitFor(() => expect(within(fields).getByTestId('job-status')).toHaveAttribute('data-state', 'done'));
    await app.user.click(within(fields).getByRole('button', { name: 'Run plugin:install fields' }));
    await waitFor(() =>
      expect(within(fields).getByTestId('console-output')).toHaveTextContent('Plugin fields installed.'),
    );
    expect(within(fields).getByTestId('console-step')).toHaveTextContent('plugin:install --no-interaction fields');
    await app.user.click(within(fields).getByRole('button', { name: 'Run plugin:activate fields' }));
    await waitFor(() =>
      expect(within(fields).getByTestId('console-output')).toHaveTextContent('Plugin is not installed.'),
    );
    expect(within(fields).getByTestId('console-step')).toHaveTextContent('exit code 1');
    expect(app.plugins.calls.filter((c) => c.channel === 'plugins.console').map((c) => c.req)).toEqual([
      { key: 'fields', action: 'install' },
      { key: 'fields', action: 'activate' },
    ]);
  });

  it('says why it cannot run, and shows nothing when the settings do not offer it', async () => {
    const app = await renderInstalled({
      console: {
        info: { offered: true, available: false, reason: 'no bin/console in /srv/glpi' },
        run: () => {
          throw new Error('not called');
        },
      },
    });
    await app.user.click(within(row('fields')).getByTestId('plugin-update'));
    await waitFor(() =>
      expect(within(row('fields')).getByTestId('console-step')).toHaveTextContent('no bin/console in /srv/glpi'),
    );
    expect(within(row('fields')).queryByRole('button', { name: /Run plugin:install/ })).not.toBeInTheDocument();
  });
});

describe('Installed screen: GLPI 11 fidelity', () => {
  it('shows the marketplace mode in words, an API that differs from the profile with the fix, the web root and the notes', async () => {
    await renderInstalled({
      instance: makeInstance({
        version: '11.0.1',
        line: '11',
        marketplaceEnable: { value: 1, source: 'config/local_define.php' },
        networkApiUrl: {
          value: 'https://mirror.example.org/api',
          overridden: true,
          source: 'config/local_define.php (GLPI_NETWORK_API_URL)',
          differsFromProfile: true,
          profileApi: 'https://services.glpi-network.com/api',
        },
        webRoot: `${GLPI_ROOT}/public`,
        notes: ["the web server's environment (SetEnv GLPI_CONFIG_DIR…) wins over the files read here"],
      }),
    });
    const box = screen.getByTestId('instance-summary');
    const mode = within(box).getByTestId('instance-marketplace-mode');
    expect(mode).toHaveAttribute('data-mode', '1');
    expect(mode).toHaveTextContent('Console only (GLPI_MARKETPLACE_ENABLE = 1) (set in config/local_define.php)');
    expect(mode).toHaveTextContent(
      `GLPI's own Marketplace pages are off on this instance. Marketdesk still installs into ${GLPI_ROOT}/marketplace; then install and enable each plugin from Setup > Plugins in GLPI`,
    );
    expect(within(box).getByTestId('instance-api')).toHaveTextContent(
      'https://mirror.example.org/api (set in config/local_define.php (GLPI_NETWORK_API_URL))',
    );
    const differs = within(box).getByRole('alert');
    expect(differs).toHaveAttribute('data-testid', 'instance-api-differs');
    expect(differs).toHaveTextContent(
      'This instance calls https://mirror.example.org/api, but Marketdesk uses https://services.glpi-network.com/api',
    );
    expect(differs).toHaveTextContent(
      'Set the same address in Settings > GLPI Network address, or remove the override (config/local_define.php (GLPI_NETWORK_API_URL))',
    );
    expect(within(box).getByTestId('instance-web-root')).toHaveTextContent(`${GLPI_ROOT}/public`);
    expect(within(box).getByTestId('instance-notes')).toHaveTextContent("the web server's environment");
  });

  it('says GLPI’s own marketplace works alongside when the mode is the default, and nothing differs', async () => {
    await renderInstalled({
      instance: makeInstance({
        marketplaceEnable: { value: 3, source: 'default' },
        networkApiUrl: {
          value: 'https://services.glpi-network.com/api',
          overridden: false,
          source: 'default',
          differsFromProfile: false,
          profileApi: 'https://services.glpi-network.com/api',
        },
      }),
    });
    const box = screen.getByTestId('instance-summary');
    expect(within(box).getByTestId('instance-marketplace-mode')).toHaveTextContent(
      "Web and console (GLPI_MARKETPLACE_ENABLE = 3) (GLPI's default)",
    );
    expect(within(box).getByTestId('instance-api')).toHaveAttribute('data-differs', 'false');
    expect(within(box).queryByTestId('instance-api-differs')).not.toBeInTheDocument();
    expect(within(box).queryByTestId('instance-web-root')).not.toBeInTheDocument();
  });

  it("shows each plugin's state in GLPI and the mismatches; Resume is disabled with the reason when not ready", async () => {
    await renderInstalled({
      console: {
        info: {
          offered: true,
          available: true,
          reason: null,
          glpi: makeGlpiConsole({
            plugins: [
              makeConsolePlugin('fields', { state: 'to-update', stateLabel: 'To update', version: '1.20.0' }),
              makeConsolePlugin('metabase', {
                state: 'not-activated',
                stateLabel: 'Installed / not activated',
                mismatch: 'GLPI knows version 0.9.0, the folder holds 1.0.0',
              }),
              makeConsolePlugin('escalade', { state: 'activated' }),
            ],
            notes: ['the web server may run plugins Marketdesk cannot see'],
            resume: { offered: true, ready: false, reason: 'GLPI still has to run the update of fields' },
          }),
        },
        run: () => {
          throw new Error('not called');
        },
      },
    });
    const state = (key: string, location?: string) => within(row(key, location)).getByTestId('plugin-glpi-state');
    expect(state('fields')).toHaveTextContent('In GLPI: to update');
    expect(state('fields')).toHaveAttribute('data-state', 'to-update');
    expect(state('metabase')).toHaveTextContent('In GLPI: installed, not active');
    expect(within(row('metabase')).getByTestId('plugin-glpi-mismatch')).toHaveTextContent(
      'GLPI knows version 0.9.0, the folder holds 1.0.0',
    );
    expect(state('escalade', 'plugins')).toHaveTextContent('In GLPI: active');
    // The copy GLPI does not load has no state of its own.
    expect(within(row('fields', 'plugins')).queryByTestId('plugin-glpi-state')).not.toBeInTheDocument();
    const panel = screen.getByRole('region', { name: "GLPI's console" });
    expect(within(panel).getByTestId('glpi-console-mismatches')).toHaveTextContent(
      'metabase (installed, not active): GLPI knows version 0.9.0, the folder holds 1.0.0',
    );
    expect(within(panel).getByTestId('glpi-console-notes')).toHaveTextContent('the web server may run plugins');
    const resume = within(panel).getByRole('button', { name: 'Resume plugin execution' });
    expect(resume).toBeDisabled();
    expect(resume).toHaveAccessibleDescription('Not yet: GLPI still has to run the update of fields.');
  });

  it('runs plugin:resume_execution without a plugin key and shows its output like the other console runs', async () => {
    const app = await renderInstalled({
      console: {
        info: { offered: true, available: true, reason: null, glpi: makeGlpiConsole() },
        run: (task) => ({
          commandLine: `cd ${GLPI_ROOT} && /usr/bin/php bin/console plugin:resume_execution --no-interaction`,
          ok: task.action === 'resume',
          exitCode: 0,
          output: 'Plugins execution resumed.',
          truncated: false,
          message: 'GLPI resumed plugin execution.',
        }),
      },
    });
    const panel = screen.getByRole('region', { name: "GLPI's console" });
    const resume = within(panel).getByRole('button', { name: 'Resume plugin execution' });
    expect(resume).toBeEnabled();
    const before = app.plugins.calls.filter((c) => c.channel === 'plugins.list').length;
    await app.user.click(resume);
    await waitFor(() =>
      expect(within(panel).getByTestId('console-output')).toHaveTextContent('Plugins execution resumed.'),
    );
    expect(within(panel).getByTestId('console-resume-step')).toHaveAttribute('data-state', 'done');
    expect(within(panel).getByTestId('console-resume-step')).toHaveTextContent('GLPI resumed plugin execution.');
    expect(app.plugins.calls.filter((c) => c.channel === 'plugins.console').map((c) => c.req)).toEqual([
      { action: 'resume' },
    ]);
    // The view is read again: resumed plugins change what GLPI's console says.
    await waitFor(() =>
      expect(app.plugins.calls.filter((c) => c.channel === 'plugins.list').length).toBeGreaterThan(before),
    );
  });
});

describe('Installed screen: two panes', () => {
  function rememberTwoPanes() {
    saveViewPrefs(window.localStorage, { ...defaultViewPrefs(1024), installedTwoPane: true });
  }
  const list = () => screen.getByRole('listbox', { name: 'Plugins installed in prod' });
  const details = () => screen.getByTestId('installed-details');
  function item(key: string, location = 'marketplace'): HTMLElement {
    const found = within(list())
      .getAllByRole('option')
      .find((o) => o.getAttribute('data-key') === key && o.getAttribute('data-location') === location);
    if (!found) throw new Error(`no item ${location}/${key}`);
    return found;
  }
  function resizeTo(width: number) {
    Object.defineProperty(window, 'innerWidth', { configurable: true, writable: true, value: width });
    act(() => void window.dispatchEvent(new Event('resize')));
  }
  afterEach(() => resizeTo(1024));

  it('the View toggle puts the details beside the list, is remembered apart from the catalogue’s, and goes back', async () => {
    const { user } = await renderInstalled();
    const toggle = screen.getByRole('button', { name: 'Details beside the list' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('table', { name: 'Plugins installed in prod' })).toBeInTheDocument();

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByRole('table', { name: 'Plugins installed in prod' })).toBeNull();
    expect(within(list()).getAllByRole('option')).toHaveLength(6);
    expect(item('fields')).toHaveAttribute('aria-selected', 'true');
    expect(details()).toHaveAttribute('data-key', 'fields');
    expect(JSON.parse(window.localStorage.getItem('marketdesk.view') ?? '{}')).toMatchObject({
      installedTwoPane: true,
      twoPane: false,
    });

    await user.click(toggle);
    expect(screen.queryByTestId('installed-split')).toBeNull();
    expect(within(row('fields')).getByRole('button', { name: 'Update fields to 1.21.23' })).toBeEnabled();
  });

  it('arrows move the selection and the details follow; Enter goes to the details, Escape comes back', async () => {
    rememberTwoPanes();
    const { user } = await renderInstalled();
    await user.click(within(item('metabase')).getByText('Metabase'));
    expect(list()).toHaveFocus();
    expect(item('metabase')).toHaveAttribute('aria-selected', 'true');
    expect(details()).toHaveAttribute('data-key', 'metabase');

    await user.keyboard('{ArrowUp}');
    expect(item('fields', 'plugins')).toHaveAttribute('aria-selected', 'true');
    expect(item('metabase')).toHaveAttribute('aria-selected', 'false');
    expect(list()).toHaveAttribute('aria-activedescendant', item('fields', 'plugins').id);
    expect(details()).toHaveAttribute('data-location', 'plugins');
    // Moving does not take the focus away from the list.
    expect(list()).toHaveFocus();

    await user.keyboard('{End}');
    expect(details()).toHaveAttribute('data-key', 'escalade');
    await user.keyboard('{ArrowDown}');
    expect(details()).toHaveAttribute('data-key', 'escalade');
    await user.keyboard('{Home}{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(details()).toHaveAttribute('data-key', 'tag');

    await user.keyboard('{Enter}');
    expect(within(details()).getByRole('heading', { level: 2, name: 'Tag' })).toHaveFocus();
    await user.keyboard('{Tab}');
    await user.keyboard('{Escape}');
    expect(list()).toHaveFocus();
    expect(details()).toHaveAttribute('data-key', 'tag');
  });

  it('shows the selected plugin: version, folder, GLPI range, update, actions, problems, versions and the catalogue', async () => {
    rememberTwoPanes();
    const { user, plugins } = await renderInstalled({
      backups: [makeBackup('fields', '1.20.0', '2025-05-01T08:00:00Z')],
      catalogList: { plugins: [FIELDS_VERSIONS, METABASE_ADVANCED] },
    });
    let pane = details();
    expect(within(pane).getByRole('heading', { level: 2, name: 'Fields' })).toBeVisible();
    expect(pane).toHaveTextContent('Installed version1.21.0');
    expect(pane).toHaveTextContent('Foldermarketplace/ /srv/glpi/marketplace/fields');
    expect(pane).toHaveTextContent('GLPI versions it declares10.0.0 – 10.0.99');
    expect(within(pane).getByTestId('installed-problems')).toHaveTextContent('No problem found in this folder.');
    // Other versions and backups, as the table's Versions panel.
    const versions = within(pane).getByRole('region', { name: 'Versions of Fields fields' });
    expect(await within(versions).findAllByTestId('backup-row')).toHaveLength(1);
    expect(await within(versions).findAllByTestId('catalog-version-row')).toHaveLength(4);
    // What the catalogue says of it.
    const catalogue = within(pane).getByTestId('installed-catalogue');
    expect(within(catalogue).getByRole('heading', { name: 'In the catalogue' })).toBeVisible();
    expect(catalogue).toHaveTextContent("Teclib'");
    expect(await within(pane).findByTestId('plugin-description')).toHaveTextContent('About fields.');
    expect(within(pane).getByRole('button', { name: 'Restore the previous version of fields' })).toBeEnabled();

    await user.click(within(pane).getByRole('button', { name: 'Update fields to 1.21.23' }));
    await waitFor(() => expect(within(details()).getByTestId('job-status')).toHaveAttribute('data-state', 'done'));
    expect(callsOf(plugins, 'plugins.update')).toEqual([{ key: 'fields' }]);

    // The shadowed copy: why it is not loaded, and no action.
    await user.click(within(item('fields', 'plugins')).getByText('Fields'));
    pane = details();
    expect(within(pane).getByTestId('installed-problems')).toHaveTextContent(
      'Not loaded: GLPI loads the copy in marketplace/',
    );
    expect(within(pane).queryByTestId('plugin-restore')).toBeNull();
    expect(within(pane).queryByTestId('plugin-versions')).toBeNull();
    expect(within(pane).getByTestId('plugin-update')).toHaveAccessibleDescription(
      'GLPI loads the copy in marketplace/',
    );

    await user.click(within(item('tag', 'plugins')).getByText('Tag'));
    expect(item('tag', 'plugins')).toHaveTextContent('1 problem');
    expect(within(details()).getByTestId('installed-problems')).toHaveTextContent('.git checkout');
    expect(within(details()).getByTestId('plugin-update')).toBeDisabled();

    await user.click(within(item('news')).getByText('News'));
    expect(details()).toHaveTextContent('Installed versionversion unknown');
    expect(within(details()).getByTestId('installed-problems')).toHaveTextContent('computed at run time');
  });

  it('Remove from the details asks first, then the list selects the first plugin', async () => {
    rememberTwoPanes();
    const { user, plugins } = await renderInstalled();
    await user.click(within(item('metabase')).getByText('Metabase'));
    await user.click(within(details()).getByRole('button', { name: 'Remove metabase' }));
    const confirm = screen.getByRole('alertdialog');
    await user.click(within(confirm).getByRole('button', { name: /^Remove/ }));
    await waitFor(() => expect(callsOf(plugins, 'plugins.remove')).toEqual([{ key: 'metabase' }]));
    await waitFor(() => expect(within(list()).getAllByRole('option')).toHaveLength(5));
    expect(details()).toHaveAttribute('data-key', 'fields');
  });

  it('falls back to the table on a window narrower than 900 px, and says why', async () => {
    rememberTwoPanes();
    await renderInstalled();
    expect(screen.getByTestId('installed-split')).toBeInTheDocument();
    resizeTo(800);
    expect(screen.queryByTestId('installed-split')).toBeNull();
    expect(screen.getByRole('table', { name: 'Plugins installed in prod' })).toBeInTheDocument();
    expect(screen.getByTestId('installed-split-narrow')).toHaveTextContent('too narrow for two panes');
    expect(screen.getByRole('button', { name: 'Details beside the list' })).toHaveAttribute('aria-pressed', 'true');
    resizeTo(1024);
    expect(screen.getByTestId('installed-split')).toBeInTheDocument();
    expect(screen.queryByTestId('installed-split-narrow')).toBeNull();
  });
});
