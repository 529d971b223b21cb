import { strict as assert } from 'node:assert';
import rule from './private-link';
import type { EndpointProbe } from '../core/model/facts';
import { fact, runRuleOn } from '../test/support/testing';

const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.HybridCompute/privateLinkScopes/pls-contoso';
const probe = (host: string, extra: Partial<EndpointProbe>) => fact(`probe.${host}`, { host, port: 443, ...extra });

describe('rule private-link', () => {
  it('passes without a Private Link Scope and with public answers', () => {
    const f = runRuleOn(rule, fact('agent.privateLinkScope', ''),
      probe('gbl.his.arc.azure.com', { dns: { status: 'ok', addresses: ['20.42.0.1'] } }),
      probe('management.azure.com', { private: false, reachable: true }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The agent reports no Private Link Scope; Arc endpoints are reached on public addresses: gbl.his.arc.azure.com -> 20.42.0.1, management.azure.com.');
  });

  it('warns when the machine uses a Private Link Scope', () => {
    const f = runRuleOn(rule, fact('agent.privateLinkScope', SCOPE),
      probe('gbl.his.arc.azure.com', { private: true, dns: { status: 'ok', addresses: ['10.10.0.4'], private: true } }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message,
      'The machine uses the Private Link Scope "pls-contoso". Remote access via WAC/SSH isn\'t supported over private link. Arc endpoints resolve privately: gbl.his.arc.azure.com -> 10.10.0.4.');
    assert.equal(f.fix!.commands.length, 0);
    assert.match(f.fix!.summary, /isn't supported over private link/);
  });

  it('warns when a Private Link Scope is set but the endpoints resolve publicly', () => {
    const f = runRuleOn(rule, fact('agent.privateLinkScope', SCOPE), probe('westeurope-gas.guestconfiguration.azure.com', { dns: { status: 'ok', addresses: ['52.1.2.3'] } }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /Yet westeurope-gas\.guestconfiguration\.azure\.com -> 52\.1\.2\.3 resolves to public addresses, so the privatelink DNS zones may be missing/);
  });

  it('fails when Arc endpoints resolve privately without a Private Link Scope', () => {
    const f = runRuleOn(rule, fact('agent.privateLinkScope', ''),
      probe('gbl.his.arc.azure.com', { dns: { status: 'ok', addresses: ['10.1.0.5'] } }),
      probe('login.microsoftonline.com', { dns: { status: 'ok', addresses: ['20.190.1.1'] } }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      'Arc endpoints resolve to private addresses (gbl.his.arc.azure.com -> 10.1.0.5) but the agent reports no Private Link Scope: a DNS misconfiguration (privatelink zones, forwarders or hosts entries answering for this machine).');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ['Resolve-DnsName -Name \'gbl.his.arc.azure.com\'', 'Clear-DnsClientCache']);
  });

  it('warns when endpoints resolve privately and the scope is unknown', () => {
    const f = runRuleOn(rule, probe('gbl.his.arc.azure.com', { private: true }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /gbl\.his\.arc\.azure\.com -> private per its source\), so the machine looks connected through private link/);
  });

  it('skips in check when probes say nothing about addresses and the scope is unknown', () => {
    const f = runRuleOn(rule, probe('management.azure.com', { reachable: true }));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /management\.azure\.com don't say whether they resolve to private or public addresses/);
  });

  it('skips, naming what is missing, with neither scope nor Arc probes', () => {
    const f = runRuleOn(rule, probe('wac.azure.com', { reachable: true }));
    assert.equal(f.status, 'skip');
    assert.match(f.missing![0]!, /^agent\.privateLinkScope \| /);
  });
});
