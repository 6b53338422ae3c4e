import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import type { FleetReport } from '../../shared/instances';
import type { ManifestApplyResult } from '../../shared/manifest-plan';
import { MANIFEST_SCHEMA_ID, manifestSchema, type Manifest } from '../../shared/manifest';
import { fakeGlpi, setupPhp } from '../core/testing-glpi.testkit';
import { EXIT } from './cli';
import { cliInstallation, pressCtrlC, standinPerTest } from './cli-harness.testkit';

const standin = standinPerTest();

/**
 * GLPI 10.0.18 with marketplace/fields 1.21.0 (older than the catalogue's 1.21.x), marketplace/
 * formcreator 2.13.10, marketplace/metabase 1.0.0 (listed in no manifest here) and plugins/tag
 * 2.9.0 (a folder Marketdesk does not manage).
 */
function tree(): string {
  const root = fakeGlpi();
  for (const dir of [
    'plugins/fields',
    'plugins/escalade',
    'plugins/broken',
    'marketplace/news',
    'marketplace/fields-master',
  ])
    rmSync(join(root, dir), { recursive: true, force: true });
  mkdirSync(join(root, 'marketplace/formcreator'));
  writeFileSync(join(root, 'marketplace/formcreator/setup.php'), setupPhp('formcreator', '2.13.10'));
  return root;
}

function manifestFile(m: Omit<Manifest, 'format'>, name = 'plugins.json'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'md-manifest-')), name);
  writeFileSync(file, JSON.stringify({ format: 1, ...m }));
  return file;
}

/** On tree(): update fields, install datainjection, downgrade formcreator, in that order. */
const THREE_STEPS = {
  plugins: [
    { key: 'fields', version: '~1.21.20' },
    { key: 'datainjection', version: '*' },
    { key: 'formcreator', version: '2.13.8' },
  ],
};

type Run = ReturnType<typeof cliInstallation>;

/** The versions GLPI would load, by key, as the instance's inventory reads them (through export). */
async function versions(run: Run): Promise<Record<string, string>> {
  const m = (await run(['manifest', 'export'])).json<Manifest>();
  return Object.fromEntries(m.plugins.map((p) => [p.key, p.version]));
}

async function setUp() {
  const run = cliInstallation(() => standin().url);
  await run(['key', 'set'], DEMO_KEYS.standard);
  const root = tree();
  expect((await run(['instance', 'add', root, '--name', 'prod'])).code).toBe(EXIT.ok);
  return { run, root };
}

