/**
 * probes.json of a `wac-doctor collect` snapshot (and the live run's own record of what it measured): the facts
 * that have no command output a pasted parser could read. Endpoint probes (DNS per resolver, TCP, TLS, HTTP),
 * https://localhost:<port>, the proxy probe, OS and memory, HTTPS_PROXY, HIMDS agent status, systemd services, the
 * AdminCenter extension status file and the modern gateway's port. Recognized by the top-level marker
 * `"wacDoctorProbes": 1`. Every value is checked: the file may come from anywhere.
 */
import {
  observe, probeKey, serviceKey,
  type AdminCenterExtensionFact, type DnsProbe, type EndpointProbe, type LocalHttpsFact, type Observation,
  type OsFact, type ProxyProbeFact, type ServiceFact, type ServiceState, type TlsProbe,
} from '../model/facts';
import { excerpt, lineEvidence, inputEvidence, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';
import { parsePort } from '../model/ports';
import type { Evidence } from '../model/types';
import { isObject, parseJsonInput, type JsonInput } from './az-extension';

export const PROBES_MARKER = 'wacDoctorProbes';
export const PROBES_VERSION = 1;

/** A DNS answer from one resolver. */
export interface ResolverRecord extends DnsProbe {
  ms?: number;
  transport?: 'udp' | 'tcp';
}

/** One endpoint as the live probe saw it: the fact's fields plus how the connection was made. */
export interface ProbeRecord extends EndpointProbe {
  /** `direct`, through the `proxy`, or `bypass` (a proxy is configured but this host skips it). */
  via?: 'direct' | 'proxy' | 'bypass';
  /** Why the host bypasses the proxy (`proxy.bypass AAD`, `NO_PROXY .azure.com`). */
  bypass?: string;
  /** Address and port the connection went to (after --resolve / --connect-to). */
  address?: string;
  /** The --resolve / --connect-to that applied. */
  override?: string;
  /** Each resolver's answer; `dns` is the one the machine would use. */
  resolvers?: ResolverRecord[];
  /** Addresses the hosts file gives (the OS uses them before DNS). */
  hostsFile?: string[];
  durationMs?: number;
}

export interface ProbesDocument {
  wacDoctorProbes: 1;
  tool: { name: string; version: string };
  createdAt: string;
  host: string;
  platform: string;
  timeoutMs?: number;
  os?: OsFact;
  memoryTotalBytes?: number;
  /** HTTPS_PROXY of the collecting process ('' when unset). */
  env?: { httpsProxy?: string };
  /** The HIMDS status endpoint, asked when azcmagent was missing. */
  agentStatus?: { source: string; status?: string; lastHeartbeat?: string; version?: string };
  /** Services from `systemctl show` (Linux). */
  services?: ServiceFact[];
  /** From the extension's .status file on disk. */
  extension?: AdminCenterExtensionFact & { source?: string };
  appsettingsPort?: { port: number; file: string; excerpt?: string };
  proxy?: ProxyProbeFact & { source?: string };
  endpoints?: ProbeRecord[];
  localHttps?: LocalHttpsFact & { durationMs?: number };
  notes?: string[];
}

const MAX_ENDPOINTS = 200;
const MAX_TEXT = 4096;
const HOST_RE = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/i;
const DNS_STATUS: readonly DnsProbe['status'][] = ['ok', 'nxdomain', 'servfail', 'timeout', 'refused', 'error'];
const SERVICE_STATES: readonly ServiceState[] = ['running', 'stopped', 'start_pending', 'stop_pending', 'continue_pending', 'pause_pending', 'paused', 'unknown', 'not_found'];
const PROXY_STATUS: readonly ProxyProbeFact['status'][] = ['ok', 'auth-required', 'unreachable', 'error'];

// ---- value checks: each returns undefined for anything malformed ----

const text = (v: unknown, max = MAX_TEXT): string | undefined => (typeof v === 'string' ? (v.length > max ? `${v.slice(0, max)}…` : v) : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const httpStatus = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 999 ? v : undefined);
const strings = (v: unknown, max = 20): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, max).map((x) => x.slice(0, 300)) : undefined;

