/**
 * Test fixture for the reporters: a realistic Report with every status, and the rule catalog it was
 * run with. Secrets are planted on purpose (a proxy URL with credentials, a SAS signature) so tests
 * can prove redaction on and off.
 */
import { orderFindings } from '../../core/model/order';
import type { RenderOptions } from '../../core/reporters/index';
import { multiReport, summarize, TOOL_NAME, TOOL_VERSION, type InputSummary, type MultiReport, type Report, type TargetSummary } from '../../core/model/report';
import { defineRule, docsUrlFor, type Outcome, type Rule, type RuleMeta } from '../../core/engine/rule';
import type { Finding } from '../../core/model/types';

export const SECRET_PROXY = 'http://alice:S3cret@10.1.2.3:3128';
export const SECRET_PASSWORD = 'S3cret';
export const SAS_URL = 'https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=abc123';
export const SAS_SIG = 'abc123';
export const SAMPLE_TIME = '2026-11-26T12:00:00.000Z';
export const WINDOWS_CONFIG_PATH = 'C:\\Users\\alice\\Desktop\\config-list.txt';

type MetaInput = Omit<RuleMeta, 'appliesTo' | 'references'> & Partial<Pick<RuleMeta, 'appliesTo' | 'references'>>;

function sampleRule(meta: MetaInput, outcome: Outcome = { status: 'pass', message: 'ok' }): Rule {
  return defineRule({
    meta: {
      appliesTo: ['pasted', 'bundle', 'live'],
      references: ['https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines'],
      ...meta,
    },
    check: () => outcome,
  });
}

/** The catalog, in engine order. `extra-unused` has no finding in the report (SARIF must still list it). */
export function sampleRules(): Rule[] {
  return [
    sampleRule({
      id: 'os-version', title: 'The operating system supports Windows Admin Center', category: 'requirements', severity: 'fail',
      description: 'WAC in the Azure portal needs **Windows Server 2016** or later.\n\n- **fail**: older Windows or a client OS.\n- **pass**: a supported server OS.',
      requires: ['os'],
    }),
    sampleRule({
      id: 'memory', title: 'The machine has enough memory for the WAC gateway', category: 'requirements', severity: 'warn',
      description: 'The gateway needs about 3 GiB of memory.\n\n- **warn**: less than 3 GiB.',
      requires: ['memory.totalBytes'],
    }),
    sampleRule({
      id: 'agent-status', title: 'The Connected Machine agent is connected', category: 'agent', severity: 'fail',
      description: 'WAC reaches the machine through the agent, so the agent must be `Connected` with a recent heartbeat.\n\n- **fail**: `Disconnected` or `Expired`.',
      references: ['https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard'],
      requires: ['agent.status'], optional: ['agent.lastHeartbeat'],
    }),
    sampleRule({
      id: 'agent-version', title: 'The agent version works with WAC', category: 'agent', severity: 'fail',
      description: 'Agent versions 1.35 and 1.36 break Windows Admin Center; see [the release notes](https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes).',
      requires: ['agent.version'],
    }),
    sampleRule({
      id: 'proxy', title: 'The agent proxy lets WAC traffic through', category: 'network', severity: 'fail',
      description: 'When the agent uses a proxy (`proxy.url`), it must allow CONNECT to the WAC endpoints.\n\nA 407 answer means the proxy wants credentials the agent does not send.',
      requires: ['config.proxyUrl'], optional: ['proxy.probe'],
    }),
    sampleRule({
      id: 'endpoint-wac', title: 'wac.azure.com is reachable', category: 'network', severity: 'warn',
      description: 'The portal loads WAC from `wac.azure.com`; slow or inspected connections break the session.',
      requires: ['probe.wac.azure.com'],
    }),
    sampleRule({
      id: 'private-link', title: 'Private Link is configured for WAC', category: 'network', severity: 'fail',
      description: 'Only applies to machines in a Private Link Scope.',
      requires: ['agent.privateLinkScope'],
    }),
    sampleRule({
      id: 'tls-inspection', title: 'No TLS inspection on the WAC endpoints', category: 'network', severity: 'fail',
      description: 'TLS inspection of `*.wac.azure.com` breaks the reverse proxy.',
      requires: ['probe.*.wac.azure.com'],
    }),
    sampleRule({
      id: 'incoming-ports', title: 'The agent accepts incoming connections on the WAC port', category: 'configuration', severity: 'fail',
      description: 'The agent only lets the reverse proxy through on ports listed in `incomingconnections.ports`.\n\n- **warn**: the WAC port is not listed.',
      references: ['https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-config'],
      requires: ['config.incomingConnectionsPorts', 'wac.port'],
    }),
    sampleRule({
      id: 'wac-port', title: 'The WAC port is the same everywhere', category: 'gateway', severity: 'fail',
      description: 'The extension setting, `SmePort` and the gateway configuration must agree on the port.',
      requires: ['wac.port'],
    }),
    sampleRule({
      id: 'extension-status', title: 'The AdminCenter extension is installed and healthy', category: 'extension', severity: 'fail',
      description: 'The `Microsoft.AdminCenter` extension must be in state `Succeeded`.',
      requires: ['extension.adminCenter'],
    }),
    sampleRule({
      id: 'rbac', title: 'You hold the Windows Admin Center Administrator Login role', category: 'azure', severity: 'fail',
      description: 'Signing in to WAC needs the *Windows Admin Center Administrator Login* role on the machine.',
      requires: ['azure.roleAssignments'],
    }),
    sampleRule({
      id: 'resource-provider', title: 'Microsoft.HybridConnectivity is registered', category: 'azure', severity: 'fail',
      description: 'The subscription must have the `Microsoft.HybridConnectivity` resource provider registered.',
      requires: ['provider.Microsoft.HybridConnectivity'],
    }),
    sampleRule({
      id: 'extra-unused', title: 'A rule that produced no finding', category: 'gateway', severity: 'warn',
      description: 'Present in the catalog only.',
      requires: ['wac.localHttps'],
    }),
  ];
}

