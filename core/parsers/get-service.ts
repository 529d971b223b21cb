/**
 * PowerShell `Get-Service`: the default table (`Status Name DisplayName`), `Format-List` blocks, and
 * `... | Select Name,DisplayName,Status,StartType | ConvertTo-Json` (PowerShell 5.1 emits the enums as ints).
 *
 * Also home of the PowerShell text helpers (Format-List blocks, fixed-width tables) other parsers share.
 */
import { observe, serviceKey, type Observation, type ServiceFact } from '../model/facts';
import { isSpace, lineEvidence, ParseError, prop, type InputRef, type ParseResult, type TextParser } from './parser';
import { parseJsonInput } from './az-extension';
import { serviceStateFromCode, serviceStateFromText, startTypeFromCode, startTypeFromText } from './sc-query';

// ---------------------------------------------------------------------------------------------------------------
// PowerShell text helpers

export interface ListEntry {
  key: string;
  value: string;
  /** 0-based line of the `Key : value` line. */
  line: number;
}

export interface ListBlock {
  entries: ListEntry[];
  /** 0-based line of the first entry. */
  start: number;
}

const KEY_CHAR = /[\w.()\- ]/;

/**
 * `Key   : value` of Format-List output; at least one space before the colon (so `WARNING: x` is not an entry).
 * Read by hand: `^([A-Za-z][\w.()\- ]*?)\s+:(?:[ \t](.*?))?\s*$` says the same but backtracks quadratically over
 * a long run of spaces (a 200 KB paste took 20 s).
 */
export function listLine(line: string): { key: string; value: string } | undefined {
  if (!/^[A-Za-z]/.test(line)) return undefined;
  const colon = line.indexOf(':');
  if (colon < 0 || !isSpace(line[colon - 1])) return undefined;
  const key = line.slice(0, colon).trimEnd();
  for (let i = 1; i < key.length; i++) if (!KEY_CHAR.test(key[i]!)) return undefined;
  const rest = line.slice(colon + 1);
  const value = rest.trimEnd();
  // After the colon: nothing but spaces, or a space or tab and a value without line breaks (`.` stops at them).
  if (value !== '' && (!(rest[0] === ' ' || rest[0] === '\t') || /[\n\r\u2028\u2029]/.test(value))) return undefined;
  return { key, value: value.slice(1) };
}

/**
 * Format-List style output: blocks of `Key : value` lines separated by blank (or non-entry) lines.
 * Indented lines that are not entries continue the previous value (PowerShell wraps long values).
 */
export function parseListBlocks(lines: readonly string[]): ListBlock[] {
  const blocks: ListBlock[] = [];
  let current: ListBlock | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = listLine(line);
    if (m) {
      if (!current) {
        current = { entries: [], start: i };
        blocks.push(current);
      }
      current.entries.push({ key: m.key.trim(), value: m.value.trim(), line: i });
      continue;
    }
    if (current && /^\s+\S/.test(line) && current.entries.length > 0) {
      const last = current.entries[current.entries.length - 1]!;
      last.value = last.value ? `${last.value}\n${line.trim()}` : line.trim();
      continue;
    }
    current = undefined;
  }
  return blocks;
}

export function listGet(block: ListBlock, ...keys: string[]): ListEntry | undefined {
  for (const key of keys) {
    const k = key.toLowerCase();
    const hit = block.entries.find((e) => e.key.toLowerCase() === k);
    if (hit) return hit;
  }
  return undefined;
}

export interface TableRow {
  cells: string[];
  /** False when a column start falls inside a word (spacing lost in copy/paste): cells are then unreliable. */
  aligned: boolean;
  /** 0-based line. */
  line: number;
  text: string;
}

export interface Table {
  columns: string[];
  /** Column start offsets, from the dash line. */
  starts: number[];
  headerLine: number;
  rows: TableRow[];
}

const DASH_LINE_RE = /^\s*-+(?:\s+-+)*\s*$/;

/** A fixed-width table (PowerShell Format-Table, `az -o table`): header at `headerLine`, dashes under it. */
export function parseTable(lines: readonly string[], headerLine: number): Table | undefined {
  const header = lines[headerLine];
  const dashes = lines[headerLine + 1];
  if (header === undefined || dashes === undefined || !DASH_LINE_RE.test(dashes)) return undefined;
  const starts: number[] = [];
  for (const m of dashes.matchAll(/-+/g)) starts.push(m.index);
  const slice = (text: string, i: number): string => text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim();
  const columns = starts.map((_, i) => slice(header, i));
  const rows: TableRow[] = [];
  for (let i = headerLine + 2; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') break;
    const aligned = starts.every((s, c) => c === 0 || s >= text.length || /\s/.test(text[s - 1]!));
    rows.push({ cells: starts.map((_, c) => slice(text, c)), aligned, line: i, text });
  }
  return { columns, starts, headerLine, rows };
}

