/** The security key, glpicrypt.key: 32 raw bytes, readable by the web server; its content is never read. */
import * as nodePath from 'node:path';
import { versionCompare } from '../../../../shared/php-version';
import type { InstanceInfo } from '../../glpi-instance';
import type { FileStat } from '../../ports';
import { ref, type MessageRef } from '../../../../shared/messages/ref';
import { refCheck, skipped, type Check } from '../check';
import { DOCTOR_READ_LIMIT, ID, T, octal, probe, shellQuote } from './common';
import { ownershipDetails, readAccessParams, webAccess, type Ctx } from './identity';

/** GLPI 9.5+ sodium key: exactly 32 raw bytes (docs/glpi-instance-layout.md §2.3). */
export const GLPICRYPT_KEY_BYTES = 32;

/** Which console command regenerates the key, for the detected version (the catalogue names it). */
function changeKeyConsole(info: InstanceInfo): 'modern' | 'legacy' | 'unknown' {
  if (info.version === null) return 'unknown';
  return versionCompare(info.version, '10.0.6') >= 0 ? 'modern' : 'legacy';
}

export async function keyCheck(ctx: Ctx, dir: string): Promise<Check> {
  const { info } = ctx;
  if (info.version !== null && versionCompare(info.version, '9.5.0') < 0)
    return skipped(ID.key, T.key, ref('instance.key.predates', { version: info.version }));
  const path = nodePath.join(dir, 'glpicrypt.key');
  const details: Record<string, string> = { path };
  const legacy = await probe(ctx.fs, nodePath.join(dir, 'glpi.key'));
  const about = { path, legacy: legacy.kind === 'file' ? 'yes' : '' };
  if (legacy.kind === 'file')
    details['legacy glpi.key'] =
      `${nodePath.join(dir, 'glpi.key')} (${legacy.stat.size} byte${legacy.stat.size === 1 ? '' : 's'})`;
  const fix = restoreOrRegenerate(ctx, path);
  const base = { id: ID.key, title: T.key, details };

  const p = await probe(ctx.fs, path);
  if (p.kind === 'missing')
    return refCheck({ ...base, state: 'failed' }, ref('instance.key.missing', about), fix(false));
  if (p.kind === 'error')
    return refCheck(
      { ...base, state: 'failed' },
      ref('instance.file.error', { path, error: p.error }),
      ref('instance.key.fix.openDir', { dir, web: ctx.id.web?.name ?? '' }),
    );
  if (p.kind !== 'file') return refCheck({ ...base, state: 'failed' }, ref('instance.key.notFile', about), fix(true));

  const st = p.stat;
  details.size = `${st.size} bytes`;
  if (p.link) details.link = 'a symbolic link';
  Object.assign(details, ownershipDetails(ctx, st));
  if (st.size !== GLPICRYPT_KEY_BYTES)
    return refCheck(
      { ...base, state: 'failed' },
      st.size === 0
        ? ref('instance.key.empty', about)
        : ref('instance.key.wrongSize', {
            ...about,
            size: String(st.size),
            bytes: String(GLPICRYPT_KEY_BYTES),
            hint: await sizeHint(ctx, path, st.size),
            quoted: shellQuote(path),
          }),
      fix(true),
    );
  return keyAccess(ctx, path, st, details);
}

/** The fix for a missing or damaged key: restore it from the backup, else regenerate it (and what that costs). */
function restoreOrRegenerate(ctx: Ctx, path: string): (moveAside: boolean) => MessageRef {
  const params = {
    ...readAccessParams(ctx, path, '640'),
    broken: shellQuote(`${path}.broken`),
    root: shellQuote(ctx.root),
    sudo: ctx.posix ? ctx.sudo : '',
    console: changeKeyConsole(ctx.info),
  };
  return (moveAside) => ref('instance.key.fix.restore', { ...params, aside: moveAside ? 'yes' : '' });
}

/** Why a key has the wrong size, when its size tells: `newline`, `base64` or ''. Reads only the 33rd byte. */
async function sizeHint(ctx: Ctx, path: string, size: number): Promise<string> {
  if (size === GLPICRYPT_KEY_BYTES + 1 && (await ctx.fs.access(path, 'read'))) {
    const last = await ctx.fs.readFile(path, { maxBytes: DOCTOR_READ_LIMIT }).then(
      (b) => b[b.length - 1],
      () => undefined,
    );
    return last === 0x0a ? 'newline' : '';
  }
  if (size === 44 || size === 45) return 'base64';
  return '';
}

/** A key of the right size: can the web server read it, and can everyone else? */
async function keyAccess(ctx: Ctx, path: string, st: FileStat, details: Record<string, string>): Promise<Check> {
  const access = await webAccess(ctx, path, st, 'read');
  details['web server'] = access.reason;
  details.Marketdesk = access.self ? 'can read it (it does not need to)' : 'cannot read it (it does not need to)';
  const perm = readAccessParams(ctx, path, '640');
  const permFix = ref('instance.fix.readAccess', perm);
  const base = { id: ID.key, title: T.key, details };
  const said = { path, bytes: String(GLPICRYPT_KEY_BYTES), reason: access.reason };
  const reader = {
    path,
    bytes: said.bytes,
    reader: access.verdict === 'ok' ? 'web' : 'self',
    web: ctx.id.web?.name ?? '',
  };
  if (access.verdict === 'denied')
    return refCheck({ ...base, state: 'failed' }, ref('instance.key.denied', said), permFix);
  if (access.verdict === 'unknown' && !access.self)
    return refCheck(
      { ...base, state: 'warning' },
      ref('instance.key.unknownAccess', said),
      ref('instance.key.fix.makeReadable', { ...perm, web: reader.web }),
    );
  if (ctx.posix && (st.mode & 0o004) !== 0)
    return refCheck(
      { ...base, state: 'warning' },
      ref('instance.key.everyone', { ...reader, mode: octal(st.mode) }),
      permFix,
    );
  return refCheck({ ...base, state: 'ok' }, ref('instance.key.ok', reader));
}
