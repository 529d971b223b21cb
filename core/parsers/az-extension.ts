/**
 * `az connectedmachine extension show|list -o json` (ARM shape, or properties flattened to the top level as some
 * CLI versions print them) and `Get-AzConnectedMachineExtension | ConvertTo-Json` (PowerShell's flattened model).
 *
 * Also home of the JSON helpers other parsers share: parse pasted JSON and map JSON paths to line numbers.
 */
import { observe, type AdminCenterExtensionFact, type Observation } from '../model/facts';
import { inputEvidence, lineEvidence, ParseError, prop, type InputRef, type ParseResult, type TextParser } from './parser';
import { parsePort } from '../model/ports';
import type { Evidence } from '../model/types';

// ---------------------------------------------------------------------------------------------------------------
// JSON helpers

export interface JsonInput {
  value: unknown;
  /** The input's lines (for evidence excerpts). */
  lines: string[];
  /** 0-based line where the JSON starts. */
  firstLine: number;
  /**
   * 0-based line of a key, by lowercase path: `properties.provisioningstate`, `[1].name`, `value[0].properties`.
   * For an array element path (`[1]`) the line where the element starts. Tries each path in turn.
   */
  lineOf(...paths: string[]): number | undefined;
}

/** Paths longer than this are never looked up: they are not recorded, so deep or long-keyed JSON stays linear. */
const MAX_PATH_CHARS = 1024;

/** Maps each key's path to the line it first appears on. Tolerates invalid JSON (it only tokenizes). */
function jsonPathLines(text: string, start: number, startLine: number): Map<string, number> {
  const map = new Map<string, number>();
  /** `path` is undefined below a path too long to record. */
  interface Frame { kind: 'o' | 'a'; path: string | undefined; index: number; key?: string; expectKey: boolean }
  const stack: Frame[] = [];
  let line = startLine;
  const childPath = (top: Frame | undefined): string | undefined => {
    if (!top) return '';
    if (top.path === undefined) return undefined;
    const path = top.kind === 'a' ? `${top.path}[${top.index}]` : top.path ? `${top.path}.${top.key ?? ''}` : (top.key ?? '');
    return path.length > MAX_PATH_CHARS ? undefined : path;
  };
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
    } else if (c === '"') {
      const strLine = line;
      const top = stack[stack.length - 1];
      const isKey = top?.kind === 'o' && top.expectKey;
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\') j++;
        if (text[j] === '\n') line++;
      }
      if (isKey) {
        // Keys are read raw (escapes kept but for the backslash), as before; only keys are ever copied.
        top.key = text.slice(i + 1, j).replace(/\\(.)/gs, '$1').toLowerCase();
        top.expectKey = false;
        const path = childPath(top);
        if (path !== undefined && !map.has(path)) map.set(path, strLine);
      }
      i = j;
    } else if (c === '{' || c === '[') {
      const top = stack[stack.length - 1];
      const path = childPath(top);
      if (top?.kind === 'a' && path !== undefined && !map.has(path)) map.set(path, line);
      stack.push({ kind: c === '{' ? 'o' : 'a', path, index: 0, expectKey: c === '{' });
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 0) break;
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'o') top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return map;
}

