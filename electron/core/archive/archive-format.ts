/**
 * Archive format detection by magic bytes only (docs/reliability-checklist.md ARC-1). The file name is never consulted:
 * a `.zip` renamed `.tar.gz` is detected as a zip.
 */
export type ArchiveFormat = 'tar.gz' | 'tar.bz2' | 'zip' | 'tar';

/** Bytes a caller should read from the start of the file before calling {@link detectFormat}. */
export const FORMAT_SNIFF_BYTES = 512;

/**
 * Detects the archive format from the first bytes of the file (pass at least {@link FORMAT_SNIFF_BYTES}
 * bytes to also recognise an uncompressed tar).
 * - gzip: `1f 8b 08` (deflate is the only gzip method) → `'tar.gz'`
 * - bzip2: `"BZh"` + block size `'1'..'9'` → `'tar.bz2'`
 * - zip: `"PK\x03\x04"` (a local file header) → `'zip'`
 * - plain POSIX/GNU tar: `"ustar"` at offset 257 → `'tar'`
 * Anything else → `null`.
 */
export function detectFormat(head: Uint8Array): ArchiveFormat | null {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'tar.gz';
  if (head.length >= 4 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) {
    const level = head[3] ?? 0;
    if (level >= 0x31 && level <= 0x39) return 'tar.bz2';
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (hasUstarMagic(head)) return 'tar';
  return null;
}

/** True when a 512-byte tar header block carries the `ustar` magic at offset 257. */
export function hasUstarMagic(block: Uint8Array): boolean {
  if (block.length < 263) return false;
  // "ustar" followed by NUL (POSIX) or space (GNU "ustar  ").
  return (
    block[257] === 0x75 &&
    block[258] === 0x73 &&
    block[259] === 0x74 &&
    block[260] === 0x61 &&
    block[261] === 0x72 &&
    (block[262] === 0x00 || block[262] === 0x20)
  );
}
