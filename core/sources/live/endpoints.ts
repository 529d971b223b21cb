/**
 * The endpoints a live check probes (arc-wac-facts §2), only documented names:
 * - WAC: `wac.azure.com` (GET: the home-page text), `<region>.service.waconazure.com` (GET: the certificate service text)
 *   when the region is known. Without a region no *.waconazure.com name is guessed: wac.azure.com covers endpoint-wac.
 * - Entra ID: `pas.windows.net`.
 * - Relay: `guestnotificationservice.azure.com` (GET the allowlist when the region is known), then the
 *   `*.servicebus.windows.net` hosts it lists.
 * - The agent's own: `login.microsoftonline.com`, `management.azure.com`, `gbl.his.arc.azure.com`,
 *   `agentserviceapi.guestconfiguration.azure.com`, and `<region>-gas.guestconfiguration.azure.com` with a region.
 *   The regional `<abbr>.his.arc.azure.com` is not probed: its abbreviation map is not documented.
 */
import { BODY_HOSTS, ENDPOINTS, RELAY } from './collector-spec';
import { isHostName, LiveOptionError } from './options';

export interface EndpointTarget {
  host: string;
  port: number;
  /** GET this path after the handshake (the rules need the body). */
  path?: string;
  /** This target's answer lists the relay hosts. */
  relayAllowlist?: boolean;
}

export const ALLOWLIST_HOST = 'guestnotificationservice.azure.com';
const RELAY_SUFFIX = RELAY.suffix;
const MAX_RELAYS = RELAY.max;

/** The default list (core/sources/live/collector-spec.ts ENDPOINTS): `{region}` hosts only with a region. */
export function defaultEndpoints(region: string | undefined): EndpointTarget[] {
  const list: EndpointTarget[] = [];
  for (const e of ENDPOINTS) {
    if (e.host.includes('{region}') && !region) continue;
    const host = e.host.replace('{region}', region ?? '');
    const path = region && e.regionPath ? e.regionPath.replace('{region}', region) : e.path;
    list.push({ host, port: 443, ...(path ? { path } : {}), ...(region && e.relayAllowlist ? { relayAllowlist: true } : {}) });
  }
  return list;
}

/** Endpoints given as `host` or `host:port` (tests, benchmarks, --endpoint). */
export function customEndpoints(specs: readonly string[], region: string | undefined): EndpointTarget[] {
  return specs.map((spec) => {
    const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(spec.trim());
    if (!m || !isHostName(m[1]!) || (m[2] && (Number(m[2]) < 1 || Number(m[2]) > 65535))) throw new LiveOptionError(`endpoint "${spec}": expected host or host:port`);
    const host = m[1]!.toLowerCase();
    const port = m[2] ? Number(m[2]) : 443;
    if (BODY_HOSTS.exact.includes(host) || BODY_HOSTS.suffix.some((x) => host.endsWith(x))) return { host, port, path: '/' };
    if (host === ALLOWLIST_HOST && region) return { host, port, path: `/urls/allowlist?api-version=2020-01-01&location=${region}`, relayAllowlist: true };
    return { host, port };
  });
}

/**
 * The relay hosts of the allowlist answer (a JSON array of names or URLs). Only `*.servicebus.windows.net` names are
 * kept, at most 8: a network answer never decides which other hosts get probed.
 */
export function relayHosts(body: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  const items = Array.isArray(json) ? json : [];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') continue;
    const host = item.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/[/:?#].*$/, '');
    if (host.endsWith(RELAY_SUFFIX) && isHostName(host) && !out.includes(host)) out.push(host);
    if (out.length === MAX_RELAYS) break;
  }
  return out;
}
