/**
 * private-link: remote access through WAC (or SSH) isn't supported over Azure Arc private link, and Arc
 * endpoints answering with private addresses on a machine without private link is a DNS misconfiguration.
 */
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import type { EndpointProbe } from '../core/model/facts';
import { isPrivateAddress, isPrivateProbe, isPublicProbe } from './support/probe-verdict';
import { trimSlashes } from './support/text';

const ARC_PATTERNS = ['gbl.his.arc.azure.com', '*.his.arc.azure.com', '*.guestconfiguration.azure.com', 'login.microsoftonline.com', 'management.azure.com'];
const NOT_SUPPORTED = 'Remote access via WAC/SSH isn\'t supported over private link';

const UNSUPPORTED_FIX = fixes.manual(
  'Windows Admin Center in the portal needs the machine\'s public Arc connectivity; it isn\'t supported over private link. ' +
  'Manage this machine another way (RDP, Azure Bastion, a WAC gateway inside the network), or move it off the Private Link Scope and public endpoints.',
);

function addressesOf(probe: EndpointProbe): string {
  const all = probe.dns?.addresses ?? [];
  const priv = all.filter(isPrivateAddress);
  const shown = priv.length ? priv : all;
  return shown.length ? shown.join(', ') : 'private per its source';
}

const scopeName = (id: string): string => trimSlashes(id).split('/').pop() || id;

export default defineRule({
  meta: {
    id: 'private-link',
    title: 'The machine is not using Azure Arc private link',
    category: 'network',
    severity: 'fail',
    description: [
      '"Remote access to the server by using Windows Admin Center or SSH isn\'t supported over a private link at this time."',
      'Private link shows as a `privateLinkScope` in `azcmagent show -j` (or the machine resource), and as Arc endpoints',
      '(`gbl.his.arc.azure.com`, `*.his.arc.azure.com`, `*.guestconfiguration.azure.com`, `login.microsoftonline.com`,',
      '`management.azure.com`) resolving to private addresses (the PRIVATE column of `azcmagent check`, or a private DNS answer).',
      '',
      '- **warn**: a Private Link Scope is set (WAC isn\'t supported over private link); the message adds whether the Arc',
      '  endpoints resolve privately or, unexpectedly, publicly. Also a warning when the endpoints resolve privately and the',
      '  Private Link Scope is unknown.',
      '- **fail**: the agent reports no Private Link Scope, yet Arc endpoints resolve to private addresses: a DNS',
      '  misconfiguration (privatelink zones or forwarders answering for this machine). The message names host and address.',
      '- **pass**: no Private Link Scope, and the probed Arc endpoints are reached on public addresses.',
      '- **skip**: the scope is unknown and no probe says how the endpoints resolve.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/private-link-security',
      'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-check',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
    ],
    requires: [],
    anyOf: [['agent.privateLinkScope', 'probe.*.his.arc.azure.com', 'probe.*.guestconfiguration.azure.com', 'probe.login.microsoftonline.com', 'probe.management.azure.com']],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['fixPrivateDns'],
  },
  check(ctx) {
    const probes: Array<{ host: string; probe: EndpointProbe }> = [];
    for (const pattern of ARC_PATTERNS) {
      for (const { key, value } of ctx.all('probe', pattern)) if (!probes.some((p) => p.host === key)) probes.push({ host: key, probe: value });
    }
    const scopeKnown = ctx.has('agent.privateLinkScope');
    const scope = (ctx.get('agent.privateLinkScope') ?? '').trim();
    const privately = probes.filter((p) => isPrivateProbe(p.probe));
    const publicly = probes.filter((p) => isPublicProbe(p.probe));
    const privList = privately.map((p) => `${p.host} -> ${addressesOf(p.probe)}`).join(', ');
    const pubList = publicly.map((p) => `${p.host}${p.probe.dns?.addresses.length ? ` -> ${p.probe.dns.addresses.slice(0, 2).join(', ')}` : ''}`).join(', ');

    if (scope) {
      const dnsNote = privately.length
        ? ` Arc endpoints resolve privately: ${privList}.`
        : publicly.length
          ? ` Yet ${pubList} resolve${publicly.length === 1 ? 's' : ''} to public addresses, so the privatelink DNS zones may be missing for this machine.`
          : '';
      return warn(`The machine uses the Private Link Scope "${scopeName(scope)}". ${NOT_SUPPORTED}.${dnsNote}`, UNSUPPORTED_FIX);
    }
    if (privately.length) {
      if (scopeKnown) {
        return fail(
          `Arc endpoints resolve to private addresses (${privList}) but the agent reports no Private Link Scope: a DNS misconfiguration (privatelink zones, forwarders or hosts entries answering for this machine).`,
          fixes.fixPrivateDns(privately.map((p) => p.host)),
        );
      }
      return warn(`Arc endpoints resolve to private addresses (${privList}), so the machine looks connected through private link (its Private Link Scope wasn't provided). ${NOT_SUPPORTED}.`, UNSUPPORTED_FIX);
    }
    if (!scopeKnown && publicly.length === 0) {
      return skip(`The probes of ${probes.map((p) => p.host).join(', ')} don't say whether they resolve to private or public addresses, and the Private Link Scope wasn't provided (azcmagent show -j).`);
    }
    const parts = [scopeKnown ? 'The agent reports no Private Link Scope' : 'The Private Link Scope wasn\'t provided'];
    if (publicly.length) parts.push(`Arc endpoints are reached on public addresses: ${pubList}`);
    return pass(`${parts.join('; ')}.`);
  },
});
