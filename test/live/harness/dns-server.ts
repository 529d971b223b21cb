/**
 * A DNS server on 127.0.0.1 (UDP and TCP on the same port) with dns-packet, answering from a small zone:
 * addresses (with optional CNAME chains), NXDOMAIN, SERVFAIL, REFUSED, silence, and "truncate" (UDP answers with
 * TC set and no records, TCP with the full answer). Counts queries per transport so tests can assert the fallback.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';

export type ZoneEntry =
  | { kind: 'answer'; addresses: string[]; cname?: string[] }
  | { kind: 'nxdomain' | 'servfail' | 'refused' | 'silent' }
  | { kind: 'truncate'; addresses: string[] };

export interface QueryLog {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

const RCODE = { nxdomain: 3, servfail: 2, refused: 5 } as const;

export class TestDnsServer {
  readonly queries: QueryLog[] = [];
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private readonly tcpSockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly zone: Record<string, ZoneEntry>) {}

  /** The answer packet for a query, or undefined for silence. */
  private answer(query: dnsPacket.DecodedPacket, transport: 'udp' | 'tcp'): Buffer | undefined {
    const q = query.questions?.[0];
    if (!q) return undefined;
    const name = q.name.toLowerCase();
    this.queries.push({ name, type: q.type, transport });
    const entry = this.zone[name] ?? { kind: 'nxdomain' };
    if (entry.kind === 'silent') return undefined;
    const base = { type: 'response' as const, id: query.id, questions: query.questions };
    const flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE;
    if (entry.kind === 'nxdomain' || entry.kind === 'servfail' || entry.kind === 'refused') {
      return dnsPacket.encode({ ...base, flags: flags | RCODE[entry.kind] });
    }
    if (entry.kind === 'truncate' && transport === 'udp') {
      return dnsPacket.encode({ ...base, flags: flags | dnsPacket.TRUNCATED_RESPONSE });
    }
    const answers: dnsPacket.Answer[] = [];
    let owner = name;
    for (const target of (entry.kind === 'answer' ? entry.cname : undefined) ?? []) {
      answers.push({ type: 'CNAME', name: owner, ttl: 60, class: 'IN', data: target });
      owner = target;
    }
    const wanted = q.type === 'AAAA' ? net.isIPv6 : q.type === 'A' ? net.isIPv4 : () => false;
    for (const a of ('addresses' in entry ? entry.addresses : []).filter((x) => wanted(x))) answers.push({ type: q.type as 'A' | 'AAAA', name: owner, ttl: 60, class: 'IN', data: a });
    return dnsPacket.encode({ ...base, flags, answers });
  }

  async start(): Promise<this> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const udp = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(0, '127.0.0.1', () => resolve());
      });
      const port = udp.address().port;
      const tcp = net.createServer((socket) => this.serveTcp(socket));
      const ok = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (!ok) {
        udp.close();
        continue;
      }
      udp.on('message', (msg, rinfo) => {
        let query: dnsPacket.DecodedPacket;
        try {
          query = dnsPacket.decode(msg);
        } catch {
          return;
        }
        const out = this.answer(query, 'udp');
        if (out) udp.send(out, rinfo.port, rinfo.address);
      });
      [this.udp, this.tcp, this.port] = [udp, tcp, port];
      return this;
    }
    throw new Error('no free port for the test DNS server');
  }

  private serveTcp(socket: net.Socket): void {
    this.tcpSockets.add(socket);
    socket.on('close', () => this.tcpSockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const out = this.answer(dnsPacket.decode(msg), 'tcp');
        if (out) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(out.length);
          socket.write(Buffer.concat([head, out]));
        }
      }
    });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.udp?.close();
    for (const s of this.tcpSockets) s.destroy();
    await new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve()));
  }
}
