/**
 * arc-gateway: with the Azure Arc gateway (`connection.type gateway`; `azcmagent show` then says `Using HTTPS Proxy :
 * http://localhost:40343` and `Gateway URL : https://<prefix>.gw.arc.azure.com`), the agent's traffic goes Arc proxy >
 * enterprise proxy > gateway, including WAC's hosts (`*.waconazure.com`, `*.servicebus.windows.net`, `pas.windows.net`:
 * https://learn.microsoft.com/azure/azure-arc/servers/arc-gateway-endpoints, 2025-09-18). Sources, checked 2026-12:
 * - https://learn.microsoft.com/azure/azure-arc/servers/arc-gateway (2025-11-12): proxy bypass isn't supported with the
 *   gateway; skip TLS inspection for the gateway URL; "Windows Admin Center" listed among scenarios needing no more endpoints;
 * - arc-wac-facts "Updates checked 2026-12" (§8): that page dropped Windows Admin Center from the list on 2026-04-01, so WAC
 *   through the gateway is treated as not documented (a warning), judged by the gateway URL rather than the direct endpoints.
 */
import { defineRule, fail, pass, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { gatewayMode } from './support/endpoint-check';
import { probeVerdict } from './support/probe-verdict';

const GATEWAY_HOST = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}\.gw\.arc\.azure\.com$/;

function hostOf(url: string): string | undefined {
  try {
    const h = new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`).hostname;
    return GATEWAY_HOST.test(h) ? h.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export default defineRule({
  meta: {
    id: 'arc-gateway',
    title: 'The Azure Arc gateway, when used, is reachable (WAC through it is not documented)',
    category: 'network',
    severity: 'fail',
    description: [
      'With the Azure Arc gateway (`connection.type gateway`, a `Gateway URL` in `azcmagent show`), the agent sends its',
      'traffic through the Arc proxy (`http://localhost:40343`) and the enterprise proxy to `<prefix>.gw.arc.azure.com`,',
      'which carries WAC\'s hosts (`*.waconazure.com`, `*.servicebus.windows.net`, `pas.windows.net`). The gateway is then',
      'what to judge: the endpoint rules do not fail hosts whose direct probe failed in gateway mode (they warn instead).',
      'The Arc gateway page listed Windows Admin Center among scenarios needing no extra endpoints until 2026-04-01, when',
      'it was dropped from that list, so WAC through the gateway is reported as not documented.',
      '',
      '- **pass**: the machine does not use the gateway (`connection.type` `default` or `direct`, no gateway URL).',
      '- **fail**: gateway mode and the gateway URL was probed unreachable (fix: allow it through the enterprise proxy,',
      '  without TLS inspection).',
      '- **warn**: gateway mode and `proxy.bypass` is set (bypass is not supported with the gateway: clear it); otherwise',
      '  gateway mode itself: WAC support through the gateway is not documented.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/arc-gateway',
      'https://learn.microsoft.com/azure/azure-arc/servers/arc-gateway-endpoints',
    ],
    requires: [],
    anyOf: [['config.connectionType', 'agent.gatewayUrl']],
    optional: ['config.proxyBypass', 'agent.httpsProxy'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['openGateway', 'clearProxyBypass'],
  },
  check(ctx) {
    const gateway = gatewayMode(ctx);
    if (!gateway) {
      const type = ctx.get('config.connectionType');
      return pass(`The machine does not use the Azure Arc gateway (connection.type ${type ?? 'not shown'}, no gateway URL).`);
    }
    const host = hostOf(gateway);
    const named = host ?? (gateway === 'the Azure Arc gateway' ? 'its gateway URL (not shown)' : `"${gateway.slice(0, 80)}"`);
    const probes = ctx.all('probe', '*.gw.arc.azure.com').map((p) => ({ host: p.key, verdict: probeVerdict(p.value, p.key) }));
    const failed = probes.find((p) => p.verdict.state === 'failed');
    if (failed) {
      return fail(`The machine uses the Azure Arc gateway, but ${failed.host} is unreachable (${failed.verdict.reason}): the agent, and WAC's traffic with it, goes nowhere. Allow it through the enterprise proxy and skip TLS inspection for it.`, fixes.openGateway(failed.host));
    }
    const reached = probes.find((p) => p.verdict.state === 'ok');
    const reach = reached ? ` ${reached.host} is reachable.` : '';
    const bypass = ctx.get('config.proxyBypass') ?? [];
    if (bypass.length > 0) {
      return warn(`The machine uses the Azure Arc gateway (${named}) with proxy.bypass set (${bypass.join(', ')}): proxy bypass is not supported with the gateway, so that traffic still goes through the proxy.${reach}`, fixes.clearProxyBypass());
    }
    return warn(
      `The machine uses the Azure Arc gateway (${named}).${reach} Windows Admin Center through the gateway is not documented (the Arc gateway page dropped it from the scenarios needing no extra endpoints on 2026-04-01): *.waconazure.com, *.servicebus.windows.net and pas.windows.net go through the gateway, so judge the gateway, not direct probes of them. If WAC does not connect, test with connection.type direct and the full network requirements.`,
    );
  },
});