/** Copies the defined values only (the fact contract has no `undefined` members). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function dnsOf(v: unknown): ResolverRecord | undefined {
  if (!isObject(v) || !DNS_STATUS.includes(v.status as DnsProbe['status'])) return undefined;
  return defined<ResolverRecord>({
    status: v.status as DnsProbe['status'],
    addresses: strings(v.addresses, 50) ?? [],
    cname: strings(v.cname, 10),
    private: bool(v.private),
    resolver: text(v.resolver, 100),
    error: text(v.error, 300),
    ms: num(v.ms),
    transport: v.transport === 'udp' || v.transport === 'tcp' ? v.transport : undefined,
  });
}

function tlsOf(v: unknown): TlsProbe | undefined {
  if (!isObject(v) || typeof v.ok !== 'boolean') return undefined;
  return defined<TlsProbe>({
    ok: v.ok, protocol: text(v.protocol, 40), cipher: text(v.cipher, 100), subject: text(v.subject, 300), issuer: text(v.issuer, 300),
    chain: strings(v.chain, 10), validTo: text(v.validTo, 40), hostnameMatch: bool(v.hostnameMatch), trustedPublicCa: bool(v.trustedPublicCa),
    error: text(v.error, 500),
  });
}

function probeOf(v: unknown): ProbeRecord | string {
  if (!isObject(v)) return 'not an object';
  const host = typeof v.host === 'string' ? v.host.toLowerCase() : '';
  if (!HOST_RE.test(host)) return `"${String(v.host).slice(0, 60)}" is not a host name`;
  const port = parsePort(v.port) ?? 443;
  const tcp = isObject(v.tcp) && typeof v.tcp.ok === 'boolean' ? defined({ ok: v.tcp.ok, ms: num(v.tcp.ms), error: text(v.tcp.error, 500) }) : undefined;
  const http = isObject(v.http) ? defined({ status: httpStatus(v.http.status), body: text(v.http.body), error: text(v.http.error, 500) }) : undefined;
  const resolvers = Array.isArray(v.resolvers) ? v.resolvers.map(dnsOf).filter((d): d is ResolverRecord => d !== undefined).slice(0, 10) : undefined;
  return defined<ProbeRecord>({
    host, port, url: text(v.url, 500),
    dns: dnsOf(v.dns), tcp, tls: tlsOf(v.tls), http: http && Object.keys(http).length ? http : undefined,
    reachable: bool(v.reachable), private: bool(v.private), proxy: text(v.proxy, 300), error: text(v.error, 500),
    via: v.via === 'direct' || v.via === 'proxy' || v.via === 'bypass' ? v.via : undefined,
    bypass: text(v.bypass, 100), address: text(v.address, 100), override: text(v.override, 200),
    resolvers: resolvers?.length ? resolvers : undefined, hostsFile: strings(v.hostsFile, 10), durationMs: num(v.durationMs),
  });
}

// ---- one-line summaries for evidence excerpts ----

function dnsText(d: DnsProbe): string {
  const via = d.resolver ? ` via ${d.resolver}` : '';
  if (d.status !== 'ok') return `DNS ${d.status.toUpperCase()}${via}`;
  const chain = d.cname?.length ? ` CNAME ${d.cname.join(' > ')}` : '';
  return `DNS${via}${chain} -> ${d.addresses.length ? d.addresses.slice(0, 3).join(', ') : 'no address'}${d.private ? ' (private)' : ''}`;
}

/** `wac.azure.com:443 direct; DNS via 10.0.0.2 -> 20.1.2.3; TCP 12 ms; TLS 1.3, issuer "X", trusted; HTTP 200`. */
export function describeProbe(p: ProbeRecord): string {
  const parts = [`${p.host}:${p.port} ${p.via === 'proxy' ? `via proxy ${p.proxy ?? ''}`.trim() : p.via === 'bypass' ? `direct (${p.bypass ?? 'bypass'})` : 'direct'}`];
  if (p.override) parts.push(`connect ${p.address ?? ''} (${p.override})`);
  if (p.hostsFile?.length) parts.push(`hosts file -> ${p.hostsFile.join(', ')}`);
  if (p.dns) parts.push(dnsText(p.dns));
  const others = (p.resolvers ?? []).filter((r) => r.resolver !== p.dns?.resolver);
  if (others.length) parts.push(`also ${others.map((r) => dnsText(r).replace(/^DNS /, '')).join('; ')}`);
  if (p.tcp) parts.push(p.tcp.ok ? `TCP ${p.tcp.ms ?? '?'} ms` : `TCP failed: ${p.tcp.error ?? ''}`);
  if (p.tls) {
    const t = p.tls;
    const trust = t.trustedPublicCa === true ? ', public root' : t.trustedPublicCa === false ? ', NOT a public root' : '';
    parts.push(t.protocol || t.issuer ? `TLS ${t.protocol ?? ''}${t.issuer ? ` issuer "${t.issuer}"` : ''}${trust}${t.ok ? '' : ` (${t.error ?? 'failed'})`}` : `TLS failed: ${t.error ?? ''}`);
  }
  if (p.http) parts.push(p.http.status !== undefined ? `HTTP ${p.http.status}` : `HTTP failed: ${p.http.error ?? ''}`);
  return parts.join('; ');
}

