import { strict as assert } from 'node:assert';
import rule from './endpoint-servicebus';
import { fact, runRuleOn } from '../test/support/testing';

const relay = (host: string, extra: object = {}) => fact(`probe.${host}`, { host, port: 443, ...extra });

describe('rule endpoint-servicebus', () => {
  it('passes when the relay hosts and the guest notification service are reachable', () => {
    const f = runRuleOn(rule,
      relay('azgnrelay-westeurope-l1.servicebus.windows.net', { reachable: true }),
      relay('guestnotificationservice.azure.com', { http: { status: 200 } }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Reachable: azgnrelay-westeurope-l1.servicebus.windows.net (reachable); guestnotificationservice.azure.com (HTTP 200).');
  });

  it('fails naming the relay host and the DNS error, and allows *.servicebus.windows.net', () => {
    const f = runRuleOn(rule,
      relay('azgnrelay-westeurope-l1.servicebus.windows.net', { dns: { status: 'servfail', addresses: [], error: 'server misbehaving' } }),
      relay('azgnrelay-westeurope-l2.servicebus.windows.net', { reachable: true }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      'Cannot reach the Azure Relay used by WAC and SSH: azgnrelay-westeurope-l1.servicebus.windows.net: DNS SERVFAIL: server misbehaving. Reachable: azgnrelay-westeurope-l2.servicebus.windows.net.');
    assert.match(f.fix!.summary, /^Allow outbound HTTPS \(TCP 443\) to \*\.servicebus\.windows\.net, azgnrelay-westeurope-l1\.servicebus\.windows\.net/);
    assert.deepEqual(f.fix!.commands.at(-1), { shell: 'powershell', command: 'Test-NetConnection -ComputerName \'azgnrelay-westeurope-l1.servicebus.windows.net\' -Port 443' });
  });

  it('fails when the guest notification service (the allowlist source) is blocked', () => {
    const f = runRuleOn(rule,
      relay('azgnrelay-eastus-l1.servicebus.windows.net', { reachable: true }),
      relay('guestnotificationservice.azure.com', { tcp: { ok: false, error: 'connection reset' } }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /guestnotificationservice\.azure\.com: TCP connection to port 443 failed: connection reset/);
    assert.match(f.fix!.summary, /\*\.guestnotificationservice\.azure\.com, guestnotificationservice\.azure\.com/);
  });

  it('skips without a relay probe, even with a guest notification probe', () => {
    const f = runRuleOn(rule, relay('guestnotificationservice.azure.com', { reachable: true }));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['probe.*.servicebus.windows.net']);
  });
});
