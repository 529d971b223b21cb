/**
 * Named, typed facts: the only thing rules see. Parsers (and later bundle and live sources)
 * produce observations of these facts; the FactStore resolves several observations of one fact.
 *
 * Plain facts have fixed names (`agent.version`). Keyed facts are families whose name carries a key:
 * `service.<name lowercase>`, `probe.<host lowercase>`, `provider.<namespace lowercase>`.
 */
import type { Evidence } from './types';
import type { ErrorLayer } from '../catalog/error-taxonomy';

export type ServiceState =
  | 'running' | 'stopped' | 'start_pending' | 'stop_pending'
  | 'continue_pending' | 'pause_pending' | 'paused' | 'unknown' | 'not_found';

export interface ServiceFact {
  /** Service name as the OS knows it (`himds`, `ServerManagementGateway`). */
  name: string;
  displayName?: string;
  state: ServiceState;
  /** `automatic`, `manual`, `disabled`, ... lowercase, when the source says. */
  startType?: string;
}

export interface OsFact {
  platform: 'windows' | 'linux' | 'other';
  /** e.g. `Microsoft Windows Server 2022 Datacenter`, `Ubuntu 22.04.4 LTS`. */
  name?: string;
  /** e.g. `10.0.20348` or `10.0.20348.2227`. */
  version?: string;
  /** Windows build number (20348), when known. */
  build?: number;
  /** e.g. `Windows Server 2022 Datacenter`, `ServerDatacenter`. */
  sku?: string;
}

export interface AgentErrorFact {
  code: string;
  details?: string;
}

export interface TlsProbe {
  ok: boolean;
  protocol?: string;
  cipher?: string;
  /** Leaf certificate subject CN and issuer CN/O. */
  subject?: string;
  issuer?: string;
  /** Issuer names from the leaf up to the last certificate the server sent. */
  chain?: string[];
  validTo?: string;
  hostnameMatch?: boolean;
  /** The chain ends at a root in the public trust store Microsoft's endpoints use. */
  trustedPublicCa?: boolean;
  error?: string;
}

export interface DnsProbe {
  status: 'ok' | 'nxdomain' | 'servfail' | 'timeout' | 'refused' | 'error';
  addresses: string[];
  cname?: string[];
  /** Any answer address in a private, loopback or link-local range. */
  private?: boolean;
  resolver?: string;
  error?: string;
}

/** One endpoint as a source saw it. Every field is optional: sources see different layers. */
export interface EndpointProbe {
  host: string;
  port: number;
  url?: string;
  dns?: DnsProbe;
  tcp?: { ok: boolean; ms?: number; error?: string };
  tls?: TlsProbe;
  http?: { status?: number; body?: string; error?: string };
  /** Overall verdict as the source reported it (e.g. the REACHABLE column of azcmagent check). */
  reachable?: boolean;
  /** PRIVATE column of azcmagent check, or a private DNS answer. */
  private?: boolean;
  /** How the source says it went through a proxy (`set`, `not set`, a URL). */
  proxy?: string;
  /** Error text as reported, e.g. `no such host`, `i/o timeout`. */
  error?: string;
  /** The layer that failed, from the error taxonomy (core/catalog/error-taxonomy.ts), when a log or output said. */
  layer?: ErrorLayer;
  /** `host:port` of the proxy a `proxyconnect` error names. */
  proxyAddress?: string;
}

export interface ProviderFact {
  namespace: string;
  /** `Registered`, `NotRegistered`, `Registering`, `Unregistering`. */
  registrationState: string;
}

export interface RegistryGatewayFact {
  /** False when `reg query` said the key does not exist. */
  present: boolean;
  /** Value name -> data as text (REG_DWORD converted to decimal). */
  values: Record<string, string>;
  smePort?: number;
}

export interface AdminCenterExtensionFact {
  /** False when an extension list was seen without AdminCenter in it. */
  installed: boolean;
  name?: string;
  version?: string;
  /** `Succeeded`, `Failed`, `Creating`, `Updating`, `Deleting`. */
  provisioningState?: string;
  statusCode?: string;
  /** `Info`/`Information`, `Warning`, `Error`. */
  statusLevel?: string;
  statusMessage?: string;
  /** `port` from the extension settings (a string there; validated here). */
  settingsPort?: number;
  proxyMode?: string;
  proxyAddress?: string;
}

