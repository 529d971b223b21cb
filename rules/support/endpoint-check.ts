/**
 * The common body of the endpoint-* rules: evaluate every probe whose key matches one of the patterns
 * and turn the verdicts into pass / fail / skip with host-by-host reasons.
 */
import { clipWords } from '../../core/text/clip';
import type { EndpointProbe } from '../../core/model/facts';
import { fail, pass, skip, warn, type Outcome, type RuleContext } from '../../core/engine/rule';

const clipReason = (s: string): string => clipWords(s, 160, '...');
import type { Fix } from '../../core/model/types';
import { probeVerdict, type ProbeVerdict } from './probe-verdict';

export interface CheckedProbe {
  host: string;
  probe: EndpointProbe;
  verdict: ProbeVerdict;
  /** The request failed at a proxy that other requests show broken (the endpoint itself was not tried). */
  viaBrokenProxy?: boolean;
  /** A failed probe of a host the machine reaches through its Azure Arc gateway (the gateway URL, or `the Azure Arc gateway`). */
  viaGateway?: string;
}

/**
 * Hosts the Azure Arc gateway carries for WAC: `*.waconazure.com` (and `*.service.waconazure.com`), the relay
 * `*.servicebus.windows.net`, `pas.windows.net`, `guestnotificationservice.azure.com`
 * (https://learn.microsoft.com/azure/azure-arc/servers/arc-gateway-endpoints, 2025-09-18; checked 2026-12).
 * In gateway mode the enterprise proxy may allow them only through the gateway, so a direct probe failing is no verdict.
 */
export const GATEWAY_ROUTED = /(?:^|\.)waconazure\.com$|\.servicebus\.windows\.net$|^pas\.windows\.net$|(?:^|\.)guestnotificationservice\.azure\.com$/i;

/** The machine's gateway when it is in gateway mode (`connection.type gateway`, or a Gateway URL): its URL, or a name. */
export function gatewayMode(ctx: RuleContext): string | undefined {
  const type = ctx.has('config.connectionType') ? ctx.get('config.connectionType') : undefined;
  const url = ctx.has('agent.gatewayUrl') ? ctx.get('agent.gatewayUrl')?.trim() : undefined;
  if (type !== undefined && type.trim().toLowerCase() !== 'gateway' && !url) return undefined;
  return type?.trim().toLowerCase() === 'gateway' || url ? (url || 'the Azure Arc gateway') : undefined;
}

/** Probes of every key pattern (`wac.azure.com`, `*.wac.azure.com`), de-duplicated, in pattern order. */
export function probesMatching(ctx: RuleContext, patterns: string[]): CheckedProbe[] {
  const out: CheckedProbe[] = [];
  // One egress, one verdict: once any request is seen failing at the proxy, an endpoint only "reported unreachable
  // through the proxy" (azcmagent check's REACHABLE false, PROXY set) is explained by it too.
  const proxyBroken = ctx.peek('probe').some((p) => failedAtProxy(p.value));
  for (const pattern of patterns) {
    for (const { key, value } of ctx.all('probe', pattern)) {
      if (out.some((p) => p.host === key)) continue;
      const verdict = probeVerdict(value, key);
      const viaBrokenProxy = failedAtProxy(value)
        || (proxyBroken && verdict.layer === 'reported' && value.proxy !== undefined && !/^\s*(not set|none|)\s*$/i.test(value.proxy));
      out.push({ host: key, probe: value, verdict, ...(viaBrokenProxy ? { viaBrokenProxy } : {}) });
    }
  }
  // Only read the connection mode when it matters (a failed gateway-routed host), so it is evidence only then.
  const routed = out.filter((c) => c.verdict.state === 'failed' && !c.viaBrokenProxy && GATEWAY_ROUTED.test(c.host));
  const gateway = routed.length > 0 ? gatewayMode(ctx) : undefined;
  if (gateway) for (const c of routed) c.viaGateway = gateway;
  return out;
}

export interface EndpointCheckOptions {
  /** What the endpoints are for, e.g. "the WAC service". */
  purpose: string;
  /** The fix for the failing hosts. */
  fix: (failing: CheckedProbe[]) => Fix;
}

/** The request failed at the proxy (the endpoint itself was never tried): the proxy rule owns that finding. */
export function failedAtProxy(probe: EndpointProbe): boolean {
  return probe.reachable === false && (probe.layer === 'proxy-connect' || probe.layer === 'proxy-auth');
}

export function endpointOutcome(checked: CheckedProbe[], opts: EndpointCheckOptions): Outcome {
  const proxied = checked.filter((c) => c.verdict.state === 'failed' && c.viaBrokenProxy);
  const gatewayed = checked.filter((c) => c.verdict.state === 'failed' && !c.viaBrokenProxy && c.viaGateway);
  const failing = checked.filter((c) => c.verdict.state === 'failed' && !c.viaBrokenProxy && !c.viaGateway);
  const ok = checked.filter((c) => c.verdict.state === 'ok');
  const unknown = checked.filter((c) => c.verdict.state === 'unknown');
  const unknownNote = unknown.length ? ` No result recorded for ${unknown.map((c) => c.host).join(', ')}.` : '';
  if (failing.length > 0) {
    const reasons = failing.map((c) => `${c.host}: ${c.verdict.reason}`).join('; ');
    const okNote = ok.length ? ` Reachable: ${ok.map((c) => c.host).join(', ')}.` : '';
    return fail(`Cannot reach ${opts.purpose}: ${reasons}.${okNote}${unknownNote}`, opts.fix(failing));
  }
  if (proxied.length > 0) {
    return warn(`Not tested: the requests to ${proxied.map((c) => c.host).join(', ')} failed at the proxy (${clipReason(proxied.find((c) => c.probe.error)?.probe.error ?? 'the proxy connection failed')}); see the proxy finding. ${opts.purpose[0]!.toUpperCase()}${opts.purpose.slice(1)} could not be judged until the proxy works.`);
  }
  if (gatewayed.length > 0) {
    const reasons = gatewayed.map((c) => `${c.host}: ${c.verdict.reason}`).join('; ');
    return warn(`Not judged directly: the machine uses the Azure Arc gateway (${clipReason(gatewayed[0]!.viaGateway!)}), which carries ${gatewayed.map((c) => c.host).join(', ')}, and the enterprise proxy may allow them only through it. The failed direct probe${gatewayed.length === 1 ? '' : 's'} (${clipReason(reasons)}) ${gatewayed.length === 1 ? 'does' : 'do'} not show that the gateway path fails; see the arc-gateway finding.`);
  }
  if (ok.length === 0) {
    return skip(`The probes of ${unknown.map((c) => c.host).join(', ')} record no DNS, TCP, TLS, HTTP or reachability result, so ${opts.purpose} could not be judged.`);
  }
  return pass(`Reachable: ${ok.map((c) => `${c.host} (${c.verdict.reason})`).join('; ')}.${unknownNote}`);
}
