/**
 * Runs rules over a FactStore: checks requirements (skip, naming what is missing), runs each rule
 * in isolation (a throwing rule is `error` for itself alone), and attaches evidence.
 */
import { factDef, type FactName, type KeyedFamily, type KeyedFactMap } from '../model/facts';
import { differingFields, type FactStore } from './fact-store';
import { docsUrlFor, type Outcome, type Rule, type RuleContext, type RuleOptions } from './rule';
import type { Evidence, Finding, SourceKind } from '../model/types';
import { clipWords } from '../text/clip';

/**
 * "service state (service.servermanagementgateway or service.windowsadmincenter; from sc query or Get-Service)":
 * alternatives that share a description and sources are named once.
 */
function describeAlternatives(names: string[]): string {
  const groups = new Map<string, { what: string; sources: string[]; names: string[] }>();
  for (const name of names) {
    const def = factDef(name);
    const key = def ? `${def.description}|${def.sources.join('|')}` : name;
    const g = groups.get(key) ?? { what: def?.description ?? name, sources: def?.sources ?? [], names: [] };
    g.names.push(name);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => `${g.what} (${g.names.join(' or ')}${g.sources.length ? `; from ${g.sources.join(' or ')}` : ''})`)
    .join(', or ');
}

function missingFacts(rule: Rule, facts: FactStore): string[] {
  const missing: string[] = [];
  for (const name of rule.meta.requires) if (facts.match(name).length === 0) missing.push(name);
  for (const group of rule.meta.anyOf ?? []) {
    if (!group.some((n) => facts.match(n).length > 0)) missing.push(group.join(' | '));
  }
  return missing;
}

function skipMessage(rule: Rule, missing: string[], sourceKinds: ReadonlySet<SourceKind>): string {
  const parts = missing.map((m) => describeAlternatives(m.split(' | ')));
  let msg = `Not checked: needs ${parts.join('; and ')}.`;
  if (sourceKinds.size > 0 && !rule.meta.appliesTo.some((k) => sourceKinds.has(k))) {
    const where = rule.meta.appliesTo.map((k) => (k === 'live' ? 'a live check on the machine' : k === 'bundle' ? 'a logs bundle' : 'pasted output')).join(' or ');
    msg += ` This check needs ${where}.`;
  }
  return msg;
}

/**
 * A superseded value in words for a message: scalars as they are, lists joined, a probe layer as reached/failed;
 * any other object has no wording (undefined), and the note then only says the value differed. Never JSON.
 */
export function inWords(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? 'empty' : clipWords(v, 80);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'not set';
  if (Array.isArray(v)) return v.every((x) => ['string', 'number', 'boolean'].includes(typeof x)) ? (v.length ? `[${v.join(', ')}]` : 'empty') : undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.ok === 'boolean') return o.ok ? 'reached' : `failing${typeof o.error === 'string' && o.error ? ` (${clipWords(o.error, 80)})` : ''}`;
  return undefined;
}

export interface EngineOptions extends RuleOptions {
  /** Kinds of source in this run, for skip explanations. */
  sourceKinds?: ReadonlySet<SourceKind>;
}

export const WAC_WINDOWS_ONLY = 'WAC in the Azure portal manages Windows Server only';

/** The os fact says the machine is not Windows (Linux, or another system whose name is not Windows). */
function notWindows(facts: FactStore): { name: string; evidence: Evidence[] } | undefined {
  const os = facts.resolve('os');
  if (!os || os.value.platform === 'windows' || (os.value.platform === 'other' && /windows/i.test(os.value.name ?? ''))) return undefined;
  return { name: os.value.name?.trim() || os.value.platform, evidence: os.evidence };
}

