import { describe, expect, it } from 'vitest';
import { english, ref } from '../../../shared/messages/ref';
import { ArchiveError } from '../archive/archive-error';
import { DownloadError } from '../download';
import { downloadErrorRefs, installErrorRefs } from './error-refs';
import { fixForErrno, fsFailure, InstallError } from './errors';
import { PinStore } from './pins';
import { nodeFileSystem } from '../../adapters/node-file-system';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const UNSAFE = 'This archive cannot be installed safely. Report it to the plugin author; do not unpack it by hand.';

describe('the references of an install failure', () => {
  it('names an archive refusal by its code and entry, with the fix the installer gives', () => {
    const cause = new ArchiveError('path-traversal', 'x', { entry: 'demo/../evil.php' });
    const refs = installErrorRefs(new InstallError('extract', 'path-traversal', 'x', UNSAFE, { cause }), 'demo');
    expect(refs.ref).toEqual({ id: 'install.archive', params: { code: 'path-traversal', entry: 'demo/../evil.php' } });
    expect(english(refs.fixRef!)).toBe(UNSAFE);
  });

  it('gives a changed archive checksum both checksums, its fix the one the installer writes', async () => {
    const pins = new PinStore(nodeFileSystem, mkdtempSync(join(tmpdir(), 'md-refs-')));
    const [a, b] = ['a'.repeat(64), 'b'.repeat(64)];
    await pins.record({ key: 'demo', version: '1.2', sha256: a, source: 'u', at: new Date() });
    const err = (await pins.check('demo', '1.2', b).catch((e: unknown) => e)) as InstallError;
    const refs = installErrorRefs(err, 'demo');
    expect(refs.ref).toEqual({
      id: 'install.checksum-changed',
      params: { plugin: 'demo', version: '1.2', pinned: a, received: b },
    });
    expect(english(refs.fixRef!)).toBe(err.fix);
  });

  it('gives a download failure its plugin, HTTP status and the offers it needs', () => {
    const err = new DownloadError('entitlement', 'refused', 'fix', {
      status: 403,
      requiredOffers: ['Premium', 'Elite'],
    });
    const refs = installErrorRefs(
      new InstallError('download', 'entitlement', 'refused', 'fix', { cause: err }),
      'demo',
    );
    expect(refs).toEqual(downloadErrorRefs(err, 'demo'));
    expect(english(refs.ref!)).toBe('The download of demo failed (entitlement, HTTP 403).');
    expect(refs.fixRef?.params).toEqual({ code: 'entitlement', offers: 'Premium, Elite' });
  });

  it('keeps the errno fix the installer writes as the English of its reference', () => {
    const err = fsFailure(
      'swap',
      Object.assign(new Error('full'), { code: 'ENOSPC' }),
      'write',
      '/srv/glpi/marketplace',
    );
    const refs = installErrorRefs(err, 'demo');
    expect(refs.ref).toEqual({ id: 'install.io', params: { errno: 'ENOSPC' } });
    expect(english(refs.fixRef!)).toBe(err.fix);
    expect(err.fix).toBe(
      'The disk holding /srv/glpi/marketplace is full (or your quota is reached). Free some space, then try again.',
    );
  });

  it.each(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EBUSY', 'EXDEV', 'EROFS', 'EIO'])(
    'says in English what fixForErrno says for %s',
    (errno) => {
      expect(english(ref('install.fix.errno', { errno, where: '/srv/x' }))).toBe(fixForErrno(errno, '/srv/x'));
    },
  );

  it('has none for a failure it does not know, which the UI shows as the core wrote it', () => {
    expect(installErrorRefs(new InstallError('lock', 'busy', 'busy', 'wait'), 'demo')).toEqual({});
  });
});
