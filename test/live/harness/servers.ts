/**
 * Loopback servers for live-probe tests: an HTTPS server choosing its certificate by SNI and its answer by Host,
 * an HTTP CONNECT proxy (open, or demanding authentication), blackholes (accept and never answer), and a port
 * where nothing listens.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Leaf } from './certs';

interface Closable {
  close(cb: () => void): unknown;
}

/** Tracks sockets so close() does not wait for idle keep-alive or held connections. */
abstract class Harness<S extends net.Server> {
  protected readonly sockets = new Set<net.Socket>();
  port = 0;

  protected constructor(protected readonly server: S) {
    server.on('connection', (s: net.Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server as unknown as Closable).close(() => resolve()));
  }
}

export interface Site {
  leaf: Leaf;
  /** Answer to GET (default 200 with an empty body). */
  respond?: (path: string) => { status: number; body: string };
}

/** HTTPS on 127.0.0.1: SNI picks the site (certificate), Host its answer. Unknown names get `fallback`. */
export class TestHttpsServer extends Harness<https.Server> {
  readonly requests: Array<{ host: string; path: string; sni?: string }> = [];

  constructor(sites: Record<string, Site>, fallback: Leaf) {
    const contexts = new Map(Object.entries(sites).map(([name, s]) => [name, tls.createSecureContext({ key: s.leaf.key, cert: s.leaf.cert })]));
    super(https.createServer(
      {
        key: fallback.key, cert: fallback.cert,
        SNICallback: (name, cb) => cb(null, contexts.get(name.toLowerCase()) ?? tls.createSecureContext({ key: fallback.key, cert: fallback.cert })),
      },
      (req, res) => {
        const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
        const sni = (req.socket as tls.TLSSocket).servername || undefined;
        this.requests.push({ host, path: req.url ?? '/', ...(sni ? { sni } : {}) });
        const answer = sites[host]?.respond?.(req.url ?? '/') ?? { status: 200, body: '' };
        res.writeHead(answer.status, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(answer.body);
      },
    ));
  }
}

/** An HTTP CONNECT proxy that tunnels every CONNECT to `target` (127.0.0.1:port), or answers 407. */
export class TestProxy extends Harness<http.Server> {
  readonly connects: Array<{ target: string; proxyAuthorization?: string }> = [];

  constructor(mode: 'open' | 'auth', targetPort: () => number) {
    super(http.createServer((_req, res) => {
      res.writeHead(405);
      res.end();
    }));
    this.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const auth = req.headers['proxy-authorization'];
      this.connects.push({ target: req.url ?? '', ...(auth ? { proxyAuthorization: String(auth) } : {}) });
      client.on('error', () => undefined);
      if (mode === 'auth') {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = net.connect(targetPort(), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
    });
  }
}

/** Accepts TCP connections and never sends a byte: a TLS handshake or HTTP request waits forever. */
export class Blackhole extends Harness<net.Server> {
  accepted = 0;

  constructor() {
    super(net.createServer(() => {
      this.accepted++;
    }));
  }
}

/** A TLS server that completes the handshake but never answers the HTTP request. */
export class SilentTlsServer extends Harness<tls.Server> {
  constructor(leaf: Leaf) {
    super(tls.createServer({ key: leaf.key, cert: leaf.cert }, () => undefined));
  }
}

/** A loopback port with nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
