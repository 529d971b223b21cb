/**
 * connect-override: with --resolve / --connect-to the user said where a host is, so its endpoint rule judges the
 * path actually used (as curl does). This rule reports the DNS answer beside it: the machine without the option
 * goes where the resolver says, and that path was not tested.
 */
import type { EndpointProbe } from '../core/model/facts';
import { defineRule, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

/** The address part of `address:port` / `[v6]:port`. */
const addressOf = (hostPort: string): string => hostPort.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');

/** What is wrong with the DNS answer beside an overridden probe, or undefined when it agrees. */
function disagreement(p: EndpointProbe & { connectedTo: NonNullable<EndpointProbe['connectedTo']> }): string | undefined {
  const dns = p.dns!;
  const via = dns.resolver ? ` via ${dns.resolver}` : '';
  if (dns.status !== 'ok') return `DNS${via} answers ${dns.status.toUpperCase()}${dns.error ? ` (${dns.error})` : ''}`;
  const to = addressOf(p.connectedTo.address);
  if (dns.addresses.includes(to)) return undefined;
  return `DNS${via} answers ${dns.addresses.length ? dns.addresses.slice(0, 3).join(', ') : 'no address'}, not ${to}`;
}

export default defineRule({
  meta: {
    id: 'connect-override',
    title: 'The DNS answer agrees with --resolve / --connect-to',
    category: 'network',
    severity: 'warn',
    description: [
      'With `--resolve host:port:address` or `--connect-to host:port:address:port` a live check connects where the option',
      'says, as curl does, and the endpoint rules judge that path. The resolvers are still asked, and their answer is',
      'reported beside it: without the option the machine (and WAC) connects where DNS says, a path the check did not test.',
      '',
      '- **warn**: for a redirected host the resolver fails (NXDOMAIN, SERVFAIL, timeout, error) or answers other addresses',
      '  than the one connected to. The message names the host, the option and the DNS answer.',
      '- **pass**: every redirected host resolves to the address the option gave.',
      '- **skip**: no probe was redirected by `--resolve` / `--connect-to`, or none records a DNS answer.',
    ].join('\n'),
    references: [
      'https://curl.se/docs/manpage.html#--connect-to',
      'https://learn.microsoft.com/azure/azure-arc/servers/network-requirements',
    ],
    requires: [],
    anyOf: [['probe.*']],
    appliesTo: ['live', 'bundle'],
    optional: ['os'],
    fixes: ['fixDnsResolution'],
  },
  check(ctx) {
    const redirected = ctx.peek('probe').filter((p) => p.value.connectedTo !== undefined);
    if (redirected.length === 0) return skip('No endpoint probe was redirected by --resolve or --connect-to.');
    const judged = redirected.filter((p) => p.value.dns !== undefined).map((p) => ({ host: p.key, probe: ctx.get(`probe.${p.key}`)! as EndpointProbe & { connectedTo: NonNullable<EndpointProbe['connectedTo']> } }));
    if (judged.length === 0) return skip(`The redirected probes (${redirected.map((p) => p.key).join(', ')}) record no DNS answer to compare with.`);
    const off = judged.map((j) => ({ ...j, why: disagreement(j.probe) })).filter((j) => j.why !== undefined);
    if (off.length > 0) {
      // One sentence per option: a wildcard --connect-to redirects every host.
      const byOption = new Map<string, string[]>();
      for (const j of off) {
        const key = `${j.probe.connectedTo.address} (${j.probe.connectedTo.option})`;
        byOption.set(key, [...(byOption.get(key) ?? []), `${j.host}: ${j.why}`]);
      }
      const lines = [...byOption].map(([where, hosts]) => `Probed at ${where}, but ${hosts.join('; ')}`);
      return warn(`${lines.join('. ')}. Without the option the machine connects where DNS says, and that path was not tested.`, fixes.fixDnsResolution(off.map((j) => j.host), ctx.has('os') && ctx.get('os')?.platform === 'linux' ? 'linux' : 'windows'));
    }
    return pass(`DNS agrees with the redirected probes: ${judged.map((j) => `${j.host} -> ${addressOf(j.probe.connectedTo.address)}`).join(', ')}.`);
  },
});
