/**
 * Holds every observation and resolves each fact to one value, per the fact's `combine` mode.
 * Disagreements are kept so a finding can say which older value it ignored.
 */
import { factDef, type FactName, type FactValue, type Observation } from '../model/facts';
import type { Evidence } from '../model/types';

export interface ResolvedFact<N extends FactName = FactName> {
  name: N;
  value: FactValue<N>;
  evidence: Evidence[];
  time?: string;
  /** Older observations whose value differs from the resolved one. */
  superseded: Observation<N>[];
}

function timeOf(o: Observation): number {
  if (!o.time) return Number.NEGATIVE_INFINITY;
  const t = Date.parse(o.time);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Where an older value disagrees with the resolved one: the names of differing fields for objects
 * (only `significant` ones, when the fact defines them), or [''] for differing plain values.
 */
export function differingFields(older: unknown, resolved: unknown, significant?: readonly string[]): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(older) || !isObj(resolved)) return same(older, resolved) ? [] : [''];
  const keys = significant ?? Object.keys(older);
  return keys.filter((k) => older[k] !== undefined && !same(older[k], resolved[k]));
}

function dedupeEvidence(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.source}|${e.path ?? ''}|${e.line ?? ''}|${e.excerpt ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Compiled `*` patterns: they come from the rules (a fixed set), and a fleet matches them once per machine. */
const PATTERNS = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let re = PATTERNS.get(pattern);
  if (!re) {
    re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i');
    if (PATTERNS.size < 1000) PATTERNS.set(pattern, re);
  }
  return re;
}

export class FactStore {
  private readonly observations = new Map<string, Observation[]>();
  private readonly cache = new Map<string, ResolvedFact>();

  add(...obs: Observation[]): void {
    this.addAll(obs);
  }

  /** For parser results: a spread of 100,000+ observations overflows the call stack. */
  addAll(obs: readonly Observation[]): void {
    for (const o of obs) {
      const list = this.observations.get(o.name) ?? [];
      list.push(o);
      this.observations.set(o.name, list);
      this.cache.delete(o.name);
    }
  }

  /** The newest time any observation states: when a snapshot of pasted outputs was taken, at the latest. */
  latestTime(): Date | undefined {
    let best = Number.NEGATIVE_INFINITY;
    for (const list of this.observations.values()) for (const o of list) best = Math.max(best, timeOf(o));
    return Number.isFinite(best) ? new Date(best) : undefined;
  }

  names(): string[] {
    return [...this.observations.keys()].sort();
  }

  has(name: FactName): boolean {
    return this.observations.has(name);
  }

  /** Fact names matching a pattern where `*` stands for any run of characters (`probe.*.wac.azure.com`). */
  match(pattern: string): FactName[] {
    if (!pattern.includes('*')) return this.observations.has(pattern) ? [pattern as FactName] : [];
    const re = patternRegExp(pattern);
    return [...this.observations.keys()].filter((n) => re.test(n)).sort() as FactName[];
  }

  resolve<N extends FactName>(name: N): ResolvedFact<N> | undefined {
    const cached = this.cache.get(name);
    if (cached) return cached as ResolvedFact<N>;
    const list = this.observations.get(name) as Observation<N>[] | undefined;
    if (!list || list.length === 0) return undefined;
    const def = factDef(name);
    const mode = def?.combine ?? 'newest';
    const significant = def?.significant;
    // Stable sort, oldest first; observations without time rank oldest, ties keep input order.
    const ordered = list.map((o, i) => ({ o, i })).sort((a, b) => timeOf(a.o) - timeOf(b.o) || a.i - b.i).map((x) => x.o);
    const newest = ordered[ordered.length - 1]!;
    let resolved: ResolvedFact<N>;
    if (mode === 'list') {
      const items: unknown[] = [];
      for (const o of ordered) for (const item of o.value as unknown[]) if (!items.some((x) => same(x, item))) items.push(item);
      resolved = { name, value: items as FactValue<N>, evidence: dedupeEvidence(ordered.flatMap((o) => o.evidence)), superseded: [] };
    } else if (mode === 'merge') {
      const merged: Record<string, unknown> = {};
      const superseded: Observation<N>[] = [];
      for (const o of ordered) {
        const fields = o.value as unknown as Record<string, unknown>;
        for (const [k, v] of Object.entries(fields)) if (v !== undefined) merged[k] = v;
      }
      for (const o of ordered.slice(0, -1)) if (differingFields(o.value, merged, significant).length > 0) superseded.push(o);
      resolved = { name, value: merged as FactValue<N>, evidence: dedupeEvidence(ordered.flatMap((o) => o.evidence)), superseded };
    } else {
      resolved = {
        name, value: newest.value, evidence: newest.evidence,
        superseded: ordered.slice(0, -1).filter((o) => differingFields(o.value, newest.value, significant).length > 0),
      };
    }
    if (newest.time) resolved.time = newest.time;
    this.cache.set(name, resolved);
    return resolved;
  }

  get<N extends FactName>(name: N): FactValue<N> | undefined {
    return this.resolve(name)?.value;
  }
}
