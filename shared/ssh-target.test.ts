import { describe, expect, it } from 'vitest';
import { formatSshTarget, instanceWhere, parseSshTarget, sshServer } from './ssh-target';

describe('parseSshTarget', () => {
  it.each([
    [
      'ssh://admin@glpi.example.org/var/www/glpi',
      { user: 'admin', host: 'glpi.example.org', port: 22, path: '/var/www/glpi' },
    ],
    ['ssh://deploy@10.0.0.5:2222/srv/glpi/', { user: 'deploy', host: '10.0.0.5', port: 2222, path: '/srv/glpi' }],
    ['ssh://a@[2001:db8::5]:2200/srv//glpi/./', { user: 'a', host: '2001:db8::5', port: 2200, path: '/srv/glpi' }],
    [
      '  SSH://www-data@glpi/var/www/html/glpi  ',
      { user: 'www-data', host: 'glpi', port: 22, path: '/var/www/html/glpi' },
    ],
  ])('%s', (text, want) => {
    expect(parseSshTarget(text)).toEqual(want);
    expect(parseSshTarget(formatSshTarget(want))).toEqual(want);
  });

  it.each([
    ['glpi.example.org:/var/www/glpi', /not an SSH address/],
    ['ssh://glpi.example.org/var/www/glpi', /Name the SSH user/],
    ['ssh://admin@/var/www/glpi', /no host/],
    ['ssh://admin@glpi.example.org', /Give the GLPI folder/],
    ['ssh://admin@glpi.example.org/', /Give the GLPI folder/],
    ['ssh://admin@glpi.example.org:0/x', /not a port/],
    ['ssh://admin@glpi.example.org:70000/x', /not a port/],
    ['ssh://admin@glpi.example.org:ab/x', /not a port/],
    ['ssh://admin@glpi_example/x', /not a valid host/],
    ['ssh://admin@[zz]/x', /not a valid host/],
    ['ssh://ad min@glpi/x', /not a valid user/],
    ['ssh://admin@glpi/var/../etc', /may not contain/],
  ])('refuses %s', (text, message) => {
    expect(() => parseSshTarget(text)).toThrow(message);
  });
});

describe('instanceWhere and sshServer', () => {
  it('names a folder as itself, a server as its ssh:// address (port 22 left out, IPv6 in brackets)', () => {
    expect(instanceWhere({ root: '/var/www/glpi' })).toBe('/var/www/glpi');
    const ssh = { user: 'admin', host: 'glpi.example.org', port: 22 };
    expect(instanceWhere({ root: '/var/www/glpi', ssh })).toBe('ssh://admin@glpi.example.org/var/www/glpi');
    expect(sshServer({ user: 'admin', host: '2001:db8::5', port: 2222 })).toBe('ssh://admin@[2001:db8::5]:2222');
  });
});
