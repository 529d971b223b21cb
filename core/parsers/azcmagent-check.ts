/**
 * `azcmagent check` as a pipe-delimited table and as `-j` JSON: one endpoint probe per row, as the agent saw it
 * (REACHABLE, PRIVATE, TLS, PROXY). Columns are mapped by header name, so new columns (`Use Case`) are ignored.
 */
import { observe, probeKey, type EndpointProbe, type Observation, type TlsProbe } from '../model/facts';
import {
  asObject, jsonProblem, parseBool, prop,
  findLine, inputEvidence, lineEvidence, ParseError, parseJsonLoose,
  type InputRef, type ParseResult, type TextParser,
} from './parser';
import type { Evidence } from '../model/types';
import { jsonLineIndex } from './az-extension';

interface Row {
  endpoint: string;
  reachable?: unknown;
  private?: unknown;
  tls?: unknown;
  proxy?: unknown;
  evidence: Evidence;
  where: string;
}

/** `TLS 1.2`, `TLS1.3`, `TLSv1.2` -> `{ok: true, protocol: 'TLS 1.2'}`; `true` -> `{ok: true}`; else unknown. */
export function parseTlsColumn(v: unknown): TlsProbe | undefined {
  if (v === true) return { ok: true };
  if (typeof v !== 'string') return undefined;
  const m = /^\s*tls\s*(?:v\s*)?(1)(?:\.([0-3]))?\s*$/i.exec(v);
  if (m) return { ok: true, protocol: `TLS ${m[1]}.${m[2] ?? '0'}` };
  // `false`/`unknown` are left out: the table does not say whether a handshake failed or never started.
  return parseBool(v) === true ? { ok: true } : undefined;
}

function toObservations(rows: readonly Row[]): ParseResult {
  const observations: Observation[] = [];
  const warnings: string[] = [];
  for (const row of rows) {
    let url: URL;
    try {
      url = new URL(row.endpoint);
    } catch {
      warnings.push(`${row.where}: "${row.endpoint}" is not a URL; row skipped`);
      continue;
    }
    const host = url.hostname.toLowerCase();
    const probe: EndpointProbe = { host, port: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443, url: row.endpoint };
    const reachable = parseBool(row.reachable);
    if (reachable !== undefined) probe.reachable = reachable;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the untrusted value quoted as String() gives it in the warning
    else warnings.push(`${row.where}: REACHABLE "${String(row.reachable ?? '')}" is not true or false`);
    const priv = parseBool(row.private);
    if (priv !== undefined) probe.private = priv;
    const tls = parseTlsColumn(row.tls);
    if (tls) probe.tls = tls;
    if (typeof row.proxy === 'string' && row.proxy.trim() !== '') probe.proxy = row.proxy.trim();
    observations.push(observe(probeKey(host), probe, row.evidence));
  }
  return warnings.length ? { observations, warnings } : { observations };
}

// ---- text ----

const HEADER = /^(?=.*\bendpoint\b)(?=.*\breachable\b).*\|/im;
/** Rows without a header are read in the documented column order. */
const DEFAULT_COLUMNS = ['endpoint', 'reachable', 'private', 'tls', 'proxy'];
const ROW_START = /^\s*(?:\|\s*)?https?:\/\//i;
// Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run.
const BARE_ROWS = /^[ \t]*(?:\|\s*)?https?:\/\/[^\s|]+\s*\|\s*(?:true|false)\b/gim;

/** Cells of a `|`-delimited line; an outer border (`| a | b |`) is dropped. */
function cells(line: string): string[] {
  const t = line.trim();
  const parts = t.split('|').map((c) => c.trim());
  if (t.startsWith('|')) parts.shift();
  if (t.endsWith('|')) parts.pop();
  return parts;
}

function column(name: string): keyof Omit<Row, 'evidence' | 'where'> | undefined {
  const n = name.toLowerCase().replace(/\s+/g, ' ');
  if (n === 'endpoint' || n === 'url') return 'endpoint';
  if (n === 'reachable') return 'reachable';
  if (n === 'private') return 'private';
  if (n === 'tls') return 'tls';
  if (n === 'proxy' || n === 'proxy status') return 'proxy';
  return undefined;
}

