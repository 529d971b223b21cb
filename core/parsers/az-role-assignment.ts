import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const azRoleAssignmentParser: TextParser = { id: 'azRoleAssignmentParser', label: 'azRoleAssignmentParser', detect: () => 0, parse: () => ({ observations: [] }) };
