import { describe, expect, it } from 'vitest';
import { emptyKeyStatus, type KeyStatus } from '../../../../shared/model';
import type { Answer } from '../../glpi-network-client';
import { archiveCheck, marketplaceCheck, registrationCheck, type ConnectivityReport } from '.';

const BASE = 'https://services.glpi-network.com';

function keyStatus(overrides: Partial<KeyStatus>): KeyStatus {
  return { ...emptyKeyStatus('default'), state: 'valid', ...overrides };
}

describe('registrationCheck', () => {
  it('is skipped without a key, and says what GLPI Network answered or why it could not be asked', async () => {
    const keys = (status: KeyStatus) => ({ sync: () => Promise.resolve(status) });
    expect((await registrationCheck(keys(keyStatus({})), null)).state).toBe('skipped');
    const ok = await registrationCheck(keys(keyStatus({ message: 'Key valid' })), 'KEY');
    expect(ok).toMatchObject({ state: 'ok', summary: 'GLPI Network answered: the key is valid.' });
    expect(ok.details).toEqual({ answer: 'Key valid' });
    const failure: KeyStatus['failure'] = { cause: 'timeout', message: 'No answer.', fix: 'Try again.', at: '' };
    const failed = await registrationCheck(keys(keyStatus({ failure })), 'KEY');
    expect(failed).toMatchObject({ state: 'failed', summary: 'GLPI Network could not be asked: No answer.' });
    expect(failed.fix).toBe('Try again.');
  });
});

describe('marketplaceCheck', () => {
  const deps = (answer: Partial<Answer> | Error, seen: Record<string, string>[] = []) => ({
    client: {
      request: (_path: string, headers: Record<string, string>) => {
        seen.push(headers);
        if (answer instanceof Error) return Promise.reject(answer);
        return Promise.resolve({ status: 200, body: '[]', url: BASE, headers: {}, ...answer });
      },
    },
    uid: () => 'UID-1',
  });

  it('reads a page with the key and the uid, and finds where archives come from', async () => {
    const seen: Record<string, string>[] = [];
    const page = [{ versions: [{ download_url: 'ftp://no' }] }, { versions: [{ download_url: 'https://gh/x.zip' }] }];
    const r = await marketplaceCheck(deps({ status: 206, body: JSON.stringify(page) }, seen), BASE, 'KEY');
    expect(r.check.state).toBe('ok');
    expect(r.archiveUrl).toBe('https://gh/x.zip');
    expect(seen[0]).toMatchObject({ 'X-Registration-Key': 'KEY', 'X-Glpi-Network-Uid': 'UID-1', 'X-Range': '0-19' });
  });

  it('tells a refused key from something else answering, and reports a client error', async () => {
    const refused = await marketplaceCheck(deps({ status: 401, body: '{}' }), BASE, 'KEY');
    expect(refused.check.summary).toContain('answered HTTP 401 without a plugin list');
    expect(refused.check.fix).toContain('refuses the catalogue');
    const portal = await marketplaceCheck(deps({ status: 200, body: '<html>' }), BASE, 'KEY');
    expect(portal.check.fix).toContain('filtering gateway');
    const thrown = await marketplaceCheck(deps(Object.assign(new Error('TLS'), { fix: 'Trust it.' })), BASE, 'KEY');
    expect(thrown).toEqual({
      check: {
        id: 'network.marketplace',
        title: 'Marketplace page',
        state: 'failed',
        summary: 'TLS',
        fix: 'Trust it.',
      },
      archiveUrl: null,
    });
    expect((await marketplaceCheck(deps({}), BASE, null)).check.state).toBe('skipped');
  });
});

describe('archiveCheck', () => {
  const report = (state: ConnectivityReport['state']): ConnectivityReport => ({
    url: 'https://gh/x.zip',
    state,
    steps: [
      { id: 'dns', state: 'ok', ms: 1, summary: 'gh resolves.' },
      state === 'failed'
        ? { id: 'tcp', state: 'failed', ms: 1, summary: 'Refused.', fix: 'Open the firewall.' }
        : { id: 'tcp', state: 'ok', ms: 1, summary: 'Connected.' },
    ],
  });

  it('probes another host and reports its failure with the fix; GLPI Network itself was checked above', async () => {
    const probed: string[] = [];
    const probe = (state: ConnectivityReport['state']) => (url: string) => {
      probed.push(url);
      return Promise.resolve(report(state));
    };
    const failed = await archiveCheck(probe('failed'), BASE, 'https://gh/x.zip');
    expect(failed).toMatchObject({ state: 'failed', fix: 'Open the firewall.' });
    expect(failed.summary).toBe('Archives come from gh, which cannot be reached: Refused.');
    expect(failed.details).toEqual({ 'DNS resolution': 'ok: gh resolves.', 'TCP connection': 'failed: Refused.' });
    expect((await archiveCheck(probe('ok'), BASE, 'https://gh/x.zip')).summary).toBe(
      'Archives come from gh, reachable.',
    );
    expect(probed).toEqual(['https://gh/x.zip', 'https://gh/x.zip']);
    const same = await archiveCheck(probe('failed'), BASE, `${BASE}/download/x.zip`);
    expect(same).toMatchObject({ state: 'ok', summary: expect.stringContaining('checked above') as unknown });
    expect((await archiveCheck(probe('ok'), BASE, null)).state).toBe('skipped');
    expect(probed).toHaveLength(2);
  });
});
