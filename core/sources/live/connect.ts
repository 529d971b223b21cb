/**
 * The connection layers of a probe, each bounded by the run's deadline: TCP connect (direct or an HTTP CONNECT
 * tunnel through a proxy), the TLS handshake with SNI (protocol, cipher, chain, expiry, host name, trust), and
 * an HTTP GET over that connection. Certificates are never rejected here: they are described, and judged by
 * the rules.
 */
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { TlsProbe } from '../../model/facts';
import { TOOL_NAME, TOOL_VERSION } from '../../model/report';
import { errorText, finishOnce, type Deadline } from './deadline';

export interface TcpOutcome {
  ok: boolean;
  ms: number;
  error?: string;
  socket?: net.Socket;
}

const USER_AGENT = `${TOOL_NAME}/${TOOL_VERSION}`;
const MAX_BODY = 64 * 1024;
const MAX_PROXY_HEADER = 16 * 1024;

function timedOut(what: string, started: number): string {
  return `timed out after ${Date.now() - started} ms ${what}`;
}

export function tcpConnect(address: string, port: number, deadline: Deadline): Promise<TcpOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    if (deadline.remaining() <= 0) {
      resolve({ ok: false, ms: 0, error: 'not attempted: no time left' });
      return;
    }
    const socket = net.connect({ host: address, port });
    const finish = finishOnce<TcpOutcome>(
      resolve,
      deadline,
      () => ({ ok: false, ms: Date.now() - started, error: timedOut(`connecting to ${address}:${port}`, started) }),
      (r) => { if (!r.ok) socket.destroy(); },
    );
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // later errors surface in the next layer
      finish({ ok: true, ms: Date.now() - started, socket });
    });
    socket.once('error', (err) => finish({ ok: false, ms: Date.now() - started, error: errorText(err) }));
  });
}

export interface TunnelOutcome extends TcpOutcome {
  /** The proxy itself could not be reached. */
  proxyUnreachable?: boolean;
  /** Status line code of the CONNECT answer. */
  status?: number;
  statusText?: string;
}

/**
 * Opens a CONNECT tunnel to host:port through an HTTP proxy at address:proxyPort. Credentials are never sent:
 * the WAC extension does not support authenticated proxies, so a 407 is the finding.
 */
