/**
 * The WebSocket upgrade to relay hosts against loopback servers: a TLS WebSocket server (hand-written RFC 6455
 * handshake), an open CONNECT proxy, and TLS-inspecting proxies that strip the Upgrade or refuse it; the websocket
 * rule on what the probe recorded.
 */
import { strict as assert } from 'node:assert';
import { observe, type EndpointProbe } from '../../core/model/facts';
import { runRule } from '../../core/engine/run';
import { FactStore } from '../../core/engine/fact-store';
import { testEvidence } from '../support/testing';
import { Deadline } from '../../core/sources/live/deadline';
import { probeEndpoint, type NetworkContext } from '../../core/sources/live/network';
import { parseConnectTo } from '../../core/sources/live/options';
import { chooseProxy } from '../../core/sources/live/proxy';
import { acceptFor } from '../../core/sources/live/websocket';
import rule from '../../rules/websocket';
import { TestPki, type Authority } from './harness/certs';
import { InspectingProxy, SilentTlsServer, TestHttpsServer, TestProxy, websocketAccept } from './harness/servers';

const RELAY = 'azgnrelay-westeurope-l1.servicebus.windows.net';
const WRONG = 'azgnrelay-westeurope-l2.servicebus.windows.net';
const REFUSING = 'azgnrelay-westeurope-l3.servicebus.windows.net';

