/**
 * One endpoint, layer by layer: DNS from every resolver (in parallel with everything else), then TCP (direct, or a
 * CONNECT tunnel through the proxy), TLS with SNI, and a GET when the rules need the body. All bounded by the
 * run's deadline. --resolve / --connect-to only change where the connection goes; DNS is still probed.
 */
import net from 'node:net';
import type { DnsProbe, LocalHttpsFact } from '../../model/facts';
import { isPrivateAddress } from '../../model/net-address';
import type { ProbeRecord } from '../../parsers/wac-doctor-probes';
import { httpGet, proxyTunnel, tcpConnect, tlsHandshake, type TunnelOutcome } from './connect';
import type { Deadline } from './deadline';
import { chooseAnswer, resolveWith, type ResolverAnswer } from './dns';
import type { EndpointTarget } from './endpoints';
import { overrideFor, type ConnectOverride, type DnsServer } from './options';
import { bypassReason, type ProxyChoice } from './proxy';

export interface NetworkContext {
  deadline: Deadline;
  resolvers: DnsServer[];
  hosts: Map<string, string[]>;
  overrides: ConnectOverride[];
  /** Resolves to the proxy decision (bounded by the caller). */
  proxy: Promise<ProxyChoice | undefined>;
  ca?: string[];
}

export interface EndpointResult {
  record: ProbeRecord;
  /** The CONNECT attempt, when the probe went through the proxy. */
  tunnel?: TunnelOutcome;
}

const MAX_BODY_KEPT = 4096;

const preferV4 = (addresses: readonly string[]): string | undefined => addresses.find((a) => net.isIPv4(a)) ?? addresses[0];

/** An address for a name that is not the endpoint (the proxy): literal, override, hosts file, then DNS. */
async function addressFor(host: string, port: number, ctx: NetworkContext): Promise<{ address?: string; port: number; error?: string }> {
  const o = overrideFor(ctx.overrides.filter((x) => x.host !== ''), host, port);
  const to = o?.toPort ?? port;
  if (o?.address) return { address: o.address, port: to };
  if (net.isIP(host)) return { address: host, port: to };
  const fromHosts = ctx.hosts.get(host.toLowerCase());
  if (fromHosts?.length) return { address: preferV4(fromHosts), port: to };
  const answers = await Promise.all(ctx.resolvers.map((r) => resolveWith(host, r, ctx.deadline)));
  const chosen = chooseAnswer(answers);
  const address = chosen?.status === 'ok' ? preferV4(chosen.addresses) : undefined;
  return address ? { address, port: to } : { port: to, error: `cannot resolve ${host}: DNS ${chosen?.status ?? 'no resolver'}` };
}

/** The answer that stands for the machine: the hosts file first, then the resolvers as a stub resolver uses them. */
function machineAnswer(host: string, ctx: NetworkContext, answers: ResolverAnswer[]): DnsProbe | undefined {
  const fromHosts = ctx.hosts.get(host);
  if (fromHosts?.length) return { status: 'ok', addresses: fromHosts, resolver: 'hosts file', private: fromHosts.some(isPrivateAddress) };
  const chosen = chooseAnswer(answers);
  if (!chosen) return undefined;
  const { ms: _ms, transport: _t, ...dns } = chosen;
  if (answers.length > 1 && chosen.status !== 'ok' && chosen.status !== 'nxdomain') {
    dns.resolver = answers.map((a) => a.resolver).join(', ');
  }
  return dns;
}

