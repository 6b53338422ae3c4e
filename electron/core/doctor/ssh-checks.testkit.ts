/** The SSH instance and the fake SSH session the doctor's SSH tests (English, French, renderer) share. */
import type { SshSettings } from '../../../shared/instances';
import type { ProcessRunner, RemoteSession } from '../ports';
import { sha256Fingerprint } from '../ssh/known-hosts';
import type { SshInstance } from './ssh-checks';

const REMEMBERED_KEY = Buffer.from('the remembered key').toString('base64');

/** The host key remembered for the instance when it was added. */
export const REMEMBERED = { type: 'ssh-ed25519', key: REMEMBERED_KEY, fingerprint: sha256Fingerprint(REMEMBERED_KEY) };

/** `name` at admin@glpi.example.org:2222, /var/www/glpi, key auth, the remembered host key; `ssh` overrides. */
export function sshRecord(ssh: Partial<SshSettings> = {}, name = 'prod'): SshInstance {
  return {
    name,
    root: '/var/www/glpi',
    addedAt: '2026-01-01T00:00:00.000Z',
    ssh: {
      host: 'glpi.example.org',
      port: 2222,
      user: 'admin',
      auth: 'key',
      secretSaved: false,
      hostKey: REMEMBERED,
      ...ssh,
    },
  };
}

/** A session that runs commands with `processes`, presents `hostKey` and counts its closes. */
export function fakeSession(processes: ProcessRunner, hostKey = REMEMBERED): RemoteSession & { closed: number } {
  const s = {
    fs: {} as RemoteSession['fs'],
    processes,
    hostKey,
    pathEnv: '/usr/bin:/bin',
    closed: 0,
    onClose: () => undefined,
    close: () => {
      s.closed += 1;
    },
  };
  return s;
}
