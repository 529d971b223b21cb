import { strict as assert } from 'node:assert';
import { psArcListParser } from './ps-arc-list';
import { pastedInput, powerShellUtf16 } from '../../test/support/testing';
import { decodeText } from '../text/text-input';

const MACHINE = [
  'ResourceGroupName          : rg-servers',
  'Name                       : SRV-FS01',
  'Location                   : westeurope',
  'AgentVersion               : 1.36.02538.1064',
  'Status                     : Disconnected',
  'LastStatusChange           : 11/20/2026 8:00:00 AM',
  'OSName                     : windows',
  'OSVersion                  : 10.0.17763.6414',
  'OSSku                      : Windows Server 2019 Datacenter',
  'ProvisioningState          : Succeeded',
].join('\n');

const EXTENSIONS = [
  'Name                      : AdminCenter',
  'Location                  : westeurope',
  'ProvisioningState         : Failed',
  'Publisher                 : Microsoft.AdminCenter',
  'MachineExtensionType      : AdminCenter',
  'TypeHandlerVersion        : 0.85.0.0',
  'InstanceViewStatusMessage : WACInstallFailed: the installer returned 1603',
  '',
  'Name                      : AzureMonitorWindowsAgent',
  'ProvisioningState         : Succeeded',
  'Publisher                 : Microsoft.Azure.Monitor',
  'MachineExtensionType      : AzureMonitorWindowsAgent',
].join('\n');

const facts = (text: string): Record<string, unknown> =>
  Object.fromEntries(psArcListParser.parse(text, pastedInput('p.txt')).observations.map((o) => [o.name, o.value]));

describe('parser ps-arc-list', () => {
  it('detects machine and extension lists, not other Key : value output', () => {
    assert.ok(psArcListParser.detect(MACHINE) > 0);
    assert.ok(psArcListParser.detect(EXTENSIONS) > 0);
    assert.equal(psArcListParser.detect('Name : himds\nStatus : Running\n'), 0);
  });

  it('a machine block: agent version and status, region, OS', () => {
    const f = facts(MACHINE);
    assert.equal(f['agent.version'], '1.36.02538.1064');
    assert.equal(f['agent.status'], 'Disconnected');
    assert.equal(f['agent.location'], 'westeurope');
    assert.deepEqual(f.os, { platform: 'windows', name: 'Windows Server 2019 Datacenter', version: '10.0.17763.6414' });
  });

  it('extension blocks: the AdminCenter state and message, and the installed list', () => {
    const f = facts(EXTENSIONS);
    assert.deepEqual(f['extension.adminCenter'], { installed: true, name: 'AdminCenter', version: '0.85.0.0', provisioningState: 'Failed', statusMessage: 'WACInstallFailed: the installer returned 1603' });
    assert.deepEqual(f['extension.installed'], ['Microsoft.AdminCenter.AdminCenter', 'Microsoft.Azure.Monitor.AzureMonitorWindowsAgent']);
  });

  it('a list without AdminCenter says it is missing; one other extension alone says nothing about it', () => {
    const two = EXTENSIONS.split('\n\n')[1]! + '\n\n' + EXTENSIONS.split('\n\n')[1]!.replace(/AzureMonitorWindowsAgent/g, 'MDE.Windows');
    assert.deepEqual(facts(two)['extension.adminCenter'], { installed: false });
    assert.equal(facts(EXTENSIONS.split('\n\n')[1]!)['extension.adminCenter'], undefined);
  });

  it('UTF-16 output and malformed blocks', () => {
    assert.equal(facts(decodeText(powerShellUtf16(MACHINE), 'p.txt'))['agent.status'], 'Disconnected');
    const r = psArcListParser.parse('AgentVersion :\nStatus : \n', pastedInput('p.txt'));
    assert.equal(r.observations.length, 0);
    assert.match(r.warnings![0]!, /no machine or extension block/);
  });
});
