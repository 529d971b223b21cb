/**
 * endpoint-pas: the machine must reach `pas.windows.net` (Microsoft Entra ID), which WAC in the portal
 * needs for Entra sign-in.
 */
import { defineRule } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { endpointOutcome, probesMatching } from './support/endpoint-check';

export default defineRule({
  meta: {
    id: 'endpoint-pas',
    title: 'The machine reaches pas.windows.net (Microsoft Entra ID)',
    category: 'network',
    severity: 'fail',
    description: [
      'Windows Admin Center in the portal signs users in with Microsoft Entra ID; the machine needs outbound HTTPS to',
      '`pas.windows.net` (part of the `AAD` group of the agent\'s `proxy.bypass`).',
      '',
      '- **fail**: the probe of `pas.windows.net` has a DNS answer other than `ok`, a failed TCP connection or TLS',
      '  handshake, an HTTP error or a 407, an error as reported by its source, or `reachable: false`.',
      '- **warn**: the requests failed at the proxy (`proxyconnect`, 407), so the endpoints were never tried: the `proxy`',
      '  finding names the proxy and what failed.',
      '- **pass**: the probe worked; the message says what was seen.',
      '- **skip**: no probe of `pas.windows.net`, or it records no result.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-arc/servers/network-requirements',
    ],
    requires: ['probe.pas.windows.net'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['openOutbound'],
  },
  check(ctx) {
    return endpointOutcome(probesMatching(ctx, ['pas.windows.net']), {
      purpose: 'Microsoft Entra ID (pas.windows.net)',
      fix: () => fixes.openOutbound(['pas.windows.net']),
    });
  },
});