export interface RoleAssignmentFact {
  roleDefinitionName: string;
  principalName?: string;
  principalType?: string;
  scope?: string;
}

/** A known failure text found in a log or pasted output. */
export interface SignatureHit {
  /** Signature catalog id, e.g. `authorization-failed`, `missing-registration`. */
  id: string;
  text: string;
  time?: string;
  /** e.g. the namespace for `missing-registration`, the action for `authorization-failed`. */
  subject?: string;
}

export interface LocalHttpsFact {
  port: number;
  tls?: TlsProbe;
  httpStatus?: number;
  error?: string;
}

export interface ProxyProbeFact {
  url: string;
  status: 'ok' | 'auth-required' | 'unreachable' | 'error';
  error?: string;
}

export interface WacPortFact {
  port: number;
  source: 'option' | 'extension' | 'SmePort' | 'appsettings' | 'default';
}

/** `.../providers/Microsoft.HybridConnectivity/endpoints/default` of the machine (GET via az rest / Invoke-AzRestMethod). */
export interface HybridEndpointFact {
  /** False when the GET answered 404 / ResourceNotFound. */
  present: boolean;
  /** `properties.type` (`default`). */
  type?: string;
}

/** `.../endpoints/default/serviceconfigurations/WAC`: the port the portal's reverse proxy connects to. */
export interface WacServiceConfigurationFact {
  /** False when the GET answered 404 / ResourceNotFound. */
  present: boolean;
  /** `properties.port`, when it is an integer 1-65535 (the REST spec's type). */
  port?: number;
  /** `properties.port` as given when it is not such an integer (e.g. a string). */
  portText?: string;
  serviceName?: string;
  provisioningState?: string;
  /** The endpoint itself was reported missing (the parent of the service configuration). */
  endpointMissing?: boolean;
}

/**
 * `licenseProfiles/default` of the Arc machine (HybridCompute REST 2024-07-10, examples LicenseProfile_Get.json and
 * Machines_Get_LicenseProfileInstanceView.json): Software Assurance attestation and the pay-as-you-go product profile.
 */
export interface LicenseProfileFact {
  /** False when the license profile GET answered 404 (no attestation, no pay-as-you-go). */
  present: boolean;
  /** `softwareAssurance.softwareAssuranceCustomer`. */
  softwareAssuranceCustomer?: boolean;
  /** `productProfile.productType` (`WindowsServer` for Windows Server pay-as-you-go). */
  productType?: string;
  /** `productProfile.subscriptionStatus`: `Enabled`, `Enabling`, `Disabled`, `Disabling`, `Failed`, `Unknown`. */
  subscriptionStatus?: string;
  /** `licenseStatus` of the machine's instance view (`Licensed`, ...), when shown. */
  licenseStatus?: string;
}

/** How far the machine's clock is from a time source (w32tm), in seconds; positive when the machine is behind. */
export interface ClockFact {
  /** Offset in seconds, when the output gives one (`Phase Offset`, stripchart `o:`). */
  offsetSeconds?: number;
  /** The time source (`Source:` of w32tm /query /status, the stripchart target). */
  source?: string;
  /** The source is the machine's own clock (`Local CMOS Clock`, `Free-running System Clock`): not synchronized. */
  unsynchronized?: boolean;
}

