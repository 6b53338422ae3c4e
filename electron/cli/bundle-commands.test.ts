import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_KEYS } from '../../e2e/standin/standin';
import type { BundleCreateReport, BundleImportResult } from '../../shared/bundle';
import type { Manifest } from '../../shared/manifest';
import { copyBundle, flipByte, sentinelPerFile, sha256File } from '../core/bundle/testing-bundle.testkit';
import { fakeGlpi, GLPI10_CORE_FILES, glpiTree, setupPhp } from '../core/testing-glpi.testkit';
import { EXIT } from './cli';
import { cliInstallation, pressCtrlC, standinPerTest } from './cli-harness.testkit';

const standin = standinPerTest();
const network = sentinelPerFile();

/** The production GLPI: marketplace/fields 1.21.22 and genericobject 1.9.1, plugins/tag 2.9.0 (not managed). */
function production(): string {
  return glpiTree('md-prod-', {
    ...GLPI10_CORE_FILES,
    'marketplace/fields/setup.php': setupPhp('fields', '1.21.22'),
    'marketplace/genericobject/setup.php': setupPhp('genericobject', '1.9.1'),
    'plugins/tag/setup.php': setupPhp('tag', '2.9.0'),
  });
}

async function desk() {
  const run = cliInstallation(() => standin().url);
  await run(['key', 'set'], DEMO_KEYS.standard);
  expect((await run(['instance', 'add', production(), '--name', 'prod'])).code).toBe(EXIT.ok);
  return run;
}

/** A machine whose GLPI Network is the sentinel: no key, one GLPI 10.0.18 instance. */
async function site() {
  const run = cliInstallation(() => network().url);
  expect((await run(['instance', 'add', fakeGlpi(), '--name', 'offline'])).code).toBe(EXIT.ok);
  return run;
}

const outFile = (name = 'glpi-plugins.mdbundle') => join(mkdtempSync(join(tmpdir(), 'md-cli-bundle-')), name);

async function versions(run: ReturnType<typeof cliInstallation>): Promise<Record<string, string>> {
  const m = (await run(['manifest', 'export', '--instance', 'offline'])).json<Manifest>();
  return Object.fromEntries(m.plugins.map((p) => [p.key, p.version]));
}

