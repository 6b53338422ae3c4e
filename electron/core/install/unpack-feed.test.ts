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
});
