import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Check, DoctorReport } from '../../shared/doctor';
import { DEMO_KEYS, startStandin, type Standin } from '../../e2e/standin/standin';
import { nodeSshConnector } from '../adapters/ssh/ssh-connector';
import { sshdUnavailable, startSshd, type TestSshd } from '../adapters/ssh/testing-sshd.testkit';
import { startTestProxy, type TestProxy } from '../adapters/testing-proxy.testkit';
import { fakeGlpi, glpiOnServer } from '../core/testing-glpi.testkit';
import { EXIT } from './cli';
import { cliInstallation, sshAddArgs } from './cli-harness.testkit';

let standin: Standin;
let proxy: TestProxy | null = null;
beforeEach(async () => {
  standin = await startStandin({ quiet: true });
});
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await standin.close();
});

const byId = (report: Omit<DoctorReport, 'markdown'>) =>
  new Map<string, Check>(report.sections.flatMap((s) => s.checks).map((c) => [c.id, c]));

describe('marketdesk doctor', () => {
  it('walks the whole path to a working GLPI Network and checks the key and the instance', async () => {
    const run = cliInstallation(() => standin.url);
    await run(['key', 'set'], DEMO_KEYS.standard);
    const root = fakeGlpi();
    writeFileSync(join(root, 'config', 'glpicrypt.key'), Buffer.alloc(32, 7));
    await run(['instance', 'add', root]);
    const r = await run(['doctor', '--json']);
    const checks = byId(r.json<Omit<DoctorReport, 'markdown'>>());
    for (const id of [
      'network.route',
      'network.dns',
      'network.tcp',
      'network.http',
      'network.registration',
      'network.marketplace',
      'network.archive',
    ])
      expect(checks.get(id)?.state, `${id}: ${checks.get(id)?.summary}`).toBe('ok');
    expect(checks.get('network.tls')?.state).toBe('skipped'); // plain http on 127.0.0.1
    expect(checks.get('network.registration')?.summary).toMatch(/the key is valid/);
    expect(checks.get('key.verdict')?.state).toBe('ok');
    expect(checks.get('instance.glpicrypt-key')?.summary).toMatch(/32 bytes/);
    // A temporary folder owned by root: Marketdesk can write, the web server user could not.
    expect(checks.get('instance.marketplace-dir')?.summary).toMatch(/Marketdesk can write/);
    expect(r.out).not.toContain(DEMO_KEYS.standard);
  });

  it('speaks French under LANG=fr_FR.UTF-8: sections, check titles, summaries, fixes and the Markdown', async () => {
    const run = cliInstallation(() => standin.url, undefined, { LANG: 'fr_FR.UTF-8' });
    await run(['instance', 'add', fakeGlpi()]);
    const r = await run(['doctor']);
    expect(r.out).toContain('\nAccès à GLPI Network (');
    expect(r.out).toContain('\nClé d’enregistrement\n');
    expect(r.out).toContain('\nInstance GLPI\n');
    expect(r.out).toMatch(/\[ok\] Résolution DNS: /);
    expect(r.out).toMatch(/\[ok\] Espace disque libre: .* libres sur le volume contenant /);
    expect(r.out).toContain('Bilan\u00a0: ');
    expect(r.out).not.toContain('Free disk space');
    const md = await run(['doctor', '--markdown']);
    expect(md.out).toContain('# Rapport de diagnostic Marketdesk');
    expect(md.out).toMatch(/- \*\*OK\*\* Espace disque libre: /);
    expect(md.out).toContain('_La clé d’enregistrement et les identifiants du proxy sont exclus de ce rapport._');
    // The JSON stays the core's: English texts, with the references beside them.
    const json = byId((await run(['doctor', '--json'])).json<Omit<DoctorReport, 'markdown'>>());
    expect(json.get('instance.disk-space')).toMatchObject({
      title: 'Free disk space',
      refs: { title: { id: 'title.instance.disk-space' }, summary: { id: 'doctor.disk.ok' } },
    });
  });

  it('speaks English under LC_ALL=C even when LANG is French', async () => {
    const run = cliInstallation(() => standin.url, undefined, { LANG: 'fr_FR.UTF-8', LC_ALL: 'C' });
    const r = await run(['doctor']);
    expect(r.out).toContain('\nRegistration key\n');
    expect(r.out).toContain('Save a report with: marketdesk doctor --markdown > report.md');
  });

  it('names a refused connection, its fix, skips what depends on it, and exits non-zero', async () => {
    const run = cliInstallation(() => standin.url);
    await run(['key', 'set'], DEMO_KEYS.standard);
    standin.setFaults([{ fault: { mode: 'refuse', ms: 10_000 } }]);
    const r = await run(['doctor']);
    expect(r.code).toBe(EXIT.other);
    expect(r.out).toMatch(/\[FAIL\] TCP connection: .*refused/i);
    const port = new URL(standin.url).port;
    expect(r.out).toContain(port);
    expect(r.out).toMatch(/\[skip\] Registration answer: Not checked: the connection to GLPI Network failed first/);
    const json = await run(['doctor', '--json']);
    const checks = byId(json.json<Omit<DoctorReport, 'markdown'>>());
    expect(checks.get('network.tcp')).toMatchObject({ state: 'failed', fix: expect.stringContaining(port) as string });
    expect(checks.get('key.verdict')?.state).not.toBe('ok');
  });

  it('checks the instance --instance names, not the active one', async () => {
    const run = cliInstallation(() => standin.url);
    const [a, b] = [fakeGlpi(), fakeGlpi()];
    await run(['instance', 'add', a, '--name', 'a']);
    await run(['instance', 'add', b, '--name', 'b']);
    const named = await run(['doctor', '--json', '--instance', 'b']);
    expect(named.out).toContain(b);
    expect(named.out).not.toContain(a);
    expect((await run(['doctor', '--json', '--instance=a'])).out).toContain(a);
    const unknown = await run(['doctor', '--instance', 'nosuch']);
    expect(unknown.code).toBe(EXIT.other);
    expect(unknown.err).toMatch(/No instance named "nosuch"/);
  });

  it('never puts the key or the proxy password in the report, the JSON or the Markdown', async () => {
    proxy = await startTestProxy({ user: 'bob', password: 'pr0xy-s3cret-pw' });
    const run = cliInstallation(() => standin.url);
    await run(['key', 'set'], DEMO_KEYS.standard);
    await run(
      ['config', 'proxy', '--mode', 'manual', '--url', proxy.url, '--user', 'bob', '--password-stdin'],
      'pr0xy-s3cret-pw',
    );
    const human = await run(['doctor']);
    const json = await run(['doctor', '--json']);
    const markdown = await run(['doctor', '--markdown']);
    expect(markdown.out).toMatch(/^# Marketdesk doctor report/);
    expect(markdown.out).toContain('## Reaching GLPI Network');
    for (const text of [human.out, human.err, json.out, markdown.out]) {
      expect(text).not.toContain(DEMO_KEYS.standard);
      expect(text).not.toContain('pr0xy-s3cret-pw');
      expect(text).not.toContain(Buffer.from('bob:pr0xy-s3cret-pw').toString('base64'));
    }
    const checks = byId(json.json<Omit<DoctorReport, 'markdown'>>());
    expect(checks.get('network.route')?.summary).toMatch(/Through the HTTP proxy/);
    expect(checks.get('network.registration')?.state).toBe('ok');
    expect(proxy.seen.length).toBeGreaterThan(0);
  });
});

const sshWhy = sshdUnavailable();
describe.skipIf(sshWhy !== null)(`marketdesk doctor --instance <ssh>${sshWhy ? ` (skipped: ${sshWhy})` : ''}`, () => {
  let sshd: TestSshd;
  beforeEach(async () => {
    sshd = await startSshd();
  });
  afterEach(async () => {
    await sshd.close();
  });

  it('prints the SSH section between the key and the instance, each step with its state', async () => {
    const glpi = glpiOnServer(sshd);
    const run = cliInstallation(() => standin.url, undefined, {}, nodeSshConnector({}));
    const added = await run([...sshAddArgs(sshd, glpi, 'server'), '--auth', 'key']);
    expect(added.code, added.err).toBe(EXIT.ok);
    const r = await run(['doctor', '--instance', 'server']);
    const sshTitle = `\nSSH connection (ssh://${sshd.user}@127.0.0.1:${sshd.port})\n`;
    expect(r.out).toContain(sshTitle);
    expect(r.out.indexOf('\nRegistration key\n')).toBeLessThan(r.out.indexOf(sshTitle));
    expect(r.out.indexOf(sshTitle)).toBeLessThan(r.out.indexOf('\nGLPI instance\n'));
    expect(r.out).toMatch(/\[ok\] DNS resolution: 127\.0\.0\.1 is an IP address/);
    expect(r.out).toMatch(/\[ok\] TCP connection: Connected to 127\.0\.0\.1 port \d+/);
    expect(r.out).toMatch(/\[ok\] SSH handshake and host key: The server presents its ssh-ed25519 key SHA256:/);
    expect(r.out).toMatch(/\[ok\] Authentication: .* is logged in \(with its key file\)/);
    expect(r.out).toContain('[ok] GLPI root: GLPI 10.0.18');
    expect(r.out).toContain('Free disk space: ');
    // The server's php and accounts are the ones checked, and named so.
    expect(r.out).not.toContain('on this machine');
  }, 60_000);
});
