import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const scQueryParser: TextParser = { id: 'scQueryParser', label: 'scQueryParser', detect: () => 0, parse: () => ({ observations: [] }) };
