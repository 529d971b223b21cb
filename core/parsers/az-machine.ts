/**
 * `az connectedmachine show -o json` / ARM GET Microsoft.HybridCompute/machines (api 2024-07-10 shape), with
 * `properties` nested (ARM, `az rest`) or flattened to the top level (some CLI versions, Get-AzConnectedMachine).
 * Not `azcmagent show -j` (the local agent's view; top-level agentVersion without the ARM resource type).
 */
import { observe, serviceKey, type AgentErrorFact, type Observation, type OsFact, type ServiceFact } from '../model/facts';
import { lineEvidence, ParseError, prop, type InputRef, type ParseResult, type TextParser } from './parser';
import { parsePortList } from '../model/ports';
import type { Evidence } from '../model/types';
import { isObject, jsonTime, parseJsonInput, str } from './az-extension';
import { serviceStateFromText, startTypeFromText } from './sc-query';
import { licenseFact } from './az-license-profile';

const MACHINE_TYPE_RE = /"type"\s*:\s*"Microsoft\.HybridCompute\/machines"/i;
const AZCM_RE = /\bAZCM\d{4}\b/gi;

function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return undefined;
}

function stringList(value: unknown): string[] | undefined {
  if (value === null) return [];
  if (Array.isArray(value)) return value.map((v) => str(v)).filter((v): v is string => v !== undefined && v !== '');
  if (typeof value === 'string') return value.split(/[\s,;]+/).filter(Boolean);
  return undefined;
}

/** `[{publisher, type}]` -> `Publisher/Type` (the azcmagent config allow/block list notation). */
function extensionList(value: unknown): string[] | undefined {
  if (value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const v of value) {
    if (typeof v === 'string') out.push(v);
    else {
      const publisher = str(prop(v, 'publisher'));
      const type = str(prop(v, 'type'));
      if (publisher && type) out.push(`${publisher}/${type}`);
      else if (publisher) out.push(publisher);
    }
  }
  return out;
}

function platformOf(osType: string | undefined, osName: string | undefined): OsFact['platform'] {
  const t = (osType ?? osName ?? '').toLowerCase();
  if (t.includes('windows')) return 'windows';
  if (/linux|ubuntu|debian|red ?hat|rhel|suse|centos|oracle|rocky|alma|mariner|azure linux/.test(t)) return 'linux';
  return 'other';
}

/** AZCM codes anywhere in errorDetails (code, message, nested details). */
function azcmErrors(details: unknown): AgentErrorFact[] {
  const out: AgentErrorFact[] = [];
  const visit = (d: unknown): void => {
    if (Array.isArray(d)) {
      d.forEach(visit);
      return;
    }
    if (!isObject(d)) return;
    const code = str(prop(d, 'code')) ?? '';
    const message = str(prop(d, 'message'));
    const codes = [...new Set([...(code.match(AZCM_RE) ?? []), ...(message?.match(AZCM_RE) ?? [])].map((c) => c.toUpperCase()))];
    for (const c of codes) {
      if (out.some((e) => e.code === c)) continue;
      out.push(message ? { code: c, details: message } : { code: c });
    }
    visit(prop(d, 'details'));
  };
  visit(details);
  return out;
}

function parseMachine(text: string, input: InputRef): ParseResult {
  const json = parseJsonInput(text);
  let root = json.value;
  let base = '';
  if (Array.isArray(root)) {
    if (root.length !== 1) {
      throw new ParseError(`a list of ${root.length} machines; expected one machine (az connectedmachine show -n NAME -g RG -o json)`);
    }
    [root, base] = [(root as unknown[])[0], '[0]'];
  }
  if (!isObject(root)) throw new ParseError('expected a Microsoft.HybridCompute/machines object');
  const nested = prop(root, 'properties');
  const inProps = isObject(nested);
  const agentVersion = str(inProps && prop(nested, 'agentVersion') !== undefined ? prop(nested, 'agentVersion') : prop(root, 'agentVersion'));
  const type = str(prop(root, 'type'));
  if (!agentVersion && !/^Microsoft\.HybridCompute\/machines$/i.test(type ?? '')) {
    throw new ParseError('expected an Arc machine: "type": "Microsoft.HybridCompute/machines" or "properties.agentVersion"');
  }
  const join = (...parts: string[]): string => parts.filter(Boolean).join('.');
  /** Line of a property: under `properties` when nested, else top level. */
  const propLine = (path: readonly string[]): number =>
    json.lineOf(inProps ? join(base, 'properties', ...path) : join(base, ...path), join(base, ...path)) ?? json.firstLine;
  const rootLine = (key: string): number => json.lineOf(join(base, key)) ?? json.firstLine;
  const ev = (line: number): Evidence => lineEvidence(input, line, json.lines[line]!);
  return machineObservations(root, (where, path) => ev(where === 'root' ? rootLine(path[0]!) : propLine(path)));
}

