import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostEntryName,
  hostFieldMatches,
  knownKeysFor,
  parseKeyBlob,
  sha256Fingerprint,
  verifyHostKey,
} from './known-hosts';

let dir: string;
const keys: Record<string, { type: string; key: string; fingerprint: string }> = {};

beforeAll(async () => {
  dir = await fsp.mkdtemp(join(tmpdir(), 'md-known-hosts-'));
  for (const [name, type] of [
    ['a', 'ed25519'],
    ['b', 'ed25519'],
    ['c', 'ecdsa'],
  ] as const) {
    const file = join(dir, name);
    spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
    const [t, k] = (await fsp.readFile(`${file}.pub`, 'utf8')).split(' ');
    const fp = /SHA256:\S+/.exec(spawnSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).stdout)![0];
    keys[name] = { type: t!, key: k!, fingerprint: fp };
  }
});
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

describe('known_hosts', () => {
  it('fingerprints as ssh-keygen -l prints them', () => {
    for (const k of Object.values(keys)) expect(sha256Fingerprint(k.key)).toBe(k.fingerprint);
  });

  it('names a non-default port [host]:port', () => {
    expect(hostEntryName('glpi.example.org', 22)).toBe('glpi.example.org');
    expect(hostEntryName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });

  it('matches patterns: lists, wildcards, negation, case-insensitively', () => {
    expect(hostFieldMatches('glpi,glpi.example.org,10.0.0.5', 'glpi.example.org')).toBe(true);
    expect(hostFieldMatches('*.example.org', 'GLPI.example.org')).toBe(true);
    expect(hostFieldMatches('*.example.org,!test.example.org', 'test.example.org')).toBe(false);
    expect(hostFieldMatches('glpi?.example.org', 'glpi1.example.org')).toBe(true);
    expect(hostFieldMatches('glpi.example.org', 'glpi.example.org.evil')).toBe(false);
    expect(hostFieldMatches('[glpi.example.org]:2222', 'glpi.example.org')).toBe(false);
    expect(hostFieldMatches('[glpi.example.org]:2222', '[glpi.example.org]:2222')).toBe(true);
  });

  it('reads entries hashed by ssh-keygen -H, with and without a port', async () => {
    const file = join(dir, 'known_hosts');
    const a = keys.a!;
    const c = keys.c!;
    await fsp.writeFile(file, `glpi.example.org ${a.type} ${a.key}\n[glpi.example.org]:2222 ${c.type} ${c.key}\n`);
    expect(spawnSync('ssh-keygen', ['-H', '-f', file]).status).toBe(0);
    const text = await fsp.readFile(file, 'utf8');
    expect(text).not.toContain('glpi.example.org');
    expect(text).toMatch(/^\|1\|/m);
    expect(knownKeysFor(text, 'glpi.example.org', 22, 'kh').map((k) => k.key)).toEqual([a.key]);
    expect(knownKeysFor(text, 'glpi.example.org', 2222, 'kh').map((k) => k.key)).toEqual([c.key]);
    expect(knownKeysFor(text, 'other.example.org', 22, 'kh')).toEqual([]);
  });

  it('skips comments, blank and short lines and @cert-authority; keeps @revoked; says where', () => {
    const { a, b } = keys as Required<typeof keys>;
    const text = [
      '# comment',
      '',
      'glpi',
      `@cert-authority *.example.org ${b!.type} ${b!.key}`,
      `@revoked glpi ${b!.type} ${b!.key}`,
      `glpi ${a!.type} ${a!.key} admin@laptop`,
    ].join('\n');
    expect(knownKeysFor(text, 'glpi', 22, '~/.ssh/known_hosts')).toEqual([
      { type: b!.type, key: b!.key, revoked: true, source: '~/.ssh/known_hosts:5' },
      { type: a!.type, key: a!.key, revoked: false, source: '~/.ssh/known_hosts:6' },
    ]);
  });

  it('verdicts: trusted, unknown, changed (same type, other key), revoked, other type only → unknown', () => {
    const { a, b, c } = keys as Required<typeof keys>;
    const listed = (k: typeof a, revoked = false) => ({ type: k!.type, key: k!.key, revoked, source: 'kh:1' });
    expect(verifyHostKey(a!, [listed(a)])).toEqual({ kind: 'trusted', fingerprint: a!.fingerprint, source: 'kh:1' });
    expect(verifyHostKey(a!, [])).toEqual({ kind: 'unknown', fingerprint: a!.fingerprint, type: a!.type });
    expect(verifyHostKey(b!, [listed(a)])).toEqual({
      kind: 'changed',
      fingerprint: b!.fingerprint,
      type: b!.type,
      expected: [a!.fingerprint],
      source: 'kh:1',
    });
    expect(verifyHostKey(a!, [listed(a, true), listed(a)])).toMatchObject({ kind: 'revoked' });
    expect(verifyHostKey(a!, [listed(c)])).toMatchObject({ kind: 'unknown' });
  });

  it('reads the type from a wire-format key blob and refuses a malformed one', () => {
    const a = keys.a!;
    expect(parseKeyBlob(Buffer.from(a.key, 'base64'))).toEqual({ type: a.type, key: a.key });
    expect(() => parseKeyBlob(Buffer.from([0, 0, 0]))).toThrow(/too short/);
    expect(() => parseKeyBlob(Buffer.from([0, 0, 1, 0, 1]))).toThrow(/malformed/);
  });
});
