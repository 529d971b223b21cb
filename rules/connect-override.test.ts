import { strict as assert } from 'node:assert';
import rule from './connect-override';
import type { DnsProbe } from '../core/model/facts';
import { fact, runRuleOn } from '../test/support/testing';

const redirected = (host: string, dns: DnsProbe | undefined, address = '127.0.0.1:8443') =>
  fact(`probe.${host}`, { host, port: 443, ...(dns ? { dns } : {}), tcp: { ok: true }, connectedTo: { option: `--connect-to ${host}:443:${address}`, address } });

describe('rule connect-override', () => {
  it('passes when DNS answers the address the option connected to', () => {
    const f = runRuleOn(rule, redirected('wac.azure.com', { status: 'ok', addresses: ['20.1.1.1', '127.0.0.1'] }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'DNS agrees with the redirected probes: wac.azure.com -> 127.0.0.1.');
    assert.equal(runRuleOn(rule, redirected('wac.azure.com', { status: 'ok', addresses: ['::1'] }, '[::1]:8443')).status, 'pass');
  });

  it('warns when the resolver fails, with a DNS fix for the host', () => {
    const f = runRuleOn(rule, redirected('wac.azure.com', { status: 'error', addresses: [], resolver: '10.0.0.2', error: 'connect ECONNREFUSED' }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message,
      'Probed at 127.0.0.1:8443 (--connect-to wac.azure.com:443:127.0.0.1:8443), but wac.azure.com: DNS via 10.0.0.2 answers ERROR (connect ECONNREFUSED). Without the option the machine connects where DNS says, and that path was not tested.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ["Resolve-DnsName -Name 'wac.azure.com' -Type A"]);
  });

  it('warns when the resolver disagrees', () => {
    const f = runRuleOn(rule, redirected('pas.windows.net', { status: 'ok', addresses: ['20.190.1.1'] }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^Probed at 127\.0\.0\.1:8443 \(--connect-to .*\), but pas\.windows\.net: DNS answers 20\.190\.1\.1, not 127\.0\.0\.1\./);
  });

  it('skips without a redirected probe, or without its DNS answer', () => {
    assert.equal(runRuleOn(rule, fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, dns: { status: 'nxdomain', addresses: [] } })).status, 'skip');
    const f = runRuleOn(rule, redirected('wac.azure.com', undefined));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /record no DNS answer/);
    assert.equal(runRuleOn(rule).status, 'skip');
  });
});
