import { strict as assert } from 'node:assert';
import { classifyError, classifyErrors, ERROR_CLASSES, ERROR_HINT, LAYER_ORDER } from './error-taxonomy';
import { plainText } from '../parsers/logs/plain';

describe('error taxonomy', () => {
  for (const row of ERROR_CLASSES) {
    it(`${row.layer} (${row.family}): ${row.meaning}`, () => {
      assert.ok(row.examples.length > 0, 'each row has examples');
      for (const ex of row.examples) {
        assert.ok(row.re.test(ex), `row pattern matches: ${ex}`);
        assert.equal(classifyError(ex)?.layer, row.layer, `classified as ${row.layer}: ${ex}`);
        assert.ok(ERROR_HINT.test(ex), `the prefilter admits: ${ex}`);
      }
    });
  }

  it('the most specific layer wins: a proxy failure is not the endpoint\'s timeout or refusal', () => {
    const text = 'Get "https://gbl.his.arc.azure.com/": proxyconnect tcp: dial tcp 10.0.0.1:3128: i/o timeout';
    assert.deepEqual(classifyErrors(text).map((m) => m.layer), ['proxy-connect', 'tcp-timeout']);
    assert.equal(classifyError('x509: certificate signed by unknown authority; SEC_E_UNTRUSTED_ROOT')?.layer, 'tls-untrusted-root');
    assert.equal(classifyError('curl: (28) Failed to connect to pas.windows.net port 443 after 21045 ms: Connection refused')?.layer, 'tcp-refused');
  });

  it('a lookup whose resolver refused or timed out is DNS, not the endpoint\'s refusal', () => {
    assert.deepEqual(classifyErrors('dial tcp: lookup gbl.his.arc.azure.com on 127.0.0.53:53: read udp 127.0.0.1:40000->127.0.0.53:53: read: connection refused').map((m) => m.layer), ['dns', 'tcp-refused']);
    assert.equal(classifyError('dial tcp: lookup pas.windows.net on [fd00::1]:53: dial udp [fd00::1]:53: connect: network is unreachable')?.layer, 'dns');
    // The endpoint's own address refusing stays a refusal.
    assert.equal(classifyError('dial tcp 20.50.2.1:443: connect: connection refused')?.layer, 'tcp-refused');
  });

  it('HTTP statuses carry their number; a 407 is the proxy\'s', () => {
    assert.deepEqual(classifyErrors('The remote server returned an error: (503) Server Unavailable.').map((m) => [m.layer, m.status]), [['http-status', 503]]);
    assert.deepEqual(classifyErrors('The remote server returned an error: (407) Proxy Authentication Required.').map((m) => m.layer), ['proxy-auth', 'http-status']);
  });

  it('text without an error is not classified (negative controls)', () => {
    for (const ok of [
      'Connectivity test passed', 'https://gbl.his.arc.azure.com is available, using cryptographic protocol: TLS 1.3',
      'Heartbeat sent Status=200', 'EOFY report', 'the hostname is SRV01', 'Resetting the counter', 'status 200 OK',
    ]) assert.equal(classifyError(ok), undefined, ok);
  });

  it('every layer has at least one row, and rows are in the layer order', () => {
    for (const layer of LAYER_ORDER) assert.ok(ERROR_CLASSES.some((r) => r.layer === layer), layer);
  });
});

describe('error taxonomy in free text', () => {
  it('the free-text grammar looks at every line a taxonomy example is on', () => {
    for (const row of ERROR_CLASSES) for (const ex of row.examples) {
      plainText.candidates.lastIndex = 0;
      assert.ok(plainText.candidates.test(ex), ex);
    }
    plainText.candidates.lastIndex = 0;
  });
});
