import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const regQueryParser: TextParser = { id: 'regQueryParser', label: 'regQueryParser', detect: () => 0, parse: () => ({ observations: [] }) };
