/**
 * wac-port: every source that states the WAC port must agree (extension settings, SmePort, the modern
 * gateway's appsettings.json, --port), and the agent must accept that port for incoming connections.
 */
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { compareVersions, parseVersion } from '../core/model/version';
import type { WacPortFact } from '../core/model/facts';

interface PortSource {
  kind: WacPortFact['source'];
  port: number;
  /** How the message states it: "SmePort is 443". */
  phrase: string;
  /** How the pass message names it. */
  name: string;
}

const MODERN_GATEWAY = '0.24.0.0';

export default defineRule({
  meta: {
    id: 'wac-port',
    title: 'The WAC port is the same everywhere it is configured',
    category: 'gateway',
    severity: 'fail',
    description: [
      'The portal connects to the port the AdminCenter extension was installed on (its `port` setting); the gateway listens',
      'on `SmePort` (`HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway`, legacy gateway) or the port in the modernized',
      'gateway\'s `appsettings.json`; the agent must list the port in `incomingconnections.ports`. The WAC port is `--port`,',
      'else the extension setting, else `SmePort`, else `appsettings.json`, else 6516 (the default).',
      '',
      '- **fail**: two sources disagree, e.g. "SmePort is 443 but the AdminCenter extension is configured for 6516"',
      '  (fix: reinstall the extension on the intended port, and allow that port for incoming connections).',
      '- **warn**: the `ServerManagementGateway` key does not exist while the modernized gateway is absent.',
      '- **pass**: every source seen agrees. A port missing from `incomingconnections.ports` is mentioned but is the',
      '  finding of `incoming-ports`, so the two rules do not report the same problem twice.',
      '- **skip**: no source states the port (only the default 6516 or `--port`), so there is nothing to compare.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-config',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/extension-release-notes',
    ],
    requires: ['wac.port'],
    optional: ['registry.serverManagementGateway', 'extension.adminCenter', 'wac.appsettingsPort', 'config.incomingConnectionsPorts', 'service.windowsadmincenter', 'machine.resourceId'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['reinstallExtension', 'setIncomingPorts'],
  },
  check(ctx) {
    const wacPort = ctx.get('wac.port')!;
    const reg = ctx.get('registry.serverManagementGateway');
    const ext = ctx.get('extension.adminCenter');
    const app = ctx.get('wac.appsettingsPort');
    const incoming = ctx.get('config.incomingConnectionsPorts');
    const modernSvc = ctx.get('service.windowsadmincenter');
    const resourceId = ctx.get('machine.resourceId');

    // In the combiner's order of authority: the first one is the intended port.
    const sources: PortSource[] = [];
    if (wacPort.source === 'option') sources.push({ kind: 'option', port: wacPort.port, phrase: `--port is ${wacPort.port}`, name: '--port' });
    if (ext?.settingsPort !== undefined) {
      sources.push({ kind: 'extension', port: ext.settingsPort, phrase: `the AdminCenter extension is configured for ${ext.settingsPort}`, name: 'the AdminCenter extension settings' });
    }
    if (reg?.smePort !== undefined) sources.push({ kind: 'SmePort', port: reg.smePort, phrase: `SmePort is ${reg.smePort}`, name: 'SmePort' });
    if (app !== undefined) sources.push({ kind: 'appsettings', port: app, phrase: `appsettings.json says ${app}`, name: 'appsettings.json' });

    if (sources.length === 0 || (sources.length === 1 && wacPort.source === 'option')) {
      // incoming-ports already checks the assumed port against incomingconnections.ports; nothing to compare here.
      return skip(wacPort.source === 'default'
        ? `No source states the WAC port (the extension settings, SmePort or appsettings.json); ${wacPort.port}, the default, would only be a guess. incoming-ports checks it against incomingconnections.ports.`
        : `Only --port states the WAC port (${wacPort.port}); there is nothing to compare it with.`);
    }

    const intended = sources[0]!;
    const port = intended.port;
    const missingIncoming = incoming !== undefined && !incoming.includes(port);
    const disagree = sources.filter((s) => s.port !== intended.port);
    if (disagree.length > 0) {
      const fix = missingIncoming
        ? fixes.combine(fixes.reinstallExtension(resourceId, port), fixes.setIncomingPorts([...incoming, port]))
        : fixes.reinstallExtension(resourceId, port);
      return fail(`${disagree.map((s) => s.phrase).join(' and ')} but ${intended.phrase}: the gateway and the portal disagree about the WAC port.`, fix);
    }

    // A port missing from incomingconnections.ports is incoming-ports' finding; here it is only mentioned.
    const incomingText = incoming ? `incomingconnections.ports [${incoming.join(',')}]` : '';
    const extVersion = ext?.version && parseVersion(ext.version) ? ext.version : undefined;
    const modernAbsent = modernSvc?.state === 'not_found' || (app === undefined && extVersion !== undefined && compareVersions(extVersion, MODERN_GATEWAY) < 0);
    if (reg?.present === false && modernAbsent) {
      const why = modernSvc?.state === 'not_found' ? 'the WindowsAdminCenter service does not exist' : `AdminCenter extension ${extVersion} predates the modernized gateway`;
      return warn(
        `The ServerManagementGateway registry key does not exist and ${why}: no gateway appears to be installed for port ${port}.`,
        fixes.reinstallExtension(resourceId, port),
      );
    }
    const named = sources.map((s) => `${s.name} (${s.port})`);
    const agree = sources.length > 1
      ? `agrees across ${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`
      : `comes from ${intended.name}`;
    const incomingNote = incoming ? (missingIncoming ? ` (it is missing from ${incomingText}: see incoming-ports)` : `, and is in ${incomingText}`) : '';
    return pass(`The WAC port ${port} ${agree}${incomingNote}.`);
  },
});
