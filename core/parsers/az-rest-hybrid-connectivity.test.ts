import { strict as assert } from 'node:assert';
import { azRestHybridConnectivityParser as parser } from './az-rest-hybrid-connectivity';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';

const ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';

describe('az rest HybridConnectivity parser', () => {
  it('reads the WAC service configuration (az rest), with the port line as evidence', () => {
    const text = fixtureText('az-rest-serviceconfig-wac.json');
    assert.equal(detectParser(text), parser);
    const r = parser.parse(text, pastedInput('sc.json'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(observationRows(r), [
      ['azure.wacServiceConfiguration', { present: true, port: 6516, serviceName: 'WAC', provisioningState: 'Succeeded' }, 5],
      ['azure.hybridEndpoint', { present: true }, 1],
    ]);
  });

  it('reads the same from UTF-16LE (PowerShell 5.1 > file)', () => {
    const text = fixtureText('az-rest-serviceconfig-wac.json');
    const utf16 = decodeText(powerShellUtf16(fixtureBuffer('az-rest-serviceconfig-wac.json').toString('utf8')), 'sc.json');
    assert.equal(detectParser(utf16), parser);
    assert.deepEqual(parser.parse(utf16, pastedInput('sc.json')).observations, parser.parse(text, pastedInput('sc.json')).observations);
  });

  it('reads Invoke-AzRestMethod output, joining a wrapped Content', () => {
    const text = [
      'PS C:\\> Invoke-AzRestMethod -Method GET -Path "' + ID + '/providers/Microsoft.HybridConnectivity/endpoints/default/serviceconfigurations/WAC?api-version=2023-03-15"',
      '',
      'Headers    : {[Cache-Control, System.String[]], [Pragma, System.String[]], [x-ms-request-id, System.String[]]}',
      'Version    : 1.1',
      'StatusCode : 200',
      'Method     : GET',
      'Content    : {"id":"' + ID + '/providers/Microsoft.HybridConnectivity/endpoints/default/serviceConfigurations/WAC","name":"WAC","type":"Microsoft.HybridConn',
      '             ectivity/endpoints/serviceConfigurations","properties":{"serviceName":"WAC","port":443,"provisioningState":"Succeeded"}}',
      '',
    ].join('\r\n');
    assert.equal(detectParser(decodeText(Buffer.from(text), 'i.txt')), parser);
    const r = parser.parse(decodeText(Buffer.from(text), 'i.txt'), pastedInput('i.txt'));
    assert.deepEqual(observationRows(r)[0], ['azure.wacServiceConfiguration', { present: true, port: 443, serviceName: 'WAC', provisioningState: 'Succeeded' }, 7]);
  });

  it('reads the default endpoint, and a list of service configurations without WAC', () => {
    const ep = parser.parse(JSON.stringify({ id: `${ID}/providers/Microsoft.HybridConnectivity/endpoints/default`, name: 'default', type: 'Microsoft.HybridConnectivity/endpoints', properties: { type: 'default', provisioningState: 'Succeeded' } }, null, 2), pastedInput('e.json'));
    assert.deepEqual(observationRows(ep), [['azure.hybridEndpoint', { present: true, type: 'default' }, 6]]);
    const list = parser.parse(JSON.stringify({ value: [{ name: 'SSH', type: 'Microsoft.HybridConnectivity/endpoints/serviceConfigurations', properties: { serviceName: 'SSH', port: 22 } }] }), pastedInput('l.json'));
    assert.deepEqual(list.observations.map((o) => [o.name, o.value]), [['azure.wacServiceConfiguration', { present: false }], ['azure.hybridEndpoint', { present: true }]]);
  });

  it('keeps a port that is not an integer as text, with a warning', () => {
    const r = parser.parse(JSON.stringify({ type: 'Microsoft.HybridConnectivity/endpoints/serviceConfigurations', properties: { serviceName: 'WAC', port: '6516' } }), pastedInput('s.json'));
    assert.deepEqual(r.observations[0]!.value, { present: true, portText: '6516', serviceName: 'WAC' });
    assert.deepEqual(r.warnings, ['port "6516" is not an integer 1-65535']);
  });

  it('reads 404s: a missing service configuration, and a missing endpoint', () => {
    const cfg = [
      `$ az rest --method get --uri "${ID}/providers/Microsoft.HybridConnectivity/endpoints/default/serviceconfigurations/WAC?api-version=2023-03-15"`,
      `ERROR: Not Found({"error":{"code":"ResourceNotFound","message":"The Resource 'Microsoft.HybridConnectivity/endpoints/default/serviceConfigurations/WAC' under resource group 'rg-arc' was not found."}})`,
    ].join('\n');
    assert.equal(detectParser(cfg), parser);
    assert.deepEqual(observationRows(parser.parse(cfg, pastedInput('e.txt'))), [['azure.wacServiceConfiguration', { present: false }, 2]]);
    const ep = cfg.replace("endpoints/default/serviceConfigurations/WAC' under", "endpoints/default' under");
    assert.deepEqual(parser.parse(ep, pastedInput('e.txt')).observations.map((o) => [o.name, o.value]), [
      ['azure.hybridEndpoint', { present: false }], ['azure.wacServiceConfiguration', { present: false, endpointMissing: true }],
    ]);
    const invoke404 = 'Invoke-AzRestMethod -Method GET -Path "' + ID + '/providers/Microsoft.HybridConnectivity/endpoints/default/serviceconfigurations/WAC?api-version=2023-03-15"\nStatusCode : 404\nContent    : {"error":{"code":"ResourceNotFound","message":"not found"}}\n';
    assert.deepEqual(observationRows(parser.parse(invoke404, pastedInput('i.txt'))), [['azure.wacServiceConfiguration', { present: false }, 2]]);
  });

  it('refuses malformed or unrelated input', () => {
    assert.throws(() => parser.parse('{"type":"Microsoft.HybridConnectivity/endpoints/serviceConfigurations", "properties": ', pastedInput('x.json')), ParseError);
    assert.throws(() => parser.parse('ERROR: Not Found', pastedInput('x.txt')), ParseError);
    assert.throws(() => parser.parse(JSON.stringify({ type: 'Microsoft.HybridConnectivity/endpoints/serviceConfigurations', properties: { serviceName: 'SSH', port: 22 } }), pastedInput('x.json')), /not WAC/);
    assert.throws(() => parser.parse('Content    : {"broken": \n', pastedInput('x.txt')), ParseError);
    assert.equal(parser.detect('{"type": "Microsoft.HybridCompute/machines"}'), 0);
  });

  it('runs in linear time on a long line without a colon', () => {
    const start = Date.now();
    parser.detect(`${'Content'.repeat(1)}${' a'.repeat(200_000)}`);
    assert.throws(() => parser.parse(`Content    : {"x":1}\n${' a'.repeat(200_000)}`, pastedInput('x.txt')), ParseError);
    assert.ok(Date.now() - start < 1000);
  });
});
