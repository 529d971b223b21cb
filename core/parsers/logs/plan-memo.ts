/**
 * What records say, remembered by their reading key (interpret.ts): the plans decided for them, the plans to replay
 * for other socket addresses, and the keys of records that say nothing. One PlanMemo serves every file of a bundle
 * that the interpreter reads alike (the same source and role): an agent writes the same records in each of its
 * rotated logs, and deciding a record afresh in each file was the main cost of reading a noisy bundle's misses.
 */
import type { SourceKind } from '../../model/types';
import type { ByteKeys } from './byte-keys';
import type { LogFacts, Stamp } from './collector';

/**
 * One step of what a record says: a LogFacts call, given the record's stamp and `sub`, which
 * turns text the plan states (errors, URLs, subjects) into the record's own when a plan is replayed for a record
 * that differs from the one decided only in its socket addresses (addresses.ts); the identity otherwise.
 */
export type Step = (facts: LogFacts, stamp: Stamp, sub: (s: string) => string) => void;

/**
 * What a record says, as steps to apply. `pure`: the steps depend only on the record's reading (readingOf) and on
 * the file's source and role, not on the file's state (the azcmagent operation being run), so every record with the
 * same reading in a file of that kind says the same.
 */
export interface Plan {
  steps: Step[];
  pure: boolean;
  /** Every string its steps state goes through `sub`: it can be replayed for other socket addresses. */
  addresses: boolean;
}

export const NOTHING: Plan = { steps: [], pure: true, addresses: true };

/**
 * What the byte keys remember for a record known to say nothing (in PlanTables.nothing, or ruled out by the hints):
 * no steps, and unlike a plan it counts neither way in the memo's probe.
 */
export const SAYS_NOTHING: Plan = { steps: [], pure: true, addresses: true };

/** Bounded: each table is emptied when full (the plans and their address table together). */
export const MEMO_MAX = 4096;
/**
 * Keys of records that say nothing kept (keys only, no plans): a noisy log's warnings that differ in a number
 * (`Timer callback took 4563 ms`) are thousands of keys, as many as the byte keys keep.
 */
export const NOTHING_MAX = 16384;

/** The memo of one kind of file (source and role). */
export interface PlanTables {
  plans: Map<string, Plan>;
  /** Pure plans by their key with its socket addresses blanked, with the addresses of the record decided. */
  byAddress: Map<string, { plan: Plan; ips: string[] }>;
  /** Keys of problem records that the hints rule out (they say nothing: no plan, no parse). */
  nothing: Set<string>;
  /** The plans of agent records by their bytes (byte-keys.ts), made when first needed; null: no WebAssembly. */
  bytes?: ByteKeys<Plan> | null;
}

export class PlanMemo {
  private readonly tables = new Map<string, PlanTables>();

  /** The tables for files of this source and role (what a plan depends on besides the record). */
  tablesFor(source: SourceKind, role: string): PlanTables {
    const kind = `${source}\n${role}`;
    let t = this.tables.get(kind);
    if (!t) this.tables.set(kind, (t = { plans: new Map(), byAddress: new Map(), nothing: new Set() }));
    return t;
  }
}

/** Remembers a plan (keys and addresses already detached); empties the tables when full. */
export function rememberPlan(t: PlanTables, key: string, plan: Plan, address?: { key: string; ips: string[] }): void {
  if (t.plans.size >= MEMO_MAX || t.byAddress.size >= MEMO_MAX) {
    t.plans.clear();
    t.byAddress.clear();
  }
  t.plans.set(key, plan);
  if (address) t.byAddress.set(address.key, { plan, ips: address.ips });
}

/** Remembers the key of a record that says nothing (detached); empties the set when full. */
export function rememberNothing(t: PlanTables, key: string): void {
  if (t.nothing.size >= NOTHING_MAX) t.nothing.clear();
  t.nothing.add(key);
}