// ---- the parser ----

function evidenceFor(json: JsonInput, input: InputRef, what: string, ...paths: string[]): Evidence {
  const line = json.lineOf(...paths);
  return line !== undefined ? { ...lineEvidence(input, line, json.lines[line]!), excerpt: excerpt(what) } : inputEvidence(input, what);
}

function osOf(v: unknown): OsFact | undefined {
  if (!isObject(v) || !['windows', 'linux', 'other'].includes(String(v.platform))) return undefined;
  return defined<OsFact>({
    platform: v.platform as OsFact['platform'], name: text(v.name, 200), version: text(v.version, 60),
    build: typeof v.build === 'number' && Number.isInteger(v.build) && v.build > 0 ? v.build : undefined, sku: text(v.sku, 100),
  });
}

function parseProbes(raw: string, input: InputRef): ParseResult {
  const json = parseJsonInput(raw);
  const doc = json.value;
  if (!isObject(doc) || doc[PROBES_MARKER] === undefined) throw new ParseError(`expected a JSON object with "${PROBES_MARKER}": ${PROBES_VERSION}`);
  if (doc[PROBES_MARKER] !== PROBES_VERSION) throw new ParseError(`"${PROBES_MARKER}" is ${JSON.stringify(doc[PROBES_MARKER])}; this version reads ${PROBES_VERSION}`);
  const time = typeof doc.createdAt === 'string' && !Number.isNaN(Date.parse(doc.createdAt)) ? doc.createdAt : undefined;
  const out: Observation[] = [];
  const warnings: string[] = [];
  const push = (o: Observation): void => { out.push(time ? { ...o, time } : o); };

  const os = osOf(doc.os);
  if (os) push(observe('os', os, evidenceFor(json, input, `OS: ${[os.name, os.version].filter(Boolean).join(' ') || os.platform}`, 'os.name', 'os')));
  else if (doc.os !== undefined) warnings.push('os: expected {platform: windows|linux|other, ...}; ignored');

  const mem = num(doc.memoryTotalBytes);
  if (mem !== undefined && mem > 0) push(observe('memory.totalBytes', mem, evidenceFor(json, input, `memory: ${(mem / 2 ** 30).toFixed(1)} GiB`, 'memorytotalbytes')));

  if (isObject(doc.env) && typeof doc.env.httpsProxy === 'string') {
    push(observe('env.httpsProxy', doc.env.httpsProxy, evidenceFor(json, input, `HTTPS_PROXY=${doc.env.httpsProxy}`, 'env.httpsproxy')));
  }

  if (isObject(doc.agentStatus)) {
    const a = doc.agentStatus;
    const src = text(a.source, 100) ?? 'HIMDS';
    const ev = evidenceFor(json, input, `${src}: status ${text(a.status, 40) ?? '?'}, last heartbeat ${text(a.lastHeartbeat, 40) ?? '?'}`, 'agentstatus.status', 'agentstatus');
    const hb = text(a.lastHeartbeat, 40);
    if (hb && !Number.isNaN(Date.parse(hb))) out.push(observe('agent.lastHeartbeat', hb, ev, hb));
    const st = text(a.status, 40);
    if (st) push(observe('agent.status', st, ev));
    const ver = text(a.version, 40);
    if (ver) push(observe('agent.version', ver, ev));
  }

  if (Array.isArray(doc.services)) {
    doc.services.slice(0, 50).forEach((s, i) => {
      if (!isObject(s) || typeof s.name !== 'string' || !/^[\w.@-]{1,80}$/.test(s.name) || !SERVICE_STATES.includes(s.state as ServiceState)) {
        warnings.push(`services[${i}]: expected {name, state}; ignored`);
        return;
      }
      const fact = defined<ServiceFact>({ name: s.name, displayName: text(s.displayName, 200), state: s.state as ServiceState, startType: text(s.startType, 40) });
      push(observe(serviceKey(s.name), fact, evidenceFor(json, input, `service ${s.name}: ${fact.state}${fact.startType ? `, ${fact.startType}` : ''}`, `services[${i}].state`, `services[${i}]`)));
    });
  }

  if (isObject(doc.extension) && typeof doc.extension.installed === 'boolean') {
    const e = doc.extension;
    const fact = defined<AdminCenterExtensionFact>({
      installed: e.installed as boolean, name: text(e.name, 100), version: text(e.version, 40), provisioningState: text(e.provisioningState, 40),
      statusCode: text(e.statusCode, 40), statusLevel: text(e.statusLevel, 40), statusMessage: text(e.statusMessage, 2000),
      settingsPort: parsePort(e.settingsPort), proxyMode: text(e.proxyMode, 40), proxyAddress: text(e.proxyAddress, 300),
    });
    const what = fact.installed ? `AdminCenter ${fact.version ?? ''} ${fact.provisioningState ?? ''}`.replace(/\s+/g, ' ').trim() : 'AdminCenter extension not installed';
    push(observe('extension.adminCenter', fact, evidenceFor(json, input, `${what}${typeof e.source === 'string' ? ` (${e.source.slice(0, 200)})` : ''}`, 'extension.provisioningstate', 'extension')));
  }

  if (isObject(doc.appsettingsPort)) {
    const port = parsePort(doc.appsettingsPort.port);
    if (port !== undefined) {
      const file = text(doc.appsettingsPort.file, 300) ?? 'appsettings.json';
      push(observe('wac.appsettingsPort', port, evidenceFor(json, input, `${file}: ${text(doc.appsettingsPort.excerpt, 200) ?? port}`, 'appsettingsport.port')));
    }
  }

  if (isObject(doc.proxy) && typeof doc.proxy.url === 'string' && PROXY_STATUS.includes(doc.proxy.status as ProxyProbeFact['status'])) {
    const fact = defined<ProxyProbeFact>({ url: doc.proxy.url.slice(0, 300), status: doc.proxy.status as ProxyProbeFact['status'], error: text(doc.proxy.error, 500) });
    push(observe('proxy.probe', fact, evidenceFor(json, input, `proxy ${fact.url}: ${fact.status}${fact.error ? ` (${fact.error})` : ''}`, 'proxy.status')));
  }

  if (Array.isArray(doc.endpoints)) {
    if (doc.endpoints.length > MAX_ENDPOINTS) warnings.push(`${doc.endpoints.length} endpoints; only the first ${MAX_ENDPOINTS} were read`);
    doc.endpoints.slice(0, MAX_ENDPOINTS).forEach((raw, i) => {
      const p = probeOf(raw);
      if (typeof p === 'string') {
        warnings.push(`endpoints[${i}]: ${p}; ignored`);
        return;
      }
      // The fact carries the contract's fields; the rest stays in the file (and in the excerpt).
      const { via: _via, bypass: _b, address: _a, override: _o, resolvers: _r, hostsFile: _h, durationMs: _d, ...fact } = p;
      push(observe(probeKey(p.host), fact as EndpointProbe, evidenceFor(json, input, describeProbe(p), `endpoints[${i}].host`)));
    });
  }

  if (isObject(doc.localHttps)) {
    const port = parsePort(doc.localHttps.port);
    if (port !== undefined) {
      const l = doc.localHttps;
      const fact = defined<LocalHttpsFact>({ port, tls: tlsOf(l.tls), httpStatus: httpStatus(l.httpStatus), error: text(l.error, 500) });
      const what = `https://localhost:${port}: ${fact.error ?? [fact.tls ? `TLS ${fact.tls.ok ? 'ok' : 'failed'}` : '', fact.httpStatus !== undefined ? `HTTP ${fact.httpStatus}` : ''].filter(Boolean).join(', ')}`;
      push(observe('wac.localHttps', fact, evidenceFor(json, input, what, 'localhttps.port')));
    }
  }

  if (out.length === 0 && warnings.length === 0) warnings.push('the probes file records no results');
  return { observations: out, warnings };
}

export const wacDoctorProbesParser: TextParser = {
  id: 'wac-doctor-probes',
  label: 'wac-doctor probes (probes.json)',
  detect(raw) {
    return /^\s*\{\s*"wacDoctorProbes"\s*:/.test(raw) ? 100 : /"wacDoctorProbes"\s*:\s*\d/.test(raw.slice(0, 4096)) ? 90 : 0;
  },
  parse: parseProbes,
};
