/**
 * extension-allowed: the agent's local security controls must let the AdminCenter extension be installed:
 * extensions enabled, full mode (not monitor), allowlist (if any) includes it, blocklist doesn't.
 */
import { defineRule, fail, pass, warn } from '../core/engine/rule';
import { fixes, WAC_EXTENSION } from '../core/catalog/fixes';
import type { Fix } from '../core/model/types';

/** `Microsoft.AdminCenter/AdminCenter` and `Microsoft.AdminCenter.AdminCenter`, any case. */
export function isWacExtensionEntry(entry: string): boolean {
  return entry.trim().toLowerCase().replace('/', '.') === 'microsoft.admincenter.admincenter';
}

const shown = (list: string[]): string => `[${list.join(', ')}]`;

export default defineRule({
  meta: {
    id: 'extension-allowed',
    title: 'The agent allows the AdminCenter extension',
    category: 'configuration',
    severity: 'fail',
    description: [
      'The Connected Machine agent has local controls that refuse extensions; they can only be changed on the machine',
      `(\`azcmagent config\`). Windows Admin Center is the extension \`${WAC_EXTENSION}\`; list entries are matched`,
      'case-insensitively, as `Publisher/Type` or `Publisher.Type`.',
      '',
      '- **fail**, each with its own fix:',
      '  - `extensions.enabled` is `false` (no extension can be installed);',
      '  - `config.mode` is `monitor` (only monitoring and security extensions are allowed, and the lists cannot be changed);',
      '  - `extensions.allowlist` is not empty and lacks AdminCenter (in monitor mode the allowlist is the mode\'s own, so only',
      '    the mode is reported);',
      '  - `extensions.blocklist` contains AdminCenter (being in both lists still blocks it).',
      '- **warn**: `config.mode` has a value other than `full` or `monitor`.',
      '- **pass**: none of these; settings that were not seen are named as not checked.',
      '',
      'An extension installed before a list was set is not removed, but it can no longer be updated or reinstalled.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/security-extensions',
      'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-config',
    ],
    requires: [],
    anyOf: [['config.extensionsEnabled', 'config.mode', 'config.extensionsAllowlist', 'config.extensionsBlocklist']],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['enableExtensions', 'fullConfigMode', 'allowWacExtension', 'unblockWacExtension'],
  },
  check(ctx) {
    const enabled = ctx.get('config.extensionsEnabled');
    const mode = ctx.get('config.mode')?.trim();
    const allow = ctx.get('config.extensionsAllowlist');
    const block = ctx.get('config.extensionsBlocklist');

    const problems: string[] = [];
    const warnings: string[] = [];
    const fixList: Fix[] = [];
    const ok: string[] = [];
    const unseen: string[] = [];

    if (enabled === false) {
      problems.push('extensions.enabled is false, so no extension (AdminCenter included) can be installed or updated');
      fixList.push(fixes.enableExtensions());
    } else if (enabled === true) ok.push('extensions.enabled is true');
    else unseen.push('extensions.enabled');

    const monitor = mode?.toLowerCase() === 'monitor';
    if (monitor) {
      problems.push('config.mode is monitor, which allows only monitoring and security extensions, not AdminCenter');
      fixList.push(fixes.fullConfigMode());
    } else if (mode?.toLowerCase() === 'full') ok.push('config.mode is full');
    else if (mode) warnings.push(`config.mode is "${mode}", neither full nor monitor`);
    else unseen.push('config.mode');

    if (allow === undefined) unseen.push('extensions.allowlist');
    else if (allow.length === 0) ok.push('extensions.allowlist is empty');
    else if (allow.some(isWacExtensionEntry)) ok.push(`extensions.allowlist ${shown(allow)} includes AdminCenter`);
    else if (!monitor) {
      problems.push(`extensions.allowlist is ${shown(allow)} and lacks ${WAC_EXTENSION}, so AdminCenter is refused`);
      fixList.push(fixes.allowWacExtension());
    }

    if (block === undefined) unseen.push('extensions.blocklist');
    else if (block.some(isWacExtensionEntry)) {
      problems.push(`extensions.blocklist ${shown(block)} contains AdminCenter, which blocks it${allow?.some(isWacExtensionEntry) ? ' even though the allowlist has it too' : ''}`);
      fixList.push(fixes.unblockWacExtension());
    } else ok.push(block.length === 0 ? 'extensions.blocklist is empty' : `extensions.blocklist ${shown(block)} does not contain AdminCenter`);

    const tail = unseen.length > 0 ? ` (not seen: ${unseen.join(', ')})` : '';
    if (problems.length > 0) {
      const fix = fixList.length === 1 ? fixList[0] : fixes.combine(...fixList);
      return fail(`${problems.join('; ')}${tail}.`, fix);
    }
    if (warnings.length > 0) return warn(`${[...warnings, ...ok].join('; ')}${tail}.`);
    return pass(`The agent allows AdminCenter: ${ok.join('; ')}${tail}.`);
  },
});
