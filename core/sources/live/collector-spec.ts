/**
 * The one table of what a Windows collection runs and where each output lands in a snapshot zip. The Node
 * collectors (core/sources/live/collectors/*, endpoints.ts, proxy.ts, snapshot.ts) read their command lines, service names,
 * paths and entry names from here, and the PowerShell collector (collector/wac-doctor-collect.ps1) carries the same
 * table as a generated JSON block (`collectorSpecJson()`, written by `node dist/scripts/collector-spec.js --write`);
 * test/collector/spec.test.ts fails when the two drift.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTION_PATTERNS } from '../../text/redact';
import { TOOL_NAME, TOOL_VERSION } from '../../model/report';

/** A command the collector runs: a fixed argv, its output's snapshot entry, and the parser id that reads it. */
export interface CommandSpec {
  /** Stable id (the script's table key). */
  id: string;
  /** The program as run (no shell). */
  file: string;
  args: string[];
  /** The snapshot entry its output is written to. */
  entry: string;
  /** The parser that claims the entry by content (`none`: kept raw, no parser reads it yet). */
  parser: string;
  /** Who runs it: both collectors, or only the PowerShell script (facts no rule reads yet). */
  collectors: Array<'node' | 'script'>;
}

export const SNAPSHOT_ENTRIES = {
  manifest: 'wac-doctor-snapshot.json',
  probes: 'probes.json',
  /** The extension's `<n>.status`, under `<prefix>/<version>/Status/<n>.status`: the layout the bundle reader knows. */
  extensionStatusPrefix: 'files/Packages/Plugins/Microsoft.AdminCenter.AdminCenter',
} as const;

export const WINDOWS_AGENT_SERVICES = ['himds', 'GCArcService', 'ExtensionService', 'arcproxy'];
export const WINDOWS_GATEWAY_SERVICES = ['ServerManagementGateway', 'WindowsAdminCenter', 'WindowsAdminCenterAccountManagement'];
export const SME_KEY = 'HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway';

/** Entry name for a command: safe characters only. */
export function entryName(base: string, ext: 'json' | 'txt'): string {
  return `commands/${base.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '')}.${ext}`;
}

/**
 * Windows commands. azcmagent runs with `-j` first, then without (old agents have no -j): both outputs have an
 * entry, only the one that worked is written. Services come from Get-Service (the script calls the cmdlet; the
 * Node collector runs it through powershell.exe), `sc query <name>` when PowerShell cannot give them.
 */
export const WINDOWS_COMMANDS: CommandSpec[] = [
  { id: 'azcmagent-show', file: 'azcmagent', args: ['show', '-j'], entry: entryName('azcmagent-show', 'json'), parser: 'azcmagent-show-json', collectors: ['node', 'script'] },
  { id: 'azcmagent-show-text', file: 'azcmagent', args: ['show'], entry: entryName('azcmagent-show', 'txt'), parser: 'azcmagent-show', collectors: ['node', 'script'] },
  { id: 'azcmagent-config-list', file: 'azcmagent', args: ['config', 'list', '-j'], entry: entryName('azcmagent-config-list', 'json'), parser: 'azcmagent-config-json', collectors: ['node', 'script'] },
  { id: 'azcmagent-config-list-text', file: 'azcmagent', args: ['config', 'list'], entry: entryName('azcmagent-config-list', 'txt'), parser: 'azcmagent-config', collectors: ['node', 'script'] },
  { id: 'get-service', file: 'Get-Service', args: ['-Name', [...WINDOWS_AGENT_SERVICES, ...WINDOWS_GATEWAY_SERVICES].join(',')], entry: entryName('get-service', 'json'), parser: 'get-service-json', collectors: ['node', 'script'] },
  { id: 'get-service-errors', file: 'Get-Service', args: ['-Name', [...WINDOWS_AGENT_SERVICES, ...WINDOWS_GATEWAY_SERVICES].join(',')], entry: entryName('get-service-errors', 'txt'), parser: 'get-service', collectors: ['node', 'script'] },
  ...[...WINDOWS_AGENT_SERVICES, ...WINDOWS_GATEWAY_SERVICES].map((name): CommandSpec => ({
    id: `sc-query-${name.toLowerCase()}`, file: 'sc.exe', args: ['query', name], entry: entryName(`sc-query-${name}`, 'txt'), parser: 'sc-query', collectors: ['node', 'script'],
  })),
  { id: 'reg-query-sme', file: 'reg.exe', args: ['query', SME_KEY], entry: entryName('reg-query-sme', 'txt'), parser: 'reg-query', collectors: ['node', 'script'] },
  { id: 'netsh-winhttp-proxy', file: 'netsh.exe', args: ['winhttp', 'show', 'proxy'], entry: entryName('netsh-winhttp-show-proxy', 'txt'), parser: 'none', collectors: ['script'] },
  { id: 'get-tlsciphersuite', file: 'Get-TlsCipherSuite', args: [], entry: entryName('get-tlsciphersuite', 'json'), parser: 'none', collectors: ['script'] },
];

export function commandSpec(id: string): CommandSpec {
  const c = WINDOWS_COMMANDS.find((x) => x.id === id);
  if (!c) throw new Error(`no command spec ${id}`);
  return c;
}

/** Files read on Windows, relative to %ProgramFiles% / %SystemDrive%\. */
export const WINDOWS_FILES = {
  /** azcmagent when it is not on PATH. */
  azcmagentExe: 'AzureConnectedMachineAgent\\azcmagent.exe',
  /** The modern gateway's appsettings.json, first match wins (the port only: the file is never copied). */
  appsettings: ['WindowsAdminCenter\\Service\\appsettings.json', 'WindowsAdminCenter\\appsettings.json'],
  extensionRoot: 'Packages\\Plugins\\Microsoft.AdminCenter.AdminCenter',
  hosts: 'System32\\drivers\\etc\\hosts',
} as const;

