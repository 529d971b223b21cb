/**
 * extension-status: the AdminCenter extension (Microsoft.AdminCenter/AdminCenter) must be installed, provisioned
 * (Succeeded) and new enough. Two floors, from the extension release notes
 * (https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/extension-release-notes, checked 2026-12):
 * - 0.66.0.0 (September 2025) notes that 0.62.0.0 and earlier may not install on Arc machines;
 * - 0.70.0.0 (January 2026) fixed connections failing on Windows Server versions before 2025 (build 26100).
 * The WAC doc's older minimum, 0.0.0.169, is below both.
 */
import { clipText } from './support/text';
import { defineRule, fail, pass, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { compareVersions, parseVersion } from '../core/model/version';
import type { OsFact } from '../core/model/facts';

/** Versions up to and including this one may not install on Arc machines (ext notes 0.66.0.0, Sep 2025). */
export const INSTALL_FLOOR = '0.62.0.0';
/** Fixed connections failing on Windows Server before 2025 (ext notes 0.70.0.0, Jan 2026). */
export const CONNECT_FLOOR = '0.70.0.0';
/** Windows Server 2025 is build 26100. */
const WS2025_BUILD = 26100;

type OsKind = 'server-before-2025' | 'not-affected' | 'unknown';

function osKind(os: OsFact | undefined): OsKind {
  if (!os || os.platform !== 'windows') return os && os.platform !== 'windows' ? 'not-affected' : 'unknown';
  const label = `${os.name ?? ''} ${os.sku ?? ''}`;
  const server = /server/i.test(label);
  const client = /windows 1[01]\b|enterprise|professional|\bpro\b/i.test(label) && !server;
  if (client) return 'not-affected';
  if (os.build === undefined) return /server 20(1[69]|22)\b/i.test(label) ? 'server-before-2025' : /server 2025\b/i.test(label) ? 'not-affected' : 'unknown';
  if (os.build >= WS2025_BUILD) return 'not-affected';
  return server ? 'server-before-2025' : 'unknown';
}
const MAX_STATUS = 300;

/**
 * AdminCenter failure texts and what they mean (core/parsers/logs/statements.ts reads them into the status message).
 * Sources, checked 2026-12: arc-wac-facts "Updates checked 2026-12" (the three texts); for RegCreateKeyEx code 5,
 * https://github.com/microsoft/Windows-Admin-Center-Ideas-and-Feedback/issues/400 (2026-08-10, labelled bug): extension
 * 0.85.0.0 on Windows Server 2019 fails creating the WRP-protected key `...\Update\TargetingInfo\PersistentDynamicInstalled\
 * WindowsAdminCenter.amd64`, `RegCreateKeyEx failed; code 5. Access is denied.`, and reports WACInstallFailed after three tries.
 * Each pattern is bounded (linear).
 */
const KNOWN_FAILURES: ReadonlyArray<{ re: RegExp; explain: string }> = [
  {
    re: /RegCreateKeyEx[^\n]{0,200}?code 5\b|PersistentDynamicInstalled/i,
    explain: 'RegCreateKeyEx code 5 is "access denied" while the WAC installer creates a protected registry key (PersistentDynamicInstalled\\WindowsAdminCenter.amd64): reported as a product defect of extension 0.85.0.0 on Windows Server 2019 (Windows-Admin-Center-Ideas-and-Feedback issue 400), not a network or permission problem on your side. Reinstalling the same version fails the same way: use a fixed extension version, or open a support case.',
  },
  {
    re: /RetrieveCertificate|Failed to retrieve certificate from key vault/i,
    explain: 'The extension could not get its TLS certificate, which a Microsoft service issues from a key vault: the machine must reach *.waconazure.com (<region>.service.waconazure.com) without TLS inspection, through the extension\'s proxy setting if it needs one (see endpoint-wac and proxy).',
  },
  {
    re: /WAC_Service_Not_Reachable/i,
    explain: 'The extension installed Windows Admin Center but could not reach its gateway service on the WAC port: check that the gateway service runs and https://localhost:<port> answers (see wac-service and wac-local-https).',
  },
  {
    re: /WACInstallFailed/i,
    explain: 'WACInstallFailed: the Windows Admin Center installer the extension runs failed (the extension retries it three times); the installer log names the step.',
  },
];

/** What a known failure text in the status message means, as a sentence to append; empty when none matches. */
export function explainFailure(message: string | undefined): string {
  if (!message) return '';
  const hit = KNOWN_FAILURES.find((k) => k.re.test(message.slice(0, 4000)));
  return hit ? ` ${hit.explain}` : '';
}


export default defineRule({
  meta: {
    id: 'extension-status',
    title: 'The AdminCenter extension is installed and healthy',
    category: 'extension',
    severity: 'fail',
    description: [
      'Windows Admin Center runs on the machine as the AdminCenter extension (publisher `Microsoft.AdminCenter`, type',
      '`AdminCenter`). The extension release notes set two floors: 0.62.0.0 and earlier may not install on Arc machines',
      '(noted with 0.66.0.0, September 2025), and 0.70.0.0 (January 2026) fixed connections failing on Windows Server',
      'versions before 2025. (The WAC doc\'s older minimum, 0.0.0.169, is below both.) Versions compare per component',
      '(0.24.0.0 > 0.0.0.340).',
      '',
      '- **fail**: the extension list has no AdminCenter; or `provisioningState` is `Failed` (the status message is quoted,',
      '  cut to 300 characters; a version at or below 0.62.0.0 is called out). Known failure texts are explained:',
      '  `WACInstallFailed` with `RegCreateKeyEx ... code 5` (access denied on a protected registry key: a reported product',
      '  defect of extension 0.85.0.0 on Windows Server 2019, not networking), `RetrieveCertificate: Failed to retrieve',
      '  certificate from key vault` (the certificate service at `*.waconazure.com` was not reached), `WAC_Service_Not_Reachable`',
      '  (the local gateway service did not answer on the WAC port).',
      '- **warn**: `Succeeded` with a version older than 0.70.0.0 on Windows Server before 2025 (build below 26100) or on an',
      '  unknown OS (the notes do not say which older versions had the bug, so this is a warning); at 0.62.0.0 or earlier',
      '  (a reinstall or update may not install); `Creating` or `Updating` (in progress, or stuck); `Deleting` (a documented way to',
      '  get stuck is a missing `HandlerManifest.json`); `Succeeded` but the instance view status level is `Error`; or',
      '  another state.',
      '- **pass**: `Succeeded` at 0.70.0.0 or later, or older on an OS the connection fix does not concern (Windows Server',
      '  2025, Windows 10/11), or with no version shown (the version is named).',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/extension-release-notes',
      'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-vm-extensions',
      'https://github.com/microsoft/Windows-Admin-Center-Ideas-and-Feedback/issues/400',
    ],
    requires: ['extension.adminCenter'],
    optional: ['machine.resourceId', 'wac.port', 'os'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['installExtension', 'reinstallExtension', 'clearStuckExtension'],
  },
  check(ctx) {
    const ext = ctx.get('extension.adminCenter')!;
    const resourceId = ctx.get('machine.resourceId');
    const port = ctx.get('wac.port')?.port;
    if (!ext.installed) {
      return fail(
        'AdminCenter extension is not installed: the extension list has no Microsoft.AdminCenter/AdminCenter, so Windows Admin Center has nothing to connect to.',
        fixes.installExtension(resourceId, port),
      );
    }
    const state = ext.provisioningState?.trim();
    const version = ext.version?.trim() || undefined;
    const v = version ? ` ${version}` : '';
    const status = ext.statusMessage?.trim() ? `: "${clipText(ext.statusMessage, MAX_STATUS)}"` : '';
    const code = ext.statusCode?.trim() ? ` (status code ${ext.statusCode.trim()})` : '';

    switch (state?.toLowerCase()) {
      case 'failed': {
        const p = version ? parseVersion(version) : undefined;
        const old = p && compareVersions(p, INSTALL_FLOOR) <= 0 ? ` Versions ${INSTALL_FLOOR} and earlier may not install on Arc machines; install the current version.` : '';
        return fail(`AdminCenter extension${v} provisioning Failed${code}${status || ' (no status message was shown)'}.${old}${explainFailure(ext.statusMessage)}`, fixes.reinstallExtension(resourceId, port));
      }
      case 'creating':
      case 'updating':
        return warn(
          `AdminCenter extension${v} has provisioningState ${state}${status}; an install or update is in progress. Wait for it to finish; if it stays ${state}, check the extension service and the gc_ext.log extension log.`,
        );
      case 'deleting':
        return warn(
          `AdminCenter extension${v} is Deleting${status}; an extension stuck in Deleting is documented (gc_ext.log: "HandlerManifest.json file does not exist for extension").`,
          fixes.clearStuckExtension(resourceId, port),
        );
      case 'succeeded':
      case undefined:
        break;
      default:
        return warn(`AdminCenter extension${v} has provisioningState ${state}, not Succeeded${status}.`);
    }

    const parsed = version ? parseVersion(version) : undefined;
    const reinstall = fixes.reinstallExtension(resourceId, port);
    const belowInstall = !!parsed && compareVersions(parsed, INSTALL_FLOOR) <= 0;
    const belowConnect = !!parsed && compareVersions(parsed, CONNECT_FLOOR) < 0;
    const kind = osKind(ctx.get('os'));
    const installText = `versions ${INSTALL_FLOOR} and earlier may not install on Arc machines (extension notes 0.66.0.0, September 2025), so a reinstall or update can fail`;
    const connectText = `${CONNECT_FLOOR} (January 2026) fixed connections failing on Windows Server before 2025`;
    if (belowConnect && kind === 'server-before-2025') {
      return warn(`AdminCenter extension ${version} is older than ${CONNECT_FLOOR} on Windows Server before 2025: ${connectText}, so failed connections may be that bug${belowInstall ? `; also, ${installText}` : ''}. Update it to the current version.`, reinstall);
    }
    if (belowConnect && kind === 'unknown') {
      return warn(`AdminCenter extension ${version} is older than ${CONNECT_FLOOR}, which fixed connections failing on Windows Server before 2025; the OS version was not seen, so whether this machine is affected is unknown${belowInstall ? `; also, ${installText}` : ''}.`, reinstall);
    }
    if (belowInstall) {
      return warn(`AdminCenter extension ${version}: ${installText}; update it to the current version.`, reinstall);
    }
    const level = ext.statusLevel?.trim().toLowerCase() ?? '';
    const stateText = state ? `installed, provisioningState ${state}` : 'installed (no provisioningState shown)';
    if (level.startsWith('error')) {
      return warn(
        `AdminCenter extension${v} is ${stateText}, but its status level is Error${code}${status}.${explainFailure(ext.statusMessage)}`,
        fixes.reinstallExtension(resourceId, port),
      );
    }
    if (!version) return pass(`AdminCenter extension is ${stateText}; its version was not shown, so the ${CONNECT_FLOOR} floor was not checked.`);
    if (!parsed) return pass(`AdminCenter extension is ${stateText}; its version "${version}" is not a version number, so the ${CONNECT_FLOOR} floor was not checked.`);
    if (belowConnect) return pass(`AdminCenter extension ${version} is ${stateText}; it is older than ${CONNECT_FLOOR}, but that release's connection fix concerns Windows Server before 2025, not this OS.`);
    return pass(`AdminCenter extension ${version} is ${stateText} (version at least ${CONNECT_FLOOR}).`);
  },
});
