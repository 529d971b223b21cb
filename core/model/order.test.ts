import { strict as assert } from 'node:assert';
import { orderFindings } from './order';
import { RULES } from '../../rules';
import { CATEGORY_ORDER, type Finding } from './types';
import { docsUrlFor } from '../engine/rule';

describe('report order (core/model/order)', () => {
  it('the catalog is grouped by category in CATEGORY_ORDER, so catalog order is the text report order too', () => {
    // agent-error-code sat last in rules/index.ts while its category is agent: JSON/SARIF/JUnit printed it last.
    const ranks = RULES.map((r) => CATEGORY_ORDER.indexOf(r.meta.category));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), RULES.map((r) => `${r.meta.category}:${r.meta.id}`).join(' '));
    const agent = RULES.filter((r) => r.meta.category === 'agent').map((r) => r.meta.id);
    assert.ok(agent.includes('agent-error-code'));
  });

  it('puts fail, warn, error, pass, skip in that order, stable inside each status', () => {
    const f = (ruleId: string, status: Finding['status'], category: Finding['category'] = 'agent'): Finding =>
      ({ ruleId, status, category, title: ruleId, message: '', evidence: [], docsUrl: docsUrlFor(ruleId) });
    const got = orderFindings([f('s', 'skip'), f('p', 'pass'), f('e', 'error'), f('w2', 'warn', 'azure'), f('w1', 'warn', 'requirements'), f('f', 'fail')]);
    assert.deepEqual(got.map((x) => x.ruleId), ['f', 'w1', 'w2', 'e', 'p', 's']);
  });
});
