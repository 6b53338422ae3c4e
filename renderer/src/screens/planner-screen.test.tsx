import { screen, waitFor, within } from '@testing-library/react';
import { AppError } from '../../../shared/errors';
import type { InstalledPlugin } from '../../../shared/instances';
import { catalogPlugin } from '../../../shared/catalog-fixtures.testkit';
import { installedPlugin } from '../../../shared/installed-fixtures.testkit';
import { countVerdicts, planItems, planSteps, type Plan, type PlanDownload } from '../../../shared/plan';
import { captureSavedFiles, readBlob } from '../test/saved-files';
import { FakePlugins } from '../test/fake-plugins';
import { renderApp } from '../test/render-app';
import { StoppableHold } from '../test/stoppable-hold';

const v = (num: string, compatibility: string[]) => ({ num, compatibility, stability: 'stable' });
const installed = (key: string, version: string, location: InstalledPlugin['location'] = 'marketplace') =>
  installedPlugin(key, { version, location });

function makePlan(to: string): Plan {
  const items = planItems(
    [
      installed('sso', '3.0.0'),
      installed('fields', '1.21.22'),
      installed('whitelabel', '3.5.1'),
      installed('ocs', '2.0.5'),
      installed('formcreator', '2.13.9'),
      installed('inhouse', '1.0.0', 'plugins'),
    ],
    [
      catalogPlugin('sso', { versions: [v('3.0.0', ['~10.0.0', '~11.0.0'])] }),
      catalogPlugin('fields', { versions: [v('1.21.22', ['~10.0.0']), v('1.22.1', ['~11.0.0'])] }),
      catalogPlugin('whitelabel', { requiredOffers: ['advanced'], versions: [v('3.7.1', ['~11.0.0'])] }),
      catalogPlugin('ocs', { versions: [v('2.0.5', ['~10.0.0'])] }),
    ],
    {
      to,
      keyState: 'valid',
      subscription: { title: 'Standard', offer: 'standard', running: true, begins: null, ends: null },
      offers: [{ reference: 'advanced', title: 'Advanced' }],
      includePrereleases: false,
    },
  );
  const base = { instance: 'prod', root: '/srv/glpi', from: '10.0.18', to, items };
  return {
    ...base,
    createdAt: '2025-06-15T12:00:00Z',
    catalogue: { fetchedAt: '2025-06-15T12:00:00Z', complete: true },
    counts: countVerdicts(items),
    steps: planSteps(base),
  };
}

async function openPlanner(options: { refuse?: boolean; hold?: Promise<void> } = {}) {
  const calls: { channel: string; req: unknown }[] = [];
  const waiting = new StoppableHold();
  const app = await renderApp({}, (harness) => {
    new FakePlugins(harness);
    const handlers = harness.core.handlers;
    handlers['plan.get'] = (req) => {
      calls.push({ channel: 'plan.get', req });
      if (options.refuse)
        return Promise.reject(new AppError('INVALID_INPUT', 'No valid registration key.', { fix: 'Set a key.' }));
      return Promise.resolve(makePlan(req.to));
    };
    handlers['plan.cancel'] = (req) => {
      calls.push({ channel: 'plan.cancel', req });
      return Promise.resolve({ cancelled: waiting.stop() });
    };
    handlers['plan.downloadAhead'] = async (req) => {
      calls.push({ channel: 'plan.downloadAhead', req });
      harness.core.events.emit('plan.progressed', { key: 'fields', version: '1.22.1', fraction: 0.5 });
      if (options.hold && (await waiting.wait(options.hold)) === 'stopped') {
        const stopped = { bytes: null, sha256: null, message: 'Stopped: not downloaded.', fix: null };
        return [
          { key: 'fields', version: '1.22.1', state: 'failed', ...stopped },
          { key: 'whitelabel', version: '3.7.1', state: 'failed', ...stopped },
        ] satisfies PlanDownload[];
      }
      const results: PlanDownload[] = [
        {
          key: 'fields',
          version: '1.22.1',
          state: 'downloaded',
          bytes: 10,
          sha256: 'a'.repeat(64),
          message: null,
          fix: null,
        },
        {
          key: 'whitelabel',
          version: '3.7.1',
          state: 'skipped',
          bytes: null,
          sha256: null,
          message: 'Needs Advanced: GLPI Network refuses this archive to this key.',
          fix: null,
        },
      ];
      return results;
    };
  });
  await app.user.click(screen.getByRole('link', { name: 'Planner' }));
  await screen.findByTestId('planner-screen');
  return { ...app, calls };
}

