/**
 * Step 4, TLS: the verifying handshake with the target. When it fails on the certificate, a
 * second, non-verifying handshake reads the certificate for the report only.
 */
import { english, ref, type MessageRef } from '../../../../shared/messages/ref';
import { describeError, displayName, errorCode, limitOf, platformOf, said } from './format';
import type { ProbeSession } from './session';
import { ProbeTimeoutError, type CertificateInfo, type StepOutcome, type Target, type TlsSession } from './types';

export async function tlsStep<C>(s: ProbeSession<C>): Promise<StepOutcome> {
  const t = s.t;
  if (!t.https) return said('skipped', ref('network.tls.plainHttp', { host: t.host }));
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
  return english(ref('network.howTo.trustRoot', platformOf(platform)));
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
        ? 'an extra certificate (Marketdesk: Settings > Network > Extra certificates)'
        : 'a root trusted locally on this machine';
  const rootName = displayName(root?.subject ?? leaf?.issuer ?? 'an unknown root');
  if (session.anchor !== 'public') {
    const fix = session.anchor === 'extra' ? 'network.tls.fix.inspectedExtra' : 'network.tls.fix.inspectedLocal';
    const summary = ref('network.tls.inspected', { host: target.host, root: rootName });
    return { ...said('warning', summary, ref(fix, { root: rootName })), details };
  }
  const summary = ref('network.tls.ok', {
    protocol: session.protocol,
    host: target.host,
    subject: displayName(leaf?.subject ?? target.host),
    issuer: displayName(leaf?.issuer ?? '?'),
    until: leaf?.validTo ?? '?',
    root: rootName,
  });
  return { ...said('ok', summary), details };
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
  const now_ = now.toISOString();
  const failed = (summary: MessageRef, fix: MessageRef): StepOutcome => ({ ...said('failed', summary, fix), details });
  const issuer = displayName(leaf?.issuer ?? 'an unknown authority');
  const os = platformOf(platform);
  const port = String(target.port);
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return failed(
        ref('network.tls.selfSigned', { host, subject: leaf?.subject ?? '' }),
        ref('network.tls.fix.selfSigned', { host, ...os }),
      );
    case 'SELF_SIGNED_CERT_IN_CHAIN': {
      const root = displayName(last?.subject ?? leaf?.issuer ?? 'an unknown root');
      return failed(ref('network.tls.untrustedRoot', { host, root }), ref('network.fix.trustRoot', { root, ...os }));
    }
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return failed(
        ref('network.tls.unknownIssuer', { host, issuer, code }),
        ref('network.tls.fix.unknownIssuer', { host, issuer, ...os }),
      );
    case 'CERT_HAS_EXPIRED':
      return failed(
        ref('network.tls.expired', { host, until: leaf?.validTo ?? '', now: now_ }),
        ref('network.tls.fix.expired', { host, issuer, ...os }),
      );
    case 'CERT_NOT_YET_VALID':
      return failed(
        ref('network.tls.notYetValid', { host, from: leaf?.validFrom ?? '', now: now_ }),
        ref('network.tls.fix.notYetValid', { host, ...os }),
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return failed(
        ref('network.tls.otherName', { host, names: leaf?.altNames ?? (leaf ? displayName(leaf.subject) : '') }),
        ref('network.tls.fix.otherName', { host, origin: target.url.origin }),
      );
    case 'BAD_EXTRA_CA':
      return failed(ref('network.badExtraCa', { error: describeError(err) }), ref('network.fix.badExtraCa'));
  }
  if (err instanceof ProbeTimeoutError)
    return failed(
      ref('network.tls.timeout', { host, port, ...limitOf(err) }),
      ref('network.tls.fix.timeout', { host, port, origin: target.url.origin }),
    );
  if (code && isCertificateCode(code))
    return failed(ref('network.tls.refused', { host, code }), ref('network.tls.fix.refused', { host, issuer, ...os }));
  return failed(
    ref('network.tls.failed', { host, error: code ?? describeError(err) }),
    ref('network.tls.fix.failed', { host, port }),
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
