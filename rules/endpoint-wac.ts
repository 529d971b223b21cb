/**
 * endpoint-wac: the machine must reach the WAC service (`wac.azure.com`, `*.wac.azure.com`,
 * `*.waconazure.com`): the AdminCenter extension gets and renews its TLS certificate there.
 */
import { defineRule } from '../core/rule';
import { fixes } from '../core/fixes';
import { endpointOutcome, probesMatching, type CheckedProbe } from './support/endpoint-check';

const PATTERNS = ['wac.azure.com', '*.wac.azure.com', '*.waconazure.com'];

function allowlistFor(failing: CheckedProbe[]): string[] {
  const hosts: string[] = [];
  for (const { host } of failing) {
    const family = host.endsWith('.waconazure.com') ? '*.waconazure.com' : host === 'wac.azure.com' ? 'wac.azure.com' : '*.wac.azure.com';
    for (const h of [family, host]) if (!hosts.includes(h)) hosts.push(h);
  }
  return hosts;
}

export default defineRule({
  meta: {
    id: 'endpoint-wac',
    title: 'The machine reaches the Windows Admin Center service endpoints',
    category: 'network',
    severity: 'fail',
    description: [
      'The AdminCenter extension talks to the WAC service, which issues and renews the gateway\'s TLS certificate:',
      '`*.wac.azure.com` (with the documented probe `https://wac.azure.com`) and `*.waconazure.com`',
      '(probe `https://<region>.service.waconazure.com`), or the `WindowsAdminCenter` service tag.',
      '',
      'Each probe of `wac.azure.com`, `*.wac.azure.com` and `*.waconazure.com` is judged layer by layer:',
      '',
      '- **fail**: any probe has a DNS answer other than `ok` (e.g. NXDOMAIN), a failed TCP connection or TLS',
      '  handshake, an HTTP error or a 407, an error as reported by its source, or `reachable: false`; or its body does not',
      '  contain the documented text (`Windows Admin Center in Azure APIs\' home page` for `wac.azure.com`,',
      '  `Microsoft Certificate and DNS service for Windows Admin Center` for `*.service.waconazure.com`), which means',
      '  something else, such as a proxy block page, answered. The message names each host and what failed.',
      '- **warn**: the requests failed at the proxy (`proxyconnect`, 407), so the endpoints were never tried: the `proxy`',
      '  finding names the proxy and what failed.',
      '- **pass**: every probe with a result worked; the message names the hosts and what was seen.',
      '- **skip**: no probe of these hosts, or none records a result.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-arc/servers/network-requirements',
    ],
    requires: [],
    anyOf: [['probe.wac.azure.com', 'probe.*.wac.azure.com', 'probe.*.waconazure.com']],
    appliesTo: ['pasted', 'bundle', 'live'],
  },
  check(ctx) {
    return endpointOutcome(probesMatching(ctx, PATTERNS), {
      purpose: 'the Windows Admin Center service',
      fix: (failing) => fixes.openOutbound(allowlistFor(failing)),
    });
  },
});
