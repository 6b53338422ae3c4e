/**
 * OpenSSH `known_hosts` (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"), read the way `ssh` reads it:
 * - a line is `[marker] hostpatterns keytype base64key [comment]`; `#` comments and blank lines;
 * - host patterns are comma-separated, `*` and `?` wildcards, `!` negation; a port other than 22 is
 *   written `[host]:port`;
 * - hashed entries `|1|base64(salt)|base64(HMAC-SHA1(salt, host))` (HashKnownHosts yes);
 * - `@revoked` marks a key that must never be accepted; `@cert-authority` lines are CA keys for
 *   host certificates, which Marketdesk does not use (skipped, not treated as the host's key).
 * Pure: the caller reads the files (`~/.ssh/known_hosts`, `/etc/ssh/ssh_known_hosts`).
 */
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostKey {
  /** e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  type: string;
  /** The key blob, base64 as in the file. */
  key: string;
  revoked: boolean;
  /** Where it was read, for messages: `~/.ssh/known_hosts:12`. */
  source: string;
}

/** The name `ssh` looks up: `host`, or `[host]:port` when the port is not 22. */
export function hostEntryName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `SHA256:...` as `ssh-keygen -l` and `ssh` print it (base64 of the blob's SHA-256, no padding). */
export function sha256Fingerprint(keyBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

function wildcard(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return re.test(name);
}

function hashedMatch(field: string, name: string): boolean {
  const m = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(field);
  if (!m) return false;
  const mac = createHmac('sha1', Buffer.from(m[1]!, 'base64')).update(name).digest('base64');
  return mac === m[2];
}

/** Whether a line's host field matches `name` (a negated match wins over any positive one). */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name);
  let matched = false;
  for (const raw of field.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (!pattern || !wildcard(pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** The keys that `text` (one known_hosts file) lists for `host:port`. */
export function knownKeysFor(text: string, host: string, port: number, file: string): KnownHostKey[] {
  const name = hostEntryName(host, port);
  const out: KnownHostKey[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const fields = line.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let marker = '';
    if (fields[0].startsWith('@')) marker = fields.shift()!;
    if (marker === '@cert-authority' || fields.length < 3) return;
    const [hosts, type, key] = fields as [string, string, string];
    if (!hostFieldMatches(hosts, name)) return;
    out.push({ type, key, revoked: marker === '@revoked', source: `${file}:${index + 1}` });
  });
  return out;
}

export type HostKeyVerdict =
  /** Listed (in a known_hosts file, or remembered for this instance). */
  | { kind: 'trusted'; fingerprint: string; source: string }
  /** Not listed anywhere: the admin must compare the fingerprint and confirm. */
  | { kind: 'unknown'; fingerprint: string; type: string }
  /** Listed with another key of the same type, or revoked: refuse. */
  | { kind: 'changed'; fingerprint: string; type: string; expected: string[]; source: string }
  | { kind: 'revoked'; fingerprint: string; type: string; source: string };

/**
 * What to do with the key a server presents. `known` is every key listed for the host (files
 * first, then the one remembered for the instance). As `ssh` does: a revoked key is refused; a
 * listed key is trusted; another key where one of the same type is listed is a changed key; a
 * host with keys of other types only is treated as unknown (the server may offer a new type).
 */
export function verifyHostKey(presented: { type: string; key: string }, known: KnownHostKey[]): HostKeyVerdict {
  const fingerprint = sha256Fingerprint(presented.key);
  const revoked = known.find((k) => k.revoked && k.key === presented.key);
  if (revoked) return { kind: 'revoked', fingerprint, type: presented.type, source: revoked.source };
  const same = known.find((k) => !k.revoked && k.key === presented.key && k.type === presented.type);
  if (same) return { kind: 'trusted', fingerprint, source: same.source };
  const sameType = known.filter((k) => !k.revoked && k.type === presented.type);
  if (sameType.length > 0) {
    return {
      kind: 'changed',
      fingerprint,
      type: presented.type,
      expected: sameType.map((k) => sha256Fingerprint(k.key)),
      source: sameType[0]!.source,
    };
  }
  return { kind: 'unknown', fingerprint, type: presented.type };
}

/** The key type and base64 blob of an SSH wire-format public key (as ssh2's hostVerifier gets it). */
export function parseKeyBlob(blob: Buffer): { type: string; key: string } {
  if (blob.length < 4) throw new Error('The host key is too short.');
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) throw new Error('The host key is malformed.');
  return { type: blob.subarray(4, 4 + len).toString('ascii'), key: blob.toString('base64') };
}