function finding(rules: readonly Rule[], id: string, rest: Omit<Finding, 'ruleId' | 'title' | 'category' | 'docsUrl'>): Finding {
  const rule = rules.find((r) => r.meta.id === id);
  if (!rule) throw new Error(`sample: no rule ${id}`);
  return { ruleId: id, title: rule.meta.title, category: rule.meta.category, docsUrl: docsUrlFor(id), ...rest };
}

export function sampleInputs(): InputSummary[] {
  return [
    { path: 'azcmagent-show.txt', kind: 'showTextParser', label: 'azcmagent show', status: 'parsed', messages: [], facts: 14 },
    {
      path: WINDOWS_CONFIG_PATH, kind: 'configTextParser', label: 'azcmagent config list', status: 'parsed', facts: 9,
      messages: [`${WINDOWS_CONFIG_PATH}: ignored unknown key "proxy.foo"`],
    },
    { path: 'az-extension-list.json', kind: 'azExtensionParser', label: 'az connectedmachine extension list', status: 'parsed', messages: [], facts: 3 },
    { path: 'az-machine.json', kind: 'azMachineParser', label: 'az connectedmachine show', status: 'parsed', messages: [], facts: 6 },
    { path: 'reg-query.txt', kind: 'regQueryParser', label: 'reg query', status: 'parsed', messages: [], facts: 2 },
    {
      path: 'notes.txt', kind: null, status: 'unrecognized', facts: 0,
      messages: [`notes.txt: not a recognized output; it mentions ${SECRET_PROXY}`],
    },
    {
      path: 'broken.json', kind: 'azMachineParser', label: 'az connectedmachine show', status: 'error', facts: 0,
      messages: ['broken.json: looks like az connectedmachine show but the JSON ends early at line 3'],
    },
  ];
}

