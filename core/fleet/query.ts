/**
 * `wac-doctor fleet-query`: the Azure Resource Graph query (KQL) that exports, per Arc machine, what the rules can
 * judge from Azure's side, and the commands that run it page by page. Static text written here, never built from
 * input. Property names are those of Microsoft.HybridCompute/machines and machines/extensions (HybridCompute REST
 * 2024-07-10: properties.status, lastStatusChange, agentVersion, osName, osSku, osVersion, osType, detectedProperties,
 * agentConfiguration {incomingConnectionsPorts, extensionsAllowList, extensionsBlockList, extensionsEnabled,
 * guestConfigurationEnabled, configMode, proxyUrl, proxyBypass}, licenseProfile, privateLinkScopeResourceId; extension
 * properties.publisher, type, typeHandlerVersion, provisioningState, settings, instanceView).
 *
 * The columns keep the ARM names, flattened to the row (as `az connectedmachine show` prints them in some CLI
 * versions), so the machine parser's mapping reads a row as it reads one machine; the joined AdminCenter extension's
 * columns are prefixed `adminCenter`. The query holds no double quote, so Windows PowerShell 5.1 passes it to az intact.
 */

/** The AdminCenter extension's columns in a row of FLEET_KQL (a leftouter join: empty when the machine has none). */
export const ADMIN_CENTER_COLUMNS = {
  id: 'adminCenterId',
  name: 'adminCenterName',
  publisher: 'adminCenterPublisher',
  type: 'adminCenterType',
  provisioningState: 'adminCenterProvisioningState',
  typeHandlerVersion: 'adminCenterTypeHandlerVersion',
  settings: 'adminCenterSettings',
  instanceView: 'adminCenterInstanceView',
} as const;

const C = ADMIN_CENTER_COLUMNS;

export const FLEET_KQL = [
  'resources',
  "| where type =~ 'microsoft.hybridcompute/machines'",
  '| extend machineId = tolower(id)',
  '| project machineId, id, name, type, location, resourceGroup, subscriptionId, tenantId,',
  '    status = tostring(properties.status), lastStatusChange = tostring(properties.lastStatusChange),',
  '    agentVersion = tostring(properties.agentVersion),',
  '    osName = tostring(properties.osName), osSku = tostring(properties.osSku),',
  '    osVersion = tostring(properties.osVersion), osType = tostring(properties.osType),',
  '    cloudProvider = tostring(properties.cloudMetadata.provider),',
  '    detectedProperties = properties.detectedProperties,',
  '    agentConfiguration = properties.agentConfiguration,',
  '    licenseProfile = properties.licenseProfile,',
  '    privateLinkScopeResourceId = tostring(properties.privateLinkScopeResourceId),',
  '    errorDetails = properties.errorDetails,',
  '    serviceStatuses = properties.serviceStatuses',
  '| join kind=leftouter (',
  '    resources',
  "    | where type =~ 'microsoft.hybridcompute/machines/extensions'",
  "    | where tostring(properties.publisher) =~ 'Microsoft.AdminCenter' and tostring(properties.type) =~ 'AdminCenter'",
  "    | project machineId = tolower(tostring(split(id, '/extensions/')[0])),",
  `        ${C.id} = id, ${C.name} = name,`,
  `        ${C.publisher} = tostring(properties.publisher), ${C.type} = tostring(properties.type),`,
  `        ${C.provisioningState} = tostring(properties.provisioningState),`,
  `        ${C.typeHandlerVersion} = tostring(properties.typeHandlerVersion),`,
  `        ${C.settings} = properties.settings,`,
  `        ${C.instanceView} = properties.instanceView`,
  '  ) on machineId',
  '| project-away machineId, machineId1',
  '| order by id asc',
].join('\n');

/** The plain-rows alternative the reader also accepts: machines and their extensions as separate rows. */
export const PLAIN_ROWS_KQL = "resources | where type startswith 'microsoft.hybridcompute/machines' | order by id asc";

/** Page size: the most Resource Graph returns per request. */
export const PAGE_SIZE = 1000;

const AZ_BASH = [
  '# Azure CLI (bash, Cloud Shell; needs jq): one file per page of 1000 machines, following skip_token',
  'wac-doctor fleet-query --kql > fleet.kql',
  'n=1; token=',
  'while :; do',
  `  az graph query -q "$(cat fleet.kql)" --first ${PAGE_SIZE} \${token:+--skip-token "$token"} -o json > "fleet-$n.json" || break`,
  `  token=$(jq -r '.skip_token // empty' "fleet-$n.json"); [ -z "$token" ] && break; n=$((n+1))`,
  'done',
  'wac-doctor analyze fleet-*.json',
].join('\n');

const AZ_POWERSHELL = [
  '# Azure CLI (PowerShell): the same, one file per page',
  'wac-doctor fleet-query --kql | Set-Content fleet.kql',
  "$q = Get-Content -Raw fleet.kql; $n = 1; $token = $null",
  'do {',
  `  $page = @('graph', 'query', '-q', $q, '--first', '${PAGE_SIZE}', '-o', 'json'); if ($token) { $page += @('--skip-token', $token) }`,
  '  az @page | Set-Content -Encoding utf8 "fleet-$n.json"',
  '  $token = (Get-Content -Raw "fleet-$n.json" | ConvertFrom-Json).skip_token; $n++',
  '} while ($token)',
  'wac-doctor analyze (Get-ChildItem fleet-*.json).FullName',
].join('\n');

const SEARCH_AZGRAPH = [
  '# Az.ResourceGraph (PowerShell): Search-AzGraph returns Data and SkipToken; add -UseTenantScope or -Subscription as needed',
  "$q = Get-Content -Raw fleet.kql; $n = 1; $token = $null",
  'do {',
  `  $page = if ($token) { Search-AzGraph -Query $q -First ${PAGE_SIZE} -SkipToken $token } else { Search-AzGraph -Query $q -First ${PAGE_SIZE} }`,
  '  @{ Data = @($page.Data); SkipToken = $page.SkipToken } | ConvertTo-Json -Depth 20 | Set-Content -Encoding utf8 "fleet-$n.json"',
  '  $token = $page.SkipToken; $n++',
  '} while ($token)',
  'wac-doctor analyze (Get-ChildItem fleet-*.json).FullName',
].join('\n');

export interface FleetQuery {
  kql: string;
  /** The commands that export every page, by tool. */
  commands: Array<{ tool: 'az-bash' | 'az-powershell' | 'search-azgraph'; text: string }>;
}

export function fleetQuery(): FleetQuery {
  return {
    kql: FLEET_KQL,
    commands: [
      { tool: 'az-bash', text: AZ_BASH },
      { tool: 'az-powershell', text: AZ_POWERSHELL },
      { tool: 'search-azgraph', text: SEARCH_AZGRAPH },
    ],
  };
}

/** What `wac-doctor fleet-query` prints: the query, then how to export and page it. */
export function fleetQueryText(): string {
  const q = fleetQuery();
  return [
    '// Azure Resource Graph: WAC readiness facts of every Arc machine, with its AdminCenter extension',
    q.kql,
    '',
    ...q.commands.flatMap((c) => [c.text, '']),
    `# Plain rows work too (machines and extensions as separate rows, joined by resource id): ${PLAIN_ROWS_KQL}`,
    '',
  ].join('\n');
}
