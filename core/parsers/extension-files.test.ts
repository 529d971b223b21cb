import { strict as assert } from 'node:assert';
import { parseStatusFile, extensionFromPath, extensionState, extensionStatusParser } from './extension-status';
import { parseExtensionReport } from './extension-report';
import { parseAgentConfig, parseLocalConfig } from './logs/agent-config';
import { ParseError, type InputRef } from './parser';

const at = (path: string): InputRef => ({ path, source: 'bundle' });
const WIN_STATUS = 'Packages/Plugins/Microsoft.AdminCenter.AdminCenter/0.31.0.0/Status/3.status';

describe('extension .status files', () => {
  const status = (s: string, code: number, message: string, substatus: unknown[] = []): string => JSON.stringify([{
    version: 1.0, timestampUTC: '2026-09-14T08:10:06Z',
    status: { name: 'Microsoft.AdminCenter.AdminCenter', operation: 'Enable', status: s, code, formattedMessage: { lang: 'en-US', message }, substatus },
  }], null, 2);

  it('AdminCenter error -> extension.adminCenter Failed, version from the path, message and code', () => {
    const r = parseStatusFile(status('error', 1, 'Failed to obtain a certificate', [{ name: 'cert', status: 'error', code: 5, formattedMessage: { message: 'TLS handshake failed' } }]), at(WIN_STATUS));
    assert.equal(r.extension, 'Microsoft.AdminCenter.AdminCenter');
    const o = r.observations[0]!;
    assert.equal(o.name, 'extension.adminCenter');
    assert.deepEqual(o.value, {
      installed: true, name: 'AdminCenter', version: '0.31.0.0', provisioningState: 'Failed', statusLevel: 'Error', statusCode: '1',
      statusMessage: 'Failed to obtain a certificate / TLS handshake failed',
    });
    assert.equal(o.time, '2026-09-14T08:10:06.000Z');
    assert.deepEqual([o.evidence[0]!.path, o.evidence[0]!.line], [WIN_STATUS, 5]);
  });

  it('success and transitioning; Linux waagent paths; other extensions give no fact', () => {
    assert.equal((parseStatusFile(status('success', 0, 'ok'), at(WIN_STATUS)).observations[0]!.value as { provisioningState: string }).provisioningState, 'Succeeded');
    assert.equal((parseStatusFile(status('transitioning', 0, ''), at(WIN_STATUS)).observations[0]!.value as { provisioningState: string }).provisioningState, 'Creating');
    assert.deepEqual(extensionFromPath('var/lib/waagent/Microsoft.Azure.Monitor.AzureMonitorLinuxAgent-1.29.4/status/0.status'), { name: 'Microsoft.Azure.Monitor.AzureMonitorLinuxAgent', version: '1.29.4' });
    const ama = parseStatusFile(status('error', 1, 'x'), at('Packages/Plugins/Microsoft.Azure.Monitor.AzureMonitorWindowsAgent/1.2/Status/0.status'));
    assert.deepEqual([ama.extension, ama.observations.length], ['Microsoft.Azure.Monitor.AzureMonitorWindowsAgent', 0]);
  });

  it('maps the handler states: transitioning is Creating unless the operation is an update', () => {
    const state = (s: string, op?: string): string | undefined => extensionState(s, op)?.provisioningState;
    assert.deepEqual([state('success'), state('warning'), state('error'), state('transitioning'), state('transitioning', 'Enable'), state('transitioning', 'Install'), state('transitioning', 'Update')],
      ['Succeeded', 'Succeeded', 'Failed', 'Creating', 'Creating', 'Creating', 'Updating']);
    assert.equal(extensionState('warning')?.statusLevel, 'Warning');
    assert.equal(extensionState('paused'), undefined);
    const o = parseStatusFile(status('paused', 0, ''), at(WIN_STATUS)).observations[0]!;
    assert.equal((o.value as { provisioningState: string }).provisioningState, 'paused');
  });

  it('pasted: detected by content, with or without its path', () => {
    assert.ok(extensionStatusParser.detect(status('error', 1, 'x')) > 0);
    assert.equal(extensionStatusParser.detect('{"timestampUTC": 1, "formattedMessage": 2}'), 0);
    assert.equal(extensionStatusParser.detect('[{"name": "x", "properties": {}}]'), 0);
    const named = extensionStatusParser.parse(status('error', 1, 'x'), at('0.status'));
    assert.equal((named.observations[0]!.value as { provisioningState: string }).provisioningState, 'Failed');
    const other = extensionStatusParser.parse(status('error', 1, 'x'), at(WIN_STATUS.replace('AdminCenter.AdminCenter', 'Azure.Monitor.AMA')));
    assert.deepEqual([other.observations.length, other.warnings?.length], [0, 1]);
  });

  it('pasted without its path: the handler\'s short name (`AdminCenter`) is the AdminCenter extension, other names are not', () => {
    const named = (name: string): string => status('error', 1, 'Failed to install Windows Admin Center: port 6516 is already in use.').replace('"Microsoft.AdminCenter.AdminCenter"', JSON.stringify(name));
    for (const name of ['AdminCenter', 'admincenter', 'Windows Admin Center', 'Microsoft.AdminCenter.AdminCenter']) {
      const r = extensionStatusParser.parse(named(name), at('pasted.txt'));
      assert.equal(r.observations.length, 1, name);
      assert.equal((r.observations[0]!.value as { statusMessage: string }).statusMessage, 'Failed to install Windows Admin Center: port 6516 is already in use.');
    }
    for (const name of ['AzureMonitorWindowsAgent', 'AdminCenterHelper', '']) {
      const r = extensionStatusParser.parse(named(name), at('pasted.txt'));
      assert.equal(r.observations.length, 0, name);
      assert.match(r.warnings![0]!, /not of the AdminCenter extension \(Microsoft\.AdminCenter\.AdminCenter\)/);
    }
  });

  it('malformed: not JSON, no status object', () => {
    assert.throws(() => parseStatusFile('[{"status": ', at(WIN_STATUS)), (e: unknown) => e instanceof ParseError && /is not valid JSON/.test(e.message));
    assert.throws(() => parseStatusFile('[{"version": 1}]', at(WIN_STATUS)), (e: unknown) => e instanceof ParseError && /has no `status` object/.test(e.message));
  });
});