export async function probeEndpoint(target: EndpointTarget, ctx: NetworkContext): Promise<EndpointResult> {
  const started = Date.now();
  const { host, port } = target;
  const dnsAnswers = Promise.all(ctx.resolvers.map((r) => resolveWith(host, r, ctx.deadline)));
  const record: ProbeRecord = { host, port, url: `https://${host}${port === 443 ? '' : `:${port}`}${target.path ?? ''}` };
  const fromHosts = ctx.hosts.get(host);
  if (fromHosts?.length) record.hostsFile = fromHosts;

  const proxy = await ctx.proxy;
  const bypass = proxy ? bypassReason(proxy, host, port) : undefined;
  let tunnel: TunnelOutcome | undefined;
  let socket: net.Socket | undefined;

  if (proxy && !bypass) {
    record.via = 'proxy';
    record.proxy = proxy.url;
    if (proxy.unsupported) {
      record.tcp = { ok: false, error: `proxy ${proxy.url}: ${proxy.unsupported}` };
      tunnel = { ok: false, ms: 0, error: proxy.unsupported };
    } else {
      const where = await addressFor(proxy.host, proxy.port, ctx);
      if (!where.address) {
        tunnel = { ok: false, ms: 0, error: `proxy ${proxy.url}: ${where.error}`, proxyUnreachable: true };
      } else {
        record.address = `${where.address}:${where.port} (proxy)`;
        tunnel = await proxyTunnel(where.address, where.port, host, port, ctx.deadline);
      }
      if (tunnel.status === 407) record.http = { status: 407, error: tunnel.error ?? 'Proxy Authentication Required' };
      else record.tcp = tunnel.ok ? { ok: true, ms: tunnel.ms } : { ok: false, ms: tunnel.ms, ...(tunnel.error ? { error: tunnel.error } : {}) };
      socket = tunnel.socket;
    }
  } else {
    record.via = bypass ? 'bypass' : 'direct';
    if (bypass) record.bypass = bypass;
    const o = overrideFor(ctx.overrides, host, port);
    let address = o?.address ?? (fromHosts?.length ? preferV4(fromHosts) : undefined);
    const toPort = o?.toPort ?? port;
    if (o) record.override = o.text;
    if (!address) {
      const chosen = chooseAnswer(await dnsAnswers);
      if (chosen?.status === 'ok') address = preferV4(chosen.addresses);
      if (chosen?.status === 'ok' && !address) record.tcp = { ok: false, error: 'not attempted: DNS returned no A or AAAA records' };
    }
    if (address) {
      record.address = `${address}:${toPort}`;
      const tcp = await tcpConnect(address, toPort, ctx.deadline);
      record.tcp = tcp.ok ? { ok: true, ms: tcp.ms } : { ok: false, ms: tcp.ms, ...(tcp.error ? { error: tcp.error } : {}) };
      socket = tcp.socket;
    }
  }

  if (socket) {
    const tls = await tlsHandshake(socket, host, ctx.deadline, { checkTrust: true, ...(ctx.ca ? { ca: ctx.ca } : {}) });
    record.tls = tls.tls;
    if (tls.socket && target.path) {
      const res = await httpGet(tls.socket, host, port, target.path, ctx.deadline);
      record.http = res.error
        ? { ...(res.status !== undefined ? { status: res.status } : {}), error: res.error }
        : { ...(res.status !== undefined ? { status: res.status } : {}), body: (res.body ?? '').slice(0, MAX_BODY_KEPT) };
    } else {
      tls.socket?.destroy();
    }
  }

  const answers = await dnsAnswers;
  if (answers.length) record.resolvers = answers;
  const dns = machineAnswer(host, ctx, answers);
  // Through a proxy the proxy resolves the name: a local DNS failure is not this endpoint's failure.
  if (dns && (record.via !== 'proxy' || dns.status === 'ok')) {
    record.dns = dns;
    if (dns.private !== undefined) record.private = dns.private;
  }
  record.durationMs = Date.now() - started;
  return tunnel ? { record, tunnel } : { record };
}

/** https://localhost:<port>: the gateway's own certificate, so the handshake is judged, not the trust. */
export async function probeLocalHttps(port: number, ctx: Pick<NetworkContext, 'deadline' | 'overrides'>): Promise<LocalHttpsFact & { durationMs: number }> {
  const started = Date.now();
  const o = overrideFor(ctx.overrides, 'localhost', port);
  const tcp = await tcpConnect(o?.address ?? '127.0.0.1', o?.toPort ?? port, ctx.deadline);
  const out: LocalHttpsFact & { durationMs: number } = { port, durationMs: 0 };
  if (!tcp.ok || !tcp.socket) {
    out.error = tcp.error ?? 'connection failed';
  } else {
    const tls = await tlsHandshake(tcp.socket, 'localhost', ctx.deadline, { checkTrust: false });
    out.tls = tls.tls;
    if (tls.socket) {
      const res = await httpGet(tls.socket, 'localhost', port, '/', ctx.deadline);
      if (res.status !== undefined) out.httpStatus = res.status;
      if (res.error) out.error = res.error;
    }
  }
  out.durationMs = Date.now() - started;
  return out;
}
