/**
 * Facts that tickets, install-script output and tool transcripts state in words, one line at a time:
 * - the operating system ("Windows Server 2012 R2", "Windows 10 Enterprise", "windows 2012 R2 hosts"), marked as
 *   prose when nothing but the sentence says it;
 * - physical memory as the agent's install scripts print it ("Total Physical Memory: 16,383 MB",
 *   "Total physical memory: 16000548 kB");
 * - the AdminCenter extension's version and failure ("Microsoft.AdminCenter.AdminCenter 0.85.0.0", `WACInstallFailed`);
 * - agent and service states as Azure Local registration prints them (`AgentConnectedStatus: Disconnected`,
 *   `HimdsServiceStatus: Stopped`);
 * - agent settings made by a command typed into a ticket or transcript (`azcmagent config set proxy.url ...`);
 * - endpoints the agent found private (`... as endpoint gbl.his.arc.azure.com is configured private`).
 * Each reader is a bounded, linear pattern over one line; callers pass lines that passed the grammar's candidates.
 */
import type { AdminCenterExtensionFact, OsFact, ServiceState } from '../../model/facts';
import { isConfigKey, normalizeConfigKey } from '../azcmagent-config';
import { usableHost } from './endpoints';

export interface TextStatements {
  agentVersion?: string;
  os?: OsFact & { prose: boolean };
  memoryBytes?: number;
  adminCenter?: Partial<AdminCenterExtensionFact>;
  agentStatus?: string;
  services?: Array<{ name: string; state: ServiceState }>;
}

const SERVER = /\bWindows(?:\s{1,3}Server)?\s{1,3}(2008|2012|2016|2019|2022|2025)(\s{0,3}R2)?\b/i;
const SERVER_SHORT = /\b(?:Server|WS)\s{0,2}(2008|2012|2016|2019|2022|2025)(\s{0,2}R2)?\b/;
/** `WS2012R2`, `W2K12R2`, `Win2012R2`: the short forms admins write. */
const SERVER_ABBR = /\b(?:WS|Win|W2K)(2008|2012|2016|2019|2022|2025|8|12|16|19|22|25)(R2)?\b/;
const CLIENT = /\bWindows\s{1,3}(7|8\.1|10|11)\b(?:\s{1,3}(Pro|Enterprise|Education|Home|IoT Enterprise))?/i;
const HCI = /\b(?:runs?|running|on|OS|operating system|is)\s{1,3}(?:an?\s{1,3})?(Azure Stack HCI|Azure Local)\b(?!\s{1,3}(?:component|deployment|registration|environment|cluster validation))/;
const BUILD = /\bbuild\s{1,3}(\d{4,5})\b/i;

/** What follows an OS name that makes it a bound rather than the machine's OS (`and above`, `or later`, `up to`, `+`). */
const OPEN_RANGE = /^\s{0,3}(?:\+|(?:and|or)\s{1,3}(?:above|later|newer|higher)\b|(?:up\s{1,3})?(?:to|through|until)\s{1,3}(?:Windows|WS|Win|Server|20\d\d)|-\s{0,3}(?:Windows|WS|20\d\d))/i;

/** Lines of an OS statement that are about something else (links, package names, paths). */
const NOT_OS = /https?:\/\/|packages\.microsoft|\.msi\b|\\Windows\\|ubuntu\/|docs\.|learn\.microsoft/i;

/** The device an admin works from, where a client Windows in the same sentence is its OS, not the server's. */
const ADMIN_DEVICE = /\b(?:jump\s?(?:box|host|server)|laptop|workstation|desktop|(?:my|admin|management|client)\s{1,3}(?:PC|machine|computer|workstation)|browser|Edge|Chrome|Firefox)\b/i;
/** Products named "<X> Server 2019" (not the OS), when no "Windows" says which. */
const SERVER_PRODUCT_BEFORE = /\b(?:SQL|Exchange|SharePoint|BizTalk|Project|Skype(?:\s{1,3}for\s{1,3}Business)?|Lync|Dynamics|Foundation|Reporting|DevOps|System\s{1,3}Center|Forefront|Essentials\s{1,3}for)\s{1,3}$/i;

/**
 * `Server 2012 R2` on a line that says Windows (a bare "Server 2012" is too weak a statement), and not another
 * product's server ("SQL Server 2019 on Windows").
 */