describe('marketdesk bundle', () => {
  it('create --instance, inspect, import --plan, import --sha256, and a second import with nothing to do', async () => {
    const run = await desk();
    const out = outFile();
    const created = await run(['bundle', 'create', '--instance', 'prod', '-o', out]);
    expect(created.code).toBe(EXIT.ok);
    const sha = sha256File(out);
    expect(created.out.split('\n')).toEqual([
      expect.stringMatching(
        /^Wrote .*glpi-plugins\.mdbundle \(\d+ KB\): 2 plugin\(s\) for GLPI 10\.0\.18, from the instance "prod"\.$/,
      ),
      expect.stringMatching(/^ {2}fields 1\.21\.22 {2}sha256 [0-9a-f]{64}$/),
      expect.stringMatching(/^ {2}genericobject 1\.9\.1 {2}sha256 [0-9a-f]{64}$/),
      '  left out: tag 2.9.0: in plugins/, which Marketdesk does not manage',
      `SHA-256 of the bundle: ${sha}`,
      'Send this checksum over a channel you trust; on the offline machine, check and import with:',
      `  marketdesk bundle import glpi-plugins.mdbundle --sha256 ${sha}`,
      '',
    ]);
    expect(created.err).toContain('  downloading fields…');

    const offline = await site();
    const copy = copyBundle(out, 'glpi-plugins.mdbundle');
    const inspected = await offline(['bundle', 'inspect', copy, '--sha256', sha]);
    expect(inspected.code).toBe(EXIT.ok);
    expect(inspected.out).toContain('Verified: every archive matches bundle.json.');
    expect(inspected.out).toContain(`SHA-256 of the file: ${sha} (the one given)`);

    const plan = await offline(['bundle', 'import', copy, '--plan']);
    expect(plan.code).toBe(EXIT.ok);
    expect(plan.out.split('\n')).toEqual([
      `offline: 2 change(s) from ${copy} (SHA-256 ${sha})`,
      'update    fields 1.21.0 → 1.21.22',
      'install   genericobject 1.9.1',
      '',
    ]);
    expect((await versions(offline)).fields).toBe('1.21.0');

    const imported = await offline(['bundle', 'import', copy, '--sha256', sha]);
    expect(imported.code).toBe(EXIT.ok);
    expect(imported.out.split('\n')).toEqual([
      'offline:',
      'done      update    fields 1.21.0 → 1.21.22',
      'done      install   genericobject 1.9.1',
      '',
    ]);
    expect(imported.err).toContain('  verifying the bundle…');
    expect(imported.err).toContain('  installing genericobject…');
    expect(await versions(offline)).toMatchObject({ fields: '1.21.22', genericobject: '1.9.1' });
    const history = (await offline(['history', '--json'])).json<{ source?: { kind: string } }[]>();
    expect(history.map((h) => h.source?.kind)).toEqual(['bundle', 'bundle']);

    const again = await offline(['bundle', 'import', copy]);
    expect(again.out).toBe('offline: nothing to do, it has every plugin of the bundle at its version.\n');
    expect(network().connections()).toBe(0);
  });

  it('create --manifest (YAML), a premium plugin, --json; a tampered copy is refused with both checksums', async () => {
    const run = await desk();
    const dir = mkdtempSync(join(tmpdir(), 'md-cli-manifest-'));
    const manifest = join(dir, 'plugins.yaml');
    writeFileSync(manifest, 'format: 1\nplugins:\n  - key: metabase\n    version: "~4.10"\n');
    const out = outFile('premium.mdbundle');
    const created = await run([
      'bundle',
      'create',
      '--manifest',
      manifest,
      '--glpi-version',
      '10.0.18',
      '-o',
      out,
      '--json',
    ]);
    expect(created.code).toBe(EXIT.ok);
    const report = created.json<BundleCreateReport>();
    expect(report).toMatchObject({
      source: { kind: 'manifest', name: 'plugins.yaml' },
      entitlement: { offer: 'standard' },
    });
    expect(report.entries.map((e) => [e.key, e.version, e.premium])).toEqual([['metabase', '4.10.2', true]]);

    const offline = await site();
    const plan = await offline(['bundle', 'import', out, '--plan']);
    expect(plan.out).toContain('update    metabase 1.0.0 → 4.10.2');
    expect(plan.out).toContain('Premium plugins: entitled when the bundle was made by');

    const copy = copyBundle(out);
    await flipByte(copy, 'archives/metabase-4.10.2.tar.gz');
    const refused = await offline(['bundle', 'import', copy]);
    expect(refused.code).toBe(EXIT.other);
    expect(refused.err).toContain(`The archive of metabase 4.10.2 in ${copy} does not match bundle.json`);
    expect(refused.err).toContain(report.entries[0]!.sha256);
    expect(refused.err).toContain('Fix: Do not use this bundle.');
    expect((await versions(offline)).metabase).toBe('1.0.0');
    const inspected = await offline(['bundle', 'inspect', copy, '--json']);
    expect(inspected.code).toBe(EXIT.other);
    expect(inspected.json<{ verified: boolean }>().verified).toBe(false);

    const json = await offline(['bundle', 'import', out, '--json']);
    expect(json.json<BundleImportResult>().items[0]).toMatchObject({ key: 'metabase', state: 'done', premium: true });
  });

  it('says how to call it when a source or the output is missing', async () => {
    const run = await desk();
    const noSource = await run(['bundle', 'create', '-o', outFile()]);
    expect(noSource.code).toBe(EXIT.other);
    expect(noSource.err).toContain('marketdesk bundle create (--instance NAME | --manifest plugins.json)');
    expect((await run(['bundle', 'create', '--instance', 'prod'])).code).toBe(EXIT.other);
    expect((await run(['bundle', 'import'])).err).toContain('marketdesk bundle import FILE');
  });

  it('Ctrl+C stops a create whose download hangs: it says so, writes nothing, and leaves Ctrl+C as it was', async () => {
    const run = await desk();
    const out = outFile();
    // The archive's server accepts the request and never answers.
    standin().setFaults([{ fault: { mode: 'stall' }, path: '/downloads/' }]);
    const before = process.listeners('SIGINT');
    const created = run(['bundle', 'create', '--instance', 'prod', '-o', out]);
    await vi.waitFor(() => expect(standin().requests.some((r) => r.path.startsWith('/downloads/'))).toBe(true));
    pressCtrlC(before);
    const stopped = await created;
    expect(stopped.code).not.toBe(EXIT.ok);
    expect(stopped.err).toContain(`Cancelled: no bundle was written to ${out}.`);
    expect(stopped.err).toContain('Start it again when you are ready.');
    expect(existsSync(out)).toBe(false);
    // The handler is gone: a later Ctrl+C ends the process as usual.
    expect(process.listeners('SIGINT')).toEqual(before);
  });
});