/** Plain facts, by name. */
export interface FactMap {
  'machine.name': string;
  /** Full ARM id of the Arc machine resource. */
  'machine.resourceId': string;
  'os': OsFact;
  'memory.totalBytes': number;
  'agent.version': string;
  /** `Connected`, `Disconnected`, `Expired`. */
  'agent.status': string;
  /** ISO 8601. */
  'agent.lastHeartbeat': string;
  /** `AzureCloud`, `AzureUSGovernment`, `AzureChinaCloud`, `AzureStackCloud`, `Azure.Local`. */
  'agent.cloud': string;
  /** Azure region name, lowercase without spaces (`westeurope`). */
  'agent.location': string;
  'agent.error': AgentErrorFact;
  /** `Using HTTPS Proxy` of azcmagent show; empty string when none. */
  'agent.httpsProxy': string;
  /** Private Link Scope resource id; empty string when the agent reports none. */
  'agent.privateLinkScope': string;
  'agent.gatewayUrl': string;
  'config.incomingConnectionsEnabled': boolean;
  'config.incomingConnectionsPorts': number[];
  'config.proxyUrl': string;
  'config.proxyBypass': string[];
  'config.extensionsAllowlist': string[];
  'config.extensionsBlocklist': string[];
  'config.extensionsEnabled': boolean;
  'config.guestConfigurationEnabled': boolean;
  /** `full` or `monitor`. */
  'config.mode': string;
  /** `default`, `direct`, `gateway`. */
  'config.connectionType': string;
  /** HTTPS_PROXY seen in the agent's (or this process's) environment. */
  'env.httpsProxy': string;
  'registry.serverManagementGateway': RegistryGatewayFact;
  /** Port from the modern gateway's appsettings.json. */
  'wac.appsettingsPort': number;
  'wac.localHttps': LocalHttpsFact;
  'wac.port': WacPortFact;
  'extension.adminCenter': AdminCenterExtensionFact;
  /** Installed extensions as `Publisher.Type`. */
  'extension.installed': string[];
  'azure.roleAssignments': RoleAssignmentFact[];
  'proxy.probe': ProxyProbeFact;
  /** AZCM codes seen anywhere (show, logs, pasted errors). */
  'agent.errorCodes': AgentErrorFact[];
  /** Known failure texts (authorization, registration, network) seen in text. */
  'log.signatures': SignatureHit[];
  'azure.hybridEndpoint': HybridEndpointFact;
  'azure.wacServiceConfiguration': WacServiceConfigurationFact;
  /** Names of the TLS cipher suites enabled on the machine (Get-TlsCipherSuite), in order. */
  'tls.cipherSuites': string[];
  'azure.licenseProfile': LicenseProfileFact;
  'clock': ClockFact;
}

/** Keyed fact families: `<family>.<key>`. */
export interface KeyedFactMap {
  service: ServiceFact;
  probe: EndpointProbe;
  provider: ProviderFact;
}

export type KeyedFamily = keyof KeyedFactMap;
export type PlainFactName = keyof FactMap;
export type KeyedFactName = `${KeyedFamily}.${string}`;
export type FactName = PlainFactName | KeyedFactName;

export type FactValue<N extends FactName> = N extends PlainFactName
  ? FactMap[N]
  : N extends `${infer F}.${string}`
    ? F extends KeyedFamily ? KeyedFactMap[F] : never
    : never;

/**
 * How several observations of one fact combine:
 * - `newest`: the observation with the newest time wins; the others are kept to mention.
 * - `merge`: objects are shallow-merged, newer fields over older ones (e.g. a probe seen by two sources).
 * - `list`: arrays are concatenated and de-duplicated.
 */
export type Combine = 'newest' | 'merge' | 'list';

export interface FactDef {
  description: string;
  /** What the user can provide to get this fact; used in skip messages. */
  sources: string[];
  combine: Combine;
  /** For object facts: the fields whose difference is a disagreement (a display name is not). Default: all. */
  significant?: string[];
  /** Keyed facts whose sources depend on the key (a probe of pas.windows.net does not come from a WAC endpoint probe). */
  sourcesFor?: (key: string) => string[];
}

const SHOW = 'azcmagent show (text or -j)';
const CONFIG = 'azcmagent config list (text or -j)';
const AZ_MACHINE = 'az connectedmachine show -o json';
const AZ_EXT = 'az connectedmachine extension list -o json';
const LIVE = 'wac-doctor check on the machine';
const AZ_REST_ENDPOINT = 'az rest --method get --uri <machine id>/providers/Microsoft.HybridConnectivity/endpoints/default?api-version=2023-03-15';
const AZ_REST_SERVICE_CONFIG = 'az rest --method get --uri <machine id>/providers/Microsoft.HybridConnectivity/endpoints/default/serviceconfigurations/WAC?api-version=2023-03-15';

