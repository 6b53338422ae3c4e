/**
 * Test support, run as a child process (`node --trace-wasm-compilation-times --import
 * jiti/register`): downloads a 13 MB body from a local server with {@link UndiciHttpClient} (or
 * with undici alone when `bare` is the argument), so that the test can read V8's trace of which
 * compiler each WebAssembly function got.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { UndiciHttpClient } from './undici-http-client';

const body = Buffer.alloc(13_000_000, 7);
const server = createServer((_req, res) => {
  res.setHeader('content-length', body.length);
  res.end(body);
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
try {
  if (process.argv[2] === 'bare') {
    const res = await request(url);
    for await (const chunk of res.body) void chunk;
  } else {
    const res = await new UndiciHttpClient().send({ url, headers: {}, timeoutMs: 30_000, connectTimeoutMs: 5_000 });
    for await (const chunk of res.body) void chunk;
  }
} finally {
  server.close();
}
