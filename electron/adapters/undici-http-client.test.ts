import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testkitOutput } from '../testkit-output.testkit';
import { toTransportError } from './undici-http-client';

describe('UndiciHttpClient and V8 tiers', () => {
  /** Which compilers V8 used for undici's WebAssembly parser while downloading 13 MB. */
  const compilers = (mode: 'client' | 'bare'): string[] => {
    const out = testkitOutput(join(__dirname, 'undici-tier.testkit.ts'), [mode], ['--trace-wasm-compilation-times']);
    return [...out.matchAll(/ using (\w+),/g)].map((m) => m[1]!);
  };

  it('keeps the HTTP parser on the baseline tier during a download (no TurboFan compile)', () => {
    const used = compilers('client');
    expect(used).toContain('Liftoff');
    expect(used).not.toContain('TurboFan');
  });

  it('(control) without the client, the same download makes V8 compile the parser with TurboFan', () => {
    expect(compilers('bare')).toContain('TurboFan');
  });
});

describe('toTransportError', () => {
  it.each([
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x.invalid' }, false, 'dns'],
    [{ code: 'EAI_AGAIN' }, false, 'dns'],
    [{ code: 'ECONNREFUSED' }, false, 'refused'],
    [{ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } }, false, 'refused'],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, false, 'timeout'],
    [{ name: 'AbortError', message: 'aborted' }, true, 'timeout'],
    [{ code: 'CERT_HAS_EXPIRED' }, false, 'tls'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, false, 'tls'],
    [{ code: 'SELF_SIGNED_CERT_IN_CHAIN' }, false, 'tls'],
    [{ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, false, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, false, 'tls'],
    [{ code: 'UND_ERR_PRX_TLS' }, false, 'proxy'],
    [{ message: 'Proxy response (407) !== 200 when HTTP Tunneling' }, false, 'proxy'],
    [{ code: 'ECONNRESET' }, false, 'reset'],
    [{ code: 'UND_ERR_SOCKET', message: 'other side closed' }, false, 'reset'],
  ])('maps %j (timed out: %s) to %s', (err, timedOut, failure) => {
    expect(toTransportError(err, timedOut).failure).toBe(failure);
  });
});
