/**
 * Azure Resource Graph export fixtures, generated from the documented resource shapes (HybridCompute REST
 * 2024-07-10: Microsoft.HybridCompute/machines and machines/extensions; ARG lowercases `type`), never recorded from
 * a tenant. One healthy machine and one per failure class, in the three export shapes (az graph query, the REST
 * response, Search-AzGraph), as the fleet query's rows or as plain resource rows, paged; and malformed pages.
 *
 *   npx tsx scripts/fleet-fixtures.ts <dir>        writes the fixture set
 *   generateFleetFile(path, n, shape)              a large export, streamed to disk (bench)
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_CENTER_COLUMNS as C } from '../core/fleet/query';

export const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';

export type FailureClass =
  | 'healthy' | 'disconnected' | 'old-agent' | 'unsupported-os' | 'linux' | 'sovereign-cloud'
  | 'extension-failed' | 'port-missing' | 'blocklisted' | 'license-absent' | 'no-extension';

export const CLASSES: readonly FailureClass[] = [
  'healthy', 'disconnected', 'old-agent', 'unsupported-os', 'linux', 'sovereign-cloud',
  'extension-failed', 'port-missing', 'blocklisted', 'license-absent', 'no-extension',
];

export interface MachineSpec {
  name: string;
  resourceGroup: string;
  cls: FailureClass;
}

export const machineId = (m: MachineSpec): string =>
  `/subscriptions/${SUBSCRIPTION}/resourceGroups/${m.resourceGroup}/providers/Microsoft.HybridCompute/machines/${m.name}`;

/** properties of a Microsoft.HybridCompute/machines resource (the subset ARG holds that the rules read, plus noise). */
function machineProperties(m: MachineSpec): Record<string, unknown> {
  const c = m.cls;
  const linux = c === 'linux';
  const os = c === 'unsupported-os'
    ? { osName: 'windows', osSku: 'Windows Server 2012 R2 Datacenter', osVersion: '6.3.9600', osType: 'windows' }
    : linux
      ? { osName: 'linux', osSku: 'Ubuntu 22.04.4 LTS', osVersion: '5.15.0-1057-azure', osType: 'linux' }
      : { osName: 'windows', osSku: 'Windows Server 2022 Datacenter', osVersion: '10.0.20348.2227', osType: 'windows' };
  return {
    provisioningState: 'Succeeded',
    status: c === 'disconnected' ? 'Disconnected' : 'Connected',
    lastStatusChange: c === 'disconnected' ? '2026-10-01T08:00:00.0000000Z' : '2026-11-30T09:12:44.5150000Z',
    agentVersion: c === 'old-agent' ? '1.35.02478.692' : '1.67.03263.2876',
    ...os,
    vmId: 'a1b2c3d4-0000-4000-8000-000000000001',
    displayName: m.name,
    machineFqdn: `${m.name}.contoso.local`,
    cloudMetadata: { provider: 'N/A' },
    detectedProperties: { totalPhysicalMemoryInGigabytes: '16', totalPhysicalMemoryInBytes: '17179869184', manufacturer: 'Contoso', logicalCoreCount: '4' },
    agentConfiguration: {
      proxyUrl: '',
      incomingConnectionsPorts: c === 'port-missing' ? ['22'] : ['6516'],
      extensionsAllowList: [],
      extensionsBlockList: c === 'blocklisted' ? [{ publisher: 'Microsoft.AdminCenter', type: 'AdminCenter' }] : [],
      proxyBypass: [],
      extensionsEnabled: 'true',
      guestConfigurationEnabled: 'true',
      configMode: 'full',
    },
    licenseProfile: c === 'license-absent'
      ? { softwareAssurance: { softwareAssuranceCustomer: false }, productProfile: { productType: 'WindowsServer', subscriptionStatus: 'Disabled' } }
      : { softwareAssurance: { softwareAssuranceCustomer: true }, licenseStatus: 'Licensed' },
    privateLinkScopeResourceId: null,
    errorDetails: [],
  };
}

function locationOf(m: MachineSpec): string {
  return m.cls === 'sovereign-cloud' ? 'usgovvirginia' : 'westeurope';
}

/** A plain machine resource row (`resources | where type startswith 'microsoft.hybridcompute/machines'`). */
export function machineRow(m: MachineSpec): Record<string, unknown> {
  return {
    id: machineId(m), name: m.name, type: 'microsoft.hybridcompute/machines', tenantId: '99999999-8888-7777-6666-555555555555',
    kind: '', location: locationOf(m), resourceGroup: m.resourceGroup, subscriptionId: SUBSCRIPTION,
    identity: { type: 'SystemAssigned' }, tags: {}, properties: machineProperties(m),
  };
}

