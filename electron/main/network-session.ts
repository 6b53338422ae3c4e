/**
 * The profile's network settings applied to Electron's session (Chromium's network stack does the
 * requests there): proxy mode and rules, proxy credentials from the keychain, and extra trusted
 * roots, added to, never replacing, the OS trust store.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { NetworkSettings } from '../../shared/model';
import type { NetworkRuntime } from '../core/network-service';

/** Electron's `ProxyConfig`, as `session.setProxy` takes it. */
export interface ProxyConfigLike {
  mode: 'direct' | 'system' | 'fixed_servers' | 'pac_script';
  proxyRules?: string;
  proxyBypassRules?: string;
  pacScript?: string;
}

export function electronProxyConfig(network: NetworkSettings): ProxyConfigLike {
  switch (network.proxyMode) {
    case 'direct':
      return { mode: 'direct' };
    case 'system':
      return { mode: 'system' };
    case 'pac':
      return { mode: 'pac_script', pacScript: network.pacUrl };
    case 'manual': {
      const proxy = new URL(network.proxyUrl);
      // Chromium's rule syntax: "https://host:port" means an HTTPS proxy, a bare host:port an HTTP one.
      const rule = proxy.protocol === 'https:' ? `https://${proxy.host}` : proxy.host;
      return { mode: 'fixed_servers', proxyRules: rule, proxyBypassRules: network.bypass.join(',') };
    }
  }
}

/** What `session` offers that this module uses (a fake in tests). */
export interface SessionLike {
  setProxy(config: ProxyConfigLike): Promise<void>;
  closeAllConnections(): Promise<void>;
}

/** Applies the proxy settings, then drops open connections so the next request uses them. */
export async function applyProxy(session: SessionLike, network: NetworkSettings): Promise<void> {
  await session.setProxy(electronProxyConfig(network));
  await session.closeAllConnections();
}

/**
 * The answer to Chromium's `login` event for a proxy: the manual proxy's user and keychain
 * password, once per request; a second challenge for the same request means they were refused,
 * and is left unanswered so the request fails with a 407 the core reports as proxy authentication.
 */
export function proxyCredentials(
  rt: NetworkRuntime,
  auth: { isProxy: boolean; host: string; port: number },
  alreadyTried: boolean,
): { username: string; password: string } | null {
  if (!auth.isProxy || alreadyTried || !rt.proxyAuthorization || rt.settings.proxyMode !== 'manual') return null;
  const proxy = new URL(rt.settings.proxyUrl);
  if (proxy.hostname !== auth.host || Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)) !== auth.port)
    return null; // another proxy (PAC, system): never hand it our credentials
  const decoded = Buffer.from(rt.proxyAuthorization.replace(/^Basic /, ''), 'base64').toString();
  const colon = decoded.indexOf(':');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Electron's `Certificate` (the part used): DER-less PEM data and the issuer chain. */
export interface CertificateLike {
  data: string;
  issuerCert?: CertificateLike | null;
}

/**
 * `session.setCertificateVerifyProc`: Chromium's verdict stands (-3) except for one case: an
 * unknown authority, when the chain Chromium saw ends in one of the extra roots, the leaf is valid
 * now and matches the host name. Then 0 (trusted). Expired, wrong-name or revoked certificates keep
 * their error: the extra roots add trust, they never excuse a bad certificate.
 */
export function verifyWithExtraRoots(
  request: { hostname: string; certificate: CertificateLike; errorCode: number; verificationResult: string },
  extraCa: readonly string[],
  now: Date = new Date(),
): number {
  if (request.errorCode === 0 || extraCa.length === 0) return -3;
  if (request.verificationResult !== 'net::ERR_CERT_AUTHORITY_INVALID') return -3;
  let chain: X509Certificate[];
  let roots: X509Certificate[];
  try {
    chain = [];
    for (let c: CertificateLike | null | undefined = request.certificate; c && chain.length < 10; c = c.issuerCert)
      chain.push(new X509Certificate(c.data));
    roots = extraCa.map((pem) => new X509Certificate(pem));
  } catch {
    return -3;
  }
  const leaf = chain[0];
  const host = request.hostname.replace(/^\[|\]$/g, '');
  if (!leaf || !(isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host))) return -3;
  for (const cert of chain) {
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) return -3;
  }
  for (let i = 0; i < chain.length - 1; i++) {
    const child = chain[i]!;
    const parent = chain[i + 1]!;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) return -3;
  }
  const last = chain[chain.length - 1]!;
  const trusted = roots.some(
    (root) => last.fingerprint256 === root.fingerprint256 || (last.checkIssued(root) && last.verify(root.publicKey)),
  );
  return trusted ? 0 : -3;
}
