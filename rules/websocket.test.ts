import { strict as assert } from 'node:assert';
import rule from './websocket';
import type { EndpointProbe, TlsProbe, WebSocketProbe } from '../core/model/facts';
import { fact, runRuleOn } from '../test/support/testing';

const RELAY = 'azgnrelay-eastus-l1.servicebus.windows.net';
const PUBLIC: TlsProbe = { ok: true, issuer: 'Microsoft Azure RSA TLS Issuing CA 07', trustedPublicCa: true };
const relay = (websocket: WebSocketProbe | undefined, tls: TlsProbe = PUBLIC, extra: Partial<EndpointProbe> = {}) =>
  fact(`probe.${RELAY}`, { host: RELAY, port: 443, tcp: { ok: true }, tls, ...(websocket ? { websocket } : {}), ...extra });

describe('rule websocket', () => {
  it('passes on a 101 with a valid accept, and on the relay\'s own refusal over a public chain', () => {
    const f = runRuleOn(rule, relay({ ok: true, status: 101, upgrade: true, acceptValid: true }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, `WebSockets reach the relay: ${RELAY}: upgraded (101, valid Sec-WebSocket-Accept).`);
    const g = runRuleOn(rule, relay({ ok: false, status: 401, upgrade: false }));
    assert.equal(g.status, 'pass');
    assert.match(g.message, /reached the relay, which answered the upgrade with HTTP 401 \(no relay token is sent\)/);
  });

  it('fails "WebSockets blocked by the proxy" when a TLS-inspecting proxy answers, with the exemption fix', () => {
    const f = runRuleOn(rule, relay({ ok: false, status: 403, upgrade: false, server: 'BlueCoat-Security-Appliance' },
      { ok: false, issuer: 'Contoso SSL Inspection CA', trustedPublicCa: false }, { proxy: 'http://proxy.contoso.com:8080' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      `WebSockets blocked by the proxy http://proxy.contoso.com:8080: ${RELAY}: the TLS-terminating device answered the upgrade with HTTP 403, Server "BlueCoat-Security-Appliance" (certificate issued by "Contoso SSL Inspection CA", not a public root). WAC's Remote Desktop, Events and PowerShell tools will not open.`);
    assert.match(f.fix!.commands[0]!.command, /^curl\.exe .*'https:\/\/azgnrelay-eastus-l1\.servicebus\.windows\.net\/\$hc\/'$/);
    // A --ca-file CA counts as the device that terminated TLS.
    assert.equal(runRuleOn(rule, relay({ ok: false, status: 200 }, { ok: true, trustedPublicCa: false, suppliedCa: 'Contoso TLS Inspection CA' })).status, 'fail');
  });

  it('fails on a 101 without the handshake, and on a failed upgrade', () => {
    const f = runRuleOn(rule, relay({ ok: false, status: 101, upgrade: false }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^WebSockets blocked by a device in the path: .*answered 101 without "Upgrade: websocket"/);
    const g = runRuleOn(rule, relay({ ok: false, error: 'read ECONNRESET' }));
    assert.equal(g.status, 'fail');
    assert.match(g.message, /^The WebSocket upgrade to the relay failed: .*read ECONNRESET/);
  });

  it('warns when it cannot tell who refused the upgrade', () => {
    const f = runRuleOn(rule, relay({ ok: false, status: 400 }, { ok: true }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /does not say whether the relay or a device in the path answered/);
  });

  it('skips without a WebSocket result', () => {
    assert.equal(runRuleOn(rule, relay(undefined)).status, 'skip');
    const f = runRuleOn(rule);
    assert.equal(f.status, 'skip');
  });
});
