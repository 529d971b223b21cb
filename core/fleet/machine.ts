/**
 * Resource Graph rows -> the facts of one machine, with the SAME mappings as the single-machine parsers:
 * machineObservations (core/parsers/az-machine) for the machine row, extensionView/adminCenterFact
 * (core/parsers/az-extension) for its AdminCenter extension. Rows come in two forms:
 * - the fleet query's (core/fleet/query): one row per machine, ARM property names flattened to the row, the joined
 *   AdminCenter extension in `adminCenter*` columns (all empty when the machine has none);
 * - plain resource rows (`resources | where type startswith 'microsoft.hybridcompute/machines'`): machines and their
 *   extensions as separate rows, joined here by machine resource id (case-insensitive).
 */
import { observe, type Observation } from '../model/facts';
import { prop } from '../parsers/parser';
import { machineObservations } from '../parsers/az-machine';
import { adminCenterFact, extensionView, isAdminCenter, isObject, str, type ExtensionView } from '../parsers/az-extension';
import { AZURE_REGIONS, normalizeRegion } from '../catalog/regions';
import type { Evidence } from '../model/types';
import { ADMIN_CENTER_COLUMNS } from './query';

const MACHINE_TYPE = 'microsoft.hybridcompute/machines';
const EXTENSION_TYPE = 'microsoft.hybridcompute/machines/extensions';

/** Who a machine is: its ARM id (as written and lowercase, the join key), name, group and subscription. */
export interface FleetMachineId {
  id: string;
  key: string;
  name: string;
  resourceGroup?: string;
  subscriptionId?: string;
  /** The resource's region, as the row has it. */
  location?: string;
}

export type RowClass =
  | { kind: 'machine'; machine: FleetMachineId; joined: boolean }
  | { kind: 'extension'; machineKey: string }
  | { kind: 'other'; type: string }
  | { kind: 'invalid'; why: string };

/** `/subscriptions/<s>/resourceGroups/<rg>/providers/...`: the group and subscription parts (as written). */
function idParts(id: string): { subscriptionId?: string; resourceGroup?: string } {
  const parts = id.split('/');
  const at = (name: string): string | undefined => {
    const i = parts.findIndex((p) => p.toLowerCase() === name);
    return i >= 0 && parts[i + 1] ? parts[i + 1] : undefined;
  };
  const subscriptionId = at('subscriptions');
  const resourceGroup = at('resourcegroups');
  return { ...(subscriptionId ? { subscriptionId } : {}), ...(resourceGroup ? { resourceGroup } : {}) };
}

const hasMachineProperties = (row: Record<string, unknown>): boolean =>
  isObject(prop(row, 'properties')) || prop(row, 'agentVersion') !== undefined || prop(row, 'status') !== undefined;

/** What a row is. A machine row must have an id and its properties (nested, or the fleet query's columns). */
export function classifyRow(row: unknown): RowClass {
  if (!isObject(row)) return { kind: 'invalid', why: `not an object (${row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row})` };
  const type = str(prop(row, 'type'))?.toLowerCase();
  const id = str(prop(row, 'id'));
  if (type === EXTENSION_TYPE) {
    const cut = id ? id.toLowerCase().indexOf('/extensions/') : -1;
    if (!id || cut < 0) return { kind: 'invalid', why: 'an extension row without a machine extension resource id' };
    return { kind: 'extension', machineKey: id.slice(0, cut).toLowerCase() };
  }
  const joined = prop(row, ADMIN_CENTER_COLUMNS.id) !== undefined;
  if (type !== MACHINE_TYPE && !(type === undefined && (joined || prop(row, 'agentVersion') !== undefined))) {
    return type ? { kind: 'other', type } : { kind: 'invalid', why: 'no "type": not a Microsoft.HybridCompute/machines row' };
  }
  if (!id) return { kind: 'invalid', why: 'a machine row without "id"' };
  const name = str(prop(row, 'name')) ?? id.slice(id.lastIndexOf('/') + 1);
  if (!hasMachineProperties(row)) return { kind: 'invalid', why: `a machine row (${name}) without properties; expected "properties" or the fleet query's columns (status, agentVersion, ...)` };
  const parts = idParts(id);
  const resourceGroup = str(prop(row, 'resourceGroup')) ?? parts.resourceGroup;
  const subscriptionId = str(prop(row, 'subscriptionId')) ?? parts.subscriptionId;
  const location = str(prop(row, 'location'));
  return {
    kind: 'machine', joined,
    machine: { id, key: id.toLowerCase(), name, ...(resourceGroup ? { resourceGroup } : {}), ...(subscriptionId ? { subscriptionId } : {}), ...(location ? { location } : {}) },
  };
}

/** A value as shown in an evidence excerpt: scalars as JSON (clipped), objects and lists by their size. */
function shown(v: unknown): string {
  if (v === undefined) return '(not in the row)';
  if (Array.isArray(v)) {
    const text = JSON.stringify(v);
    return text.length <= 120 ? text : `[${v.length} items]`;
  }
  if (isObject(v)) return '{...}';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- v is a JSON scalar here (lists and objects are shown above); String() covers the undefined JSON.stringify gives
  const text = JSON.stringify(v) ?? String(v);
  return text.length <= 120 ? text : `${text.slice(0, 117)}...`;
}

