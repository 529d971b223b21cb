import { strict as assert } from 'node:assert';
import { getTlsCipherSuiteParser as parser } from './get-tls-cipher-suite';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';

const ALL = [
  'TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
];

describe('Get-TlsCipherSuite parser', () => {
  it('reads the default (list) output in order, with the first Name line as evidence', () => {
    const text = fixtureText('get-tls-cipher-suite.txt');
    assert.equal(detectParser(text), parser);
    const r = parser.parse(text, pastedInput('suites.txt'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(observationRows(r), [['tls.cipherSuites', ALL, 16]]);
  });

  it('reads the same from UTF-16LE with a BOM (PowerShell 5.1 > file) and without one', () => {
    const utf8 = fixtureBuffer('get-tls-cipher-suite.txt').toString('utf8');
    const withBom = decodeText(powerShellUtf16(utf8), 'suites.txt');
    const noBom = decodeText(Buffer.from(utf8.replace(/\n/g, '\r\n'), 'utf16le'), 'suites.txt');
    for (const text of [withBom, noBom]) {
      assert.equal(detectParser(text), parser);
      assert.deepEqual(parser.parse(text, pastedInput('suites.txt')).observations[0]!.value, ALL);
    }
  });

  it('reads Format-List Name and Format-Table Name', () => {
    const list = 'PS C:\\> Get-TlsCipherSuite | Format-List Name\n\nName : TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384\n\nName : TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256\n\n';
    assert.equal(detectParser(list), parser);
    assert.deepEqual(observationRows(parser.parse(list, pastedInput('l.txt'))), [
      ['tls.cipherSuites', ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'], 3],
    ]);
    const table = [
      'PS C:\\> Get-TlsCipherSuite | Format-Table Name, CipherSuite', '',
      'Name                                    CipherSuite',
      '----                                    -----------',
      'TLS_AES_256_GCM_SHA384                         4866',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256         49199', '',
    ].join('\r\n');
    const decoded = decodeText(Buffer.from(table), 't.txt');
    assert.equal(detectParser(decoded), parser);
    assert.deepEqual(observationRows(parser.parse(decoded, pastedInput('t.txt'))), [
      ['tls.cipherSuites', ['TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'], 5],
    ]);
  });

  it('reads ConvertTo-Json: full objects, Select-Object Name, -ExpandProperty Name and a single suite', () => {
    const full = JSON.stringify([
      { KeyType: 0, Certificate: 'RSA', MaximumExchangeLength: 65536, MinimumExchangeLength: 0, Exchange: 'ECDH', HashLength: 0, Hash: '', CipherBlockLength: 16, CipherLength: 256, BaseCipherSuite: 49200, CipherSuite: 49200, Cipher: 'AES', Name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', Protocols: [771, 65277] },
    ], null, 4);
    assert.equal(detectParser(full), parser);
    const r = parser.parse(full, pastedInput('j.json'));
    assert.deepEqual(observationRows(r), [['tls.cipherSuites', ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'], 15]]);
    const names = JSON.stringify([{ Name: 'TLS_AES_128_GCM_SHA256' }, { Name: 'TLS_RSA_WITH_AES_256_CBC_SHA' }], null, 4);
    assert.equal(detectParser(names), parser);
    assert.deepEqual(parser.parse(names, pastedInput('n.json')).observations[0]!.value, ['TLS_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_CBC_SHA']);
    const expanded = '[\n    "TLS_AES_256_GCM_SHA384",\n    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"\n]\n';
    assert.equal(detectParser(expanded), parser);
    assert.deepEqual(parser.parse(expanded, pastedInput('e.json')).observations[0]!.value, ['TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
    const one = '"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"\n';
    assert.equal(detectParser(one), parser);
    assert.deepEqual(parser.parse(one, pastedInput('o.json')).observations[0]!.value, ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']);
    const single = JSON.stringify({ Name: 'TLS_AES_256_GCM_SHA384', CipherSuite: 4866 }, null, 4);
    assert.deepEqual(parser.parse(single, pastedInput('s.json')).observations[0]!.value, ['TLS_AES_256_GCM_SHA384']);
  });

  it('warns on entries that are not suite names and refuses input without any', () => {
    const mixed = 'Name : TLS_AES_256_GCM_SHA384\n\nName : not-a-suite\n';
    const r = parser.parse(mixed, pastedInput('m.txt'));
    assert.deepEqual(r.observations[0]!.value, ['TLS_AES_256_GCM_SHA384']);
    assert.deepEqual(r.warnings, ['line 3: "not-a-suite" is not a cipher suite name']);
    assert.throws(() => parser.parse('Name : himds\n', pastedInput('x.txt')), ParseError);
    assert.throws(() => parser.parse('[{"Name": "himds"}]', pastedInput('x.json')), /without any cipher suite Name/);
    assert.throws(() => parser.parse('[{"Name": "TLS_AES_256_GCM_SHA384"', pastedInput('x.json')), ParseError);
    assert.throws(() => parser.parse('"TLS_AES_256', pastedInput('x.json')), ParseError);
    assert.equal(parser.detect('Name : himds\nStatus : Running\n'), 0);
    assert.equal(parser.detect('{"name":"TLS_AES_256_GCM_SHA384"}'.toUpperCase().replace('NAME', 'Nom')), 0);
  });

  it('runs in linear time on long hostile lines', () => {
    const start = Date.now();
    parser.detect(`Name${' '.repeat(100_000)}:${' '.repeat(100_000)}x`);
    parser.detect(`${' '.repeat(200_000)}"TLS_`);
    parser.detect(`Name\n----\n${'TLS_A'.repeat(50_000)}`);
    assert.throws(() => parser.parse(`Name : ${'TLS_'.repeat(50_000)}!`, pastedInput('x.txt')), ParseError);
    assert.ok(Date.now() - start < 1000);
  });
});
