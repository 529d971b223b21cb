import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const azProviderParser: TextParser = { id: 'azProviderParser', label: 'azProviderParser', detect: () => 0, parse: () => ({ observations: [] }) };
