import { strict as assert } from 'node:assert';
import { Deadline } from '../../core/sources/live/deadline';
import { relayHosts } from '../../core/sources/live/endpoints';
import { probeEndpoint, probeLocalHttps, type NetworkContext } from '../../core/sources/live/network';
import { parseConnectTo } from '../../core/sources/live/options';
import { chooseProxy, proxyProbeFrom } from '../../core/sources/live/proxy';
import { probeVerdict } from '../../rules/support/probe-verdict';
import { TestPki, type Authority } from './harness/certs';
import { TestDnsServer } from './harness/dns-server';
import { Blackhole, closedPort, SilentTlsServer, TestHttpsServer, TestProxy } from './harness/servers';

const HOME = "You've found the Windows Admin Center in Azure APIs' home page. Please use the Azure portal to manage your virtual machines with Windows Admin Center.";

describe('live network probes (loopback TLS, DNS and proxies)', function () {
  this.timeout(20000);
  let pki: TestPki;
  let trusted: Authority;
  let inspection: Authority;
  let https: TestHttpsServer;
  let dns: TestDnsServer;
  let blackhole: Blackhole;
  let silent: SilentTlsServer;

  before(async () => {
    pki = await TestPki.create();
    [trusted, inspection] = await Promise.all([pki.authority('WAC Doctor Test Root CA'), pki.authority('Contoso TLS Inspection CA')]);
    const [wac, pas, expired, mismatch, fallback, silentLeaf] = await Promise.all([
      trusted.issue('wac.azure.com', ['wac.azure.com', '*.wac.azure.com']),
      inspection.issue('pas.windows.net', ['pas.windows.net']),
      trusted.issue('management.azure.com', ['management.azure.com'], { start: new Date('2020-01-01T00:00:00Z'), end: new Date('2020-02-01T00:00:00Z') }),
      trusted.issue('other.example', ['other.example']),
      trusted.issue('fallback.example', ['fallback.example']),
      trusted.issue('silent.example', ['silent.example']),
    ]);
    https = await new TestHttpsServer({
      'wac.azure.com': { leaf: wac, respond: () => ({ status: 200, body: HOME }) },
      // A re-signing proxy sends its own CA along with the forged leaf.
      'pas.windows.net': { leaf: { key: pas.key, cert: pas.cert + inspection.pem }, respond: () => ({ status: 403, body: '<html><title>Blocked by Contoso Web Filter</title></html>' }) },
      'management.azure.com': { leaf: expired },
      'login.microsoftonline.com': { leaf: mismatch },
    }, fallback).start();
    dns = await new TestDnsServer({
      'wac.azure.com': { kind: 'answer', cname: ['wac-prod.trafficmanager.net'], addresses: ['20.50.2.1'] },
      'pas.windows.net': { kind: 'answer', addresses: ['20.190.1.1'] },
      'management.azure.com': { kind: 'answer', addresses: ['20.37.1.1'] },
      'login.microsoftonline.com': { kind: 'answer', addresses: ['20.190.2.2'] },
      'blackhole.example': { kind: 'answer', addresses: ['20.1.1.1'] },
      'silent.example': { kind: 'answer', addresses: ['20.1.1.2'] },
      'nx.example': { kind: 'nxdomain' },
      'quiet.example': { kind: 'silent' },
    }).start();
    blackhole = await new Blackhole().start();
    silent = await new SilentTlsServer(silentLeaf).start();
  });
  after(async () => {
    await Promise.all([https?.stop(), dns?.stop(), blackhole?.stop(), silent?.stop()]);
    await pki?.dispose();
  });

  function context(ms = 3000, extra: Partial<NetworkContext> = {}): NetworkContext {
    return {
      deadline: new Deadline(ms),
      resolvers: [{ address: '127.0.0.1', port: dns.port }],
      hosts: new Map(),
      overrides: [
        parseConnectTo(`blackhole.example:443:127.0.0.1:${blackhole.port}`),
        parseConnectTo(`silent.example:443:127.0.0.1:${silent.port}`),
        parseConnectTo(`::127.0.0.1:${https.port}`),
      ],
      proxy: Promise.resolve(undefined),
      ca: [trusted.pem],
      ...extra,
    };
  }

  it('passes a trusted chain with the WAC home page, with every layer recorded', async () => {
    const { record } = await probeEndpoint({ host: 'wac.azure.com', port: 443, path: '/' }, context());
    assert.equal(record.dns?.status, 'ok');
    assert.deepEqual(record.dns?.cname, ['wac-prod.trafficmanager.net']);
    assert.deepEqual(record.dns?.addresses, ['20.50.2.1']);
    assert.equal(record.private, false);
    assert.equal(record.tcp?.ok, true);
    assert.equal(record.address, `127.0.0.1:${https.port}`);
    assert.equal(record.tls?.ok, true);
    assert.equal(record.tls?.trustedPublicCa, true);
    assert.equal(record.tls?.hostnameMatch, true);
    assert.equal(record.tls?.issuer, 'WAC Doctor Test Root CA');
    assert.equal(record.tls?.subject, 'wac.azure.com');
    assert.match(record.tls?.protocol ?? '', /^TLS 1\.[23]$/);
    assert.ok(record.tls?.cipher);
    assert.ok(Date.parse(record.tls?.validTo ?? '') > Date.now());
    assert.equal(record.http?.status, 200);
    assert.equal(record.http?.body, HOME);
    assert.equal(probeVerdict(record).state, 'ok');
    // SNI and Host carried the endpoint's name, not the address it was sent to.
    assert.deepEqual(https.requests.find((r) => r.host === 'wac.azure.com'), { host: 'wac.azure.com', path: '/', sni: 'wac.azure.com' });
  });

  it('recognizes an interception chain by its issuer, and a block page by its body', async () => {
    const { record } = await probeEndpoint({ host: 'pas.windows.net', port: 443, path: '/' }, context());
    assert.equal(record.tls?.ok, false);
    assert.equal(record.tls?.trustedPublicCa, false);
    assert.equal(record.tls?.issuer, 'Contoso TLS Inspection CA');
    assert.match(record.tls?.error ?? '', /self-signed certificate in certificate chain/);
    assert.deepEqual(record.tls?.chain, ['Contoso TLS Inspection CA', 'Contoso TLS Inspection CA']);
    assert.equal(record.http?.status, 403);
    assert.match(record.http?.body ?? '', /Contoso Web Filter/);
  });

  it('reports an expired certificate from a trusted root as expired, not as interception', async () => {
    const { record } = await probeEndpoint({ host: 'management.azure.com', port: 443 }, context());
    assert.equal(record.tls?.ok, false);
    assert.equal(record.tls?.trustedPublicCa, true);
    assert.equal(record.tls?.validTo, '2020-02-01T00:00:00.000Z');
    assert.match(record.tls?.error ?? '', /certificate has expired/);
    assert.equal(record.http, undefined, 'no GET without a path');
  });

  it('reports a name mismatch', async () => {
    const { record } = await probeEndpoint({ host: 'login.microsoftonline.com', port: 443 }, context());
    assert.equal(record.tls?.hostnameMatch, false);
    assert.equal(record.tls?.subject, 'other.example');
    assert.equal(record.tls?.trustedPublicCa, true);
    assert.match(record.tls?.error ?? '', /does not match the host name/);
  });

  it('gives up on a blackhole at the deadline, naming the layer', async () => {
    const started = Date.now();
    const [tlsHole, httpHole] = await Promise.all([
      probeEndpoint({ host: 'blackhole.example', port: 443 }, context(800)),
      probeEndpoint({ host: 'silent.example', port: 443, path: '/' }, context(800)),
    ]);
    const took = Date.now() - started;
    assert.ok(took < 800 + 400, `took ${took} ms`);
    assert.equal(tlsHole.record.tcp?.ok, true);
    assert.equal(tlsHole.record.tls?.ok, false);
    assert.match(tlsHole.record.tls?.error ?? '', /timed out after \d+ ms waiting for the TLS handshake/);
    assert.equal(httpHole.record.tls?.ok, true);
    assert.match(httpHole.record.http?.error ?? '', /timed out after \d+ ms waiting for the HTTP answer/);
    assert.ok(blackhole.accepted >= 1);
  });

  it('records a DNS failure without connecting, and a refused port', async () => {
    const { record: nx } = await probeEndpoint({ host: 'nx.example', port: 443 }, { ...context(), overrides: [] });
    assert.equal(nx.dns?.status, 'nxdomain');
    assert.equal(nx.tcp, undefined);
    assert.equal(probeVerdict(nx).layer, 'dns');
    const port = await closedPort();
    const { record: refused } = await probeEndpoint({ host: 'wac.azure.com', port: 443 }, { ...context(), overrides: [parseConnectTo(`wac.azure.com:443:127.0.0.1:${port}`)] });
    assert.equal(refused.tcp?.ok, false);
    assert.match(refused.tcp?.error ?? '', /ECONNREFUSED/);
    assert.equal(probeVerdict(refused).layer, 'tcp');
  });

  it('connects by the DNS answer when no override applies (a loopback answer)', async () => {
    const local = await new TestDnsServer({ 'wac.azure.com': { kind: 'answer', addresses: ['127.0.0.1'] } }).start();
    try {
      const ctx = { ...context(), resolvers: [{ address: '127.0.0.1', port: local.port }], overrides: [parseConnectTo(`:443::${https.port}`)] };
      const { record } = await probeEndpoint({ host: 'wac.azure.com', port: 443, path: '/' }, ctx);
      assert.equal(record.address, `127.0.0.1:${https.port}`);
      assert.equal(record.http?.status, 200);
      assert.equal(record.private, true);
    } finally {
      await local.stop();
    }
  });

  describe('through a proxy', () => {
    let open: TestProxy;
    let auth: TestProxy;
    before(async () => {
      open = await new TestProxy('open', () => https.port).start();
      auth = await new TestProxy('auth', () => https.port).start();
    });
    after(() => Promise.all([open.stop(), auth.stop()]));

    const viaProxy = (url: string, extra: { bypass?: string[]; noProxy?: string } = {}): NetworkContext => ({
      ...context(),
      overrides: [],
      proxy: Promise.resolve(chooseProxy(undefined, { HTTPS_PROXY: url, ...(extra.noProxy ? { NO_PROXY: extra.noProxy } : {}) }, extra.bypass ?? [])),
    });

    it('tunnels with CONNECT through an open proxy', async () => {
      const { record, tunnel } = await probeEndpoint({ host: 'wac.azure.com', port: 443, path: '/' }, viaProxy(`http://127.0.0.1:${open.port}`));
      assert.equal(record.via, 'proxy');
      assert.equal(record.tcp?.ok, true);
      assert.equal(record.tls?.trustedPublicCa, true);
      assert.equal(record.http?.status, 200);
      assert.equal(tunnel?.status, 200);
      assert.deepEqual(open.connects.at(-1), { target: 'wac.azure.com:443' });
      assert.deepEqual(proxyProbeFrom(chooseProxy(undefined, { HTTPS_PROXY: `http://127.0.0.1:${open.port}` }, [])!, [tunnel!]), { url: `http://127.0.0.1:${open.port}`, status: 'ok' });
    });

    it('reports a 407 as auth-required and never sends the credentials in the URL', async () => {
      const url = `http://svc-arc:S3cret!@127.0.0.1:${auth.port}`;
      const choice = chooseProxy(undefined, { HTTPS_PROXY: url }, [])!;
      assert.equal(choice.url, `http://127.0.0.1:${auth.port}`);
      assert.equal(choice.hasCredentials, true);
      const { record, tunnel } = await probeEndpoint({ host: 'wac.azure.com', port: 443, path: '/' }, viaProxy(url));
      assert.equal(record.http?.status, 407);
      assert.equal(record.tls, undefined);
      assert.equal(probeVerdict(record).layer, 'http');
      assert.equal(auth.connects.at(-1)?.proxyAuthorization, undefined);
      const fact = proxyProbeFrom(choice, [tunnel!]);
      assert.equal(fact?.status, 'auth-required');
      assert.doesNotMatch(JSON.stringify({ record, fact }), /S3cret|svc-arc/);
    });

    it('reports a proxy that is down as unreachable', async () => {
      const port = await closedPort();
      const url = `http://127.0.0.1:${port}`;
      const { record, tunnel } = await probeEndpoint({ host: 'wac.azure.com', port: 443 }, viaProxy(url));
      assert.equal(record.tcp?.ok, false);
      assert.match(record.tcp?.error ?? '', /proxy 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
      assert.equal(proxyProbeFrom(chooseProxy(undefined, { HTTPS_PROXY: url }, [])!, [tunnel!])?.status, 'unreachable');
      // Through a proxy, local DNS is kept only when it answered (the proxy resolves the name).
      assert.equal(record.dns?.status, 'ok');
    });

    it('honours proxy.bypass groups and NO_PROXY', async () => {
      const ctx = { ...viaProxy(`http://127.0.0.1:${auth.port}`, { bypass: ['AAD'], noProxy: '.azure.com' }), overrides: [parseConnectTo(`::127.0.0.1:${https.port}`)] };
      const before = auth.connects.length;
      const [pas, mgmt] = await Promise.all([
        probeEndpoint({ host: 'pas.windows.net', port: 443 }, ctx),
        probeEndpoint({ host: 'management.azure.com', port: 443 }, ctx),
      ]);
      assert.equal(pas.record.via, 'bypass');
      assert.equal(pas.record.bypass, 'proxy.bypass AAD');
      assert.equal(mgmt.record.bypass, 'NO_PROXY .azure.com');
      assert.equal(pas.tunnel, undefined);
      assert.equal(auth.connects.length, before, 'bypassed hosts never reach the proxy');
    });
  });

  it('probes https://localhost:<port> without judging its certificate', async () => {
    const ok = await probeLocalHttps(6516, { deadline: new Deadline(2000), overrides: [parseConnectTo(`localhost:6516:127.0.0.1:${https.port}`)] });
    assert.equal(ok.tls?.ok, true);
    assert.equal(ok.tls?.trustedPublicCa, undefined);
    assert.equal(ok.httpStatus, 200);
    const port = await closedPort();
    const refused = await probeLocalHttps(port, { deadline: new Deadline(2000), overrides: [] });
    assert.match(refused.error ?? '', /ECONNREFUSED/);
  });

  it('keeps only servicebus hosts from the relay allowlist', () => {
    const body = JSON.stringify(['azgnrelay-westeurope-l1.servicebus.windows.net', 'https://azgnrelay-westeurope-l2.servicebus.windows.net:443/x', 'evil.example.com', 42, 'AZGNRELAY-westeurope-l1.servicebus.windows.net']);
    assert.deepEqual(relayHosts(body), ['azgnrelay-westeurope-l1.servicebus.windows.net', 'azgnrelay-westeurope-l2.servicebus.windows.net']);
    assert.deepEqual(relayHosts('not json'), []);
    assert.deepEqual(relayHosts('{"a":1}'), []);
  });
});
