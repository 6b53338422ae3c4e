import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeRootCaFiles } from '../adapters/doctor/test-certs';
import { MemorySecretStore } from '../adapters/memory-secret-store';
import { cliInstallation } from './cli-harness.testkit';

describe('marketdesk config proxy', () => {
  it('sets a manual proxy with its password in the keychain, never printed', async () => {
    const keychain = new MemorySecretStore('keychain');
    const run = cliInstallation(() => 'https://services.example.test', keychain);
    const set = await run(
      [
        'config',
        'proxy',
        '--mode',
        'manual',
        '--url',
        'proxy.corp:3128',
        '--user',
        'bob',
        '--bypass',
        'intranet,.corp',
        '--password-stdin',
        '--json',
      ],
      'pr0xy-s3cret\n',
    );
    expect(set.code).toBe(0);
    expect(set.json()).toMatchObject({
      proxyMode: 'manual',
      proxyUrl: 'http://proxy.corp:3128',
      proxyUser: 'bob',
      bypass: ['intranet', '.corp'],
      proxyPasswordSet: true,
    });
    expect(set.out + set.err).not.toContain('pr0xy-s3cret');
    expect(await keychain.get('proxy-password:default')).toBe('pr0xy-s3cret');

    const shown = await run(['config', 'proxy']);
    expect(shown.out).toMatch(/GLPI Network\s+through http:\/\/proxy\.corp:3128/);
    expect(shown.out).toContain('password in the keychain');

    const cleared = await run(['config', 'proxy', '--mode', 'direct', '--no-password', '--json']);
    expect(cleared.json()).toMatchObject({ proxyMode: 'direct', proxyPasswordSet: false });
    expect(await keychain.get('proxy-password:default')).toBeNull();
  });

  it('refuses a proxy URL with credentials or an unknown mode, with a non-zero exit', async () => {
    const run = cliInstallation(() => 'https://services.example.test');
    const creds = await run(['config', 'proxy', '--mode', 'manual', '--url', 'http://bob:pw@proxy:3128']);
    expect(creds.code).not.toBe(0);
    expect(creds.err).toMatch(/keychain/);
    expect((await run(['config', 'proxy', '--mode', 'socks'])).code).not.toBe(0);
  });
});

describe('marketdesk config ca', () => {
  it('adds a PEM root to the default ones, refuses a file that is not PEM, and removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-ca-'));
    const { pem, der } = writeRootCaFiles(dir, '/CN=Corp Root CA');
    writeFileSync(join(dir, 'empty.pem'), '');
    const run = cliInstallation(() => 'https://services.example.test');

    const added = await run(['config', 'ca', '--add', pem, '--json']);
    expect(added.code).toBe(0);
    expect(added.json()).toEqual([{ file: pem, subjects: ['CN=Corp Root CA'], problem: null }]);

    const refused = await run(['config', 'ca', '--add', der]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/no PEM certificate.*not DER/);

    const removed = await run(['config', 'ca', '--remove', pem]);
    expect(removed.out).toMatch(/only the default roots/);
  });
});
