/**
 * arc-connectivity: WAC in the portal needs a connected agent, and the agent needs its own endpoints. Each agent
 * endpoint that failed is named with the layer that failed (DNS, TCP timeout or refusal, reset, TLS, HTTP, proxy),
 * and the fix follows that layer: a DNS fix for DNS, a firewall rule for timeouts, a TLS-inspection exemption for
 * untrusted roots, the proxy for proxy errors; never one generic "allow 443".
 */
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { probesMatching } from './support/endpoint-check';
import { fixByLayer, groupByLayer, LAYER_FIX_NAMES, layerTitle, targetPlatform } from './support/layer-fix';

/**
 * The agent's endpoints (Connected Machine agent network requirements,
 * https://learn.microsoft.com/azure/azure-arc/servers/network-requirements, checked 2026-12).
 */
export const AGENT_ENDPOINTS = [
  'gbl.his.arc.azure.com', '*.his.arc.azure.com',
  'agentserviceapi.guestconfiguration.azure.com', '*.guestconfiguration.azure.com',
  'management.azure.com', 'login.microsoftonline.com', 'login.windows.net', 'pas.windows.net',
];

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
      '  a DNS fix for DNS (naming the DNS server the input states), the firewall for timeouts, what refuses for refusals',
      '  (a proxy the network needs, a rejecting firewall), a TLS-inspection exemption for certificate errors.',
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
    fixes: ['openOutbound', ...LAYER_FIX_NAMES],
  },
  check(ctx) {
    const checked = probesMatching(ctx, AGENT_ENDPOINTS);
    const failing = checked.filter((c) => c.verdict.state === 'failed');
    const ok = checked.filter((c) => c.verdict.state === 'ok');
    const platform = () => targetPlatform(ctx);
    const okNote = ok.length ? ` Reached: ${ok.map((c) => c.host).join(', ')}.` : '';
    const direct = failing.filter((c) => !c.viaBrokenProxy);
    if (direct.length === 0 && failing.length > 0) {
      return warn(`Not tested: the agent's requests to ${failing.map((c) => c.host).join(', ')} failed at the proxy before reaching Azure; see the proxy finding.${okNote}`, fixes.setAgentProxy(undefined, platform()));
    }
    if (direct.length > 0) {
      const parts = groupByLayer(direct).map(({ layer, probes: list }) => `${list.map((c) => c.host).join(', ')}: ${layerTitle(layer)} (${list[0]!.verdict.reason})`);
      const p = platform();
      const fix = fixByLayer(direct, { platform: p, reach: (hosts) => fixes.openOutbound(hosts, p) });
      return fail(`The agent cannot reach its Azure endpoints, so it cannot stay connected and WAC cannot connect: ${parts.join('; ')}.${okNote}`, fix);
    }
    if (ok.length === 0) {
      return skip(`The inputs mention ${checked.map((c) => c.host).join(', ')} without a result, so the agent's connectivity could not be judged.`);
    }
    return pass(`The agent reaches its endpoints: ${ok.map((c) => `${c.host} (${c.verdict.reason})`).join('; ')}.`);
  },
});