function windowsServerShort(line: string): RegExpExecArray | null {
  const m = SERVER_SHORT.exec(line);
  if (!m || !/\bWindows\b/i.test(line)) return null;
  return m[0].startsWith('WS') || !SERVER_PRODUCT_BEFORE.test(line.slice(Math.max(0, m.index - 30), m.index)) ? m : null;
}

export function osStatement(line: string): (OsFact & { prose: boolean }) | undefined {
  if (line.length > 2000 || NOT_OS.test(line)) return undefined;
  const hci = HCI.exec(line);
  if (hci) return { platform: 'windows', name: hci[1]!, prose: true };
  const server = SERVER.exec(line) ?? windowsServerShort(line) ?? SERVER_ABBR.exec(line);
  // "Windows Server 2012 R2 and above", "WS2016 up to WS2025": a requirement or a range, not what the machine runs.
  if (server && OPEN_RANGE.test(line.slice(server.index + server[0].length, server.index + server[0].length + 30))) return undefined;
  if (server) {
    const year = server[1]!.length === 4 ? server[1] : server[1] === '8' ? '2008' : `20${server[1]}`;
    const name = `Windows Server ${year}${server[2] ? ' R2' : ''}`;
    const build = BUILD.exec(line)?.[1];
    return build ? { platform: 'windows', name, build: Number(build), prose: true } : { platform: 'windows', name, prose: true };
  }
  const client = CLIENT.exec(line);
  // A client Windows named in a ticket is as often the admin's PC as the server: only when the line is about the machine,
  // and not about the device the admin works from.
  if (client && (!/\b(?:server|machine|host|node|VM|Arc|onboard\w*|box|target)\b/i.test(line) || ADMIN_DEVICE.test(line))) return undefined;
  if (client) return { platform: 'windows', name: `Windows ${client[1]}${client[2] ? ` ${client[2]}` : ''}`, prose: true };
  return undefined;
}

const MEMORY = /\bTotal Physical Memory\s{0,20}[:=]\s{0,20}([\d,.]{1,20})\s{0,3}(kB|KB|MB|GB|bytes)?/i;
const UNIT: Record<string, number> = { kb: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3, tb: 1024 ** 4, bytes: 1 };

export function memoryStatement(line: string): number | undefined {
  const m = MEMORY.exec(line);
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/[,.](?=\d{3}\b)/g, ''));
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const bytes = n * (UNIT[(m[2] ?? 'bytes').toLowerCase()] ?? 1);
  return bytes >= 64 * 1024 ** 2 && bytes < 2 ** 50 ? Math.round(bytes) : undefined;
}

/**
 * The machine's memory as a person writes it ("a VM with 2 GB RAM", "8GB of memory", "RAM: 4 GB"): not a requirement
 * ("WAC requires 3 GB of RAM", "at least"), a use ("2 GB memory free", "memory usage") or a change ("increased to").
 */
const MEMORY_WORDS = /\b(\d{1,4}(?:[.,]\d{1,2})?)\s{0,2}(GB|GiB|MB|MiB|TB)\s{1,3}(?:of\s{1,3})?(?:physical\s{1,3})?(?:RAM|memory)\b|\b(?:RAM|memory)\s{0,3}(?:[:=]|is|of)?\s{0,3}(\d{1,4}(?:[.,]\d{1,2})?)\s{0,2}(GB|GiB|MB|MiB|TB)\b/i;
const MEMORY_NOT_THE_MACHINES_BEFORE = /\b(?:requires?|required|requirements?|minimum|min|at\s{1,3}least|recommended|needs?|free|available|used|usage|remaining|left|more\s{1,3}than|less\s{1,3}than|up\s{1,3}to|increased?|upgraded?|added|add|consum\w{0,4}|uses?|using|leak\w{0,3}|allocat\w{0,5})\b/i;
const MEMORY_NOT_THE_MACHINES_AFTER = /^\s{0,3}(?:free|available|used|left|remaining|usage|utili[sz]ation|in\s{1,3}use|consum|leak|pressure|limit)/i;

