import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackups } from './backups.js';
import { InstallError } from './errors.js';
import { nodeFileSystem } from '../../adapters/node-file-system.js';
import { faultyFs } from './install-fs.js';
import { journalPath } from './journal.js';
import { recover, SimulatedCrash, SWAP_POINTS, swapIn, type SwapPoint } from './swap.js';
import { fakeGlpi, treeHash, workAreaLeftovers, writePlugin, type FakeGlpi } from './testing-install.testkit.js';

let g: FakeGlpi;
let staged: string;
let stagingRoot: string;
beforeEach(async () => {
  g = await fakeGlpi();
  await writePlugin(join(g.marketplaceDir, 'fields'), 'fields', '1.21.0');
  // Staging and backups in GLPI's data folder (places.ts, same file system): the new default.
  stagingRoot = join(area(), 'staging-test');
  staged = join(stagingRoot, 'fields');
  await writePlugin(staged, 'fields', '1.21.10');
});
afterEach(() => g.cleanup());

const area = (): string => join(g.varDir, '_marketdesk');
const leftovers = (): Promise<string[]> => workAreaLeftovers(g.marketplaceDir, area());
const recoverHere = () =>
  recover({
    fs: nodeFileSystem,
    marketplaceDir: g.marketplaceDir,
    workDirs: [join(g.marketplaceDir, '.marketdesk'), area()],
  });
const versionAt = async (dir: string): Promise<string> =>
  (await fsp.readFile(join(dir, 'setup.php'), 'utf8')).match(/'(\d[^']*)'/)![1]!;
const opts = (extra: Partial<Parameters<typeof swapIn>[0]> = {}): Parameters<typeof swapIn>[0] => ({
  fs: nodeFileSystem,
  marketplaceDir: g.marketplaceDir,
  key: 'fields',
  operation: 'update',
  stagedFolder: staged,
  stagingRoot,
  backupsDir: join(area(), 'backups', 'fields'),
  label: '1.21.0',
  to: '1.21.10',
  renameRetryDelaysMs: [],
  ...extra,
});

describe('swapIn', () => {
  it('puts the new folder in place and the old one in the backups, leaving no journal or staging', async () => {
    const r = await swapIn(opts());
    expect(await versionAt(join(g.marketplaceDir, 'fields'))).toBe('1.21.10');
    expect(r.backup).toMatch(/files\/_marketdesk\/backups\/fields\/1\.21\.0-\d{8}T\d{9}Z$/);
    expect(await versionAt(r.backup!)).toBe('1.21.0');
    expect(await leftovers()).toEqual([]);
  });

  it.each([
    [
      'EBUSY on the first rename',
      { op: 'rename' as const, path: /marketplace\/fields$/, errno: 'EBUSY' as const, times: Infinity },
    ],
    ['EPERM on the first rename', { op: 'rename' as const, path: /marketplace\/fields$/, errno: 'EPERM' as const }],
    ['EXDEV on the second rename', { op: 'rename' as const, path: 'staging-test', errno: 'EXDEV' as const }],
    ['ENOSPC writing the journal', { op: 'writeFile' as const, path: 'journal', errno: 'ENOSPC' as const }],
    ['ENOSPC recording old-moved', { op: 'writeFile' as const, path: 'journal', errno: 'ENOSPC' as const, nth: 2 }],
    [
      'ENOSPC recording new-moved (between the renames)',
      { op: 'writeFile' as const, path: 'journal', errno: 'ENOSPC' as const, nth: 3 },
    ],
  ])('%s: restores marketplace/ byte for byte and throws a swap error', async (_name, rule) => {
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const fs = faultyFs(nodeFileSystem, rule);
    const err = await swapIn(opts({ fs })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InstallError);
    expect((err as InstallError).step).toBe('swap');
    expect((err as InstallError).code).toBe(rule.errno);
    expect((err as InstallError).fix.length).toBeGreaterThan(20);
    expect(fs.fired.length).toBeGreaterThan(0);
    expect(await treeHash(g.marketplaceDir, ['.marketdesk'])).toBe(before);
    expect(await leftovers()).toEqual([]);
    expect(await listBackups(nodeFileSystem, g.backupRoots, 'fields')).toEqual([]);
  });

  it('retries a rename that is briefly busy (Windows antivirus) and succeeds', async () => {
    const fs = faultyFs(nodeFileSystem, { op: 'rename', path: /marketplace\/fields$/, errno: 'EBUSY', times: 2 });
    await swapIn(opts({ fs, renameRetryDelaysMs: [1, 1, 1] }));
    expect(await versionAt(join(g.marketplaceDir, 'fields'))).toBe('1.21.10');
  });

  it('keeps the journal when even the roll-back fails, and recover() finishes it later', async () => {
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const fs = faultyFs(nodeFileSystem, [
      { op: 'rename', path: 'staging-test', errno: 'EXDEV' },
      { op: 'rename', path: 'backups', errno: 'EBUSY' },
    ]);
    const err = (await swapIn(opts({ fs })).catch((e: unknown) => e)) as InstallError;
    expect(err.code).toBe('rollback-failed');
    expect(await fsp.stat(journalPath(g.marketplaceDir))).toBeTruthy();
    const report = await recoverHere();
    expect(report.action).toBe('rolled-back');
    expect(report.message).toBe('An interrupted update of fields (1.21.0 → 1.21.10) was rolled back to 1.21.0.');
    expect(await treeHash(g.marketplaceDir, ['.marketdesk'])).toBe(before);
  });

  it('installs a new plugin (no old folder, no backup) and removes one to the backups', async () => {
    await fsp.rm(join(g.marketplaceDir, 'fields'), { recursive: true });
    const r = await swapIn(opts({ operation: 'install', label: null }));
    expect(r.backup).toBeNull();
    const removed = await swapIn(
      opts({ operation: 'remove', stagedFolder: null, stagingRoot: null, label: '1.21.10' }),
    );
    await expect(fsp.stat(join(g.marketplaceDir, 'fields'))).rejects.toThrow();
    expect(await versionAt(removed.backup!)).toBe('1.21.10');
  });
});