describe('WebSocket upgrade to the relay (loopback TLS WebSocket server and proxies)', function () {
  this.timeout(20000);
  let pki: TestPki;
  let root: Authority;
  let inspection: Authority;
  let server: TestHttpsServer;
  let open: TestProxy;
  let strip: InspectingProxy;
  let refuse: InspectingProxy;
  let silent: SilentTlsServer;

  before(async () => {
    pki = await TestPki.create();
    [root, inspection] = await Promise.all([pki.authority('WAC Doctor Test Root CA'), pki.authority('Contoso TLS Inspection CA')]);
    const [leaf, forged] = await Promise.all([root.issue('servicebus.test', ['*.servicebus.windows.net']), inspection.issue('servicebus.test', ['*.servicebus.windows.net'])]);
    server = await new TestHttpsServer({
      [RELAY]: { leaf, websocket: 'accept' },
      [WRONG]: { leaf, websocket: 'wrong-accept' },
      [REFUSING]: { leaf },
    }, leaf).start();
    open = await new TestProxy('open', () => server.port).start();
    strip = await new InspectingProxy('strip', forged, () => server.port, root.pem).start();
    refuse = await new InspectingProxy('refuse', forged, () => server.port, root.pem).start();
    silent = await new SilentTlsServer(leaf).start();
  });
  after(async () => {
    await Promise.all([server?.stop(), open?.stop(), strip?.stop(), refuse?.stop(), silent?.stop()]);
    await pki?.dispose();
  });

  const direct = (port = server.port, ms = 3000): NetworkContext => ({
    deadline: new Deadline(ms), resolvers: [], hosts: new Map(), overrides: [parseConnectTo(`::127.0.0.1:${port}`)], proxy: Promise.resolve(undefined), ca: [root.pem],
  });
  const viaProxy = (port: number): NetworkContext => ({
    ...direct(), overrides: [], proxy: Promise.resolve(chooseProxy(undefined, { HTTPS_PROXY: `http://127.0.0.1:${port}` }, [])),
  });

  /** The websocket rule on probe facts, as a snapshot or live check gives them. */
  function verdict(...probes: EndpointProbe[]) {
    const store = new FactStore();
    for (const p of probes) store.add(observe(`probe.${p.host}`, p, testEvidence()));
    return runRule(rule, store, { now: new Date() });
  }

  it('upgrades directly: the RFC 6455 request, 101 with the accept the key requires', async () => {
    const { record } = await probeEndpoint({ host: RELAY, port: 443 }, direct());
    assert.equal(record.tls?.ok, true, record.tls?.error);
    assert.deepEqual(record.websocket, { ok: true, status: 101, upgrade: true, acceptValid: true });
    const seen = server.upgrades.at(-1)!;
    assert.deepEqual({ ...seen, key: undefined }, { host: RELAY, path: '/$hc/wac-doctor-probe', connection: 'Upgrade', upgrade: 'websocket', version: '13', key: undefined });
    assert.equal(Buffer.from(seen.key!, 'base64').length, 16);
    assert.equal(acceptFor(seen.key!), websocketAccept(seen.key!));
    const f = verdict(record);
    assert.equal(f.status, 'pass');
    assert.equal(f.message, `WebSockets reach the relay: ${RELAY}: upgraded (101, valid Sec-WebSocket-Accept).`);
  });

  it('upgrades through an open CONNECT proxy (CONNECT, then TLS, then the Upgrade)', async () => {
    const before = open.connects.length;
    const { record } = await probeEndpoint({ host: RELAY, port: 443 }, viaProxy(open.port));
    assert.equal(record.via, 'proxy');
    assert.deepEqual(open.connects.slice(before), [{ target: `${RELAY}:443` }]);
    assert.equal(record.websocket?.ok, true);
    assert.equal(verdict(record).status, 'pass');
  });

  it('fails "WebSockets blocked by the proxy" when a TLS-inspecting proxy strips the Upgrade (the server answers a plain GET)', async () => {
    const { record } = await probeEndpoint({ host: RELAY, port: 443 }, viaProxy(strip.port));
    assert.equal(record.tls?.trustedPublicCa, false);
    assert.equal(record.tls?.issuer, 'Contoso TLS Inspection CA');
    assert.deepEqual(record.websocket, { ok: false, status: 200, upgrade: false });
    assert.ok(strip.upgradesSeen.includes(RELAY));
    assert.ok(server.requests.some((r) => r.host === RELAY && r.path === '/$hc/wac-doctor-probe'), 'the stripped request reached the server as a GET');
    const f = verdict(record);
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      `WebSockets blocked by the proxy http://127.0.0.1:${strip.port}: ${RELAY}: the TLS-terminating device answered the upgrade with HTTP 200 (certificate issued by "Contoso TLS Inspection CA", not a public root). WAC's Remote Desktop, Events and PowerShell tools will not open.`);
    assert.match(f.fix!.summary, /^Let WebSockets to \*\.servicebus\.windows\.net through: .*exempt \*\.servicebus\.windows\.net from TLS inspection \(or bypass the proxy for it\)/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      `curl.exe -sS -i --http1.1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key:d2FjLWRvY3Rvci1wcm9iZQ==' 'https://${RELAY}/$hc/'`,
    ]);
  });

  it('fails when a TLS-inspecting proxy refuses the Upgrade with a 403 block page', async () => {
    const { record } = await probeEndpoint({ host: RELAY, port: 443 }, viaProxy(refuse.port));
    assert.equal(record.websocket?.status, 403);
    assert.equal(record.websocket?.ok, false);
    const f = verdict(record);
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^WebSockets blocked by the proxy http:\/\/127\.0\.0\.1:\d+: .*answered the upgrade with HTTP 403/);
  });

  it('fails on a 101 without the accept the key requires', async () => {
    const { record } = await probeEndpoint({ host: WRONG, port: 443 }, direct());
    assert.deepEqual(record.websocket, { ok: false, status: 101, upgrade: true, acceptValid: false });
    const f = verdict(record);
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^WebSockets blocked by a device in the path: .*answered 101 without a valid Sec-WebSocket-Accept/);
  });

  it('passes when the relay itself refuses the token-less upgrade over end-to-end TLS to a public chain', async () => {
    const { record } = await probeEndpoint({ host: REFUSING, port: 443 }, viaProxy(open.port));
    assert.equal(record.websocket?.status, 400);
    assert.equal(record.tls?.trustedPublicCa, true);
    const f = verdict(record);
    assert.equal(f.status, 'pass');
    assert.match(f.message, /reached the relay, which answered the upgrade with HTTP 400 \(no relay token is sent\)/);
    // The same answer without trust data cannot say who answered.
    assert.equal(verdict({ ...record, tls: { ok: true } }).status, 'warn');
  });

  it('gives up on a server that never answers the upgrade at the deadline', async () => {
    const started = Date.now();
    const { record } = await probeEndpoint({ host: RELAY, port: 443 }, direct(silent.port, 800));
    assert.ok(Date.now() - started < 800 + 400, `took ${Date.now() - started} ms`);
    assert.equal(record.tls?.ok, true);
    assert.match(record.websocket?.error ?? '', /^timed out after \d+ ms waiting for the answer to the WebSocket upgrade$/);
    const f = verdict(record);
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^The WebSocket upgrade to the relay failed: /);
  });

  it('skips without a WebSocket result, and does not probe other hosts', async () => {
    assert.equal(verdict({ host: RELAY, port: 443, tcp: { ok: false, error: 'ECONNREFUSED' } }).status, 'skip');
    const { record } = await probeEndpoint({ host: 'wac.azure.com', port: 443 }, direct());
    assert.equal(record.websocket, undefined);
  });
});
