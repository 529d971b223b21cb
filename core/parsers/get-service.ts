import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const getServiceTableParser: TextParser = { id: 'getServiceTableParser', label: 'getServiceTableParser', detect: () => 0, parse: () => ({ observations: [] }) };
export const getServiceJsonParser: TextParser = { id: 'getServiceJsonParser', label: 'getServiceJsonParser', detect: () => 0, parse: () => ({ observations: [] }) };
