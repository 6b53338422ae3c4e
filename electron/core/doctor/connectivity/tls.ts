/**
 * Step 4, TLS: the verifying handshake with the target. When it fails on the certificate, a
 * second, non-verifying handshake reads the certificate for the report only.
 */
import { clockFix } from './clock';
import {
  capitalize,
  describeError,
  displayName,
  errorCode,
  EXTRA_CERTS,
  firewallFix,
  forPlatform,
  limitText,
  PROXY_SETTINGS,
} from './format';
import type { ProbeSession } from './session';
import { ProbeTimeoutError, type CertificateInfo, type StepOutcome, type Target, type TlsSession } from './types';

export async function tlsStep<C>(s: ProbeSession<C>): Promise<StepOutcome> {
  const t = s.t;
  if (!t.https) return { state: 'skipped', summary: `Plain http to the loopback address ${t.host}: no TLS.` };
  const plain = s.conn as C;
  let result: { conn: C; session: TlsSession };
  try {
    result = await s.within(
      s.shakeLimit(),
      (signal) => s.port.tlsHandshake(plain, { host: t.host, extraCaPems: s.input.extraCaPems ?? [], signal }),
      (late) => s.close(late.conn),
    );
  } catch (err) {
    if (s.parent.aborted) throw err;
    s.closeAll();
    const code = errorCode(err);
    const chain = code && isCertificateCode(code) ? await peekChain(s, t) : [];
    return s.fail(tlsFailure(t, err, chain, s.now(), s.os));
  }
  s.conn = s.track(result.conn);
  return tlsSuccess(t, result.session);
}

/**
 * The verifying handshake failed on the certificate: look at it through a second, non-verifying
 * handshake (see ConnectivityPort.peekCertificate), for the report only.
 */
async function peekChain<C>(s: ProbeSession<C>, t: Target): Promise<CertificateInfo[]> {
  try {
    const peek = await s.reopen();
    return await s.within(s.shakeLimit(), (signal) => s.port.peekCertificate(peek, { host: t.host, signal }));
  } catch (peekErr) {
    if (s.parent.aborted) throw peekErr;
    return [];
  } finally {
    s.closeAll();
  }
}

/** The certificate-verification codes after which the certificate is worth describing. */
export const CERTIFICATE_CODES = [
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
];

export function isCertificateCode(code: string): boolean {
  return CERTIFICATE_CODES.includes(code) || code.startsWith('CERT_');
}

/** How to trust a root certificate saved as root.crt, for this OS (all of them when unknown). */
export function trustRootFix(platform?: string): string {
  const linux =
    'on Debian/Ubuntu: `cp root.crt /usr/local/share/ca-certificates/ && update-ca-certificates` (as root; the file name must end in .crt); on RHEL/Fedora: `cp root.crt /etc/pki/ca-trust/source/anchors/ && update-ca-trust` (as root)';
  const windows =
    'on Windows: run certlm.msc as an administrator, right-click Trusted Root Certification Authorities > All Tasks > Import, and import root.crt';
  const mac =
    'on macOS: open Keychain Access, import root.crt into the System keychain, then open it and set Trust > "When using this certificate" to Always Trust';
  return forPlatform(platform, { linux, windows, mac });
}

export function trustRootSteps(rootName: string, platform?: string): string {
  return `Get the root certificate ${rootName} from your IT team (saved as root.crt) and trust it: ${trustRootFix(platform)}. Then add the same file in ${EXTRA_CERTS}.`;
}

function tlsSuccess(target: Target, session: TlsSession): StepOutcome {
  const leaf = session.chain[0];
  const root = session.chain[session.chain.length - 1];
  const details: Record<string, string> = { protocol: session.protocol };
  if (session.cipher) details['cipher'] = session.cipher;
  if (leaf) Object.assign(details, certDetails(leaf));
  if (root && root !== leaf) details['root'] = root.subject;
  details['trusted through'] =
    session.anchor === 'public'
      ? 'a public root (Node.js bundled roots)'
      : session.anchor === 'extra'
        ? `an extra certificate (${EXTRA_CERTS})`
        : 'a root trusted locally on this machine';
  const rootName = displayName(root?.subject ?? leaf?.issuer ?? 'an unknown root');
  if (session.anchor !== 'public')
    return {
      state: 'warning',
      summary: `TLS inspection detected: the certificate for ${target.host} was issued by ${rootName}, a locally trusted root, not a public authority.`,
      details,
      fix:
        session.anchor === 'extra'
          ? `Nothing to do if your IT team inspects HTTPS on purpose: Marketdesk trusts ${rootName} because it is in ${EXTRA_CERTS}. If you did not expect it, remove it from there and ask your IT team.`
          : `Nothing to do if your IT team inspects HTTPS on purpose (${rootName} is trusted on this machine). If you did not expect it, ask your IT team.`,
    };
  return {
    state: 'ok',
    summary: `${session.protocol} with ${target.host}: certificate for ${displayName(leaf?.subject ?? target.host)}, issued by ${displayName(leaf?.issuer ?? '?')}, valid until ${leaf?.validTo ?? '?'}, chain ends in the public root ${rootName}.`,
    details,
  };
}

