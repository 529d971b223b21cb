/**
 * Shared endpoint-probe evaluation for the network rules: one probe (DNS, TCP, TLS, HTTP layers, as
 * any source saw them) -> a verdict with a short, specific reason. Pure; no I/O.
 */
import { clipWords } from '../../core/text/clip';
import type { EndpointProbe } from '../../core/model/facts';
import { isPrivateAddress } from '../../core/model/net-address';
import { WAC_CERT_SERVICE_TEXT, WAC_HOME_TEXT } from '../../core/catalog/probe-answers';

export type ProbeLayer = 'dns' | 'tcp' | 'tls' | 'http' | 'body' | 'reported';

export interface ProbeVerdict {
  /** `ok`: nothing failed and at least one layer was seen to work; `unknown`: the probe carries no result. */
  state: 'ok' | 'failed' | 'unknown';
  ok: boolean;
  /** Failure: what failed ("DNS NXDOMAIN", "TLS handshake failed: ..."); ok: what was seen ("HTTP 200, WAC home page"). */
  reason: string;
  /** The first layer that failed. */
  layer?: ProbeLayer;
}

/** The text a documented probe URL must return, when the host has one. */
export function expectedBody(host: string): string | undefined {
  const h = host.toLowerCase();
  if (h === 'wac.azure.com') return WAC_HOME_TEXT;
  if (/\.service\.waconazure\.com$/.test(h)) return WAC_CERT_SERVICE_TEXT;
  return undefined;
}

const normalize = (s: string): string => s.replace(/[\u2018\u2019\u02bc`]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * The text of the first `<title ...>...</title>`. Found step by step: as one regex, each `<title` of a body without
 * `</title>` rescanned the rest of it. (When the first `<title` has no match, no later one has.)
 */
function titleOf(body: string): string | undefined {
  const open = /<title/i.exec(body);
  const gt = open ? body.indexOf('>', open.index + 6) : -1;
  if (gt < 0) return undefined;
  const close = /<\/title>/gi;
  close.lastIndex = gt + 1;
  const end = close.exec(body);
  return end ? body.slice(gt + 1, end.index) : undefined;
}

/** `body` with its `<...>` tags as spaces; only up to the last `>`, where every `<` has one to end at (linear). */
function stripTags(body: string): string {
  const last = body.lastIndexOf('>');
  return body.slice(0, last + 1).replace(/<[^>]*>/g, ' ') + body.slice(last + 1);
}

/** A short, single-line description of what answered: the HTML title, else the start of the text. */
export function describeBody(body: string, max = 60): string {
  const title = titleOf(body);
  const text = (title ?? stripTags(body)).replace(/\s+/g, ' ').trim();
  if (!text) return 'an empty body';
  return `"${clipWords(text, max + 3, '...')}"`;
}

const clip = (s: string, max = 120): string => clipWords(s, max + 3, '...');

const failed = (layer: ProbeLayer, reason: string): ProbeVerdict => ({ state: 'failed', ok: false, reason, layer });

/** Evaluates one probe. `host` defaults to `probe.host`; it selects the expected body. */
export function probeVerdict(probe: EndpointProbe, host: string = probe.host): ProbeVerdict {
  const { dns, tcp, tls, http } = probe;
  const port = probe.port || 443;
  // A layer without its own error text borrows the probe's error as reported (e.g. "No such host is known.").
  const detail = (own?: string): string => {
    const text = own ?? probe.error;
    return text ? `: ${clip(text)}` : '';
  };
  // --resolve / --connect-to said where the host is: the path actually used is judged; the DNS answer is only
  // reported beside it (the connect-override rule warns when the resolver fails or disagrees).
  if (dns && dns.status !== 'ok' && !probe.connectedTo) {
    const via = dns.resolver ? ` via ${dns.resolver}` : '';
    return failed('dns', `DNS ${dns.status.toUpperCase()}${via}${detail(dns.error)}`);
  }
  // A reset (or EOF) means the connection was made, then closed by the peer or a device on the path: not "failed".
  if (tcp && !tcp.ok && probe.layer === 'reset') return failed('tcp', `the connection to port ${port} was reset or closed by the peer${detail(tcp.error)}`);
  if (tcp && !tcp.ok) return failed('tcp', `TCP connection to port ${port} failed${detail(tcp.error)}`);
  if (tls && !tls.ok) return failed('tls', `TLS handshake failed${detail(tls.error)}`);
  if (http?.status === 407) return failed('http', 'HTTP 407 Proxy Authentication Required (the proxy wants credentials)');
  if (http?.error) return failed('http', `HTTP request failed: ${clip(http.error)}`);
  const want = expectedBody(host);
  if (want && http?.body !== undefined && !normalize(http.body).includes(normalize(want))) {
    const status = http.status !== undefined ? `HTTP ${http.status} with ` : '';
    return failed('body', `${status}${describeBody(http.body)} instead of the expected "${want}" text: something else (e.g. a proxy block page) answered`);
  }
  if (probe.error) return failed('reported', clip(probe.error));
  if (probe.reachable === false) return failed('reported', `reported unreachable${probe.proxy ? ` (proxy ${probe.proxy})` : ''}`);

  const seen: string[] = [];
  if (probe.connectedTo) seen.push(`connected to ${probe.connectedTo.address} (${probe.connectedTo.option})`);
  if (dns && dns.status !== 'ok') seen.push(`DNS ${dns.status.toUpperCase()}${dns.resolver ? ` via ${dns.resolver}` : ''}`);
  else if (dns) seen.push(`DNS ok${dns.addresses.length ? ` (${dns.addresses.slice(0, 2).join(', ')})` : ''}`);
  if (tcp) seen.push(`TCP ${port} ok`);
  if (tls) seen.push(`TLS ok${tls.protocol ? ` (${tls.protocol})` : ''}`);
  if (http?.status !== undefined) seen.push(`HTTP ${http.status}${want && http.body !== undefined ? ' with the expected page' : ''}`);
  else if (want && http?.body !== undefined) seen.push('the expected page');
  if (seen.length === 0 && probe.reachable === true) seen.push('reachable');
  if (seen.length === 0) return { state: 'unknown', ok: false, reason: 'no result recorded' };
  return { state: 'ok', ok: true, reason: seen.join(', ') };
}

export { isPrivateAddress };

/** A probe says the host resolves to (or is reached at) a private address. */
export function isPrivateProbe(probe: EndpointProbe): boolean {
  return probe.private === true || probe.dns?.private === true || (probe.dns?.addresses ?? []).some(isPrivateAddress);
}

/** A probe positively says the host resolves to a public address. */
export function isPublicProbe(probe: EndpointProbe): boolean {
  if (isPrivateProbe(probe)) return false;
  return probe.private === false || probe.dns?.private === false || (probe.dns?.status === 'ok' && probe.dns.addresses.length > 0);
}

/** A probe of one host with its verdict, as the endpoint rules and the layer -> fix table see it. */
export interface CheckedProbe {
  host: string;
  probe: EndpointProbe;
  verdict: ProbeVerdict;
  /** The request failed at a proxy that other requests show broken (the endpoint itself was not tried). */
  viaBrokenProxy?: boolean;
  /** A failed probe of a host the machine reaches through its Azure Arc gateway (the gateway URL, or `the Azure Arc gateway`). */
  viaGateway?: string;
}
