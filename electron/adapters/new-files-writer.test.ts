import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { writeNewFiles } from './new-files-writer';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'md-new-files-'));
  temps.push(d);
  return d;
}

/** This module as plain JavaScript in `dir`/writer.mjs, for a child process to import. */
function writeWriterModule(dir: string): void {
  const src = readFileSync(new URL('./new-files-writer.ts', import.meta.url), 'utf8');
  const js = ts.transpileModule(src, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
  writeFileSync(join(dir, 'writer.mjs'), js);
}

describe('writeNewFiles (the Node adapter: one worker thread)', () => {
  it('writes each file with exactly its bytes, even from views of a larger buffer, and its mode', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'inc'));
    // Chunks the way a decoder hands them out: windows onto one big buffer.
    const big = Buffer.alloc(256 * 1024, 0x61);
    big.write('<?php // one', 1000);
    const files = [
      { path: join(dir, 'setup.php'), data: [big.subarray(1000, 1012)], mode: 0o644 },
      { path: join(dir, 'inc', 'two.php'), data: [Buffer.from('<?php '), Buffer.from('// two')], mode: 0o600 },
      { path: join(dir, 'empty.txt'), data: [], mode: 0o644 },
    ];
    expect(await writeNewFiles(files)).toEqual([null, null, null]);
    expect(readFileSync(join(dir, 'setup.php'), 'utf8')).toBe('<?php // one');
    expect(readFileSync(join(dir, 'inc', 'two.php'), 'utf8')).toBe('<?php // two');
    expect(readFileSync(join(dir, 'empty.txt'))).toHaveLength(0);
    expect(statSync(join(dir, 'inc', 'two.php')).mode & 0o777).toBe(0o600);
  });

  it('gives each file its own outcome: an existing file (EEXIST) or a missing folder (ENOENT) fails alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'there.php'), 'before');
    const errors = await writeNewFiles([
      { path: join(dir, 'there.php'), data: [Buffer.from('after')], mode: 0o644 },
      { path: join(dir, 'missing', 'a.php'), data: [Buffer.from('x')], mode: 0o644 },
      { path: join(dir, 'fine.php'), data: [Buffer.from('ok')], mode: 0o644 },
    ]);
    expect(errors.map((e) => (e && 'code' in e ? e.code : null))).toEqual(['EEXIST', 'ENOENT', null]);
    expect(errors[0]).toBeInstanceOf(Error);
    // Exclusive: what was there is left as it was.
    expect(readFileSync(join(dir, 'there.php'), 'utf8')).toBe('before');
    expect(readFileSync(join(dir, 'fine.php'), 'utf8')).toBe('ok');
  });

  it('answers calls made at once, each with its own files', async () => {
    const dir = tempDir();
    const calls = Array.from({ length: 20 }, (_, i) =>
      writeNewFiles(
        Array.from({ length: 30 }, (_, j) => ({
          path: join(dir, `${i}-${j}.php`),
          data: [Buffer.from(`${i}:${j}`)],
          mode: 0o644,
        })),
      ),
    );
    const results = await Promise.all(calls);
    expect(results.flat().every((e) => e === null)).toBe(true);
    expect(readFileSync(join(dir, '17-29.php'), 'utf8')).toBe('17:29');
    expect(await writeNewFiles([])).toEqual([]);
  });

  it('does not keep the process alive, also in a process started with --input-type=module', () => {
    const dir = tempDir();
    writeWriterModule(dir);
    const target = join(dir, 'out.php');
    const code = `const { writeNewFiles } = await import(${JSON.stringify(join(dir, 'writer.mjs'))});
const errors = await writeNewFiles([{ path: ${JSON.stringify(target)}, data: [Buffer.from('done')], mode: 0o644 }]);
process.stdout.write(JSON.stringify(errors));`;
    // Without the unref the child would never exit: the timeout (SIGTERM) would end it.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.stderr).toBe('');
    expect([child.status, child.signal, child.stdout]).toEqual([0, null, '[null]']);
    expect(readFileSync(target, 'utf8')).toBe('done');
  });

  it('prepareNewFiles starts the thread at once, the next call uses it, and an idle one does not hold the process', () => {
    const dir = tempDir();
    writeWriterModule(dir);
    const target = join(dir, 'out.php');
    // Threads of this process (Linux): libuv's pool is started first, so only the writer's can appear.
    const code = `import { readdirSync, promises } from 'node:fs';
const { prepareNewFiles, writeNewFiles } = await import(${JSON.stringify(join(dir, 'writer.mjs'))});
await promises.stat('/');
const threads = () => readdirSync('/proc/self/task').length;
const before = threads();
prepareNewFiles();
const prepared = threads();
prepareNewFiles();
const again = threads();
const errors = await writeNewFiles([{ path: ${JSON.stringify(target)}, data: [Buffer.from('done')], mode: 0o644 }]);
process.stdout.write(JSON.stringify({ grew: prepared - before, again: again - prepared, written: threads() - prepared, errors }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ grew: 1, again: 0, written: 0, errors: [null] });
    expect(readFileSync(target, 'utf8')).toBe('done');
    // A thread prepared and never used: the process still ends by itself (no SIGTERM from the timeout).
    const idle = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { prepareNewFiles } = await import(${JSON.stringify(join(dir, 'writer.mjs'))}); prepareNewFiles();`,
      ],
      { encoding: 'utf8', timeout: 15_000 },
    );
    expect([idle.status, idle.signal, idle.stderr]).toEqual([0, null, '']);
  });
});
