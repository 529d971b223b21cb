import { strict as assert } from 'node:assert';
import { azExtensionParser, jsonTime, parseJsonInput } from './az-extension';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, onlyObservation, pastedInput, powerShellUtf16 } from '../../test/support/testing';



const MACHINE = '/subscriptions/7c1f3b2e-5d4a-4e8b-9f21-0a6c3d8e9b47/resourceGroups/rg-arc-demo/providers/Microsoft.HybridCompute/machines/arc-srv-01';

describe('az connectedmachine extension parser', () => {
  describe('extension list with AdminCenter', () => {
    const text = fixtureText('az-extension-list.json');
    const r = azExtensionParser.parse(text, pastedInput('ext.json'));

    it('is detected', () => {
      assert.equal(azExtensionParser.detect(text), 95);
      assert.equal(detectParser(text), azExtensionParser);
    });

    it('lists installed extensions as Publisher.Type, dated by the newest status', () => {
      const o = onlyObservation(r, 'extension.installed');
      assert.deepEqual(o.value, ['Microsoft.AdminCenter.AdminCenter', 'Microsoft.Azure.Monitor.AzureMonitorWindowsAgent']);
      assert.deepEqual(o.evidence.map((e) => e.line), [24, 58]);
      assert.equal(o.time, '2026-11-22T16:41:07.502Z');
    });

    it('reads the AdminCenter state, version from instanceView, and port from settings', () => {
      const o = onlyObservation(r, 'extension.adminCenter');
      assert.deepEqual(o.value, {
        installed: true, name: 'AdminCenter', version: '0.31.0.0', provisioningState: 'Succeeded',
        statusCode: 'success', statusLevel: 'Information',
        statusMessage: 'Windows Admin Center is installed and the gateway is listening on port 6516.', settingsPort: 6516,
      });
      assert.deepEqual(o.evidence, [
        { source: 'pasted', path: 'ext.json', line: 23, excerpt: '"provisioningState": "Succeeded",' },
        { source: 'pasted', path: 'ext.json', line: 26, excerpt: '"port": "6516"' },
      ]);
      assert.equal(o.time, '2026-11-20T09:14:32.118Z');
      assert.deepEqual(r.warnings, []);
    });

    it('reads the same from UTF-16LE', () => {
      const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('az-extension-list.json').toString('utf8')), 'ext.json');
      assert.equal(detectParser(fromUtf16), azExtensionParser);
      assert.deepEqual(azExtensionParser.parse(fromUtf16, pastedInput('ext.json')).observations, r.observations);
    });
  });

  describe('extension show of a failed AdminCenter', () => {
    const text = fixtureText('az-extension-show-failed.json');
    const r = azExtensionParser.parse(text, pastedInput('show.json'));

    it('reads the failure, the proxy settings and points at the state and the message', () => {
      assert.equal(detectParser(text), azExtensionParser);
      const o = onlyObservation(r, 'extension.adminCenter');
      assert.deepEqual(o.value, {
        installed: true, name: 'AdminCenter', version: '0.31.0.0', provisioningState: 'Failed', statusCode: '1', statusLevel: 'Error',
        statusMessage: "Extension 'Microsoft.AdminCenter.AdminCenter' failed to enable: could not obtain a certificate from the Windows Admin Center certificate service (https://westeurope.service.waconazure.com): Unable to connect to the remote server. Check that the machine can reach *.waconazure.com on port 443 through the configured proxy.",
        settingsPort: 6516, proxyMode: 'application', proxyAddress: 'http://10.20.30.40:3128',
      });
      assert.deepEqual(o.evidence.map((e) => e.line), [22, 15, 25]);
      assert.equal(o.time, '2026-11-24T07:52:19.640Z');
    });

    it('does not state extension.installed: a single show must not replace a full list', () => {
      assert.equal(r.observations.filter((x) => x.name === 'extension.installed').length, 0);
    });
  });

  it('reports AdminCenter as not installed for a list without it', () => {
    const text = fixtureText('az-extension-list-no-wac.json');
    assert.equal(detectParser(text), azExtensionParser);
    const r = azExtensionParser.parse(text, pastedInput('ext.json'));
    assert.deepEqual(onlyObservation(r, 'extension.installed').value, ['Microsoft.Azure.Monitor.AzureMonitorWindowsAgent', 'Microsoft.Azure.AzureDefenderForServers.MDE.Windows']);
    const o = onlyObservation(r, 'extension.adminCenter');
    assert.deepEqual(o.value, { installed: false });
    assert.match(o.evidence[0]!.excerpt!, /2 extension\(s\), none is Microsoft\.AdminCenter\.AdminCenter/);
  });

  it('accepts properties flattened to the top level (typePropertiesType)', () => {
    const text = JSON.stringify({
      id: `${MACHINE}/extensions/AdminCenter`, name: 'AdminCenter', provisioningState: 'Creating', publisher: 'Microsoft.AdminCenter',
      settings: { port: '6600' }, type: 'Microsoft.HybridCompute/machines/extensions', typeHandlerVersion: '0.0.0.340', typePropertiesType: 'AdminCenter',
    }, null, 2);
    assert.equal(detectParser(text), azExtensionParser);
    const r = azExtensionParser.parse(text, pastedInput('flat.json'));
    assert.deepEqual(onlyObservation(r, 'extension.adminCenter').value, { installed: true, name: 'AdminCenter', version: '0.0.0.340', provisioningState: 'Creating', settingsPort: 6600 });
    assert.equal(onlyObservation(r, 'extension.adminCenter').evidence[0]!.line, 4);
  });

  it('accepts Get-AzConnectedMachineExtension | ConvertTo-Json (PowerShell model, 5.1 dates, depth-cut proxy)', () => {
    const text = [
      'PS C:\\> Get-AzConnectedMachineExtension -ResourceGroupName rg-arc-demo -MachineName arc-srv-01 | ConvertTo-Json',
      '[',
      '    {',
      '        "Name":  "AdminCenter",',
      '        "InstanceViewTypeHandlerVersion":  "0.24.0.0",',
      '        "MachineExtensionType":  "AdminCenter",',
      '        "ProvisioningState":  "Succeeded",',
      '        "Publisher":  "Microsoft.AdminCenter",',
      '        "Setting":  {',
      '                        "port":  "6516",',
      '                        "proxy":  "@{mode=application; address=http://proxy.contoso.local:8080}"',
      '                    },',
      '        "StatusCode":  "0",',
      '        "StatusLevel":  "Info",',
      '        "StatusMessage":  "Enable succeeded",',
      '        "StatusTime":  "\\/Date(1732611600000)\\/",',
      '        "Type":  "Microsoft.HybridCompute/machines/extensions",',
      '        "TypeHandlerVersion":  "0.0.0.169"',
      '    },',
      '    {',
      '        "Name":  "AzureMonitorWindowsAgent",',
      '        "MachineExtensionType":  "AzureMonitorWindowsAgent",',
      '        "ProvisioningState":  "Succeeded",',
      '        "Publisher":  "Microsoft.Azure.Monitor",',
      '        "TypeHandlerVersion":  "1.30.0.0"',
      '    }',
      ']',
    ].join('\n');
    assert.equal(detectParser(text), azExtensionParser);
    const r = azExtensionParser.parse(text, pastedInput('ps.json'));
    assert.deepEqual(onlyObservation(r, 'extension.installed').value, ['Microsoft.AdminCenter.AdminCenter', 'Microsoft.Azure.Monitor.AzureMonitorWindowsAgent']);
    const o = onlyObservation(r, 'extension.adminCenter');
    assert.deepEqual(o.value, {
      installed: true, name: 'AdminCenter', version: '0.24.0.0', provisioningState: 'Succeeded', statusCode: '0', statusLevel: 'Info',
      statusMessage: 'Enable succeeded', settingsPort: 6516, proxyMode: 'application', proxyAddress: 'http://proxy.contoso.local:8080',
    });
    assert.equal(o.time, '2024-11-26T09:00:00.000Z');
    assert.equal(o.evidence[0]!.line, 7);
  });

  it('accepts an ARM list response ({"value": [...]}) and warns about a bad port', () => {
    const text = JSON.stringify({ value: [{ name: 'AdminCenter', properties: { publisher: 'Microsoft.AdminCenter', type: 'AdminCenter', provisioningState: 'Succeeded', settings: { port: '70000' } } }] }, null, 2);
    const r = azExtensionParser.parse(text, pastedInput('arm.json'));
    assert.deepEqual(onlyObservation(r, 'extension.adminCenter').value, { installed: true, name: 'AdminCenter', provisioningState: 'Succeeded' });
    assert.match(r.warnings![0]!, /settings\.port "70000" is not a valid port/);
    assert.equal(onlyObservation(r, 'extension.adminCenter').evidence[0]!.line, 8);
  });

  it('reads a ResourceNotFound error for the AdminCenter extension as not installed', () => {
    const text = `ERROR: (ResourceNotFound) The Resource 'Microsoft.HybridCompute/machines/arc-srv-01/extensions/AdminCenter' under resource group 'rg-arc-demo' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix\nCode: ResourceNotFound\n`;
    assert.equal(detectParser(text), azExtensionParser);
    const r = azExtensionParser.parse(text, pastedInput('err.txt'));
    assert.deepEqual(r.observations.map((o) => [o.name, o.value, o.evidence[0]!.line]), [['extension.adminCenter', { installed: false }, 1]]);
  });

  it('does not claim a machine, an Azure VM extension list or a Get-Service JSON', () => {
    assert.equal(azExtensionParser.detect(fixtureText('az-machine-show.json')), 0);
    assert.equal(azExtensionParser.detect(fixtureText('get-service.json')), 0);
    const vm = '[{"name": "AdminCenter", "publisher": "Microsoft.AdminCenter", "typeHandlerVersion": "0.0", "type": "Microsoft.Compute/virtualMachines/extensions"}]';
    assert.equal(azExtensionParser.detect(vm), 0);
  });

  it('throws ParseError for truncated JSON and for objects without publisher or type', () => {
    const full = fixtureText('az-extension-list.json');
    const cut = full.slice(0, full.length - 200);
    assert.equal(detectParser(cut), azExtensionParser);
    assert.throws(() => azExtensionParser.parse(cut, pastedInput('cut.json')), (err: unknown) => err instanceof ParseError && /invalid JSON/.test(err.message));
    const noPublisher = '[{"name": "x", "type": "Microsoft.HybridCompute/machines/extensions", "properties": {"typeHandlerVersion": "1.0"}}]';
    assert.throws(() => azExtensionParser.parse(noPublisher, pastedInput('b.json')), (err: unknown) => err instanceof ParseError && /"publisher" and "type"/.test(err.message));
  });
});

