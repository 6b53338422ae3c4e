import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// electron-store is Conf plus Electron's default paths (it imports electron, so it cannot load in
// plain Node). Conf is its own dependency; with the same options it writes the same file.
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ElectronStoreKeyValueStore,
  electronStoreOptions,
  openElectronStore,
  type ElectronStoreLike,
} from './electron-store-kv';
import { JsonFileStore } from './json-file-store';

/** What electron-store does with its options before handing them to Conf. */
function confLikeElectronStore(dataDir: string): ElectronStoreLike {
  const { name, ...rest } = electronStoreOptions(dataDir);
  return new Conf({ ...rest, configName: name, projectVersion: '0.1.0' });
}

function fakeStore(): ElectronStoreLike & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    path: '/data/config.json',
    get: (k) => data.get(k),
    set: (k, v) => {
      if (v === undefined) throw new TypeError('Use `delete()` to clear values');
      data.set(k, v);
    },
    delete: (k) => void data.delete(k),
  };
}

describe('ElectronStoreKeyValueStore (fake store)', () => {
  it('gets, sets and deletes through the store', () => {
    const store = fakeStore();
    const kv = new ElectronStoreKeyValueStore(store);
    kv.set('profiles.default.glpiVersion', '10.0.18');
    expect(store.data.get('profiles.default.glpiVersion')).toBe('10.0.18');
    expect(kv.get<string>('profiles.default.glpiVersion')).toBe('10.0.18');
    kv.delete('profiles.default.glpiVersion');
    expect(kv.get('profiles.default.glpiVersion')).toBeUndefined();
  });

  it('stores JSON values: set(key, undefined) deletes, dates become strings, functions vanish', () => {
    const store = fakeStore();
    const kv = new ElectronStoreKeyValueStore(store);
    kv.set('a', 1);
    kv.set('a', undefined);
    expect(store.data.has('a')).toBe(false);
    kv.set('b', { at: new Date('2025-01-02T03:04:05Z'), f: () => 1, n: null });
    expect(store.data.get('b')).toEqual({ at: '2025-01-02T03:04:05.000Z', n: null });
    kv.set('c', () => 1);
    expect(store.data.has('c')).toBe(false);
  });

  it('moves a file damaged while running aside once and retries', () => {
    const store = fakeStore();
    let broken = true;
    store.get = (k) => {
      if (broken) throw new SyntaxError('Unexpected token } in JSON');
      return store.data.get(k);
    };
    const onCorrupt = vi.fn(() => {
      broken = false;
    });
    const kv = new ElectronStoreKeyValueStore(store, onCorrupt);
    expect(kv.get('x')).toBeUndefined();
    expect(onCorrupt).toHaveBeenCalledWith('/data/config.json');
  });

  it('lets other errors through', () => {
    const store = fakeStore();
    store.set = () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    const onCorrupt = vi.fn();
    expect(() => new ElectronStoreKeyValueStore(store, onCorrupt).set('a', 1)).toThrow('EACCES');
    expect(onCorrupt).not.toHaveBeenCalled();
  });
});

describe('electronStoreOptions', () => {
  it('writes <dataDir>/config.json with dot paths, owner-only, never silently cleared', () => {
    expect(electronStoreOptions('/data')).toEqual({
      cwd: '/data',
      name: 'config',
      accessPropertiesByDotNotation: true,
      clearInvalidConfig: false,
      configFileMode: 0o600,
    });
  });
});

describe('openElectronStore', () => {
  it('moves a damaged config.json aside and opens a fresh one', () => {
    const create = vi
      .fn()
      .mockImplementationOnce(() => {
        throw new SyntaxError('Unexpected end of JSON input');
      })
      .mockImplementationOnce(() => 'store');
    const onCorrupt = vi.fn();
    expect(openElectronStore(create, '/data', onCorrupt)).toBe('store');
    expect(onCorrupt).toHaveBeenCalledWith(join('/data', 'config.json'));
    expect(create).toHaveBeenCalledTimes(2);
  });

  it('does not hide other failures', () => {
    const onCorrupt = vi.fn();
    expect(() =>
      openElectronStore(
        () => {
          throw new Error('EACCES');
        },
        '/data',
        onCorrupt,
      ),
    ).toThrow('EACCES');
    expect(onCorrupt).not.toHaveBeenCalled();
  });
});

describe('ElectronStoreKeyValueStore over conf: same file as the other shells', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'md-estore-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('what the desktop app writes, the CLI and browser shell read, and back', () => {
    const desktop = new ElectronStoreKeyValueStore(openElectronStore(() => confLikeElectronStore(dir), dir));
    desktop.set('profiles.default.glpiVersion', '11.0.1');
    desktop.set('profiles.lab', { language: 'fr_FR', uid: 'abc' });

    const file = join(dir, 'config.json');
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(onDisk).toMatchObject({
      profiles: { default: { glpiVersion: '11.0.1' }, lab: { language: 'fr_FR', uid: 'abc' } },
    });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);

    const cli = new JsonFileStore(dir);
    expect(cli.get('profiles.default.glpiVersion')).toBe('11.0.1');
    expect(cli.get('profiles.lab.language')).toBe('fr_FR');

    cli.set('profiles.default.installMode', 'TARBALL');
    expect(desktop.get('profiles.default')).toEqual({ glpiVersion: '11.0.1', installMode: 'TARBALL' });
    desktop.delete('profiles.lab');
    expect(cli.get('profiles.lab')).toBeUndefined();
  });

  it('keeps a damaged config.json as config.json.corrupt-* and starts empty', () => {
    writeFileSync(join(dir, 'config.json'), '{"profiles": {"default": ');
    const kv = new ElectronStoreKeyValueStore(openElectronStore(() => confLikeElectronStore(dir), dir));
    expect(kv.get('profiles')).toBeUndefined();
    const kept = readdirSync(dir).filter((f) => f.startsWith('config.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, kept[0] ?? ''), 'utf8')).toBe('{"profiles": {"default": ');
  });

  it('recovers when another process damages the file while the app runs', () => {
    const kv = new ElectronStoreKeyValueStore(openElectronStore(() => confLikeElectronStore(dir), dir));
    kv.set('a', 1);
    writeFileSync(join(dir, 'config.json'), 'garbage');
    kv.set('b', 2);
    expect(kv.get('b')).toBe(2);
    expect(readdirSync(dir).some((f) => f.startsWith('config.json.corrupt-'))).toBe(true);
  });
});
