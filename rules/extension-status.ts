/**
 * extension-status: the AdminCenter extension (Microsoft.AdminCenter/AdminCenter) must be installed,
 * provisioned (Succeeded) and at least 0.0.0.169.
 */
import { clipText } from './support/text';
import { defineRule, fail, pass, warn } from '../core/rule';
import { fixes } from '../core/fixes';
import { compareVersions, parseVersion } from '../core/version';

/** Minimum extension version in the WAC doc (v3). */
export const MIN_EXTENSION_VERSION = '0.0.0.169';
const MAX_STATUS = 300;


export default defineRule({
  meta: {
    id: 'extension-status',
    title: 'The AdminCenter extension is installed and healthy',
    category: 'extension',
    severity: 'fail',
    description: [
      'Windows Admin Center runs on the machine as the AdminCenter extension (publisher `Microsoft.AdminCenter`, type',
      '`AdminCenter`). The WAC doc asks for version 0.0.0.169 or later and otherwise says to reinstall it. Versions',
      'compare per component (0.24.0.0 > 0.0.0.340).',
      '',
      '- **fail**: the extension list has no AdminCenter; `provisioningState` is `Failed` (the status message is quoted,',
      '  cut to 300 characters); or it `Succeeded` with a version older than 0.0.0.169.',
      '- **warn**: `Creating` or `Updating` (in progress, or stuck); `Deleting` (a documented way to get stuck is a missing',
      '  `HandlerManifest.json`); `Succeeded` but the instance view status level is `Error`; or another state.',
      '- **pass**: `Succeeded` with version 0.0.0.169 or later (the version is named), or with no version shown.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/extension-release-notes',
      'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-vm-extensions',
    ],
    requires: ['extension.adminCenter'],
    optional: ['machine.resourceId', 'wac.port'],
    appliesTo: ['pasted', 'bundle', 'live'],
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
      case 'failed':
        return fail(`AdminCenter extension${v} provisioning Failed${code}${status || ' (no status message was shown)'}.`, fixes.reinstallExtension(resourceId, port));
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
    if (parsed && compareVersions(parsed, MIN_EXTENSION_VERSION) < 0) {
      return fail(
        `AdminCenter extension ${version} is older than ${MIN_EXTENSION_VERSION}, the minimum Windows Admin Center supports; reinstall it to get the current version.`,
        fixes.reinstallExtension(resourceId, port),
      );
    }
    const level = ext.statusLevel?.trim().toLowerCase() ?? '';
    const stateText = state ? `installed, provisioningState ${state}` : 'installed (no provisioningState shown)';
    if (level.startsWith('error')) {
      return warn(
        `AdminCenter extension${v} is ${stateText}, but its status level is Error${code}${status}.`,
        fixes.reinstallExtension(resourceId, port),
      );
    }
    if (!version) return pass(`AdminCenter extension is ${stateText}; its version was not shown, so the ${MIN_EXTENSION_VERSION} minimum was not checked.`);
    if (!parsed) return pass(`AdminCenter extension is ${stateText}; its version "${version}" is not a version number, so the ${MIN_EXTENSION_VERSION} minimum was not checked.`);
    return pass(`AdminCenter extension ${version} is ${stateText} (version at least ${MIN_EXTENSION_VERSION}).`);
  },
});
