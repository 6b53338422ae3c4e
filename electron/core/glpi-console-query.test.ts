import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../adapters/node-file-system';
import { nodeProcessRunner } from '../adapters/process-runner';
import { runConsoleStep } from './glpi-console';
import { commandNames, crossCheck, listCommands, listPlugins, parsePluginList } from './glpi-console-query';
import { consoleState } from './glpi-console-state';
import { detectInstance } from './glpi-instance';
import { readInventory } from './inventory';
import { consoleListJson, fakeGlpi11, fakePhp, GLPI11_COMMANDS, type PluginListRecord } from './testing-glpi.testkit';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});
function setup(answers: Parameters<typeof fakePhp>[0]) {
  const root = fakeGlpi11();
  const php = fakePhp(answers);
  temps.push(root, dirname(php));
  return {
    root,
    php,
    calls: () =>
      readFileSync(join(dirname(php), 'calls'), 'utf8')
        .trim()
        .split('\n'),
  };
}

const RECORDS: PluginListRecord[] = [
  { key: 'fields', name: 'Fields', version: '1.22.0', state: 'Enabled', install_method: 'Marketplace' },
  { key: 'tag', name: 'Tag', version: '2.13.0', state: 'To update', install_method: 'Manually installed' },
  { key: 'gone', name: 'Gone', version: '1.0.0', state: 'Error / to clean', install_method: 'Manually installed' },
];

describe("GLPI's console, asked", () => {
  it("lists the commands of Symfony's JSON descriptor, names and namespace entries (aliases) included", () => {
    const doc = JSON.parse(consoleListJson(['plugin:install'])) as { namespaces: { commands: string[] }[] };
    doc.namespaces[0]!.commands.push('glpi:plugin:install');
    expect(commandNames(doc)).toEqual(['glpi:plugin:install', 'plugin:install']);
    expect(commandNames({ nope: 1 })).toBeNull();
    expect(commandNames('text')).toBeNull();
  });

  it('runs php bin/console list --format=json from the root, past a PHP notice', async () => {
    const { root, php, calls } = setup({});
    const r = await listCommands(nodeProcessRunner, { php, root });
    expect(r).toEqual({ commands: [...GLPI11_COMMANDS].sort() });
    expect(calls()).toEqual(['bin/console list --format=json']);
  });

  it('says why when the console prints no JSON', async () => {
    const { root, php } = setup({ commands: null });
    expect(await listCommands(nodeProcessRunner, { php, root })).toEqual({
      commands: null,
      reason: 'bin/console list --format=json did not print JSON',
    });
  });

  it("reads plugin:list --format json as GLPI's ListCommand prints it", async () => {
    const { root, php, calls } = setup({ plugins: RECORDS });
    const r = await listPlugins(nodeProcessRunner, { php, root });
    expect(r.plugins?.map((p) => [p.key, p.state, p.marketplace])).toEqual([
      ['fields', 'activated', true],
      ['tag', 'to-update', false],
      ['gone', 'to-clean', false],
    ]);
    expect(calls()).toEqual(['bin/console plugin:list --format json']);
    expect(parsePluginList([{ key: 'x', state: 'Aktiviert' }])?.[0]).toMatchObject({
      state: 'unknown',
      stateLabel: 'Aktiviert',
    });
    expect(parsePluginList({})).toBeNull();
  });

  it('tells a database not up to date (GLPI 11 exit code 131) from other failures', async () => {
    const { root, php } = setup({ pluginListExit: 131 });
    expect(await listPlugins(nodeProcessRunner, { php, root })).toMatchObject({
      plugins: null,
      dbOutdated: true,
      reason: expect.stringMatching(/database is not up to date/) as string,
    });
  });

  it('cross-checks the database against the copy GLPI loads', async () => {
    const { root } = setup({});
    const info = await detectInstance(root, nodeFileSystem);
    const inventory = await readInventory(info, nodeFileSystem);
    const checked = crossCheck(parsePluginList(RECORDS) ?? [], inventory);
    expect(checked.map((p) => [p.key, p.mismatch])).toEqual([
      ['fields', null], // marketplace/fields 1.22.0 is loaded, plugins/fields 1.21.0 is shadowed
      ['tag', "GLPI's database has 2.13.0, the files in plugins/ are 2.14.0"],
      ['gone', 'GLPI knows this plugin but no plugin folder holds it'],
    ]);
  });
});

