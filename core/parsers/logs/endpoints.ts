/**
 * Which endpoint a log line is about, and what its error says about each layer (DNS, TCP, TLS, HTTP).
 * Only named hosts become probes: IP literals, localhost and the Azure IMDS address are never endpoints.
 */
import { clipWords } from '../../text/clip';
import type { EndpointProbe } from '../../model/facts';
import { isIpAddress } from '../../model/net-address';
import { isSpace } from '../parser';
import { isTlsLayer, type ErrorLayer } from '../../catalog/error-taxonomy';
import { detach, field, type LogRecord } from './record';

/** Azure IMDS: on non-Azure hardware the agent's probe of it fails by design. */
export const IMDS_ADDRESS = '169.254.169.254';

const URL_FIELDS = ['Endpoint', 'Request URL', 'RequestURL', 'URL', 'Uri', 'Url', 'endpoint', 'Address'];

export function hostOfUrl(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /\bhttps?:\/\/([A-Za-z0-9.-]+)(?::\d+)?/i.exec(text);
  return m ? usableHost(m[1]!) : usableHost(text.trim());
}

const hostCache = new Map<string, string | undefined>();

/** A DNS name worth a probe fact, lowercased; undefined for IPs, localhost and single labels. */
export function usableHost(raw: string): string | undefined {
  const cached = hostCache.get(raw);
  if (cached !== undefined || hostCache.has(raw)) return cached;
  if (hostCache.size > 1000) hostCache.clear();
  // Keys and values are copied: a substring of a log block would keep the whole block alive in the cache.
  const host = detach(checkHost(raw));
  hostCache.set(detach(raw), host);
  return host;
}

function checkHost(raw: string): string | undefined {
  const h = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(h) || !/[a-z]/.test(h.split('.').pop()!)) return undefined;
  if (isIpAddress(h) || h === 'localhost' || h.endsWith('.localhost')) return undefined;
  return h;
}

/** The endpoint a record talks about: a URL field, a `Get "https://..."` in the text, the first URL, or a DNS lookup. */
export function endpointOf(rec: LogRecord | undefined, text: string): { host: string; url?: string } | undefined {
  if (rec) {
    const f = field(rec, ...URL_FIELDS);
    const host = hostOfUrl(f);
    if (host) return f && /^https?:\/\//i.test(f.trim()) ? { host, url: f.trim() } : { host };
  }
  const verb = /\b(?:Get|Post|Put|Delete|Head|Patch)\s+\\?"?(https?:\/\/[^\s"\\]+)/.exec(text);
  const firstUrl = verb ?? /\b(https?:\/\/[A-Za-z0-9.-]+(?::\d+)?[^\s"'\\]*)/.exec(text);
  if (firstUrl) {
    const host = hostOfUrl(firstUrl[1]);
    if (host) return { host, url: firstUrl[1]!.replace(/[.,;:)]+$/, '') };
  }
  // The resolver is bounded: `[^:]+` ran on through every later `lookup ... on ...` when no colon followed.
  const lookup = /\blookup ([A-Za-z0-9.-]+)(?::\d+)?(?: on [^:]{1,128}:\d+)?: no such host/.exec(text)
    ?? /could not be resolved:\s*'([^']+)'/i.exec(text)
    ?? /Could not resolve host:\s*([^\s;]+)/i.exec(text);
  // A lookup after `proxyconnect` is the proxy's name, not the endpoint's.
  if (lookup && !/proxyconnect/i.test(text.slice(0, lookup.index))) {
    const host = usableHost(lookup[1]!);
    if (host) return { host };
  }
  return undefined;
}

/** Whether a text is about the IMDS probe (its failure is normal on non-Azure machines). */
export function mentionsImds(text: string): boolean {
  return text.includes(IMDS_ADDRESS);
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * What `/\bfailed:\s*(\S.*)$/i` captures: the rest after the first `failed:` whose text, past whitespace, runs to the
 * end without a line break. Each `failed:` is looked at once (the regex rescanned to the end from each of them).
 */
export function afterFailed(s: string): string | undefined {
  let lastLine = s.length;
  while (lastLine > 0 && !LINE_BREAK.test(s[lastLine - 1]!)) lastLine--;
  const re = /\bfailed:/gi;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    let at = m.index + m[0].length;
    while (at < s.length && isSpace(s[at])) at++;
    if (at < s.length && at >= lastLine) return s.slice(at);
    re.lastIndex = Math.max(re.lastIndex, at);
  }
  return undefined;
}

/** The error text to quote: the `Error`/`err` field when the record has one, else the message. */
export function errorText(rec: LogRecord | undefined, text: string): string {
  const e = rec ? field(rec, 'Error', 'err', 'error', 'Exception') : undefined;
  // "Request to https://... failed: <Go error>": the Go error is what to quote.
  const after = e === undefined ? afterFailed(rec?.msg ?? text) : undefined;
  return clipWords(e ?? after ?? rec?.msg ?? text, 300, '...');
}

/**
 * The layers an error text says failed, as probe fields; `ids` are error-taxonomy layers. Behind a proxy failure
 * only the reported error is kept (with `proxy`): the endpoint's own DNS or TCP was never tried.
 */
export function failureLayers(ids: ReadonlySet<string>, error: string, issuer?: string): Partial<EndpointProbe> {
  const p: Partial<EndpointProbe> = { error, reachable: false };
  if (ids.has('proxy-connect')) {
    p.proxy = 'set';
    return p;
  }
  if (ids.has('proxy-auth')) p.http = { status: 407, error };
  if ([...ids].some((id) => isTlsLayer(id as ErrorLayer))) {
    p.tls = issuer ? { ok: false, error, issuer } : { ok: false, error };
  } else if (ids.has('dns')) p.dns = { status: 'nxdomain', addresses: [] };
  else if (ids.has('tcp-timeout') || ids.has('tcp-refused') || ids.has('reset')) p.tcp = { ok: false, error };
  return p;
}

/** A later success undoes every failure layer (an HTTPS request that worked passed DNS, TCP and TLS). */
export function successLayers(url: string | undefined, tlsProtocol?: string, httpStatus?: number): Partial<EndpointProbe> {
  const https = !url || /^https:/i.test(url);
  const p: Partial<EndpointProbe> = {
    reachable: true, error: '', dns: { status: 'ok', addresses: [] }, tcp: { ok: true }, http: httpStatus !== undefined ? { status: httpStatus } : {},
  };
  if (https) p.tls = tlsProtocol ? { ok: true, protocol: tlsProtocol } : { ok: true };
  return p;
}
