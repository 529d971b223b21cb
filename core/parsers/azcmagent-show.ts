import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const showTextParser: TextParser = { id: 'showTextParser', label: 'showTextParser', detect: () => 0, parse: () => ({ observations: [] }) };
export const showJsonParser: TextParser = { id: 'showJsonParser', label: 'showJsonParser', detect: () => 0, parse: () => ({ observations: [] }) };
