// PLACEHOLDER: replaced by the real rule.
import { defineRule, skip } from '../core/rule';

export default defineRule({
  meta: { id: 'endpoint-pas', title: 'endpoint-pas', category: 'requirements', severity: 'fail', description: '', references: [], requires: [], appliesTo: ['pasted'] },
  check: () => skip('not implemented'),
});
