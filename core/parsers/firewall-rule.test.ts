import { strict as assert } from 'node:assert';
import { getNetFirewallRuleParser, netshFirewallRuleParser } from './firewall-rule';
import { detectParser } from '.';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureText, observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';

describe('WAC inbound firewall rule parsers', () => {
  describe('Get-NetFirewallRule | Format-List', () => {
    it('reads a disabled SmeInboundOpenException and the not-found error for WacInboundOpenException', () => {
      const text = fixtureText('get-netfirewallrule-wac.txt');
      assert.equal(detectParser(text), getNetFirewallRuleParser);
      const r = getNetFirewallRuleParser.parse(text, pastedInput('fw.txt'));
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(observationRows(r), [['firewall.wacInbound', {
        rules: [{ name: 'SmeInboundOpenException', displayName: 'SmeInboundOpenException', enabled: false, direction: 'Inbound', action: 'Allow', profile: 'Any' }],
        notFound: ['WacInboundOpenException'],
      }, 4]]);
    });

    it('reads UTF-16LE (Windows PowerShell 5.1 > file), an enabled rule, and the error alone', () => {
      const enabled = fixtureText('get-netfirewallrule-wac.txt').replace('Enabled                       : False', 'Enabled                       : True');
      const text = decodeText(powerShellUtf16(enabled), 'fw.txt');
      assert.equal(detectParser(text), getNetFirewallRuleParser);
      assert.equal((getNetFirewallRuleParser.parse(text, pastedInput('fw.txt')).observations[0]!.value as { rules: Array<{ enabled: boolean }> }).rules[0]!.enabled, true);
      const onlyError = "Get-NetFirewallRule : No MSFT_NetFirewallRule objects found with property 'Name' equal to 'SmeInboundOpenException'.  Verify the value of the property and retry.\n";
      assert.equal(detectParser(onlyError), getNetFirewallRuleParser);
      assert.deepEqual(getNetFirewallRuleParser.parse(onlyError, pastedInput('e.txt')).observations[0]!.value, { rules: [], notFound: ['SmeInboundOpenException'] });
    });

    it('ignores other rules and refuses input without the installer\'s rules', () => {
      const other = 'Name    : RemoteDesktop-UserMode-In-TCP\nEnabled : True\n\nName    : SmeInboundOpenException\nEnabled : maybe\n';
      assert.throws(() => getNetFirewallRuleParser.parse(other, pastedInput('x.txt')), ParseError);
      assert.equal(detectParser('Name : RemoteDesktop-UserMode-In-TCP\nEnabled : True\n'), undefined);
      assert.throws(() => getNetFirewallRuleParser.parse('', pastedInput('x.txt')), ParseError);
      const mixed = getNetFirewallRuleParser.parse(`${other}\nName    : WacInboundOpenException\nEnabled : True\n`, pastedInput('x.txt'));
      assert.equal(mixed.warnings?.length, 2);
      assert.deepEqual(mixed.observations[0]!.value, { rules: [{ name: 'WacInboundOpenException', enabled: true }], notFound: [] });
    });
  });

  describe('netsh advfirewall firewall show rule', () => {
    it('reads an enabled rule with its port, and "No rules match" for the name on the pasted command line', () => {
      const text = fixtureText('netsh-firewall-rule-wac.txt');
      assert.equal(detectParser(text), netshFirewallRuleParser);
      const r = netshFirewallRuleParser.parse(text, pastedInput('netsh.txt'));
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(observationRows(r), [['firewall.wacInbound', {
        rules: [{ name: 'SmeInboundOpenException', displayName: 'SmeInboundOpenException', enabled: true, direction: 'Inbound', profile: 'Domain,Private,Public', localPort: '6516', action: 'Allow' }],
        notFound: ['WacInboundOpenException'],
      }, 3]]);
    });

    it('refuses "No rules match" without the command line, and a block without Enabled', () => {
      assert.throws(() => netshFirewallRuleParser.parse('No rules match the specified criteria.\n', pastedInput('n.txt')), /does not show which rule name was asked/);
      assert.throws(() => netshFirewallRuleParser.parse('Rule Name:   SmeInboundOpenException\n-----\nDirection:   In\n', pastedInput('n.txt')), ParseError);
      assert.equal(detectParser('No rules match the specified criteria.\n'), undefined);
    });

    it('refuses a malformed paste (long runs of spaces and colons) with a ParseError', () => {
      const hostile = `Rule Name:${' '.repeat(100_000)}SmeInboundOpenException\n${'Enabled:'.repeat(20_000)}\n${':'.repeat(100_000)}\n`;
      assert.throws(() => netshFirewallRuleParser.parse(hostile, pastedInput('h.txt')), ParseError);
    });
  });
});
