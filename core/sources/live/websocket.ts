/**
 * The WebSocket opening handshake (RFC 6455 §4) over an established TLS connection: the relay hosts
 * (`*.servicebus.windows.net`) carry WAC's Remote Desktop, Events and PowerShell tools as WebSockets, and a proxy or
 * firewall that terminates TLS can pass HTTPS yet drop the Upgrade. No frame is sent after the answer; no relay token
 * is sent either, so a relay may refuse the upgrade itself (then the request did reach it).
 */
import { createHash, randomBytes } from 'node:crypto';
import type tls from 'node:tls';
import type { WebSocketProbe } from '../../model/facts';
import { TOOL_NAME, TOOL_VERSION } from '../../model/report';
import { errorText, finishOnce, type Deadline } from './deadline';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HEAD = 16 * 1024;

/** The Sec-WebSocket-Accept a server must answer to `key`. */
export const acceptFor = (key: string): string => createHash('sha1').update(key + GUID).digest('base64');

/** The status line and headers of an HTTP answer head (names lowercased; a repeated header keeps the first). */
function parseHead(head: string): { status?: number; headers: Map<string, string> } {
  const lines = head.split('\r\n');
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(lines[0] ?? '');
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(i + 1).trim());
  }
  return m ? { status: Number(m[1]), headers } : { headers };
}

/** Sends the Upgrade request on `socket` and reads the answer head; the socket is destroyed afterwards. */
export function websocketUpgrade(socket: tls.TLSSocket, host: string, port: number, path: string, deadline: Deadline): Promise<WebSocketProbe> {
  const started = Date.now();
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const finish = finishOnce<WebSocketProbe>(
      resolve,
      deadline,
      () => ({ ok: false, error: `timed out after ${Date.now() - started} ms waiting for the answer to the WebSocket upgrade` }),
      () => {
        socket.removeListener('data', onData);
        socket.destroy();
      },
    );
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > MAX_HEAD) finish({ ok: false, error: 'the answer to the WebSocket upgrade has an oversized head' });
        return;
      }
      const { status, headers } = parseHead(buf.subarray(0, end).toString('latin1'));
      if (status === undefined) {
        finish({ ok: false, error: 'the answer to the WebSocket upgrade is not HTTP' });
        return;
      }
      const upgrade = headers.get('upgrade')?.toLowerCase() === 'websocket';
      const accept = headers.get('sec-websocket-accept');
      const out: WebSocketProbe = { ok: status === 101 && upgrade && accept === acceptFor(key), status, upgrade };
      if (accept !== undefined) out.acceptValid = accept === acceptFor(key);
      const server = headers.get('server') ?? headers.get('via');
      if (server) out.server = server.slice(0, 100);
      finish(out);
    };
    socket.on('data', onData);
    socket.once('error', (err) => finish({ ok: false, error: errorText(err) }));
    socket.once('close', () => finish({ ok: false, error: 'the connection closed without an answer to the WebSocket upgrade' }));
    socket.write([
      `GET ${path} HTTP/1.1`, `Host: ${port === 443 ? host : `${host}:${port}`}`, 'Connection: Upgrade', 'Upgrade: websocket',
      `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', `User-Agent: ${TOOL_NAME}/${TOOL_VERSION}`, '', '',
    ].join('\r\n'));
  });
}
