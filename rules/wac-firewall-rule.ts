/**
 * wac-firewall-rule: the WAC installer creates an inbound firewall rule for the gateway port,
 * `SmeInboundOpenException` (legacy gateway, ServerManagementGateway) or `WacInboundOpenException` (modernized gateway,
 * WindowsAdminCenter). Absent or disabled while the gateway is installed, the port is closed to inbound connections.
 */
import type { FirewallRuleEntry, WacFirewallRuleName } from '../core/model/facts';
import { defineRule, fail, pass, skip } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

type Gateway = 'ServerManagementGateway' | 'WindowsAdminCenter';
const RULE_OF: Record<Gateway, WacFirewallRuleName> = { ServerManagementGateway: 'SmeInboundOpenException', WindowsAdminCenter: 'WacInboundOpenException' };
const GATEWAY_OF: Record<WacFirewallRuleName, Gateway> = { SmeInboundOpenException: 'ServerManagementGateway', WacInboundOpenException: 'WindowsAdminCenter' };

const describeRule = (r: FirewallRuleEntry): string =>
  `${r.name} (${r.enabled ? 'enabled' : 'disabled'}${r.direction ? `, ${r.direction}` : ''}${r.action ? `, ${r.action}` : ''}${r.localPort ? `, port ${r.localPort}` : ''})`;

export default defineRule({
  meta: {
    id: 'wac-firewall-rule',
    title: 'The WAC inbound firewall rule is present and enabled',
    category: 'gateway',
    severity: 'fail',
    description: [
      'The WAC installer creates an inbound firewall rule for the gateway port: `SmeInboundOpenException` for the legacy',
      'gateway (`ServerManagementGateway`), `WacInboundOpenException` for the modernized one (`WindowsAdminCenter`). Read from',
      '`Get-NetFirewallRule -Name SmeInboundOpenException,WacInboundOpenException | Format-List` or',
      '`netsh advfirewall firewall show rule name=<name>` (pasted, or collected by the PowerShell collector).',
      '',
      '- **fail**: a gateway service is installed and its rule is disabled, blocks, or does not exist (fix: `Enable-NetFirewallRule`,',
      '  or `New-NetFirewallRule` for the gateway port). When it is not known which gateway is installed, either rule counts.',
      '- **pass**: the installed gateway\'s rule (or, gateway unknown, either rule) exists, is enabled and allows.',
      '- **skip**: the rule output is missing; or neither rule exists and no gateway service is seen installed.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/deploy/install',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/support/troubleshooting',
    ],
    requires: ['firewall.wacInbound'],
    optional: ['service.servermanagementgateway', 'service.windowsadmincenter', 'registry.serverManagementGateway', 'wac.port'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['allowWacInbound'],
  },
  check(ctx) {
    const fw = ctx.get('firewall.wacInbound')!;
    const installed = (name: string): boolean => {
      const s = ctx.has(`service.${name}`) ? ctx.get(`service.${name}`) : undefined;
      return s !== undefined && s.state !== 'not_found';
    };
    const gateways: Gateway[] = (['ServerManagementGateway', 'WindowsAdminCenter'] as const).filter((g) => installed(g.toLowerCase()));
    if (gateways.length === 0 && ctx.has('registry.serverManagementGateway') && ctx.get('registry.serverManagementGateway')?.present) gateways.push('ServerManagementGateway');
    const wanted: WacFirewallRuleName[] = gateways.length ? gateways.map((g) => RULE_OF[g]) : ['SmeInboundOpenException', 'WacInboundOpenException'];
    const port = ctx.has('wac.port') ? ctx.get('wac.port')?.port : undefined;
    const good = (r: FirewallRuleEntry): boolean => r.enabled && (r.action === undefined || /^allow$/i.test(r.action)) && (r.direction === undefined || /^inbound$/i.test(r.direction));
    const seen = fw.rules.filter((r) => wanted.includes(r.name));
    const ok = seen.filter(good);
    if (ok.length > 0) return pass(`The inbound firewall rule ${ok.map(describeRule).join(', ')} lets the gateway port in.`);
    if (seen.length > 0) {
      const r = seen[0]!;
      const why = !r.enabled ? 'is disabled' : `does not allow inbound connections (${[r.direction, r.action].filter(Boolean).join(', ')})`;
      return fail(`The inbound firewall rule ${describeRule(r)} ${why}: the gateway port is closed to inbound connections.`, fixes.allowWacInbound(GATEWAY_OF[r.name], port, true));
    }
    const known = fw.notFound.filter((n) => wanted.includes(n));
    const what = known.length ? `${known.join(' and ')} ${known.length === 1 ? 'does' : 'do'} not exist` : wanted.length === 1 ? `${wanted[0]} is not in the rule output` : `neither ${wanted.join(' nor ')} is in the rule output`;
    if (gateways.length === 0) return skip(`${what[0]!.toUpperCase()}${what.slice(1)}, and no WAC gateway service is seen installed, so the firewall rule is not needed or not judged.`);
    const gateway = gateways[0]!;
    return fail(`The WAC gateway ${gateway} is installed but its inbound firewall rule ${RULE_OF[gateway]} is missing (${what}): the gateway port is closed to inbound connections.`, fixes.allowWacInbound(gateway, port, false));
  },
});
