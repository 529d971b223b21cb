import { strict as assert } from 'node:assert';
import { fixes } from '../core/catalog/fixes';
import rule from './os-version';
import { fact, runRuleOn } from '../test/support/testing';

const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';

describe('rule os-version', () => {
  it('passes on Windows Server 2022 (build 20348)', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'windows', name: 'Microsoft Windows Server 2022 Datacenter', build: 20348 }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The machine runs Microsoft Windows Server 2022 Datacenter (build 20348), Windows Server 2016 (build 14393) or later.');
    assert.equal(f.evidence[0]?.path, 'test-input.txt');
  });

  it('takes the build from the version when build is missing', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'windows', sku: 'Windows Server 2019 Standard', version: '10.0.17763.5458' }));
    assert.equal(f.status, 'pass');
    assert.match(f.message, /build 17763/);
  });

  it('passes on Azure Stack HCI', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'windows', name: 'Azure Stack HCI', build: 20349 }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The machine runs Azure Stack HCI (build 20349); Azure Stack HCI / Azure Local is supported.');
  });

  it('fails on Windows Server 2012 R2 (build 9600)', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'windows', name: 'Microsoft Windows Server 2012 R2 Datacenter', build: 9600 }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The machine runs Microsoft Windows Server 2012 R2 Datacenter (build 9600); Windows Admin Center in the Azure portal needs Windows Server 2016 (build 14393) or later.');
    assert.match(f.fix!.summary, /Windows Server 2016 or later/);
    assert.deepEqual(f.fix!.commands, []);
  });

  it('names the release when only the version is known', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'windows', version: '6.3.9600' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The machine runs Windows build 9600, which is Windows Server 2012 R2; Windows Admin Center in the Azure portal needs Windows Server 2016 (build 14393) or later.');
  });

  it('passes a build >= 14393 without an edition, saying so', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'windows', build: 17763 }));
    assert.equal(f.status, 'pass');
    assert.match(f.message, /edition was not shown/);
  });

  it('decides from the name when the build is unknown', () => {
    assert.equal(runRuleOn(rule, fact('os', { platform: 'windows', name: 'Windows Server 2019 Standard' })).status, 'pass');
    const old = runRuleOn(rule, fact('os', { platform: 'windows', name: 'Windows Server 2012 R2 Standard' }));
    assert.equal(old.status, 'fail');
    assert.equal(old.message, 'The machine runs Windows Server 2012 R2 Standard; Windows Admin Center in the Azure portal needs Windows Server 2016 or later.');
  });

  it('warns when neither build nor name tells the version', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'windows', name: 'Windows Server Datacenter' }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'The machine runs Windows Server Datacenter, but neither the build nor the name tells whether it is Windows Server 2016 or later.');
  });

  it('fails on Linux: WAC is Windows-only', () => {
    const f = runRuleOn(rule, fact('os', { platform: 'linux', name: 'Ubuntu 22.04.4 LTS' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The machine runs Ubuntu 22.04.4 LTS (platform linux); Windows Admin Center runs on and manages Windows only, so it cannot be used on this machine.');
    assert.deepEqual(f.fix!.commands, []);
  });

  describe('client Windows', () => {
    const win11 = fact('os', { platform: 'windows', name: 'Microsoft Windows 11 Enterprise', build: 22631 });

    it('passes with AdminCenter 0.31.0.0 or later', () => {
      const f = runRuleOn(rule, win11, fact('extension.adminCenter', { installed: true, version: '0.31.0.0', provisioningState: 'Succeeded' }));
      assert.equal(f.status, 'pass');
      assert.equal(f.message, 'The machine runs Microsoft Windows 11 Enterprise (build 22631); client Windows is supported from AdminCenter extension 0.31.0.0, and 0.31.0.0 is installed.');
    });

    it('fails with an older extension, with a reinstall fix from validated values', () => {
      const f = runRuleOn(rule, win11,
        fact('extension.adminCenter', { installed: true, version: '0.0.0.340' }),
        fact('machine.resourceId', RID), fact('wac.port', { port: 6516, source: 'extension' }));
      assert.equal(f.status, 'fail');
      assert.equal(f.message, 'The machine runs Microsoft Windows 11 Enterprise (build 22631), a client edition; AdminCenter extension 0.0.0.340 supports only Windows Server 2016 or later. Windows 10/11 needs extension 0.31.0.0 or later.');
      assert.deepEqual(f.fix!.commands.map((c) => c.command), [
        'az connectedmachine extension delete --name AdminCenter --machine-name \'srv01\' --resource-group \'rg-arc\' --subscription \'00000000-0000-0000-0000-000000000000\' --yes',
        `az connectedmachine extension create --name AdminCenter --publisher Microsoft.AdminCenter --type AdminCenter --machine-name 'srv01' --resource-group 'rg-arc' --subscription '00000000-0000-0000-0000-000000000000' --location '<region>' --settings 'port=6516'`,
        ...fixes.setWacServiceConfiguration('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01', 6516).commands.map((c) => c.command),
      ]);
    });

    it('warns when the extension version is unknown', () => {
      const f = runRuleOn(rule, fact('os', { platform: 'windows', name: 'Windows 10 Pro' }));
      assert.equal(f.status, 'warn');
      assert.equal(f.message, 'The machine runs Windows 10 Pro, a client edition; Windows Admin Center supports Windows 10/11 only from AdminCenter extension 0.31.0.0 (the requirement is otherwise Windows Server 2016 or later), and the extension version was not seen.');
    });
  });

  it('skips without OS facts, naming the sources', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.45.02669.1635'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['os']);
    assert.match(f.message, /az connectedmachine show/);
  });
});
