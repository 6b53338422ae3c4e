import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyValueStore } from '../core/ports';

/** The part of an electron-store instance this adapter uses; a fake in tests. */
export interface ElectronStoreLike {
  readonly path: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/**
 * Options for `new Store(...)`: `<dataDir>/config.json`, one JSON object with dot-separated key
 * paths, tab-indented, which is exactly what JsonFileStore (browser shell, CLI) reads and writes.
 * Owner-only file mode, as the other shells write it.
 */
export function electronStoreOptions(dataDir: string) {
  return {
    cwd: dataDir,
    name: 'config',
    accessPropertiesByDotNotation: true,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  } as const;
}

export type CorruptHandler = (file: string) => void;

/** Keeps a file that is not valid JSON as `<file>.corrupt-<time>`, as JsonFileStore does. */
export const moveAside: CorruptHandler = (file) => renameSync(file, `${file}.corrupt-${Date.now()}`);

function isCorrupt(err: unknown): boolean {
  // conf parses with JSON.parse: a damaged file surfaces as a SyntaxError on every read.
  return err instanceof SyntaxError;
}

/**
 * Opens the store, moving a damaged config.json aside instead of refusing to start (conf throws
 * from its constructor when the file is not JSON and `clearInvalidConfig` is off).
 */
export function openElectronStore<S>(
  create: (options: ReturnType<typeof electronStoreOptions>) => S,
  dataDir: string,
  onCorrupt: CorruptHandler = moveAside,
): S {
  const options = electronStoreOptions(dataDir);
  try {
    return create(options);
  } catch (err) {
    if (!isCorrupt(err)) throw err;
    onCorrupt(join(dataDir, 'config.json'));
    return create(options);
  }
}

/**
 * The desktop shell's settings store over electron-store. Values are stored as JSON (a round trip
 * drops undefined and functions, turns dates into strings) so every shell reads back the same
 * thing; `set(key, undefined)` deletes, as JsonFileStore does.
 */
export class ElectronStoreKeyValueStore implements KeyValueStore {
  constructor(
    private readonly store: ElectronStoreLike,
    private readonly onCorrupt: CorruptHandler = moveAside,
  ) {}

  get<T>(key: string): T | undefined {
    return this.guard(() => this.store.get(key) as T | undefined);
  }

  set(key: string, value: unknown): void {
    const text = value === undefined ? undefined : JSON.stringify(value);
    // Nothing JSON can hold (undefined, a function): the key is removed rather than half-written.
    if (text === undefined) return this.delete(key);
    const json = JSON.parse(text) as unknown;
    this.guard(() => this.store.set(key, json));
  }

  delete(key: string): void {
    this.guard(() => this.store.delete(key));
  }

  /** A file damaged while running (another shell, a hand edit) is moved aside once, then retried. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (!isCorrupt(err)) throw err;
      this.onCorrupt(this.store.path);
      return fn();
    }
  }
}
