/**
 * The fix follows the failing layer (issue 9 item 3): one table from the taxonomy's layers (core/catalog/error-taxonomy)
 * to catalog fixes, shared by arc-connectivity and the endpoint-* rules. A DNS failure gets a DNS fix (with the DNS
 * server the input names), a proxy failure the proxy, TLS interception the exemption list, a timeout the firewall
 * rule, a refusal what refuses; only a failure without a known layer falls back to the rule's own reach fix.
 */
import { isIP } from 'node:net';
import type { EndpointProbe } from '../../core/model/facts';
import { classifyError, isTlsLayer, LAYER_TITLES, type ErrorLayer } from '../../core/catalog/error-taxonomy';
import { fixes, type Platform } from '../../core/catalog/fixes';
import type { RuleContext } from '../../core/engine/rule';
import type { ProposableFix } from '../../core/catalog/fix-examples';
import type { Fix } from '../../core/model/types';
import type { CheckedProbe } from './probe-verdict';

/** The layer that failed for a probe: the taxonomy's when a log said, else read from the failing layer's error. */
export function failedLayer(c: CheckedProbe): ErrorLayer | undefined {
  const p: EndpointProbe = c.probe;
  if (p.reachable === false && p.layer) return p.layer;
  const fromText = classifyError([p.tls?.error, p.tcp?.error, p.http?.error, p.dns?.error, p.error].filter(Boolean).join(' '));
  switch (c.verdict.layer) {
    case 'dns': return 'dns';
    case 'tcp': return fromText?.layer === 'tcp-refused' || fromText?.layer === 'reset' ? fromText.layer : 'tcp-timeout';
    case 'tls': return fromText && isTlsLayer(fromText.layer) ? fromText.layer : p.tls?.trustedPublicCa === false ? 'tls-untrusted-root' : 'tls-handshake';
    case 'http': return p.http?.status === 407 ? 'proxy-auth' : 'http-status';
    default: return fromText?.layer;
  }
}

/** `10.0.0.2`, `10.0.0.2:53`, `[fd00::53]:53` -> the address when it is a literal IP on port 53 (what Resolve-DnsName -Server takes). */
function serverAddress(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const t = s.trim();
  const m = /^\[([0-9A-Fa-f:.]{2,45})\](?::(\d{1,5}))?$/.exec(t) ?? /^([0-9.]{7,15})(?::(\d{1,5}))?$/.exec(t);
  const address = m ? m[1]! : t;
  if (m?.[2] !== undefined && m[2] !== '53') return undefined;
  return isIP(address) ? address : undefined;
}

/** Go's `lookup <host> on <server>:<port>: ...`: the DNS server the machine asked. */
const GO_LOOKUP_ON = /\blookup [A-Za-z0-9.-]{1,253} on (\[[0-9A-Fa-f:.]{2,45}\]:\d{1,5}|[0-9.]{7,15}:\d{1,5}): /;

/** The DNS server the failing probes name (a resolver the live check asked, or the one in a Go lookup error), if any. */
export function statedDnsServer(failing: CheckedProbe[]): string | undefined {
  for (const { probe } of failing) {
    const fromProbe = serverAddress(probe.dns?.resolver);
    if (fromProbe) return fromProbe;
    for (const text of [probe.dns?.error, probe.tcp?.error, probe.error]) {
      const m = text ? GO_LOOKUP_ON.exec(text.slice(0, 4096)) : null;
      const fromText = serverAddress(m?.[1]);
      if (fromText) return fromText;
    }
  }
  return undefined;
}

/** The target's platform for fix commands: Linux only when the os fact says so. */
export function targetPlatform(ctx: RuleContext): Platform {
  return ctx.get('os')?.platform === 'linux' ? 'linux' : 'windows';
}

export interface LayerFixOptions {
  platform: Platform;
  dnsServer?: string;
  /** The rule's firewall fix for these hosts (timeouts, and failures without a known layer). */
  reach: (hosts: string[]) => Fix;
  /** The names to put on an allow or exemption list for these hosts (their wildcard families first). */
  allowlist?: (hosts: string[]) => string[];
}

type Layer = ErrorLayer | 'unknown';

/** The catalog fixes the table below (and endpointOutcome's proxy warning) can propose, for the rules' meta.fixes. */
export const LAYER_FIX_NAMES: readonly ProposableFix[] = ['fixDnsResolution', 'setAgentProxy', 'excludeFromTlsInspection', 'checkRefusedConnection', 'allowRevocationChecks'];

/** The one table: layer -> fix. */
const listed = (hosts: string[], o: LayerFixOptions): string[] => (o.allowlist ? o.allowlist(hosts) : hosts);
const CUT = 'If nothing inspects TLS, a firewall or IPS is cutting the connection: allow the hosts on it.';

const LAYER_FIXES: Record<Layer, (hosts: string[], o: LayerFixOptions) => Fix> = {
  'dns': (hosts, o) => fixes.fixDnsResolution(hosts, o.platform, o.dnsServer),
  'proxy-auth': (_hosts, o) => fixes.setAgentProxy(undefined, o.platform),
  'proxy-connect': (_hosts, o) => fixes.setAgentProxy(undefined, o.platform),
  'tls-untrusted-root': (hosts, o) => fixes.excludeFromTlsInspection(listed(hosts, o), o.platform),
  'tls-expired': (hosts, o) => fixes.excludeFromTlsInspection(listed(hosts, o), o.platform),
  'tls-name': (hosts, o) => fixes.excludeFromTlsInspection(listed(hosts, o), o.platform),
  'tls-revocation': (_hosts, o) => fixes.allowRevocationChecks(o.platform),
  'tls-handshake': (hosts, o) => fixes.combine(fixes.excludeFromTlsInspection(listed(hosts, o), o.platform), fixes.manual(CUT)),
  'reset': (hosts, o) => fixes.combine(fixes.excludeFromTlsInspection(listed(hosts, o), o.platform), fixes.manual(CUT)),
  'http-status': (hosts) => fixes.manual(`A server or a device in the path answered ${hosts.join(', ')} with an HTTP error: check what answers (a proxy block page, a firewall) and allow the hosts.`),
  'tcp-refused': (hosts, o) => fixes.checkRefusedConnection(hosts, o.platform),
  'tcp-timeout': (hosts, o) => o.reach(hosts),
  'unknown': (hosts, o) => o.reach(hosts),
};

export interface LayerGroup {
  layer: Layer;
  probes: CheckedProbe[];
}

/** Failing probes grouped by the layer that failed, in the order first seen. */
export function groupByLayer(failing: CheckedProbe[]): LayerGroup[] {
  const groups: LayerGroup[] = [];
  for (const c of failing) {
    const layer = failedLayer(c) ?? 'unknown';
    const g = groups.find((x) => x.layer === layer);
    if (g) g.probes.push(c);
    else groups.push({ layer, probes: [c] });
  }
  return groups;
}

export const layerTitle = (layer: Layer): string => (layer === 'unknown' ? 'unreachable' : LAYER_TITLES[layer]);

/** One fix per failing layer (combined when several failed). */
export function fixByLayer(failing: CheckedProbe[], o: Omit<LayerFixOptions, 'dnsServer'>): Fix {
  const list = groupByLayer(failing).map((g) => LAYER_FIXES[g.layer](g.probes.map((c) => c.host), g.layer === 'dns' ? { ...o, dnsServer: statedDnsServer(g.probes) } : o));
  return list.length === 1 ? list[0]! : fixes.combine(...list);
}