function textRows(text: string, input: InputRef): { rows: Row[]; headerLine: number } {
  const lines = text.split('\n');
  const headerLine = findLine(lines, /^(?=.*\bendpoint\b)(?=.*\breachable\b).*\|/i);
  const names = headerLine >= 0 ? cells(lines[headerLine]!) : DEFAULT_COLUMNS;
  const rows: Row[] = [];
  for (let i = headerLine + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!ROW_START.test(line) || !line.includes('|')) continue;
    const row: Row = { endpoint: '', evidence: lineEvidence(input, i, line), where: `line ${i + 1}` };
    cells(line).forEach((cell, c) => {
      const key = column(names[c] ?? '');
      if (key) row[key] = cell;
    });
    if (row.endpoint) rows.push(row);
  }
  return { rows, headerLine };
}

export const checkTextParser: TextParser = {
  id: 'azcmagent-check-text',
  label: 'azcmagent check',
  detect(text) {
    const head = text.slice(0, 65536);
    if (HEADER.test(head)) return 90;
    return (head.match(BARE_ROWS)?.length ?? 0) >= 2 ? 60 : 0;
  },
  parse(text, input) {
    const { rows, headerLine } = textRows(text, input);
    if (rows.length === 0) {
      const found = headerLine >= 0 ? 'has the ENDPOINT | REACHABLE header but no endpoint rows' : 'has no endpoint rows';
      throw new ParseError(`${found}; expected rows such as \`https://gbl.his.arc.azure.com | true | false | TLS 1.2 | not set\``);
    }
    return toObservations(rows);
  },
};

// ---- JSON ----

function isProbeItem(v: unknown): boolean {
  const o = asObject(v);
  return o !== undefined && typeof prop(o, 'endpoint') === 'string';
}

/** The probe array: the top level, or the first array property holding `{endpoint}` objects; `path` is its JSON path. */
function probeArray(parsed: unknown): { items: unknown[]; path: string } | undefined {
  if (Array.isArray(parsed)) return parsed.some(isProbeItem) ? { items: parsed, path: '' } : undefined;
  const obj = asObject(parsed);
  if (!obj) return undefined;
  const hit = Object.entries(obj).find((e): e is [string, unknown[]] => Array.isArray(e[1]) && e[1].some(isProbeItem));
  return hit && { items: hit[1], path: hit[0] };
}

function jsonRows(array: { items: readonly unknown[]; path: string }, text: string, input: InputRef): Row[] {
  const lines = text.split('\n');
  const lineOf = jsonLineIndex(text);
  const rows: Row[] = [];
  array.items.forEach((item, n) => {
    const o = asObject(item);
    const endpoint = o ? prop(o, 'endpoint') : undefined;
    if (!o || typeof endpoint !== 'string') return;
    const line = lineOf(`${array.path}[${n}].endpoint`) ?? -1;
    rows.push({
      endpoint,
      reachable: prop(o, 'reachable'),
      private: prop(o, 'private'),
      tls: prop(o, 'tls'),
      proxy: prop(o, 'proxy status', 'proxyStatus', 'proxy'),
      evidence: line >= 0 ? lineEvidence(input, line, lines[line]!) : inputEvidence(input, endpoint),
      where: `item ${n + 1}`,
    });
  });
  return rows;
}

export const checkJsonParser: TextParser = {
  id: 'azcmagent-check-json',
  label: 'azcmagent check -j',
  detect(text) {
    if (!/"endpoint"\s*:/i.test(text) || !/"reachable"\s*:/i.test(text)) return 0;
    try {
      return probeArray(parseJsonLoose(text)) ? 90 : 0;
    } catch {
      return /^\s*[[{]/.test(text) ? 30 : 0;
    }
  },
  parse(text, input) {
    let parsed: unknown;
    try {
      parsed = parseJsonLoose(text);
    } catch (err) {
      throw new ParseError(`is not valid JSON (${jsonProblem(err)}); expected the array printed by \`azcmagent check -j\``);
    }
    const array = probeArray(parsed);
    if (!array) throw new ParseError('has no endpoint entries; expected an array of `{"endpoint": ..., "reachable": ...}` objects');
    return toObservations(jsonRows(array, text, input));
  },
};
