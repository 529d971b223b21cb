import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const wacHomeParser: TextParser = { id: 'wacHomeParser', label: 'wacHomeParser', detect: () => 0, parse: () => ({ observations: [] }) };
