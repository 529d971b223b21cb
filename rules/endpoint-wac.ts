// PLACEHOLDER: replaced by the real rule.
import { defineRule, skip } from '../core/rule';

export default defineRule({
  meta: { id: 'endpoint-wac', title: 'endpoint-wac', category: 'requirements', severity: 'fail', description: '', references: [], requires: [], appliesTo: ['pasted'] },
  check: () => skip('not implemented'),
});
