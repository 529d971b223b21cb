import { strict as assert } from 'node:assert';
import {
  describeBody, expectedBody, isPrivateAddress, isPrivateProbe, isPublicProbe, probeVerdict,
} from './probe-verdict';
import type { EndpointProbe } from '../../core/model/facts';
import { WAC_HOME_TEXT } from '../../core/catalog/probe-answers';

const HOME = `You've found the ${WAC_HOME_TEXT}. Please use the Azure portal to manage your virtual machines with Windows Admin Center.`;
const p = (host: string, extra: Partial<EndpointProbe>): EndpointProbe => ({ host, port: 443, ...extra });

describe('support probe-verdict', () => {
  it('passes a probe whose layers all worked, naming what was seen', () => {
    const v = probeVerdict(p('wac.azure.com', {
      dns: { status: 'ok', addresses: ['20.50.2.1'] }, tcp: { ok: true }, tls: { ok: true, protocol: 'TLS 1.3' }, http: { status: 200, body: HOME },
    }));
    assert.deepEqual(v, { state: 'ok', ok: true, reason: 'DNS ok (20.50.2.1), TCP 443 ok, TLS ok (TLS 1.3), HTTP 200 with the expected page' });
  });

  it('reports the first failing layer', () => {
    assert.deepEqual(probeVerdict(p('wac.azure.com', { dns: { status: 'nxdomain', addresses: [], resolver: '10.0.0.2' }, tcp: { ok: false } })),
      { state: 'failed', ok: false, layer: 'dns', reason: 'DNS NXDOMAIN via 10.0.0.2' });
    assert.equal(probeVerdict(p('pas.windows.net', { tcp: { ok: false, error: 'i/o timeout' } })).reason, 'TCP connection to port 443 failed: i/o timeout');
    // EOF or a reset: the connection was made, then closed (a device on the path, usually), which is not a failed connect.
    assert.deepEqual(probeVerdict(p('pas.windows.net', { tcp: { ok: false, error: 'Get "https://pas.windows.net": EOF' }, layer: 'reset' })),
      { state: 'failed', ok: false, layer: 'tcp', reason: 'the connection to port 443 was reset or closed by the peer: Get "https://pas.windows.net": EOF' });
    assert.equal(probeVerdict(p('pas.windows.net', { tcp: { ok: true }, tls: { ok: false, error: 'remote error: handshake failure' } })).reason,
      'TLS handshake failed: remote error: handshake failure');
    assert.equal(probeVerdict(p('pas.windows.net', { http: { error: 'socket hang up' } })).layer, 'http');
    assert.match(probeVerdict(p('pas.windows.net', { http: { status: 407, error: 'The remote server returned an error: (407)' } })).reason, /^HTTP 407 Proxy Authentication Required/);
  });

  it('borrows the reported error when a layer has none (as the wac-home parser records it)', () => {
    const v = probeVerdict(p('wac.azure.com', { dns: { status: 'nxdomain', addresses: [] }, reachable: false, error: 'No such host is known. (wac.azure.com:443)' }));
    assert.equal(v.reason, 'DNS NXDOMAIN: No such host is known. (wac.azure.com:443)');
  });

  it('uses the reported error or reachable=false when no layer detail exists', () => {
    assert.deepEqual(probeVerdict(p('pas.windows.net', { reachable: false, error: 'dial tcp: lookup pas.windows.net: no such host' })),
      { state: 'failed', ok: false, layer: 'reported', reason: 'dial tcp: lookup pas.windows.net: no such host' });
    assert.equal(probeVerdict(p('pas.windows.net', { reachable: false, proxy: 'set' })).reason, 'reported unreachable (proxy set)');
    assert.deepEqual(probeVerdict(p('pas.windows.net', { reachable: true })), { state: 'ok', ok: true, reason: 'reachable' });
  });

  it('fails a documented probe answered by something else, quoting its title', () => {
    const v = probeVerdict(p('wac.azure.com', { tls: { ok: true }, http: { status: 403, body: '<html><title>Access Denied by Contoso Web Filter</title><body>blocked</body></html>' } }));
    assert.equal(v.state, 'failed');
    assert.equal(v.layer, 'body');
    assert.match(v.reason, /^HTTP 403 with "Access Denied by Contoso Web Filter" instead of the expected "Windows Admin Center in Azure APIs' home page" text/);
  });

  it('accepts the home page with typographic quotes and the regional certificate service text', () => {
    assert.equal(probeVerdict(p('wac.azure.com', { http: { status: 200, body: HOME.replace("APIs'", 'APIs\u2019') } })).state, 'ok');
    assert.equal(probeVerdict(p('westeurope.service.waconazure.com', {
      http: { status: 200, body: 'Microsoft Certificate and DNS service for Windows Admin Center in the Azure Portal' },
    })).state, 'ok');
    assert.equal(probeVerdict(p('westeurope.service.waconazure.com', { http: { status: 200, body: 'hello' } })).state, 'failed');
  });

  it('does not check bodies of hosts without a documented answer', () => {
    assert.equal(expectedBody('pas.windows.net'), undefined);
    assert.equal(probeVerdict(p('pas.windows.net', { http: { status: 404, body: 'Not Found' } })).state, 'ok');
  });

  it('says unknown when the probe has no result', () => {
    assert.deepEqual(probeVerdict(p('wac.azure.com', {})), { state: 'unknown', ok: false, reason: 'no result recorded' });
  });

  it('describes bodies briefly', () => {
    assert.equal(describeBody('   '), 'an empty body');
    assert.equal(describeBody('x'.repeat(100), 10), `"${'x'.repeat(10)}..."`);
  });

  it('classifies private and public answers', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.1', '192.168.1.1', '127.0.0.1', '169.254.1.1', '::1', 'fd00::1', 'fe80::1']) assert.ok(isPrivateAddress(a), a);
    for (const a of ['20.50.2.1', '172.32.0.1', '8.8.8.8', '2603:1030::1']) assert.ok(!isPrivateAddress(a), a);
    assert.ok(isPrivateProbe(p('gbl.his.arc.azure.com', { private: true })));
    assert.ok(isPrivateProbe(p('gbl.his.arc.azure.com', { dns: { status: 'ok', addresses: ['10.0.0.4'] } })));
    assert.ok(isPublicProbe(p('gbl.his.arc.azure.com', { dns: { status: 'ok', addresses: ['20.50.2.1'] } })));
    assert.ok(isPublicProbe(p('gbl.his.arc.azure.com', { private: false })));
    assert.ok(!isPublicProbe(p('gbl.his.arc.azure.com', { reachable: true })));
  });
});
