/**
 * Deterministic generator of `azcmagent logs`-shaped bundles for tests and demos (yazl, fixed timestamps,
 * fixed content): a healthy Windows and Linux bundle, one bundle per failing rule a bundle can reveal, a
 * wac-doctor snapshot, and hostile archives (corrupt, truncated, zip slip, encrypted, symlink, nested, bomb).
 *
 *   npx tsx scripts/make-bundles.ts [out-dir]     (default fixtures/bundles)
 *
 * Log texts follow the grammars in arc-wac-facts §5 (logrus text, GuestConfig brackets); hosts, GUIDs and
 * times are made up.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yazl from 'yazl';

export interface BundleFile {
  name: string;
  data: string | Buffer;
  /** Unix mode (e.g. a symlink 0o120777). */
  mode?: number;
  store?: boolean;
}

const MTIME = new Date('2026-09-14T09:00:00Z');
/** The repository root, from source (scripts/) or compiled (dist/scripts/). */
const ROOT = __filename.endsWith('.ts') ? join(__dirname, '..') : join(__dirname, '..', '..');

/** A zip of the files, byte-for-byte the same on every run. */
export function zipBuffer(files: readonly BundleFile[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) {
    const data = typeof f.data === 'string' ? Buffer.from(f.data) : f.data;
    zip.addBuffer(data, f.name, { mtime: MTIME, compress: !f.store, ...(f.mode !== undefined ? { mode: f.mode } : {}) });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

// ---- log line builders ----

const goQuote = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A logrus text line: `time="..." level=info msg="..." Key=value Key With Space="quoted"`. */
export function logrus(time: string, level: string, msg: string, fields: Record<string, string | number> = {}): string {
  let s = `time="${time}" level=${level} msg=${goQuote(msg)}`;
  for (const [k, v] of Object.entries(fields)) s += ` ${k}=${typeof v === 'number' || /^[\w.:/-]+$/.test(v) ? v : goQuote(v)}`;
  return s;
}

/** A GuestConfig bracket line. */
export function gc(time: string, component: string, level: string, msg: string, pid = 4312, tid = 4420): string {
  return `[${time}] [PID ${pid}] [TID ${tid}] [${component}] [${level}] [3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef] ${msg}`;
}

/** `2026-09-14T08:00:00Z` + minutes. */
export function at(minutes: number, base = '2026-09-14T08:00:00Z'): string {
  return new Date(Date.parse(base) + minutes * 60_000).toISOString().replace(/\.000Z$/, 'Z');
}

/** GuestConfig time (no zone): `2026-09-14 08:05:00.101`. */
const gcAt = (minutes: number): string => at(minutes).replace('T', ' ').replace('Z', '.101');
const lines = (...ls: string[]): string => `${ls.join('\r\n')}\r\n`;
const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

export const WIN_VERSION = '1.67.03504.3207';
export const LINUX_VERSION = '1.67.03504.1320';
// A current extension (0.85.0.0 seen in the field, Aug 2026): above both floors of extension-status.
const WAC_EXT_VERSION = '0.85.0.0';
const PROXY = '10.20.30.40:3128';

// ---- Windows bundle parts ----

const W = {
  log: 'ProgramData/AzureConnectedMachineAgent/Log',
  config: 'ProgramData/AzureConnectedMachineAgent/Config',
  gc: 'ProgramData/GuestConfig',
  plugin: `Packages/Plugins/Microsoft.AdminCenter.AdminCenter/${WAC_EXT_VERSION}`,
};

interface Options {
  version?: string;
  himdsExtra?: string[];
  azcmagentExtra?: string[];
  wacLog?: string[];
  localconfig?: Record<string, unknown>;
  status?: { status: string; code: number; message: string };
  omit?: string[];
}

function himdsLog(version: string, extra: string[] = []): string {
  const out = [
    logrus(at(0), 'info', 'Starting HIMDS service', { Version: version, OS: 'Windows Server 2022 Datacenter', 'OS Version': '10.0.20348' }),
    logrus(at(0.1), 'info', 'Loaded agent configuration', { ConfigPath: 'C:\\ProgramData\\AzureConnectedMachineAgent\\Config\\agentconfig.json' }),
    // Normal on non-Azure hardware: the IMDS probe fails. Must not be flagged.
    logrus(at(0.2), 'warning', 'Failed to reach Azure IMDS; not running on an Azure VM', { Error: 'Get "http://169.254.169.254/metadata/instance?api-version=2021-02-01": dial tcp 169.254.169.254:80: i/o timeout' }),
    // Tolerated: a debug-level retry.
    logrus(at(0.3), 'debug', 'Retrying token request', { Error: 'dial tcp 20.190.160.1:443: i/o timeout', Endpoint: 'https://login.microsoftonline.com' }),
    logrus(at(0.4), 'info', 'Token request succeeded', { Endpoint: 'https://login.microsoftonline.com', 'Status Code': 200 }),
    logrus(at(0.5), 'info', 'Agent status changed', { 'Agent Status': 'Connected' }),
  ];
  for (let i = 1; i <= 24; i++) out.push(logrus(at(i * 5), 'info', 'Heartbeat sent', { Endpoint: 'https://gbl.his.arc.azure.com', 'Status Code': 200, Duration: `${80 + (i * 37) % 90}ms` }));
  out.push(logrus(at(2), 'info', 'Notification service connection succeeded', { Endpoint: 'https://guestnotificationservice.azure.com', 'Status Code': 200 }));
  out.push(logrus(at(2.5), 'info', 'Relay listener connection succeeded', { Endpoint: 'https://azgnrelay-westeurope-l1.servicebus.windows.net', 'Status Code': 200 }));
  out.push(...extra);
  return lines(...out.sort());
}

function azcmagentLog(version: string, extra: string[] = []): string {
  const checks = ['https://login.microsoftonline.com', 'https://management.azure.com', 'https://gbl.his.arc.azure.com', 'https://westeurope.his.arc.azure.com',
    'https://agentserviceapi.guestconfiguration.azure.com', 'https://westeurope-gas.guestconfiguration.azure.com'];
  const out = [
    logrus(at(10), 'info', 'Running command', { Command: 'azcmagent check --location westeurope', Version: version }),
    logrus(at(10.1), 'info', 'Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.'),
    ...checks.map((e, i) => logrus(at(10.2 + i * 0.01), 'info', 'Connectivity test passed', { Endpoint: e, 'TLS Version': 'TLS 1.3', 'Proxy Status': 'not set' })),
    logrus(at(10.5), 'info', 'Command completed', { Command: 'azcmagent check', 'Exit Code': 0 }),
    logrus(at(11), 'info', 'Running command', { Command: 'azcmagent show', Version: version }),
    logrus(at(11.1), 'info', 'Command completed', { Command: 'azcmagent show', 'Exit Code': 0 }),
    ...extra,
  ];
  return lines(...out.sort());
}

function wacExtensionLog(extra?: string[]): string {
  const t = (m: number): string => at(m).replace('T', ' ').replace('Z', '.512');
  return lines(...(extra ?? [
    `${t(3)} [Information] Windows Admin Center extension ${WAC_EXT_VERSION} starting on port 6516`,
    `${t(3.1)} [Information] GET https://wac.azure.com/ succeeded (HTTP 200)`,
    `${t(3.2)} [Information] Certificate renewal request to https://westeurope.service.waconazure.com/api/certificate succeeded (HTTP 200)`,
    `${t(3.3)} [Information] Token request to https://pas.windows.net/ succeeded (HTTP 200)`,
    `${t(3.4)} [Information] Gateway listening on https://+:6516`,
  ]));
}

function gcExtLog(): string {
  return lines(
    gc(gcAt(1), 'EXTMGR', 'INFO', 'Extension manager started'),
    gc(gcAt(1.1), 'EXTMGR', 'INFO', "Running install request for extension 'Microsoft.AdminCenter.AdminCenter' version 0.31.0.0"),
    gc(gcAt(1.2), 'Pull Client', 'INFO', 'Download of extension package succeeded'),
    gc(gcAt(1.3), 'PACKAGE_VALIDATOR', 'INFO', 'Package signature validation succeeded'),
    gc(gcAt(1.4), 'EXTMGR', 'INFO', "Extension 'Microsoft.AdminCenter.AdminCenter' enable succeeded"),
  );
}

const DEFAULT_LOCALCONFIG = {
  'incomingconnections.enabled': true,
  'incomingconnections.ports': ['6516'],
  'connection.type': 'default',
  'proxy.url': '',
  'proxy.bypass': [],
  'extensions.allowlist': [],
  'extensions.blocklist': [],
  'extensions.enabled': 'true',
  'guestconfiguration.enabled': 'true',
  'config.mode': 'full',
};

const AGENTCONFIG = {
  tenantId: '8d4b2e6f-1a3c-4f5e-b7d9-0c2e4a6b8d1f',
  subscriptionId: '3f2a9c1e-7b4d-4e8a-9c6f-2d1e0b5a7c93',
  resourceGroup: 'rg-arc-servers-weu',
  resourceName: 'SRV-WEB01',
  location: 'westeurope',
  cloud: 'AzureCloud',
  vmId: '5e7a1c3b-9d2f-4b6e-8a0c-1f3d5b7e9a2c',
  privateLinkScope: '',
};

function windowsBundle(o: Options = {}): BundleFile[] {
  const version = o.version ?? WIN_VERSION;
  const status = o.status ?? { status: 'success', code: 0, message: 'Windows Admin Center is installed and listening on port 6516.' };
  const files: BundleFile[] = [
    { name: `${W.log}/himds.log`, data: himdsLog(version, o.himdsExtra) },
    { name: `${W.log}/azcmagent.log`, data: azcmagentLog(version, o.azcmagentExtra) },
    { name: `${W.log}/arcproxy.log`, data: lines(logrus(at(0), 'info', 'Arc proxy started', { Port: 40343 })) },
    { name: `${W.config}/agentconfig.json`, data: json(AGENTCONFIG) },
    { name: `${W.config}/localconfig.json`, data: json(o.localconfig ?? DEFAULT_LOCALCONFIG) },
    { name: `${W.gc}/ext_mgr_logs/gc_ext.log`, data: gcExtLog() },
    { name: `${W.gc}/ext_mgr_logs/gc_ext.1.log`, data: lines(gc('2026-09-13 22:00:00.001', 'EXTMGR', 'INFO', 'Extension manager started')) },
    { name: `${W.gc}/arc_policy_logs/gc_agent.log`, data: lines(gc(gcAt(0.5), 'DISPATCHER', 'INFO', 'Guest configuration agent started'), gc(gcAt(0.6), 'Rest Server', 'INFO', 'Listening')) },
    { name: `${W.gc}/extension_logs/Microsoft.AdminCenter.AdminCenter/AdminCenterExtension.log`, data: wacExtensionLog(o.wacLog) },
    {
      name: `${W.gc}/extension_reports/Microsoft.AdminCenter.AdminCenter_report.txt`,
      data: json({ extensionHash: 'f0e1d2c3', Name: 'Microsoft.AdminCenter.AdminCenter', seqNumber: 1, Version: WAC_EXT_VERSION, status: { status: status.status, statusMessage: status.message } }),
    },
    {
      name: `${W.plugin}/Status/0.status`,
      data: json([{ version: 1.0, timestampUTC: at(3.5), status: { name: 'Microsoft.AdminCenter.AdminCenter', operation: 'Enable', status: status.status, code: status.code, formattedMessage: { lang: 'en-US', message: status.message }, substatus: [] } }]),
    },
    { name: `${W.plugin}/HandlerManifest.json`, data: json([{ version: 1.0, handlerManifest: { installCommand: 'install.cmd', enableCommand: 'enable.cmd' } }]) },
  ];
  return files.filter((f) => !(o.omit ?? []).some((s) => f.name.toLowerCase().endsWith(s.toLowerCase())));
}

function linuxBundle(): BundleFile[] {
  const v = LINUX_VERSION;
  return [
    { name: 'var/opt/azcmagent/log/himds.log', data: lines(
      logrus(at(0), 'info', 'Starting HIMDS service', { Version: v, OS: 'Ubuntu 22.04.4 LTS' }),
      logrus(at(0.2), 'warning', 'Failed to reach Azure IMDS; not running on an Azure VM', { Error: 'Get "http://169.254.169.254/metadata/instance": dial tcp 169.254.169.254:80: connect: connection refused' }),
      logrus(at(0.5), 'info', 'Agent status changed', { 'Agent Status': 'Connected' }),
      ...[1, 2, 3, 4].map((i) => logrus(at(i * 5), 'info', 'Heartbeat sent', { Endpoint: 'https://gbl.his.arc.azure.com', 'Status Code': 200 })),
    ) },
    { name: 'var/opt/azcmagent/log/azcmagent.log', data: lines(
      logrus(at(10), 'info', 'Running command', { Command: 'azcmagent check', Version: v }),
      logrus(at(10.2), 'info', 'Connectivity test passed', { Endpoint: 'https://login.microsoftonline.com', 'TLS Version': 'TLS 1.2' }),
      logrus(at(10.5), 'info', 'Command completed', { Command: 'azcmagent check', 'Exit Code': 0 }),
    ) },
    { name: 'var/opt/azcmagent/agentconfig.json', data: json({ ...AGENTCONFIG, resourceName: 'lnx-db01' }) },
    { name: 'var/opt/azcmagent/localconfig.json', data: json({ ...DEFAULT_LOCALCONFIG, 'incomingconnections.ports': ['22'] }) },
    { name: 'var/lib/GuestConfig/ext_mgr_logs/gc_ext.log', data: lines(gc(gcAt(1), 'EXTMGR', 'INFO', 'Extension manager started')) },
    { name: 'var/lib/GuestConfig/arc_policy_logs/gc_agent.log', data: lines(gc(gcAt(0.5), 'DISPATCHER', 'INFO', 'Guest configuration agent started')) },
  ];
}

const proxyconnect = (url: string): string => `Get "${url}": proxyconnect tcp: dial tcp ${PROXY}: i/o timeout`;

/** Each scenario: what the bundle shows, and the files. Tests assert the findings per scenario. */
export const SCENARIOS: Record<string, { description: string; files: () => BundleFile[] }> = {
  'win-healthy': { description: 'Windows, everything works', files: () => windowsBundle() },
  'linux-healthy': { description: 'Linux, agent healthy (WAC itself needs Windows)', files: linuxBundle },
  'win-agent-136': {
    description: 'agent 1.36, which breaks WAC',
    files: () => windowsBundle({ version: '1.36.02538.1064' }),
  },
  'win-proxy-timeouts': {
    description: 'proxy.url set, the proxy times out (proxyconnect), connect fails with AZCM0026',
    files: () => windowsBundle({
      localconfig: { ...DEFAULT_LOCALCONFIG, 'proxy.url': `http://${PROXY}` },
      azcmagentExtra: [
        logrus(at(20), 'info', 'Running command', { Command: 'azcmagent connect --resource-group rg-arc-servers-weu --location westeurope', Version: WIN_VERSION }),
        logrus(at(20.1), 'error', 'Regional Service Discovery', { Error: proxyconnect('https://gbl.his.arc.azure.com/discovery?location=westeurope'), 'Proxy Status': 'proxy set via config command', 'Request URL': 'https://gbl.his.arc.azure.com/discovery?location=westeurope' }),
        logrus(at(20.2), 'error', 'Failed to connect to the notification service', { Error: proxyconnect('https://guestnotificationservice.azure.com/urls/allowlist?api-version=2020-01-01&location=westeurope') }),
        logrus(at(20.3), 'error', 'Relay listener failed', { Error: proxyconnect('https://azgnrelay-westeurope-l1.servicebus.windows.net/$hc/listener') }),
        logrus(at(20.4), 'info', 'Exit Code: AZCM0026: Network Error', { Command: 'azcmagent connect' }),
      ],
      wacLog: [
        `${at(21).replace('T', ' ').replace('Z', '.512')} [Error] Certificate renewal request to https://westeurope.service.waconazure.com/api/certificate failed: Post "https://westeurope.service.waconazure.com/api/certificate": proxyconnect tcp: dial tcp ${PROXY}: i/o timeout`,
      ],
    }),
  },
  'win-tls-inspection': {
    description: 'a TLS-inspecting proxy re-signs Microsoft endpoints',
    files: () => windowsBundle({
      himdsExtra: [
        logrus(at(30), 'error', 'Token request failed', { Error: 'Post "https://login.microsoftonline.com/8d4b2e6f/oauth2/token": x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "Contoso TLS Inspection CA")' }),
      ],
      wacLog: [
        `${at(31).replace('T', ' ').replace('Z', '.512')} [Error] GET https://wac.azure.com/ failed: x509: certificate signed by unknown authority`,
      ],
    }),
  },
  'win-missing-registration': {
    description: 'the subscription is not registered for Microsoft.HybridConnectivity',
    files: () => windowsBundle({
      himdsExtra: [
        logrus(at(40), 'error', 'Failed to create the connectivity endpoint', { Error: "Code=\"MissingSubscriptionRegistration\" Message=\"The subscription is not registered to use namespace 'Microsoft.HybridConnectivity'. See https://aka.ms/rps-not-found for how to register subscriptions.\"" }),
      ],
    }),
  },
  'win-authorization-failed': {
    description: 'the user lacks the role for listCredentials',
    files: () => windowsBundle({
      himdsExtra: [
        logrus(at(50), 'error', 'Request failed', { Error: "Code=\"AuthorizationFailed\" Message=\"The client 'admin@contoso.com' with object id '1a2b' does not have authorization to perform action 'Microsoft.HybridConnectivity/endpoints/listCredentials/action' over scope '/subscriptions/3f2a9c1e-7b4d-4e8a-9c6f-2d1e0b5a7c93/resourceGroups/rg-arc-servers-weu/providers/Microsoft.HybridCompute/machines/SRV-WEB01/providers/Microsoft.HybridConnectivity/endpoints/default'\"" }),
      ],
    }),
  },
  'win-extension-error': {
    description: 'the AdminCenter extension reports an error',
    files: () => windowsBundle({ status: { status: 'error', code: 1, message: 'Failed to obtain a certificate from the Windows Admin Center service: the remote certificate is invalid.' } }),
  },
  'win-incoming-ports': {
    description: 'incomingconnections.ports lacks 6516',
    files: () => windowsBundle({ localconfig: { ...DEFAULT_LOCALCONFIG, 'incomingconnections.ports': ['22'] } }),
  },
  'win-blocklist': {
    description: 'extensions.blocklist contains AdminCenter',
    files: () => windowsBundle({ localconfig: { ...DEFAULT_LOCALCONFIG, 'extensions.blocklist': ['Microsoft.AdminCenter/AdminCenter'] } }),
  },
  'win-proxy-407': {
    description: 'an authenticating proxy answers 407',
    files: () => windowsBundle({
      localconfig: { ...DEFAULT_LOCALCONFIG, 'proxy.url': `http://${PROXY}` },
      himdsExtra: [logrus(at(60), 'error', 'Heartbeat failed', { Error: 'Proxy Authentication Required', 'Status Code': 407, Endpoint: 'https://gbl.his.arc.azure.com' })],
    }),
  },
  'win-resolved': {
    description: 'pas.windows.net and azcmagent connect failed, then worked: resolved',
    files: () => windowsBundle({
      azcmagentExtra: [
        logrus(at(5), 'info', 'Running command', { Command: 'azcmagent connect', Version: WIN_VERSION }),
        logrus(at(5.1), 'info', 'Exit Code: AZCM0026: Network Error', { Command: 'azcmagent connect' }),
        logrus(at(6), 'info', 'Running command', { Command: 'azcmagent connect', Version: WIN_VERSION }),
        logrus(at(6.1), 'info', 'Exit Code: AZCM0000: Success', { Command: 'azcmagent connect' }),
      ],
      wacLog: [
        `${at(3).replace('T', ' ').replace('Z', '.512')} [Error] Token request to https://pas.windows.net/ failed: dial tcp 20.190.151.68:443: i/o timeout`,
        `${at(4).replace('T', ' ').replace('Z', '.512')} [Information] Token request to https://pas.windows.net/ succeeded (HTTP 200)`,
        `${at(4.1).replace('T', ' ').replace('Z', '.512')} [Information] GET https://wac.azure.com/ succeeded (HTTP 200)`,
      ],
    }),
  },
  'win-missing-files': {
    description: 'only himds.log: configs and the extension status are missing',
    files: () => windowsBundle({ omit: ['localconfig.json', 'agentconfig.json', 'azcmagent.log', '0.status', '_report.txt', 'gc_ext.log'] }),
  },
  'snapshot': {
    description: 'a wac-doctor collect snapshot: command outputs and a manifest',
    files: () => [
      { name: 'wac-doctor-snapshot.json', data: json({ tool: 'wac-doctor', version: 1, machine: 'SRV-APP-01', createdAt: '2024-09-18T09:45:00Z' }) },
      { name: 'commands/azcmagent-show.txt', data: readFileSync(join(ROOT, 'fixtures/pasted/azcmagent-show.txt')) },
      { name: 'commands/azcmagent-config-list.txt', data: readFileSync(join(ROOT, 'fixtures/pasted/azcmagent-config-list.txt')) },
      { name: 'commands/get-service.json', data: readFileSync(join(ROOT, 'fixtures/pasted/get-service.json')) },
    ],
  },
};

// ---- hostile archives ----

/** Replaces every occurrence of each placeholder with a same-length target (entry names yazl refuses to write). */
export function patchBytes(buf: Buffer, pairs: ReadonlyArray<[string, string]>): Buffer {
  const out = Buffer.from(buf);
  for (const [from, to] of pairs) {
    if (Buffer.byteLength(from) !== Buffer.byteLength(to)) throw new Error(`patch lengths differ: ${from} -> ${to}`);
    const f = Buffer.from(from);
    for (let i = out.indexOf(f); i >= 0; i = out.indexOf(f, i + 1)) Buffer.from(to).copy(out, i);
  }
  return out;
}

/** Sets general-purpose flag bits of the named entry in both its local and central headers. */
export function setEntryFlag(buf: Buffer, name: string, bits: number): Buffer {
  const out = Buffer.from(buf);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = out.readUInt32LE(eocd + 16);
  const count = out.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const nameLen = out.readUInt16LE(p + 28);
    const entryName = out.subarray(p + 46, p + 46 + nameLen).toString();
    if (entryName === name) {
      out.writeUInt16LE(out.readUInt16LE(p + 8) | bits, p + 8);
      const local = out.readUInt32LE(p + 42);
      out.writeUInt16LE(out.readUInt16LE(local + 6) | bits, local + 6);
    }
    p += 46 + nameLen + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

export async function hostileBundles(): Promise<Record<string, Buffer>> {
  const healthy = await zipBuffer(windowsBundle());
  const eocd = healthy.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const cdStart = healthy.readUInt32LE(eocd + 16);
  const corruptCd = Buffer.from(healthy);
  // Break the third central-directory record's signature: the listing fails after two entries.
  let p = cdStart;
  for (let i = 0; i < 2; i++) p += 46 + corruptCd.readUInt16LE(p + 28) + corruptCd.readUInt16LE(p + 30) + corruptCd.readUInt16LE(p + 32);
  corruptCd.write('XX', p, 'latin1');

  const slip = patchBytes(await zipBuffer([
    { name: 'zz/zz/zz/evil.log', data: lines(logrus(at(0), 'error', 'planted', { Error: 'AZCM0041: invalid credentials' })) },
    { name: 'ProgramData/AzureConnectedMachineAgent/Log/himds.log', data: himdsLog(WIN_VERSION) },
  ]), [['zz/zz/zz/evil.log', '../../../evil.log']]);

  const backslash = patchBytes(await zipBuffer([
    { name: 'C_/ProgramData/AzureConnectedMachineAgent/Log/himds.log', data: himdsLog('1.36.02538.1064') },
    { name: 'C_/ProgramData/AzureConnectedMachineAgent/Config/localconfig.json', data: json({ ...DEFAULT_LOCALCONFIG, 'incomingconnections.ports': ['22'] }) },
  ]), [
    ['C_/ProgramData/AzureConnectedMachineAgent/Log/himds.log', 'C:\\ProgramData\\AzureConnectedMachineAgent\\Log\\himds.log'],
    ['C_/ProgramData/AzureConnectedMachineAgent/Config/localconfig.json', 'C:\\ProgramData\\AzureConnectedMachineAgent\\Config\\localconfig.json'],
  ]);

  const encrypted = setEntryFlag(await zipBuffer(windowsBundle()), `${W.config}/localconfig.json`, 0x1);

  const symlink = await zipBuffer([
    { name: `${W.log}/himds.log`, data: himdsLog(WIN_VERSION) },
    { name: `${W.log}/azcmagent.log`, data: '../../../../etc/passwd', mode: 0o120777 },
  ]);

  const nested = await zipBuffer([
    { name: `${W.log}/himds.log`, data: himdsLog(WIN_VERSION) },
    { name: 'inner/azcmagent-logs-inner.zip', data: healthy, store: true },
  ]);

  const encodings = await zipBuffer([
    { name: `${W.log}/himds.log`, data: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)) },
    { name: `${W.log}/azcmagent.log`, data: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(azcmagentLog('1.36.02538.1064'), 'utf16le')]) },
    { name: `${W.gc}/ext_mgr_logs/gc_ext.log`, data: Buffer.concat([Buffer.from(gcExtLog()), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0x0a]), Buffer.from(gc(gcAt(9), 'EXTMGR', 'ERROR', 'Extension install failed: AZCM0148: download failed\r\n'))]) },
    { name: `${W.config}/localconfig.json`, data: '' },
    { name: `${W.config}/agentconfig.json`, data: '{"resourceName": "SRV-ENC' },
  ]);

  // 64 MiB of zeros deflate to ~64 KiB: a ratio of about 1000.
  const bomb = await zipBuffer([
    { name: `${W.log}/himds.log`, data: Buffer.alloc(64 * 1024 * 1024) },
    { name: `${W.log}/azcmagent.log`, data: azcmagentLog(WIN_VERSION) },
  ]);

  return {
    'hostile-not-a-zip.zip': Buffer.from('This is a support ticket, not a zip.\r\n'),
    'hostile-empty.zip': Buffer.alloc(0),
    'hostile-truncated.zip': healthy.subarray(0, Math.floor(healthy.length * 0.6)),
    'hostile-corrupt-directory.zip': corruptCd,
    'hostile-zip-slip.zip': slip,
    'hostile-backslash-names.zip': backslash,
    'hostile-encrypted.zip': encrypted,
    'hostile-symlink.zip': symlink,
    'hostile-nested.zip': nested,
    'hostile-encodings.zip': encodings,
    'hostile-bomb.zip': bomb,
  };
}

/** Every scenario and hostile bundle as `name.zip` -> bytes. */
export async function allBundles(): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const [name, s] of Object.entries(SCENARIOS)) out[`${name}.zip`] = await zipBuffer(s.files());
  return { ...out, ...(await hostileBundles()) };
}

export async function writeBundles(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, buf] of Object.entries(await allBundles())) {
    writeFileSync(join(dir, name), buf);
    written.push(name);
  }
  return written;
}

if (require.main === module) {
  const dir = process.argv[2] ?? join(ROOT, 'fixtures', 'bundles');
  writeBundles(dir).then((names) => process.stdout.write(`wrote ${names.length} bundles to ${dir}\n`), (err: Error) => {
    process.stderr.write(`make-bundles: ${err.message}\n`);
    process.exitCode = 1;
  });
}
