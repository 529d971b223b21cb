// PLACEHOLDER: replaced by the real rule.
import { defineRule, skip } from '../core/rule';

export default defineRule({
  meta: { id: 'wac-existing-install', title: 'wac-existing-install', category: 'requirements', severity: 'fail', description: '', references: [], requires: [], appliesTo: ['pasted'] },
  check: () => skip('not implemented'),
});
