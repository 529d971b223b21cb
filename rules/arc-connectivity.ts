/**
 * arc-connectivity: WAC in the portal needs a connected agent, and the agent needs its own endpoints. Each agent
 * endpoint that failed is named with the layer that failed (DNS, TCP timeout or refusal, reset, TLS, HTTP, proxy),
 * and the fix follows that layer: a DNS fix for DNS, a firewall rule for timeouts, a TLS-inspection exemption for
 * untrusted roots, the proxy for proxy errors; never one generic "allow 443".
 */
import type { EndpointProbe } from '../core/model/facts';
import { classifyError, isTlsLayer, LAYER_TITLES, type ErrorLayer } from '../core/catalog/error-taxonomy';
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import type { Fix } from '../core/model/types';
import { probesMatching, type CheckedProbe } from './support/endpoint-check';

/**
 * The agent's endpoints (Connected Machine agent network requirements,
 * https://learn.microsoft.com/azure/azure-arc/servers/network-requirements, checked 2026-12).
 */
export const AGENT_ENDPOINTS = [
  'gbl.his.arc.azure.com', '*.his.arc.azure.com',
  'agentserviceapi.guestconfiguration.azure.com', '*.guestconfiguration.azure.com',
  'management.azure.com', 'login.microsoftonline.com', 'login.windows.net', 'pas.windows.net',
];

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

function fixFor(layer: ErrorLayer | undefined, hosts: string[], platform: 'windows' | 'linux'): Fix {
  switch (layer) {
    case 'dns': return fixes.fixDnsResolution(hosts, platform);
    case 'proxy-auth':
    case 'proxy-connect': return fixes.setAgentProxy();
    case 'tls-untrusted-root':
    case 'tls-expired':
    case 'tls-name': return fixes.excludeFromTlsInspection(hosts);
    case 'tls-handshake':
    case 'reset': return fixes.combine(fixes.excludeFromTlsInspection(hosts), fixes.manual('If nothing inspects TLS, a firewall or IPS is cutting the connection: allow the hosts on it.'));
    case 'http-status': return fixes.manual(`A server or a device in the path answered ${hosts.join(', ')} with an HTTP error: check what answers (a proxy block page, a firewall) and allow the hosts.`);
    default: return fixes.openOutbound(hosts);
  }
}

export default defineRule({
  meta: {
    id: 'arc-connectivity',
    title: 'The Connected Machine agent reaches its own Azure endpoints',
    category: 'network',
    severity: 'fail',
    description: [
      'WAC in the portal rides on the Arc agent: the AdminCenter extension is installed, and the connection brokered,',
      'only while the agent is connected, and the agent needs its own endpoints: `gbl.his.arc.azure.com` and the',
      'regional `*.his.arc.azure.com`, `agentserviceapi.guestconfiguration.azure.com` and `<region>-gas.guestconfiguration.azure.com`,',
      '`management.azure.com`, `login.microsoftonline.com` / `login.windows.net` and `pas.windows.net`.',
      'Every probe of these hosts (azcmagent check, agent logs, pasted errors, live checks) is judged; a failure',
      'followed by a later success of the same host is resolved.',
      '',
      '- **fail**: an agent endpoint failed; the message names, per host, the layer that failed (DNS, TCP timeout,',
      '  refusal, reset, TLS untrusted root / expired / wrong name / handshake, HTTP 5xx) and the fix follows the layer:',
      '  a DNS fix for DNS, the firewall for timeouts and refusals, a TLS-inspection exemption for certificate errors.',
      '  A 4xx answer proves the endpoint was reached and is not a failure.',
      '- **warn**: the only failures happened at the proxy (`proxyconnect`, 407): the endpoints were never tried;',
      '  the `proxy` finding says what to fix.',
      '- **pass**: every agent endpoint seen was reached.',
      '- **skip**: no input has a probe or an error for any agent endpoint.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/network-requirements',
      'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-networking',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
    ],
    requires: [],
    anyOf: [AGENT_ENDPOINTS.map((h) => `probe.${h}` as const)],
    optional: ['os'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['fixDnsResolution', 'setAgentProxy', 'excludeFromTlsInspection', 'openOutbound'],
  },
  check(ctx) {
    const checked = probesMatching(ctx, AGENT_ENDPOINTS);
    const failing = checked.filter((c) => c.verdict.state === 'failed');
    const ok = checked.filter((c) => c.verdict.state === 'ok');
    const platform = ctx.get('os')?.platform === 'linux' ? 'linux' : 'windows';
    const okNote = ok.length ? ` Reached: ${ok.map((c) => c.host).join(', ')}.` : '';
    const direct = failing.filter((c) => !c.viaBrokenProxy);
    if (direct.length === 0 && failing.length > 0) {
      return warn(`Not tested: the agent's requests to ${failing.map((c) => c.host).join(', ')} failed at the proxy before reaching Azure; see the proxy finding.${okNote}`, fixes.setAgentProxy());
    }
    if (direct.length > 0) {
      const byLayer = new Map<ErrorLayer | 'unknown', CheckedProbe[]>();
      for (const c of direct) {
        const layer = failedLayer(c) ?? 'unknown';
        byLayer.set(layer, [...(byLayer.get(layer) ?? []), c]);
      }
      const parts = [...byLayer].map(([layer, list]) => `${list.map((c) => c.host).join(', ')}: ${layer === 'unknown' ? 'unreachable' : LAYER_TITLES[layer]} (${list[0]!.verdict.reason})`);
      const fixList = [...byLayer].map(([layer, list]) => fixFor(layer === 'unknown' ? undefined : layer, list.map((c) => c.host), platform));
      const fix = fixList.length === 1 ? fixList[0]! : fixes.combine(...fixList);
      return fail(`The agent cannot reach its Azure endpoints, so it cannot stay connected and WAC cannot connect: ${parts.join('; ')}.${okNote}`, fix);
    }
    if (ok.length === 0) {
      return skip(`The inputs mention ${checked.map((c) => c.host).join(', ')} without a result, so the agent's connectivity could not be judged.`);
    }
    return pass(`The agent reaches its endpoints: ${ok.map((c) => `${c.host} (${c.verdict.reason})`).join('; ')}.`);
  },
});
