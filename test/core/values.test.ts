import { strict as assert } from 'node:assert';
import { compareVersions, majorMinor, parseVersion } from '../../core/model/version';
import { parsePort, parsePortList } from '../../core/model/ports';
import { isWacRegion, normalizeRegion } from '../../core/catalog/regions';
import { monthsBetween, NEWEST_AGENT, AGENT_RELEASES, AGENT_RELEASES_AS_OF } from '../../core/catalog/agent-releases';

describe('versions', () => {
  it('compares per component, numerically', () => {
    assert.ok(compareVersions('1.13.21320.014', '1.37') < 0);
    assert.ok(compareVersions('0.24.0.0', '0.0.0.340') > 0);
    assert.ok(compareVersions('1.9', '1.10') < 0);
    assert.equal(compareVersions('1.40', '1.40.0.0'), 0);
    assert.deepEqual(parseVersion('1.64.03414.2961'), [1, 64, 3414, 2961]);
    assert.equal(majorMinor('1.36.02345.678'), '1.36');
  });
  it('refuses non-versions', () => {
    assert.equal(parseVersion('latest'), undefined);
    assert.throws(() => compareVersions('x', '1.0'), /not a version/);
  });
});

describe('ports', () => {
  it('accepts integers 1-65535 in decimal or 0x hex', () => {
    assert.equal(parsePort('6516'), 6516);
    assert.equal(parsePort('0x1974'), 6516); // the facts page's 0x196c is 6508, not 6516
    assert.equal(parsePort('0x196c'), 6508);
    assert.equal(parsePort(443), 443);
    for (const bad of ['0', '65536', '-1', '64.5', '6516; rm -rf /', '', 3.5]) assert.equal(parsePort(bad), undefined, String(bad));
  });
  it('parses every list spelling azcmagent uses', () => {
    assert.deepEqual(parsePortList('[]'), []);
    assert.deepEqual(parsePortList('443'), [443]);
    assert.deepEqual(parsePortList('[22 6516]'), [22, 6516]);
    assert.deepEqual(parsePortList('[22,6516]'), [22, 6516]);
    assert.deepEqual(parsePortList('22, 6516'), [22, 6516]);
    assert.deepEqual(parsePortList(['22', '6516', 'x']), [22, 6516]);
  });
});

describe('reference data', () => {
  it('knows the documented WAC regions', () => {
    assert.ok(isWacRegion('West Europe'));
    assert.ok(isWacRegion('westus3'));
    assert.ok(!isWacRegion('germanywestcentral'));
    assert.equal(normalizeRegion('East US 2'), 'eastus2');
  });
  it('release table is ordered and dated by its newest entry', () => {
    assert.equal(NEWEST_AGENT.month, AGENT_RELEASES_AS_OF);
    for (let i = 1; i < AGENT_RELEASES.length; i++) {
      assert.ok(compareVersions(AGENT_RELEASES[i - 1]!.version, AGENT_RELEASES[i]!.version) < 0);
      assert.ok(monthsBetween(AGENT_RELEASES[i - 1]!.month, AGENT_RELEASES[i]!.month) >= 0);
    }
    assert.equal(monthsBetween('2025-08', '2026-08'), 12);
  });
});
