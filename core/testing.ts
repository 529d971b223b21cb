/**
 * Helpers for rule and parser tests (shipped like insights-core's `tests` module):
 * build a FactStore from observations and run one rule on it through the real engine.
 */
import { FactStore } from './fact-store';
import { runRule } from './engine';
import { observe, type FactName, type FactValue, type Observation } from './facts';
import type { Rule } from './rule';
import type { Evidence, Finding } from './types';

export const testEvidence = (path = 'test-input.txt', line = 1, excerpt = 'test'): Evidence => ({ source: 'pasted', path, line, excerpt });

/** An observation with default evidence, for tests: fact('agent.version', '1.45.02669.1635'). */
export function fact<N extends FactName>(name: N, value: FactValue<N>, time?: string, evidence: Evidence = testEvidence()): Observation<N> {
  return observe(name, value, evidence, time);
}

export function storeWith(...observations: Observation[]): FactStore {
  const store = new FactStore();
  store.add(...observations);
  return store;
}

export const TEST_NOW = new Date('2026-11-26T12:00:00Z');

export function runRuleOn(rule: Rule, ...observations: Observation[]): Finding {
  return runRule(rule, storeWith(...observations), { now: TEST_NOW });
}
