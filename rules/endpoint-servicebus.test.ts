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

  it('fails naming the relay host and the DNS error, with a DNS fix (not "allow 443")', () => {
    const f = runRuleOn(rule,
      relay('azgnrelay-westeurope-l1.servicebus.windows.net', { dns: { status: 'servfail', addresses: [], error: 'server misbehaving' } }),
      relay('azgnrelay-westeurope-l2.servicebus.windows.net', { reachable: true }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      'Cannot reach the Azure Relay used by WAC and SSH: azgnrelay-westeurope-l1.servicebus.windows.net: DNS SERVFAIL: server misbehaving. Reachable: azgnrelay-westeurope-l2.servicebus.windows.net.');
    assert.match(f.fix!.summary, /^Make azgnrelay-westeurope-l1\.servicebus\.windows\.net resolve on the machine/);
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Resolve-DnsName -Name \'azgnrelay-westeurope-l1.servicebus.windows.net\' -Type A' }]);
  });

  it('a timeout allows *.servicebus.windows.net on the firewall', () => {
    const f = runRuleOn(rule, relay('azgnrelay-westeurope-l1.servicebus.windows.net', { tcp: { ok: false, error: 'i/o timeout' } }));
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

describe('rule endpoint-servicebus: the fix follows the failing layer (issue 9 item 3)', () => {
  it('one DNS failure and one timeout: a DNS fix for the one, the firewall for the other', () => {
    const f = runRuleOn(rule,
      fact('probe.azgnrelay-westeurope-l1.servicebus.windows.net', { host: 'azgnrelay-westeurope-l1.servicebus.windows.net', port: 443, dns: { status: 'servfail', addresses: [], resolver: '10.1.1.1' } }),
      fact('probe.guestnotificationservice.azure.com', { host: 'guestnotificationservice.azure.com', port: 443, tcp: { ok: false, error: 'i/o timeout' } }));
    assert.equal(f.status, 'fail');
    const cmds = f.fix!.commands.map((c) => c.command);
    assert.deepEqual(cmds, [
      "Resolve-DnsName -Name 'azgnrelay-westeurope-l1.servicebus.windows.net' -Type A -Server '10.1.1.1'",
      "Test-NetConnection -ComputerName 'guestnotificationservice.azure.com' -Port 443",
    ]);
    assert.match(f.fix!.summary, /^Make azgnrelay-westeurope-l1\.servicebus\.windows\.net resolve.* Allow outbound HTTPS \(TCP 443\) to \*\.guestnotificationservice\.azure\.com/);
  });
});
