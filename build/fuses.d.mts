// Types for build/fuses.mjs (plain JavaScript so electron-builder can load it without a compiler).

/** A fuse map: @electron/fuses `FuseV1Options` name to enabled. */
export type FuseMap = Readonly<Record<string, boolean>>;

/** @electron/fuses' `FuseV1Options` enum (name to index, index to name). */
export type FuseOptionsEnum = Readonly<Record<string, string | number>>;

export interface FuseConfig {
  version: string;
  resetAdHocDarwinSignature: boolean;
  [index: number]: boolean;
}

export declare const TEST_BUILD_ENV: 'MARKETDESK_TEST_BUILD';
export declare const RELEASE_FUSES: FuseMap;
export declare const TEST_FUSES: FuseMap;
export declare const UNNAMED_FUSES: Readonly<Record<number, { readonly name: string; readonly enabled: boolean }>>;

export declare function isTestBuild(env: Record<string, string | undefined>): boolean;
export declare function fusesFor(env: Record<string, string | undefined>): FuseMap;
export declare function assertTestBuildTargets(targetNames: readonly string[]): void;
export declare function electronBinaryPath(options: {
  appOutDir: string;
  electronPlatformName: string;
  productFilename: string;
  executableName?: string | undefined;
}): string;
export declare function needsAdHocResign(electronPlatformName: string, archName: string): boolean;
export declare function toFuseConfig(
  fuses: FuseMap,
  FuseV1Options: FuseOptionsEnum,
  version: string,
  resetAdHocDarwinSignature: boolean,
): FuseConfig;
export declare function fuseWireProblems(
  wire: Readonly<Record<string, string | number>>,
  fuses: FuseMap,
  FuseV1Options: FuseOptionsEnum,
): string[];