function extensionProperties(m: MachineSpec): Record<string, unknown> {
  const failed = m.cls === 'extension-failed';
  return {
    publisher: 'Microsoft.AdminCenter', type: 'AdminCenter', typeHandlerVersion: '0.70.0.0', autoUpgradeMinorVersion: true,
    provisioningState: failed ? 'Failed' : 'Succeeded',
    settings: { port: '6516' },
    instanceView: {
      name: 'AdminCenter', type: 'AdminCenter', typeHandlerVersion: '0.70.0.0',
      status: failed
        ? { code: '1', level: 'Error', displayStatus: 'Provisioning failed', message: 'Extension Message: Failed to install Windows Admin Center: the gateway service did not start', time: '2026-11-30T09:20:00+00:00' }
        : { code: '0', level: 'Information', displayStatus: 'Provisioning succeeded', message: 'Extension Message: WAC is running on port 6516', time: '2026-11-30T09:20:00+00:00' },
    },
  };
}

/** The machine's extension rows (AdminCenter unless the class has none, plus an unrelated one). */
export function extensionRows(m: MachineSpec): Record<string, unknown>[] {
  const base = { type: 'microsoft.hybridcompute/machines/extensions', location: locationOf(m), resourceGroup: m.resourceGroup, subscriptionId: SUBSCRIPTION };
  const rows: Record<string, unknown>[] = [{
    id: `${machineId(m)}/extensions/AzureMonitorWindowsAgent`, name: `${m.name}/AzureMonitorWindowsAgent`, ...base,
    properties: { publisher: 'Microsoft.Azure.Monitor', type: 'AzureMonitorWindowsAgent', typeHandlerVersion: '1.30.0.0', provisioningState: 'Succeeded', settings: {} },
  }];
  if (m.cls !== 'no-extension' && m.cls !== 'blocklisted') {
    rows.push({ id: `${machineId(m)}/extensions/AdminCenter`, name: `${m.name}/AdminCenter`, ...base, properties: extensionProperties(m) });
  }
  return rows;
}

/** A row of the fleet query (core/fleet/query FLEET_KQL): flattened ARM names, the extension in adminCenter* columns. */
export function queryRow(m: MachineSpec): Record<string, unknown> {
  const p = machineProperties(m);
  const ext = extensionRows(m).find((r) => String(r.id).endsWith('/AdminCenter'));
  const e = ext?.properties as Record<string, unknown> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- fixture columns are JSON scalars, shown as String() gives them
  const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
  return {
    id: machineId(m), name: m.name, type: 'microsoft.hybridcompute/machines', location: locationOf(m), resourceGroup: m.resourceGroup,
    subscriptionId: SUBSCRIPTION, tenantId: '99999999-8888-7777-6666-555555555555',
    status: p.status, lastStatusChange: p.lastStatusChange, agentVersion: p.agentVersion,
    osName: p.osName, osSku: p.osSku, osVersion: p.osVersion, osType: p.osType, cloudProvider: 'N/A',
    detectedProperties: p.detectedProperties, agentConfiguration: p.agentConfiguration, licenseProfile: p.licenseProfile,
    privateLinkScopeResourceId: s(p.privateLinkScopeResourceId), errorDetails: p.errorDetails, serviceStatuses: null,
    // A leftouter join without a match: every right-side column empty (strings '') or null (dynamic).
    [C.id]: s(ext?.id), [C.name]: s(ext?.name), [C.publisher]: s(e?.publisher), [C.type]: s(e?.type),
    [C.provisioningState]: s(e?.provisioningState), [C.typeHandlerVersion]: s(e?.typeHandlerVersion),
    [C.settings]: e?.settings ?? null, [C.instanceView]: e?.instanceView ?? null,
  };
}

export type ExportShape = 'az' | 'rest' | 'search-azgraph' | 'array';

/** One page in an export shape. `total` is the whole query's row count (the shapes that state it). */
export function page(shape: ExportShape, rows: unknown[], skipToken: string | null, total: number): unknown {
  switch (shape) {
    case 'az': return { count: rows.length, data: rows, skip_token: skipToken, total_records: total };
    case 'rest': return { totalRecords: total, count: rows.length, resultTruncated: 'false', ...(skipToken ? { $skipToken: skipToken } : {}), data: rows, facets: [] };
    case 'search-azgraph': return { Data: rows, SkipToken: skipToken };
    case 'array': return rows;
  }
}