/** 0-based index of the first header line (followed by a dash line) whose columns include all `names`. */
export function findTableHeader(lines: readonly string[], names: readonly string[], from = 0): number {
  for (let i = from; i + 1 < lines.length; i++) {
    if (!DASH_LINE_RE.test(lines[i + 1]!) || lines[i]!.trim() === '') continue;
    const words = lines[i]!.trim().toLowerCase().split(/\s+/);
    if (names.every((n) => words.includes(n.toLowerCase()))) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// Get-Service

/** Service names the rules care about; used to complete names the default table truncated (`WindowsAdminCen...`). */
export const KNOWN_SERVICES = [
  'himds', 'GCArcService', 'ExtensionService', 'arcproxy',
  'ServerManagementGateway', 'WindowsAdminCenter', 'WindowsAdminCenterAccountManagement',
] as const;

const TRUNCATED_RE = /(?:\.\.\.|…)$/;
const STATUS_WORDS = /^(Running|Stopped|StartPending|StopPending|ContinuePending|PausePending|Paused)$/;
const NOT_FOUND_RE = /Cannot find any service with service name '([^']+)'/i;

/** Resolves a name cut by the table width: unique known name with that prefix and longer than the column. */
function untruncate(shown: string, width: number): string | undefined {
  const prefix = shown.replace(TRUNCATED_RE, '').toLowerCase();
  const hits = KNOWN_SERVICES.filter((n) => n.toLowerCase().startsWith(prefix) && n.length > width);
  return hits.length === 1 ? hits[0] : undefined;
}

function notFoundObservations(lines: readonly string[], input: InputRef, seen: Set<string>): Observation[] {
  const out: Observation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = NOT_FOUND_RE.exec(lines[i]!);
    if (!m || seen.has(m[1]!.toLowerCase())) continue;
    seen.add(m[1]!.toLowerCase());
    out.push(observe(serviceKey(m[1]!), { name: m[1]!, state: 'not_found' }, lineEvidence(input, i, lines[i]!)));
  }
  return out;
}

function parseServiceTable(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const observations: Observation[] = [];
  const seen = new Set<string>();
  let foundTable = false;
  for (let h = findTableHeader(lines, ['Status', 'Name']); h >= 0; h = findTableHeader(lines, ['Status', 'Name'], h + 2)) {
    const table = parseTable(lines, h);
    if (!table) continue;
    foundTable = true;
    const col = (name: string): number => table.columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
    const [iStatus, iName, iDisplay, iStart] = [col('Status'), col('Name'), col('DisplayName'), col('StartType')];
    const defaultLayout = table.columns.length === 3 && iStatus === 0 && iName === 1 && iDisplay === 2;
    const nameWidth = iName + 1 < table.starts.length ? table.starts[iName + 1]! - table.starts[iName]! - 1 : Infinity;
    for (const row of table.rows) {
      let cells = row.cells;
      if (!row.aligned || (defaultLayout && !STATUS_WORDS.test(cells[0]!))) {
        // Spacing lost in copy/paste: split on whitespace; only the last column may contain spaces.
        const words = row.text.trim().split(/\s+/);
        const n = table.columns.length;
        cells = [...words.slice(0, n - 1), words.slice(n - 1).join(' ')];
      }
      let name = cells[iName] ?? '';
      const statusText = cells[iStatus] ?? '';
      if (!name || !statusText) {
        warnings.push(`line ${row.line + 1}: expected "<Status> <Name> <DisplayName>", got "${row.text.trim()}"`);
        continue;
      }
      if (TRUNCATED_RE.test(name)) {
        const full = untruncate(name, nameWidth);
        if (!full) {
          warnings.push(`line ${row.line + 1}: service name "${name}" was truncated by the table; use Get-Service NAME | Format-List or ConvertTo-Json`);
          continue;
        }
        name = full;
      }
      const state = serviceStateFromText(statusText);
      if (state === 'unknown') warnings.push(`line ${row.line + 1}: unknown status "${statusText}" for ${name}`);
      const value: ServiceFact = { name, state };
      const display = iDisplay >= 0 ? cells[iDisplay] : undefined;
      if (display && !TRUNCATED_RE.test(display)) value.displayName = display;
      const start = iStart >= 0 ? startTypeFromText(cells[iStart] ?? '') : undefined;
      if (start) value.startType = start;
      seen.add(name.toLowerCase());
      observations.push(observe(serviceKey(name), value, lineEvidence(input, row.line, row.text)));
    }
  }

  if (!foundTable) {
    for (const block of parseListBlocks(lines)) {
      const name = listGet(block, 'Name', 'ServiceName');
      const status = listGet(block, 'Status');
      if (!name || !status) continue;
      foundTable = true;
      const state = serviceStateFromText(status.value);
      if (state === 'unknown') warnings.push(`line ${status.line + 1}: unknown status "${status.value}" for ${name.value}`);
      const value: ServiceFact = { name: name.value, state };
      const display = listGet(block, 'DisplayName')?.value;
      if (display) value.displayName = display;
      const start = startTypeFromText(listGet(block, 'StartType')?.value ?? '');
      if (start) value.startType = start;
      seen.add(name.value.toLowerCase());
      observations.push(observe(serviceKey(name.value), value, lineEvidence(input, status.line, lines[status.line]!)));
    }
  }

  observations.push(...notFoundObservations(lines, input, seen));
  if (observations.length === 0) {
    throw new ParseError(
      'expected the Get-Service table ("Status   Name   DisplayName" with a dashed line and rows), "Name : <name>" / "Status : <status>" lists, or "Cannot find any service with service name" errors',
    );
  }
  return { observations, warnings };
}

