import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const azExtensionParser: TextParser = { id: 'azExtensionParser', label: 'azExtensionParser', detect: () => 0, parse: () => ({ observations: [] }) };
