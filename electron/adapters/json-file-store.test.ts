import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileStore } from './json-file-store';

const dir = () => mkdtempSync(join(tmpdir(), 'md-store-'));

describe('JsonFileStore', () => {
  it('reads and writes dot paths in electron-store format (config.json, tab-indented)', () => {
    const d = dir();
    const store = new JsonFileStore(d);
    store.set('profiles.default.glpiVersion', '10.0.18');
    store.set('profiles.default.uid', 'abc');
    store.set('installId', 'id-1');
    expect(store.get('profiles.default')).toEqual({ glpiVersion: '10.0.18', uid: 'abc' });
    expect(new JsonFileStore(d).get('installId')).toBe('id-1');
    const text = readFileSync(join(d, 'config.json'), 'utf8');
    expect(text).toContain('\n\t"profiles": {');
    store.delete('profiles.default.uid');
    expect(store.get('profiles.default.uid')).toBeUndefined();
    expect(store.get('nothing.here')).toBeUndefined();
  });

  it('writes atomically: no temp file is left behind', () => {
    const d = dir();
    const store = new JsonFileStore(d);
    for (let i = 0; i < 20; i++) store.set(`k${i}`, i);
    expect(readdirSync(d)).toEqual(['config.json']);
  });

  it('keeps a corrupt file aside instead of overwriting it', () => {
    const d = dir();
    writeFileSync(join(d, 'config.json'), '{"profiles": {"default": ');
    const store = new JsonFileStore(d);
    expect(store.get('profiles')).toBeUndefined();
    store.set('installId', 'fresh');
    const names = readdirSync(d);
    expect(names).toContain('config.json');
    const corrupt = names.find((n) => n.startsWith('config.json.corrupt-'));
    expect(corrupt).toBeDefined();
    expect(readFileSync(join(d, corrupt ?? ''), 'utf8')).toBe('{"profiles": {"default": ');
  });
});
