import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseEntryPath, hasSuffix } from '../../core/sources/bundle/paths';
import { classifyEntry, layoutOf, missingFiles } from '../../core/sources/bundle/classify';
import { machineFromBundleName } from '../../core/sources/bundle/summary';
import { allBundles } from '../../scripts/make-bundles';

describe('bundle entry paths', () => {
  it('normalises separators, drive letters, leading slashes and dot segments; flags ".."', () => {
    assert.deepEqual(normaliseEntryPath('C:\\ProgramData\\AzureConnectedMachineAgent\\Log\\himds.log'),
      { path: 'ProgramData/AzureConnectedMachineAgent/Log/himds.log', escapes: false, absolute: true });
    assert.deepEqual(normaliseEntryPath('/var/opt/azcmagent/log/himds.log'), { path: 'var/opt/azcmagent/log/himds.log', escapes: false, absolute: true });
    assert.deepEqual(normaliseEntryPath('./a//b/./c.log'), { path: 'a/b/c.log', escapes: false, absolute: false });
    assert.deepEqual(normaliseEntryPath('../../etc/evil.log'), { path: 'etc/evil.log', escapes: true, absolute: false });
    assert.equal(normaliseEntryPath('x'.repeat(5000)).path.length, 1025);
    assert.ok(hasSuffix('bundle/ProgramData/AzureConnectedMachineAgent/Log/HIMDS.LOG', 'azureconnectedmachineagent/log/himds.log'));
    assert.ok(!hasSuffix('xhimds.log', 'himds.log'));
  });

  it('classifies by case-insensitive suffix, whatever the root folder', () => {
    const kind = (p: string): string => `${classifyEntry(p).kind}/${classifyEntry(p).role}`;
    assert.equal(kind('azcmagent-logs-x/PROGRAMDATA/AzureConnectedMachineAgent/Log/himds.log'), 'log/agent-log');
    assert.equal(kind('var/opt/azcmagent/log/arcproxy-2025-06-01T10-00-00.log'), 'log/agent-log');
    assert.equal(kind('ProgramData/GuestConfig/ext_mgr_logs/gc_ext.1.log'), 'log/gc-log');
    assert.equal(kind('ProgramData/GuestConfig/arc_policy_logs/gc_agent_telemetry.txt'), 'log/gc-log');
    assert.equal(kind('Packages/Plugins/Microsoft.AdminCenter.AdminCenter/0.31.0.0/Status/0.status'), 'status/text');
    assert.equal(kind('ProgramData/GuestConfig/extension_reports/Microsoft.AdminCenter.AdminCenter_report.txt'), 'report/text');
    assert.equal(kind('ProgramData/AzureConnectedMachineAgent/Config/agentconfig.json'), 'agentconfig/text');
    assert.equal(kind('etc/azcmagent/config.json'), 'localconfig/text');
    assert.equal(kind('wac-doctor-snapshot.json'), 'manifest/text');
    assert.equal(kind('commands/azcmagent-show.txt'), 'other/text');
    assert.equal(kind('Windows/System32/winevt/Logs/Application.evtx'), 'binary/text');
    assert.equal(kind('inner/bundle.zip'), 'archive/text');
  });

  it('knows the layouts and which expected files are missing (rotated files count)', () => {
    assert.equal(layoutOf(['ProgramData/AzureConnectedMachineAgent/Log/himds.log']), 'windows');
    assert.equal(layoutOf(['var/opt/azcmagent/log/himds.log', 'var/lib/GuestConfig/x']), 'linux');
    assert.equal(layoutOf(['notes.txt']), undefined);
    const missing = missingFiles('linux', ['var/opt/azcmagent/log/himds.1.log', 'etc/azcmagent/config.json']).map((f) => f.label);
    assert.deepEqual(missing, ['var/opt/azcmagent/log/azcmagent.log', 'var/opt/azcmagent/agentconfig.json', 'var/lib/GuestConfig/ext_mgr_logs/gc_ext.log']);
  });

  it('reads the machine name from the bundle file name', () => {
    assert.equal(machineFromBundleName('azcmagent-logs-250603T1407-SRV-WEB01.zip'), 'SRV-WEB01');
    assert.equal(machineFromBundleName('azcmagent-20250603T140712-srv-db.zip'), 'srv-db');
    assert.equal(machineFromBundleName('bundle.zip'), undefined);
  });
});

describe('fixture generator (scripts/make-bundles.ts)', () => {
  it('is deterministic, and the committed fixtures/bundles are what it writes (npx tsx scripts/make-bundles.ts)', async function () {
    this.timeout(30_000);
    const a = await allBundles();
    const b = await allBundles();
    for (const [name, buf] of Object.entries(a)) {
      assert.ok(buf.equals(b[name]!), `${name} differs between two runs`);
      const committed = join(__dirname, '..', '..', 'fixtures', 'bundles', name);
      assert.ok(existsSync(committed), `${name} is not in fixtures/bundles: run npx tsx scripts/make-bundles.ts`);
      assert.ok(readFileSync(committed).equals(buf), `fixtures/bundles/${name} is stale: run npx tsx scripts/make-bundles.ts`);
    }
  });
});
