/**
 * The live collection: every collector and probe starts at once and ends by one deadline (start + timeout).
 * Work that needs another's answer (the proxy from `azcmagent config list`, the region from `azcmagent show`, the
 * relay hosts from the allowlist, the WAC port from the registry and extension) waits for it at most until 60% of
 * the budget has passed, then goes on without it, so the run's wall time stays within the timeout.
 */
import { hostname as osHostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { combine } from '../../engine/pipeline';
import { DEFAULT_WAC_PORT } from '../../model/ports';
import { PROBES_VERSION, type ProbeRecord, type ProbesDocument } from '../../parsers/wac-doctor-probes';
import { TOOL_NAME, TOOL_VERSION } from '../../model/report';
import type { Collection, CommandArtifact, FileArtifact, SkipReason, Unavailable } from './artifacts';
import { collectAgent, DEFAULT_HIMDS_URL } from './collectors/agent';
import { collectExtension, extensionRoots, type ExtensionResult } from './collectors/extension';
import { appsettingsCandidates, collectAppsettings, collectRegistry } from './collectors/gateway';
import { collectServices, type ServicesResult } from './collectors/services';
import { systeminformationSource, type SystemInfo } from './collectors/system';
import { ENDPOINT_ORDER } from './collector-spec';
import { ExecFileRunner } from './command-runner';
import { Deadline, within } from './deadline';
import { readHostsFile, resolverLabel, systemResolvers } from './dns';
import { customEndpoints, defaultEndpoints, relayHosts, type EndpointTarget } from './endpoints';
import { probeEndpoint, probeLocalHttps, type EndpointResult, type NetworkContext } from './network';
import {
  dnsServerOption, LiveOptionError, parseConnectTo, regionLabel, resolveOverride, validTimeout,
  type CheckOptions, type LiveProgress,
} from './options';
import { chooseProxy, proxyProbeFrom } from './proxy';
import { ingestCollection } from './ingest';

/** Share of the budget after which dependent work stops waiting for what it depends on. */
const DEPENDENCY_SHARE = 0.6;
/** Safety net over the per-socket timers: a task not done by deadline + this is dropped. */
const GRACE_MS = 250;

class Tracker {
  private readonly running = new Set<string>();
  private done = 0;
  private total = 0;

  constructor(private readonly deadline: Deadline, private readonly onProgress?: (p: LiveProgress) => void) {}

  private emit(event: LiveProgress['event'], check: string): void {
    if (!this.onProgress) return;
    try {
      this.onProgress({ event, check, running: [...this.running], done: this.done, total: this.total, elapsedMs: this.deadline.elapsed() });
    } catch {
      // a failing progress printer must not stop the checks
    }
  }

  /** Runs a check, reporting start and end; its result is dropped (fallback) if it outlives the deadline. */
  track<T, F>(check: string, fn: () => Promise<T>, fallback: F): Promise<T | F> {
    this.total++;
    this.running.add(check);
    this.emit('start', check);
    const p = within(Promise.resolve().then(fn), this.deadline.remaining() + GRACE_MS, fallback);
    return p.then((v) => {
      this.running.delete(check);
      this.done++;
      this.emit('end', check);
      return v;
    });
  }
}

const WINDOWS_ONLY_FACTS = [
  'service.servermanagementgateway', 'service.windowsadmincenter', 'service.windowsadmincenteraccountmanagement',
  'registry.*', 'wac.localHttps', 'wac.appsettingsPort', 'extension.adminCenter', 'extension.installed',
];
const AGENT_FACTS = [
  'agent.*', 'config.*', 'machine.*', 'service.himds', 'service.himdsd', 'service.extensionservice', 'service.extd',
  'service.gcarcservice', 'service.gcad', 'service.arcproxy', 'service.arcproxyd', ...WINDOWS_ONLY_FACTS,
];

export async function collect(options: CheckOptions): Promise<Collection> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const runner = options.runner ?? new ExecFileRunner();
  const timeoutMs = validTimeout(options.timeoutMs);
  const overrides = [...(options.resolve ?? []).map(resolveOverride), ...(options.connectTo ?? []).map(parseConnectTo)];
  const dnsServers = options.dnsServers?.map(dnsServerOption);
  if (options.region !== undefined && !regionLabel(options.region)) {
    throw new LiveOptionError(`--region ${options.region}: expected an Azure region name such as westeurope`);
  }
  const custom = options.endpoints ? customEndpoints(options.endpoints, regionLabel(options.region)) : undefined;
  const now = options.now ?? (() => new Date());
  const createdAt = now().toISOString();
  const deadline = new Deadline(timeoutMs);
  const tracker = new Tracker(deadline, options.onProgress);
  const dependencyWait = (): number => Math.max(0, deadline.start + timeoutMs * DEPENDENCY_SHARE - Date.now());
  const notes: string[] = [];
  const skipReasons: SkipReason[] = [];
  const windows = platform === 'win32';

  // --- machine collectors
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the fallback's type sets track's T: without it system would be SystemInfo | {}
  const system = tracker.track('os and memory', () => (options.system ?? systeminformationSource)(), {} as SystemInfo);
  const agent = tracker.track('azcmagent', () => collectAgent(runner, platform, env, deadline, options.himdsUrl ?? DEFAULT_HIMDS_URL), undefined);
  const services = tracker.track('services', () => collectServices(runner, platform, deadline), undefined as ServicesResult | undefined);
  const registry = windows ? tracker.track('registry', () => collectRegistry(runner, deadline), undefined) : Promise.resolve(undefined);
  const roots = options.paths?.extensionRoots ?? extensionRoots(platform, env);
  const extension = roots.length ? tracker.track('extension status', () => collectExtension(roots), undefined as ExtensionResult | undefined) : Promise.resolve(undefined);
  const appsettingsFiles = options.paths?.appsettings ?? (windows ? appsettingsCandidates(env) : []);
  const appsettings = appsettingsFiles.length ? tracker.track('gateway appsettings.json', () => collectAppsettings(appsettingsFiles), undefined) : Promise.resolve(undefined);

  // --- what the network probes depend on
  const agentForDeps = within(agent, dependencyWait(), undefined);
  const proxy = agentForDeps.then((a) => {
    if (!a) notes.push('azcmagent did not answer in time: the proxy was taken from HTTPS_PROXY alone');
    return chooseProxy(a?.proxyUrl, env, a?.proxyBypass ?? []);
  });
  const region = options.region !== undefined
    ? Promise.resolve(regionLabel(options.region))
    : agentForDeps.then((a) => regionLabel(a?.location));
  const resolvers = dnsServers ? { servers: dnsServers, source: '--dns-server' } : await systemResolvers(platform, options.paths?.resolvConf);
  const hosts = await readHostsFile(options.paths?.hostsFile ?? (windows ? `${env.SystemRoot ?? 'C:\\Windows'}\\System32\\drivers\\etc\\hosts` : '/etc/hosts'));
  const ctx: NetworkContext = {
    deadline, resolvers: resolvers.servers, hosts, overrides, proxy, ...(options.caCertificates ? { ca: options.caCertificates } : {}),
    ...(options.suppliedCa ? { supplied: options.suppliedCa } : {}),
  };

  // --- endpoints: region-independent ones now, regional ones and relays when their input arrives.
  // A machine with loopback only (a network-less container) has no path to probe, unless told where to connect.
  const offline = !hasNetwork((options.networkInterfaces ?? networkInterfaces)()) && overrides.length === 0 && !dnsServers;
  if (offline) {
    skipReasons.push({ facts: ['probe.*', 'proxy.probe'], reason: 'this machine has no network interface besides loopback, so no endpoint was probed' });
    notes.push('no network interface besides loopback: endpoints not probed');
  }
  const results: Array<Promise<EndpointResult | undefined>> = [];
  let relayNote: string | undefined;
  const probe = (t: EndpointTarget): Promise<EndpointResult | undefined> => {
    const p = tracker.track(`probe ${t.host}`, () => probeEndpoint(t, ctx), undefined);
    results.push(p);
    if (t.relayAllowlist) {
      results.push(p.then(async (r) => {
        const body = r?.record.http?.status === 200 ? r.record.http.body ?? '' : '';
        const relays = relayHosts(body);
        if (!r || r.record.http?.status !== 200) relayNote = `the relay allowlist (https://${t.host}${t.path ?? ''}) could not be read${r?.record.http?.status ? `: HTTP ${r.record.http.status}` : ''}`;
        else if (relays.length === 0) relayNote = 'the relay allowlist listed no *.servicebus.windows.net host';
        await Promise.all(relays.map((h) => probe({ host: h, port: 443 })));
        return undefined;
      }));
    }
    return p;
  };
  // probe() adds each promise to results, which are awaited below; its return value is for the relay chain only.
  if (offline) {
    // nothing to probe
  } else if (custom) {
    for (const t of custom) void probe(t);
  } else {
    const regionFree = new Set(['wac.azure.com', 'pas.windows.net', 'login.microsoftonline.com', 'management.azure.com', 'gbl.his.arc.azure.com', 'agentserviceapi.guestconfiguration.azure.com']);
    for (const t of defaultEndpoints(undefined)) if (regionFree.has(t.host)) void probe(t);
    results.push(region.then((r) => {
      if (!r) {
        relayNote = 'the relay host names come from the guest notification service allowlist, which needs the machine\'s region (azcmagent show\'s location, or --region)';
        notes.push('region unknown: <region>.service.waconazure.com, <region>-gas.guestconfiguration.azure.com and the relay hosts were not probed');
      }
      for (const t of defaultEndpoints(r)) if (!regionFree.has(t.host)) void probe(t);
      return undefined;
    }));
  }

  // --- https://localhost:<port>, once the port sources are in
  const wantLocal = options.localHttps ?? windows;
  const local = wantLocal
    ? Promise.all([within(registry, dependencyWait(), undefined), within(extension, dependencyWait(), undefined), within(appsettings, dependencyWait(), undefined), agentForDeps])
      .then(([reg, ext, app, a]) => {
        if (a && !a.present && options.localHttps === undefined) return undefined;
        // The port sources collected so far, through the same ingest and combine stages as the report.
        const partial: ProbesDocument = { wacDoctorProbes: PROBES_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, createdAt, host: 'localhost', platform, timeoutMs };
        if (ext?.fact) partial.extension = ext.fact;
        if (app?.port !== undefined) partial.appsettingsPort = { port: app.port, file: app.file ?? 'appsettings.json' };
        const { facts } = ingestCollection({ commands: reg?.commands ?? [], probes: partial, unavailable: [] });
        combine(facts, options);
        const port = facts.get('wac.port')?.port ?? DEFAULT_WAC_PORT;
        return tracker.track(`https://localhost:${port}`, () => probeLocalHttps(port, ctx), undefined);
      })
    : Promise.resolve(undefined);

  // Relay probes add to `results` while earlier ones run: wait until the list stops growing.
  let settled = 0;
  while (settled < results.length) {
    const batch = results.slice(settled);
    settled = results.length;
    await Promise.all(batch);
  }
  const [sys, agentResult, svc, reg, ext, app, localHttps] = await Promise.all([system, agent, services, registry, extension, appsettings, local]);
  const endpointResults = (await Promise.all(results)).filter((r): r is EndpointResult => r !== undefined);
  const proxyChoice = await proxy;
  deadline.dispose();

  // --- assemble
  const commands: CommandArtifact[] = [];
  const files: FileArtifact[] = [];
  const unavailable: Unavailable[] = [];
  const hostname = options.hostname ?? sys.hostname ?? osHostname();
  const doc: ProbesDocument = {
    wacDoctorProbes: PROBES_VERSION, tool: { name: TOOL_NAME, version: TOOL_VERSION }, createdAt, host: hostname, platform, timeoutMs,
  };
  if (sys.os) doc.os = sys.os;
  else unavailable.push({ source: 'os and memory', message: 'os and memory: systeminformation gave no answer' });
  if (sys.memoryTotalBytes) doc.memoryTotalBytes = sys.memoryTotalBytes;
  doc.env = { httpsProxy: env.HTTPS_PROXY ?? env.https_proxy ?? '' };

  const agentPresent = agentResult === undefined || agentResult.present;
  if (agentResult) {
    commands.push(...agentResult.commands);
    unavailable.push(...agentResult.unavailable);
    if (agentResult.agentStatus) doc.agentStatus = agentResult.agentStatus;
  } else {
    unavailable.push({ source: 'azcmagent', message: 'azcmagent: no answer before the timeout' });
  }
  if (!agentPresent) {
    skipReasons.push({ facts: AGENT_FACTS, reason: 'the Connected Machine agent is not installed here (no azcmagent, and nothing answers on the HIMDS port), so the agent and WAC gateway were not examined' });
  } else {
    // Services, registry, extension and gateway only make sense with the agent: without it they would all read "not installed".
    if (svc) {
      commands.push(...svc.commands);
      unavailable.push(...svc.unavailable);
      if (svc.systemd?.length) doc.services = svc.systemd;
    }
    if (reg) {
      commands.push(...reg.commands);
      unavailable.push(...reg.unavailable);
    }
    if (ext?.fact) {
      doc.extension = { ...ext.fact, ...(ext.source ? { source: ext.source } : {}) };
      files.push(...ext.files);
      if (ext.error) unavailable.push({ source: 'extension status', message: ext.error });
    }
    if (app?.port !== undefined) doc.appsettingsPort = { port: app.port, file: app.file!, ...(app.excerpt ? { excerpt: app.excerpt } : {}) };
    else if (app?.error) unavailable.push({ source: 'appsettings.json', message: app.error });
    if (localHttps) doc.localHttps = localHttps;
  }
  if (!windows) {
    skipReasons.push({ facts: WINDOWS_ONLY_FACTS, reason: `this machine runs ${platform}, not Windows: the WAC gateway and the AdminCenter extension exist only on Windows` });
  }

  doc.endpoints = endpointResults.map((r) => r.record).sort(endpointOrder);
  if (proxyChoice) {
    const fact = proxyProbeFrom(proxyChoice, endpointResults.flatMap((r) => (r.tunnel ? [r.tunnel] : [])));
    if (fact) doc.proxy = { ...fact, source: proxyChoice.source };
    if (proxyChoice.hasCredentials) notes.push(`the proxy URL (${proxyChoice.source}) carries credentials; they were not sent (authenticated proxies are not supported by the WAC extension)`);
  }
  if (relayNote && !doc.endpoints.some((e) => e.host.endsWith('.servicebus.windows.net'))) {
    skipReasons.push({ facts: ['probe.*.servicebus.windows.net'], reason: relayNote });
  }
  notes.unshift(`DNS: ${resolvers.servers.map(resolverLabel).join(', ') || 'no resolver'} (${resolvers.source}); timeout ${timeoutMs} ms`);
  if (overrides.length) notes.push(`connections redirected by ${overrides.map((o) => o.text).join(', ')}`);
  doc.notes = [...notes, ...unavailable.map((u) => u.message)];

  return { commands, files, probes: doc, unavailable, skipReasons, notes, durationMs: deadline.elapsed() };
}

function hasNetwork(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): boolean {
  return Object.values(interfaces).some((list) => (list ?? []).some((i) => !i.internal));
}

/** Fixed order for stable output: as probed in the default list, then the rest by name. */
const ORDER = ENDPOINT_ORDER;
function endpointOrder(a: ProbeRecord, b: ProbeRecord): number {
  const rank = (h: string): number => {
    const i = ORDER.findIndex((s) => h === s || h.endsWith(`.${s}`));
    return i < 0 ? ORDER.length : i;
  };
  return rank(a.host) - rank(b.host) || a.host.localeCompare(b.host);
}
