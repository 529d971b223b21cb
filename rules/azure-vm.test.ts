import { strict as assert } from 'node:assert';
import rule from './azure-vm';
import { fact, runRuleOn } from '../test/support/testing';
import { scanLogText } from '../core/parsers/logs';

describe('rule azure-vm', () => {
  it('fails when the install script refused an Azure VM, pointing at WAC for Azure VMs', () => {
    // The script's refusal as PowerShell prints it (wrapped in a ticket), read through the log grammars.
    const text = [
      "C:\\Temp\\install_windows_azcmagent.ps1 : 'Cannot install Azure Connected Machine agent on an Azure Virtual Machine.",
      'To connect an Azure VM for TESTING PURPOSES ONLY, see https://aka.ms/azcmagent-testwarning for more details.',
      '',
    ].join('\n');
    const signatures = scanLogText('install.txt', text, 'pasted', 'text').observations.find((o) => o.name === 'log.signatures');
    assert.ok(signatures, 'the refusal is a signature');
    const f = runRuleOn(rule, fact('log.signatures', signatures.value as never));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^The machine is an Azure VM/);
    assert.match(f.fix!.summary, /^Use Windows Admin Center for Azure VMs/);
  });

  it('passes on an Arc machine resource id', () => {
    const f = runRuleOn(rule, fact('machine.resourceId', '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/srv01'));
    assert.equal(f.status, 'pass');
  });

  it('skips with other signatures only, a resource id of another kind, or nothing', () => {
    assert.equal(runRuleOn(rule, fact('log.signatures', [{ id: 'dns', text: 'no such host' }])).status, 'skip');
    assert.equal(runRuleOn(rule, fact('machine.resourceId', '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1/extensions/x')).status, 'skip');
    const f = runRuleOn(rule);
    assert.equal(f.status, 'skip');
  });
});
