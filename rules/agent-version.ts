/**
 * agent-version: the Connected Machine agent must be new enough for WAC (>= 1.13.21320.014), not 1.35/1.36
 * (they break WAC), and within the last year of releases to be supported. "How far behind" is measured
 * against the shipped release table (core/catalog/agent-releases.ts), not the clock, so results are reproducible.
 */
import { defineRule, fail, pass, warn, type Outcome } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { compareVersions, majorMinor, parseVersion } from '../core/model/version';
import {
  AGENT_RELEASES, AGENT_RELEASES_AS_OF, AZCMAGENT_UPGRADE_MIN, NEWEST_AGENT, TABLE_STALE_MONTHS, WAC_BROKEN_AGENTS, WAC_MIN_AGENT,
  monthOf, monthsBetween, releaseOf, releaseTableStale,
} from '../core/catalog/agent-releases';

/** Only agents released in the last year are supported. */
export const SUPPORT_MONTHS = 12;

export default defineRule({
  meta: {
    id: 'agent-version',
    title: 'The Connected Machine agent version works with Windows Admin Center',
    category: 'agent',
    severity: 'fail',
    description: [
      'Windows Admin Center needs Connected Machine agent 1.13.21320.014 or later, and agents 1.35 and 1.36 break it',
      '(fixed in 1.37). Microsoft supports only agent versions released within the last year. Versions compare',
      'numerically per component (1.13.21320.014 < 1.37.0).',
      '',
      `Age is measured against the newest release in WAC Doctor's release table (${NEWEST_AGENT.version}, table as of ${AGENT_RELEASES_AS_OF}),`,
      'not against the clock, so the same input always gives the same result. When the report date is more than',
      `${TABLE_STALE_MONTHS} months past the table date, every message adds that the table may be out of date (newer releases may exist).`,
      '',
      '- **fail**: older than 1.13.21320.014; 1.35.x or 1.36.x; or released more than 12 months before the newest known release.',
      '- **warn**: older than the newest known release, within 12 months (the message says how many releases and months behind);',
      '  or the version is not a version number.',
      '- **pass**: the newest known release, or newer than the table.',
      '',
      `The fix is \`azcmagent upgrade\` for agents ${AZCMAGENT_UPGRADE_MIN} and later, otherwise the manual download and install.`,
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes',
      'https://learn.microsoft.com/azure/azure-arc/servers/manage-agent',
      'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-upgrade',
    ],
    requires: ['agent.version'],
    optional: ['os'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['upgradeAgentInPlace', 'upgradeAgent'],
  },
  check(ctx) {
    const stale = releaseTableStale(ctx.options.now)
      ? ` WAC Doctor's release table is from ${AGENT_RELEASES_AS_OF}, more than ${TABLE_STALE_MONTHS} months before this report (${monthOf(ctx.options.now)}): newer agent releases may exist, so this verdict may be out of date.`
      : '';
    const outcome = judge(ctx.get('agent.version')!.trim(), ctx.get('os')?.platform === 'linux' ? 'linux' : 'windows');
    return stale ? { ...outcome, message: outcome.message + stale } : outcome;
  },
});

function judge(version: string, platform: 'windows' | 'linux'): Outcome {
  const parts = parseVersion(version);
  const mm = parts ? majorMinor(version) : undefined;
  // azcmagent upgrade exists from 1.62; older agents upgrade by downloading the installer.
  const upgrade = parts && compareVersions(parts.slice(0, 2), AZCMAGENT_UPGRADE_MIN) >= 0 ? fixes.upgradeAgentInPlace(platform) : fixes.upgradeAgent(platform);
  if (!parts || !mm) {
    return warn(`Agent version "${version}" is not a version number, so it could not be checked against the WAC minimum (${WAC_MIN_AGENT}) and the known-bad releases.`);
  }
  if (compareVersions(parts, WAC_MIN_AGENT) < 0) {
    return fail(`Agent ${version} is older than ${WAC_MIN_AGENT}, the minimum Windows Admin Center needs; upgrade to the latest release.`, upgrade);
  }
  if (WAC_BROKEN_AGENTS.includes(mm)) {
    return fail(`Agent ${version} is a release known to break WAC (${WAC_BROKEN_AGENTS.join(' and ')}); upgrade to 1.37 or later.`, upgrade);
  }
  const newest = NEWEST_AGENT;
  const cmpNewest = compareVersions(parts.slice(0, 2), newest.version);
  if (cmpNewest > 0) {
    return pass(`Agent ${version} is newer than the newest release in WAC Doctor's table (${newest.version}, table as of ${AGENT_RELEASES_AS_OF}).`);
  }
  if (cmpNewest === 0) {
    return pass(`Agent ${version} is the newest known release (${newest.version}, table as of ${AGENT_RELEASES_AS_OF}).`);
  }
  const release = releaseOf(mm);
  if (!release) {
    return warn(`Agent ${version} is older than ${newest.version} but its release (${mm}) is not in WAC Doctor's table (as of ${AGENT_RELEASES_AS_OF}), so its age is unknown; upgrade to the latest release.`, upgrade);
  }
  const releases = AGENT_RELEASES.length - 1 - AGENT_RELEASES.indexOf(release);
  const months = monthsBetween(release.month, newest.month);
  const behind = `${mm} is ${releases} release${releases === 1 ? '' : 's'} / ${months} month${months === 1 ? '' : 's'} behind ${newest.version} (table as of ${AGENT_RELEASES_AS_OF})`;
  const approx = release.approximate ? ` (the ${mm} release month ${release.month} is approximate)` : '';
  if (months > SUPPORT_MONTHS) {
    return fail(
      `Agent ${version}: ${behind}${approx}; only agents released in the last ${SUPPORT_MONTHS} months are supported, so this one is out of support.`,
      upgrade,
    );
  }
  return warn(`Agent ${version}: ${behind}${approx}; it is still within the ${SUPPORT_MONTHS}-month support window, but upgrading picks up WAC and connectivity fixes.`, upgrade);
}