describe('the console state the Installed view shows', () => {
  async function stateOf(answers: Parameters<typeof fakePhp>[0]) {
    const { root, php, calls } = setup(answers);
    const info = await detectInstance(root, nodeFileSystem);
    const inventory = await readInventory(info, nodeFileSystem);
    const listed = await listCommands(nodeProcessRunner, { php, root });
    return { state: await consoleState(nodeProcessRunner, { php, root }, listed, inventory), calls };
  }

  it('offers resume once every plugin is up to date', async () => {
    const ready = await stateOf({
      plugins: [{ key: 'fields', name: 'Fields', version: '1.22.0', state: 'Enabled', install_method: 'Marketplace' }],
    });
    expect(ready.state.resume).toEqual({ offered: true, ready: true, reason: null });
    expect(ready.state.notes).toEqual([]);

    const pending = await stateOf({ plugins: RECORDS });
    expect(pending.state.resume).toMatchObject({ offered: true, ready: false });
    expect(pending.state.resume.reason).toMatch(/update of tag/);
  });

  it('does not offer resume before the database is updated, nor on a console without the command', async () => {
    const outdated = await stateOf({ pluginListExit: 131 });
    expect(outdated.state.plugins).toBeNull();
    expect(outdated.state.resume.reason).toMatch(/database is not up to date.*db:update/);

    const glpi10 = await stateOf({ commands: ['list', 'plugin:install', 'plugin:activate', 'plugin:list'] });
    expect(glpi10.state.resume).toEqual({ offered: false, ready: false, reason: null });

    const old = await stateOf({ commands: ['list', 'glpi:plugin:install'] });
    expect(old.state.plugins).toBeNull();
    expect(old.state.notes.join(' ')).toMatch(/no plugin:list command/);
    expect(old.calls()).toEqual(['bin/console list --format=json']); // plugin:list never tried
  });

  it('runs plugin:resume_execution through the console step, and names install by what the console lists', async () => {
    const { root, php, calls } = setup({});
    const base = { php, root, glpiVersion: '11.0.1', key: '', user: 'glpi', platform: 'linux' as const };
    const resumed = await runConsoleStep(nodeProcessRunner, { ...base, action: 'resume' });
    expect(resumed).toMatchObject({
      ok: true,
      exitCode: 0,
      message: 'GLPI resumed the execution of all active plugins.',
    });
    const refused = await runConsoleStep(nodeProcessRunner, { ...base, action: 'resume', commands: new Set(['list']) });
    expect(refused).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no plugin:resume_execution/) as string,
    });
    // A 10.0.5 version would say glpi:plugin:install, but this console lists plugin:install.
    await runConsoleStep(nodeProcessRunner, {
      ...base,
      glpiVersion: '10.0.5',
      action: 'install',
      key: 'fields',
      commands: new Set(['plugin:install']),
    });
    expect(calls()).toEqual([
      'bin/console plugin:resume_execution --no-interaction',
      'bin/console plugin:install --no-interaction --username=glpi fields',
    ]);
  });

  it('explains a resume refused because the database is not up to date', async () => {
    const { root, php } = setup({ resumeExit: 131 });
    const r = await runConsoleStep(nodeProcessRunner, {
      php,
      root,
      glpiVersion: '11.0.1',
      action: 'resume',
      key: '',
      user: 'glpi',
    });
    expect(r).toMatchObject({ ok: false, exitCode: 131, fix: expect.stringMatching(/db:update/) as string });
  });
});