export async function proxyTunnel(proxyAddress: string, proxyPort: number, host: string, port: number, deadline: Deadline): Promise<TunnelOutcome> {
  const started = Date.now();
  const tcp = await tcpConnect(proxyAddress, proxyPort, deadline);
  if (!tcp.ok || !tcp.socket) return { ok: false, ms: tcp.ms, error: `proxy ${proxyAddress}:${proxyPort}: ${tcp.error}`, proxyUnreachable: true };
  const socket = tcp.socket;
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const finish = finishOnce<TunnelOutcome>(
      resolve,
      deadline,
      () => ({ ok: false, ms: Date.now() - started, error: timedOut(`waiting for the proxy to answer CONNECT ${host}:${port}`, started) }),
      (r) => {
        socket.removeListener('data', onData);
        if (!r.ok) socket.destroy();
      },
    );
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > MAX_PROXY_HEADER) finish({ ok: false, ms: Date.now() - started, error: 'the proxy sent an oversized answer to CONNECT' });
        return;
      }
      const head = buf.subarray(0, end).toString('latin1');
      const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*([^\r\n]*)/.exec(head);
      if (!m) {
        finish({ ok: false, ms: Date.now() - started, error: `the proxy answered CONNECT with "${head.split('\r\n')[0]!.slice(0, 80)}", not HTTP` });
        return;
      }
      const status = Number(m[1]);
      const statusText = m[2]!.trim();
      if (status === 200) {
        const rest = buf.subarray(end + 4);
        if (rest.length) socket.unshift(rest);
        finish({ ok: true, ms: Date.now() - started, socket, status, statusText });
      } else {
        finish({ ok: false, ms: Date.now() - started, status, statusText, error: `the proxy answered CONNECT ${host}:${port} with ${status}${statusText ? ` ${statusText}` : ''}` });
      }
    };
    socket.on('data', onData);
    socket.on('close', () => finish({ ok: false, ms: Date.now() - started, error: 'the proxy closed the connection without answering CONNECT' }));
    socket.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\nUser-Agent: ${USER_AGENT}\r\n\r\n`);
  });
}

/** OpenSSL verify codes -> the wording OpenSSL, curl and the tls-inspection rule use. */
const VERIFY_TEXT: Record<string, string> = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_REVOKED: 'certificate revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
};

/** Failures that happen after the chain was built up to a trusted root. */
const CHAIN_TRUSTED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

function nameOf(dn: tls.Certificate | undefined): string | undefined {
  if (!dn) return undefined;
  const pick = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
  return pick(dn.CN) ?? pick(dn.O) ?? pick(dn.OU);
}

const protocolText = (p: string | null): string | undefined => (p ? p.replace(/^TLSv(\d)\.(\d)$/, 'TLS $1.$2').replace(/^TLSv1$/, 'TLS 1.0') : undefined);

/** Describes the peer certificate and how it verified against the trust store. */
export function describeTls(socket: tls.TLSSocket, host: string, checkTrust: boolean): TlsProbe {
  const leaf = socket.getPeerCertificate(true);
  const out: TlsProbe = { ok: true };
  const protocol = protocolText(socket.getProtocol());
  if (protocol) out.protocol = protocol;
  const cipher = socket.getCipher();
  if (cipher) out.cipher = cipher.standardName || cipher.name;
  if (!leaf || Object.keys(leaf).length === 0) return { ...out, ok: false, error: 'the server sent no certificate' };
  const subject = nameOf(leaf.subject);
  if (subject) out.subject = subject;
  const issuer = nameOf(leaf.issuer);
  if (issuer) out.issuer = issuer;
  const chain: string[] = [];
  let cert: tls.DetailedPeerCertificate | undefined = leaf;
  const seen = new Set<string>();
  while (cert && !seen.has(cert.fingerprint256) && chain.length < 10) {
    seen.add(cert.fingerprint256);
    const n = nameOf(cert.issuer);
    if (n) chain.push(n);
    cert = cert.issuerCertificate && cert.issuerCertificate !== cert ? cert.issuerCertificate : undefined;
  }
  if (chain.length) out.chain = chain;
  const validTo = Date.parse(leaf.valid_to);
  if (!Number.isNaN(validTo)) out.validTo = new Date(validTo).toISOString();
  if (!net.isIP(host)) out.hostnameMatch = tls.checkServerIdentity(host, leaf) === undefined;
  if (!checkTrust) return out;
  const code = socket.authorized ? undefined : String(socket.authorizationError ?? 'unknown verification error');
  out.trustedPublicCa = socket.authorized || (code !== undefined && CHAIN_TRUSTED.has(code));
  if (code) {
    out.ok = false;
    const what = VERIFY_TEXT[code] ?? code.toLowerCase().replace(/_/g, ' ');
    out.error = `${what} (${code}; issuer "${issuer ?? 'unnamed'}")`;
  }
  return out;
}

export interface TlsOutcome {
  tls: TlsProbe;
  socket?: tls.TLSSocket;
}

/**
 * TLS handshake over a connected socket. `checkTrust`: verify against `ca` (default: Node's bundled Mozilla roots)
 * and report trustedPublicCa; off for https://localhost, whose certificate is the gateway's own.
 */
export function tlsHandshake(socket: net.Socket, host: string, deadline: Deadline, opts: { ca?: string[]; checkTrust: boolean }): Promise<TlsOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const secure = tls.connect({
      socket,
      ...(net.isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ALPNProtocols: ['http/1.1'],
    });
    const finish = finishOnce<TlsOutcome>(
      resolve,
      deadline,
      () => ({ tls: { ok: false, error: timedOut('waiting for the TLS handshake', started) } }),
      (r) => { if (!r.socket) secure.destroy(); },
    );
    secure.once('secureConnect', () => {
      secure.removeAllListeners('error');
      secure.on('error', () => undefined);
      finish({ tls: describeTls(secure, host, opts.checkTrust), socket: secure });
    });
    secure.once('error', (err) => finish({ tls: { ok: false, error: errorText(err) } }));
    secure.once('close', () => finish({ tls: { ok: false, error: 'the connection closed during the TLS handshake' } }));
  });
}

export interface HttpOutcome {
  status?: number;
  body?: string;
  error?: string;
}

/** GET path over an established TLS connection (no redirects followed; the body is cut at 64 KiB). */
export function httpGet(socket: tls.TLSSocket, host: string, port: number, path: string, deadline: Deadline, headers: Record<string, string> = {}): Promise<HttpOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = http.request({
      method: 'GET', path, host, port,
      createConnection: () => socket,
      headers: { Host: port === 443 ? host : `${host}:${port}`, 'User-Agent': USER_AGENT, Accept: '*/*', 'Accept-Encoding': 'identity', Connection: 'close', ...headers },
    });
    const finish = finishOnce<HttpOutcome>(
      resolve,
      deadline,
      () => {
        req.destroy();
        return { error: timedOut(`waiting for the HTTP answer to GET ${path}`, started) };
      },
      () => socket.destroy(),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => finish({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') });
      res.on('data', (c: Buffer) => {
        if (size >= MAX_BODY) return;
        chunks.push(c.subarray(0, MAX_BODY - size));
        size += c.length;
        if (size >= MAX_BODY) done();
      });
      res.on('end', done);
      res.on('error', (err) => (chunks.length ? done() : finish({ status: res.statusCode, error: errorText(err) })));
      res.on('close', done);
    });
    req.on('error', (err) => finish({ error: errorText(err) }));
    req.end();
  });
}

/** Plain HTTP GET to a loopback service (the HIMDS status endpoint). */
export function httpGetPlain(url: URL, deadline: Deadline, headers: Record<string, string>): Promise<HttpOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = http.get(url, { headers: { 'User-Agent': USER_AGENT, ...headers }, agent: false });
    const finish = finishOnce<HttpOutcome>(resolve, deadline, () => {
      req.destroy();
      return { error: timedOut(`waiting for ${url.host}`, started) };
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      res.on('end', () => finish({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => finish({ status: res.statusCode, error: errorText(err) }));
    });
    req.on('error', (err) => finish({ error: errorText(err) }));
  });
}