/** Evidence naming the page, the row and the property: `fleet-2.json data[17].properties.agentVersion: "1.35..."`. */
export function rowEvidence(file: string, where: string, path: readonly string[], value: unknown): Evidence {
  return { source: 'pasted', path: file, excerpt: `${where}.${path.join('.')}: ${shown(value)}` };
}

/** The AdminCenter extension as the fleet found it for one machine. */
export type ExtensionJoin =
  | { kind: 'found'; view: ExtensionView; file: string; where: string; field: readonly string[]; installed?: string[] }
  | { kind: 'none'; file: string; where: string; installed?: string[] }
  | { kind: 'unknown' };

/** The fleet query's `adminCenter*` columns as the ARM extension object extensionView reads. */
export function joinedExtension(row: Record<string, unknown>, file: string, where: string): ExtensionJoin {
  const c = ADMIN_CENTER_COLUMNS;
  const id = str(prop(row, c.id));
  if (!id) return { kind: 'none', file, where: `${where}.${c.id}` };
  const view = extensionView({
    name: prop(row, c.name),
    properties: {
      publisher: prop(row, c.publisher), type: prop(row, c.type), typeHandlerVersion: prop(row, c.typeHandlerVersion),
      provisioningState: prop(row, c.provisioningState), settings: prop(row, c.settings), instanceView: prop(row, c.instanceView),
    },
  });
  return { kind: 'found', view, file, where, field: [c.provisioningState] };
}

/**
 * Extension rows of plain exports, by machine key: only what the facts need (the AdminCenter view and the
 * `Publisher.Type` list), so a 100,000-machine fleet's index stays small.
 */
export class ExtensionIndex {
  private readonly byMachine = new Map<string, { installed: string[]; admin?: { view: ExtensionView; file: string; where: string; field: readonly string[] } }>();
  rows = 0;

  add(machineKey: string, row: Record<string, unknown>, file: string, where: string): void {
    this.rows++;
    // A fresh copy: the row's strings would keep the page's chunks alive for the whole run.
    const view = JSON.parse(JSON.stringify(extensionView(row))) as ExtensionView;
    machineKey = JSON.parse(JSON.stringify(machineKey)) as string;
    const entry = this.byMachine.get(machineKey) ?? { installed: [] };
    if (view.publisher && view.type) entry.installed.push(`${view.publisher}.${view.type}`);
    if (!entry.admin && isAdminCenter(view) && view.publisher) entry.admin = { view, file, where, field: ['properties', 'provisioningState'] };
    this.byMachine.set(machineKey, entry);
  }

  /** A plain machine row's extension: found, none (the export has extension rows, none of them this machine's AdminCenter), or unknown (no extension rows at all). */
  lookup(machineKey: string, file: string, where: string): ExtensionJoin {
    if (this.rows === 0) return { kind: 'unknown' };
    const entry = this.byMachine.get(machineKey);
    if (entry?.admin) return { kind: 'found', ...entry.admin, installed: entry.installed };
    return { kind: 'none', file, where, installed: entry?.installed ?? [] };
  }
}

/** The Azure cloud a region belongs to (the resource's region says which cloud holds it). */
export function cloudOfRegion(location: string): string | undefined {
  const r = normalizeRegion(location);
  if (/^(usgov|usdod)/.test(r)) return 'AzureUSGovernment';
  if (r.startsWith('china')) return 'AzureChinaCloud';
  return AZURE_REGIONS.includes(r) ? 'AzureCloud' : undefined;
}

/** Every observation of one machine row and its extension. */
export function machineFacts(row: Record<string, unknown>, file: string, where: string, ext: ExtensionJoin): { observations: Observation[]; warnings: string[] } {
  const nested = isObject(prop(row, 'properties'));
  const valueAt = (path: readonly string[], base: unknown): unknown => path.reduce<unknown>((o, k) => prop(o, k), base);
  const { observations, warnings = [] } = machineObservations(row, (scope, path) => {
    const full = scope === 'props' && nested ? ['properties', ...path] : path;
    return rowEvidence(file, where, full, valueAt(full, row));
  });
  const time = observations.find((o) => o.name === 'agent.lastHeartbeat')?.time;
  const location = str(prop(row, 'location'));
  const cloud = location ? cloudOfRegion(location) : undefined;
  if (cloud && location) observations.push(observe('agent.cloud', cloud, rowEvidence(file, where, ['location'], location), time));

  if (ext.kind === 'found') {
    const evidence = rowEvidence(ext.file, ext.where, ext.field, ext.view.provisioningState);
    observations.push(observe('extension.adminCenter', adminCenterFact(ext.view, warnings), evidence, ext.view.statusTime));
  } else if (ext.kind === 'none') {
    const excerpt = ext.installed === undefined
      ? `${ext.where}: empty (no AdminCenter extension joined to this machine)`
      : `${ext.installed.length} extension row(s) for this machine, none is Microsoft.AdminCenter.AdminCenter${ext.installed.length ? `: ${ext.installed.join(', ')}` : ''}`;
    observations.push(observe('extension.adminCenter', { installed: false }, { source: 'pasted', path: ext.file, excerpt }, time));
  }
  if (ext.kind !== 'unknown' && ext.installed !== undefined) {
    observations.push(observe('extension.installed', ext.installed, { source: 'pasted', path: file, excerpt: `extension rows of ${where}: ${ext.installed.join(', ') || 'none'}` }, time));
  }
  return { observations, warnings };
}
