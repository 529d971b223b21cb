import { strict as assert } from 'node:assert';
import rule from './wac-firewall-rule';
import type { FirewallRuleEntry, WacFirewallRuleName } from '../core/model/facts';
import { fact, runRuleOn } from '../test/support/testing';

const fw = (rules: FirewallRuleEntry[], notFound: WacFirewallRuleName[] = []) => fact('firewall.wacInbound', { rules, notFound });
const modern = fact('service.windowsadmincenter', { name: 'WindowsAdminCenter', state: 'running' });
const legacy = fact('service.servermanagementgateway', { name: 'ServerManagementGateway', state: 'running' });
const port = fact('wac.port', { port: 6600, source: 'extension' });

describe('rule wac-firewall-rule', () => {
  it('passes when the installed gateway\'s rule is enabled and allows', () => {
    const f = runRuleOn(rule, modern, fw([{ name: 'WacInboundOpenException', enabled: true, direction: 'Inbound', action: 'Allow' }]));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The inbound firewall rule WacInboundOpenException (enabled, Inbound, Allow) lets the gateway port in.');
    // Gateway unknown: either rule counts.
    assert.equal(runRuleOn(rule, fw([{ name: 'SmeInboundOpenException', enabled: true, localPort: '6516' }])).status, 'pass');
  });

  it('fails on a disabled rule with Enable-NetFirewallRule, the name quoted', () => {
    const f = runRuleOn(rule, legacy, fw([{ name: 'SmeInboundOpenException', enabled: false, direction: 'Inbound', action: 'Allow' }], ['WacInboundOpenException']));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The inbound firewall rule SmeInboundOpenException (disabled, Inbound, Allow) is disabled: the gateway port is closed to inbound connections.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ["Enable-NetFirewallRule -Name 'SmeInboundOpenException'"]);
  });

  it('fails when the installed gateway\'s rule is missing, creating it for the gateway port', () => {
    const f = runRuleOn(rule, modern, port, fw([{ name: 'SmeInboundOpenException', enabled: true }], ['WacInboundOpenException']));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The WAC gateway WindowsAdminCenter is installed but its inbound firewall rule WacInboundOpenException is missing (WacInboundOpenException does not exist): the gateway port is closed to inbound connections.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      "New-NetFirewallRule -Name 'WacInboundOpenException' -DisplayName 'WacInboundOpenException' -Direction Inbound -Protocol TCP -LocalPort '6600' -Action Allow",
    ]);
    assert.equal(runRuleOn(rule, legacy, fw([{ name: 'SmeInboundOpenException', enabled: true, action: 'Block' }])).status, 'fail');
  });

  it('skips without the rule output, and when no gateway is installed and no rule exists', () => {
    const f = runRuleOn(rule, modern);
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['firewall.wacInbound']);
    const g = runRuleOn(rule, fw([], ['SmeInboundOpenException', 'WacInboundOpenException']));
    assert.equal(g.status, 'skip');
    assert.match(g.message, /^SmeInboundOpenException and WacInboundOpenException do not exist, and no WAC gateway service is seen installed/);
    assert.equal(runRuleOn(rule, fact('service.windowsadmincenter', { name: 'WindowsAdminCenter', state: 'not_found' }), fw([])).status, 'skip');
  });
});
