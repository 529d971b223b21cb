import { strict as assert } from 'node:assert';
import rule from './cloud';
import { fact, runRuleOn } from '../test/support/testing';

describe('rule cloud', () => {
  it('passes in AzureCloud and a listed region', () => {
    const f = runRuleOn(rule, fact('agent.cloud', 'AzureCloud'), fact('agent.location', 'westeurope'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The agent is in the Azure public cloud (AzureCloud) and the machine region West Europe is one where Windows Admin Center is available.');
  });

  it('passes with only the cloud, saying the region was not checked', () => {
    const f = runRuleOn(rule, fact('agent.cloud', 'AzureCloud'));
    assert.equal(f.status, 'pass');
    assert.match(f.message, /region was not seen/);
  });

  it('fails in Azure Government, naming cloud and region', () => {
    const f = runRuleOn(rule, fact('agent.cloud', 'AzureUSGovernment'), fact('agent.location', 'usgovvirginia'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The agent is connected to the AzureUSGovernment cloud, Azure Government (region usgovvirginia); Windows Admin Center in the Azure portal is available only in the Azure public cloud (AzureCloud).');
    assert.deepEqual(f.fix!.commands, []);
  });

  it('does not fail Azure.Local (agent 1.67): it is Azure Local, not disconnected operations', () => {
    const f = runRuleOn(rule, fact('agent.cloud', 'Azure.Local'), fact('agent.location', 'eastus'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The agent is in the Azure public cloud (Azure.Local: Azure Local, not disconnected operations) and the machine region East US is one where Windows Admin Center is available.');
    assert.equal(runRuleOn(rule, fact('agent.cloud', 'azure.local'), fact('agent.location', 'germanywestcentral')).status, 'warn');
  });

  for (const cloud of ['AzureChinaCloud', 'AzureStackCloud', 'SomeOtherCloud']) {
    it(`fails in ${cloud}`, () => {
      const f = runRuleOn(rule, fact('agent.cloud', cloud));
      assert.equal(f.status, 'fail');
      assert.match(f.message, new RegExp(`^The agent is connected to the ${cloud.replace('.', '\\.')} cloud`));
    });
  }

  it('warns on a region outside the WAC list', () => {
    const f = runRuleOn(rule, fact('agent.cloud', 'AzureCloud'), fact('agent.location', 'germanywestcentral'));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'The agent is in the Azure public cloud (AzureCloud) and the machine region germanywestcentral is not in the Windows Admin Center region list (as of 2024-10-30); the Windows Admin Center blade may be missing or fail there.');
    assert.match(f.fix!.summary, /--location/);
  });

  it('evaluates the region when only the location is known', () => {
    const f = runRuleOn(rule, fact('agent.location', 'norwayeast'));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'The machine region norwayeast is not in the Windows Admin Center region list (as of 2024-10-30) (the agent cloud was not seen); the Windows Admin Center blade may be missing or fail there.');
    assert.equal(runRuleOn(rule, fact('agent.location', 'East US 2')).status, 'pass');
  });

  it('skips without cloud or location', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.67.03504.3207'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['agent.cloud | agent.location']);
  });

  it('skips when the only location is empty (disconnected show)', () => {
    const f = runRuleOn(rule, fact('agent.location', ''));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /location is empty/);
  });
});
