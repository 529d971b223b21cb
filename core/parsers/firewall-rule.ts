/**
 * The inbound firewall rule the WAC installer creates (`SmeInboundOpenException`, legacy gateway;
 * `WacInboundOpenException`, modernized gateway), in two shapes:
 * - `Get-NetFirewallRule -Name SmeInboundOpenException,WacInboundOpenException | Format-List`: `Name : ...`,
 *   `Enabled : True`, `Direction : Inbound`, `Action : Allow`, `Profile : Any` blocks; a name that does not exist is
 *   the error `No MSFT_NetFirewallRule objects found with property 'Name' equal to '<name>'`;
 * - `netsh advfirewall firewall show rule name=<name>`: `Rule Name:  <name>`, a dash line, `Enabled:  Yes`,
 *   `Direction:  In`, `LocalPort:  6516`, `Action:  Allow`, `Ok.`; a missing one is `No rules match the specified
 *   criteria.` (which names the rule only through the command line pasted above it).
 * Only the installer's two names are kept: a fix never carries a name read from the input.
 */
import { observe, type FirewallRuleEntry, type Observation, type WacFirewallFact, type WacFirewallRuleName } from '../model/facts';
import { inputEvidence, lineEvidence, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';
import { listGet, parseListBlocks } from './get-service';

const NAMES: readonly WacFirewallRuleName[] = ['SmeInboundOpenException', 'WacInboundOpenException'];
const ruleName = (s: string | undefined): WacFirewallRuleName | undefined => NAMES.find((n) => n.toLowerCase() === s?.trim().toLowerCase());

/** Get-NetFirewallRule's not-found error; the name is a bounded run of word characters. */
const NOT_FOUND = /No MSFT_NetFirewallRule objects found with property 'Name' equal to '(\w{1,100})'/g;
/** A Format-List `Name : Sme|WacInboundOpenException` line. */
const LIST_NAME = /^Name[ \t]{1,40}:[ \t]{1,4}(?:Sme|Wac)InboundOpenException[ \t]{0,40}$/im;
/** netsh's `Rule Name:` line for one of the installer's rules. */
const NETSH_NAME = /^Rule Name:[ \t]{1,60}(?:Sme|Wac)InboundOpenException[ \t]{0,40}$/im;
/** The command line of a netsh paste: `show rule name=<name>` (quoted or not). */
const NETSH_COMMAND = /show[ \t]{1,10}rule[ \t]{1,10}name[ \t]{0,4}=[ \t]{0,4}"?(\w{1,100})/gi;

function fact(rules: FirewallRuleEntry[], notFound: WacFirewallRuleName[]): WacFirewallFact {
  return { rules, notFound: notFound.filter((n) => !rules.some((r) => r.name === n)) };
}

const bool = (s: string | undefined): boolean | undefined => {
  const v = s?.trim().toLowerCase();
  return v === 'true' || v === 'yes' ? true : v === 'false' || v === 'no' ? false : undefined;
};

function parseGetNetFirewallRule(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const rules: FirewallRuleEntry[] = [];
  const warnings: string[] = [];
  let first: number | undefined;
  for (const block of parseListBlocks(lines)) {
    const nameEntry = listGet(block, 'Name');
    if (!nameEntry) continue;
    const name = ruleName(nameEntry.value);
    if (!name) {
      warnings.push(`line ${nameEntry.line + 1}: rule "${nameEntry.value.slice(0, 60)}" is not the WAC installer's; ignored`);
      continue;
    }
    const enabled = bool(listGet(block, 'Enabled')?.value);
    if (enabled === undefined) {
      warnings.push(`line ${nameEntry.line + 1}: ${name} has no Enabled True/False; ignored`);
      continue;
    }
    const entry: FirewallRuleEntry = { name, enabled };
    const display = listGet(block, 'DisplayName')?.value;
    if (display) entry.displayName = display.slice(0, 200);
    const direction = listGet(block, 'Direction')?.value;
    if (direction) entry.direction = direction.slice(0, 20);
    const action = listGet(block, 'Action')?.value;
    if (action) entry.action = action.slice(0, 20);
    const profile = listGet(block, 'Profile')?.value;
    if (profile) entry.profile = profile.slice(0, 60);
    rules.push(entry);
    first ??= nameEntry.line;
  }
  const notFound: WacFirewallRuleName[] = [];
  let notFoundLine: number | undefined;
  lines.forEach((line, i) => {
    for (const m of line.matchAll(NOT_FOUND)) {
      const n = ruleName(m[1]);
      if (n && !notFound.includes(n)) notFound.push(n);
      if (n) notFoundLine ??= i;
    }
  });
  if (rules.length === 0 && notFound.length === 0) {
    throw new ParseError('no SmeInboundOpenException or WacInboundOpenException rule with Enabled, and no "No MSFT_NetFirewallRule objects found" error');
  }
  const line = first ?? notFoundLine!;
  return { observations: [observe('firewall.wacInbound', fact(rules, notFound), lineEvidence(input, line, lines[line]!))], warnings };
}

/** `Key:   value` of netsh output (the key has no space before the colon); undefined for other lines. */
function netshLine(line: string): { key: string; value: string } | undefined {
  const colon = line.indexOf(':');
  if (colon < 1 || colon > 40 || !/^[A-Za-z][A-Za-z ]*$/.test(line.slice(0, colon))) return undefined;
  return { key: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
}

function parseNetsh(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const rules: FirewallRuleEntry[] = [];
  const warnings: string[] = [];
  let current: { entry: Partial<FirewallRuleEntry> & { name?: WacFirewallRuleName }; line: number } | undefined;
  let first: number | undefined;
  const close = (): void => {
    if (!current) return;
    const { entry, line } = current;
    if (entry.name && entry.enabled !== undefined) {
      rules.push(entry as FirewallRuleEntry);
      first ??= line;
    } else if (entry.name) warnings.push(`line ${line + 1}: ${entry.name} has no Enabled Yes/No; ignored`);
    current = undefined;
  };
  lines.forEach((raw, i) => {
    const kv = netshLine(raw);
    if (!kv) return;
    if (kv.key === 'rule name') {
      close();
      const name = ruleName(kv.value);
      if (!name) warnings.push(`line ${i + 1}: rule "${kv.value.slice(0, 60)}" is not the WAC installer's; ignored`);
      current = { entry: name ? { name, displayName: kv.value.slice(0, 200) } : {}, line: i };
      return;
    }
    if (!current?.entry.name) return;
    const e = current.entry;
    if (kv.key === 'enabled') {
      const b = bool(kv.value);
      if (b !== undefined) e.enabled = b;
    } else if (kv.key === 'direction') e.direction = /^in$/i.test(kv.value) ? 'Inbound' : /^out$/i.test(kv.value) ? 'Outbound' : kv.value.slice(0, 20);
    else if (kv.key === 'action') e.action = kv.value.slice(0, 20);
    else if (kv.key === 'localport') e.localPort = kv.value.slice(0, 100);
    else if (kv.key === 'profiles') e.profile = kv.value.slice(0, 60);
  });
  close();
  // "No rules match": the names of the pasted command lines that found nothing.
  const notFound: WacFirewallRuleName[] = [];
  let notFoundLine: number | undefined;
  if (/No rules match the specified criteria/i.test(text)) {
    lines.forEach((line, i) => {
      for (const m of line.matchAll(NETSH_COMMAND)) {
        const n = ruleName(m[1]);
        if (n && !rules.some((r) => r.name === n) && !notFound.includes(n)) {
          notFound.push(n);
          notFoundLine ??= i;
        }
      }
    });
    if (notFound.length === 0 && rules.length === 0) throw new ParseError('netsh says "No rules match the specified criteria." but the pasted text does not show which rule name was asked (paste the command line too)');
  }
  if (rules.length === 0 && notFound.length === 0) throw new ParseError('no "Rule Name: SmeInboundOpenException" or "WacInboundOpenException" block with Enabled');
  const line = first ?? notFoundLine;
  const evidence = line !== undefined ? lineEvidence(input, line, lines[line]!) : inputEvidence(input);
  const observations: Observation[] = [observe('firewall.wacInbound', fact(rules, notFound), evidence)];
  return { observations, warnings };
}

export const getNetFirewallRuleParser: TextParser = {
  id: 'get-netfirewallrule',
  label: 'Get-NetFirewallRule (WAC inbound rule)',
  detect(text) {
    if (LIST_NAME.test(text) && /^Enabled[ \t]{1,40}:/m.test(text)) return /^PrimaryStatus[ \t]{1,40}:/m.test(text) ? 95 : 85;
    return /No MSFT_NetFirewallRule objects found with property 'Name' equal to '(?:Sme|Wac)InboundOpenException'/.test(text) ? 85 : 0;
  },
  parse: parseGetNetFirewallRule,
};

export const netshFirewallRuleParser: TextParser = {
  id: 'netsh-firewall-rule',
  label: 'netsh advfirewall firewall show rule (WAC inbound rule)',
  detect(text) {
    if (NETSH_NAME.test(text)) return /^Enabled:[ \t]/m.test(text) ? 95 : 80;
    return /No rules match the specified criteria/i.test(text) && /show[ \t]{1,10}rule[ \t]{1,10}name[ \t]{0,4}=[ \t]{0,4}"?(?:Sme|Wac)InboundOpenException/i.test(text) ? 85 : 0;
  },
  parse: parseNetsh,
};
