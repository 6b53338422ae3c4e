import { screen, waitFor, within } from '@testing-library/react';
import { FakeFleet, makeFleetRow } from '../test/fake-fleet';
import { FakePlugins } from '../test/fake-plugins';
import { renderApp, type RenderedApp } from '../test/render-app';

const ROWS = [
  makeFleetRow('prod', {
    active: true,
    version: '10.0.18',
    plugins: 5,
    updates: [
      { key: 'fields', from: '1.21.0', to: '1.21.23' },
      { key: 'escalade', from: '2.9.0', to: '2.10.0' },
    ],
    drift: [],
  }),
  makeFleetRow('web2', {
    where: 'ssh://admin@web2.example.org/var/www/glpi',
    kind: 'ssh',
    version: '10.0.17',
    plugins: 2,
    updates: [{ key: 'fields', from: '1.20.0', to: '1.21.23' }],
    problems: ['files/_cache is not writable'],
    drift: [
      { key: 'datainjection', kind: 'missing', installed: null, wanted: '*' },
      { key: 'fields', kind: 'version', installed: '1.20.0', wanted: '~1.21' },
      { key: 'metabase', kind: 'extra', installed: '1.0.0', wanted: null },
    ],
  }),
  makeFleetRow('old', {
    where: 'ssh://admin@old.example.org/var/www/glpi',
    kind: 'ssh',
    reachable: false,
    version: null,
    plugins: 0,
    error: {
      code: 'SSH_FAILED',
      message: 'old.example.org refused the connection on port 22.',
      fix: 'Start sshd on the server, or give the right port in the address.',
    },
  }),
];

async function openFleet(): Promise<RenderedApp & { fleet: FakeFleet }> {
  let fleet!: FakeFleet;
  const app = await renderApp({}, (harness) => {
    new FakePlugins(harness);
    fleet = new FakeFleet(harness, ROWS);
  });
  await app.user.click(screen.getByRole('link', { name: 'Fleet' }));
  await screen.findByTestId('fleet-table');
  return { ...app, fleet };
}

function checks(fleet: FakeFleet): number {
  return fleet.calls.filter((c) => c.channel === 'fleet.check').length;
}

