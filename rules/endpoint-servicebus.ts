/**
 * endpoint-servicebus: the machine must reach the Azure Relay hosts (`azgn*.servicebus.windows.net`) that
 * carry WAC and SSH sessions, and the guest notification service that lists them.
 */
import { defineRule } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { endpointOutcome, probesMatching, type CheckedProbe } from './support/endpoint-check';

const RELAY = '*.servicebus.windows.net';
const GNS = ['guestnotificationservice.azure.com', '*.guestnotificationservice.azure.com'];

function allowlistFor(failing: CheckedProbe[]): string[] {
  const hosts: string[] = [];
  for (const { host } of failing) {
    const family = host.endsWith('.servicebus.windows.net') ? RELAY : '*.guestnotificationservice.azure.com';
    const apex = family === RELAY ? [] : ['guestnotificationservice.azure.com'];
    for (const h of [family, ...apex, host]) if (!hosts.includes(h)) hosts.push(h);
  }
  return hosts;
}

export default defineRule({
  meta: {
    id: 'endpoint-servicebus',
    title: 'The machine reaches the Azure Relay (servicebus) endpoints',
    category: 'network',
    severity: 'fail',
    description: [
      'WAC and SSH sessions reach the machine through Azure Relay: outbound HTTPS to `azgn*.servicebus.windows.net`',
      '(allow `*.servicebus.windows.net`). The concrete relay hosts for a region come from',
      '`https://guestnotificationservice.azure.com/urls/allowlist?api-version=2020-01-01&location=<region>`, so',
      '`guestnotificationservice.azure.com` (and `*.guestnotificationservice.azure.com`) is judged too when probed.',
      '',
      '- **fail**: a relay or guest-notification probe has a DNS answer other than `ok`, a failed TCP connection or TLS',
      '  handshake, an HTTP error or a 407, an error as reported by its source, or `reachable: false`. The message names',
      '  each host and what failed.',
      '- **warn**: the requests failed at the proxy (`proxyconnect`, 407), so the endpoints were never tried: the `proxy`',
      '  finding names the proxy and what failed.',
      '- **pass**: every probe with a result worked.',
      '- **skip**: no probe of a `*.servicebus.windows.net` host, or none records a result.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/network-requirements',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
    ],
    requires: [],
    anyOf: [['probe.*.servicebus.windows.net']],
    optional: ['probe.guestnotificationservice.azure.com', 'probe.*.guestnotificationservice.azure.com'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['openOutbound'],
  },
  check(ctx) {
    return endpointOutcome(probesMatching(ctx, [RELAY, ...GNS]), {
      purpose: 'the Azure Relay used by WAC and SSH',
      fix: (failing) => fixes.openOutbound(allowlistFor(failing)),
    });
  },
});
