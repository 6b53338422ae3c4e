/** The security key, glpicrypt.key: 32 raw bytes, readable by the web server; its content is never read. */
import * as nodePath from 'node:path';
import { versionCompare } from '../../../../shared/php-version';
import type { InstanceInfo } from '../../glpi-instance';
import type { FileStat } from '../../ports';
import { english, ref } from '../../../../shared/messages/ref';
import { refCheck, skipped, type Check } from '../check';
import { DOCTOR_READ_LIMIT, ID, T, octal, probe, shellQuote } from './common';
import { ownershipDetails, readAccessParams, webAccess, type Ctx } from './identity';

/** GLPI 9.5+ sodium key: exactly 32 raw bytes (docs/glpi-instance-layout.md §2.3). */
export const GLPICRYPT_KEY_BYTES = 32;

/** The console command that regenerates the key, for the detected version. */
function changeKeyCommand(info: InstanceInfo): { command: string; note: string } {
  const modern = 'security:change_key';
  const legacy = 'glpi:security:change_key';
  if (info.version === null) return { command: modern, note: ` (GLPI 10.0.6+ and 11; \`${legacy}\` before 10.0.6)` };
  return versionCompare(info.version, '10.0.6') >= 0
    ? { command: modern, note: ` (GLPI 10.0.6+ and 11; \`${legacy}\` before)` }
    : { command: legacy, note: ` (GLPI before 10.0.6; \`${modern}\` from 10.0.6)` };
}

const SECRETS_TO_REENTER =
  'mail collector passwords, LDAP directory passwords, the SMTP password (and OAuth secrets), the proxy password, SNMP/inventory credentials, plugin secrets, and the GLPI Network registration key (Setup > General > GLPI Network)';

export async function keyCheck(ctx: Ctx, dir: string): Promise<Check> {
  const { info } = ctx;
  if (info.version !== null && versionCompare(info.version, '9.5.0') < 0)
    return skipped(ID.key, T.key, `GLPI ${info.version} predates glpicrypt.key (GLPI 9.5)`);
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
    return { ...refCheck({ ...base, state: 'failed' }, ref('instance.key.missing', about)), fix: fix(false) };
  if (p.kind === 'error')
    return refCheck(
      { ...base, state: 'failed' },
      ref('instance.file.error', { path, error: p.error }),
      ref('instance.key.fix.openDir', { dir, web: ctx.id.web?.name ?? '' }),
    );
  if (p.kind !== 'file')
    return { ...refCheck({ ...base, state: 'failed' }, ref('instance.key.notFile', about)), fix: fix(true) };

  const st = p.stat;
  details.size = `${st.size} bytes`;
  if (p.link) details.link = 'a symbolic link';
  Object.assign(details, ownershipDetails(ctx, st));
  if (st.size !== GLPICRYPT_KEY_BYTES)
    return {
      ...refCheck(
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
      ),
      fix: fix(true),
    };
  return keyAccess(ctx, path, st, details);
}

/** The fix for a missing or damaged key: restore it from the backup, else regenerate it (and what that costs). */
function restoreOrRegenerate(ctx: Ctx, path: string): (moveAside: boolean) => string {
  const q = shellQuote(path);
  const perms = ctx.posix
    ? ` Then: ${english(ref('instance.fix.readAccess', readAccessParams(ctx, path, '640')))}.`
    : '';
  const { command, note } = changeKeyCommand(ctx.info);
  const regenerate = (moveAside: boolean) =>
    `Last resort, without a backup: ${moveAside ? `move the damaged file aside (mv ${q} ${shellQuote(`${path}.broken`)}), as the command stops when it cannot read the current key; then ` : ''}cd ${shellQuote(ctx.root)} && ${ctx.posix ? ctx.sudo : ''}php bin/console ${command}${note}. It writes a new key; every secret GLPI stored with the old one is lost and must be entered again: ${SECRETS_TO_REENTER}.`;
  const restore = `Restore glpicrypt.key from the backup taken with this database (preferred: without the original key, the passwords GLPI stored encrypted cannot be decrypted).${perms}`;
  return (moveAside) => `${restore} ${regenerate(moveAside)}`;
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
