import { act, screen, waitFor, within } from '@testing-library/react';
import { AppError } from '../../../shared/errors';
import { FakePlugins, GLPI_ROOT, makeInstance, type FakePluginsOptions } from '../test/fake-plugins';
import { renderApp, type RenderedApp } from '../test/render-app';

interface RenderedInstalled extends RenderedApp {
  plugins: FakePlugins;
}

async function renderInstalled(options: FakePluginsOptions = {}, open = true): Promise<RenderedInstalled> {
  let plugins!: FakePlugins;
  const app = await renderApp({}, (harness) => {
    plugins = new FakePlugins(harness, options);
  });
  await waitFor(() => expect(app.store.getState().installed.loadState.status).toBe('ready'));
  if (open) {
    await app.user.click(screen.getByRole('link', { name: /^Installed/ }));
    await screen.findByTestId('installed-screen');
  }
  return { ...app, plugins };
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
    expect(done).toHaveTextContent('Next: In GLPI, open Setup > Plugins');
    await waitFor(() => expect(row('fields')).toHaveAttribute('data-update', ''));
    expect(row('fields')).toHaveTextContent('1.21.23');
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

  it('Update all updates each plugin in turn, and the history lists what was done', async () => {
    const { user, plugins } = await renderInstalled();
    await user.click(screen.getByTestId('update-all'));
    await waitFor(() => expect(screen.getByTestId('update-all')).toBeDisabled());
    await waitFor(() =>
      expect(screen.getByTestId('update-all')).toHaveAccessibleDescription('No update is available.'),
    );
    expect(plugins.calls.filter((c) => c.channel === 'plugins.update').map((c) => c.req)).toEqual([
      { key: 'fields' },
      { key: 'escalade' },
    ]);
    expect(within(row('escalade', 'plugins')).getByTestId('job-status')).toHaveAttribute('data-state', 'done');

    expect(screen.queryByTestId('history-list')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'History' }));
    const history = await screen.findByTestId('history-list');
    const lines = within(history).getAllByRole('row').slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent('Update escalade');
    expect(lines[0]).toHaveTextContent('1.0.0 → 2.10.0');
    expect(lines[0]).toHaveTextContent('Done');
  });
});
