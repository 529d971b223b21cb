/**
 * `azcmagent config list` as text (current `Local Configuration Settings` and old `Local configuration setting`
 * layouts), as `-j` JSON (`{localsettings: [{key, value}]}`), and the agent's flat `localconfig.json`.
 * All three become (key, value, evidence) entries mapped to config facts by one table.
 */
import { observe, type Observation } from '../model/facts';
import {
  asObject, evidenceAt, jsonProblem, parseBool, prop, scalarText, type JsonObject as Json,
  lineEvidence, ParseError, parseJsonLoose,
  type InputRef, type ParseResult, type TextParser,
} from './parser';
import { parsePortList } from '../model/ports';
import { jsonLineIndex } from './az-extension';
import type { Evidence } from '../model/types';

export interface ConfigEntry { key: string; value: unknown; evidence: Evidence }

type Def =
  | { kind: 'bool'; fact: 'config.incomingConnectionsEnabled' | 'config.extensionsEnabled' | 'config.guestConfigurationEnabled' }
  | { kind: 'ports'; fact: 'config.incomingConnectionsPorts' }
  | { kind: 'list'; fact: 'config.proxyBypass' | 'config.extensionsAllowlist' | 'config.extensionsBlocklist' }
  /** `string` keeps the value ('' included); `lower` lowercases it and skips ''. */
  | { kind: 'string' | 'lower'; fact: 'config.proxyUrl' | 'config.mode' | 'config.connectionType' };

/** Config keys we read -> fact and value kind. Other keys (cpulimit, ...) are ignored. */
const KEYS: Record<string, Def> = {
  'incomingconnections.enabled': { fact: 'config.incomingConnectionsEnabled', kind: 'bool' },
  'incomingconnections.ports': { fact: 'config.incomingConnectionsPorts', kind: 'ports' },
  'proxy.url': { fact: 'config.proxyUrl', kind: 'string' },
  'proxy.bypass': { fact: 'config.proxyBypass', kind: 'list' },
  'extensions.allowlist': { fact: 'config.extensionsAllowlist', kind: 'list' },
  'extensions.blocklist': { fact: 'config.extensionsBlocklist', kind: 'list' },
  'extensions.enabled': { fact: 'config.extensionsEnabled', kind: 'bool' },
  'guestconfiguration.enabled': { fact: 'config.guestConfigurationEnabled', kind: 'bool' },
  'config.mode': { fact: 'config.mode', kind: 'lower' },
  'connection.type': { fact: 'config.connectionType', kind: 'lower' },
};

/** Whether a normalized key is one the config facts are read from. */
export function isConfigKey(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(KEYS, key);
}

/** `incomingconnections.ports (preview)` -> `incomingconnections.ports`. */
export function normalizeConfigKey(raw: string): string {
  const t = raw.trim();
  // endsWith, not /\s*\(preview\)$/: that regex retries its \s* at every space of a long key.
  return (t.slice(-9).toLowerCase() === '(preview)' ? t.slice(0, -9).trimEnd() : t).toLowerCase();
}