describe('Planner screen', () => {
  it('plans the target version: one verdict per plugin with its reason and tier, then the checklist', async () => {
    const { user, calls } = await openPlanner();
    expect(window.location.hash).toBe('#planner');
    const field = screen.getByLabelText('Target GLPI version');
    await user.clear(field);
    await user.type(field, '11.0.2');
    await user.click(screen.getByRole('button', { name: 'Make the plan' }));
    const table = await screen.findByRole('table', { name: 'Plugins with GLPI 11.0.2' });
    expect(calls[0]).toEqual({ channel: 'plan.get', req: { to: '11.0.2' } });
    const verdicts: Record<string, string | undefined> = {};
    for (const row of within(table).getAllByRole('row').slice(1))
      verdicts[row.dataset.testid ?? '?'] = row.dataset.verdict;
    expect(verdicts).toEqual({
      'planner-row-fields': 'needs',
      'planner-row-formcreator': 'absorbed',
      'planner-row-inhouse': 'unmanaged',
      'planner-row-ocs': 'none-yet',
      'planner-row-sso': 'keeps',
      'planner-row-whitelabel': 'needs',
    });
    const whitelabel = screen.getByTestId('planner-row-whitelabel');
    expect(whitelabel).toHaveTextContent('Needs a new version');
    expect(whitelabel).toHaveTextContent('Not included in your subscription: needs Advanced.');
    expect(within(whitelabel).getByTestId('tier-badge')).toHaveTextContent('Advanced');
    expect(screen.getByTestId('planner-row-formcreator')).toHaveTextContent(
      'php bin/console migration:formcreator_plugin_to_core',
    );
    expect(screen.getByTestId('planner-row-inhouse')).toHaveTextContent('Installed by hand in plugins/');
    const steps = screen.getByTestId('planner-steps');
    expect(within(steps).getAllByRole('listitem')).toHaveLength(7);
    expect(steps).toHaveTextContent('Back up the database');
    expect(steps).toHaveTextContent('marketdesk install fields@1.22.1');
  });

  it('copies the checklist and saves it as Markdown', async () => {
    const { user } = await openPlanner();
    await user.click(screen.getByRole('button', { name: 'Make the plan' }));
    await screen.findByTestId('planner-steps');
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    await user.click(screen.getByRole('button', { name: 'Copy checklist' }));
    expect(writeText.mock.calls[0]?.[0]).toContain('# Upgrade plan: prod, GLPI 10.0.18 → 11.0.2');
    expect(await screen.findByText('Checklist copied.')).toBeInTheDocument();
    const saved = captureSavedFiles('plan');
    try {
      screen.getByRole('button', { name: 'Save as Markdown' }).click();
      expect(saved.clicked[0]?.download).toBe('upgrade-plan-prod-glpi-11.0.2.md');
      expect(await readBlob(saved.blobs[0])).toContain('1. [ ] **Back up the database**');
    } finally {
      saved.restore();
    }
  });

  it('downloads ahead and shows each archive’s result', async () => {
    const { user, calls } = await openPlanner();
    await user.click(screen.getByRole('button', { name: 'Make the plan' }));
    await user.click(await screen.findByRole('button', { name: 'Download ahead' }));
    const results = await screen.findByTestId('planner-downloads');
    expect(calls.at(-1)).toEqual({ channel: 'plan.downloadAhead', req: { to: '11.0.2', instance: 'prod' } });
    expect(within(results).getByTestId('planner-download-fields')).toHaveAttribute('data-state', 'downloaded');
    expect(within(results).getByTestId('planner-download-whitelabel')).toHaveTextContent('skipped');
  });

  it('Stop, beside the progress, ends “Download ahead”: what was not downloaded says so', async () => {
    const { user, calls } = await openPlanner({ hold: new Promise<void>(() => undefined) });
    await user.click(screen.getByRole('button', { name: 'Make the plan' }));
    await user.click(await screen.findByRole('button', { name: 'Download ahead' }));
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    expect(calls.filter((c) => c.channel === 'plan.cancel')).toHaveLength(1);
    const results = await screen.findByTestId('planner-downloads');
    expect(within(results).getByTestId('planner-download-fields')).toHaveAttribute('data-state', 'failed');
    expect(within(results).getByTestId('planner-download-fields')).toHaveTextContent('Stopped: not downloaded.');
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Download ahead' })).toBeEnabled();
  });

  it('says why a plan could not be made, with the fix', async () => {
    const { user } = await openPlanner({ refuse: true });
    await user.click(screen.getByRole('button', { name: 'Make the plan' }));
    const alert = await screen.findByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent('No valid registration key.'));
    expect(alert).toHaveTextContent('Set a key.');
  });
});