/** `lineOf` for the JSON value that starts at the first bracket of `text` (as parseJsonLoose reads it). */
export function jsonLineIndex(text: string): (...paths: string[]) => number | undefined {
  const start = text.search(/[[{]/);
  if (start < 0) return () => undefined;
  const map = jsonPathLines(text, start, text.slice(0, start).split('\n').length - 1);
  return (...paths) => {
    for (const p of paths) {
      const hit = map.get(p.toLowerCase());
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
}

/**
 * Parses JSON pasted with text around it (a prompt line, an echoed command whose `--query` has brackets):
 * tries the first bracket, then brackets that start a line. Throws ParseError when nothing parses.
 */
export function parseJsonInput(text: string): JsonInput {
  const candidates: number[] = [];
  const first = text.search(/[[{]/);
  if (first < 0) throw new ParseError('expected JSON');
  candidates.push(first);
  for (const m of text.matchAll(/^[ \t]*([[{])/gm)) {
    const at = m.index + m[0].length - 1;
    if (!candidates.includes(at)) candidates.push(at);
    if (candidates.length >= 6) break;
  }
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  let firstError: string | undefined;
  for (const start of candidates) {
    if (end <= start) continue;
    try {
      const value: unknown = JSON.parse(text.slice(start, end + 1));
      const startLine = text.slice(0, start).split('\n').length - 1;
      const map = jsonPathLines(text, start, startLine);
      const lines = text.split('\n');
      return {
        value, lines, firstLine: startLine,
        lineOf: (...paths) => {
          for (const p of paths) {
            const hit = map.get(p.toLowerCase());
            if (hit !== undefined) return hit;
          }
          return undefined;
        },
      };
    } catch (err) {
      firstError ??= (err as Error).message;
    }
  }
  throw new ParseError(`invalid JSON: ${firstError ?? 'no complete JSON value'}`);
}

/** PowerShell 5.1 ConvertTo-Json dates: `/Date(1732611600000)/` -> ISO; ISO strings pass through. */
export function jsonTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  if (ms) return new Date(Number(ms[1])).toISOString();
  return Number.isNaN(Date.parse(value)) ? undefined : value;
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// AdminCenter extension

export interface ExtensionView {
  name?: string;
  publisher?: string;
  type?: string;
  version?: string;
  provisioningState?: string;
  statusCode?: string;
  statusLevel?: string;
  statusMessage?: string;
  statusTime?: string;
  settings?: Record<string, unknown>;
}

/** `@{mode=application; address=http://proxy:3128}`: what ConvertTo-Json (depth 2) makes of a nested object. */
function psHashString(text: string): Record<string, unknown> | undefined {
  const m = /^@\{(.*)\}$/s.exec(text.trim());
  if (!m) return undefined;
  const out: Record<string, unknown> = {};
  for (const part of m[1]!.split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (isObject(value)) return value;
  if (typeof value === 'string') {
    const ps = psHashString(value);
    if (ps) return ps;
    try {
      const parsed: unknown = JSON.parse(value);
      return isObject(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** One extension object (ARM, flattened CLI or PowerShell shape) as the fields rules use; shared with core/fleet. */
export function extensionView(item: unknown): ExtensionView {
  const nested = prop(item, 'properties');
  const p = isObject(nested) ? nested : item;
  const get = (...keys: string[]): unknown => prop(p, ...keys) ?? prop(item, ...keys);
  const topType = str(prop(item, 'type'));
  // Extension type: properties.type (ARM), typePropertiesType (flattened CLI), MachineExtensionType /
  // PropertiesType / ExtensionType (PowerShell). A top-level `type` with a slash is the resource type.
  const type = (isObject(nested) ? str(prop(nested, 'type')) : undefined)
    ?? str(get('typePropertiesType', 'machineExtensionType', 'extensionType', 'propertiesType'))
    ?? (topType && !topType.includes('/') ? topType : undefined);
  const instanceView = get('instanceView');
  const statusRaw = prop(instanceView, 'status') ?? prop(instanceView, 'statuses');
  const status: unknown = Array.isArray(statusRaw) ? statusRaw[0] : statusRaw;
  const view: ExtensionView = {
    name: str(prop(item, 'name')),
    publisher: str(get('publisher')),
    type,
    version: str(prop(instanceView, 'typeHandlerVersion')) ?? str(get('instanceViewTypeHandlerVersion')) ?? str(get('typeHandlerVersion')),
    provisioningState: str(get('provisioningState')),
    statusCode: str(prop(status, 'code')) ?? str(get('statusCode')),
    statusLevel: str(prop(status, 'level')) ?? str(get('statusLevel')),
    statusMessage: str(prop(status, 'message')) ?? str(get('statusMessage')),
    statusTime: jsonTime(prop(status, 'time')) ?? jsonTime(get('statusTime')),
    settings: asObject(get('settings', 'setting')),
  };
  return view;
}

export function isAdminCenter(v: ExtensionView): boolean {
  return v.publisher?.toLowerCase() === 'microsoft.admincenter' && (v.type === undefined || v.type.toLowerCase() === 'admincenter');
}

export function adminCenterFact(v: ExtensionView, warnings: string[]): AdminCenterExtensionFact {
  const fact: AdminCenterExtensionFact = { installed: true };
  if (v.name) fact.name = v.name;
  if (v.version) fact.version = v.version;
  if (v.provisioningState) fact.provisioningState = v.provisioningState;
  if (v.statusCode) fact.statusCode = v.statusCode;
  if (v.statusLevel) fact.statusLevel = v.statusLevel;
  if (v.statusMessage) fact.statusMessage = v.statusMessage;
  const rawPort = v.settings ? prop(v.settings, 'port') : undefined;
  if (rawPort !== undefined && rawPort !== null && rawPort !== '') {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the untrusted value as text for parsePort to accept or refuse, as String() gives it
    const port = parsePort(typeof rawPort === 'number' ? rawPort : String(rawPort));
    if (port !== undefined) fact.settingsPort = port;
    else warnings.push(`AdminCenter settings.port ${JSON.stringify(rawPort)} is not a valid port`);
  }
  const proxy = asObject(v.settings ? prop(v.settings, 'proxy') : undefined);
  const mode = str(prop(proxy, 'mode'));
  const address = str(prop(proxy, 'address'));
  if (mode) fact.proxyMode = mode;
  if (address) fact.proxyAddress = address;
  return fact;
}

/**
 * `(ResourceNotFound) ... /extensions/AdminCenter' ... was not found` on one line. Found with indexOf: the regex
 * `\(ResourceNotFound\)[^\n]*\/extensions\/AdminCenter'?[^\n]*(?:was not found|could not be found)` rescanned the line
 * from every `(ResourceNotFound)` and every `/extensions/AdminCenter` in it.
 */
function notFoundLine(line: string): boolean {
  const l = line.toLowerCase();
  const at = l.indexOf('(resourcenotfound)');
  const ext = at < 0 ? -1 : l.indexOf('/extensions/admincenter', at + 18);
  return ext >= 0 && /was not found|could not be found/.test(l.slice(ext + 23));
}

const mentionsNotFound = (text: string): boolean => /\(ResourceNotFound\)/i.test(text) && text.split('\n').some(notFoundLine);

function parseExtensions(text: string, input: InputRef): ParseResult {
  if (mentionsNotFound(text) && !/[[{]\s*"/.test(text)) {
    const lines = text.split('\n');
    const i = lines.findIndex(notFoundLine);
    return { observations: [observe('extension.adminCenter', { installed: false }, lineEvidence(input, i, lines[i]!))] };
  }
  const json = parseJsonInput(text);
  let root = json.value;
  let base = '';
  const valueList = prop(root, 'value');
  if (isObject(root) && Array.isArray(valueList)) [root, base] = [valueList, 'value'];
  const isList = Array.isArray(root);
  const items: unknown[] = isList ? (root as unknown[]) : [root];
  const pathOf = (i: number): string => (isList ? `${base}[${i}]` : '');
  const join = (prefix: string, key: string): string => (prefix ? `${prefix}.${key}` : key);
  const keyLine = (i: number, ...keys: string[]): number =>
    json.lineOf(...keys.flatMap((k) => [join(join(pathOf(i), 'properties'), k), join(pathOf(i), k)]))
    ?? json.lineOf(pathOf(i)) ?? json.firstLine;
  const ev = (line: number): Evidence => lineEvidence(input, line, json.lines[line]!);

  const warnings: string[] = [];
  const installed: string[] = [];
  const installedEvidence: Evidence[] = [];
  let wac: { view: ExtensionView; index: number } | undefined;
  let newest: string | undefined;
  items.forEach((item, i) => {
    if (!isObject(item)) {
      warnings.push(`item ${i + 1}: not an object`);
      return;
    }
    const view = extensionView(item);
    if (!view.publisher || !view.type) {
      warnings.push(`item ${i + 1}${view.name ? ` (${view.name})` : ''}: no publisher or extension type`);
    } else {
      installed.push(`${view.publisher}.${view.type}`);
      installedEvidence.push(ev(keyLine(i, 'publisher')));
    }
    if (view.statusTime && (!newest || Date.parse(view.statusTime) > Date.parse(newest))) newest = view.statusTime;
    if (isAdminCenter(view) && !wac) wac = { view, index: i };
  });

  if (installed.length === 0 && !wac && items.length > 0) {
    throw new ParseError('expected extension objects with "publisher" and "type" (properties.type, typePropertiesType or MachineExtensionType)');
  }

  const observations: Observation[] = [];
  // Only a list says what is installed; a single `show` names one extension and must not replace a list.
  if (isList) {
    observations.push(observe('extension.installed', installed, installedEvidence.length ? installedEvidence : inputEvidence(input, 'an empty extension list'), newest));
  }
  if (wac) {
    const evidence = [ev(keyLine(wac.index, 'provisioningState', 'publisher'))];
    const v = wac.view;
    if (v.statusMessage && (v.provisioningState?.toLowerCase() !== 'succeeded' || /^(err|warn)/i.test(v.statusLevel ?? ''))) {
      const msgLine = json.lineOf(
        join(join(join(join(pathOf(wac.index), 'properties'), 'instanceview'), 'status'), 'message'),
        join(join(join(pathOf(wac.index), 'instanceview'), 'status'), 'message'),
        join(pathOf(wac.index), 'statusmessage'),
      );
      if (msgLine !== undefined) evidence.push(ev(msgLine));
    }
    const fact = adminCenterFact(v, warnings);
    if (fact.settingsPort !== undefined) {
      // The port setting's own line, so findings about the WAC port point at it.
      const portLine = json.lineOf(
        join(join(join(pathOf(wac.index), 'properties'), 'settings'), 'port'),
        join(join(pathOf(wac.index), 'settings'), 'port'),
      );
      if (portLine !== undefined) evidence.push(ev(portLine));
    }
    observations.push(observe('extension.adminCenter', fact, evidence, v.statusTime));
  } else if (isList) {
    observations.push(observe('extension.adminCenter', { installed: false },
      inputEvidence(input, `${items.length} extension(s), none is Microsoft.AdminCenter.AdminCenter${installed.length ? `: ${installed.join(', ')}` : ''}`), newest));
  }
  return { observations, warnings };
}

export const azExtensionParser: TextParser = {
  id: 'az-extension',
  label: 'az connectedmachine extension list/show',
  detect(text) {
    // A machine (az connectedmachine show) can embed its extensions under `resources`: not ours.
    if (/"type"\s*:\s*"Microsoft\.HybridCompute\/machines"/i.test(text) || /"(agentVersion|osName|lastStatusChange)"\s*:/i.test(text)) return 0;
    if (/Microsoft\.HybridCompute\/machines\/extensions/i.test(text)) return 95;
    const json = /^[ \t]*[[{]/m.test(text);
    if (json && /"publisher"\s*:/i.test(text) && /"(typeHandlerVersion|instanceView|MachineExtensionType|typePropertiesType)"\s*:/i.test(text)) {
      // Azure VM extensions share the shape; WAC on Azure VMs is another product.
      return /Microsoft\.Compute\/virtualMachines\/extensions/i.test(text) ? 0 : 85;
    }
    if (mentionsNotFound(text)) return 80;
    return 0;
  },
  parse: parseExtensions,
};
