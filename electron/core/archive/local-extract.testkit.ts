import { nativeBunzip2 } from '../../adapters/native-bunzip2';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { extractArchive, type ExtractOptions, type ExtractResult } from './extract.js';

/** ExtractOptions for a staging folder on this machine: `fs` and `bzip2` default to the Node adapters. */
export type LocalExtractOptions = Omit<ExtractOptions, 'fs'> & Partial<Pick<ExtractOptions, 'fs'>>;

/** extractArchive with the Node file system and the system's bzip2, as the shells wire it. */
export function extractLocal(file: string, stagingDir: string, options: LocalExtractOptions): Promise<ExtractResult> {
  return extractArchive(file, stagingDir, { fs: nodeFileSystem, bzip2: nativeBunzip2, ...options });
}
