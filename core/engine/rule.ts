/**
 * What a rule is: ESLint-style `meta` plus a pure `check` over facts. Rules do no I/O.
 */
import type { FactName, FactValue, KeyedFactMap, KeyedFamily } from '../model/facts';
import type { Category, Evidence, Fix, SourceKind } from '../model/types';
import type { ProposableFix } from '../catalog/fix-examples';

/** Rule docs live in this repository under docs/rules/<id>.md; the URL is derived, never typed. */
export const DOCS_BASE = 'https://github.com/wac-doctor/wac-doctor/blob/main/docs/rules/';

export function docsUrlFor(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

export interface RuleMeta {
  /** Stable id, kebab-case: `incoming-ports`. */
  id: string;
  /** What passing means, as a short sentence: "Agent allows the WAC port for incoming connections". */
  title: string;
  category: Category;
  /** The status the rule gives when its check fails outright (`warn` for soft signals). */
  severity: 'fail' | 'warn';
  /** Markdown: what is checked, why it matters for WAC, and how each status is decided. */
  description: string;
  /** Public documentation behind the rule. */
  references: string[];
  /** Every one of these must be present (names may contain `*`, e.g. `probe.*.wac.azure.com`). */
  requires: FactName[];
  /** For each group, at least one member must be present. */
  anyOf?: FactName[][];
  /**
   * Facts that let the check run although `anyOf` is not met: it decides what they alone can decide, and otherwise
   * skips naming what is missing (skipMissing), as the engine would have.
   */
  decidesAlsoOn?: FactName[];
  /** Read when present; never the reason for a skip. */
  optional?: FactName[];
  /** Which kinds of source can supply the facts. */
  appliesTo: SourceKind[];
  /**
   * The rule is about Windows Admin Center itself (its gateway, port, extension, role, license): on a machine the os
   * fact says is not Windows it skips, since WAC in the Azure portal manages Windows Server only.
   */
  wacOnly?: boolean;
  /** The catalog fixes (core/catalog/fixes) the rule can propose, for `explain`; a test holds it to the rule's source. */
  fixes?: readonly ProposableFix[];
}

export type OutcomeStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Outcome {
  status: OutcomeStatus;
  message: string;
  /** Defaults to the evidence of every fact the rule read. */
  evidence?: Evidence[];
  fix?: Fix;
  /**
   * A skip for facts the rule found missing itself (it ran on its `decidesAlsoOn` facts, which decide only some
   * outcomes): the finding names them, and its message is the engine's for missing facts.
   */
  missing?: string[];
}

export interface RuleOptions {
  /** Report time; rules that age things (heartbeat) measure from here. */
  now: Date;
  /**
   * Where `now` came from: the clock (live checks, or inputs that state no time), or the newest time the inputs
   * state (pasted outputs and bundles: when they were captured), which messages then name as such.
   */
  nowFrom?: 'clock' | 'inputs';
}

export interface RuleContext {
  /** A fact's resolved value; reading it adds its evidence to the finding. */
  get<N extends FactName>(name: N): FactValue<N> | undefined;
  has(name: FactName): boolean;
  /** Every keyed fact of a family whose key matches `keyPattern` (`*` wildcard), e.g. all('probe', '*.wac.azure.com'). */
  all<F extends KeyedFamily>(family: F, keyPattern?: string): Array<{ key: string; value: KeyedFactMap[F] }>;
  /** Like `all`, without marking the facts read: for context that does not support the finding itself. */
  peek<F extends KeyedFamily>(family: F, keyPattern?: string): Array<{ key: string; value: KeyedFactMap[F] }>;
  /** Evidence behind a fact without marking it read. */
  evidence(name: FactName): Evidence[];
  readonly options: RuleOptions;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): Outcome;
}

export function defineRule(rule: Rule): Rule {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.meta.id)) throw new Error(`rule id must be kebab-case: ${rule.meta.id}`);
  return rule;
}

export const pass = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ ...extra, status: 'pass', message });
export const fail = (message: string, fix?: Fix, extra: Partial<Outcome> = {}): Outcome => ({ ...extra, status: 'fail', message, ...(fix ? { fix } : {}) });
export const warn = (message: string, fix?: Fix, extra: Partial<Outcome> = {}): Outcome => ({ ...extra, status: 'warn', message, ...(fix ? { fix } : {}) });
export const skip = (message: string): Outcome => ({ status: 'skip', message });
/** A skip for `missing` facts (groups of alternatives as `a | b`), said as the engine says a requirement unmet. */
export const skipMissing = (missing: string[]): Outcome => ({ status: 'skip', message: '', missing });
