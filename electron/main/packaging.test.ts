// Packaging (docs/packaging.md): electron-builder.yml, package.json's package scripts, the icons
// and the afterPack hook that sets the Electron fuses (docs/reliability-checklist.md SEC-9).
// electron-builder cannot run here (no Electron binary), so the hook runs against fake Electron
// binaries carrying a real fuse wire.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Arch, type AfterPackContext } from 'electron-builder';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { afterPack } from '../../build/after-pack.mjs';
import {
  RELEASE_FUSES,
  TEST_BUILD_ENV,
  TEST_FUSES,
  assertTestBuildTargets,
  electronBinaryPath,
  fuseWireProblems,
  isTestBuild,
  needsAdHocResign,
  toFuseConfig,
} from '../../build/fuses.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Target = string | { target: string; arch?: string | string[] };
interface PlatformConfig {
  target?: Target | Target[];
  icon?: string;
  artifactName?: string;
  executableName?: string;
  [key: string]: unknown;
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { output?: string; buildResources?: string };
  files?: string[];
  asar?: boolean;
  asarUnpack?: string | string[];
  afterPack?: string;
  electronFuses?: unknown;
  icon?: string;
  artifactName?: string;
  linux?: PlatformConfig;
  win?: PlatformConfig;
  mac?: PlatformConfig;
  [key: string]: unknown;
}
interface PackageJson {
  name: string;
  productName: string;
  version: string;
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

function targetNames(platform: PlatformConfig | undefined): string[] {
  const targets = platform?.target === undefined ? [] : [platform.target].flat();
  return targets.map((t) => (typeof t === 'string' ? t : t.target));
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), file).toBe(true);
  expect(png.toString('ascii', 12, 16), file).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('builds AppImage and deb on Linux, an NSIS installer on Windows, a dmg on macOS', () => {
    expect(targetNames(config.linux)).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win)).toEqual(['nsis']);
    expect(targetNames(config.mac)).toEqual(['dmg']);
  });

  it('names the app like package.json does', () => {
    expect(config.appId).toBe('org.marketdesk.app');
    expect(config.productName).toBe('Marketdesk');
    expect(pkg.productName).toBe(config.productName);
    expect(config.linux?.executableName).toBe(pkg.name);
  });

  it('puts the version in every artifact name', () => {
    expect(config.artifactName).toContain('${version}');
    // A per-target override would win over the top-level one: none may drop the version.
    for (const [key, value] of Object.entries(config)) {
      const section = value as { artifactName?: unknown } | null;
      if (key !== 'artifactName' && section && typeof section === 'object' && 'artifactName' in section)
        expect(section.artifactName, key).toContain('${version}');
    }
  });

  it('packs the app into an asar archive, keytar (native) unpacked next to it', () => {
    expect(config.asar).toBe(true);
    expect([config.asarUnpack ?? []].flat()).toContain('node_modules/keytar/**');
    expect(pkg.dependencies).toHaveProperty('keytar');
  });

  it('packs the built app and its entry point, without source maps or the test tools', () => {
    expect(config.directories).toEqual({ output: 'release', buildResources: 'build' });
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', '!dist/**/*.map', 'package.json']));
    expect(config.files).toEqual(expect.arrayContaining(['!dist/node/standin.js', '!dist/node/bench.js']));
    expect(pkg.main).toMatch(/^dist\/node\/[^*]+\.js$/);
  });

  it('sets the fuses in the afterPack hook only, not in electron-builder’s own electronFuses', () => {
    expect(config.afterPack).toBe('./build/after-pack.mjs');
    expect(existsSync(join(root, config.afterPack ?? ''))).toBe(true);
    expect(config).not.toHaveProperty('electronFuses');
  });

  it('has an icon of its own: a square PNG of at least 512x512, and the Linux set', () => {
    expect(config.icon).toBe('build/icon.png');
    const { width, height } = pngSize(join(root, config.icon ?? ''));
    expect(width).toBeGreaterThanOrEqual(512);
    expect(height).toBe(width);

    expect(config.linux?.icon).toBe('build/icons');
    const linuxIcons = readdirSync(join(root, config.linux?.icon ?? ''));
    expect(linuxIcons).toEqual(expect.arrayContaining(['256x256.png', '512x512.png']));
    for (const name of linuxIcons) {
      const size = Number(/^(\d+)x\1\.png$/.exec(name)?.[1]);
      expect(pngSize(join(root, 'build/icons', name)), name).toEqual({ width: size, height: size });
    }
  });
});

