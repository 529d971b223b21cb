/**
 * The PowerShell collector's probes for real: DNS, TCP, TLS (SslStream with a recording validation callback), HTTPS
 * and CONNECT proxies, run by pwsh against the loopback servers the Node probe tests use (test/live/harness), all in
 * parallel inside one budget. Timing is asserted as ratios of the budget, never as absolute thresholds.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeRecord, ProbesDocument } from '../../core/parsers/wac-doctor-probes';
import { probeVerdict } from '../../rules/support/probe-verdict';
import { TestPki, type Authority } from '../live/harness/certs';
import { TestDnsServer } from '../live/harness/dns-server';
import { Blackhole, closedPort, InspectingProxy, SilentTlsServer, TestHttpsServer, TestProxy } from '../live/harness/servers';
import { readZip, requirePwsh, runPwsh, SCRIPT, summaryDurationMs } from './pwsh';

const RELAY = 'azgnrelay-westeurope-l1.servicebus.windows.net';
const HOME = "You've found the Windows Admin Center in Azure APIs' home page. Please use the Azure portal to manage your virtual machines with Windows Admin Center.";

describe('PowerShell collector probes against loopback DNS, TLS and proxy servers', function () {
  this.timeout(240_000);
  let pwsh: string;
  let pki: TestPki;
  let trusted: Authority;
  let inspection: Authority;
  let https: TestHttpsServer;
  let dns: TestDnsServer;
  let blackhole: Blackhole;
  let silent: SilentTlsServer;
  let open: TestProxy;
  let auth: TestProxy;
  let strip: InspectingProxy;
  let dir: string;
  let caFile: string;

  before(async function () {
    pwsh = requirePwsh(this);
    pki = await TestPki.create();
    [trusted, inspection] = await Promise.all([pki.authority('WAC Doctor Test Root CA'), pki.authority('Contoso TLS Inspection CA')]);
    const [wac, pas, expired, mismatch, fallback, silentLeaf] = await Promise.all([
      trusted.issue('wac.azure.com', ['wac.azure.com', '*.wac.azure.com']),
      inspection.issue('pas.windows.net', ['pas.windows.net']),
      trusted.issue('management.azure.com', ['management.azure.com'], { start: new Date('2020-01-01T00:00:00Z'), end: new Date('2020-02-01T00:00:00Z') }),
      trusted.issue('other.example', ['other.example']),
      trusted.issue('fallback.example', ['fallback.example']),
      trusted.issue('silent.service.waconazure.com', ['*.service.waconazure.com']),
    ]);
    const [relayLeaf, forgedRelay] = await Promise.all([trusted.issue('relay.test', ['*.servicebus.windows.net']), inspection.issue('relay.test', ['*.servicebus.windows.net'])]);
    https = await new TestHttpsServer({
      'wac.azure.com': { leaf: wac, respond: () => ({ status: 200, body: HOME }) },
      // A re-signing proxy sends its own CA along with the forged leaf.
      'pas.windows.net': { leaf: { key: pas.key, cert: pas.cert + inspection.pem }, respond: () => ({ status: 403, body: 'Blocked by Contoso Web Filter' }) },
      'management.azure.com': { leaf: expired },
      'login.microsoftonline.com': { leaf: mismatch },
      [RELAY]: { leaf: relayLeaf, websocket: 'accept' },
    }, fallback).start();
    dns = await new TestDnsServer({
      'wac.azure.com': { kind: 'answer', cname: ['wac-prod.trafficmanager.net'], addresses: ['20.50.2.1'] },
      'pas.windows.net': { kind: 'answer', addresses: ['20.190.1.1'] },
      'management.azure.com': { kind: 'answer', addresses: ['20.37.1.1'] },
      'login.microsoftonline.com': { kind: 'answer', addresses: ['20.190.2.2'] },
      'blackhole.example': { kind: 'answer', addresses: ['20.1.1.1'] },
      'silent.service.waconazure.com': { kind: 'answer', addresses: ['20.1.1.2'] },
      'big.example': { kind: 'truncate', addresses: ['10.1.2.3'] },
      'nx.example': { kind: 'nxdomain' },
      'quiet.example': { kind: 'silent' },
    }).start();
    blackhole = await new Blackhole().start();
    silent = await new SilentTlsServer(silentLeaf).start();
    open = await new TestProxy('open', () => https.port).start();
    auth = await new TestProxy('auth', () => https.port).start();
    strip = await new InspectingProxy('strip', forgedRelay, () => https.port, trusted.pem).start();
    dir = await mkdtemp(join(tmpdir(), 'wac-doctor-ps-probes-'));
    caFile = join(dir, 'ca.pem');
    await writeFile(caFile, trusted.pem);
  });
  after(async () => {
    await Promise.all([https?.stop(), dns?.stop(), blackhole?.stop(), silent?.stop(), open?.stop(), auth?.stop(), strip?.stop()]);
    await pki?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function collect(name: string, timeoutS: number, endpoints: string[], connectTo: string[], env: NodeJS.ProcessEnv = {}, extra: string[] = []) {
    const zip = join(dir, `${name}.zip`);
    const run = await runPwsh(pwsh, [
      '-File', SCRIPT, '-OutputPath', zip, '-TimeoutSeconds', String(timeoutS), '-DnsServer', dns.address, '-CaFile', caFile,
      '-Endpoints', endpoints.join(','), ...(connectTo.length ? ['-ConnectTo', connectTo.join(',')] : []), ...extra,
    ], { env: { HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '', ...env } });
    // 1: written, some collector failed (here: no azcmagent, as on any machine without the agent).
    assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
    const entries = await readZip(zip);
    const probes = JSON.parse(entries.get('probes.json')!) as ProbesDocument;
    const by = (host: string): ProbeRecord => {
      const r = probes.endpoints?.find((e) => e.host === host);
      assert.ok(r, `a record for ${host}: ${JSON.stringify(probes.endpoints?.map((e) => e.host))}`);
      return r;
    };
    return { run, probes, by, zip, durationMs: summaryDurationMs(run.stdout) };
  }

  it('probes every layer directly, all in parallel, within the budget', async () => {
    const budgetS = 8;
    const r = await collect('direct', budgetS,
      ['wac.azure.com', 'pas.windows.net', 'management.azure.com', 'login.microsoftonline.com', 'blackhole.example', 'silent.service.waconazure.com', 'nx.example', 'quiet.example', 'big.example'],
      [`blackhole.example:443:127.0.0.1:${blackhole.port}`, `silent.service.waconazure.com:443:127.0.0.1:${silent.port}`, `localhost:6516:127.0.0.1:${https.port}`,
        `quiet.example:443:127.0.0.1:${https.port}`, `big.example:443:127.0.0.1:${https.port}`, `wac.azure.com:443:127.0.0.1:${https.port}`,
        `pas.windows.net:443:127.0.0.1:${https.port}`, `management.azure.com:443:127.0.0.1:${https.port}`, `login.microsoftonline.com:443:127.0.0.1:${https.port}`],
      {}, ['-Port', '6516']);

    const wac = r.by('wac.azure.com');
    assert.equal(wac.dns?.status, 'ok');
    assert.deepEqual(wac.dns?.cname, ['wac-prod.trafficmanager.net']);
    assert.deepEqual(wac.dns?.addresses, ['20.50.2.1']);
    assert.equal(wac.private, false);
    assert.equal(wac.tcp?.ok, true);
    assert.equal(wac.address, `127.0.0.1:${https.port}`);
    assert.equal(wac.tls?.ok, true, JSON.stringify(wac.tls));
    assert.equal(wac.tls?.trustedPublicCa, true);
    assert.equal(wac.tls?.hostnameMatch, true);
    assert.equal(wac.tls?.issuer, 'WAC Doctor Test Root CA');
    assert.equal(wac.tls?.subject, 'wac.azure.com');
    assert.deepEqual(wac.tls?.chain, ['WAC Doctor Test Root CA', 'WAC Doctor Test Root CA']);
    assert.match(wac.tls?.protocol ?? '', /^TLS 1\.[23]$/);
    assert.ok(wac.tls?.cipher);
    assert.ok(Date.parse(wac.tls?.validTo ?? '') > Date.now());
    assert.equal(wac.http?.status, 200);
    assert.equal(wac.http?.body, HOME);
    assert.equal(probeVerdict(wac).state, 'ok');
    assert.ok(https.requests.some((q) => q.host === 'wac.azure.com' && q.sni === 'wac.azure.com' && q.path === '/'), 'SNI and Host carry the endpoint name');

    const pas = r.by('pas.windows.net');
    assert.equal(pas.tls?.ok, false);
    assert.equal(pas.tls?.trustedPublicCa, false);
    assert.equal(pas.tls?.issuer, 'Contoso TLS Inspection CA');
    assert.match(pas.tls?.error ?? '', /self-signed certificate in certificate chain/);
    assert.deepEqual(pas.tls?.chain, ['Contoso TLS Inspection CA', 'Contoso TLS Inspection CA']);

    const mgmt = r.by('management.azure.com');
    assert.equal(mgmt.tls?.ok, false);
    assert.equal(mgmt.tls?.trustedPublicCa, true);
    assert.equal(mgmt.tls?.validTo, '2020-02-01T00:00:00.000Z');
    assert.match(mgmt.tls?.error ?? '', /certificate has expired/);
    assert.equal(mgmt.http, undefined, 'no GET without a path');

    const login = r.by('login.microsoftonline.com');
    assert.equal(login.tls?.hostnameMatch, false);
    assert.equal(login.tls?.subject, 'other.example');
    assert.equal(login.tls?.trustedPublicCa, true);
    assert.match(login.tls?.error ?? '', /does not match the host name/);

    // Blackholes: the layer that waited is named, at the deadline.
    const hole = r.by('blackhole.example');
    assert.equal(hole.tcp?.ok, true);
    assert.match(hole.tls?.error ?? '', /timed out after \d+ ms waiting for the TLS handshake/);
    const quietHttp = r.by('silent.service.waconazure.com');
    assert.equal(quietHttp.tls?.ok, true);
    assert.match(quietHttp.http?.error ?? '', /timed out after \d+ ms waiting for the HTTP answer to GET \//);
    assert.ok(blackhole.accepted >= 1);

    // DNS: NXDOMAIN, a silent resolver (timeout), truncation answered over TCP.
    assert.equal(r.by('nx.example').dns?.status, 'nxdomain');
    assert.equal(r.by('nx.example').tcp, undefined, 'no address, no connection');
    assert.equal(probeVerdict(r.by('nx.example')).layer, 'dns');
    assert.equal(r.by('quiet.example').dns?.status, 'timeout');
    const big = r.by('big.example');
    assert.deepEqual(big.dns?.addresses, ['10.1.2.3']);
    assert.equal(big.private, true);
    assert.ok(dns.queries.some((q) => q.name === 'big.example' && q.transport === 'tcp'), 'TCP after a truncated UDP answer');

    // https://localhost:<port>: handshake judged, trust not.
    assert.equal(r.probes.localHttps?.tls?.ok, true);
    assert.equal(r.probes.localHttps?.tls?.trustedPublicCa, undefined);
    assert.equal(r.probes.localHttps?.httpStatus, 200);

    // One budget for all: the blackholes end by it, so the run ends near it; never later than the budget with slack.
    const budgetMs = budgetS * 1000;
    assert.ok(r.durationMs !== undefined, r.run.stdout);
    for (const e of r.probes.endpoints ?? []) assert.ok((e.durationMs ?? 0) <= budgetMs * 1.1, `${e.host}: ${e.durationMs} ms of ${budgetMs}`);
    // Serial probes would need at least two budgets (two blackholes and a silent resolver): 1.5 proves one shared budget.
    assert.ok(r.durationMs / budgetMs < 1.5, `the run took ${r.durationMs} ms for a ${budgetMs} ms budget`);
    assert.ok((r.probes.endpoints?.length ?? 0) === 9);
    const size = (await stat(r.zip)).size;
    console.log(`      direct: ${r.durationMs} ms in-script for a ${budgetMs} ms budget (${(r.durationMs / budgetMs).toFixed(2)}), ${r.run.wallMs} ms with pwsh start, snapshot ${size} bytes`);
  });

  it('tunnels with CONNECT through an open proxy, and finishes early when nothing blackholes', async () => {
    const budgetS = 15;
    const r = await collect('open-proxy', budgetS, ['wac.azure.com'], [], { HTTPS_PROXY: `http://127.0.0.1:${open.port}` });
    const wac = r.by('wac.azure.com');
    assert.equal(wac.via, 'proxy');
    assert.equal(wac.tcp?.ok, true);
    assert.equal(wac.tls?.trustedPublicCa, true);
    assert.equal(wac.http?.status, 200);
    assert.deepEqual(r.probes.proxy, { url: `http://127.0.0.1:${open.port}`, status: 'ok', source: 'HTTPS_PROXY' });
    assert.ok(open.connects.some((c) => c.target === 'wac.azure.com:443'));
    assert.ok(r.durationMs! < budgetS * 1000 * 0.8, `no blackhole: done before the budget (${r.durationMs} ms of ${budgetS * 1000})`);
  });

  it('sends the WebSocket upgrade to relay hosts through the proxy: 101 through an open one, 200 when an inspecting one strips it', async () => {
    const ok = await collect('ws-open', 10, [RELAY], [], { HTTPS_PROXY: `http://127.0.0.1:${open.port}` });
    const up = ok.by(RELAY);
    assert.equal(up.via, 'proxy');
    assert.deepEqual(up.websocket, { ok: true, status: 101, upgrade: true, acceptValid: true }, JSON.stringify(up));
    assert.ok(https.upgrades.some((u) => u.host === RELAY && u.path === '/$hc/wac-doctor-probe' && u.version === '13'));
    const stripped = await collect('ws-strip', 10, [RELAY], [], { HTTPS_PROXY: `http://127.0.0.1:${strip.port}` });
    const cut = stripped.by(RELAY);
    assert.equal(cut.tls?.trustedPublicCa, false);
    assert.equal(cut.tls?.issuer, 'Contoso TLS Inspection CA');
    assert.deepEqual(cut.websocket, { ok: false, status: 200, upgrade: false }, JSON.stringify(cut));
  });

  it('reports a 407 as auth-required, never sends the credentials, honours NO_PROXY', async () => {
    const r = await collect('auth-proxy', 10, ['wac.azure.com', 'management.azure.com'], [`management.azure.com:443:127.0.0.1:${https.port}`],
      { HTTPS_PROXY: `http://svc-arc:S3cret!@127.0.0.1:${auth.port}`, NO_PROXY: '.azure.com:8443,management.azure.com' });
    const wac = r.by('wac.azure.com');
    assert.equal(wac.http?.status, 407);
    assert.equal(wac.tls, undefined);
    assert.equal(probeVerdict(wac).layer, 'http');
    assert.equal(r.probes.proxy?.status, 'auth-required');
    assert.equal(r.probes.proxy?.url, `http://127.0.0.1:${auth.port}`);
    assert.ok(auth.connects.length >= 1 && auth.connects.every((c) => c.proxyAuthorization === undefined), 'no Proxy-Authorization');
    const mgmt = r.by('management.azure.com');
    assert.equal(mgmt.via, 'bypass');
    assert.equal(mgmt.bypass, 'NO_PROXY management.azure.com');
    assert.ok(!auth.connects.some((c) => c.target.startsWith('management.azure.com')), 'a bypassed host never reaches the proxy');
    const all = [...(await readZip(r.zip)).values()].join('\n');
    assert.doesNotMatch(all, /S3cret|svc-arc/);
    assert.match(all, /carries credentials; they were not sent/);
  });

  it('reports a proxy that is down as unreachable, keeping the local DNS answer', async () => {
    const port = await closedPort();
    const r = await collect('down-proxy', 10, ['wac.azure.com'], [], { HTTPS_PROXY: `http://127.0.0.1:${port}` });
    const wac = r.by('wac.azure.com');
    assert.equal(wac.tcp?.ok, false);
    assert.match(wac.tcp?.error ?? '', /proxy 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    assert.equal(r.probes.proxy?.status, 'unreachable');
    assert.equal(wac.dns?.status, 'ok');
  });
});
