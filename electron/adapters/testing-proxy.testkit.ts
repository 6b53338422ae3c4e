/**
 * A real forward proxy for tests, on 127.0.0.1: CONNECT tunnels and absolute-form HTTP requests,
 * optionally behind Basic authentication (407 otherwise), counting what went through it.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface TestProxy {
  url: string;
  /** `CONNECT host:port` or `GET http://…` lines that were let through. */
  seen: string[];
  /** Requests refused with 407. */
  refused: number;
  close(): Promise<void>;
}

export async function startTestProxy(
  options: {
    user?: string;
    password?: string;
    /** `host:port` or `host` → `host:port` only the proxy knows: "reachable through the proxy only". */
    hosts?: Record<string, string>;
  } = {},
): Promise<TestProxy> {
  const mapped = (hostPort: string): { host: string; port: number } => {
    const to = options.hosts?.[hostPort] ?? options.hosts?.[hostPort.replace(/:\d+$/, '')] ?? hostPort;
    const [host = '', port = ''] = to.split(/:(?=\d+$)/);
    return { host: host.replace(/^\[|\]$/g, ''), port: Number(port) };
  };
  const expected =
    options.user === undefined
      ? null
      : `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`;
  const sockets = new Set<Socket>();
  const state = { seen: [] as string[], refused: 0 };
  const authorised = (req: IncomingMessage): boolean =>
    expected === null || req.headers['proxy-authorization'] === expected;

  const server = createServer((req, res) => {
    if (!authorised(req)) {
      state.refused += 1;
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"', 'Content-Length': '0' });
      res.end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    state.seen.push(`${req.method} ${target.href}`);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const to = mapped(`${target.hostname}:${target.port || '80'}`);
    const upstream = httpRequest(
      { host: to.host, port: to.port, path: target.pathname + target.search, method: req.method, headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.headersSent || res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (!authorised(req)) {
      state.refused += 1;
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    state.seen.push(`CONNECT ${req.url ?? ''}`);
    const to = mapped(req.url ?? '');
    const upstream = connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get seen() {
      return state.seen;
    },
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