/** An endpoint to probe; `{region}` in a host is the machine's region (those are probed only when it is known). */
export interface EndpointSpec {
  host: string;
  path?: string;
  /** The GET path with a region (`{region}` replaced). */
  regionPath?: string;
  relayAllowlist?: boolean;
}

/** In probing order (the default list, arc-wac-facts §2). */
export const ENDPOINTS: EndpointSpec[] = [
  // Today's WAC endpoint first (the legacy wac.azure.com is for extensions before 0.0.0.203).
  { host: '{region}.service.waconazure.com', path: '/' },
  { host: 'wac.azure.com', path: '/' },
  { host: 'pas.windows.net' },
  { host: 'guestnotificationservice.azure.com', regionPath: '/urls/allowlist?api-version=2020-01-01&location={region}', relayAllowlist: true },
  { host: 'login.microsoftonline.com' },
  { host: 'management.azure.com' },
  { host: 'gbl.his.arc.azure.com' },
  { host: 'agentserviceapi.guestconfiguration.azure.com' },
  { host: '{region}-gas.guestconfiguration.azure.com' },
];

/** Hosts whose GET body a rule reads, when given with --endpoint / -Endpoints. */
export const BODY_HOSTS = { exact: ['wac.azure.com'], suffix: ['.service.waconazure.com'] };
export const RELAY = { suffix: '.servicebus.windows.net', max: 8 };

/** proxy.bypass groups -> host suffixes (arc:manage-agent, "Proxy bypass for private endpoints"). */
export const BYPASS_GROUPS: Record<string, string[]> = {
  aad: ['login.windows.net', 'login.microsoftonline.com', 'pas.windows.net'],
  arm: ['management.azure.com'],
  arc: ['his.arc.azure.com', 'guestconfiguration.azure.com'],
};

/** Endpoint order in probes.json: as in the default list, then the rest by name. */
export const ENDPOINT_ORDER = ['wac.azure.com', 'service.waconazure.com', 'pas.windows.net', 'guestnotificationservice.azure.com', 'servicebus.windows.net', 'login.microsoftonline.com', 'management.azure.com', 'his.arc.azure.com', 'guestconfiguration.azure.com'];

export const HIMDS = { url: 'http://127.0.0.1:40342', path: '/agentstatus?api-version=2019-08-15' };
/**
 * `wac-doctor-collect.ps1 -AsJson`: the snapshot as ONE compact JSON document on stdout (Azure Arc Run Command's
 * output is text): `{"wacDoctorSnapshot": 1, "manifest": {...}, "entries": {"<entry>": "<text>"}, "truncated": [...]}`.
 * Bounded: each entry's JSON-escaped text at most maxEntryChars, all of them at most maxChars (later entries are cut
 * first; each cut is listed in `truncated` and said in the manifest's notes).
 */
export const SNAPSHOT_DOC = { version: 1, key: 'wacDoctorSnapshot', maxChars: 4 * 1024 * 1024, maxEntryChars: 1024 * 1024 } as const;

export const LIMITS = { defaultTimeoutMs: 5000, dependencyShare: 0.6, graceMs: 250, maxBodyKept: 4096, maxBody: 65536, defaultWacPort: 6516, maxStatusFileBytes: 262144 };

/** Everything the PowerShell collector needs, as the JSON block it carries. */
export function collectorSpec(): Record<string, unknown> {
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    entries: SNAPSHOT_ENTRIES,
    commands: WINDOWS_COMMANDS.filter((c) => c.collectors.includes('script')).map(({ id, file, args, entry }) => ({ id, file, args, entry })),
    services: [...WINDOWS_AGENT_SERVICES, ...WINDOWS_GATEWAY_SERVICES],
    files: WINDOWS_FILES,
    endpoints: ENDPOINTS,
    bodyHosts: BODY_HOSTS,
    relay: RELAY,
    bypassGroups: BYPASS_GROUPS,
    endpointOrder: ENDPOINT_ORDER,
    himds: HIMDS,
    limits: LIMITS,
    document: SNAPSHOT_DOC,
    redaction: REDACTION_PATTERNS.map(({ pattern, replacement }) => ({ pattern: pattern.source, flags: pattern.flags.replace('g', ''), replacement })),
  };
}

export const SPEC_BEGIN = "$Spec = ConvertFrom-Json @'";
export const SPEC_END = "'@";

/** The JSON block as the script carries it: one top-level key (and one list item) per line, so a drift reads as a diff. */
export function collectorSpecJson(): string {
  const lines = Object.entries(collectorSpec()).map(([key, value]) => {
    const head = `  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.some((v) => typeof v === 'object')) return `${head}[\n${value.map((v) => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`;
    return `${head}${JSON.stringify(value)}`;
  });
  return `{\n${lines.join(',\n')}\n}`;
}

/** The script in the package: collector/ beside core/ (from source) or beside dist/ (built). */
export function collectorScriptPath(): string {
  const candidates = [join(__dirname, '..', '..', '..', 'collector', 'wac-doctor-collect.ps1'), join(__dirname, '..', '..', '..', '..', 'collector', 'wac-doctor-collect.ps1')];
  const hit = candidates.find((p) => existsSync(p));
  if (!hit) throw new Error(`collector/wac-doctor-collect.ps1 is missing from this installation (looked in ${candidates.join(', ')})`);
  return hit;
}
