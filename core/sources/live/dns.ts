/**
 * DNS probes with dns-packet, straight to each resolver: UDP (retransmitted each second), TCP when the answer
 * is truncated. Per resolver: the answer (with its CNAME chain), NXDOMAIN, SERVFAIL, REFUSED, a timeout or an
 * error. The OS resolver (getaddrinfo) is not used: it cannot be cancelled, and it would hide which resolver
 * said what. The hosts file is read separately, since Windows and Linux consult it before DNS.
 */
import dgram from 'node:dgram';
import { getServers } from 'node:dns';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DnsProbe } from '../../model/facts';
import { isPrivateAddress } from '../../model/net-address';
import { errorText, finishOnce, type Deadline } from './deadline';
import { DEFAULT_DNS_PORT, parseDnsServer, type DnsServer } from './options';

type RecordKind = 'A' | 'AAAA';

interface QueryResult {
  rcode?: string;
  answers: dnsPacket.Answer[];
  transport: 'udp' | 'tcp';
  timedOut?: boolean;
  error?: string;
}

/** A resolver's answer for one name, as probes.json records it. */
export interface ResolverAnswer extends DnsProbe {
  resolver: string;
  ms: number;
  transport?: 'udp' | 'tcp';
}

export const resolverLabel = (s: DnsServer): string =>
  s.port === DEFAULT_DNS_PORT ? s.address : net.isIPv6(s.address) ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`;

const RETRANSMIT_MS = 1000;

function queryPacket(name: string, type: RecordKind): { id: number; buf: Buffer; packet: dnsPacket.Packet } {
  const id = Math.floor(Math.random() * 0x10000);
  const packet: dnsPacket.Packet = { type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] };
  return { id, buf: dnsPacket.encode(packet), packet };
}

function queryTcp(server: DnsServer, packet: dnsPacket.Packet, id: number, deadline: Deadline): Promise<QueryResult> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const socket = net.connect({ host: server.address, port: server.port });
    const finish = finishOnce<QueryResult>(resolve, deadline, () => ({ answers: [], transport: 'tcp', timedOut: true }), () => socket.destroy());
    socket.on('connect', () => socket.write(dnsPacket.streamEncode(packet)));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2) return;
      const len = buf.readUInt16BE(0);
      if (buf.length < 2 + len) return;
      try {
        const res = dnsPacket.decode(buf.subarray(2, 2 + len)) as dnsPacket.DecodedPacket & { rcode?: string };
        if (res.id !== id) return finish({ answers: [], transport: 'tcp', error: 'answer with a foreign id' });
        finish({ rcode: res.rcode ?? 'NOERROR', answers: res.answers ?? [], transport: 'tcp' });
      } catch (err) {
        finish({ answers: [], transport: 'tcp', error: `malformed answer: ${errorText(err)}` });
      }
    });
    socket.on('error', (err) => finish({ answers: [], transport: 'tcp', error: errorText(err) }));
    socket.on('close', () => finish({ answers: [], transport: 'tcp', error: 'connection closed without an answer' }));
  });
}

/** One query over UDP (TCP on truncation), bounded by the deadline. */
export function query(name: string, type: RecordKind, server: DnsServer, deadline: Deadline): Promise<QueryResult> {
  const { id, buf, packet } = queryPacket(name, type);
  return new Promise((resolve) => {
    if (deadline.remaining() <= 0) {
      resolve({ answers: [], transport: 'udp', timedOut: true });
      return;
    }
    const socket = dgram.createSocket(net.isIPv6(server.address) ? 'udp6' : 'udp4');
    let resend: NodeJS.Timeout | undefined;
    const finish = finishOnce<QueryResult | Promise<QueryResult>>(resolve, deadline, () => ({ answers: [], transport: 'udp', timedOut: true }), () => {
      clearInterval(resend);
      try {
        socket.close();
      } catch {
        // already closed
      }
    });
    socket.on('error', (err) => finish({ answers: [], transport: 'udp', error: errorText(err) }));
    socket.on('message', (msg) => {
      let res: dnsPacket.DecodedPacket & { rcode?: string };
      try {
        res = dnsPacket.decode(msg) as typeof res;
      } catch {
        return; // not a DNS answer: keep waiting
      }
      if (res.id !== id || res.type !== 'response') return;
      if (res.flag_tc) {
        finish(queryTcp(server, packet, id, deadline));
        return;
      }
      finish({ rcode: res.rcode ?? 'NOERROR', answers: res.answers ?? [], transport: 'udp' });
    });
    // A connected socket hears ICMP port-unreachable as ECONNREFUSED, so a dead resolver fails fast.
    socket.connect(server.port, server.address, () => {
      const send = (): void => socket.send(buf, (err) => { if (err) finish({ answers: [], transport: 'udp', error: errorText(err) }); });
      send();
      resend = setInterval(send, RETRANSMIT_MS);
    });
  });
}

/** Follows CNAMEs from `name` through the answer section; returns the chain and the final name. */
function cnameChain(name: string, answers: readonly dnsPacket.Answer[]): { chain: string[]; final: string } {
  const chain: string[] = [];
  let current = name.toLowerCase();
  for (let i = 0; i < 10; i++) {
    const c = answers.find((a) => a.type === 'CNAME' && a.name.toLowerCase() === current);
    if (!c) break;
    current = String((c as dnsPacket.StringAnswer).data).toLowerCase();
    chain.push(current);
  }
  return { chain, final: current };
}

function addressesOf(answers: readonly dnsPacket.Answer[], type: RecordKind, final: string): string[] {
  const all = answers.filter((a) => a.type === type);
  const named = all.filter((a) => a.name.toLowerCase() === final);
  return (named.length ? named : all).map((a) => String((a as dnsPacket.StringAnswer).data));
}

const STATUS: Record<string, DnsProbe['status']> = { NOERROR: 'ok', NXDOMAIN: 'nxdomain', SERVFAIL: 'servfail', REFUSED: 'refused' };

/** A and AAAA from one resolver, as one answer. The A query decides the status (AAAA is often filtered). */
export async function resolveWith(name: string, server: DnsServer, deadline: Deadline): Promise<ResolverAnswer> {
  const started = Date.now();
  const [a, aaaa] = await Promise.all([query(name, 'A', server, deadline), query(name, 'AAAA', server, deadline)]);
  const resolver = resolverLabel(server);
  const ms = Date.now() - started;
  if (a.timedOut) return { status: 'timeout', addresses: [], resolver, ms, error: `no answer from ${resolver} within ${ms} ms` };
  if (a.error || !a.rcode) return { status: 'error', addresses: [], resolver, ms, transport: a.transport, error: a.error ?? 'no answer' };
  const status = STATUS[a.rcode] ?? 'error';
  const { chain, final } = cnameChain(name, a.answers);
  const addresses = [...addressesOf(a.answers, 'A', final)];
  if (aaaa.rcode === 'NOERROR') for (const x of addressesOf(aaaa.answers, 'AAAA', final)) if (!addresses.includes(x)) addresses.push(x);
  const out: ResolverAnswer = { status, addresses, resolver, ms, transport: a.transport };
  if (chain.length) out.cname = chain;
  if (addresses.length) out.private = addresses.some(isPrivateAddress);
  if (status === 'error') out.error = `rcode ${a.rcode}`;
  else if (status === 'ok' && addresses.length === 0) out.error = 'no A or AAAA records';
  return out;
}

/** The resolvers the system uses: /etc/resolv.conf on Linux (glibc reads at most 3), else Node's view of them. */
export async function systemResolvers(platform: NodeJS.Platform, resolvConf = '/etc/resolv.conf'): Promise<{ servers: DnsServer[]; source: string }> {
  if (platform === 'linux') {
    let text = '';
    try {
      text = await readFile(resolvConf, 'utf8');
    } catch {
      return { servers: [{ address: '127.0.0.1', port: DEFAULT_DNS_PORT }], source: `${resolvConf} unreadable; glibc's default 127.0.0.1` };
    }
    const servers: DnsServer[] = [];
    for (const m of text.matchAll(/^\s*nameserver\s+(\S+)/gm)) {
      try {
        servers.push(parseDnsServer(m[1]!));
      } catch {
        // not an address: glibc ignores it too
      }
      if (servers.length === 3) break;
    }
    if (servers.length === 0) return { servers: [{ address: '127.0.0.1', port: DEFAULT_DNS_PORT }], source: `${resolvConf} lists none; glibc's default 127.0.0.1` };
    return { servers, source: resolvConf };
  }
  const servers: DnsServer[] = [];
  for (const s of getServers()) {
    try {
      servers.push(parseDnsServer(s));
    } catch {
      // skip
    }
  }
  return { servers: servers.slice(0, 3), source: 'the system DNS client configuration' };
}

/** name (lowercase) -> addresses, from a hosts file. Missing file: empty. */
export async function readHostsFile(path: string): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return map;
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [addr, ...names] = line.split(/\s+/);
    if (!addr || !net.isIP(addr)) continue;
    for (const n of names) {
      const key = n.toLowerCase().replace(/\.$/, '');
      const list = map.get(key) ?? [];
      if (!list.includes(addr)) list.push(addr);
      map.set(key, list);
    }
  }
  return map;
}

/**
 * The answer that stands for the machine's view: the first resolver that answered definitively (a stub resolver
 * moves to the next only on timeout or failure), else the first result.
 */
export function chooseAnswer(answers: readonly ResolverAnswer[]): ResolverAnswer | undefined {
  return answers.find((a) => a.status === 'ok' || a.status === 'nxdomain') ?? answers[0];
}