export function sampleFindings(rules: readonly Rule[] = sampleRules()): Finding[] {
  return [
    finding(rules, 'os-version', {
      status: 'pass', message: 'Windows Server 2022 Datacenter (build 20348) is supported.',
      evidence: [{ source: 'pasted', path: 'az-machine.json', excerpt: '"osSku": "Windows Server 2022 Datacenter"' }],
    }),
    finding(rules, 'memory', {
      status: 'pass', message: 'The machine has 16 GiB of memory.',
      evidence: [{ source: 'pasted', path: 'az-machine.json', excerpt: '"totalPhysicalMemoryInBytes": 17179869184' }],
    }),
    finding(rules, 'agent-status', {
      status: 'fail', message: 'Agent status is Disconnected; the last heartbeat was 2026-11-20T08:00:00Z, 6 days before this report.',
      evidence: [
        { source: 'pasted', path: 'azcmagent-show.txt', line: 14, excerpt: 'Agent Status                            : Disconnected' },
        { source: 'pasted', path: 'azcmagent-show.txt', line: 15, excerpt: 'Agent Last Heartbeat                    : 2026-11-20T08:00:00Z' },
      ],
      fix: {
        summary: 'Find out why the agent cannot reach Azure, then restart the agent service.',
        commands: [
          { shell: 'powershell', command: 'azcmagent check --location westeurope' },
          { shell: 'powershell', command: 'Restart-Service himds' },
          { shell: 'azcli', command: 'az connectedmachine show --name SRV-WEB01 --resource-group rg-arc --query status -o tsv' },
        ],
      },
    }),
    finding(rules, 'agent-version', {
      status: 'pass', message: 'Agent 1.45.02669.1635 works with WAC.',
      evidence: [{ source: 'pasted', path: 'azcmagent-show.txt', line: 3, excerpt: 'Agent Version                           : 1.45.02669.1635' }],
    }),
    finding(rules, 'proxy', {
      status: 'fail', message: `The agent proxy ${SECRET_PROXY} answered 407 Proxy Authentication Required for wac.azure.com.`,
      evidence: [{ source: 'pasted', path: WINDOWS_CONFIG_PATH, line: 7, excerpt: `proxy.url                          ${SECRET_PROXY}` }],
      fix: {
        summary: 'Give the agent a proxy that does not need interactive authentication, or allow the machine through.',
        commands: [
          { shell: 'powershell', command: `azcmagent config set proxy.url "${SECRET_PROXY}"` },
          { shell: 'bash', command: `curl -sS -o /dev/null -w '%{http_code}' -x ${SECRET_PROXY} https://wac.azure.com` },
        ],
      },
    }),
    finding(rules, 'endpoint-wac', {
      status: 'warn', message: 'https://wac.azure.com answered after 4.2 s and redirected to a storage URL.',
      evidence: [{ source: 'live', path: 'Invoke-WebRequest https://wac.azure.com', excerpt: `Location: ${SAS_URL}` }],
    }),
    finding(rules, 'private-link', {
      status: 'skip', message: 'Not applicable: the machine is not in a Private Link Scope.', evidence: [],
    }),
    finding(rules, 'tls-inspection', {
      status: 'error', message: "The rule failed to run: Cannot read properties of undefined (reading 'issuer')", evidence: [],
    }),
    finding(rules, 'incoming-ports', {
      status: 'warn', message: 'incomingconnections.ports is [22]; the WAC port 6516 is missing.',
      evidence: [{ source: 'pasted', path: WINDOWS_CONFIG_PATH, line: 9, excerpt: 'incomingconnections.ports          22' }],
      fix: {
        summary: 'Allow the port(s) 22,6516 for reverse-proxy connections (keep ports other experiences such as SSH use).',
        commands: [{ shell: 'powershell', command: 'azcmagent config set incomingconnections.ports 22,6516' }],
      },
    }),
    finding(rules, 'wac-port', {
      status: 'pass', message: 'The WAC port is 6516 in the extension settings and in SmePort.',
      evidence: [{ source: 'pasted', path: 'reg-query.txt', line: 4, excerpt: '    SmePort    REG_SZ    6516' }],
    }),
    finding(rules, 'extension-status', {
      status: 'fail', message: 'The AdminCenter extension is in state Failed.',
      evidence: [{ source: 'pasted', path: 'az-extension-list.json', excerpt: '"provisioningState": "Failed"' }],
      fix: {
        summary: 'Remove the failed extension, then install it again from the portal (Windows Admin Center > Install).',
        commands: [{ shell: 'azcli', command: 'az connectedmachine extension delete --name AdminCenter --machine-name SRV-WEB01 --resource-group rg-arc' }],
      },
    }),
    finding(rules, 'rbac', {
      status: 'skip', message: 'Not checked: needs role assignments (azure.roleAssignments; from az role assignment list -o json).',
      evidence: [], missing: ['azure.roleAssignments'],
    }),
    finding(rules, 'resource-provider', {
      status: 'pass', message: 'Microsoft.HybridConnectivity is Registered.',
      evidence: [{ source: 'pasted', path: 'az-provider.json', line: 5, excerpt: '"registrationState": "Registered"' }],
    }),
  ];
}

