/**
 * Loopback servers for live-probe tests: an HTTPS server choosing its certificate by SNI and its answer by Host,
 * an HTTP CONNECT proxy (open, or demanding authentication), blackholes (accept and never answer), and a port
 * where nothing listens.
 */
import { createHash } from 'node:crypto';
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
  /** Answer a WebSocket upgrade: `accept` with 101 and the right Sec-WebSocket-Accept (`wrong-accept`: a bad one); else 400. */
  websocket?: 'accept' | 'wrong-accept';
}

/** RFC 6455 §4.2.2: the accept value for a client key. */
export const websocketAccept = (key: string): string => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');

/** HTTPS on 127.0.0.1: SNI picks the site (certificate), Host its answer. Unknown names get `fallback`. */
export class TestHttpsServer extends Harness<https.Server> {
  readonly requests: Array<{ host: string; path: string; sni?: string }> = [];
  /** WebSocket upgrade requests: host, path and the handshake headers as received. */
  readonly upgrades: Array<{ host: string; path: string; connection?: string; upgrade?: string; version?: string; key?: string }> = [];

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
    // A hand-written RFC 6455 server handshake (no frames are exchanged after it).
    this.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const h = req.headers;
      const key = typeof h['sec-websocket-key'] === 'string' ? h['sec-websocket-key'] : undefined;
      this.upgrades.push({ host, path: req.url ?? '/', ...(h.connection ? { connection: h.connection } : {}), ...(h.upgrade ? { upgrade: h.upgrade } : {}),
        ...(h['sec-websocket-version'] ? { version: String(h['sec-websocket-version']) } : {}), ...(key ? { key } : {}) });
      socket.on('error', () => undefined);
      const mode = sites[host]?.websocket;
      const valid = key !== undefined && /upgrade/i.test(h.connection ?? '') && /^websocket$/i.test(h.upgrade ?? '') && h['sec-websocket-version'] === '13';
      if (!mode || !valid) {
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const accept = mode === 'accept' ? websocketAccept(key) : websocketAccept(`${key}x`);
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    });
  }
}

/**
 * A TLS-inspecting CONNECT proxy: it accepts CONNECT, terminates TLS itself with `leaf` (its own CA's forgery), and
 * either forwards each request to the real server with the WebSocket headers stripped (`strip`: the server then
 * answers a plain GET), or answers an upgrade itself with a 403 block page (`refuse`).
 */
export class InspectingProxy extends Harness<http.Server> {
  readonly upgradesSeen: string[] = [];
  private readonly inner: http.Server;

  constructor(mode: 'strip' | 'refuse', leaf: Leaf, targetPort: () => number, ca: string) {
    super(http.createServer((_req, res) => {
      res.writeHead(405);
      res.end();
    }));
    const forward = (req: http.IncomingMessage, write: (status: number, body: string) => void): void => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      const headers = { ...req.headers };
      for (const name of ['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions']) delete headers[name];
      const up = https.request({ host: '127.0.0.1', port: targetPort(), servername: host, path: req.url, method: req.method, headers: { ...headers, connection: 'close' }, ca, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => write(res.statusCode ?? 502, Buffer.concat(chunks).toString('utf8')));
      });
      up.on('error', () => write(502, 'upstream failed'));
      up.end();
    };
    this.inner = http.createServer((req, res) => forward(req, (status, body) => {
      res.writeHead(status);
      res.end(body);
    }));
    this.inner.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
      this.upgradesSeen.push(req.headers.host ?? '');
      socket.on('error', () => undefined);
      const answer = (status: number, body: string): void => {
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      };
      if (mode === 'refuse') answer(403, '<html><title>WebSockets are not allowed by Contoso Web Filter</title></html>');
      else forward(req, answer);
    });
    this.server.on('connect', (_req: http.IncomingMessage, client: net.Socket) => {
      client.on('error', () => undefined);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n', () => {
        const secure = new tls.TLSSocket(client, { isServer: true, key: leaf.key, cert: leaf.cert });
        secure.on('error', () => undefined);
        this.sockets.add(secure);
        this.inner.emit('connection', secure);
      });
    });
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