describe('marketdesk manifest and apply', () => {
  it('exports what the instance has, and that export applied is nothing to do', async () => {
    const { run } = await setUp();
    const exported = await run(['manifest', 'export', '--instance', 'prod']);
    expect(exported.code).toBe(EXIT.ok);
    const m = exported.json<Manifest>();
    expect(m).toMatchObject({ format: 1, glpiVersion: '10.0.18' });
    expect(m.plugins).toEqual(
      expect.arrayContaining([
        { key: 'fields', version: '1.21.0', from: 'marketplace' },
        { key: 'formcreator', version: '2.13.10', from: 'marketplace' },
        { key: 'metabase', version: '1.0.0', from: 'marketplace' },
        { key: 'tag', version: '2.9.0', from: 'plugins' },
      ]),
    );
    const file = manifestFile(m);
    const plan = await run(['apply', file, '--plan', '--prune']);
    expect(plan.out).toBe('prod: nothing to do, it matches the manifest.\n');
    // The same as YAML: the same manifest, read back from a .yaml file.
    const yaml = await run(['manifest', 'export', '--yaml']);
    expect(yaml.code).toBe(EXIT.ok);
    expect(yaml.out).toMatch(/^\$schema: urn:marketdesk:manifest:1\nformat: 1\n/);
    expect(yaml.out).toContain('  - key: fields\n    version: 1.21.0\n');
    const yamlFile = join(mkdtempSync(join(tmpdir(), 'md-manifest-')), 'plugins.yaml');
    writeFileSync(yamlFile, yaml.out);
    expect((await run(['apply', yamlFile, '--plan', '--prune'])).out).toBe(
      'prod: nothing to do, it matches the manifest.\n',
    );
  });

  it('plans against drift: missing, older, newer, extra with and without --prune, and a range nothing satisfies', async () => {
    const { run } = await setUp();
    const file = manifestFile({
      plugins: [
        { key: 'fields', version: '~1.21.20' },
        { key: 'formcreator', version: '2.13.8' },
        { key: 'datainjection', version: '*' },
        { key: 'glpiinventory', version: '^9' },
        { key: 'tag', version: '>=2.9 <3', from: 'plugins' },
      ],
    });
    const plan = await run(['apply', file, '--plan']);
    expect(plan.code).toBe(EXIT.other); // an error line
    expect(plan.out.split('\n')).toEqual([
      'prod: 3 change(s)',
      'update    fields 1.21.0 → 1.21.23',
      'downgrade formcreator 2.13.10 → 2.13.8',
      'install   datainjection 2.13.5',
      'error     glpiinventory: no catalogue version satisfies ^9 (available for this GLPI: 1.0.6, 1.5.3, 1.5.4)',
      'Not in the manifest, kept (--prune removes them): metabase',
      '',
    ]);
    const pruned = await run(['apply', file, '--plan', '--prune', '--json']);
    expect(pruned.json<{ steps: unknown[] }>().steps.slice(-1)).toEqual([
      { action: 'remove', key: 'metabase', from: '1.0.0' },
    ]);
    // A plan with an error line changes nothing.
    const refused = await run(['apply', file]);
    expect(refused.code).toBe(EXIT.other);
    expect(refused.out).toContain('FAILED    error     glpiinventory');
    expect(await versions(run)).toEqual({ fields: '1.21.0', formcreator: '2.13.10', metabase: '1.0.0', tag: '2.9.0' });
  });

  it('applies a manifest, then a second apply has nothing to do', async () => {
    const { run, root } = await setUp();
    const file = manifestFile({
      plugins: [
        { key: 'fields', version: '~1.21.20' },
        { key: 'formcreator', version: '2.13.8' },
        { key: 'datainjection', version: '*' },
        { key: 'tag', version: '2.9.0' },
      ],
    });
    const first = await run(['apply', file, '--prune']);
    expect(first.err).toBe(
      '  update fields…\n  downgrade formcreator…\n  install datainjection…\n  remove metabase…\n',
    );
    expect(first.code).toBe(EXIT.ok);
    expect(first.out.split('\n')).toEqual([
      'prod:',
      'done      update    fields 1.21.0 → 1.21.23',
      'done      downgrade formcreator 2.13.10 → 2.13.8',
      'done      install   datainjection 2.13.5',
      'done      remove    metabase 1.0.0',
      '',
    ]);
    expect(await versions(run)).toEqual({
      fields: '1.21.23',
      formcreator: '2.13.8',
      datainjection: '2.13.5',
      tag: '2.9.0',
    });
    expect(existsSync(join(root, 'marketplace', 'metabase'))).toBe(false);
    const second = await run(['apply', file, '--prune']);
    expect(second.code).toBe(EXIT.ok);
    expect(second.out).toBe('prod: nothing to do, it matches the manifest.\n');
    const exported = (await run(['manifest', 'export'])).json<Manifest>();
    expect(exported.plugins.find((p) => p.key === 'datainjection')?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stops at the first failure: the steps before it are done, the ones after are not', async () => {
    const { run } = await setUp();
    standin().setFaults([{ fault: { mode: 'archive-404' }, path: '/downloads/datainjection/' }]);
    const file = manifestFile(THREE_STEPS);
    const r = await run(['apply', file]);
    expect(r.code).toBe(EXIT.other);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('prod:');
    expect(lines[1]).toBe('done      update    fields 1.21.0 → 1.21.23');
    expect(lines[2]).toMatch(/^FAILED {4}install {3}datainjection 2\.13\.5: .*404/);
    expect(lines.at(-2)).toBe('not done  downgrade formcreator 2.13.10 → 2.13.8');
    expect(await versions(run)).toEqual({ fields: '1.21.23', formcreator: '2.13.10', metabase: '1.0.0', tag: '2.9.0' });
    // Once the archive is served again, applying again makes only what is left.
    standin().setFaults([]);
    const again = await run(['apply', file]);
    expect(again.out.split('\n').slice(1, 3)).toEqual([
      'done      install   datainjection 2.13.5',
      'done      downgrade formcreator 2.13.10 → 2.13.8',
    ]);
  });

  it('Ctrl+C stops an apply: the step whose download hangs is not made, nor those after it', async () => {
    const { run } = await setUp();
    standin().setFaults([{ fault: { mode: 'stall' }, path: '/downloads/datainjection/' }]);
    const file = manifestFile(THREE_STEPS);
    const before = process.listeners('SIGINT');
    const applying = run(['apply', file]);
    await vi.waitFor(() =>
      expect(standin().requests.some((r) => r.path.startsWith('/downloads/datainjection/'))).toBe(true),
    );
    pressCtrlC(before);
    const r = await applying;
    expect(r.code).toBe(EXIT.other);
    expect(r.out.split('\n')).toEqual([
      'prod:',
      'done      update    fields 1.21.0 → 1.21.23',
      'FAILED    install   datainjection 2.13.5: Stopped: this step and the ones after it were not made.',
      'Fix: Apply the manifest again to make them.',
      'not done  downgrade formcreator 2.13.10 → 2.13.8',
      '',
    ]);
    expect(await versions(run)).toEqual({ fields: '1.21.23', formcreator: '2.13.10', metabase: '1.0.0', tag: '2.9.0' });
    expect(process.listeners('SIGINT')).toEqual(before);
  });

  it('installs an exact version only with the bytes its sha256 names', async () => {
    const { run, root } = await setUp();
    const wrong = 'f'.repeat(64);
    const refused = await run([
      'apply',
      manifestFile({ plugins: [{ key: 'datainjection', version: '2.13.5', sha256: wrong }] }),
    ]);
    expect(refused.code).toBe(EXIT.other);
    expect(refused.out).toMatch(/FAILED {4}install {3}datainjection 2\.13\.5: .*not f{64} as the manifest says/);
    expect(existsSync(join(root, 'marketplace', 'datainjection'))).toBe(false);
    // The right checksum: the one the stand-in's archive has (read back from an install elsewhere).
    const other = cliInstallation(() => standin().url);
    await other(['key', 'set'], DEMO_KEYS.standard);
    await other(['instance', 'add', tree()]);
    await other(['install', 'datainjection']);
    const sha256 = (await other(['manifest', 'export']))
      .json<Manifest>()
      .plugins.find((p) => p.key === 'datainjection')?.sha256;
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    const applied = await run([
      'apply',
      manifestFile({ plugins: [{ key: 'datainjection', version: '2.13.5', sha256 }] }),
    ]);
    expect(applied.code).toBe(EXIT.ok);
    expect(existsSync(join(root, 'marketplace', 'datainjection', 'setup.php'))).toBe(true);
  });

  it('stops at a version whose archive changed since it was pinned, until --accept-new-checksum names the new one', async () => {
    const { run } = await setUp();
    const file = manifestFile({ plugins: [{ key: 'genericobject', version: '1.9.1' }] });
    expect((await run(['apply', file])).code).toBe(EXIT.ok);
    // The author republishes 1.9.1 (this computer no longer has the first archive); a second
    // instance of the same installation asks for it.
    standin().republish('genericobject', '1.9.1');
    rmSync(join(run.dataDir, 'downloads'), { recursive: true, force: true });
    const second = tree();
    expect((await run(['instance', 'add', second, '--name', 'second'])).code).toBe(EXIT.ok);
    const refused = await run(['apply', file, '--instance', 'second', '--json']);
    expect(refused.code).toBe(EXIT.other);
    const failed = refused.json<ManifestApplyResult>().failed;
    const received = failed?.checksumChanged?.received ?? '';
    expect(failed?.checksumChanged).toMatchObject({ key: 'genericobject', version: '1.9.1', code: 'checksum-changed' });
    expect(received).toMatch(/^[0-9a-f]{64}$/);
    expect(failed?.checksumChanged?.pinned).not.toBe(received);
    // The JSON's fix names the file given, as the text does.
    expect(failed?.fix).toContain(`marketdesk apply ${file} --accept-new-checksum ${received}`);
    expect(existsSync(join(second, 'marketplace', 'genericobject'))).toBe(false);
    const said = await run(['apply', file, '--instance', 'second']);
    expect(said.out).toContain(`Fix: Ask the plugin author`);
    expect(said.out).toContain(`marketdesk apply ${file} --accept-new-checksum ${received}`);
    // Another checksum than the one received is no confirmation.
    const other = await run(['apply', file, '--instance', 'second', '--accept-new-checksum', 'a'.repeat(64)]);
    expect(other.code).toBe(EXIT.other);
    const trusted = await run(['apply', file, '--instance', 'second', '--accept-new-checksum', received]);
    expect(trusted.code).toBe(EXIT.ok);
    expect(existsSync(join(second, 'marketplace', 'genericobject', 'setup.php'))).toBe(true);
  });

  it('says where a manifest is wrong, and reads YAML', async () => {
    const { run } = await setUp();
    const bad = manifestFile({ plugins: [{ key: 'fields', version: '~' }] });
    const r = await run(['apply', bad, '--plan']);
    expect(r.code).toBe(EXIT.other);
    expect(r.err).toContain('plugins[0].version: "~" is not a version or range term');
    const yaml = join(mkdtempSync(join(tmpdir(), 'md-manifest-')), 'plugins.yaml');
    writeFileSync(yaml, 'format: 1\nplugins:\n  - key: fields\n    version: "~1.21.20"\n');
    expect((await run(['apply', yaml, '--plan'])).out).toContain('update    fields 1.21.0 → 1.21.23');
  });

  it('shows drift in the fleet once a manifest is attached', async () => {
    const { run } = await setUp();
    const before = (await run(['fleet', '--json'])).json<FleetReport>();
    expect(before.rows[0]?.drift).toBeNull();
    const file = manifestFile({
      plugins: [
        { key: 'fields', version: '~1.21' },
        { key: 'datainjection', version: '*' },
        { key: 'formcreator', version: '>=2.13' },
        { key: 'tag', version: '2.9.0' },
      ],
    });
    expect((await run(['manifest', 'attach', file, '--instance', 'prod'])).code).toBe(EXIT.ok);
    const after = (await run(['fleet', '--json'])).json<FleetReport>();
    expect(after.rows[0]?.drift).toEqual([
      { key: 'datainjection', kind: 'missing', installed: null, wanted: '*' },
      { key: 'metabase', kind: 'extra', installed: '1.0.0', wanted: null },
    ]);
    await run(['manifest', 'detach', '--instance', 'prod']);
    expect((await run(['fleet', '--json'])).json<FleetReport>().rows[0]?.drift).toBeNull();
  });
});

describe('docs/manifest.schema.json', () => {
  it('is published with the fields the validator takes', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../docs/manifest.schema.json'), 'utf8')) as {
      $id: string;
      required: string[];
      properties: { plugins: { items: { properties: Record<string, unknown>; required: string[] } } };
    };
    expect(schema.$id).toBe(MANIFEST_SCHEMA_ID);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(manifestSchema.shape).sort());
    const items = schema.properties.plugins.items;
    expect(Object.keys(items.properties).sort()).toEqual(['active', 'from', 'key', 'sha256', 'version']);
    expect(items.required).toEqual(['key', 'version']);
  });
});