export function sampleReport(): Report {
  const results = orderFindings(sampleFindings());
  return {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: SAMPLE_TIME,
    inputs: sampleInputs(),
    results,
    summary: summarize(results),
  };
}

/** A report from a list of findings (summary computed), with one parsed input, and a target when given. */
export function reportOf(results: Finding[], inputs: InputSummary[] = [sampleInputs()[0]!], target?: TargetSummary): Report {
  return {
    version: 1, tool: { name: TOOL_NAME, version: TOOL_VERSION }, generatedAt: SAMPLE_TIME,
    ...(target ? { target } : {}),
    inputs, results: orderFindings(results), summary: summarize(results),
  };
}

// ---------------------------------------------------------------------------------------------
// Targets: a logs zip, a live host and an extracted folder, for target rendering and MultiReport.
// ---------------------------------------------------------------------------------------------

export const BUNDLE_PATH = '/ci/bundles/azcmagent-logs-241118T0912-SRV-WEB-07.zip';
export const HIMDS_LOG = 'ProgramData/AzureConnectedMachineAgent/Log/himds.log';
export const AZCMAGENT_LOG = 'ProgramData/AzureConnectedMachineAgent/Log/azcmagent.log';
export const GC_EXT_LOG = 'ProgramData/GuestConfig/ext_mgr_logs/gc_ext.log';
export const FOLDER_PATH = 'C:\\Support\\SRV-DB-01 logs';

export function sampleBundleTarget(): TargetSummary {
  const found = [
    HIMDS_LOG, AZCMAGENT_LOG, 'ProgramData/AzureConnectedMachineAgent/Log/arcproxy.log',
    'ProgramData/AzureConnectedMachineAgent/Config/agentconfig.json', 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json',
    'ProgramData/GuestConfig/arc_policy_logs/gc_agent.log', 'ProgramData/GuestConfig/ext_mgr_logs/gc_worker.log',
    'ProgramData/GuestConfig/extension_logs/Microsoft.AdminCenter.AdminCenter/extension.log',
    'azcmagent-show.txt', 'azcmagent-check.txt', 'azcmagent-config-list.txt', 'services.txt', 'systeminfo.txt', 'netsh-winhttp.txt',
  ];
  return {
    kind: 'bundle', name: BUNDLE_PATH, machine: 'SRV-WEB-07', os: 'Windows Server 2022', agentVersion: '1.45.02669.1635',
    timeRange: { from: '2024-11-17T08:00:00Z', to: '2024-11-18T09:12:00Z' },
    filesFound: found, filesMissing: [GC_EXT_LOG],
    notes: ['refused entry ../../Windows/evil.ps1 (outside the bundle)', `azcmagent-config-list.txt sets proxy.url ${SECRET_PROXY}`],
  };
}

export function sampleLiveTarget(): TargetSummary {
  return { kind: 'live', name: 'SRV-WEB-08', machine: 'SRV-WEB-08', os: 'Windows Server 2019', agentVersion: '1.44.02627.1515' };
}

export function sampleFolderTarget(): TargetSummary {
  return { kind: 'folder', name: FOLDER_PATH, machine: 'SRV-DB-01', filesFound: [HIMDS_LOG, 'azcmagent-show.txt'], filesMissing: [] };
}

