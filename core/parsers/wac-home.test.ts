import { strict as assert } from 'node:assert';
import { wacHomeParser } from './wac-home';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';


const HOME = "You've found the Windows Admin Center in Azure APIs' home page. Please use the Azure portal to manage your virtual machines with Windows Admin Center.";
const CERT = 'Microsoft Certificate and DNS service for Windows Admin Center in the Azure Portal';
const IRM = 'PS C:\\> Invoke-RestMethod -Method GET -Uri https://wac.azure.com';

describe('WAC home probe parser', () => {
  it('reads the documented success text', () => {
    const text = fixtureText('wac-home-ok.txt');
    assert.equal(wacHomeParser.detect(text), 95);
    assert.equal(detectParser(text), wacHomeParser);
    const r = wacHomeParser.parse(text, pastedInput('ok.txt'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.observations.map((o) => o.name), ['probe.wac.azure.com']);
    assert.deepEqual(r.observations[0]!.value, {
      host: 'wac.azure.com', port: 443, url: 'https://wac.azure.com', http: { status: 200, body: HOME }, reachable: true,
    });
    assert.deepEqual(r.observations[0]!.evidence, [{ source: 'pasted', path: 'ok.txt', line: 2, excerpt: HOME }]);
  });

  it('reads the PowerShell 5.1 name-resolution error, also from UTF-16LE', () => {
    const text = fixtureText('wac-home-dns-error.txt');
    const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('wac-home-dns-error.txt').toString('utf8')), 'dns.txt');
    for (const t of [text, fromUtf16]) {
      assert.equal(detectParser(t), wacHomeParser);
      const r = wacHomeParser.parse(t, pastedInput('dns.txt'));
      assert.deepEqual(observationRows(r), [['probe.wac.azure.com', {
        host: 'wac.azure.com', port: 443, url: 'https://wac.azure.com',
        error: "The remote name could not be resolved: 'wac.azure.com'", reachable: false, dns: { status: 'nxdomain', addresses: [] },
      }, 2]]);
    }
  });

  it('reads the v3 regional probe, and two probes pasted together', () => {
    const text = [
      'PS C:\\> Invoke-RestMethod -Method GET -Uri https://westeurope.service.waconazure.com', CERT,
      IRM, 'Invoke-RestMethod : The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.',
      'At line:1 char:1',
    ].join('\n');
    assert.equal(detectParser(text), wacHomeParser);
    assert.deepEqual(observationRows(wacHomeParser.parse(text, pastedInput('two.txt'))), [
      ['probe.westeurope.service.waconazure.com', {
        host: 'westeurope.service.waconazure.com', port: 443, url: 'https://westeurope.service.waconazure.com', http: { status: 200, body: CERT }, reachable: true,
      }, 2],
      ['probe.wac.azure.com', {
        host: 'wac.azure.com', port: 443, url: 'https://wac.azure.com', reachable: false,
        error: 'The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.',
        tls: { ok: false, error: 'The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.' },
      }, 4],
    ]);
  });

  it('classifies proxy authentication, connection and timeout errors', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['Invoke-RestMethod : The remote server returned an error: (407) Proxy Authentication Required.',
        { http: { status: 407, error: 'The remote server returned an error: (407) Proxy Authentication Required.' } }],
      ['Invoke-RestMethod : Unable to connect to the remote server',
        { tcp: { ok: false, error: 'Unable to connect to the remote server' } }],
      ['Invoke-RestMethod : The operation has timed out.', {}],
    ];
    for (const [line, extra] of cases) {
      const r = wacHomeParser.parse(`${IRM}\n${line}\nAt line:1 char:1\n`, pastedInput('e.txt'));
      const error = line.replace(/^Invoke-RestMethod : /, '');
      assert.deepEqual(r.observations[0]!.value, { host: 'wac.azure.com', port: 443, url: 'https://wac.azure.com', error, reachable: false, ...extra }, line);
    }
  });

  it('does not blame the endpoint DNS when the proxy name does not resolve', () => {
    const r = wacHomeParser.parse(`${IRM}\nInvoke-RestMethod : The proxy name could not be resolved: 'proxy.contoso.local'\n`, pastedInput('p.txt'));
    const v = r.observations[0]!.value as unknown as Record<string, unknown>;
    assert.equal(v['host'], 'wac.azure.com');
    assert.equal(v['dns'], undefined);
    assert.equal(v['error'], "The proxy name could not be resolved: 'proxy.contoso.local'");
  });

  it('reads PowerShell 7 errors, concise and from a script', () => {
    const concise = wacHomeParser.parse('Invoke-RestMethod: No such host is known. (wac.azure.com:443)\n', pastedInput('7.txt'));
    assert.deepEqual(observationRows(concise), [['probe.wac.azure.com', {
      host: 'wac.azure.com', port: 443, url: 'https://wac.azure.com', error: 'No such host is known. (wac.azure.com:443)', reachable: false,
      dns: { status: 'nxdomain', addresses: [] },
    }, 1]]);
    const script = [
      'Invoke-RestMethod: C:\\probe.ps1:1', 'Line |', '   1 |  Invoke-RestMethod -Method GET -Uri https://northeurope.service.waconazure.com',
      '     |  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~', '     | The SSL connection could not be established, see inner exception.',
    ].join('\n');
    assert.equal(detectParser(script), wacHomeParser);
    const v = wacHomeParser.parse(script, pastedInput('7.txt')).observations[0]!.value as unknown as Record<string, unknown>;
    assert.equal(v['host'], 'northeurope.service.waconazure.com');
    assert.equal(v['error'], 'The SSL connection could not be established, see inner exception.');
    assert.deepEqual(v['tls'], { ok: false, error: 'The SSL connection could not be established, see inner exception.' });
  });

  it('reads curl output', () => {
    const ok = wacHomeParser.parse(`${HOME}\n`, pastedInput('c.txt'));
    assert.deepEqual(observationRows(ok), [['probe.wac.azure.com', { host: 'wac.azure.com', port: 443, url: 'https://wac.azure.com', http: { status: 200, body: HOME }, reachable: true }, 1]]);

    const dns = wacHomeParser.parse('$ curl -sS https://wac.azure.com\ncurl: (6) Could not resolve host: wac.azure.com\n', pastedInput('c.txt'));
    assert.deepEqual((dns.observations[0]!.value as unknown as Record<string, unknown>)['dns'], { status: 'nxdomain', addresses: [] });
    assert.equal(dns.observations[0]!.evidence[0]!.line, 2);

    const timeout = wacHomeParser.parse('curl: (28) Failed to connect to wac.azure.com port 443 after 21045 ms: Timed out\n', pastedInput('c.txt'));
    assert.deepEqual(timeout.observations[0]!.value, {
      host: 'wac.azure.com', port: 443, url: 'https://wac.azure.com', reachable: false,
      error: 'curl: (28) Failed to connect to wac.azure.com port 443 after 21045 ms: Timed out',
      tcp: { ok: false, error: 'curl: (28) Failed to connect to wac.azure.com port 443 after 21045 ms: Timed out' },
    });

    const tls = [
      'C:\\> curl.exe -sS https://westeurope.service.waconazure.com',
      'curl: (60) SSL certificate problem: unable to get local issuer certificate',
      'More details here: https://curl.se/docs/sslcerts.html',
    ].join('\n');
    const v = wacHomeParser.parse(tls, pastedInput('c.txt')).observations[0]!.value as unknown as Record<string, unknown>;
    assert.equal(v['host'], 'westeurope.service.waconazure.com');
    assert.deepEqual(v['tls'], { ok: false, error: 'curl: (60) SSL certificate problem: unable to get local issuer certificate' });
  });

  it('warns, and does not guess a host (curl.se), when the output does not name it', () => {
    const noHost = 'curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.se/docs/sslcerts.html\n';
    const r = wacHomeParser.parse(noHost, pastedInput('c.txt'));
    assert.deepEqual(r.observations, []);
    assert.match(r.warnings![0]!, /does not say which URL was probed/);
    assert.deepEqual(wacHomeParser.parse(`${CERT}\n`, pastedInput('c.txt')).observations, []);
  });

  it('does not claim other outputs', () => {
    for (const f of ['test-netconnection.txt', 'get-service.txt', 'az-machine-show.json', 'reg-query-sme.txt']) assert.equal(wacHomeParser.detect(fixtureText(f)), 0, f);
  });

  it('throws ParseError when there is no probe output at all', () => {
    assert.throws(() => wacHomeParser.parse('nothing to see\n', pastedInput('x.txt')), (err: unknown) => err instanceof ParseError && /Invoke-RestMethod/.test(err.message));
  });
});
