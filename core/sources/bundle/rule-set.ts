/** The rule set a worker thread runs: core does not import rules/, so the shell names the module that exports `RULES`. */
import type { Rule } from '../../engine/rule';

export function loadRuleSet(module: string): readonly Rule[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module named at run time, by the caller
  return (require(module) as { RULES: readonly Rule[] }).RULES;
}