describe('Fleet screen', () => {
  it("shows each instance's drift from its manifest: none attached, matching, or each difference", async () => {
    const { user } = await openFleet();
    expect(screen.getByRole('columnheader', { name: 'Manifest' })).toBeInTheDocument();
    expect(within(screen.getByTestId('fleet-row-prod')).getByText('Matches')).toBeInTheDocument();
    expect(within(screen.getByTestId('fleet-row-old')).getByText('None attached')).toBeInTheDocument();
    const drift = within(screen.getByTestId('fleet-row-web2')).getByTestId('fleet-drift');
    const summary = within(drift).getByText('3 differences');
    expect(summary).toHaveAttribute(
      'title',
      'datainjection: missing (wanted *)\nfields: 1.20.0 (wanted ~1.21)\nmetabase 1.0.0: not in the manifest',
    );
    await user.click(summary);
    expect(
      within(drift)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'datainjection: missing (wanted *)',
      'fields: 1.20.0 (wanted ~1.21)',
      'metabase 1.0.0: not in the manifest',
    ]);
  });

  it('checks every instance on opening and shows one row each, an unreachable one with its fix', async () => {
    const { fleet, user } = await openFleet();
    expect(window.location.hash).toBe('#fleet');
    expect(checks(fleet)).toBe(1);
    expect(screen.getByRole('table', { name: 'GLPI instances of this profile' })).toBeInTheDocument();

    const prod = screen.getByTestId('fleet-row-prod');
    expect(prod).toHaveTextContent('prodactive');
    expect(prod).toHaveTextContent('/srv/prod');
    expect(prod).toHaveTextContent('Reachable');
    expect(prod).toHaveTextContent('10.0.18');
    expect(within(prod).getByText('2 updates')).toHaveAttribute(
      'title',
      'fields: 1.21.0 → 1.21.23\nescalade: 2.9.0 → 2.10.0',
    );

    const web2 = screen.getByTestId('fleet-row-web2');
    expect(web2).toHaveTextContent('ssh://admin@web2.example.org/var/www/glpi');
    expect(web2).toHaveTextContent('1 update');
    expect(web2).toHaveTextContent('files/_cache is not writable');

    const old = screen.getByTestId('fleet-row-old');
    expect(old).toHaveAttribute('data-reachable', 'false');
    expect(old).toHaveTextContent('Unreachable: old.example.org refused the connection on port 22.');
    expect(old).toHaveTextContent('What to do: Start sshd on the server, or give the right port in the address.');
    expect(old).toHaveTextContent('unknown');

    await user.click(screen.getByRole('button', { name: 'Check all' }));
    await waitFor(() => expect(checks(fleet)).toBe(2));
  });

  it('updates every plugin of the selected instances, shows one result per instance and plugin, and checks again', async () => {
    const { fleet, user } = await openFleet();
    fleet.failures.set('web2/fields', {
      message: 'download failed: GLPI Network answered 503.',
      fix: 'Try again later.',
    });
    const updateAll = screen.getByRole('button', { name: 'Update all plugins' });
    expect(updateAll).toBeDisabled();
    expect(updateAll).toHaveAccessibleDescription('Select instances to update their plugins.');

    await user.click(screen.getByRole('checkbox', { name: 'Select prod' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select web2' }));
    expect(screen.getByRole('checkbox', { name: 'Select all' })).toHaveProperty('indeterminate', true);
    expect(updateAll).toHaveAccessibleDescription('2 instances selected.');
    await user.click(updateAll);

    const results = await screen.findByTestId('fleet-results');
    expect(fleet.calls.filter((c) => c.channel === 'fleet.update').map((c) => c.req)).toEqual([
      { names: ['prod', 'web2'] },
    ]);
    const items = within(results).getAllByTestId('fleet-result');
    expect(items.map((i) => [i.dataset.instance, i.dataset.key, i.dataset.ok])).toEqual([
      ['prod', 'fields', 'true'],
      ['prod', 'escalade', 'true'],
      ['web2', 'fields', 'false'],
    ]);
    expect(results).toHaveTextContent('2 updated, 1 failed.');
    expect(items[2]).toHaveTextContent('Failed');
    expect(items[2]).toHaveTextContent('download failed: GLPI Network answered 503.');
    expect(items[2]).toHaveTextContent('What to do: Try again later.');
    // Checked again: prod has no update left.
    await waitFor(() => expect(checks(fleet)).toBe(2));
    await waitFor(() => expect(screen.getByTestId('fleet-row-prod')).toHaveTextContent('None'));
  });

  it('Stop, beside the progress, ends the update: what was not reached says nothing was changed there', async () => {
    const { fleet, user } = await openFleet();
    fleet.hold = new Promise<void>(() => undefined);
    await user.click(screen.getByRole('checkbox', { name: 'Select prod' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select web2' }));
    await user.click(screen.getByRole('button', { name: 'Update all plugins' }));
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    expect(fleet.calls.filter((c) => c.channel === 'fleet.cancel')).toHaveLength(1);
    const results = await screen.findByTestId('fleet-results');
    const items = within(results).getAllByTestId('fleet-result');
    expect(items.map((i) => [i.dataset.instance, i.dataset.key, i.dataset.ok])).toEqual([
      ['prod', 'fields', 'false'],
      ['prod', 'escalade', 'false'],
      ['web2', 'fields', 'false'],
    ]);
    for (const item of items) expect(item).toHaveTextContent('Stopped: nothing was changed here.');
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Update all plugins' })).toBeEnabled();
  });

  it('a republished archive shows both checksums; trusting it updates that plugin in that instance again', async () => {
    const { fleet, user } = await openFleet();
    const [pinned, received] = ['c'.repeat(64), 'd'.repeat(64)];
    fleet.failures.set('web2/fields', {
      message: 'download failed: The archive of fields 1.21.23 has changed.',
      fix: 'Ask the plugin author.',
      checksumChanged: {
        step: 'download',
        code: 'checksum-changed',
        key: 'fields',
        version: '1.21.23',
        pinned,
        received,
      },
    });
    await user.click(screen.getByRole('checkbox', { name: 'Select prod' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select web2' }));
    await user.click(screen.getByRole('button', { name: 'Update all plugins' }));

    const results = await screen.findByTestId('fleet-results');
    const failed = within(results)
      .getAllByTestId('fleet-result')
      .find((r) => r.dataset.instance === 'web2')!;
    expect(failed).toHaveAttribute('data-ok', 'false');
    const checksums = within(failed).getByTestId('job-checksums');
    expect(checksums).toHaveTextContent('the archive of fields 1.21.23 is not the one first installed');
    expect(checksums).toHaveTextContent(pinned);
    expect(checksums).toHaveTextContent(received);
    // No trust where the failure was something else, nor for the instances that updated.
    expect(within(results).getAllByTestId('job-trust-checksum')).toHaveLength(1);

    const trust = within(failed).getByRole('button', { name: 'Trust the new archive and update fields 1.21.23' });
    await waitFor(() => expect(trust).toBeEnabled());
    trust.focus();
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(
        within(screen.getByTestId('fleet-results'))
          .getAllByTestId('fleet-result')
          .map((r) => [r.dataset.instance, r.dataset.key, r.dataset.ok]),
      ).toEqual([
        ['prod', 'fields', 'true'],
        ['prod', 'escalade', 'true'],
        ['web2', 'fields', 'true'],
      ]),
    );
    expect(fleet.calls.filter((c) => c.channel === 'fleet.update').map((c) => c.req)).toEqual([
      { names: ['prod', 'web2'] },
      { names: ['web2'], key: 'fields', acceptNewChecksum: received },
    ]);
    expect(screen.getByTestId('fleet-results')).toHaveTextContent('3 updated, 0 failed.');
    expect(screen.queryByTestId('job-checksums')).toBeNull();
  });

  it('updates one plugin chosen among those with an update in the selection', async () => {
    const { fleet, user } = await openFleet();
    await user.click(screen.getByRole('checkbox', { name: 'Select all' }));
    for (const name of ['prod', 'web2', 'old']) {
      expect(screen.getByRole('checkbox', { name: `Select ${name}` })).toBeChecked();
    }
    const select = screen.getByRole('combobox', { name: 'Update one plugin' });
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Choose a plugin…', 'escalade', 'fields']);
    const submit = screen.getByRole('button', { name: 'Update this plugin' });
    expect(submit).toBeDisabled();
    await user.selectOptions(select, 'fields');
    await user.click(submit);

    const results = await screen.findByTestId('fleet-results');
    expect(fleet.calls.filter((c) => c.channel === 'fleet.update').map((c) => c.req)).toEqual([
      { names: ['prod', 'web2', 'old'], key: 'fields' },
    ]);
    expect(
      within(results)
        .getAllByTestId('fleet-result')
        .map((i) => i.dataset.instance),
    ).toEqual(['prod', 'web2']);
  });
});