/** Evidence for a property of a machine object: a top-level key (`root`: name, id, location) or one under `properties`. */
export type MachineLocator = (where: 'root' | 'props', path: readonly string[]) => Evidence;

/**
 * A Microsoft.HybridCompute/machines object (`properties` nested or flattened to the top level) -> observations.
 * The one mapping of the ARM machine shape: the pasted parser above and the fleet reader (core/fleet, Azure Resource
 * Graph rows) both use it, each locating its evidence its own way.
 */
export function machineObservations(root: Record<string, unknown>, locate: MachineLocator): ParseResult {
  const nested = prop(root, 'properties');
  const p = isObject(nested) ? nested : root;
  /** A property under `properties`, else at the top level; null stays null (a present but empty value). */
  const get = (key: string): unknown => {
    const v = prop(p, key);
    return v !== undefined ? v : prop(root, key);
  };
  const agentVersion = str(get('agentVersion'));
  const warnings: string[] = [];
  const observations: Observation[] = [];
  const time = jsonTime(get('lastStatusChange'));
  const propLine = (...path: string[]): readonly string[] => path;
  const ev = (path: readonly string[]): Evidence => locate('props', path);

  const name = str(prop(root, 'name'));
  if (name) observations.push(observe('machine.name', name, locate('root', ['name']), time));
  const id = str(prop(root, 'id'));
  if (id) observations.push(observe('machine.resourceId', id, locate('root', ['id']), time));
  const location = str(prop(root, 'location'));
  if (location) observations.push(observe('agent.location', location.toLowerCase().replace(/\s+/g, ''), locate('root', ['location']), time));
  const status = str(get('status'));
  if (status) observations.push(observe('agent.status', status, ev(propLine('status')), time));
  const lastChange = str(get('lastStatusChange'));
  if (lastChange) observations.push(observe('agent.lastHeartbeat', lastChange, ev(propLine('lastStatusChange')), time));
  if (agentVersion) observations.push(observe('agent.version', agentVersion, ev(propLine('agentVersion')), time));

  const osType = str(get('osType'));
  const osName = str(get('osName'));
  const osVersion = str(get('osVersion'));
  const osSku = str(get('osSku'));
  if (osType || osName || osVersion || osSku) {
    const os: OsFact = { platform: platformOf(osType, osName) };
    // ARM's osName is often just `windows`; osSku carries the product name then.
    const bareName = osName && /^(windows|linux)$/i.test(osName);
    if (osName && !bareName) os.name = osName;
    else if (osSku) os.name = osSku;
    if (osVersion) {
      os.version = osVersion;
      const build = /^\d+\.\d+\.(\d+)/.exec(osVersion);
      if (build) os.build = Number(build[1]);
    }
    if (osSku) os.sku = osSku;
    const line = osVersion ? propLine('osVersion') : osSku ? propLine('osSku') : propLine('osName', 'osType');
    observations.push(observe('os', os, ev(line), time));
  }

  const detected = get('detectedProperties');
  const hardware = get('hardwareProfile');
  const memBytes = Number(str(prop(hardware, 'totalPhysicalMemoryInBytes')) ?? str(prop(detected, 'totalPhysicalMemoryInBytes')) ?? NaN);
  const memGiB = Number(str(prop(detected, 'totalPhysicalMemoryInGigabytes')) ?? NaN);
  if (Number.isFinite(memBytes) && memBytes > 0) {
    const line = prop(hardware, 'totalPhysicalMemoryInBytes') !== undefined
      ? propLine('hardwareProfile', 'totalPhysicalMemoryInBytes') : propLine('detectedProperties', 'totalPhysicalMemoryInBytes');
    observations.push(observe('memory.totalBytes', memBytes, ev(line), time));
  } else if (Number.isFinite(memGiB) && memGiB > 0) {
    observations.push(observe('memory.totalBytes', memGiB * 1024 ** 3, ev(propLine('detectedProperties', 'totalPhysicalMemoryInGigabytes')), time));
  }

  const pls = get('privateLinkScopeResourceId');
  if (pls !== undefined) {
    observations.push(observe('agent.privateLinkScope', str(pls) ?? '', ev(propLine('privateLinkScopeResourceId')), time));
  }

  // properties.licenseProfile (the machine's license view; spec 2024-07-10 Machines_Get_LicenseProfileInstanceView.json).
  const license = licenseFact(get('licenseProfile'));
  if (license) {
    const line = license.softwareAssuranceCustomer !== undefined
      ? propLine('licenseProfile', 'softwareAssurance', 'softwareAssuranceCustomer')
      : license.subscriptionStatus ? propLine('licenseProfile', 'productProfile', 'subscriptionStatus') : propLine('licenseProfile');
    observations.push(observe('azure.licenseProfile', license, ev(line), time));
  }

  const config = get('agentConfiguration');
  if (isObject(config)) {
    const cfgLine = (key: string): readonly string[] => propLine('agentConfiguration', key);
    const has = (key: string): boolean => prop(config, key) !== undefined;
    if (has('proxyUrl')) observations.push(observe('config.proxyUrl', str(prop(config, 'proxyUrl')) ?? '', ev(cfgLine('proxyUrl')), time));
    if (has('incomingConnectionsPorts')) {
      const raw = prop(config, 'incomingConnectionsPorts');
      observations.push(observe('config.incomingConnectionsPorts', raw === null ? [] : parsePortList(raw), ev(cfgLine('incomingConnectionsPorts')), time));
    }
    const bypass = stringList(prop(config, 'proxyBypass'));
    if (bypass) observations.push(observe('config.proxyBypass', bypass, ev(cfgLine('proxyBypass')), time));
    const allow = extensionList(prop(config, 'extensionsAllowList'));
    if (allow) observations.push(observe('config.extensionsAllowlist', allow, ev(cfgLine('extensionsAllowList')), time));
    const block = extensionList(prop(config, 'extensionsBlockList'));
    if (block) observations.push(observe('config.extensionsBlocklist', block, ev(cfgLine('extensionsBlockList')), time));
    const extEnabled = bool(prop(config, 'extensionsEnabled'));
    if (extEnabled !== undefined) observations.push(observe('config.extensionsEnabled', extEnabled, ev(cfgLine('extensionsEnabled')), time));
    const gcEnabled = bool(prop(config, 'guestConfigurationEnabled'));
    if (gcEnabled !== undefined) observations.push(observe('config.guestConfigurationEnabled', gcEnabled, ev(cfgLine('guestConfigurationEnabled')), time));
    const mode = str(prop(config, 'configMode'));
    if (mode) observations.push(observe('config.mode', mode.toLowerCase(), ev(cfgLine('configMode')), time));
  }

  const services = get('serviceStatuses');
  for (const [key, serviceName] of [['extensionService', 'ExtensionService'], ['guestConfigurationService', 'GCArcService']] as const) {
    const s = prop(services, key);
    const st = str(prop(s, 'status'));
    if (!st) continue;
    const value: ServiceFact = { name: serviceName, state: serviceStateFromText(st) };
    const start = startTypeFromText(str(prop(s, 'startupType')) ?? '');
    if (start) value.startType = start;
    if (value.state === 'unknown') warnings.push(`serviceStatuses.${key}.status "${st}" is not a known service state`);
    observations.push(observe(serviceKey(serviceName), value, ev(propLine('serviceStatuses', key, 'status')), time));
  }

  const errors = azcmErrors(get('errorDetails'));
  if (errors.length > 0) {
    const line = propLine('errorDetails');
    observations.push(observe('agent.error', errors[0]!, ev(line), time));
    observations.push(observe('agent.errorCodes', errors, ev(line), time));
  }
  return { observations, warnings };
}

export const azMachineParser: TextParser = {
  id: 'az-machine',
  label: 'az connectedmachine show',
  detect(text) {
    if (!/^[ \t]*[[{]/m.test(text)) return 0;
    if (MACHINE_TYPE_RE.test(text)) return 97;
    if (/"properties"\s*:\s*\{/i.test(text) && /"agentVersion"\s*:/i.test(text) && /"(osName|lastStatusChange|osSku)"\s*:/i.test(text)) return 90;
    // Flattened without the type: ARM-only keys next to agentVersion (azcmagent show -j has none of them).
    if (/"agentVersion"\s*:/i.test(text) && /"lastStatusChange"\s*:/i.test(text) && /\/providers\/Microsoft\.HybridCompute\/machines\//i.test(text)) return 80;
    return 0;
  },
  parse: parseMachine,
};