export const PLAIN_FACTS: Record<PlainFactName, FactDef> = {
  'machine.name': { description: 'machine name', sources: [SHOW, AZ_MACHINE], combine: 'newest' },
  'machine.resourceId': { description: 'Arc machine resource id', sources: [SHOW, AZ_MACHINE], combine: 'newest' },
  'os': { description: 'operating system', sources: [AZ_MACHINE, LIVE], combine: 'merge' },
  'memory.totalBytes': { description: 'physical memory', sources: [AZ_MACHINE, LIVE], combine: 'newest' },
  'agent.version': { description: 'Connected Machine agent version', sources: [SHOW, AZ_MACHINE], combine: 'newest' },
  'agent.status': { description: 'agent status', sources: [SHOW, AZ_MACHINE], combine: 'newest' },
  'agent.lastHeartbeat': { description: 'agent last heartbeat', sources: [SHOW, AZ_MACHINE], combine: 'newest' },
  'agent.cloud': { description: 'Azure cloud of the agent', sources: [SHOW], combine: 'newest' },
  'agent.location': { description: 'Azure region of the machine resource', sources: [SHOW, AZ_MACHINE], combine: 'newest' },
  'agent.error': { description: 'agent error code', sources: [SHOW, AZ_MACHINE], combine: 'newest' },
  'agent.httpsProxy': { description: 'HTTPS proxy the agent uses', sources: [SHOW], combine: 'newest' },
  'agent.privateLinkScope': { description: 'Private Link Scope of the machine', sources: ['azcmagent show -j', AZ_MACHINE], combine: 'newest' },
  'agent.gatewayUrl': { description: 'Arc gateway URL', sources: [SHOW], combine: 'newest' },
  'config.incomingConnectionsEnabled': { description: 'incomingconnections.enabled', sources: [CONFIG], combine: 'newest' },
  'config.incomingConnectionsPorts': { description: 'incomingconnections.ports', sources: [CONFIG, AZ_MACHINE], combine: 'newest' },
  'config.proxyUrl': { description: 'proxy.url', sources: [CONFIG, AZ_MACHINE], combine: 'newest' },
  'config.proxyBypass': { description: 'proxy.bypass', sources: [CONFIG], combine: 'newest' },
  'config.extensionsAllowlist': { description: 'extensions.allowlist', sources: [CONFIG, AZ_MACHINE], combine: 'newest' },
  'config.extensionsBlocklist': { description: 'extensions.blocklist', sources: [CONFIG, AZ_MACHINE], combine: 'newest' },
  'config.extensionsEnabled': { description: 'extensions.enabled', sources: [CONFIG, AZ_MACHINE], combine: 'newest' },
  'config.guestConfigurationEnabled': { description: 'guestconfiguration.enabled', sources: [CONFIG, AZ_MACHINE], combine: 'newest' },
  'config.mode': { description: 'config.mode', sources: [CONFIG, AZ_MACHINE], combine: 'newest' },
  'config.connectionType': { description: 'connection.type', sources: [CONFIG, 'azcmagent show -j'], combine: 'newest' },
  'env.httpsProxy': { description: 'HTTPS_PROXY environment variable', sources: [LIVE], combine: 'newest' },
  'registry.serverManagementGateway': {
    description: 'ServerManagementGateway registry key',
    sources: ['reg query HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway'], combine: 'newest',
  },
  'wac.appsettingsPort': { description: 'modern gateway port in appsettings.json', sources: [LIVE, 'an azcmagent logs bundle'], combine: 'newest' },
  'wac.localHttps': { description: 'https://localhost:<port> probe', sources: [LIVE], combine: 'newest' },
  'wac.port': { description: 'Windows Admin Center port', sources: ['--port', AZ_EXT, 'reg query of SmePort'], combine: 'newest' },
  'extension.adminCenter': { description: 'AdminCenter extension state', sources: [AZ_EXT, 'az connectedmachine extension show'], combine: 'merge' },
  'extension.installed': { description: 'installed extensions', sources: [AZ_EXT], combine: 'newest' },
  'azure.roleAssignments': { description: 'role assignments', sources: ['az role assignment list -o json'], combine: 'list' },
  'proxy.probe': { description: 'proxy reachability probe', sources: [LIVE], combine: 'newest' },
  'agent.errorCodes': { description: 'AZCM error codes', sources: [SHOW, 'agent logs or pasted errors'], combine: 'list' },
  'log.signatures': { description: 'known failure messages', sources: ['logs, tickets or pasted errors'], combine: 'list' },
  // HybridConnectivity REST, api-version 2023-03-15 (azure-rest-api-specs hybridconnectivity examples; WAC doc automation script).
  'azure.hybridEndpoint': {
    description: 'HybridConnectivity default endpoint of the machine',
    sources: [AZ_REST_ENDPOINT], combine: 'newest',
  },
  'azure.wacServiceConfiguration': {
    description: 'WAC service configuration (the port the portal connects to)',
    sources: [AZ_REST_SERVICE_CONFIG, 'Invoke-AzRestMethod -Method GET -Path <machine id>/providers/Microsoft.HybridConnectivity/endpoints/default/serviceconfigurations/WAC?api-version=2023-03-15'],
    combine: 'newest',
  },
  'tls.cipherSuites': { description: 'enabled TLS cipher suites', sources: ['Get-TlsCipherSuite | Format-List Name', 'Get-TlsCipherSuite | Select-Object Name | ConvertTo-Json'], combine: 'newest' },
  'azure.licenseProfile': {
    description: 'license profile of the machine (Software Assurance attestation, pay-as-you-go)',
    sources: [AZ_MACHINE, 'az rest --method get --uri <machine id>/licenseProfiles/default?api-version=2024-07-10', 'az connectedmachine license-profile show'],
    combine: 'newest',
  },
  'clock': { description: 'clock offset from the time source', sources: ['w32tm /query /status /verbose', 'w32tm /stripchart /computer:time.windows.com /samples:3'], combine: 'newest' },
};