describe('package.json scripts', () => {
  it('packages the release build with electron-builder after building', () => {
    expect(pkg.scripts.package).toMatch(/^npm run build && electron-builder\b/);
    expect(pkg.scripts.package).not.toContain(TEST_BUILD_ENV);
  });

  it('packages the test build unpacked (--dir) into its own folder, MARKETDESK_TEST_BUILD=1 set portably', () => {
    const script = pkg.scripts['package:test'] ?? '';
    expect(script).toMatch(/^npm run build && cross-env MARKETDESK_TEST_BUILD=1 electron-builder\b/);
    expect(script).toContain('--dir');
    expect(script).toContain('-c.directories.output=release/test');
    expect(pkg.devDependencies).toHaveProperty('cross-env');
    expect(pkg.devDependencies).toHaveProperty('@electron/fuses');
  });
});

describe('fuse maps', () => {
  const fuseNames = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));

  it('release: no Node entry points, encrypted cookies, asar only and checked, no file:// privileges', () => {
    expect(RELEASE_FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('test build: differs from the release only by EnableNodeCliInspectArguments on', () => {
    const differing = fuseNames.filter((name) => RELEASE_FUSES[name] !== TEST_FUSES[name]);
    expect(differing).toEqual(['EnableNodeCliInspectArguments']);
    expect(TEST_FUSES.EnableNodeCliInspectArguments).toBe(true);
  });

  it('sets every fuse the installed @electron/fuses knows, and only those', () => {
    expect(Object.keys(RELEASE_FUSES).sort()).toEqual([...fuseNames].sort());
    expect(Object.keys(TEST_FUSES).sort()).toEqual([...fuseNames].sort());
  });

  it('picks the map from MARKETDESK_TEST_BUILD, refusing values it does not know', () => {
    expect(isTestBuild({})).toBe(false);
    expect(isTestBuild({ MARKETDESK_TEST_BUILD: '' })).toBe(false);
    expect(isTestBuild({ MARKETDESK_TEST_BUILD: '0' })).toBe(false);
    expect(isTestBuild({ MARKETDESK_TEST_BUILD: '1' })).toBe(true);
    expect(() => isTestBuild({ MARKETDESK_TEST_BUILD: 'true' })).toThrow(/must be 1/);
  });

  it('makes the test build only as an unpacked folder, never an installer', () => {
    expect(() => assertTestBuildTargets(['dir'])).not.toThrow();
    expect(() => assertTestBuildTargets(['AppImage', 'deb'])).toThrow(/use --dir, not AppImage, deb/);
  });

  it('turns names into @electron/fuses indexes and refuses unknown names', () => {
    expect(toFuseConfig({ RunAsNode: false, OnlyLoadAppFromAsar: true }, FuseV1Options, '1', false)).toEqual({
      version: '1',
      resetAdHocDarwinSignature: false,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
    });
    expect(() => toFuseConfig({ RunAsNod: false }, FuseV1Options, '1', false)).toThrow(/no fuse named RunAsNod/);
  });

  it('reports fuses read back in the wrong state, removed, missing or unknown', () => {
    const wire = (states: string) => ({
      version: '1',
      ...Object.fromEntries([...states].map((c, i) => [i, c.charCodeAt(0)])),
    });
    expect(fuseWireProblems(wire('010011001'), RELEASE_FUSES, FuseV1Options)).toEqual([]);
    expect(fuseWireProblems(wire('110011001'), RELEASE_FUSES, FuseV1Options)).toEqual([
      'RunAsNode is enabled, expected disabled',
    ]);
    expect(fuseWireProblems(wire('01001100r'), RELEASE_FUSES, FuseV1Options)).toEqual([
      'WasmTrapHandlers is removed, expected enabled',
    ]);
    expect(fuseWireProblems(wire('01001100'), RELEASE_FUSES, FuseV1Options)).toEqual([
      "WasmTrapHandlers (fuse 8) is not in this Electron's fuse wire",
    ]);
    expect(fuseWireProblems(wire('0100110011'), RELEASE_FUSES, FuseV1Options)).toEqual([
      'fuse 9 is unknown (state 1): review it and update build/fuses.mjs',
    ]);
  });
});

describe('where the hook finds the Electron binary', () => {
  const base = { appOutDir: join('out', 'x'), productFilename: 'Marketdesk', executableName: 'marketdesk' };

  it('is the executable on Linux, the .exe on Windows, the .app bundle on macOS', () => {
    expect(electronBinaryPath({ ...base, electronPlatformName: 'linux' })).toBe(join('out', 'x', 'marketdesk'));
    expect(electronBinaryPath({ ...base, electronPlatformName: 'win32' })).toBe(join('out', 'x', 'Marketdesk.exe'));
    expect(electronBinaryPath({ ...base, electronPlatformName: 'darwin' })).toBe(join('out', 'x', 'Marketdesk.app'));
    expect(electronBinaryPath({ ...base, electronPlatformName: 'mas' })).toBe(join('out', 'x', 'Marketdesk.app'));
    expect(() => electronBinaryPath({ ...base, electronPlatformName: 'linux', executableName: undefined })).toThrow();
    expect(() => electronBinaryPath({ ...base, electronPlatformName: 'freebsd' })).toThrow(/freebsd/);
  });

  it('re-signs ad hoc after patching only arm64 and universal macOS builds', () => {
    expect(needsAdHocResign('darwin', 'arm64')).toBe(true);
    expect(needsAdHocResign('darwin', 'universal')).toBe(true);
    expect(needsAdHocResign('darwin', 'x64')).toBe(false);
    expect(needsAdHocResign('linux', 'arm64')).toBe(false);
    expect(needsAdHocResign('win32', 'arm64')).toBe(false);
  });
});

// A stand-in for an Electron binary: filler around the fuse sentinel, wire version 1 and Electron
// 45's nine fuses at their defaults (RunAsNode, NodeOptions, NodeCliInspect, GrantFileProtocol
// and WasmTrapHandlers on).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_DEFAULT_WIRE = '101100011';

function fakeElectron(file: string, wire = ELECTRON_DEFAULT_WIRE): void {
  mkdirSync(dirname(file), { recursive: true });
  const filler = Buffer.alloc(4096, 0x90);
  writeFileSync(
    file,
    Buffer.concat([filler, Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), filler]),
  );
}

