import { existsSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { sourceTree } from '../../e2e/standin/source-tree';
import { ArchiveError } from '../core/archive/archive-error';
import { Bunzip2CorruptError, Bunzip2TruncatedError, type Bunzip2Options } from '../core/archive/bunzip2';
import { bzip2, pseudoRandom } from '../core/archive/fixtures.testkit';
import { NATIVE_BZIP2_CANDIDATES, nativeBzip2Path, spawnNativeBunzip2, type NativeBunzip2 } from './native-bunzip2';

/** Every decoder program installed here (setup installs both): each faces every test below. */
const PROGRAMS = ['/usr/bin/lbzip2', '/usr/bin/bzip2'].filter((p) => existsSync(p));

/** Runs `input` through a native decoder; resolves with the output or rejects with the stream error. */
async function decode(
  program: string,
  input: Buffer,
  options: Bunzip2Options = {},
): Promise<{ out: Buffer; decoder: NativeBunzip2; error: unknown }> {
  const decoder = await spawnNativeBunzip2(program, options);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  const error = await pipeline(Readable.from([input]), decoder, sink).then(
    () => null,
    (err: unknown) => err,
  );
  return { out: Buffer.concat(chunks), decoder, error };
}

describe('native bzip2 decoder lookup', () => {
  it('is looked up at absolute paths only, lbzip2 first', () => {
    // Both, or the cases below would test less than they say (the fixtures need bzip2 anyway).
    expect(PROGRAMS, '`npm run setup` installs lbzip2 and bzip2').toEqual(['/usr/bin/lbzip2', '/usr/bin/bzip2']);
    for (const candidate of NATIVE_BZIP2_CANDIDATES) expect(candidate.startsWith('/')).toBe(true);
    expect(nativeBzip2Path()).toBe(PROGRAMS[0]);
  });
});

describe.each(PROGRAMS)('native decoder %s', (program) => {
  it('decodes, including concatenated streams, and exits 0', async () => {
    const a = pseudoRandom(300_000, 1);
    const b = Buffer.alloc(200_000, 7);
    const { out, decoder, error } = await decode(program, Buffer.concat([bzip2(a), bzip2(b)]));
    expect(error).toBeNull();
    expect(out.equals(Buffer.concat([a, b]))).toBe(true);
    expect(await decoder.exited).toEqual({ code: 0, signal: null });
  });

  it('reports every output chunk with the bytes its stdin took', async () => {
    const input = bzip2(pseudoRandom(500_000, 2));
    const seen: [number, number][] = [];
    const { out, error } = await decode(program, input, { onOutput: (d, c) => void seen.push([d, c]) });
    expect(error).toBeNull();
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)![0]).toBe(out.length);
    for (const [, consumed] of seen) expect(consumed).toBeLessThanOrEqual(input.length);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThan(seen[i - 1]![0]);
  });

  it('counts input as it is handed to bzip2: ordinary text fed in one piece never looks like a bomb', async () => {
    // 3 MB of plugin-like source text (bzip2 ratio ~9), written as one chunk: before issue 10 the
    // count grew only once the whole chunk was in the pipe, so the first reports said "900 KB out
    // of 0 bytes in".
    const text = Buffer.concat(
      sourceTree('demo', { textFiles: 200, textBytes: 3_000_000, binaryFiles: 0, binaryBytes: 0 }).map((f) => f.data),
    );
    const input = bzip2(text);
    const trueRatio = text.length / input.length;
    const seen: [number, number][] = [];
    const { out, error } = await decode(program, input, { onOutput: (d, c) => void seen.push([d, c]) });
    expect(error).toBeNull();
    expect(out.equals(text)).toBe(true);
    expect(seen.length).toBeGreaterThan(2);
    for (const [produced, handed] of seen) {
      expect(handed).toBeGreaterThan(0);
      expect(handed).toBeLessThanOrEqual(input.length);
      // A block is decoded only once bzip2 has read all of it: never far above the true ratio.
      expect(produced / handed).toBeLessThan(2 * trueRatio);
    }
  });

  const cases: [string, 'truncated' | 'corrupt', (b: Buffer) => Buffer][] = [
    ['cut in the middle', 'truncated', (b) => b.subarray(0, Math.floor(b.length / 2))],
    ['cut before its end-of-stream marker', 'truncated', (b) => b.subarray(0, b.length - 6)],
    ['empty', 'truncated', () => Buffer.alloc(0)],
    [
      'a flipped bit (CRC)',
      'corrupt',
      (b) => {
        const c = Buffer.from(b);
        c[Math.floor(c.length / 2)]! ^= 0x10;
        return c;
      },
    ],
    ['not bzip2 at all', 'corrupt', () => pseudoRandom(5000, 3)],
    ['trailing garbage after the end', 'corrupt', (b) => Buffer.concat([b, Buffer.from('garbage!')])],
    ['two trailing bytes', 'corrupt', (b) => Buffer.concat([b, Buffer.from('ab')])],
  ];
  it.each(cases)('%s → %s', async (_name, kind, damage) => {
    const { error, decoder } = await decode(program, damage(bzip2(pseudoRandom(200_000, 4))));
    expect(error).toBeInstanceOf(kind === 'truncated' ? Bunzip2TruncatedError : Bunzip2CorruptError);
    expect((await decoder.exited).signal).toBeNull();
  });

  it('an exit status other than 0 or 2 is an io failure', async () => {
    const decoder = await spawnNativeBunzip2('/bin/false');
    const error = await pipeline(
      Readable.from([Buffer.alloc(10)]),
      decoder,
      new Writable({ write: (_c, _e, cb) => cb() }),
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error).toMatchObject({ code: 'io' });
  });

  it('a binary that cannot be started is refused before anything is consumed', async () => {
    await expect(spawnNativeBunzip2('/nonexistent/bzip2')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a guard throwing from onOutput stops it: the error is the stream error and bzip2 is SIGKILLed', async () => {
    // 50 MiB of zeros: bzip2 cannot have finished when the first chunk comes out.
    const bomb = bzip2(Buffer.alloc(50 * 1024 * 1024));
    const stop = new ArchiveError('bomb', 'stop here');
    let calls = 0;
    const { error, decoder, out } = await decode(program, bomb, {
      onOutput: () => {
        calls++;
        throw stop;
      },
    });
    expect(error).toBe(stop);
    expect(calls).toBe(1);
    expect(out.length).toBe(0);
    expect(await decoder.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('destroying it (an abort) SIGKILLs bzip2', async () => {
    const decoder = await spawnNativeBunzip2(program);
    decoder.on('error', () => undefined);
    decoder.end(bzip2(Buffer.alloc(50 * 1024 * 1024))); // bzip2 reads 5000-byte blocks: end() lets it start
    await new Promise((resolve) => decoder.once('readable', resolve));
    decoder.destroy(new Error('aborted'));
    expect(await decoder.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
