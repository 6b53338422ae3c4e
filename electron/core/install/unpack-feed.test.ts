/**
 * The feed between the download and the early extraction: an extraction that stops reading, even
 * before its first read, must let the download go on (here it would wait forever for room).
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UnpackWhileDownloading } from './unpack-while-downloading';

describe('UnpackWhileDownloading', () => {
  it('lets the download go on when the extraction fails before reading anything', async () => {
    const tap = new UnpackWhileDownloading(
      {
        prepare: () => Promise.resolve('/staging'),
        // Fails at once, without ever asking for a chunk (as when the server is gone).
        extract: () => Promise.reject(new Error('ECONNRESET')),
      },
      undefined,
    );
    expect(await tap.start(8 * 1024 * 1024)).toBe(true);
    const head = gzipSync(Buffer.alloc(4096)); // a gzip header: unpacked as it arrives
    await tap.write(head);
    // Far more than the feed holds: each write would wait for room that never comes.
    for (let i = 0; i < 8; i++) await tap.write(new Uint8Array(1024 * 1024));
    tap.end();
    const outcome = await tap.outcome();
    expect(outcome && 'error' in outcome ? String(outcome.error) : null).toMatch(/ECONNRESET/);
  }, 10_000);
});

describe('the feed between the download and the extraction', () => {
  it('hands over what waits as one piece (up to 1 MiB), in order, byte for byte', async () => {
    let go!: () => void;
    const started = new Promise<void>((resolve) => (go = resolve));
    const pieces: Buffer[] = [];
    const tap = new UnpackWhileDownloading(
      {
        prepare: () => Promise.resolve('/staging'),
        extract: async (chunks) => {
          await started;
          for await (const chunk of chunks) pieces.push(Buffer.from(chunk));
          return { format: 'tar.gz', entries: 0, bytes: 0, topFolder: 'x' };
        },
      },
      undefined,
    );
    expect(await tap.start(4 * 1024 * 1024)).toBe(true);
    const sent = [gzipSync(Buffer.alloc(4096))];
    // The network's small pieces, written while the extraction is busy elsewhere.
    for (let i = 0; i < 20; i++) sent.push(Buffer.alloc(40 * 1024, i));
    for (const chunk of sent) await tap.write(chunk);
    go();
    tap.end();
    await tap.outcome();
    expect(Buffer.concat(pieces).equals(Buffer.concat(sent))).toBe(true);
    expect(pieces.length).toBeLessThan(4);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(1024 * 1024);
  });

  it('lends the memory of a merged piece again only once the extraction gives it back', async () => {
    let give!: (chunk: Uint8Array) => void;
    let iterator!: AsyncIterator<Uint8Array>;
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const tap = new UnpackWhileDownloading(
      {
        prepare: () => Promise.resolve('/staging'),
        extract: async (chunks, _root, _signal, giveBack) => {
          iterator = chunks[Symbol.asyncIterator]();
          give = giveBack;
          ready();
          await finished; // reads are driven by the test
          return { format: 'tar.gz', entries: 0, bytes: 0, topFolder: 'x' };
        },
      },
      undefined,
    );
    expect(await tap.start(64 * 1024 * 1024)).toBe(true);
    // A gzip header and enough bytes to tell the format: the extraction starts.
    await tap.write(gzipSync(Buffer.alloc(4096)));
    await tap.write(Buffer.alloc(40 * 1024));
    await started;
    const next = async (): Promise<Uint8Array> => {
      const step = await iterator.next();
      if (step.done) throw new Error('the feed ended early');
      return step.value;
    };
    await next(); // all that came before it started
    const fivePieces = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) await tap.write(Buffer.alloc(40 * 1024, i));
    };
    await fivePieces();
    const first = await next();
    await fivePieces();
    const second = await next();
    expect(first.length).toBe(5 * 40 * 1024);
    // The first is still held: the second has memory of its own.
    expect(second.buffer).not.toBe(first.buffer);
    give(second);
    await fivePieces();
    const third = await next();
    expect(third.buffer).toBe(second.buffer);
    expect(
      Buffer.from(third).equals(Buffer.concat(Array.from({ length: 5 }, (_, i) => Buffer.alloc(40 * 1024, i)))),
    ).toBe(true);
    tap.end();
    finish();
    await tap.outcome();
  });
});