export function memoryProseStatement(line: string): number | undefined {
  const m = MEMORY_WORDS.exec(line);
  if (!m) return undefined;
  if (MEMORY_NOT_THE_MACHINES_BEFORE.test(line.slice(Math.max(0, m.index - 40), m.index))) return undefined;
  if (MEMORY_NOT_THE_MACHINES_AFTER.test(line.slice(m.index + m[0].length, m.index + m[0].length + 20))) return undefined;
  const n = Number((m[1] ?? m[3])!.replace(',', '.'));
  const bytes = n * UNIT[(m[2] ?? m[4])!.toLowerCase()]!;
  return Number.isFinite(bytes) && bytes >= 256 * 1024 ** 2 && bytes < 2 ** 50 ? Math.round(bytes) : undefined;
}

/**
 * The Azure cloud a machine is in, in words: a typed `azcmagent connect ... --cloud AzureChinaCloud`, or a ticket's
 * "Azure China (21Vianet)", "Azure Government". The public cloud is never read from prose ("Azure" says nothing), and a
 * negated mention ("not in Azure Government") is not a statement.
 */
const CLOUD_FLAG = /--cloud[ \t=]{1,3}["']?(AzureCloud|AzureUSGovernment|AzureChinaCloud|AzureStackCloud|Azure\.Local)\b/i;
const CLOUD_WORDS = /\b(?:(AzureChinaCloud|AzureUSGovernment)|(Azure\s{1,3}China|21\s?Vianet)|(Azure\s{1,3}(?:US\s{1,3})?Gov(?:ernment)?|US\s{1,3}Gov(?:ernment)?\s{1,3}cloud))\b/i;
const CLOUD_NEGATED = /\b(?:not|no|never|isn't|aren't|instead\s{1,3}of|rather\s{1,3}than|unlike|except|outside|besides|also\s{1,3}in|migrat\w{0,5}\s{1,3}(?:from|to)|moving\s{1,3}(?:from|to)|or)\b/i;

export function cloudStatement(line: string): { cloud: string; prose: boolean } | undefined {
  const flag = CLOUD_FLAG.exec(line);
  if (flag) {
    const word = flag[1]!.toLowerCase();
    const cloud = ({ azurecloud: 'AzureCloud', azureusgovernment: 'AzureUSGovernment', azurechinacloud: 'AzureChinaCloud', azurestackcloud: 'AzureStackCloud', 'azure.local': 'Azure.Local' } as Record<string, string>)[word]!;
    return { cloud, prose: false };
  }
  const m = CLOUD_WORDS.exec(line);
  if (!m || CLOUD_NEGATED.test(line.slice(Math.max(0, m.index - 30), m.index))) return undefined;
  if (m[1]) return { cloud: /china/i.test(m[1]) ? 'AzureChinaCloud' : 'AzureUSGovernment', prose: true };
  return { cloud: m[2] ? 'AzureChinaCloud' : 'AzureUSGovernment', prose: true };
}

const EXT_VERSION = /\b(?:Microsoft\.AdminCenter[./]AdminCenter|AdminCenter extension)[^\d\n]{0,30}?v?(\d{1,3}\.\d{1,3}\.\d{1,5}\.\d{1,5})\b/i;
/** AdminCenter-specific failure texts of the extension handler (extension notes and WAC-in-Azure troubleshooting). */
const EXT_FAILED = /\b(WACInstallFailed|WAC_Service_Not_Reachable|RetrieveCertificate: Failed to retrieve certificate|Failed to retrieve certificate from key vault)\b/i;

/** The extension's failure in words (a portal notification, a ticket): the WAC/AdminCenter extension failed to install. */
const EXT_FAILED_WORDS = /\b(?:AdminCenter|Windows Admin Center|WAC) extension\b[^\n]{0,60}?\b(?:failed|failure|could not be installed|is in a failed state)\b|\b(?:failed|unable) to (?:install|update|enable|upgrade) (?:the )?(?:AdminCenter|Windows Admin Center|WAC)(?: extension)?\b/i;

/** Generic extension-operation failures, which count only on a line that names the AdminCenter extension. */
const EXT_OPERATION_FAILED = /\b(?:ExtensionOperationFailed|VMExtensionProvisioningError|VMExtensionHandlerNonTransientError)\b|provisioning ?State[^\n]{0,6}\bFailed\b|\b(?:Enable|Install(?:ation)?|Upgrade) failed\b|failed with terminal provisioning state|reported terminal failure|has reported (?:a )?failure|failed to (?:install|enable|update|upgrade)\b/i;

export function adminCenterStatement(line: string): Partial<AdminCenterExtensionFact> | undefined {
  const out: Partial<AdminCenterExtensionFact> = {};
  const v = EXT_VERSION.exec(line);
  if (v) out.version = v[1]!;
  const f = EXT_FAILED.exec(line) ?? (/AdminCenter/i.test(line) ? EXT_OPERATION_FAILED.exec(line) : null) ?? EXT_FAILED_WORDS.exec(line);
  if (f) {
    out.provisioningState = 'Failed';
    out.statusLevel = 'Error';
    out.statusMessage = line.trim().slice(0, 300);
  }
  return v || f ? out : undefined;
}

const HCI_STATUS = /\b(AgentConnectedStatus|HimdsServiceStatus|ArcAgentStatus)\s{0,4}[:=]\s{0,4}([A-Za-z]{3,20})/g;

export function registrationStatements(line: string): Pick<TextStatements, 'agentStatus' | 'services'> | undefined {
  if (!/Status\s{0,4}[:=]/.test(line)) return undefined;
  const out: Pick<TextStatements, 'agentStatus' | 'services'> = {};
  HCI_STATUS.lastIndex = 0;
  for (let m = HCI_STATUS.exec(line); m; m = HCI_STATUS.exec(line)) {
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    if (key === 'himdsservicestatus') {
      const state: ServiceState = /^running$/i.test(value) ? 'running' : /^stopped$/i.test(value) ? 'stopped' : 'unknown';
      (out.services ??= []).push({ name: 'himds', state });
    } else if (/^(Connected|Disconnected|Expired)$/i.test(value)) {
      out.agentStatus = value[0]!.toUpperCase() + value.slice(1).toLowerCase();
    }
  }
  return out.agentStatus || out.services ? out : undefined;
}

/**
 * The installed agent version in words: onboarding scripts (`local version is 1.33.02399.1041`, `upgraded agent to
 * 1.35...`), tickets (`agent version 1.35`). "New Agent version found X" is the offered version, not the installed one.
 */
const AGENT_VERSION_WORDS = /\b(?:(?:local|installed|current|running)\s{1,3}(?:agent\s{1,3})?version(?:\s{1,3}is|:)|(?:upgraded|updated)\s{1,3}(?:the\s{1,3})?agent\s{1,3}to|(?:Connected Machine|Arc|azcmagent)\s{1,3}agent\s{1,3}version(?:\s{1,3}is(?:\s{1,3}now)?|:)?|agent\s{1,3}version(?:\s{1,3}is(?:\s{1,3}now)?|:)?)\s{0,3}v?(1\.\d{1,2}(?:\.\d{1,5}){0,2})\b/i;
const OFFERED = /\b(?:new|latest|available)\s{1,3}(?:agent\s{1,3})?version\b/i;

/** `... from agent version 1.35 to 1.40`: the version after `to` is the one now installed. */
const UPGRADED_TO = /\bto\s{1,3}(?:version\s{1,3})?v?(1\.\d{1,2}(?:\.\d{1,5}){0,2})\b/i;

/**
 * The version next to the agent's name without the word "version" ("the Connected Machine agent is 1.38", "Arc agent
 * (1.41)", "azcmagent 1.45", "Agent 1.60."): not another product's agent (Azure Monitor's are 1.x too), and not a
 * size, share or duration ("agent 1.5 GB").
 */
const AGENT_BARE = /\b(?:(?:Connected\s{1,3}Machine|Arc|hybrid)\s{1,3}agent|azcmagent|agent)(?:\s{1,3}(?:is|was|=|:)(?:\s{1,3}(?:on|at|now))?|\s{0,2}[(:=])?\s{0,3}v?(1\.\d{1,2}(?:\.\d{1,5}){0,2})\b/i;
const OTHER_AGENT = /(?:monitor(?:ing)?|analytics|dependency|guest\s{0,2}config\w{0,9}|mma|ama|oms|defender|sensor|log|vm|sql|backup|recovery|update|pipeline|build|devops|datadog|splunk)\s{1,3}$/i;
/** A release named, not the one installed ("the new agent 1.67 is available"). */
const BARE_OFFERED_BEFORE = /\b(?:new|newer|latest|next|upcoming|available)\s{1,3}(?:(?:Connected\s{1,3}Machine|Arc|hybrid)\s{1,3})?$/i;
const BARE_OFFERED_AFTER = /^[\s,]{0,3}(?:is\s{1,3})?(?:available|released|out\b)/i;
/** A bound or a requirement, not the machine's version ("requires agent 1.40 or later", "older than azcmagent 1.41"). */
const BARE_BOUND_BEFORE = /\b(?:requires?|required|requirement|needs?|minimum|min|at\s{1,3}least|older\s{1,3}than|newer\s{1,3}than|before|since|prior\s{1,3}to|than|below|above)\s{1,3}(?:(?:the|an?)\s{1,3})?(?:(?:Connected\s{1,3}Machine|Arc|hybrid)\s{1,3})?$/i;
const BARE_BOUND_AFTER = /^[\s,]{0,3}(?:(?:or|and)\s{1,3}(?:later|newer|above|higher|up)|\+|(?:is|are)\s{1,3}(?:required|needed))/i;
const NOT_A_VERSION_AFTER = /^\s{0,2}(?:[%x]|[KMGT]i?B\b|(?:ms|s|sec|seconds?|min|minutes?|h|hours?|days?)\b)/i;

export function agentVersionStatement(line: string): string | undefined {
  const m = AGENT_VERSION_WORDS.exec(line);
  if (!m) return agentBareVersion(line);
  if (OFFERED.test(line.slice(Math.max(0, m.index - 40), m.index + m[0].length))) return undefined;
  if (isBound(line, m)) return undefined;
  return UPGRADED_TO.exec(line.slice(m.index + m[0].length, m.index + m[0].length + 80))?.[1] ?? m[1];
}

/** Whether the version match `m` of `line` is a requirement or bound ("requires ... 1.40 or later"), not a statement. */
function isBound(line: string, m: RegExpExecArray): boolean {
  return BARE_BOUND_BEFORE.test(line.slice(Math.max(0, m.index - 30), m.index)) || BARE_BOUND_AFTER.test(line.slice(m.index + m[0].length, m.index + m[0].length + 24));
}

function agentBareVersion(line: string): string | undefined {
  const m = AGENT_BARE.exec(line);
  if (!m) return undefined;
  const before = line.slice(Math.max(0, m.index - 30), m.index);
  if (/^agent/i.test(m[0]) && OTHER_AGENT.test(before)) return undefined;
  const after = line.slice(m.index + m[0].length, m.index + m[0].length + 16);
  if (BARE_OFFERED_BEFORE.test(before) || BARE_OFFERED_AFTER.test(after) || NOT_A_VERSION_AFTER.test(after)) return undefined;
  if (isBound(line, m)) return undefined;
  // "from agent 1.38 to 1.45": the version it went to is the one installed.
  return UPGRADED_TO.exec(line.slice(m.index + m[0].length, m.index + m[0].length + 80))?.[1] ?? m[1];
}

/**
 * Agent state in words: onboarding scripts (`Agent is not connected`, `Agent is connected`) and Pester results
 * (`Expected 'Connected', but got $null.`): the value is what was found.
 */
const STATE_WORDS = /\b(?:Arc\s{1,3})?Agent\s{1,3}(?:is\s{1,3})?(not\s{1,3})?connected\b|Expected\s{1,3}'?Connected'?,\s{1,3}but\s{1,3}got\s{1,3}'?(\$?[A-Za-z]{1,20})'?/i;

export function agentStateStatement(line: string): string | undefined {
  const m = STATE_WORDS.exec(line);
  if (!m) return undefined;
  if (m[2] !== undefined) return /^(Disconnected|Expired)$/i.test(m[2]) ? m[2][0]!.toUpperCase() + m[2].slice(1).toLowerCase() : m[2];
  // "Agent is connected" only as a statement of state, not "... agent is connected to the internet".
  if (!m[1] && /connected\s{1,3}to\b/i.test(line.slice(m.index))) return undefined;
  return m[1] ? 'Disconnected' : 'Connected';
}

/**
 * A setting made by a command typed into a ticket or a transcript: `azcmagent config set <key> <value>`, or
 * `azcmagent config clear <key>` (the value ''). Only the keys the config facts are read from; `incomingconnections.port`
 * (a slip seen in public docs: azcmagent's key is plural) counts as `incomingconnections.ports`. A list changed with
 * `--add` or `--remove` leaves the whole list unknown: not read.
 */
const CONFIG_COMMAND = /\bazcmagent(?:\.exe)?\s{1,4}config\s{1,4}(set|clear)\s{1,4}([A-Za-z][\w-]{0,40}(?:\.[\w-]{1,40}){1,3})(?:\s{1,4}("[^"\n]{0,500}"|'[^'\n]{0,500}'|[^\s"'`]{1,500}))?/i;
const LIST_CHANGE = /\s--?(?:add|remove)\b/i;

export function configStatement(line: string): { key: string; value: string } | undefined {
  const m = CONFIG_COMMAND.exec(line);
  if (!m) return undefined;
  let key = normalizeConfigKey(m[2]!);
  if (key === 'incomingconnections.port') key = 'incomingconnections.ports';
  if (!isConfigKey(key)) return undefined;
  if (m[1]!.toLowerCase() === 'clear') return { key, value: '' };
  const raw = m[3];
  if (raw === undefined || LIST_CHANGE.test(line.slice(m.index + m[0].length, m.index + m[0].length + 200))) return undefined;
  const value = raw[0] === '"' || raw[0] === "'" ? raw.slice(1, -1).trim() : withoutTrailingPunctuation(raw);
  return value === '' ? undefined : { key, value };
}

/** `6516.` at a sentence's end, `6516)`: the punctuation is the writer's, not the value's (a loop, not a regex). */
function withoutTrailingPunctuation(s: string): string {
  let end = s.length;
  while (end > 0 && '.,;:)]'.includes(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/**
 * An agent service that could not start, as PowerShell's Start-Service error says it (the agent's installer prints it,
 * wrapped, in its MSI log): `Service 'Guest Configuration Extension service (ExtensionService)' cannot be started due
 * to the following error: ...`. The line holding `(<name>)' cannot be started` is enough (wrapping splits the rest).
 */
const SERVICE_CANNOT_START = /\((himds|ExtensionService|GCArcService|arcproxy|himdsd|extd|gcad|arcproxyd)\)'?\s{0,3}cannot\s{1,3}be\s{1,3}started\b/i;

export function serviceStartStatement(line: string): { name: string; state: ServiceState } | undefined {
  const m = SERVICE_CANNOT_START.exec(line);
  return m ? { name: m[1]!.toLowerCase(), state: 'stopped' } : undefined;
}

/**
 * Endpoints the agent says resolve privately: `Private Link Scope resource ID must be provided as endpoint <host> is
 * configured private`, `No indication of Private Link Scope but found private endpoint <host>`.
 */
const PRIVATE_ENDPOINT = /\b(?:endpoint\s{1,3}([A-Za-z0-9][A-Za-z0-9.-]{0,252})\s{1,3}is\s{1,3}configured\s{1,3}private|found\s{1,3}private\s{1,3}endpoint\s{1,3}([A-Za-z0-9][A-Za-z0-9.-]{0,252}))/gi;

export function privateEndpointStatements(line: string): string[] {
  const hosts: string[] = [];
  PRIVATE_ENDPOINT.lastIndex = 0;
  for (let m = PRIVATE_ENDPOINT.exec(line); m; m = PRIVATE_ENDPOINT.exec(line)) {
    const host = usableHost(m[1] ?? m[2]!);
    if (host) hosts.push(host);
  }
  return hosts;
}

/**
 * Literals one of which every line a statement reads contains, in any case (for grammars' candidate filters and the
 * interpreter's gate): tested against every statement over case and spacing variants. The case-sensitive hint before
 * it missed `Total physical memory` (the Linux script's), `ArcAgentStatus`, `Agent not connected`, `WS12R2`, `Win8`,
 * `upgraded the agent to 1.40` and `Failed to retrieve certificate from key vault`.
 */
export const STATEMENT_HINT = /windows|\bwac|admincenter|\b(?:ws|win|w2k)\d|version|upgraded|updated|connected|azure local|azure stack hci|memory|\bram\b|agent[ \t]{0,3}[(:=]?[ \t]{0,3}v?1\.|agent[ \t]{1,3}(?:is|was)[ \t]{1,3}(?:(?:on|at|now)[ \t]{1,3})?v?1\.|china|21[ \t]?vianet|gov|--cloud|retrieve ?certificate|(?:connected|service|agent)status|config[ \t]{1,4}(?:set|clear)|private|be[ \t]{1,3}started/i;