describe('extension reports', () => {
  it('the AdminCenter report -> extension.adminCenter; name from the content or the file name', () => {
    const r = parseExtensionReport(JSON.stringify({ Name: 'Microsoft.AdminCenter.AdminCenter', Version: '0.31.0.0', status: { status: 'failed', statusMessage: 'Install failed: 1603' } }), at('ProgramData/GuestConfig/extension_reports/Microsoft.AdminCenter.AdminCenter_report.txt'));
    assert.deepEqual(r.observations[0]!.value, { installed: true, name: 'AdminCenter', statusMessage: 'Install failed: 1603', provisioningState: 'Failed', statusLevel: 'Error', version: '0.31.0.0' });
    const byName = parseExtensionReport(JSON.stringify({ status: {} }), at('x/extension_reports/Microsoft.AdminCenter.AdminCenter_report.txt'));
    assert.equal(byName.observations.length, 1);
    assert.throws(() => parseExtensionReport('[1]', at('r_report.txt')), ParseError);
  });
});

describe('agent configuration files', () => {
  it('agentconfig.json -> machine name, resource id, location, cloud, Private Link Scope', () => {
    const text = JSON.stringify({ tenantId: 't', subscriptionId: 'sub', resourceGroup: 'rg', resourceName: 'SRV-1', location: 'West Europe', cloud: 'AzureCloud', privateLinkScope: '' }, null, 2);
    const obs = parseAgentConfig(text, at('ProgramData/AzureConnectedMachineAgent/Config/agentconfig.json')).observations;
    assert.deepEqual(Object.fromEntries(obs.map((o) => [o.name, o.value])), {
      'machine.name': 'SRV-1',
      'machine.resourceId': '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/SRV-1',
      'agent.location': 'westeurope',
      'agent.cloud': 'AzureCloud',
      'agent.privateLinkScope': '',
    });
    assert.equal(obs[0]!.evidence[0]!.line, 5);
    assert.throws(() => parseAgentConfig('{"foo": 1}', at('agentconfig.json')), (e: unknown) => e instanceof ParseError && /has none of the expected keys/.test(e.message));
    assert.throws(() => parseAgentConfig('{', at('agentconfig.json')), ParseError);
  });

  it('localconfig.json (flat dotted keys) -> config.* facts', () => {
    const obs = parseLocalConfig('{"incomingconnections.ports": ["22","6516"], "extensions.blocklist": ["Microsoft.AdminCenter/AdminCenter"], "proxy.url": ""}', at('localconfig.json')).observations;
    assert.deepEqual(Object.fromEntries(obs.map((o) => [o.name, o.value])), {
      'config.incomingConnectionsPorts': [22, 6516],
      'config.extensionsBlocklist': ['Microsoft.AdminCenter/AdminCenter'],
      'config.proxyUrl': '',
    });
  });
});