describe('JSON helpers', () => {
  it('parseJsonInput skips an echoed command with brackets and maps paths to lines', () => {
    const text = 'PS> az connectedmachine extension list --query "[].{n:name}" -o json\n[\n  {\n    "n": "a",\n    "Sub": {"Deep": 1}\n  },\n  {\n    "n": "b"\n  }\n]\n';
    const j = parseJsonInput(text);
    assert.deepEqual(j.value, [{ n: 'a', Sub: { Deep: 1 } }, { n: 'b' }]);
    assert.equal(j.firstLine, 1);
    assert.equal(j.lineOf('[0].n'), 3);
    assert.equal(j.lineOf('[0].sub.deep'), 4);
    assert.equal(j.lineOf('[1]'), 6);
    assert.equal(j.lineOf('[1].n'), 7);
    assert.equal(j.lineOf('[2].n', '[1].n'), 7);
    assert.throws(() => parseJsonInput('no json here'), ParseError);
  });

  it('jsonTime converts PowerShell 5.1 dates and keeps ISO', () => {
    assert.equal(jsonTime('/Date(1732611600000)/'), '2024-11-26T09:00:00.000Z');
    assert.equal(jsonTime('2026-11-24T07:52:19.640Z'), '2026-11-24T07:52:19.640Z');
    assert.equal(jsonTime('not a date'), undefined);
  });
});
