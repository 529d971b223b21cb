import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../rules';
import { explainText, proposedFixes } from './rule-docs';

describe('explain: the fixes a rule can propose (issue 9 item 11)', () => {
  it('meta.fixes names exactly the catalog fixes the rule source calls, and explain prints each one\'s commands', () => {
    for (const rule of RULES) {
      const source = readFileSync(join(__dirname, '..', '..', 'rules', `${rule.meta.id}.ts`), 'utf8');
      const called = [...new Set([...source.matchAll(/\bfixes\.([A-Za-z]+)\(/g)].map((m) => m[1]!))].filter((n) => n !== 'combine' && n !== 'manual');
      assert.deepEqual([...(rule.meta.fixes ?? [])].sort(), called.sort(), `${rule.meta.id}: meta.fixes`);
      const text = explainText(rule);
      for (const fix of proposedFixes(rule)) for (const c of fix.commands) assert.ok(text.includes(c.command.split('\n')[0]!), `${rule.meta.id}: ${c.command}`);
      assert.equal(text.includes('Fixes it can propose'), called.length > 0, rule.meta.id);
    }
    const ports = explainText(RULES.find((r) => r.meta.id === 'incoming-ports')!);
    assert.match(ports, /PowerShell: azcmagent config set incomingconnections\.ports '6516'|PowerShell: azcmagent config set incomingconnections\.ports 6516/);
    assert.ok(!/\*\*/.test(ports), 'no raw Markdown emphasis in text output');
  });
});
