/**
 * What each bundle entry is, by case-insensitive path suffix (bundles differ in root folder, separators and
 * case): agent and extension logs, status files, reports, agent configs, the snapshot manifest, or "other"
 * (read only when small, then offered to the pasted-output parsers by content). Also the files a complete
 * bundle of each layout has, and which facts each one states, for "files expected but missing".
 */
import type { FileRole } from '../../parsers/logs';

export type EntryKind = 'log' | 'status' | 'report' | 'agentconfig' | 'localconfig' | 'manifest' | 'archive' | 'binary' | 'other';

export interface EntryClass {
  kind: EntryKind;
  role: FileRole;
}

export const SNAPSHOT_MANIFEST = 'wac-doctor-snapshot.json';

const AGENT_LOG_DIR = /(?:^|\/)(?:azureconnectedmachineagent\/log|azcmagent\/log)\/[^/]+$/;
const GC_DIR = /(?:^|\/)guestconfig\/(?:arc_policy_logs|gc_agent_logs|ext_mgr_logs)\//;
const EXTENSION_DIR = /(?:^|\/)(?:guestconfig\/extension_logs|waagent)\//;
const ARCHIVE = /\.(?:zip|gz|tgz|7z|cab|tar|rar|bz2|xz)$/;
const BINARY = /\.(?:evtx|etl|exe|dll|msi|sys|png|jpe?g|gif|bmp|ico|pdb|bin|dat|db|sqlite|blf|regtrans-ms|pfx|cer|crt|der|p7b)$/;
/** Rotated logs: gc_ext.1.log, arcproxy-2025-06-01T10-00-00.log, himds.log.1. */
const LOG_NAME = /\.log(?:\.\d+)?$/;

export function classifyEntry(path: string): EntryClass {
  const p = path.toLowerCase();
  const role: FileRole = AGENT_LOG_DIR.test(p) ? 'agent-log' : GC_DIR.test(p) ? 'gc-log' : EXTENSION_DIR.test(p) ? 'extension-log' : 'text';
  if (p === SNAPSHOT_MANIFEST || p.endsWith(`/${SNAPSHOT_MANIFEST}`)) return { kind: 'manifest', role };
  if (p.endsWith('.status')) return { kind: 'status', role };
  if (/(?:^|\/)extension_reports\/[^/]+_report\.txt$/.test(p)) return { kind: 'report', role };
  if (/(?:^|\/)agentconfig\.json$/.test(p)) return { kind: 'agentconfig', role };
  if (/(?:^|\/)localconfig\.json$/.test(p) || /(?:^|\/)etc\/azcmagent\/config\.json$/.test(p)) return { kind: 'localconfig', role };
  if (ARCHIVE.test(p)) return { kind: 'archive', role };
  if (BINARY.test(p)) return { kind: 'binary', role };
  if (LOG_NAME.test(p)) return { kind: 'log', role };
  // Telemetry and other text files in the agent's own log folders are logs too.
  if (role !== 'text' && /\.(?:txt|out)$/.test(p)) return { kind: 'log', role };
  return { kind: 'other', role };
}

export type Layout = 'windows' | 'linux';

export function layoutOf(paths: Iterable<string>): Layout | undefined {
  let win = 0;
  let lin = 0;
  for (const path of paths) {
    const p = path.toLowerCase();
    if (/(?:^|\/)(?:programdata\/(?:azureconnectedmachineagent|guestconfig)|packages\/plugins)\//.test(p)) win++;
    else if (/(?:^|\/)var\/(?:opt\/azcmagent|lib\/guestconfig|lib\/waagent)\//.test(p)) lin++;
  }
  if (win === 0 && lin === 0) return undefined;
  return win >= lin ? 'windows' : 'linux';
}

export interface ExpectedFile {
  /** The path a complete bundle has (how the summary names it). */
  label: string;
  test: RegExp;
  /** Fact names (or prefixes ending in `.`) the file states: a rule skipping for these names the file. */
  states: string[];
}

const WINDOWS: ExpectedFile[] = [
  { label: 'ProgramData/AzureConnectedMachineAgent/Log/himds.log', test: /azureconnectedmachineagent\/log\/himds(?:[.-][^/]*)?\.log$/, states: ['agent.version', 'probe.'] },
  { label: 'ProgramData/AzureConnectedMachineAgent/Log/azcmagent.log', test: /azureconnectedmachineagent\/log\/azcmagent(?:[.-][^/]*)?\.log$/, states: ['agent.version', 'agent.errorCodes', 'agent.error', 'probe.'] },
  { label: 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json', test: /azureconnectedmachineagent\/config\/localconfig\.json$/, states: ['config.'] },
  { label: 'ProgramData/AzureConnectedMachineAgent/Config/agentconfig.json', test: /azureconnectedmachineagent\/config\/agentconfig\.json$/, states: ['machine.name', 'machine.resourceId', 'agent.location', 'agent.cloud', 'agent.privateLinkScope'] },
  { label: 'ProgramData/GuestConfig/ext_mgr_logs/gc_ext.log', test: /guestconfig\/ext_mgr_logs\/gc_ext(?:\.\d+)?\.log$/, states: [] },
  {
    label: 'Packages/Plugins/Microsoft.AdminCenter.AdminCenter/<version>/Status/<n>.status',
    test: /plugins\/microsoft\.admincenter\.admincenter\/[^/]+\/status\/[^/]+\.status$|extension_reports\/microsoft\.admincenter\.admincenter[^/]*_report\.txt$/,
    states: ['extension.adminCenter'],
  },
];

const LINUX: ExpectedFile[] = [
  { label: 'var/opt/azcmagent/log/himds.log', test: /azcmagent\/log\/himds(?:[.-][^/]*)?\.log$/, states: ['agent.version', 'probe.'] },
  { label: 'var/opt/azcmagent/log/azcmagent.log', test: /azcmagent\/log\/azcmagent(?:[.-][^/]*)?\.log$/, states: ['agent.version', 'agent.errorCodes', 'agent.error', 'probe.'] },
  { label: 'var/opt/azcmagent/localconfig.json', test: /azcmagent\/localconfig\.json$|etc\/azcmagent\/config\.json$/, states: ['config.'] },
  { label: 'var/opt/azcmagent/agentconfig.json', test: /azcmagent\/agentconfig\.json$/, states: ['machine.name', 'machine.resourceId', 'agent.location', 'agent.cloud', 'agent.privateLinkScope'] },
  { label: 'var/lib/GuestConfig/ext_mgr_logs/gc_ext.log', test: /guestconfig\/ext_mgr_logs\/gc_ext(?:\.\d+)?\.log$/, states: [] },
];

export function expectedFiles(layout: Layout): readonly ExpectedFile[] {
  return layout === 'windows' ? WINDOWS : LINUX;
}

/** Expected files none of `paths` matches. */
export function missingFiles(layout: Layout, paths: readonly string[]): ExpectedFile[] {
  const lower = paths.map((p) => p.toLowerCase());
  return expectedFiles(layout).filter((f) => !lower.some((p) => f.test.test(p)));
}

/** Whether a missing file would have stated a fact (`config.incomingConnectionsPorts` is stated by `config.`). */
export function statesFact(file: ExpectedFile, fact: string): boolean {
  return file.states.some((s) => (s.endsWith('.') ? fact.startsWith(s) : fact === s));
}
