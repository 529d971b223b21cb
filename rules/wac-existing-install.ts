/**
 * wac-existing-install: a manually installed WAC gateway is replaced when WAC is installed from the portal,
 * and loses its ability to manage other machines.
 */
import { defineRule, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

const ADMIN_CENTER = /^microsoft\.admincenter[./]admincenter$/i;

export default defineRule({
  meta: {
    id: 'wac-existing-install',
    title: 'No manually installed Windows Admin Center will be replaced',
    category: 'gateway',
    severity: 'warn',
    description: [
      'If Windows Admin Center was installed manually on the machine (for example to manage other servers), installing it',
      'from the Azure portal replaces that instance and removes its ability to manage other machines (AdminCenter',
      'extension 0.0.0.313 and later uninstall the prior install first).',
      '',
      'A gateway counts as present when the `ServerManagementGateway` registry key exists, or the `ServerManagementGateway`',
      'or `WindowsAdminCenter` service exists.',
      '',
      '- **warn**: a gateway is present and the AdminCenter extension is not installed.',
      '- **pass**: the AdminCenter extension is installed (the gateway belongs to it), or no gateway is present.',
      '- **skip**: the extension is not installed and nothing says whether a gateway exists (registry or service state).',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/extension-release-notes',
    ],
    requires: [],
    anyOf: [['extension.adminCenter', 'extension.installed']],
    optional: ['registry.serverManagementGateway', 'service.servermanagementgateway', 'service.windowsadmincenter'],
    appliesTo: ['pasted', 'bundle', 'live'],
  },
  check(ctx) {
    const ext = ctx.get('extension.adminCenter');
    const list = ctx.get('extension.installed');
    const inList = list?.some((e) => ADMIN_CENTER.test(e.trim())) ?? false;
    if (ext?.installed === true || inList) {
      const version = ext?.installed && ext.version ? ` ${ext.version}` : '';
      return pass(`The AdminCenter extension${version} is installed, so the WAC gateway on the machine belongs to it.`);
    }

    const reg = ctx.get('registry.serverManagementGateway');
    const legacy = ctx.get('service.servermanagementgateway');
    const modern = ctx.get('service.windowsadmincenter');
    const seen: string[] = [];
    if (reg?.present) seen.push(`the ServerManagementGateway registry key exists${reg.smePort !== undefined ? ` (SmePort ${reg.smePort})` : ''}`);
    if (legacy && legacy.state !== 'not_found') seen.push(`the ServerManagementGateway service is ${legacy.state.replace(/_/g, ' ')}`);
    if (modern && modern.state !== 'not_found') seen.push(`the WindowsAdminCenter service is ${modern.state.replace(/_/g, ' ')}`);
    const notInstalled = list ? `the installed extensions (${list.length ? list.join(', ') : 'none'}) don't include AdminCenter` : 'the AdminCenter extension is not installed';

    if (seen.length > 0) {
      return warn(
        `A manually installed Windows Admin Center is present (${seen.join('; ')}) and ${notInstalled}. Installing WAC in the portal replaces it and removes its ability to manage other machines.`,
        fixes.manual('If this Windows Admin Center manages other machines, move that role to another server before installing WAC from the Azure portal; otherwise installing from the portal replaces it.'),
      );
    }
    if (reg === undefined && legacy === undefined && modern === undefined) {
      return skip(`${notInstalled[0]!.toUpperCase()}${notInstalled.slice(1)}, and nothing says whether a manually installed gateway exists (reg query HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway, or sc query ServerManagementGateway / WindowsAdminCenter).`);
    }
    return pass(`No manually installed Windows Admin Center gateway was found, and ${notInstalled}.`);
  },
});
