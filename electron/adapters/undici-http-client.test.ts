import { describe, expect, it } from 'vitest';
import { toTransportError } from './undici-http-client';

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