/** A logs-zip report: bundle evidence with and without lines, a refused entry among the inputs, a secret in a note. */
export function bundleReport(rules: readonly Rule[] = sampleRules()): Report {
  const results = [
    finding(rules, 'os-version', { status: 'pass', message: 'Windows Server 2022 is supported.', evidence: [{ source: 'bundle', path: 'systeminfo.txt', line: 3, excerpt: 'OS Name: Microsoft Windows Server 2022 Datacenter' }] }),
    finding(rules, 'agent-status', {
      status: 'fail', message: 'Agent status is Disconnected.',
      evidence: [{ source: 'bundle', path: HIMDS_LOG, line: 42, excerpt: 'level=error msg="heartbeat failed"' }],
      fix: { summary: 'Restart the agent service.', commands: [{ shell: 'powershell', command: 'Restart-Service himds' }] },
    }),
    finding(rules, 'proxy', {
      status: 'fail', message: `The agent proxy ${SECRET_PROXY} refused CONNECT.`,
      evidence: [{ source: 'bundle', path: AZCMAGENT_LOG, line: 7, excerpt: `proxy ${SECRET_PROXY} returned 407` }],
    }),
    finding(rules, 'incoming-ports', {
      status: 'warn', message: 'incomingconnections.ports is [22]; the WAC port 6516 is missing.',
      evidence: [{ source: 'bundle', path: 'azcmagent-config-list.txt', excerpt: 'incomingconnections.ports          22' }],
    }),
    finding(rules, 'extension-status', {
      status: 'skip', message: 'Not checked: the bundle has no extension manager log.', evidence: [], missing: ['extension.adminCenter'],
    }),
  ];
  const inputs: InputSummary[] = [
    { path: HIMDS_LOG, kind: 'himdsLog', label: 'himds.log', status: 'parsed', messages: [], facts: 5 },
    { path: AZCMAGENT_LOG, kind: 'azcmagentLog', label: 'azcmagent.log', status: 'parsed', messages: [], facts: 3 },
    { path: 'ProgramData/AzureConnectedMachineAgent/Log/odd file.log', kind: null, status: 'unrecognized', messages: [], facts: 0 },
  ];
  return reportOf(results, inputs, sampleBundleTarget());
}

/** Live checks on this machine: live evidence only, no input files, a SAS URL in an excerpt. */
export function liveReport(rules: readonly Rule[] = sampleRules()): Report {
  const results = [
    finding(rules, 'os-version', { status: 'pass', message: 'Windows Server 2019 is supported.', evidence: [{ source: 'live', path: 'Get-CimInstance Win32_OperatingSystem' }] }),
    finding(rules, 'agent-status', {
      status: 'fail', message: 'Agent status is Expired.',
      evidence: [{ source: 'live', path: 'azcmagent show', line: 14, excerpt: 'Agent Status : Expired' }],
    }),
    finding(rules, 'endpoint-wac', {
      status: 'warn', message: 'https://wac.azure.com answered after 4.2 s.',
      evidence: [{ source: 'live', path: 'Invoke-WebRequest https://wac.azure.com', excerpt: `Location: ${SAS_URL}` }],
    }),
    finding(rules, 'tls-inspection', { status: 'error', message: 'The probe timed out after 10 s.', evidence: [] }),
    finding(rules, 'private-link', { status: 'skip', message: 'Not applicable: the machine is not in a Private Link Scope.', evidence: [] }),
  ];
  return reportOf(results, [], sampleLiveTarget());
}

/** An extracted folder where everything that could run passed. */
export function folderReport(rules: readonly Rule[] = sampleRules()): Report {
  const results = [
    finding(rules, 'os-version', { status: 'pass', message: 'Windows Server 2022 is supported.', evidence: [{ source: 'bundle', path: 'azcmagent-show.txt', line: 9, excerpt: 'OS : Windows Server 2022' }] }),
    finding(rules, 'agent-status', { status: 'pass', message: 'Agent status is Connected.', evidence: [{ source: 'bundle', path: HIMDS_LOG, line: 3, excerpt: 'connected' }] }),
  ];
  return reportOf(results, [{ path: HIMDS_LOG, kind: 'himdsLog', label: 'himds.log', status: 'parsed', messages: [], facts: 2 }], sampleFolderTarget());
}

/** Three targets in one run: bundle, live host, folder. */
export function sampleMulti(): MultiReport {
  return multiReport([bundleReport(), liveReport(), folderReport()], SAMPLE_TIME);
}

export function sampleOptions(overrides: Partial<RenderOptions> = {}): RenderOptions {
  return { rules: sampleRules(), color: false, verbose: false, redact: true, failOn: 'fail', ...overrides };
}
