/**
 * The archive extraction into a staging folder on a server reached over SFTP (issue 11): the
 * archive stays on this machine (read through the Node file system), every folder and file is
 * created through the SFTP FileSystem. Real-shaped releases in the three formats come out whole;
 * hostile archives are refused with nothing written outside the staging folder.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArchive } from '../../../e2e/standin/archive-writers';
import type { ArchiveFormat } from '../../../e2e/standin/catalog-types';
import { releaseEntries } from '../../../e2e/standin/source-tree';
import { ArchiveError, extractArchive } from '../../core/archive/extract';
import { buildTar, buildZip, gzip, type TarEntrySpec } from '../../core/archive/fixtures.testkit';
import type { FileSystem } from '../../core/ports';
import { nativeBunzip2 } from '../native-bunzip2';
import { nodeFileSystem } from '../node-file-system';
import type { SshConnection } from './ssh-connect';
import { connectTestSshd, testSftpFileSystem, sshdUnavailable, startSshd, type TestSshd } from './testing-sshd.testkit';

const why = sshdUnavailable();
const KEY = 'fields';
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Every entry under `dir` (relative paths), files with their sha256, read on this side of SFTP. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const full = join(dir, name);
    const st = lstatSync(full);
    out.set(relative(dir, full), st.isFile() ? sha(readFileSync(full)) : st.isDirectory() ? 'dir' : 'other');
  }
  return out;
}

describe.skipIf(why !== null)(`extraction over SFTP on a real sshd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sshd: TestSshd;
  let conn: SshConnection;
  let fs: FileSystem;
  let local: string;
  let n = 0;
  const archives: Partial<Record<ArchiveFormat, string>> = {};
  const expected = new Map<string, string>();

  beforeAll(async () => {
    sshd = await startSshd();
    conn = await connectTestSshd(sshd);
    fs = await testSftpFileSystem(sshd, conn);
    local = await fsp.mkdtemp(join(os.tmpdir(), 'md-sftp-extract-'));
    // A release shaped like the real "fields": a few hundred PHP, JS, CSS files and pictures.
    const entries = releaseEntries(KEY, { textFiles: 160, textBytes: 500_000, binaryFiles: 6, binaryBytes: 200_000 });
    for (const e of entries) expected.set(e.path.replace(/\/$/, ''), e.type === 'file' ? sha(e.data) : 'dir');
    for (const format of ['tar.bz2', 'tar.gz', 'zip'] as const) {
      archives[format] = join(local, `${KEY}.${format}`);
      await fsp.writeFile(archives[format], await buildArchive(format, entries));
    }
  }, 60_000);
  afterAll(async () => {
    conn?.close();
    await sshd?.close();
    if (local) await fsp.rm(local, { recursive: true, force: true });
  });

  /** A fresh, empty staging folder on the server. */
  const staging = async (): Promise<string> => {
    const d = join(sshd.dir, `stage${n++}`);
    await fs.mkdir(d);
    return d;
  };

  it.each([
    ['tar.bz2', 'native'],
    ['tar.bz2', 'js'],
    ['tar.gz', 'native'],
    ['zip', 'native'],
  ] as const)(
    '%s (%s bzip2): every file arrives whole, with mode 0644',
    async (format, bzip2Decoder) => {
      const dir = await staging();
      const result = await extractArchive(archives[format]!, dir, {
        key: KEY,
        fs,
        archiveFs: nodeFileSystem,
        bzip2: nativeBunzip2,
        bzip2Decoder,
        // Small reads: many round trips of the pipeline, as a slow link would make them.
        readChunkBytes: 64 * 1024,
      });
      expect(result).toMatchObject({ format, topFolder: KEY, entries: expected.size });
      if (format === 'tar.bz2') expect(result.bzip2Decoder).toBe(bzip2Decoder);
      expect(tree(dir)).toEqual(expected);
      expect(lstatSync(join(dir, KEY, 'setup.php')).mode & 0o7777).toBe(0o644);
      // Written as the SSH user, through SFTP, not by this process.
      expect(lstatSync(join(dir, KEY, 'setup.php')).uid).toBe(sshd.uid);
    },
    60_000,
  );

  const hostile: [string, () => Buffer, string][] = [
    [
      'a ../ entry (tar.gz)',
      () => gzip(buildTar(ok([{ path: `${KEY}/../../escaped.txt`, data: 'x' }]))),
      'path-traversal',
    ],
    [
      'a symlink (tar.gz)',
      () => gzip(buildTar(ok([{ path: `${KEY}/out`, type: 'SymbolicLink', linkpath: '/etc/passwd' }]))),
      'link',
    ],
    [
      'a ../ entry (zip)',
      () =>
        buildZip([
          { name: `${KEY}/setup.php`, data: '<?php\n' },
          { name: `${KEY}/../../escaped.txt`, data: 'x' },
        ]),
      'path-traversal',
    ],
  ];

  it.each(hostile)('%s is refused, with nothing written outside staging', async (_name, build, code) => {
    const file = join(local, `hostile${n}`);
    await fsp.writeFile(file, build());
    const dir = await staging();
    const before = tree(sshd.dir);
    const err = await extractArchive(file, dir, { key: KEY, fs, archiveFs: nodeFileSystem }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).code).toBe(code);
    // Outside the staging folder nothing changed; inside, no link and nothing but files and folders.
    const after = tree(sshd.dir);
    const outside = (t: Map<string, string>): [string, string][] =>
      [...t].filter(([p]) => p !== relative(sshd.dir, dir) && !p.startsWith(`${relative(sshd.dir, dir)}/`));
    expect(outside(after)).toEqual(outside(before));
    expect([...tree(dir).values()].every((v) => v !== 'other')).toBe(true);
    expect(readdirSync(join(sshd.dir, '..')).includes('escaped.txt')).toBe(false);
  });
});

function ok(extra: TarEntrySpec[]): TarEntrySpec[] {
  return [{ path: `${KEY}/`, type: 'Directory' }, { path: `${KEY}/setup.php`, data: '<?php\n' }, ...extra];
}
