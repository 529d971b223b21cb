import { strict as assert } from 'node:assert';
import { envCheckerConnectivityParser, jsonStringAt } from './env-checker-connectivity';
import { detectParser } from '.';
import { ParseError, type ParseResult } from './parser';
import type { EndpointProbe } from '../model/facts';

const input = { path: 'envcheck.txt', source: 'pasted' as const };

/** One result object as the validator prints it (4-space JSON), its AdditionalData keys in the validator's order. */
function result(name: string, url: string, status: 'SUCCESS' | 'FAILURE', exception = '', statusCode = '', tcp?: boolean): string[] {
  return [
    '            {',
    `                "Name": "${name}",`,
    '                "Status": 1,',
    `                "TargetResourceName": "${url}",`,
    '                "TargetResourceType": "External Endpoint",',
    '                "AdditionalData": {',
    `                    "ExceptionMessage": ${JSON.stringify(exception)},`,
    ...(tcp === undefined ? [] : [`                    "Detail": "TestIsSuccess: False\\r\\nTCPNetConnection: ${tcp ? 'True' : 'False'}",`]),
    `                    "Resource": "${url}",`,
    `                    "Status": "${status}",`,
    `                    "StatusCode": "${statusCode}"`,
    '                },',
    '                "HealthCheckSource": "Deployment\\\\Medium\\\\Connectivity\\\\4d61e190"',
    '            },',
  ];
}

const wrap = (...results: string[][]): string => [
  "Type 'ValidateConnectivity' of Role 'EnvironmentValidator' raised an exception: {",
  '    "ExceptionType": "json",',
  '    "ErrorMessage": {',
  '        "Message": "Connectivity requirements not met. Review output and remediate.",',
  '        "Results": [',
  ...results.flat(),
  '        ]', '    }', '}', '',
].join('\r\n');

const probe = (r: ParseResult, host: string): EndpointProbe | undefined => r.observations.find((o) => o.name === `probe.${host}`)?.value as EndpointProbe | undefined;

describe('Environment Checker connectivity results parser', () => {
  it('is detected by its result keys; other JSON is not claimed', () => {
    assert.equal(detectParser(wrap(result('Arc', 'https://gbl.his.arc.azure.com', 'SUCCESS', '', '200'))), envCheckerConnectivityParser);
    assert.equal(envCheckerConnectivityParser.detect('{"TargetResourceName": "x"}'), 0);
    assert.equal(envCheckerConnectivityParser.detect('[{"endpoint": "https://gbl.his.arc.azure.com", "reachable": true}]'), 0);
  });

  it('attributes each exception message to its own result\'s endpoint, with the taxonomy\'s layer', () => {
    const r = envCheckerConnectivityParser.parse(wrap(
      result('Azure_Arc_Hybrid_Identity', 'https://gbl.his.arc.azure.com', 'FAILURE', "The remote name could not be resolved: 'gbl.his.arc.azure.com'"),
      result('Azure_WAC', 'https://westeurope.service.waconazure.com/health', 'FAILURE', 'Unable to connect to the remote server', '', true),
      result('Azure_Dataplane', 'https://billing.platform.edge.azure.com/_health', 'FAILURE', 'The underlying connection was closed: An unexpected error occurred on a send.', '', true),
      result('Azure_ARM', 'https://management.azure.com', 'SUCCESS', '', '200'),
    ), input);
    assert.deepEqual(probe(r, 'gbl.his.arc.azure.com'), {
      host: 'gbl.his.arc.azure.com', port: 443, url: 'https://gbl.his.arc.azure.com', reachable: false, error: "The remote name could not be resolved: 'gbl.his.arc.azure.com'",
      dns: { status: 'nxdomain', addresses: [] }, layer: 'dns',
    });
    const wac = probe(r, 'westeurope.service.waconazure.com')!;
    assert.deepEqual([wac.reachable, wac.layer, wac.error, wac.tcp?.ok], [false, 'tcp-refused', 'Unable to connect to the remote server', true]);
    const cut = probe(r, 'billing.platform.edge.azure.com')!;
    assert.deepEqual([cut.layer, cut.tls?.ok, cut.tcp?.ok], ['tls-handshake', false, true]);
    assert.deepEqual(probe(r, 'management.azure.com'), { host: 'management.azure.com', port: 443, url: 'https://management.azure.com', reachable: true, http: { status: 200 } });
    // Evidence: the result's TargetResourceName line.
    const ev = r.observations.find((o) => o.name === 'probe.westeurope.service.waconazure.com')!.evidence[0]!;
    assert.match(ev.excerpt!, /"TargetResourceName": "https:\/\/westeurope\.service\.waconazure\.com\/health"/);
  });

  it('reads a copy cut short: the results before the cut count, the one cut before its status does not', () => {
    const whole = wrap(
      result('Azure_Arc', 'https://gbl.his.arc.azure.com', 'FAILURE', 'No such host is known. (gbl.his.arc.azure.com:443)'),
      result('Azure_WAC', 'https://westeurope.service.waconazure.com', 'FAILURE', 'The operation has timed out.'),
    );
    const cut = whole.slice(0, whole.indexOf('"ExceptionMessage": "The operation has timed out.') + 30);
    const r = envCheckerConnectivityParser.parse(cut, input);
    assert.equal(probe(r, 'gbl.his.arc.azure.com')?.layer, 'dns');
    assert.equal(probe(r, 'westeurope.service.waconazure.com'), undefined);
  });

  it('malformed: a target that is no endpoint is skipped with a warning; no results is a ParseError', () => {
    const r = envCheckerConnectivityParser.parse(wrap(result('x', '*.servicebus.windows.net', 'FAILURE', 'timeout'), result('y', 'https://pas.windows.net', 'SUCCESS')), input);
    assert.deepEqual(r.observations.map((o) => o.name), ['probe.pas.windows.net']);
    assert.match(r.warnings![0]!, /"\*\.servicebus\.windows\.net" is not an endpoint; result skipped/);
    assert.throws(() => envCheckerConnectivityParser.parse('{"AdditionalData": {}}', input), (e: unknown) => e instanceof ParseError && /has no results/.test(e.message));
  });

  it('jsonStringAt unescapes the value and refuses what is not a string or is cut short', () => {
    assert.equal(jsonStringAt('  "ExceptionMessage": "a \\"quoted\\" \\\\ path\\r\\nnext \\u0041",', 'ExceptionMessage'), 'a "quoted" \\ path  next A');
    assert.equal(jsonStringAt('"status": "FAILURE"', 'Status'), 'FAILURE');
    assert.equal(jsonStringAt('"Status": 1,', 'Status'), undefined);
    assert.equal(jsonStringAt('"Status" "x"', 'Status'), undefined);
    assert.equal(jsonStringAt('"ExceptionMessage": "cut', 'ExceptionMessage'), undefined);
  });
});
