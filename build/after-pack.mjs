// electron-builder's afterPack hook (electron-builder.yml): flips Electron's fuses with
// @electron/fuses once the app is in place and before electron-builder signs it and makes the
// installers, then reads them back and fails the build if any is not as build/fuses.mjs says.
// Release build by default; MARKETDESK_TEST_BUILD=1 (npm run package:test) makes the test build.
import process from 'node:process';
import electronFuses from '@electron/fuses';
import electronBuilder from 'electron-builder';
import {
  assertTestBuildTargets,
  electronBinaryPath,
  fuseWireProblems,
  fusesFor,
  isTestBuild,
  needsAdHocResign,
  toFuseConfig,
} from './fuses.mjs';

const { flipFuses, getCurrentFuseWire, FuseV1Options, FuseVersion } = electronFuses;
const { Arch, log } = electronBuilder;

/**
 * @param {import('electron-builder').AfterPackContext} context
 * @param {Record<string, string | undefined>} [env]
 */
export async function afterPack(context, env = process.env) {
  const testBuild = isTestBuild(env);
  if (testBuild) assertTestBuildTargets(context.targets.map((target) => target.name));
  const fuses = fusesFor(env);
  const binary = electronBinaryPath({
    appOutDir: context.appOutDir,
    electronPlatformName: context.electronPlatformName,
    productFilename: context.packager.appInfo.productFilename,
    // Only the Linux packager has one (the executable's name, `marketdesk`).
    executableName: /** @type {{ executableName?: string }} */ (context.packager).executableName,
  });
  const archName = Arch[context.arch];
  log.info(
    { binary: log.filePath(binary), arch: archName, build: testBuild ? 'TEST (Node inspector on)' : 'release' },
    'flipping Electron fuses',
  );

  await flipFuses(
    binary,
    toFuseConfig(fuses, FuseV1Options, FuseVersion.V1, needsAdHocResign(context.electronPlatformName, archName)),
  );

  const problems = fuseWireProblems(await getCurrentFuseWire(binary), fuses, FuseV1Options);
  if (problems.length > 0) throw new Error(`Electron fuses of ${binary} are wrong:\n- ${problems.join('\n- ')}`);
}

export default afterPack;