export const getServiceTableParser: TextParser = {
  id: 'get-service-table',
  label: 'Get-Service',
  detect(text) {
    // Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run.
    if (/^[ \t]*Status\s+Name\b.*\n\s*-{4,}\s+-{2,}/m.test(text)) return 90;
    if (/^[ \t]*Name\s+Status\b.*\n\s*-{2,}\s+-{4,}/m.test(text)) return 85;
    if (/^[ \t]*Name\s+:\s*\S+\s*$/m.test(text) && /^[ \t]*Status\s+:\s*(Running|Stopped|StartPending|StopPending|ContinuePending|PausePending|Paused)\s*$/m.test(text)) {
      return /^[ \t]*(DisplayName|ServiceName|StartType|CanStop|ServiceType)\s+:/m.test(text) ? 85 : 60;
    }
    if (NOT_FOUND_RE.test(text)) return 80;
    return 0;
  },
  parse: parseServiceTable,
};

/** Status and StartType come as ints (5.1, 7.x without -EnumsAsStrings) or as names. */
function jsonServiceFact(item: unknown): ServiceFact | string {
  const name = prop(item, 'Name', 'ServiceName');
  const status = prop(item, 'Status');
  if (typeof name !== 'string' || name === '') return 'missing "Name"';
  let state;
  if (typeof status === 'number') state = serviceStateFromCode(status);
  else if (typeof status === 'string') state = serviceStateFromText(status);
  else return `missing "Status" for ${name}`;
  const value: ServiceFact = { name, state };
  const display = prop(item, 'DisplayName');
  if (typeof display === 'string' && display) value.displayName = display;
  const start = prop(item, 'StartType');
  const startType = typeof start === 'number' ? startTypeFromCode(start) : typeof start === 'string' ? startTypeFromText(start) : undefined;
  if (startType) value.startType = startType;
  return value;
}

function parseServiceJson(text: string, input: InputRef): ParseResult {
  const json = parseJsonInput(text);
  const root = json.value;
  const items = Array.isArray(root) ? root : [root];
  const base = Array.isArray(root) ? (i: number) => `[${i}].` : () => '';
  const warnings: string[] = [];
  const observations: Observation[] = [];
  items.forEach((item, i) => {
    const fact = jsonServiceFact(item);
    if (typeof fact === 'string') {
      warnings.push(`item ${i + 1}: ${fact}`);
      return;
    }
    if (fact.state === 'unknown') warnings.push(`item ${i + 1}: unknown status ${JSON.stringify(prop(item, 'Status'))} for ${fact.name}`);
    const line = json.lineOf(`${base(i)}status`) ?? json.lineOf(`${base(i)}name`) ?? json.firstLine;
    observations.push(observe(serviceKey(fact.name), fact, lineEvidence(input, line, json.lines[line]!)));
  });
  if (observations.length === 0) {
    throw new ParseError('expected Get-Service objects with "Name" and "Status" (Get-Service NAME | Select Name,DisplayName,Status,StartType | ConvertTo-Json)');
  }
  return { observations, warnings };
}

export const getServiceJsonParser: TextParser = {
  id: 'get-service-json',
  label: 'Get-Service | ConvertTo-Json',
  detect(text) {
    const head = text.trimStart();
    if (!/^(?:[^\n]*\n)?\s*[[{]/.test(head)) return 0;
    // azcmagent show -j lists services too (lowercase states, beside agentVersion): not ours.
    if (/"(agentVersion|resourceName|properties|publisher)"\s*:/i.test(text) || /"services"\s*:\s*\[/i.test(text)) return 0;
    const status = /"Status"\s*:\s*(\d+|"(Running|Stopped|StartPending|StopPending|ContinuePending|PausePending|Paused)")/.test(text);
    if (!status || !/"(Name|ServiceName)"\s*:/i.test(text)) return 0;
    return /"(DisplayName|StartType|ServiceName|ServiceType|CanStop)"\s*:/i.test(text) ? 85 : 40;
  },
  parse: parseServiceJson,
};
