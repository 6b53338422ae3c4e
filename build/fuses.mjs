// The Electron fuses Marketdesk ships with (docs/reliability-checklist.md SEC-9) and the pure helpers the
// afterPack hook (build/after-pack.mjs) is made of. Nothing but node:path is imported: the unit test
// (electron/main/packaging.test.ts) checks all of this without electron-builder or an Electron binary.
import { join } from 'node:path';

/** `MARKETDESK_TEST_BUILD=1` (set by `npm run package:test`) makes the build Playwright can drive. */
export const TEST_BUILD_ENV = 'MARKETDESK_TEST_BUILD';

/**
 * The release build's fuses, by their @electron/fuses (`FuseV1Options`) name. Every fuse that
 * @electron/fuses 1.8 can name is set explicitly, defaults included, so none is left to chance.
 */
export const RELEASE_FUSES = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node interpreter.
  RunAsNode: false,
  // Chromium's cookie store encrypted with the OS key. One-way: turning it off again corrupts the store.
  EnableCookieEncryption: true,
  // NODE_OPTIONS (--require, --inspect, ...) is ignored.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect/--inspect-brk and SIGUSR1 are ignored. On only in the test build: Playwright's
  // `_electron.launch` attaches through the Node inspector and cannot start the app without it.
  EnableNodeCliInspectArguments: false,
  // app.asar is checked against the header hash electron-builder embeds (Info.plist on macOS, a
  // resource of the .exe on Windows). Electron has no embedded integrity on Linux: no effect there.
  EnableEmbeddedAsarIntegrityValidation: true,
  // Only resources/app.asar is loaded, never an app/ folder placed next to it.
  OnlyLoadAppFromAsar: true,
  // Electron's default: there is no browser-process-specific V8 snapshot in this app.
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The UI comes from app://marketdesk (electron/main/app-protocol.ts), never from a file:// page.
  GrantFileProtocolExtraPrivileges: false,
});

/** The test build: the release build with the Node inspector arguments allowed, nothing else. */
export const TEST_FUSES = Object.freeze({ ...RELEASE_FUSES, EnableNodeCliInspectArguments: true });

/**
 * Fuses of Electron 45's wire that @electron/fuses 1.8 has no name for (2.x names them but needs
 * Node 22), by index, with the state they must be found in: Electron's default, left as it is.
 * Any other unnamed fuse fails the build: a newer Electron added it and someone must decide on it.
 */
export const UNNAMED_FUSES = Object.freeze({
  8: Object.freeze({ name: 'WasmTrapHandlers', enabled: true }),
});

const ENABLED = '1'.charCodeAt(0);
const DISABLED = '0'.charCodeAt(0);

/** Whether this is the test build. Anything but unset, empty, `0` or `1` is refused (typos included). */
export function isTestBuild(env) {
  const value = env[TEST_BUILD_ENV];
  if (value === undefined || value === '' || value === '0') return false;
  if (value === '1') return true;
  throw new Error(`${TEST_BUILD_ENV} must be 1 (test build) or unset (release build), not "${value}"`);
}

/** The fuse map for this build. */
export function fusesFor(env) {
  return isTestBuild(env) ? TEST_FUSES : RELEASE_FUSES;
}

/**
 * The test build keeps the Node inspector on, so it may only be an unpacked folder for Playwright
 * (`electron-builder --dir`), never an installer someone could ship.
 */
export function assertTestBuildTargets(targetNames) {
  const installers = targetNames.filter((name) => name !== 'dir');
  if (installers.length > 0)
    throw new Error(
      `${TEST_BUILD_ENV}=1 builds the test app (Node inspector on): use --dir, not ${installers.join(', ')}`,
    );
}

/**
 * The file @electron/fuses must patch for an electron-builder output folder: the .app bundle on
 * macOS (the fuses live in its Electron Framework), `<productFilename>.exe` on Windows, and the
 * executable on Linux, which electron-builder names `executableName` (lower-case package name by default).
 */
export function electronBinaryPath({ appOutDir, electronPlatformName, productFilename, executableName }) {
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${productFilename}.exe`);
    case 'linux':
      if (!executableName) throw new Error('The Linux packager has no executableName');
      return join(appOutDir, executableName);
    default:
      throw new Error(`No Electron binary location known for platform "${electronPlatformName}"`);
  }
}

/**
 * Patching the fuses breaks the ad-hoc signature every arm64 macOS binary must carry; it is
 * redone here, and replaced by the real signature when electron-builder signs afterwards.
 */
export function needsAdHocResign(electronPlatformName, archName) {
  return (electronPlatformName === 'darwin' || electronPlatformName === 'mas') && /^(arm64|universal)$/.test(archName);
}

/** The @electron/fuses config for a fuse map (names to `FuseV1Options` indexes); unknown names throw. */
export function toFuseConfig(fuses, FuseV1Options, version, resetAdHocDarwinSignature) {
  const config = { version, resetAdHocDarwinSignature };
  for (const [name, enabled] of Object.entries(fuses)) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`@electron/fuses has no fuse named ${name}`);
    config[index] = enabled;
  }
  return config;
}

/**
 * What is wrong with a fuse wire read back from the binary (`getCurrentFuseWire`: index to the
 * byte '0', '1' or 'r'): a named fuse not in the state asked for, or an unnamed fuse that is not
 * a known one in its default state. An empty list means the binary is as intended.
 */
export function fuseWireProblems(wire, fuses, FuseV1Options) {
  const problems = [];
  const expected = new Map();
  for (const [name, enabled] of Object.entries(fuses)) expected.set(FuseV1Options[name], { name, enabled });
  for (const [index, fuse] of Object.entries(UNNAMED_FUSES)) expected.set(Number(index), fuse);

  const indexes = Object.keys(wire)
    .filter((key) => /^\d+$/.test(key))
    .map(Number);
  for (const index of indexes) {
    const want = expected.get(index);
    const state = wire[index];
    if (!want) {
      problems.push(
        `fuse ${index} is unknown (state ${String.fromCharCode(state)}): review it and update build/fuses.mjs`,
      );
      continue;
    }
    if (state !== (want.enabled ? ENABLED : DISABLED))
      problems.push(`${want.name} is ${describe(state)}, expected ${want.enabled ? 'enabled' : 'disabled'}`);
  }
  for (const [index, want] of expected)
    if (!indexes.includes(index)) problems.push(`${want.name} (fuse ${index}) is not in this Electron's fuse wire`);
  return problems;
}

function describe(state) {
  if (state === ENABLED) return 'enabled';
  if (state === DISABLED) return 'disabled';
  if (state === 'r'.charCodeAt(0)) return 'removed';
  return `in state ${state}`;
}
