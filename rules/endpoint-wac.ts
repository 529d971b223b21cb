/**
 * endpoint-wac: the machine must reach the WAC service, which issues and renews the gateway's TLS certificate.
 *
 * Today that is `<region>.service.waconazure.com` (`*.waconazure.com`, or the service tags WindowsAdminCenter and,
 * since April 2026, AzureFrontDoor.Frontend). `*.wac.azure.com` was the requirement for AdminCenter extensions
 * before 0.0.0.203 (manage-hci-clusters.md; arc-wac-facts "Updates checked 2026-12"; network-requirements), so
 * `wac.azure.com` is legacy evidence: it decides only when the extension is older than that.
 */
import { defineRule, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { compareVersions, parseVersion } from '../core/model/version';
import { endpointOutcome, probesMatching } from './support/endpoint-check';
import { LAYER_FIX_NAMES, targetPlatform } from './support/layer-fix';

const CURRENT = ['*.waconazure.com'];
const LEGACY = ['wac.azure.com', '*.wac.azure.com'];
/** Extensions before this version needed *.wac.azure.com. */
export const WAC_LEGACY_ENDPOINT_BEFORE = '0.0.0.203';

const REGIONAL = /^([a-z0-9]+)\.service\.waconazure\.com$/;

function allowlistFor(failing: string[]): string[] {
  const hosts: string[] = [];
  for (const host of failing) {
    const family = host.endsWith('.waconazure.com') ? '*.waconazure.com' : host === 'wac.azure.com' ? 'wac.azure.com' : '*.wac.azure.com';
    for (const h of [family, host]) if (!hosts.includes(h)) hosts.push(h);
  }
  return hosts;
}

const regionOfHosts = (hosts: string[]): string | undefined => hosts.map((h) => REGIONAL.exec(h)?.[1]).find((r) => r);

export default defineRule({
  meta: {
    id: 'endpoint-wac',
    title: 'The machine reaches the Windows Admin Center service endpoints',
    category: 'network',
    severity: 'fail',
    wacOnly: true,
    description: [
      'The AdminCenter extension talks to the WAC service, which issues and renews the gateway\'s TLS certificate. Today that',
      'is `*.waconazure.com`, probed as `https://<region>.service.waconazure.com` (answer: `Microsoft Certificate and DNS',
      'service for Windows Admin Center`), or the `WindowsAdminCenter` and (since April 2026) `AzureFrontDoor.Frontend`',
      `service tags. \`*.wac.azure.com\` (probe \`https://wac.azure.com\`) was needed by extensions before ${WAC_LEGACY_ENDPOINT_BEFORE}; its`,
      'result is legacy evidence and decides only when the installed extension is older than that.',
      '',
      'Each probe is judged layer by layer (DNS, TCP, TLS, HTTP status, an error or `reachable: false` as reported, and the',
      'documented body, so that a proxy block page is not taken for the service):',
      '',
      '- **fail**: a `*.waconazure.com` probe failed (or, with an extension before 0.0.0.203, any WAC probe failed). The message',
      '  names each host and what failed.',
      '- **warn**: the requests failed at the proxy (`proxyconnect`, 407), so the endpoints were never tried (the `proxy`',
      '  finding names the proxy and what failed); or only the legacy `wac.azure.com` / `*.wac.azure.com` was probed and it failed: a firewall that blocks it may',
      '  also block today\'s endpoint, which was not probed.',
      '- **pass**: every `*.waconazure.com` probe with a result worked (a legacy failure is mentioned, not counted).',
      '- **skip**: no WAC probe has a result, or only the legacy name was probed and it worked (it says nothing about',
      '  today\'s endpoint; the message names the regional probe to run).',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-arc/servers/network-requirements',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-hci-clusters',
    ],
    requires: [],
    anyOf: [['probe.*.waconazure.com', 'probe.wac.azure.com', 'probe.*.wac.azure.com']],
    optional: ['agent.location', 'extension.adminCenter', 'os'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['openWacOutbound', ...LAYER_FIX_NAMES],
  },
  check(ctx) {
    const current = probesMatching(ctx, CURRENT);
    const legacy = probesMatching(ctx, LEGACY);
    const location = ctx.get('agent.location')?.trim().toLowerCase() || undefined;
    const region = location && /^[a-z0-9]+$/.test(location) ? location : regionOfHosts(current.map((c) => c.host));
    const regional = region ? `${region}.service.waconazure.com` : '<region>.service.waconazure.com';
    const platform = () => targetPlatform(ctx);
    const reach = (hosts: string[]) => fixes.openWacOutbound(region ?? regionOfHosts(hosts), allowlistFor(hosts), platform());
    const purpose = 'the Windows Admin Center service';

    const extVersion = parseVersion(ctx.get('extension.adminCenter')?.version?.trim() ?? '');
    if (extVersion && compareVersions(extVersion, WAC_LEGACY_ENDPOINT_BEFORE) < 0) {
      const outcome = endpointOutcome([...legacy, ...current], { purpose, reach, platform, allowlist: allowlistFor });
      return { ...outcome, message: `${outcome.message} (AdminCenter extension ${extVersion.join('.')} is older than ${WAC_LEGACY_ENDPOINT_BEFORE}, so it still uses *.wac.azure.com.)` };
    }

    const judged = endpointOutcome(current, { purpose, reach, platform, allowlist: allowlistFor });
    const legacyFailed = legacy.filter((c) => c.verdict.state === 'failed');
    if (judged.status !== 'skip' || current.some((c) => c.verdict.state !== 'unknown')) {
      const notRegional = region && !current.some((c) => c.host === regional) ? ` ${regional} itself was not probed.` : '';
      const legacyNote = legacyFailed.length
        ? ` Legacy ${legacyFailed.map((c) => `${c.host} (${c.verdict.reason})`).join(', ')} failed; only extensions before ${WAC_LEGACY_ENDPOINT_BEFORE} need it.`
        : '';
      return { ...judged, message: `${judged.message}${notRegional}${legacyNote}` };
    }

    const probeHint = `probe https://${regional} (Invoke-RestMethod -Method GET -Uri https://${regional})`;
    if (legacyFailed.length > 0) {
      return warn(
        `Only the legacy WAC endpoint was probed and it failed: ${legacyFailed.map((c) => `${c.host}: ${c.verdict.reason}`).join('; ')}. Extensions before ${WAC_LEGACY_ENDPOINT_BEFORE} needed it; today's requirement is ${regional} (*.waconazure.com), which was not probed; ${probeHint}.`,
        fixes.openWacOutbound(region, ['*.waconazure.com', ...(region ? [regional] : [])], platform()),
      );
    }
    const ok = legacy.filter((c) => c.verdict.state === 'ok');
    if (ok.length > 0) {
      return skip(`Only the legacy ${ok.map((c) => c.host).join(', ')} was probed (reachable); it says nothing about today's endpoint ${regional} (*.waconazure.com): ${probeHint}.`);
    }
    const hosts = [...current, ...legacy].map((c) => c.host).join(', ');
    return skip(`The probes of ${hosts} record no DNS, TCP, TLS, HTTP or reachability result, so ${purpose} could not be judged.`);
  },
});