/** `[]`, `[a b]`, `[a,b]`, `a,b`, `["a","b"]`, or a JSON array -> trimmed non-empty strings. */
export function parseStringList(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter((x) => x !== '');
  if (v === null || v === undefined) return [];
  if (typeof v !== 'string') return undefined;
  return v.replace(/[[\]"']/g, ' ').split(/[\s,;]+/).filter((x) => x !== '');
}

/** Config facts from (key, value) entries, one table for every form (the first entry of a key counts). */
export function configObservations(entries: readonly ConfigEntry[]): ParseResult {
  const observations: Observation[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const { key, value, evidence } of entries) {
    const def = KEYS[key];
    if (!def || seen.has(key)) continue;
    seen.add(key);
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    switch (def.kind) {
      case 'bool': {
        const b = parseBool(value);
        if (b === undefined) warnings.push(`${key}: expected true or false, got ${shown}; ignored`);
        else observations.push(observe(def.fact, b, evidence));
        break;
      }
      case 'ports': {
        const raw = typeof value === 'number' ? [value] : value;
        const ports = parsePortList(raw);
        const tokens = new Set(parseStringList(raw) ?? []);
        if (tokens.size > ports.length) warnings.push(`${key}: ignored entries that are not ports 1-65535 in ${shown}`);
        observations.push(observe('config.incomingConnectionsPorts', ports, evidence));
        break;
      }
      case 'list': {
        const list = parseStringList(value);
        if (list === undefined) warnings.push(`${key}: expected a list, got ${shown}; ignored`);
        else observations.push(observe(def.fact, list, evidence));
        break;
      }
      case 'string':
      case 'lower': {
        const s = scalarText(value);
        if (s === undefined) warnings.push(`${key}: expected text, got ${shown}; ignored`);
        // An empty proxy.url means "no proxy"; an empty mode or type says nothing.
        else if (def.kind === 'string') observations.push(observe(def.fact, s, evidence));
        else if (s !== '') observations.push(observe(def.fact, s.toLowerCase(), evidence));
        break;
      }
    }
  }
  return warnings.length ? { observations, warnings } : { observations };
}

// ---- text ----

// Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run.
const HEADER = /^[ \t]*Local configuration settings?\s*(?::\s*)?$/im;
/** `  incomingconnections.ports (preview)     : [22 6516]`: a dotted key, optional ` (preview)`, the first colon. */
const KEY_LINE = /^\s*([a-z][\w-]*(?:\.[\w-]+)+(?:\s*\(preview\))?)\s*:(.*)$/i;
const KNOWN_KEY_LINE = /^[ \t]*(?:incomingconnections\.\w+|proxy\.(?:url|bypass)|extensions\.(?:allowlist|blocklist|enabled)|guestconfiguration\.enabled|config\.mode|connection\.type)(?:\s*\(preview\))?\s*:/gim;

export const configTextParser: TextParser = {
  id: 'azcmagent-config-text',
  label: 'azcmagent config list',
  detect(t) {
    const head = t.slice(0, 65536);
    if (HEADER.test(head)) return 85;
    if (/^[ \t]*incomingconnections\.\w+(?:\s*\(preview\))?\s*:/im.test(head)) return 80;
    const known = head.match(KNOWN_KEY_LINE)?.length ?? 0;
    return known >= 2 ? 70 : known === 1 ? 40 : 0;
  },
  parse(t, input) {
    const lines = t.split('\n');
    const entries: ConfigEntry[] = [];
    lines.forEach((line, i) => {
      const m = KEY_LINE.exec(line);
      if (m) entries.push({ key: normalizeConfigKey(m[1]!), value: m[2]!.trim(), evidence: lineEvidence(input, i, line) });
    });
    if (entries.length === 0) {
      throw new ParseError('has no settings; expected `key : value` lines such as `incomingconnections.ports (preview) : [6516]` under `Local Configuration Settings`');
    }
    return configObservations(entries);
  },
};

// ---- JSON ----

/** Entries from `{localsettings: [{key, value}]}` or from a flat object with dotted keys (`localconfig.json`). */
function jsonEntries(obj: Json, t: string, input: InputRef): ConfigEntry[] {
  const lines = t.split('\n');
  // Lines by JSON path, from one pass over the text: no search (or RegExp) per key.
  const lineOf = jsonLineIndex(t);
  const settings = prop(obj, 'localsettings');
  if (Array.isArray(settings)) {
    const out: ConfigEntry[] = [];
    settings.forEach((item, i) => {
      const o = asObject(item);
      const rawKey = o ? prop(o, 'key') : undefined;
      if (!o || typeof rawKey !== 'string') return;
      const line = lineOf(`localsettings[${i}].key`) ?? lineOf('localsettings') ?? -1;
      out.push({ key: normalizeConfigKey(rawKey), value: prop(o, 'value'), evidence: evidenceAt(input, lines, line, rawKey) });
    });
    return out;
  }
  return Object.entries(obj)
    .filter(([k]) => k.includes('.'))
    .map(([k, value]) => ({ key: normalizeConfigKey(k), value, evidence: evidenceAt(input, lines, lineOf(k) ?? -1, k) }));
}

const FLAT_KEY = /"(?:incomingconnections\.(?:ports|enabled)|proxy\.(?:url|bypass)|extensions\.(?:allowlist|blocklist|enabled)|guestconfiguration\.enabled|config\.mode|connection\.type)(?: \(preview\))?"\s*:/i;

export const configJsonParser: TextParser = {
  id: 'azcmagent-config-json',
  label: 'azcmagent config list -j',
  detect(t) {
    const wrapped = /"localsettings"\s*:/i.test(t);
    if (!wrapped && !FLAT_KEY.test(t)) return 0;
    let obj: Json | undefined;
    try {
      obj = asObject(parseJsonLoose(t));
    } catch {
      return /^\s*\{/.test(t) ? 30 : 0;
    }
    if (!obj) return 0;
    if (Array.isArray(prop(obj, 'localsettings'))) return 90;
    return Object.keys(obj).some((k) => KEYS[normalizeConfigKey(k)]) ? 85 : 0;
  },
  parse(t, input) {
    let parsed: unknown;
    try {
      parsed = parseJsonLoose(t);
    } catch (err) {
      throw new ParseError(`is not valid JSON (${jsonProblem(err)}); expected \`{"localsettings": [{"key": ..., "value": ...}]}\` or localconfig.json`);
    }
    const obj = asObject(parsed);
    if (!obj) throw new ParseError('is not a JSON object; expected `{"localsettings": [{"key": ..., "value": ...}]}` or localconfig.json');
    const entries = jsonEntries(obj, t, input);
    if (!entries.some((e) => KEYS[e.key])) {
      throw new ParseError('has no known settings; expected keys such as `incomingconnections.ports`, `proxy.url`, `extensions.allowlist`');
    }
    return configObservations(entries);
  },
};