function wireOf(file: string): string {
  const binary = readFileSync(file);
  const at = binary.indexOf(SENTINEL) + SENTINEL.length;
  return binary.toString('ascii', at + 2, at + 2 + binary[at + 1]!);
}

describe('the afterPack hook on a fake Electron binary', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function context(electronPlatformName: string, arch: Arch, targets = ['dir']): AfterPackContext {
    const appOutDir = mkdtempSync(join(tmpdir(), 'marketdesk-afterpack-'));
    dirs.push(appOutDir);
    return {
      appOutDir,
      electronPlatformName,
      arch,
      outDir: dirname(appOutDir),
      targets: targets.map((name) => ({ name })),
      packager: { appInfo: { productFilename: 'Marketdesk' }, executableName: 'marketdesk' },
    } as unknown as AfterPackContext;
  }

  // RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyAsar, V8Snapshot,
  // GrantFileProtocol, WasmTrapHandlers.
  const RELEASE_WIRE = '010011001';
  const TEST_WIRE = '010111001';

  it('flips the release fuses of the Linux executable', async () => {
    const ctx = context('linux', Arch.x64, ['AppImage', 'deb']);
    const binary = join(ctx.appOutDir, 'marketdesk');
    fakeElectron(binary);
    await afterPack(ctx, {});
    expect(wireOf(binary)).toBe(RELEASE_WIRE);
    // And as @electron/fuses' own reader (what `npx @electron/fuses read` prints) sees them.
    const read = await getCurrentFuseWire(binary);
    expect(read[FuseV1Options.RunAsNode]).toBe('0'.charCodeAt(0));
    expect(read[FuseV1Options.OnlyLoadAppFromAsar]).toBe('1'.charCodeAt(0));
  });

  it('makes the test build with MARKETDESK_TEST_BUILD=1: only NodeCliInspect differs', async () => {
    const ctx = context('linux', Arch.x64);
    const binary = join(ctx.appOutDir, 'marketdesk');
    fakeElectron(binary);
    await afterPack(ctx, { MARKETDESK_TEST_BUILD: '1' });
    expect(wireOf(binary)).toBe(TEST_WIRE);
  });

  it('patches Marketdesk.exe on Windows', async () => {
    const ctx = context('win32', Arch.x64, ['nsis']);
    const binary = join(ctx.appOutDir, 'Marketdesk.exe');
    fakeElectron(binary);
    await afterPack(ctx, {});
    expect(wireOf(binary)).toBe(RELEASE_WIRE);
  });

  it('patches the Electron Framework inside Marketdesk.app on macOS', async () => {
    const ctx = context('darwin', Arch.x64, ['dmg']);
    const framework = join(
      ctx.appOutDir,
      'Marketdesk.app/Contents/Frameworks/Electron Framework.framework/Electron Framework',
    );
    fakeElectron(framework);
    await afterPack(ctx, {});
    expect(wireOf(framework)).toBe(RELEASE_WIRE);
  });

  it('refuses a test build packaged as installers, leaving the binary as it was', async () => {
    const ctx = context('linux', Arch.x64, ['AppImage']);
    const binary = join(ctx.appOutDir, 'marketdesk');
    fakeElectron(binary);
    await expect(afterPack(ctx, { MARKETDESK_TEST_BUILD: '1' })).rejects.toThrow(/use --dir/);
    expect(wireOf(binary)).toBe(ELECTRON_DEFAULT_WIRE);
  });

  it('fails the build when the Electron has a fuse nobody decided on', async () => {
    const ctx = context('linux', Arch.x64);
    const binary = join(ctx.appOutDir, 'marketdesk');
    fakeElectron(binary, `${ELECTRON_DEFAULT_WIRE}1`);
    await expect(afterPack(ctx, {})).rejects.toThrow(/fuse 9 is unknown/);
  });
});
