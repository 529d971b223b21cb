/**
 * Helpers for rule and parser tests (shipped like insights-core's `tests` module):
 * build a FactStore from observations and run one rule on it through the real engine; read the pasted
 * fixtures and pick observations out of a parser's result.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FactStore } from '../../core/engine/fact-store';
import { runRule } from '../../core/engine/run';
import { observe, type FactName, type FactValue, type Observation } from '../../core/model/facts';
import type { InputRef, ParseResult } from '../../core/parsers/parser';
import type { Rule } from '../../core/engine/rule';
import { decodeText } from '../../core/text/text-input';
import type { Evidence, Finding } from '../../core/model/types';

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

/** fixtures/pasted in the repository: command outputs as users paste them (read from a checkout). */
const PASTED_FIXTURES = join(__dirname, '..', '..', 'fixtures', 'pasted');

/** The bytes of a fixture under fixtures/pasted: fixtureBuffer('az-machine-show.json'). */
export function fixtureBuffer(...segments: string[]): Buffer {
  return readFileSync(join(PASTED_FIXTURES, ...segments));
}

/** A fixture under fixtures/pasted decoded like a pasted input (BOM, UTF-16), named by its path there. */
export function fixtureText(...segments: string[]): string {
  return decodeText(fixtureBuffer(...segments), join(...segments));
}

/** The InputRef of a pasted input at `path`. */
export function pastedInput(path: string): InputRef {
  return { path, source: 'pasted' };
}

/** What Windows PowerShell 5.1 `> file.txt` writes for `text`: UTF-16LE with a BOM and CRLF line ends. */
export function powerShellUtf16(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]);
}

/** The one observation of fact `name` in a parser's result; fails unless it was observed exactly once. */
export function onlyObservation(result: ParseResult, name: string): Observation {
  const hits = result.observations.filter((o) => o.name === name);
  assert.equal(hits.length, 1, `${name} observed ${hits.length} times; got ${result.observations.map((o) => o.name).join(', ')}`);
  return hits[0]!;
}

/** [fact name, value, first evidence line] of each observation, in order. */
export function observationRows(result: ParseResult): unknown[] {
  return result.observations.map((o) => [o.name, o.value, o.evidence[0]!.line]);
}
