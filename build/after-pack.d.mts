// Types for build/after-pack.mjs (plain JavaScript so electron-builder can load it without a compiler).
import type { AfterPackContext } from 'electron-builder';

export declare function afterPack(context: AfterPackContext, env?: Record<string, string | undefined>): Promise<void>;
export default afterPack;