/** One machine of each class, in resource group rg-<class>. */
export function classMachines(): MachineSpec[] {
  return CLASSES.map((cls) => ({ name: `srv-${cls}`, resourceGroup: `rg-${cls}`, cls }));
}

/** Writes the fixture set into `dir`; returns the file names written. */
export function writeFleetFixtures(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const machines = classMachines();
  const files: Record<string, unknown> = {};
  const query = machines.map(queryRow);
  const plain = machines.flatMap((m) => [machineRow(m), ...extensionRows(m)]);
  for (const shape of ['az', 'rest', 'search-azgraph', 'array'] as const) {
    files[`query-${shape}.json`] = page(shape, query, null, query.length);
    files[`plain-${shape}.json`] = page(shape, plain, null, plain.length);
  }
  // Paging: the query rows over two pages; plain rows with each machine's extensions on the OTHER page.
  const half = Math.ceil(query.length / 2);
  files['paged-query-1.json'] = page('az', query.slice(0, half), 'ew0KICAiJGlkIjogIjEiLA0KICAiTWF4Um93cyI6IDYsDQp9', query.length);
  files['paged-query-2.json'] = page('az', query.slice(half), null, query.length);
  const machineRows = machines.map(machineRow);
  const extRows = machines.flatMap(extensionRows);
  files['paged-plain-1.json'] = page('rest', [...machineRows.slice(0, half), ...extRows.filter((r) => machines.slice(half).some((m) => String(r.id).startsWith(`${machineId(m)}/`)))], 'dG9rZW4tMQ==', plain.length);
  files['paged-plain-2.json'] = page('rest', [...machineRows.slice(half), ...extRows.filter((r) => machines.slice(0, half).some((m) => String(r.id).startsWith(`${machineId(m)}/`)))], null, plain.length);
  const written: string[] = [];
  for (const [name, value] of Object.entries(files)) {
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
    written.push(name);
  }
  // Malformed pages: cut in transfer, no data, a machine row without properties (beside a good one).
  const good = JSON.stringify(page('az', query.slice(0, 3), null, 3), null, 2);
  writeFileSync(join(dir, 'bad-truncated.json'), good.slice(0, Math.floor(good.length * 0.6)));
  writeFileSync(join(dir, 'bad-no-data.json'), `${JSON.stringify({ count: 2, skip_token: null, total_records: 2 })}\n`);
  const noProps = machineRow({ name: 'srv-noprops', resourceGroup: 'rg-bad', cls: 'healthy' });
  delete noProps.properties;
  writeFileSync(join(dir, 'bad-row.json'), `${JSON.stringify(page('az', [noProps, queryRow({ name: 'srv-after-bad-row', resourceGroup: 'rg-bad', cls: 'healthy' })], null, 2), null, 2)}\n`);
  written.push('bad-truncated.json', 'bad-no-data.json', 'bad-row.json');
  return written;
}

/** The class of the i-th generated machine: most healthy, the rest spread over the failure classes. */
export function classOf(i: number): FailureClass {
  return i % 4 === 0 ? CLASSES[1 + ((i >> 2) % (CLASSES.length - 1))]! : 'healthy';
}

/** A large export of `n` machines (fleet query rows, one page in the az shape), written as a stream. */
export async function generateFleetFile(path: string, n: number): Promise<number> {
  const out = createWriteStream(path);
  const write = (text: string): Promise<void> => new Promise((resolve, reject) => {
    if (out.write(text)) return resolve();
    const fail = (err: Error): void => reject(err);
    out.once('error', fail).once('drain', () => {
      out.off('error', fail);
      resolve();
    });
  });
  await write(`{"count":${n},"data":[`);
  for (let i = 0; i < n; i++) {
    const m: MachineSpec = { name: `srv${String(i).padStart(6, '0')}`, resourceGroup: `rg-${i % 50}`, cls: classOf(i) };
    await write(`${i ? ',' : ''}\n${JSON.stringify(queryRow(m))}`);
  }
  await write(`\n],"skip_token":null,"total_records":${n}}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return n;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: tsx scripts/fleet-fixtures.ts <dir>\n');
    process.exit(2);
  }
  process.stdout.write(`${writeFleetFixtures(dir).join('\n')}\n`);
}
