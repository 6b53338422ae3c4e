import { describe, expect, it } from 'vitest';
import { clockFix, trustRootFix, type CertificateInfo } from '.';
import {
  DIRECT_TO_TLS,
  PROXY_AUTH,
  leaf,
  corpRoot,
  corpLeaf,
  codeError,
  hang,
  FakePort,
  run,
  step,
  states,
  proxyRoute,
} from './probe.testkit';

describe('runConnectivityProbe: TLS', () => {
  const tlsFailure = async (
    code: string,
    opts: { chain?: CertificateInfo[]; platform?: string; proxy?: boolean } = {},
  ) => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError(code, `verify failed: ${code}`));
    port.peekWith = () => Promise.resolve(opts.chain ?? [leaf]);
    const r = await run(port, {
      platform: opts.platform ?? 'linux',
      ...(opts.proxy ? { route: proxyRoute(PROXY_AUTH) } : {}),
    });
    return { r, s: step(r, 'tls'), port };
  };

  it('describes the certificate through a second connection after a certificate failure, then stops', async () => {
    const { r, s, port } = await tlsFailure('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:failed http:skipped clock:skipped');
    expect(port.calls).toEqual([...DIRECT_TO_TLS, 'connect 192.0.2.10:443', 'peek #2 services.glpi-network.com']);
    expect(s.details).toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      subject: leaf.subject,
      issuer: leaf.issuer,
      'valid from': leaf.validFrom,
      'valid to': leaf.validTo,
      note: 'certificate read through a second handshake without verification, for this report only',
    });
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('repeats the tunnel for the describe-only handshake through a proxy', async () => {
    const { port } = await tlsFailure('SELF_SIGNED_CERT_IN_CHAIN', { proxy: true });
    expect(port.calls.filter((c) => c.startsWith('tunnel'))).toHaveLength(2);
    expect(port.tunnelAuth).toEqual([PROXY_AUTH, PROXY_AUTH]);
    expect(port.calls.at(-1)).toBe('peek #2 services.glpi-network.com');
  });

  it('goes through the https:// proxy again for the describe-only handshake', async () => {
    const port = new FakePort();
    port.tlsWith = (_s, host) =>
      host === 'proxy.corp.example'
        ? Promise.resolve({ protocol: 'TLSv1.3', chain: [], anchor: 'public' })
        : Promise.reject(codeError('SELF_SIGNED_CERT_IN_CHAIN'));
    const r = await run(port, { route: { kind: 'proxy', proxyUrl: 'https://proxy.corp.example' } });
    expect(step(r, 'tls').details?.['subject']).toBe(leaf.subject);
    expect(port.calls.slice(-4)).toEqual([
      'connect 192.0.2.10:443',
      'tls #3 proxy.corp.example extras=0',
      'tunnel #4 services.glpi-network.com:443',
      'peek #4 services.glpi-network.com',
    ]);
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it('still reports the failure when the certificate cannot be read', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError('CERT_HAS_EXPIRED'));
    port.peekWith = () => Promise.reject(codeError('ECONNRESET'));
    const r = await run(port);
    expect(step(r, 'tls').summary).toBe(
      "The certificate for services.glpi-network.com expired (CERT_HAS_EXPIRED); this machine's clock reads 2026-06-01T10:00:00.000Z.",
    );
    expect(step(r, 'tls').details).toEqual({ code: 'CERT_HAS_EXPIRED' });
  });

  it('does not look at the certificate after a failure that is not about it', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError('ECONNRESET', 'socket hang up'));
    const r = await run(port);
    expect(port.calls.some((c) => c.startsWith('peek'))).toBe(false);
    expect(step(r, 'tls')).toMatchObject({
      summary: 'The TLS handshake with services.glpi-network.com failed (ECONNRESET).',
      fix: 'A device between this machine and services.glpi-network.com (a firewall, a proxy or an antivirus) may be cutting HTTPS: allow outgoing TCP 443 from this machine to services.glpi-network.com in the firewall, or set the proxy your network requires in Marketdesk: Settings > Network.',
    });
  });

  it('DEPTH_ZERO_SELF_SIGNED_CERT: self-signed', async () => {
    const selfSigned = { ...leaf, issuer: leaf.subject };
    const { s } = await tlsFailure('DEPTH_ZERO_SELF_SIGNED_CERT', { chain: [selfSigned] });
    expect(s.summary).toBe(
      'services.glpi-network.com presented a self-signed certificate (CN=services.glpi-network.com) (DEPTH_ZERO_SELF_SIGNED_CERT): no authority vouches for it.',
    );
    expect(s.fix).toBe(
      `If services.glpi-network.com is a server of yours, trust its certificate (saved as root.crt): ${trustRootFix('linux')}; then add it in Marketdesk: Settings > Network > Extra certificates. If services.glpi-network.com should be a public service, a device on your network (a proxy, an antivirus or a captive portal) is answering in its place: ask your IT team.`,
    );
  });

  it('SELF_SIGNED_CERT_IN_CHAIN: an untrusted root, typical of TLS inspection', async () => {
    const { s, r } = await tlsFailure('SELF_SIGNED_CERT_IN_CHAIN', { chain: [corpLeaf, corpRoot] });
    expect(s.summary).toBe(
      'The certificate for services.glpi-network.com chains up to the root "Corp Inspection Root", which this machine does not trust (SELF_SIGNED_CERT_IN_CHAIN). This is typical of TLS inspection by a proxy or an antivirus with a corporate root.',
    );
    expect(s.fix).toBe(
      'Get the root certificate "Corp Inspection Root" from your IT team (saved as root.crt) and trust it: on Debian/Ubuntu: `cp root.crt /usr/local/share/ca-certificates/ && update-ca-certificates` (as root; the file name must end in .crt); on RHEL/Fedora: `cp root.crt /etc/pki/ca-trust/source/anchors/ && update-ca-trust` (as root). Then add the same file in Marketdesk: Settings > Network > Extra certificates.',
    );
    expect(s.details?.['chain ends in']).toBe(corpRoot.subject);
    expect(r.fix).toBe(s.fix);
  });

  it.each(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT'])(
    '%s: unknown issuer',
    async (code) => {
      const { s } = await tlsFailure(code, { chain: [corpLeaf] });
      expect(s.summary).toBe(
        `The certificate for services.glpi-network.com was issued by "Corp Inspection Root", an authority this machine does not know (${code}).`,
      );
      expect(s.fix).toContain('If your network inspects HTTPS (a proxy or an antivirus), this is its authority.');
      expect(s.fix).toContain('Get the root certificate "Corp Inspection Root" from your IT team');
      expect(s.fix).toContain('have it send its intermediate certificates too');
    },
  );

  it('CERT_HAS_EXPIRED: the date, the local clock and both explanations', async () => {
    const old = { ...leaf, validTo: '2020-02-01T00:00:00.000Z' };
    const { s } = await tlsFailure('CERT_HAS_EXPIRED', { chain: [old] });
    expect(s.summary).toBe(
      "The certificate for services.glpi-network.com expired on 2020-02-01T00:00:00.000Z (CERT_HAS_EXPIRED); this machine's clock reads 2026-06-01T10:00:00.000Z.",
    );
    expect(s.fix).toBe(
      `Check this machine's clock: if it is wrong, set it right (${clockFix('linux')}). If it is right, the certificate really has expired and whoever runs services.glpi-network.com (or, if your network inspects HTTPS, your IT team, as "R11" issued it) must renew it.`,
    );
  });

  it('CERT_NOT_YET_VALID: the clock is probably behind', async () => {
    const future = { ...leaf, validFrom: '2027-01-01T00:00:00.000Z' };
    const { s } = await tlsFailure('CERT_NOT_YET_VALID', { chain: [future], platform: 'darwin' });
    expect(s.summary).toBe(
      "The certificate for services.glpi-network.com is valid only from 2027-01-01T00:00:00.000Z (CERT_NOT_YET_VALID); this machine's clock reads 2026-06-01T10:00:00.000Z.",
    );
    expect(s.fix).toBe(
      'Check this machine\'s clock: it is probably behind (on macOS: System Settings > General > Date & Time, turn on "Set time and date automatically"). If it is right, whoever runs services.glpi-network.com installed a certificate that is not valid yet.',
    );
  });

  it('ERR_TLS_CERT_ALTNAME_INVALID: a certificate for another name', async () => {
    const other = { ...leaf, subject: 'CN=portal.hotel.example', altNames: 'DNS:portal.hotel.example' };
    const { s } = await tlsFailure('ERR_TLS_CERT_ALTNAME_INVALID', { chain: [other] });
    expect(s.summary).toBe(
      'The certificate presented for services.glpi-network.com is for another name: DNS:portal.hotel.example (ERR_TLS_CERT_ALTNAME_INVALID).',
    );
    expect(s.fix).toBe(
      'Check the address (https://services.glpi-network.com). If it is right, a device on your network (a proxy, a captive portal or a DNS filter) answers in place of services.glpi-network.com: ask your IT team which device presents this certificate.',
    );
  });

  it('another certificate code: refused, with the trust fix', async () => {
    const { s } = await tlsFailure('CERT_REVOKED');
    expect(s.summary).toBe('The certificate for services.glpi-network.com was refused (CERT_REVOKED).');
  });

  it('a bad extra certificate', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError('BAD_EXTRA_CA', 'extra certificate #2 cannot be read'));
    const r = await run(port);
    expect(step(r, 'tls')).toMatchObject({
      summary: 'An extra certificate is not a valid PEM certificate: extra certificate #2 cannot be read.',
      fix: 'Fix or remove it in Marketdesk: Settings > Network > Extra certificates: each one must be a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).',
    });
    expect(port.calls.some((c) => c.startsWith('peek'))).toBe(false);
  });

  it('a handshake that never completes', async () => {
    const port = new FakePort();
    port.tlsWith = (s) => hang(s);
    const r = await run(port, { timeouts: { handshakeMs: 30 } });
    expect(step(r, 'tls').summary).toBe(
      'No TLS handshake with services.glpi-network.com within 30 ms: something accepts the connection but does not complete TLS (a firewall or a proxy holding it, or a server that does not speak TLS on port 443).',
    );
    expect(port.conns.every((c) => c.closed)).toBe(true);
  });

  it.each([
    ['linux', ['update-ca-certificates', 'update-ca-trust'], ['certlm.msc', 'Keychain Access']],
    ['win32', ['certlm.msc', 'Trusted Root Certification Authorities'], ['update-ca-certificates', 'Keychain']],
    ['darwin', ['Keychain Access', 'System keychain', 'Always Trust'], ['certlm.msc', 'update-ca-trust']],
    [undefined, ['update-ca-certificates', 'update-ca-trust', 'certlm.msc', 'Keychain Access'], []],
  ])('gives the trust instructions of %s', async (platform, present, absent) => {
    const port = new FakePort();
    port.tlsWith = () => Promise.reject(codeError('SELF_SIGNED_CERT_IN_CHAIN'));
    const r = await run(port, platform ? { platform } : { platform: undefined });
    const fix = step(r, 'tls').fix ?? '';
    for (const p of present) expect(fix).toContain(p);
    for (const a of absent) expect(fix).not.toContain(a);
    expect(fix).toContain('Settings > Network > Extra certificates');
  });

  it('warns about TLS inspection when the chain ends in an extra certificate', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.resolve({ protocol: 'TLSv1.3', chain: [corpLeaf, corpRoot], anchor: 'extra' });
    const r = await run(port, { extraCaPems: ['pem'] });
    expect(states(r)).toBe('route:ok dns:ok tcp:ok tls:warning http:ok clock:ok');
    expect(r.state).toBe('warning');
    expect(r.fix).toBeUndefined();
    expect(step(r, 'tls')).toMatchObject({
      summary:
        'TLS inspection detected: the certificate for services.glpi-network.com was issued by "Corp Inspection Root", a locally trusted root, not a public authority.',
      fix: 'Nothing to do if your IT team inspects HTTPS on purpose: Marketdesk trusts "Corp Inspection Root" because it is in Marketdesk: Settings > Network > Extra certificates. If you did not expect it, remove it from there and ask your IT team.',
    });
    expect(step(r, 'tls').details?.['trusted through']).toBe(
      'an extra certificate (Marketdesk: Settings > Network > Extra certificates)',
    );
  });

  it('warns about TLS inspection when the chain ends in another locally trusted root', async () => {
    const port = new FakePort();
    port.tlsWith = () => Promise.resolve({ protocol: 'TLSv1.2', chain: [corpLeaf, corpRoot], anchor: 'local' });
    const r = await run(port);
    expect(step(r, 'tls').state).toBe('warning');
    expect(step(r, 'tls').summary).toMatch(/^TLS inspection detected: /);
    expect(step(r, 'tls').details?.['trusted through']).toBe('a root trusted locally on this machine');
  });
});
