/**
 * tls-cipher-suites: Windows Connected Machine agents 1.56 through 1.63 (not on Windows Server 2012 / 2012 R2) cannot
 * reach Azure unless one of four GCM cipher suites is enabled:
 * - release notes 1.56 (September 2025): "Enforces minimum-required TLS cipher-suite enablement" (Windows);
 * - https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-networking (2026-01-14): the suites, the 2012/R2
 *   exclusion, `Get-TlsCipherSuite | Format-List Name`, `Enable-TlsCipherSuite -Name ...`, group policy overriding it;
 * - 1.63 added the check to `azcmagent check`, and 1.64 reverted the enforcement (arc-wac-facts "Updates checked
 *   2026-12"; the public pages stored here stop before 1.64).
 * TLS 1.3 (and so its two suites) is available from Windows Server 2022, build 20348
 * (https://learn.microsoft.com/windows/win32/secauthn/protocols-in-tls-ssl--schannel-ssp-).
 */
import type { OsFact } from '../core/model/facts';
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { AGENT_CIPHER_SUITES, fixes } from '../core/catalog/fixes';
import { compareVersions, parseVersion } from '../core/model/version';

export const ENFORCED_FROM = '1.56';
export const REVERTED_IN = '1.64';
const TLS13_BUILD = 20348;
const TLS12_SUITES = ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'];

/** Windows Server 2012 (build 9200) and 2012 R2 (9600) are excluded from the enforcement. */
function is2012(os: OsFact | undefined): boolean {
  if (!os || os.platform !== 'windows') return false;
  if (os.build !== undefined) return os.build === 9200 || os.build === 9600;
  return /\b(?:Server\s{1,3})?2012\b/i.test(`${os.name ?? ''} ${os.sku ?? ''}`);
}

export default defineRule({
  meta: {
    id: 'tls-cipher-suites',
    title: 'A TLS cipher suite the Windows agent needs is enabled',
    category: 'network',
    severity: 'fail',
    description: [
      'From version 1.56 the Windows Connected Machine agent only reaches Azure when at least one of these cipher suites is',
      'enabled: TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256 (TLS 1.3), TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (TLS 1.2). Windows Server 2012 and 2012 R2 are excluded, and agent 1.64',
      'reverted the enforcement. Without the agent reaching Azure, WAC in the portal cannot connect. Input:',
      '`Get-TlsCipherSuite | Format-List Name` (or the default output, `Format-Table Name`, `| ConvertTo-Json`).',
      '',
      '- **pass**: one of the four suites is enabled; or none is, but the agent version does not enforce them (before 1.56,',
      '  1.64 and later) or the machine runs Windows Server 2012 / 2012 R2 (the message says so).',
      '- **fail**: none is enabled on an agent 1.56 through 1.63. The fix enables the TLS 1.2 suites (and the TLS 1.3 ones on',
      '  Windows Server 2022 and later) with `Enable-TlsCipherSuite`, or upgrade the agent to 1.64 or later; group policy',
      '  overrides local settings on domain-joined machines.',
      '- **warn**: none is enabled and the agent version was not seen.',
      '- **skip**: no cipher-suite list, or the machine is not Windows.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-networking',
      'https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes',
      'https://learn.microsoft.com/powershell/module/tls/enable-tlsciphersuite',
    ],
    requires: ['tls.cipherSuites'],
    optional: ['agent.version', 'os'],
    // Neither logs bundles nor the live collector read the cipher-suite list yet.
    appliesTo: ['pasted'],
    fixes: ['enableTlsCipherSuites'],
  },
  check(ctx) {
    const suites = ctx.get('tls.cipherSuites')!;
    const os = ctx.get('os');
    if (os && os.platform !== 'windows') return skip(`The cipher-suite requirement concerns Windows agents; this machine runs ${os.name ?? os.platform}.`);
    const enabled = AGENT_CIPHER_SUITES.filter((n) => suites.includes(n));
    const list = AGENT_CIPHER_SUITES.join(', ');
    if (enabled.length > 0) return pass(`Enabled: ${enabled.join(', ')} (Windows agents 1.56 through 1.63 need one of ${list}).`);

    const none = `None of ${list} is enabled (${suites.length} suite${suites.length === 1 ? '' : 's'} listed)`;
    if (is2012(os)) return pass(`${none}, but Windows Server 2012 and 2012 R2 are excluded from the agent's cipher-suite requirement.`);
    const toEnable = os?.build !== undefined && os.build >= TLS13_BUILD ? [...AGENT_CIPHER_SUITES] : TLS12_SUITES;
    const fix = fixes.enableTlsCipherSuites(toEnable);
    const version = ctx.get('agent.version');
    const parsed = version ? parseVersion(version) : undefined;
    if (!parsed) {
      return warn(`${none}; the agent version was not seen${version ? ` ("${version}" is not a version number)` : ''}. Windows agents 1.56 through 1.63 cannot reach Azure without one of them.`, fix);
    }
    if (compareVersions(parsed, ENFORCED_FROM) < 0) {
      return pass(`${none}; agent ${version} predates the requirement (1.56), so it is not affected. Upgrade straight to 1.64 or later, or enable one first: agents 1.56 through 1.63 enforce it.`);
    }
    if (compareVersions(parsed, REVERTED_IN) >= 0) {
      return pass(`${none}; agent ${version} no longer enforces the requirement (reverted in 1.64).`);
    }
    return fail(`${none}: Windows agent ${version} (1.56 through 1.63) cannot reach Azure without one of them, so the agent and WAC in the portal cannot connect.`, fix);
  },
});