export const KEYED_FACTS: Record<KeyedFamily, FactDef> = {
  service: { description: 'service state', sources: ['sc query', 'Get-Service', SHOW], combine: 'merge', significant: ['state', 'startType'] },
  probe: {
    description: 'endpoint probe', sources: ['azcmagent check', 'Invoke-RestMethod https://<region>.service.waconazure.com', 'Test-NetConnection -Port 443', LIVE],
    combine: 'merge', significant: ['error', 'reachable', 'layer', 'private'], sourcesFor: probeSources,
  },
  provider: { description: 'resource provider registration', sources: ['az provider show -n <namespace> -o json'], combine: 'newest' },
};

export function factDef(name: string): FactDef | undefined {
  if (name in PLAIN_FACTS) return PLAIN_FACTS[name as PlainFactName];
  const family = name.split('.', 1)[0] as KeyedFamily;
  const def = KEYED_FACTS[family];
  if (!def?.sourcesFor) return def;
  return { ...def, sources: def.sourcesFor(name.slice(family.length + 1)) };
}

/**
 * Which inputs state a probe of this host: the WAC endpoints come from a WAC endpoint probe, the Arc and Entra
 * endpoints (pas.windows.net, login, servicebus) from azcmagent check; Test-NetConnection and a live check any host.
 */
function probeSources(key: string): string[] {
  const host = key.includes('*') ? '<host>' : key;
  const tnc = `Test-NetConnection -ComputerName ${host} -Port 443`;
  if (/(^|\.)(wac\.azure\.com|waconazure\.com)$/.test(key)) return ['Invoke-RestMethod https://<region>.service.waconazure.com', tnc, LIVE];
  return ['azcmagent check', tnc, LIVE];
}

/** One source's statement of a fact. `time` (ISO 8601) orders disagreeing observations. */
export interface Observation<N extends FactName = FactName> {
  name: N;
  value: FactValue<N>;
  evidence: Evidence[];
  time?: string;
}

/** Typed constructor, so parsers get checked values: `observe('agent.version', '1.45.0', ev)`. */
export function observe<N extends FactName>(name: N, value: FactValue<N>, evidence: Evidence | Evidence[], time?: string): Observation<N> {
  return { name, value, evidence: Array.isArray(evidence) ? evidence : [evidence], ...(time ? { time } : {}) };
}

export function serviceKey(name: string): KeyedFactName {
  return `service.${name.toLowerCase()}`;
}

export function probeKey(host: string): KeyedFactName {
  return `probe.${host.toLowerCase()}`;
}

export function providerKey(namespace: string): KeyedFactName {
  return `provider.${namespace.toLowerCase()}`;
}
