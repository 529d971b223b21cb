import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const checkTextParser: TextParser = { id: 'checkTextParser', label: 'checkTextParser', detect: () => 0, parse: () => ({ observations: [] }) };
export const checkJsonParser: TextParser = { id: 'checkJsonParser', label: 'checkJsonParser', detect: () => 0, parse: () => ({ observations: [] }) };
