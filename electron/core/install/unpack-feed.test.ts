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
