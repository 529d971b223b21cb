import { strict as assert } from 'node:assert';
import { testNetConnectionParser } from './test-netconnection';
import { detectParser } from '../sources/pasted';
import { PASTED_PARSERS } from './index';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';

/** Until the lead registers the parser, detection is checked against the registered ones plus this one. */
const WITH_TNC = [...PASTED_PARSERS.filter((p) => p.id !== testNetConnectionParser.id), testNetConnectionParser];

describe('Test-NetConnection parser', () => {
  const text = fixtureText('test-netconnection.txt');

  it('is detected, ahead of every registered parser', () => {
    assert.equal(testNetConnectionParser.detect(text), 95);
    assert.equal(detectParser(text, WITH_TNC), testNetConnectionParser);
  });

  it('reads a success and a TCP failure, with the TcpTestSucceeded line as evidence', () => {
    const r = testNetConnectionParser.parse(text, pastedInput('tnc.txt'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(observationRows(r), [
      ['probe.pas.windows.net', {
        host: 'pas.windows.net', port: 443, dns: { status: 'ok', addresses: ['20.190.160.1'], private: false }, private: false,
        tcp: { ok: true }, reachable: true,
      }, 9],
      ['probe.westeurope.service.waconazure.com', {
        host: 'westeurope.service.waconazure.com', port: 443, dns: { status: 'ok', addresses: ['52.157.12.34'], private: false }, private: false,
        tcp: { ok: false, error: 'TCP connect to (52.157.12.34 : 443) failed' }, reachable: false, error: 'TCP connect to (52.157.12.34 : 443) failed',
      }, 25],
    ]);
    assert.deepEqual(r.observations[0]!.evidence, [{ source: 'pasted', path: 'tnc.txt', line: 9, excerpt: 'TcpTestSucceeded : True' }]);
  });

  it('reads the same from UTF-16LE', () => {
    const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('test-netconnection.txt').toString('utf8')), 'tnc.txt');
    assert.equal(detectParser(fromUtf16, WITH_TNC), testNetConnectionParser);
    assert.deepEqual(testNetConnectionParser.parse(fromUtf16, pastedInput('tnc.txt')).observations, testNetConnectionParser.parse(text, pastedInput('tnc.txt')).observations);
  });

  it('reads a name-resolution failure as nxdomain', () => {
    const t = [
      'WARNING: Name resolution of westeurope.service.waconazure.com failed', '',
      'ComputerName   : westeurope.service.waconazure.com', 'RemoteAddress  :', 'InterfaceAlias :', 'SourceAddress  :', 'PingSucceeded  : False', '',
    ].join('\n');
    assert.equal(detectParser(t, WITH_TNC), testNetConnectionParser);
    const r = testNetConnectionParser.parse(t, pastedInput('n.txt'));
    assert.deepEqual(r.warnings, [
      'line 3: westeurope.service.waconazure.com has no RemotePort (Test-NetConnection without -Port only pings); recording name resolution only, as port 443',
    ]);
    assert.deepEqual(observationRows(r), [['probe.westeurope.service.waconazure.com', {
      host: 'westeurope.service.waconazure.com', port: 443, dns: { status: 'nxdomain', addresses: [] }, reachable: false,
      error: 'Name resolution of westeurope.service.waconazure.com failed',
    }, 1]]);
  });

  it('flags private answers and reads NameResolutionResults (-InformationLevel Detailed)', () => {
    const t = [
      'ComputerName            : gbl.his.arc.azure.com', 'RemoteAddress           : 10.40.0.5', 'RemotePort              : 443',
      'NameResolutionResults   : 10.40.0.5', '                          10.40.0.6', 'MatchingIPsecRules      :', 'InterfaceAlias          : Ethernet',
      'SourceAddress           : 10.40.1.20', 'NetRoute (NextHop)      : 10.40.1.1', 'TcpTestSucceeded        : True', '',
    ].join('\n');
    const r = testNetConnectionParser.parse(t, pastedInput('d.txt'));
    assert.deepEqual(observationRows(r), [['probe.gbl.his.arc.azure.com', {
      host: 'gbl.his.arc.azure.com', port: 443, dns: { status: 'ok', addresses: ['10.40.0.5', '10.40.0.6'], private: true }, private: true,
      tcp: { ok: true }, reachable: true,
    }, 10]]);
  });

  it('records a host given as an IP without DNS facts', () => {
    const t = 'ComputerName     : 20.190.160.1\nRemoteAddress    : 20.190.160.1\nRemotePort       : 443\nInterfaceAlias   : Ethernet\nSourceAddress    : 10.20.1.15\nTcpTestSucceeded : False\n';
    assert.deepEqual(testNetConnectionParser.parse(t, pastedInput('ip.txt')).observations[0]!.value, {
      host: '20.190.160.1', port: 443, tcp: { ok: false, error: 'TCP connect failed' }, reachable: false, error: 'TCP connect failed',
    });
  });

  it('is not claimed by registered parsers, and does not claim their outputs', () => {
    assert.equal(detectParser(text, PASTED_PARSERS.filter((p) => p.id !== testNetConnectionParser.id)), undefined);
    for (const f of ['wac-home-ok.txt', 'get-itemproperty-sme.txt', 'get-service.txt', 'sc-query-himds.txt']) {
      assert.equal(testNetConnectionParser.detect(fixtureText(f)), 0, f);
    }
  });

  it('throws ParseError for warnings without any result block', () => {
    const bad = 'WARNING: TCP connect to (20.190.160.1 : 443) failed\n';
    assert.ok(testNetConnectionParser.detect(bad) > 0);
    assert.throws(() => testNetConnectionParser.parse(bad, pastedInput('b.txt')), (err: unknown) => err instanceof ParseError && /ComputerName : <host>/.test(err.message));
  });
});
