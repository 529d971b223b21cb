import { strict as assert } from 'node:assert';
import { connectivityCsvParser, csvFields } from './connectivity-csv';
import { ParseError } from './parser';
import { pastedInput, powerShellUtf16 } from '../../test/support/testing';
import { decodeText } from '../text/text-input';
import type { EndpointProbe } from '../model/facts';

const HEADER = '"RowID","URL","Port","ArcGateway","Layer7Status","Layer7Response","Note","TCPStatus","CertificateIssuer","RootCertificateSubject"';
const row = (...f: string[]): string => f.map((x) => `"${x.replace(/"/g, '""')}"`).join(',');
const TEXT = [
  HEADER,
  row('51', 'gbl.his.arc.azure.com', '443', 'False', 'Success', '(400) Bad Request', 'identity', 'N/A', 'CN=Microsoft Azure RSA TLS Issuing CA 04, O=Microsoft Corporation', 'CN=DigiCert Global Root G2, O=DigiCert Inc'),
  row('82', 'pas.windows.net', '443', 'True', 'Failed', 'The operation has timed out.', 'AAD', 'N/A', 'N/A', 'N/A'),
  row('12', '*.servicebus.windows.net', '443', 'True', 'Skipped', 'N/A', 'wildcard', 'Skipped', 'N/A', 'N/A'),
  row('72', 'management.azure.com/metadata/endpoints?api-version=2022-08-01', '443', 'False', 'Success', '(200) OK', 'ARM', 'N/A', 'CN=Contoso Inspect, O=Contoso', 'CN=Contoso Root, O=Contoso'),
  row('90', 'dls.microsoft.com', '80', 'False', 'Success', '(200) OK', 'licensing', 'N/A', 'Port 80 - SSL not required', 'N/A'),
].join('\n');

const probes = (text: string): Record<string, EndpointProbe> =>
  Object.fromEntries(connectivityCsvParser.parse(text, pastedInput('c.csv')).observations.map((o) => [o.name, o.value as EndpointProbe]));

describe('parser connectivity-csv', () => {
  it('detects the header by its URL and status columns, not by name', () => {
    assert.ok(connectivityCsvParser.detect(TEXT) > 50);
    assert.equal(connectivityCsvParser.detect('"Name","Value"\n"a","b"'), 0);
    assert.equal(connectivityCsvParser.detect('just text'), 0);
  });

  it('rows become probes: 4xx answers are reached, failures carry their layer, certificates their root', () => {
    const p = probes(TEXT);
    assert.deepEqual(Object.keys(p).sort(), ['probe.dls.microsoft.com', 'probe.gbl.his.arc.azure.com', 'probe.management.azure.com', 'probe.pas.windows.net']);
    assert.deepEqual(p['probe.gbl.his.arc.azure.com']!.http, { status: 400 });
    assert.equal(p['probe.gbl.his.arc.azure.com']!.reachable, true);
    assert.equal(p['probe.gbl.his.arc.azure.com']!.tls!.trustedPublicCa, true);
    assert.deepEqual([p['probe.pas.windows.net']!.reachable, p['probe.pas.windows.net']!.layer], [false, 'tcp-timeout']);
    assert.equal(p['probe.management.azure.com']!.tls!.trustedPublicCa, false, 'a private root is what inspection looks like');
    assert.equal(p['probe.management.azure.com']!.tls!.issuer, 'Contoso Inspect');
    assert.equal(p['probe.dls.microsoft.com']!.tls, undefined, 'port-80 rows have no certificate');
  });

  it('reads UTF-16 as Export-Csv in Windows PowerShell writes it', () => {
    assert.equal(Object.keys(probes(decodeText(powerShellUtf16(TEXT), 'c.csv'))).length, 4);
  });

  it('malformed: no header, unknown statuses, only skipped rows', () => {
    assert.throws(() => connectivityCsvParser.parse('"a","b"\n', pastedInput('c.csv')), ParseError);
    const r = connectivityCsvParser.parse([HEADER, row('1', 'pas.windows.net', '443', 'F', 'Maybe', '', '', '', '', '')].join('\n'), pastedInput('c.csv'));
    assert.equal(r.observations.length, 0);
    assert.match(r.warnings![0]!, /pas\.windows\.net: unknown status "Maybe"/);
    const skipped = connectivityCsvParser.parse([HEADER, row('1', '*.x.com', '443', 'F', 'Skipped', '', '', '', '', '')].join('\n'), pastedInput('c.csv'));
    assert.match(skipped.warnings![0]!, /no tested endpoint rows/);
  });

  it('CSV fields: quotes, doubled quotes, empty and unquoted fields', () => {
    assert.deepEqual(csvFields('"a","b ""c""",,d'), ['a', 'b "c"', '', 'd']);
    assert.deepEqual(csvFields('x'), ['x']);
    assert.deepEqual(csvFields('"unterminated'), ['unterminated']);
  });
});
