/**
 * The agent release table (core/catalog/agent-releases.ts). When adding releases, update the pinned newest release here:
 * this is the one test to touch.
 */
import { strict as assert } from 'node:assert';
import {
  AGENT_RELEASES, AGENT_RELEASES_AS_OF, NEWEST_AGENT, monthOf, monthsBetween, releaseOf, releaseTableStale,
} from './agent-releases';
import { compareVersions } from '../model/version';

describe('agent release table', () => {
  it('pins the newest release and the table date', () => {
    assert.deepEqual(NEWEST_AGENT, { version: '1.67', month: '2026-08' });
    assert.equal(AGENT_RELEASES_AS_OF, NEWEST_AGENT.month);
  });

  it('is ordered by version, with months that never go back', () => {
    for (let i = 1; i < AGENT_RELEASES.length; i++) {
      const [a, b] = [AGENT_RELEASES[i - 1]!, AGENT_RELEASES[i]!];
      assert.ok(compareVersions(a.version, b.version) < 0, `${a.version} before ${b.version}`);
      assert.ok(monthsBetween(a.month, b.month) >= 0, `${a.version} ${a.month} then ${b.version} ${b.month}`);
      assert.match(b.month, /^20\d\d-(0[1-9]|1[0-2])$/);
    }
  });

  it('has the documented months (release notes headings)', () => {
    assert.deepEqual(releaseOf('1.26'), { version: '1.26', month: '2023-01' });
    assert.deepEqual(releaseOf('1.37'), { version: '1.37', month: '2023-12' });
    assert.equal(releaseOf('1.45')!.approximate, undefined);
    assert.equal(releaseOf('1.52')!.approximate, true);
  });

  it('is stale more than six months after its date', () => {
    assert.equal(monthOf(new Date('2027-02-28T23:00:00Z')), '2027-02');
    assert.equal(releaseTableStale(new Date('2027-02-15T00:00:00Z')), false); // 6 months
    assert.equal(releaseTableStale(new Date('2027-03-01T00:00:00Z')), true); // 7 months
  });
});
