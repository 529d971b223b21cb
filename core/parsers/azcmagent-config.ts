import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const configTextParser: TextParser = { id: 'configTextParser', label: 'configTextParser', detect: () => 0, parse: () => ({ observations: [] }) };
export const configJsonParser: TextParser = { id: 'configJsonParser', label: 'configJsonParser', detect: () => 0, parse: () => ({ observations: [] }) };