export function runRule(rule: Rule, facts: FactStore, options: EngineOptions): Finding {
  const base = { ruleId: rule.meta.id, title: rule.meta.title, category: rule.meta.category, docsUrl: docsUrlFor(rule.meta.id) };
  const other = rule.meta.wacOnly ? notWindows(facts) : undefined;
  if (other) {
    return { ...base, status: 'skip', message: `Not applicable: ${WAC_WINDOWS_ONLY}, and this machine runs ${clipWords(other.name, 80)}.`, evidence: dedupe(other.evidence) };
  }
  const missing = missingFacts(rule, facts);
  // Only an unmet anyOf can be made up for by decidesAlsoOn; a missing `requires` fact still skips.
  const decidesAnyway = missing.length > 0 && !missing.some((m) => (rule.meta.requires as readonly string[]).includes(m)) && (rule.meta.decidesAlsoOn ?? []).some((n) => facts.match(n).length > 0);
  if (missing.length > 0 && !decidesAnyway) {
    return { ...base, status: 'skip', message: skipMessage(rule, missing, options.sourceKinds ?? new Set()), evidence: [], missing };
  }
  const read = new Set<FactName>();
  const ctx: RuleContext = {
    get(name) {
      const r = facts.resolve(name);
      if (r) read.add(name);
      return r?.value;
    },
    has: (name) => facts.has(name),
    all<F extends KeyedFamily>(family: F, keyPattern = '*') {
      return facts.match(`${family}.${keyPattern}`).map((name) => {
        read.add(name);
        return { key: name.slice(family.length + 1), value: facts.get(name) as unknown as KeyedFactMap[F] };
      });
    },
    peek<F extends KeyedFamily>(family: F, keyPattern = '*') {
      return facts.match(`${family}.${keyPattern}`).map((name) => ({ key: name.slice(family.length + 1), value: facts.get(name) as unknown as KeyedFactMap[F] }));
    },
    evidence: (name) => facts.resolve(name)?.evidence ?? [],
    options,
  };
  let outcome: Outcome;
  try {
    outcome = rule.check(ctx);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ...base, status: 'error', message: `The rule failed to run: ${why}`, evidence: [] };
  }
  if (outcome.status === 'skip' && outcome.missing?.length) {
    return { ...base, status: 'skip', message: skipMessage(rule, outcome.missing, options.sourceKinds ?? new Set()), evidence: [], missing: outcome.missing };
  }
  const evidence: Evidence[] = outcome.evidence ?? [...read].flatMap((n) => facts.resolve(n)?.evidence ?? []);
  let message = outcome.message;
  if (outcome.status !== 'skip') {
    for (const name of read) {
      const r = facts.resolve(name);
      for (const old of r?.superseded ?? []) {
        const where = old.evidence[0]?.path ?? old.evidence[0]?.source ?? 'another input';
        const fields = differingFields(old.value, r!.value, factDef(name)?.significant);
        const said = (what: string, v: unknown): string => {
          const w = inWords(v);
          return w === undefined ? `${what} differed` : `${what} was ${w}`;
        };
        const was = fields.length === 1 && fields[0] === ''
          ? said(name, old.value)
          : fields.map((f) => said(`${name} ${f}`, (old.value as unknown as Record<string, unknown>)[f])).join(', ');
        message += ` (${was} in ${where}${old.time ? ` at ${old.time}` : ''}; the newer value was used.)`;
      }
    }
    // Facts read from a sentence, not from a command output or log field, are said to be so.
    const prose = [...read].filter((n) => {
      const ev = facts.resolve(n)?.evidence ?? [];
      return ev.length > 0 && ev.every((e) => e.prose);
    });
    if (prose.length > 0) message += ` (Stated in the text of ${[...new Set(prose.flatMap((n) => facts.resolve(n)!.evidence.map((e) => e.path ?? e.source)))].join(', ')}, not read from the machine: confirm it there.)`;
  }
  const finding: Finding = { ...base, status: outcome.status, message, evidence: supporting(outcome.status, dedupe(evidence)) };
  if (outcome.fix) finding.fix = outcome.fix;
  return finding;
}

/** A JSON line that only opens or closes an object or list (`"status": {`): it shows where, not what. */
const STRUCTURE_ONLY = /^[\s{}[\],]*(?:"[^"]{1,80}"\s*:\s*[{[][\s,]*)?$/;
/** A line that records success: under a problem it is not evidence for it. */
const SUCCESS_LINE = /\b(?:Connectivity test passed|Exit ?Code\s*[=:]\s*0(?![\d.]))/i;

/**
 * Under a fail or warn, only the lines that support it: success lines go (a fact's evidence holds every line that
 * stated it, a success before the failure too) unless nothing else is left, and a structure-only JSON line keeps
 * its file and line (where the block starts) without the excerpt that says nothing.
 */
export function supporting(status: Finding['status'], list: Evidence[]): Evidence[] {
  if (status !== 'fail' && status !== 'warn') return list;
  const kept = list.filter((e) => e.excerpt === undefined || !SUCCESS_LINE.test(e.excerpt));
  return (kept.length > 0 ? kept : list).map((e) => {
    if (e.excerpt === undefined || !STRUCTURE_ONLY.test(e.excerpt) || e.path === undefined) return e;
    const { excerpt: _dropped, ...rest } = e;
    return rest;
  });
}

function dedupe(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = JSON.stringify(e);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

export function runRules(rules: readonly Rule[], facts: FactStore, options: EngineOptions): Finding[] {
  return rules.map((r) => runRule(r, facts, options));
}
