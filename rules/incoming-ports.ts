/**
 * incoming-ports: the agent must accept reverse-proxy connections on the WAC port.
 * `incomingconnections.enabled false` turns off WAC and SSH entirely (fail); a WAC port missing from
 * `incomingconnections.ports` is a warning, because since 2023 the port can also be configured
 * Azure-side (the HybridConnectivity service configuration) instead.
 */
import { defineRule, fail, pass, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

export default defineRule({
  meta: {
    id: 'incoming-ports',
    title: 'The agent accepts incoming connections on the WAC port',
    category: 'configuration',
    severity: 'fail',
    description: [
      'Windows Admin Center in the portal reaches the machine through the Arc reverse proxy, which the agent only',
      'lets through on ports listed in `incomingconnections.ports` (`azcmagent config list`).',
      '',
      '- **fail**: `incomingconnections.enabled` is `false` (this disables all remote access, WAC and SSH).',
      '- **warn**: the WAC port is not in `incomingconnections.ports`.',
      '- **pass**: the WAC port is listed.',
      '',
      'The WAC port is `--port`, else the extension setting, else `SmePort`, else 6516.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-config',
    ],
    requires: ['config.incomingConnectionsPorts', 'wac.port'],
    optional: ['config.incomingConnectionsEnabled'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['enableIncomingConnections', 'setIncomingPorts'],
  },
  check(ctx) {
    const { port } = ctx.get('wac.port')!;
    if (ctx.get('config.incomingConnectionsEnabled') === false) {
      return fail('incomingconnections.enabled is false: the agent refuses every reverse-proxy connection, so WAC (and SSH) cannot connect.', fixes.enableIncomingConnections());
    }
    const ports = ctx.get('config.incomingConnectionsPorts')!;
    const shown = `[${ports.join(',')}]`;
    if (ports.includes(port)) return pass(`incomingconnections.ports is ${shown} and includes the WAC port ${port}.`);
    return warn(`incomingconnections.ports is ${shown}; the WAC port ${port} is missing.`, fixes.setIncomingPorts([...ports, port]));
  },
});