function tlsFailure(
  target: Target,
  err: unknown,
  chain: CertificateInfo[],
  now: Date,
  platform: string | undefined,
): StepOutcome {
  const code = errorCode(err);
  const host = target.host;
  const leaf = chain[0];
  const last = chain[chain.length - 1];
  const details: Record<string, string> = { ...(code ? { code } : {}), ...(leaf ? certDetails(leaf) : {}) };
  if (last && last !== leaf) details['chain ends in'] = last.subject;
  if (leaf) details['note'] = 'certificate read through a second handshake without verification, for this report only';
  const localTime = now.toISOString();
  const failed = (summary: string, fix: string): StepOutcome => ({ state: 'failed', summary, fix, details });
  const issuerName = displayName(leaf?.issuer ?? 'an unknown authority');
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return failed(
        `${host} presented a self-signed certificate${leaf ? ` (${leaf.subject})` : ''} (DEPTH_ZERO_SELF_SIGNED_CERT): no authority vouches for it.`,
        `If ${host} is a server of yours, trust its certificate (saved as root.crt): ${trustRootFix(platform)}; then add it in ${EXTRA_CERTS}. If ${host} should be a public service, a device on your network (a proxy, an antivirus or a captive portal) is answering in its place: ask your IT team.`,
      );
    case 'SELF_SIGNED_CERT_IN_CHAIN': {
      const rootName = displayName(last?.subject ?? leaf?.issuer ?? 'an unknown root');
      return failed(
        `The certificate for ${host} chains up to the root ${rootName}, which this machine does not trust (SELF_SIGNED_CERT_IN_CHAIN). This is typical of TLS inspection by a proxy or an antivirus with a corporate root.`,
        trustRootSteps(rootName, platform),
      );
    }
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return failed(
        `The certificate for ${host} was issued by ${issuerName}, an authority this machine does not know (${code}).`,
        `If your network inspects HTTPS (a proxy or an antivirus), this is its authority. ${trustRootSteps(issuerName, platform)} If ${host} is a server of yours with a certificate from a public authority, have it send its intermediate certificates too.`,
      );
    case 'CERT_HAS_EXPIRED':
      return failed(
        `The certificate for ${host} expired${leaf ? ` on ${leaf.validTo}` : ''} (CERT_HAS_EXPIRED); this machine's clock reads ${localTime}.`,
        `Check this machine's clock: if it is wrong, set it right (${clockFix(platform)}). If it is right, the certificate really has expired and whoever runs ${host} (or, if your network inspects HTTPS, your IT team, as ${issuerName} issued it) must renew it.`,
      );
    case 'CERT_NOT_YET_VALID':
      return failed(
        `The certificate for ${host} is valid only from ${leaf?.validFrom ?? 'a later date'} (CERT_NOT_YET_VALID); this machine's clock reads ${localTime}.`,
        `Check this machine's clock: it is probably behind (${clockFix(platform)}). If it is right, whoever runs ${host} installed a certificate that is not valid yet.`,
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return failed(
        `The certificate presented for ${host} is for another name: ${leaf?.altNames ?? (leaf ? displayName(leaf.subject) : 'a different host')} (ERR_TLS_CERT_ALTNAME_INVALID).`,
        `Check the address (${target.url.origin}). If it is right, a device on your network (a proxy, a captive portal or a DNS filter) answers in place of ${host}: ask your IT team which device presents this certificate.`,
      );
    case 'BAD_EXTRA_CA':
      return failed(
        `An extra certificate is not a valid PEM certificate: ${describeError(err)}.`,
        `Fix or remove it in ${EXTRA_CERTS}: each one must be a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).`,
      );
  }
  if (err instanceof ProbeTimeoutError)
    return failed(
      `No TLS handshake with ${host} within ${limitText(err)}: something accepts the connection but does not complete TLS (a firewall or a proxy holding it, or a server that does not speak TLS on port ${target.port}).`,
      `${capitalize(firewallFix(target, []))}, or, if your network requires a proxy, set it in ${PROXY_SETTINGS}. Check that ${target.url.origin} is the right address.`,
    );
  if (code && isCertificateCode(code))
    return failed(
      `The certificate for ${host} was refused (${code}).`,
      `If your network inspects HTTPS, ${trustRootSteps(issuerName, platform)} Otherwise ask whoever runs ${host}.`,
    );
  return failed(
    `The TLS handshake with ${host} failed (${code ?? describeError(err)}).`,
    `A device between this machine and ${host} (a firewall, a proxy or an antivirus) may be cutting HTTPS: ${firewallFix(target, [])}, or set the proxy your network requires in ${PROXY_SETTINGS}.`,
  );
}

function certDetails(c: CertificateInfo): Record<string, string> {
  const d: Record<string, string> = {
    subject: c.subject,
    issuer: c.issuer,
    'valid from': c.validFrom,
    'valid to': c.validTo,
    'sha-256 fingerprint': c.fingerprint256,
  };
  if (c.altNames) d['alt names'] = c.altNames;
  return d;
}
