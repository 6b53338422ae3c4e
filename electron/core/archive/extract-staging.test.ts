import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeFileSystem } from '../../adapters/node-file-system';
import type { FileSystem, NewFile } from '../ports';
import { Budget, DEFAULT_CAPS } from './extract-budget';
import { StagingWriter } from './extract-staging';

describe('StagingWriter.ready', () => {
  let dir = '';
  afterEach(() => fsp.rm(dir, { recursive: true, force: true }));

  it('waits for the next task to settle without adding a reaction to every task in flight', async () => {
    dir = await fsp.mkdtemp(join(tmpdir(), 'md-staging-'));
    // Batches that wait until released: every file stays in flight.
    const held: (() => void)[] = [];
    const fs: FileSystem = {
      ...nodeFileSystem,
      writeNewFiles: async (files: readonly NewFile[]) => {
        await new Promise<void>((resolve) => held.push(resolve));
        return nodeFileSystem.writeNewFiles!(files);
      },
    };
    const out = new StagingWriter(fs, dir, new Budget(DEFAULT_CAPS, 'plugin', 1024));
    for (let i = 0; i < 200; i++) out.writeFile(join(dir, `f${i}.php`), `f${i}.php`, Buffer.from(`<?php // ${i}`));

    const then = vi.spyOn(Promise.prototype, 'then');
    let waiting: Promise<void>;
    try {
      waiting = out.ready(); // 200 tasks in flight, over the cap: it waits
      // Promise.race over the tasks called `then` on each of them, at every call (once per entry).
      expect(then.mock.calls.length).toBeLessThan(5);
    } finally {
      then.mockRestore();
    }
    let resolved = false;
    void waiting.then(() => (resolved = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toBe(false);

    // Release the batches as they come: ready() resolves once few enough files are in flight.
    const release = setInterval(() => held.splice(0).forEach((r) => r()), 1);
    try {
      await waiting;
      await out.settle();
    } finally {
      clearInterval(release);
    }
    expect(await fsp.readFile(join(dir, 'f199.php'), 'utf8')).toBe('<?php // 199');
  });
});

describe('StagingWriter.target', () => {
  const out = (staging: string) => new StagingWriter(nodeFileSystem, staging, new Budget(DEFAULT_CAPS, 'plugin', 1024));

  it('joins validated segments under the staging folder, as posix.join would', () => {
    expect(out('/tmp/staging').target(['plugin', 'inc', 'a.php'], 'plugin/inc/a.php')).toBe(
      '/tmp/staging/plugin/inc/a.php',
    );
    expect(out('/').target(['plugin'], 'plugin/')).toBe('/plugin');
  });

  it('refuses any segment that could leave it or is not one segment (the last line behind validateEntryName)', () => {
    for (const parts of [[], ['..'], ['plugin', '..', '..'], ['.'], [''], ['a/../../b'], ['a\0b']]) {
      expect(() => out('/tmp/staging').target(parts, parts.join('/')), JSON.stringify(parts)).toThrow(
        expect.objectContaining({ code: 'path-traversal' }),
      );
    }
  });
});

describe('StagingWriter.writeCopy', () => {
  let dir = '';
  afterEach(() => fsp.rm(dir, { recursive: true, force: true }));

  it('copies bytes valid only during the call into a few reused buffers; every file comes out whole', async () => {
    dir = await fsp.mkdtemp(join(tmpdir(), 'md-staging-'));
    const buffers = new Set<ArrayBufferLike>();
    const fs: FileSystem = {
      ...nodeFileSystem,
      writeNewFiles: (files: readonly NewFile[]) => {
        for (const f of files) for (const d of f.data) buffers.add(d.buffer);
        return nodeFileSystem.writeNewFiles!(files);
      },
    };
    const out = new StagingWriter(fs, dir, new Budget(DEFAULT_CAPS, 'plugin', 1024));
    // One reader buffer, overwritten after each call, as the zip reader's is. 3 waves of 100 files
    // of 30-40 KB: 10 MB in all, through arenas of 2 MiB that come back once their files are written.
    const view = Buffer.alloc(40_000);
    const expected = new Map<string, Buffer>();
    for (let wave = 0; wave < 3; wave++) {
      for (let i = 0; i < 100; i++) {
        const name = `w${wave}-f${i}.png`;
        const bytes = view.subarray(0, 30_000 + i * 100).fill(wave * 100 + i);
        expected.set(name, Buffer.from(bytes));
        out.writeCopy(join(dir, name), name, bytes);
        view.fill(0xee); // the next read overwrites it
        if (out.busy()) await out.ready();
      }
      await out.settle();
    }
    for (const [name, bytes] of expected) expect((await fsp.readFile(join(dir, name))).equals(bytes), name).toBe(true);
    // Reused: at most what 8 MiB in flight needs (4 arenas), plus the one being filled.
    expect(buffers.size).toBeLessThanOrEqual(5);
  });

  it('a file over half an arena gets its own copy; without batches (SFTP) every file does', async () => {
    dir = await fsp.mkdtemp(join(tmpdir(), 'md-staging-'));
    const base: FileSystem = { ...nodeFileSystem };
    delete base.writeNewFiles;
    for (const fs of [nodeFileSystem, base]) {
      const sub = await fsp.mkdtemp(join(dir, 'out-'));
      const out = new StagingWriter(fs, sub, new Budget(DEFAULT_CAPS, 'plugin', 1024));
      const big = Buffer.alloc(1024 * 1024, 7);
      const small = Buffer.from('<?php // small');
      out.writeCopy(join(sub, 'big.png'), 'big.png', big);
      out.writeCopy(join(sub, 'small.php'), 'small.php', small);
      big.fill(0);
      small.fill(0);
      await out.settle();
      expect((await fsp.readFile(join(sub, 'big.png'))).equals(Buffer.alloc(1024 * 1024, 7))).toBe(true);
      expect(await fsp.readFile(join(sub, 'small.php'), 'utf8')).toBe('<?php // small');
    }
  });
});