/** Expected end state of a crash at `point`: rolled back (old in place) or forward (new in place). */
const FORWARD: Record<SwapPoint, boolean> = {
  'journal-written': false,
  'before-old-rename': false,
  'after-old-rename': false,
  'before-new-rename': false,
  'after-new-rename': true,
  'done-recorded': true,
};

describe('recover() after a crash (simulated in-process: no clean-up runs)', () => {
  it.each(SWAP_POINTS)('crash at %s', async (point) => {
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const crash = swapIn(
      opts({
        pause: (p) => {
          if (p === point) throw new SimulatedCrash(p);
        },
      }),
    );
    await expect(crash).rejects.toBeInstanceOf(SimulatedCrash);
    await expect(fsp.stat(journalPath(g.marketplaceDir))).resolves.toBeTruthy();
    const report = await recoverHere();
    await checkRecovered(point, before, report);
  });
});

async function checkRecovered(
  point: SwapPoint,
  before: string,
  report: Awaited<ReturnType<typeof recover>>,
): Promise<void> {
  expect(await leftovers()).toEqual([]);
  const backups = await listBackups(nodeFileSystem, g.backupRoots, 'fields');
  if (FORWARD[point]) {
    expect(report.action).toBe('rolled-forward');
    expect(report.message).toContain('was completed: 1.21.10 is in place; 1.21.0 is kept as a backup');
    expect(await versionAt(join(g.marketplaceDir, 'fields'))).toBe('1.21.10');
    expect(backups.map((b) => b.version)).toEqual(['1.21.0']);
  } else {
    expect(report.action).toBe('rolled-back');
    expect(report.message).toBe('An interrupted update of fields (1.21.0 → 1.21.10) was rolled back to 1.21.0.');
    expect(await treeHash(g.marketplaceDir, ['.marketdesk'])).toBe(before);
    expect(backups).toEqual([]);
  }
  // Idempotent: a second run finds nothing to do.
  expect((await recoverHere()).action).toBe('none');
}

/**
 * A real SIGKILL: the swap modules and the node FileSystem are transpiled (TypeScript's own
 * transpileModule; they import only node:* and each other) into a temp folder and run in a child `node` that kills itself at
 * the chosen point. Then recover() runs here, as the next start of the app would.
 */
describe('recover() after a real SIGKILL of a child process', () => {
  let childDir: string;
  beforeEach(async () => {
    childDir = join(g.root, 'child');
    await fsp.mkdir(childDir);
    await fsp.writeFile(join(childDir, 'package.json'), '{"type":"module"}');
    // The same layout as the sources (core/install, core/ports, adapters), so relative imports hold.
    const modules = ['install/install-fs', 'install/errors', 'install/journal', 'install/swap', 'ports'];
    const files = [...modules.map((m) => `core/${m}`), 'adapters/node-file-system', 'adapters/new-files-writer'];
    for (const name of files) {
      const src = await fsp.readFile(new URL(`../../${name}.ts`, import.meta.url), 'utf8');
      const out = ts.transpileModule(src, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      });
      await fsp.mkdir(join(childDir, name, '..'), { recursive: true });
      // Node's ESM loader wants the extension the sources leave out ('../core/ports').
      const js = out.outputText.replace(/(from '\.{1,2}\/[^']*?)(?<!\.js)'/g, "$1.js'");
      await fsp.writeFile(join(childDir, `${name}.js`), js);
    }
    await fsp.writeFile(
      join(childDir, 'child.mjs'),
      `import { swapIn } from './core/install/swap.js';
import { nodeFileSystem } from './adapters/node-file-system.js';
const o = JSON.parse(process.argv[2]);
await swapIn({ ...o, fs: nodeFileSystem, pause: (p) => { if (p === o.point) process.kill(process.pid, 'SIGKILL'); } });
process.stdout.write('finished');
`,
    );
  });

  it.each(SWAP_POINTS)('SIGKILL at %s', async (point) => {
    const before = await treeHash(g.marketplaceDir, ['.marketdesk']);
    const { fs: _fs, pause: _pause, ...plain } = opts();
    const child = spawnSync(process.execPath, [join(childDir, 'child.mjs'), JSON.stringify({ ...plain, point })], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toBe('');
    await expect(fsp.stat(journalPath(g.marketplaceDir))).resolves.toBeTruthy();
    const report = await recoverHere();
    await checkRecovered(point, before, report);
  });
});
