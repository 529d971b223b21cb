/**
 * os-version: WAC in the portal manages Windows Server 2016 or later (and Azure Stack HCI / Azure Local).
 * Extension 0.31.0.0 added Windows 10/11; Linux and older Windows Server can't be managed.
 */
import { defineRule, fail, pass, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { compareVersions, parseVersion } from '../core/model/version';
import type { OsFact } from '../core/model/facts';

/** First Windows Server build WAC supports (Windows Server 2016). */
export const MIN_SERVER_BUILD = 14393;
/** AdminCenter extension release that added Windows 10/11 (2024-06). */
export const CLIENT_MIN_EXTENSION = '0.31.0.0';

const SERVER_BUILDS: Record<number, string> = {
  6001: 'Windows Server 2008', 6002: 'Windows Server 2008', 6003: 'Windows Server 2008',
  7600: 'Windows Server 2008 R2', 7601: 'Windows Server 2008 R2',
  9200: 'Windows Server 2012', 9600: 'Windows Server 2012 R2',
  14393: 'Windows Server 2016', 17763: 'Windows Server 2019', 20348: 'Windows Server 2022', 26100: 'Windows Server 2025',
};

/** Build from `build`, else the third component of `version` (`10.0.20348.2227` -> 20348). */
function buildOf(os: OsFact): number | undefined {
  if (typeof os.build === 'number' && Number.isInteger(os.build) && os.build > 0) return os.build;
  const parts = os.version ? parseVersion(os.version) : undefined;
  return parts && parts.length >= 3 && parts[2]! > 0 ? parts[2] : undefined;
}

function describe(os: OsFact, build: number | undefined): string {
  const label = os.name ?? os.sku;
  const b = build !== undefined ? `build ${build}` : undefined;
  if (label && b) return `${label} (${b})`;
  return label ?? (b ? `Windows ${b}` : `an unnamed ${os.platform} system`);
}

export default defineRule({
  meta: {
    id: 'os-version',
    title: 'The operating system is one Windows Admin Center supports',
    category: 'requirements',
    severity: 'fail',
    description: [
      'Windows Admin Center in the Azure portal manages Windows Server 2016 or later, and Azure Stack HCI / Azure Local.',
      'AdminCenter extension 0.31.0.0 (2024-06) added Windows 10 and 11. WAC runs on Windows only.',
      '',
      'The build comes from `build`, or the third part of `version` (`10.0.20348` -> 20348).',
      '',
      '- **pass**: Azure Stack HCI / Azure Local; Windows Server with build 14393 (Windows Server 2016) or later;',
      '  Windows 10/11 with AdminCenter extension 0.31.0.0 or later. With only a build >= 14393 and no edition, the rule passes',
      '  and says the edition was not shown.',
      '- **fail**: Linux or another non-Windows system; Windows Server older than build 14393 (2012 R2 is 9600);',
      '  Windows 10/11 with an AdminCenter extension older than 0.31.0.0.',
      '- **warn**: Windows 10/11 and the extension version is unknown; or neither the build nor the name tells the version.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/extension-release-notes',
    ],
    requires: ['os'],
    optional: ['extension.adminCenter', 'machine.resourceId', 'wac.port'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['reinstallExtension'],
  },
  check(ctx) {
    const os = ctx.get('os')!;
    const text = `${os.name ?? ''} ${os.sku ?? ''}`;
    const looksWindows = /windows|azure stack hci|azure local/i.test(text);
    const build = buildOf(os);
    const what = describe(os, build);

    if (os.platform !== 'windows' && !(os.platform === 'other' && looksWindows)) {
      return fail(
        `The machine runs ${what} (platform ${os.platform}); Windows Admin Center runs on and manages Windows only, so it cannot be used on this machine.`,
        fixes.manual('Use Windows Admin Center only on Arc-enabled Windows machines; manage Linux machines with SSH through Azure Arc instead.'),
      );
    }

    if (/azure stack hci|azure local/i.test(text)) {
      return pass(`The machine runs ${what}; Azure Stack HCI / Azure Local is supported.`);
    }

    const isServer = /server/i.test(text);
    const isClient = !isServer && /windows\s*(10|11)\b|\b(pro|professional|enterprise|education|home)\b/i.test(text);

    if (isClient) {
      const ext = ctx.get('extension.adminCenter');
      const version = ext?.installed ? ext.version : undefined;
      if (version && parseVersion(version)) {
        if (compareVersions(version, CLIENT_MIN_EXTENSION) >= 0) {
          return pass(`The machine runs ${what}; client Windows is supported from AdminCenter extension ${CLIENT_MIN_EXTENSION}, and ${version} is installed.`);
        }
        return fail(
          `The machine runs ${what}, a client edition; AdminCenter extension ${version} supports only Windows Server 2016 or later. Windows 10/11 needs extension ${CLIENT_MIN_EXTENSION} or later.`,
          fixes.reinstallExtension(ctx.get('machine.resourceId'), ctx.get('wac.port')?.port),
        );
      }
      return warn(
        `The machine runs ${what}, a client edition; Windows Admin Center supports Windows 10/11 only from AdminCenter extension ${CLIENT_MIN_EXTENSION} (the requirement is otherwise Windows Server 2016 or later), and the extension version was not seen.`,
        fixes.manual(`Check in the portal (Extensions > AdminCenter) that the extension is ${CLIENT_MIN_EXTENSION} or later.`),
      );
    }

    if (build !== undefined) {
      if (build >= MIN_SERVER_BUILD) {
        const edition = isServer ? '' : ' (the edition was not shown; this assumes Windows Server)';
        return pass(`The machine runs ${what}, Windows Server 2016 (build ${MIN_SERVER_BUILD}) or later${edition}.`);
      }
      const known = SERVER_BUILDS[build];
      return fail(
        `The machine runs ${what}${known && !what.includes(known) ? `, which is ${known}` : ''}; Windows Admin Center in the Azure portal needs Windows Server 2016 (build ${MIN_SERVER_BUILD}) or later.`,
        fixes.manual('Upgrade the operating system to Windows Server 2016 or later; older versions cannot be managed with Windows Admin Center in the Azure portal.'),
      );
    }

    const year = /server\s+(\d{4})\b/i.exec(text);
    if (year) {
      const y = Number(year[1]);
      if (y >= 2016) return pass(`The machine runs ${what}, Windows Server 2016 or later (build not shown).`);
      return fail(
        `The machine runs ${what}; Windows Admin Center in the Azure portal needs Windows Server 2016 or later.`,
        fixes.manual('Upgrade the operating system to Windows Server 2016 or later; older versions cannot be managed with Windows Admin Center in the Azure portal.'),
      );
    }
    return warn(`The machine runs ${what}, but neither the build nor the name tells whether it is Windows Server 2016 or later.`);
  },
});
