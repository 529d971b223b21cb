import type { TextParser } from '../parser';
// PLACEHOLDER: replaced by the real parser.
export const azMachineParser: TextParser = { id: 'azMachineParser', label: 'azMachineParser', detect: () => 0, parse: () => ({ observations: [] }) };
