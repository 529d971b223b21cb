import { strict as assert } from 'node:assert';
import { azMachineParser } from './az-machine';
import { detectParser } from '../sources/pasted';
import { ParseError, type ParseResult } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, onlyObservation, pastedInput, powerShellUtf16 } from '../../test/support/testing';


const values = (r: ParseResult): Record<string, unknown> => Object.fromEntries(r.observations.map((o) => [o.name, o.value]));
const lines = (r: ParseResult): Record<string, number | undefined> => Object.fromEntries(r.observations.map((o) => [o.name, o.evidence[0]!.line]));

const MACHINE = '/subscriptions/7c1f3b2e-5d4a-4e8b-9f21-0a6c3d8e9b47/resourceGroups/rg-arc-demo/providers/Microsoft.HybridCompute/machines/arc-srv-01';

describe('az connectedmachine show parser', () => {
  const text = fixtureText('az-machine-show.json');
  const r = azMachineParser.parse(text, pastedInput('machine.json'));

  it('is detected', () => {
    assert.equal(azMachineParser.detect(text), 97);
    assert.equal(detectParser(text), azMachineParser);
  });

  it('reads every fact of the ARM shape', () => {
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(values(r), {
      'machine.name': 'arc-srv-01',
      'machine.resourceId': MACHINE,
      'agent.location': 'westeurope',
      'agent.status': 'Connected',
      'agent.lastHeartbeat': '2026-11-26T08:42:10.4391234Z',
      'agent.version': '1.48.02881.1941',
      'os': { platform: 'windows', name: 'Windows Server 2022 Datacenter', version: '10.0.20348.2849', build: 20348, sku: 'Windows Server 2022 Datacenter' },
      'memory.totalBytes': 17179869184,
      'agent.privateLinkScope': '',
      'azure.licenseProfile': { present: true, softwareAssuranceCustomer: true },
      'config.proxyUrl': 'http://10.20.30.40:3128',
      'config.incomingConnectionsPorts': [6516],
      'config.proxyBypass': ['AAD'],
      'config.extensionsAllowlist': ['Microsoft.AdminCenter/AdminCenter', 'Microsoft.Azure.Monitor/AzureMonitorWindowsAgent'],
      'config.extensionsBlocklist': [],
      'config.extensionsEnabled': true,
      'config.guestConfigurationEnabled': true,
      'config.mode': 'full',
      'service.extensionservice': { name: 'ExtensionService', state: 'running', startType: 'automatic' },
      'service.gcarcservice': { name: 'GCArcService', state: 'running', startType: 'automatic' },
    });
  });

  it('points each fact at its own line, not a same-named key elsewhere', () => {
    assert.deepEqual(lines(r), {
      'machine.name': 10, 'machine.resourceId': 2, 'agent.location': 9,
      // properties.status (line 91), not serviceStatuses.*.status (84, 88) which come first.
      'agent.status': 91, 'agent.lastHeartbeat': 61, 'agent.version': 39, 'os': 78,
      'memory.totalBytes': 59, 'agent.privateLinkScope': 79, 'azure.licenseProfile': 69,
      'config.proxyUrl': 34, 'config.incomingConnectionsPorts': 28, 'config.proxyBypass': 31, 'config.extensionsAllowlist': 15,
      'config.extensionsBlocklist': 25, 'config.extensionsEnabled': 26, 'config.guestConfigurationEnabled': 27, 'config.mode': 14,
      'service.extensionservice': 84, 'service.gcarcservice': 88,
    });
    assert.deepEqual(onlyObservation(r, 'agent.status').evidence, [{ source: 'pasted', path: 'machine.json', line: 91, excerpt: '"status": "Connected",' }]);
  });

  it('dates every observation with lastStatusChange', () => {
    for (const o of r.observations) assert.equal(o.time, '2026-11-26T08:42:10.4391234Z', o.name);
  });

  it('reads the same from UTF-16LE', () => {
    const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('az-machine-show.json').toString('utf8')), 'machine.json');
    assert.equal(detectParser(fromUtf16), azMachineParser);
    assert.deepEqual(azMachineParser.parse(fromUtf16, pastedInput('machine.json')).observations, r.observations);
  });

  it('accepts the flattened CLI shape, AZCM errors, nulls and a Disconnected machine', () => {
    const flat = {
      agentConfiguration: {
        configMode: 'monitor', extensionsAllowList: null, extensionsBlockList: [{ publisher: 'Microsoft.AdminCenter', type: 'AdminCenter' }],
        extensionsEnabled: 'false', guestConfigurationEnabled: 'False', incomingConnectionsPorts: null, proxyBypass: null, proxyUrl: null,
      },
      agentVersion: '1.36.02468.1200',
      detectedProperties: { totalPhysicalMemoryInGigabytes: '2' },
      errorDetails: [{ code: 'AZCM0026', message: 'Network Error: no IP addresses found' }, { code: 'Other', message: 'see AZCM0041 for details', details: [{ code: 'AZCM0026', message: 'dup' }] }],
      id: MACHINE, lastStatusChange: '2026-10-01T10:00:00Z', location: 'West Europe', name: 'arc-srv-01',
      osName: 'Microsoft Windows Server 2016 Standard', osType: 'windows', osVersion: '10.0.14393',
      privateLinkScopeResourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.HybridCompute/privateLinkScopes/pls1',
      serviceStatuses: { extensionService: { startupType: 'Disabled', status: 'Stopped' } },
      status: 'Disconnected', type: 'Microsoft.HybridCompute/machines',
    };
    const text2 = JSON.stringify(flat, null, 2);
    assert.equal(detectParser(text2), azMachineParser);
    const r2 = azMachineParser.parse(text2, pastedInput('flat.json'));
    const v = values(r2);
    assert.equal(v['agent.location'], 'westeurope');
    assert.equal(v['agent.status'], 'Disconnected');
    assert.deepEqual(v['os'], { platform: 'windows', name: 'Microsoft Windows Server 2016 Standard', version: '10.0.14393', build: 14393 });
    assert.equal(v['memory.totalBytes'], 2 * 1024 ** 3);
    assert.equal(v['agent.privateLinkScope'], flat.privateLinkScopeResourceId);
    assert.equal(v['config.proxyUrl'], '');
    assert.deepEqual(v['config.incomingConnectionsPorts'], []);
    assert.deepEqual(v['config.proxyBypass'], []);
    assert.deepEqual(v['config.extensionsAllowlist'], []);
    assert.deepEqual(v['config.extensionsBlocklist'], ['Microsoft.AdminCenter/AdminCenter']);
    assert.equal(v['config.extensionsEnabled'], false);
    assert.equal(v['config.guestConfigurationEnabled'], false);
    assert.equal(v['config.mode'], 'monitor');
    assert.deepEqual(v['service.extensionservice'], { name: 'ExtensionService', state: 'stopped', startType: 'disabled' });
    assert.equal(v['service.gcarcservice'], undefined);
    assert.deepEqual(v['agent.error'], { code: 'AZCM0026', details: 'Network Error: no IP addresses found' });
    assert.deepEqual(v['agent.errorCodes'], [
      { code: 'AZCM0026', details: 'Network Error: no IP addresses found' }, { code: 'AZCM0041', details: 'see AZCM0041 for details' },
    ]);
    assert.equal(onlyObservation(r2, 'agent.status').evidence[0]!.line, 51);
    assert.equal(onlyObservation(r2, 'agent.error').time, '2026-10-01T10:00:00Z');
  });

  it('accepts a list of one machine and refuses a list of several', () => {
    const one = `[\n${fixtureText('az-machine-show.json')}\n]`;
    assert.equal(onlyObservation(azMachineParser.parse(one, pastedInput('l.json')), 'agent.version').evidence[0]!.line, 40);
    const two = `[${JSON.stringify({ type: 'Microsoft.HybridCompute/machines', name: 'a' })}, ${JSON.stringify({ type: 'Microsoft.HybridCompute/machines', name: 'b' })}]`;
    assert.equal(detectParser(two), azMachineParser);
    assert.throws(() => azMachineParser.parse(two, pastedInput('l.json')), (err: unknown) => err instanceof ParseError && /a list of 2 machines/.test(err.message));
  });

  it('does not claim azcmagent show -j or the extension list', () => {
    const show = '{\n  "resourceName": "arc-srv-01",\n  "agentVersion": "1.45.02669.1635",\n  "status": "Connected",\n  "lastHeartbeat": "2024-09-18T09:41:27Z",\n  "location": "westeurope"\n}';
    assert.equal(azMachineParser.detect(show), 0);
    assert.equal(azMachineParser.detect(fixtureText('az-extension-list.json')), 0);
    assert.equal(azMachineParser.detect(fixtureText('get-service.json')), 0);
  });

  it('throws ParseError for truncated JSON and for a resource that is not a machine', () => {
    const cut = text.slice(0, text.length - 300);
    assert.equal(detectParser(cut), azMachineParser);
    assert.throws(() => azMachineParser.parse(cut, pastedInput('cut.json')), (err: unknown) => err instanceof ParseError && /invalid JSON/.test(err.message));
    assert.throws(() => azMachineParser.parse('{"type": "Microsoft.Compute/virtualMachines", "properties": {}}', pastedInput('vm.json')),
      (err: unknown) => err instanceof ParseError && /Microsoft\.HybridCompute\/machines/.test(err.message));
  });
});
