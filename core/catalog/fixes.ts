/**
 * The fix catalog: every command WAC Doctor ever suggests is built here, as argument arrays (core/text/shell) from
 * validated values (core/catalog/fix-values). Nothing from logs or tickets is pasted into a command: a value that fails
 * validation becomes a <placeholder> for the user to fill in, and every value that passes is still quoted for the
 * command's shell.
 *
 * Shells: `powershell` for the Windows machine, `bash` for a Linux machine, `azcli` for az commands. The az commands
 * are PowerShell command lines (Windows PowerShell 5.1 or pwsh), quoted as such: the admin of a Windows target runs
 * them from PowerShell or Cloud Shell, and the extension runs them in PowerShell. Validated values hold no space, no
 * double quote and none of cmd.exe's & | < > ^ % !, so 5.1's native-argument passing and az.cmd's trip through
 * cmd.exe hand them to az unchanged. (A resource group with `(`/`)`, which ARM allows, is quoted for PowerShell, but
 * az.cmd runs `%*` inside an IF (...) block, where cmd.exe may take an unquoted `)` as the block's end: from Windows
 * PowerShell such a name can fail to parse; it never runs anything.)
 */
import type { Fix, FixCommand, Shell } from '../model/types';
import * as valid from './fix-values';
import { placeholder, render, value, raw, type Word } from '../text/shell';
import { DEFAULT_WAC_PORT } from '../model/ports';

const SERVICES = ['himds', 'GCArcService', 'ExtensionService', 'arcproxy', 'ServerManagementGateway', 'WindowsAdminCenter',
  'WindowsAdminCenterAccountManagement', 'himdsd', 'gcad', 'extd', 'arcproxyd', 'WinRM'] as const;
export type KnownService = (typeof SERVICES)[number];

const LINUX_SERVICES: readonly string[] = ['himdsd', 'gcad', 'extd', 'arcproxyd'];

const PROVIDERS = ['Microsoft.HybridConnectivity', 'Microsoft.HybridCompute', 'Microsoft.GuestConfiguration'] as const;
export type KnownProvider = (typeof PROVIDERS)[number];

export const WAC_EXTENSION = 'Microsoft.AdminCenter/AdminCenter';
export const WAC_ROLE = 'Windows Admin Center Administrator Login';

/** A validated value, or the placeholder when validation refused it (or nothing was known). */
const v = (checked: string | undefined, name: string): Word => (checked === undefined ? placeholder(name) : value(checked));

function cmd(shell: Shell, ...statements: Word[][]): FixCommand {
  return render({ shell, statements, join: shell === 'bash' ? '&&' : ';' });
}
const ps = (...words: Word[]): FixCommand => cmd('powershell', words);
const sh = (...words: Word[]): FixCommand => cmd('bash', words);
const az = (...words: Word[]): FixCommand => cmd('azcli', ['az', ...words]);

/** Marks a command that deletes or disconnects something: every format labels it DESTRUCTIVE. */
function destructive(c: FixCommand): FixCommand {
  c.destructive = true;
  return c;
}

export type Platform = 'windows' | 'linux';
/** Anything but `linux` is Windows (a hostile or unknown platform never picks the shell). */
const isLinux = (platform: unknown): boolean => platform === 'linux';

/** azcmagent on the target: PowerShell on Windows, `sudo azcmagent` in bash on Linux. */
const agentCmd = (platform: Platform, ...words: Word[]): FixCommand => (isLinux(platform) ? sh('sudo', 'azcmagent', ...words) : ps('azcmagent', ...words));

/** Reach a host on 443 from the target: Test-NetConnection on Windows, curl on Linux (its -v shows DNS, TCP, TLS and HTTP). */
const reachCmd = (platform: Platform, h: Word): FixCommand =>
  (isLinux(platform) ? sh('curl', '-sS', '-v', '-o', '/dev/null', url(h)) : ps('Test-NetConnection', '-ComputerName', h, '-Port', '443'));

/** The machine's coordinates for az: name, group and subscription, each validated or a placeholder. */
function machineArgs(resourceId: string | undefined): Word[] {
  const id = valid.machineId(resourceId);
  return [
    '--machine-name', v(id?.machine, '<machine-name>'),
    '--resource-group', v(id?.resourceGroup, '<resource-group>'),
    ...(id ? ['--subscription', value(id.subscription)] : []),
  ];
}

/** The WAC port: the given one if valid, the default when none was given, else a placeholder (never a guess). */
function wacPort(p: number | undefined): string {
  if (p === undefined) return String(DEFAULT_WAC_PORT);
  return String(valid.port(p) ?? '<port>');
}

/**
 * Extension settings in the Azure CLI's shorthand syntax (`port=6516`, `proxy={mode:...,address:'...'}`), not JSON:
 * Windows PowerShell 5.1 passes `'{"port":"6516"}'` to a native command without escaping the inner double quotes,
 * so az receives `{port:6516}` (or, through az.cmd, worse). Shorthand needs no double quote, so 5.1, pwsh and bash
 * all hand az the same text. (Values stay strings, as the JSON form had them.)
 */
function settingsArgs(port: string, proxy?: string): Word[] {
  return ['--settings', value(`port=${port}`), ...(proxy !== undefined ? [value(`proxy={mode:application,address:'${proxy}'}`)] : [])];
}

/** Catalog hosts (and allowlist families) named in advice, and how many others were left out. */
function adviceHosts(hosts: readonly string[]): { named: string[]; others: number } {
  const named: string[] = [];
  let others = 0;
  for (const h of hosts) {
    const c = valid.catalogHostOrFamily(h);
    if (c === undefined) others++;
    else if (!named.includes(c)) named.push(c);
  }
  return { named, others };
}

/** One command per catalog host (wildcards skipped); hosts outside the catalog become a single <host> command. */
function perHost(hosts: readonly string[], make: (host: Word) => FixCommand): FixCommand[] {
  const known: string[] = [];
  let outside = false;
  for (const h of hosts) {
    if (valid.catalogHostOrFamily(h)?.startsWith('*')) continue;
    const c = valid.catalogHost(h);
    if (c === undefined) outside = true;
    else if (!known.includes(c)) known.push(c);
  }
  return [...known.map((h) => make(value(h))), ...(outside ? [make(placeholder('<host>'))] : [])];
}

const othersNote = (n: number): string => (n === 0 ? '' : ` (${n} other host${n === 1 ? '' : 's'} seen in the input ${n === 1 ? 'is' : 'are'} not in WAC Doctor's endpoint catalog and ${n === 1 ? 'is' : 'are'} left out: check ${n === 1 ? 'it' : 'them'} yourself.)`);

export const fixes = {
  setIncomingPorts(ports: number[]): Fix {
    const ok = [...new Set(ports.map(valid.port).filter((p): p is number => p !== undefined))].sort((a, b) => a - b);
    const bad = ok.length === 0 || ports.some((p) => valid.port(p) === undefined);
    const list = [...ok, ...(bad ? ['<port>'] : [])].join(',');
    return {
      summary: `Allow the port(s) ${list} for reverse-proxy connections (keep ports other experiences such as SSH use).`,
      // Quoted: a bare 22,6516 is an array in PowerShell, handed to the program as two arguments.
      commands: [ps('azcmagent', 'config', 'set', 'incomingconnections.ports', value(list))],
    };
  },
  enableIncomingConnections(): Fix {
    return {
      summary: 'Turn incoming connections back on; WAC and SSH both need them.',
      commands: [ps('azcmagent', 'config', 'set', 'incomingconnections.enabled', 'true')],
    };
  },
  startService(name: KnownService, restart = false): Fix {
    const known = SERVICES.includes(name) ? name : undefined;
    const verb = restart ? 'Restart' : 'Start';
    const shown = known ?? 'agent';
    return known && LINUX_SERVICES.includes(known)
      ? { summary: `${verb} the ${shown} service.`, commands: [sh('sudo', 'systemctl', restart ? 'restart' : 'start', value(known))] }
      : { summary: `${verb} the ${shown} service.`, commands: [ps(`${verb}-Service`, '-Name', v(known, '<service-name>'))] };
  },
  registerProvider(namespace: KnownProvider): Fix {
    const ns = PROVIDERS.includes(namespace) ? namespace : undefined;
    const word = v(ns, '<provider-namespace>');
    return {
      summary: `Register the ${ns ?? 'needed'} resource provider on the subscription (needs */register/action).`,
      commands: [az('provider', 'register', '--namespace', word), az('provider', 'show', '--namespace', word, '--query', 'registrationState', '-o', 'tsv')],
    };
  },
  upgradeAgent(platform: 'windows' | 'linux' = 'windows'): Fix {
    return platform === 'linux'
      ? {
        summary: 'Upgrade the Connected Machine agent to the latest release (1.37 or later for WAC).',
        commands: [
          cmd('bash', ['sudo', 'apt-get', 'update'], ['sudo', 'apt-get', 'install', '--only-upgrade', '-y', 'azcmagent']),
          sh('sudo', 'dnf', 'upgrade', '-y', 'azcmagent'),
        ],
      }
      : {
        summary: 'Upgrade the Connected Machine agent to the latest release (1.37 or later for WAC).',
        commands: [
          ps('Invoke-WebRequest', '-Uri', 'https://aka.ms/AzureConnectedMachineAgent', '-OutFile', 'AzureConnectedMachineAgent.msi'),
          ps('msiexec.exe', '/i', 'AzureConnectedMachineAgent.msi', '/qn', '/l*v', 'installationlog.txt'),
        ],
      };
  },
  reconnectAgent(resourceId?: string, region?: string, platform: Platform = 'windows'): Fix {
    const id = valid.machineId(resourceId);
    const linux = isLinux(platform);
    const connect: Word[] = [
      'azcmagent', 'connect', '--resource-group', v(id?.resourceGroup, '<resource-group>'), '--location', v(valid.region(region), '<region>'),
      '--subscription-id', v(id?.subscription, '<subscription-id>'),
    ];
    return {
      summary: 'Check the agent services and network, then reconnect the agent if it stays disconnected or expired (disconnect deletes the machine\'s Azure resource, with its extensions and role assignments).',
      commands: [
        linux ? sh('sudo', 'systemctl', 'restart', 'himdsd') : ps('Restart-Service', '-Name', value('himds')),
        agentCmd(platform, 'check'),
        // disconnect deletes the machine's Azure resource (its extensions, tags and role assignments go with it).
        destructive(linux ? cmd('bash', ['sudo', 'azcmagent', 'disconnect'], ['sudo', ...connect]) : cmd('powershell', ['azcmagent', 'disconnect'], connect)),
      ],
    };
  },
  allowWacExtension(): Fix {
    return {
      summary: `Add ${WAC_EXTENSION} to the extension allowlist.`,
      commands: [ps('azcmagent', 'config', 'set', 'extensions.allowlist', WAC_EXTENSION, '--add')],
    };
  },
  unblockWacExtension(): Fix {
    return {
      summary: `Remove ${WAC_EXTENSION} from the extension blocklist.`,
      commands: [ps('azcmagent', 'config', 'set', 'extensions.blocklist', WAC_EXTENSION, '--remove')],
    };
  },
  enableExtensions(): Fix {
    return { summary: 'Allow extensions on this machine.', commands: [ps('azcmagent', 'config', 'set', 'extensions.enabled', 'true')] };
  },
  fullConfigMode(): Fix {
    return { summary: 'Switch the agent to full mode; monitor mode does not allow the AdminCenter extension.', commands: [ps('azcmagent', 'config', 'set', 'config.mode', 'full')] };
  },
  reinstallExtension(resourceId?: string, port?: number, region?: string): Fix {
    return {
      summary: `Remove the AdminCenter extension and install it again (portal: Extensions > AdminCenter > Uninstall, then Windows Admin Center > Install). From the command line, also point the HybridConnectivity endpoint's WAC service configuration at port ${wacPort(port)}, as the portal install does.`,
      commands: [deleteExtension(resourceId), createExtension(resourceId, port, region), ...fixes.setWacServiceConfiguration(resourceId, port).commands],
    };
  },
  /**
   * Change the WAC port in place, without uninstalling: set the extension's `port` setting (the extension applies it to
   * the gateway), then the HybridConnectivity WAC service configuration the portal connects through.
   */
  updateExtensionPort(resourceId?: string, port?: number): Fix {
    return {
      summary: `Set the AdminCenter extension's port to ${wacPort(port)} in place (no uninstall; the extension reconfigures the gateway), and point the HybridConnectivity WAC service configuration at it.`,
      commands: [
        az('connectedmachine', 'extension', 'update', '--name', 'AdminCenter', ...machineArgs(resourceId), ...settingsArgs(wacPort(port))),
        ...fixes.setWacServiceConfiguration(resourceId, port).commands,
      ],
    };
  },
  /** AdminCenter extension proxy settings (extension 0.0.0.322+); the URL is reduced to scheme://host:port, so credentials never appear. */
  setExtensionProxy(resourceId?: string, port?: number, proxy?: string): Fix {
    return {
      summary: 'Give the AdminCenter extension its own proxy settings: extensions do not inherit the agent proxy (needs extension 0.0.0.322 or later; unauthenticated proxies only).',
      commands: [
        az('connectedmachine', 'extension', 'update', '--name', 'AdminCenter', ...machineArgs(resourceId),
          ...settingsArgs(wacPort(port), valid.proxyUrl(proxy) ?? '<http://proxy-host:port>')),
      ],
    };
  },
  /** WAC doc troubleshooting: end the gateway process, start the service, retry https://localhost:<port>. */
  restartWacGateway(service: 'ServerManagementGateway' | 'WindowsAdminCenter' = 'ServerManagementGateway'): Fix {
    const known = service === 'ServerManagementGateway' || service === 'WindowsAdminCenter' ? service : undefined;
    const proc = known === 'WindowsAdminCenter' ? 'WindowsAdminCenter' : known === 'ServerManagementGateway' ? 'sme' : undefined;
    return {
      summary: `End the gateway process (${proc ?? 'the gateway'}.exe), start ${known ?? 'the gateway service'} again and retry https://localhost:<port>.`,
      commands: [ps('Stop-Process', '-Name', v(proc, '<process-name>'), '-Force'), ps('Start-Service', '-Name', v(known, '<service-name>'))],
    };
  },
  /**
   * The WAC installer's inbound firewall rule: enable it when it exists, else create it for the gateway's port.
   * `SmeInboundOpenException` for the legacy gateway (ServerManagementGateway), `WacInboundOpenException` for the modern one.
   */
  allowWacInbound(gateway: 'ServerManagementGateway' | 'WindowsAdminCenter', port: number | undefined, exists: boolean): Fix {
    const name = gateway === 'WindowsAdminCenter' ? 'WacInboundOpenException' : gateway === 'ServerManagementGateway' ? 'SmeInboundOpenException' : undefined;
    const rule = v(name, '<rule-name>');
    if (exists) {
      return { summary: `Enable the inbound firewall rule ${name ?? 'the WAC installer created'} (it lets the gateway port in).`, commands: [ps('Enable-NetFirewallRule', '-Name', rule)] };
    }
    return {
      summary: `Create the inbound firewall rule the WAC installer makes (${name ?? 'SmeInboundOpenException / WacInboundOpenException'}) for the gateway port, TCP ${wacPort(port)}.`,
      commands: [ps('New-NetFirewallRule', '-Name', rule, '-DisplayName', rule, '-Direction', 'Inbound', '-Protocol', 'TCP', '-LocalPort', v(wacPort(port) === '<port>' ? undefined : wacPort(port), '<port>'), '-Action', 'Allow')],
    };
  },
  /** A disabled Windows service: set it to start automatically, then start it. */
  enableService(name: KnownService): Fix {
    const known = SERVICES.includes(name) && !LINUX_SERVICES.includes(name) ? name : undefined;
    const word = v(known, '<service-name>');
    return {
      summary: `Set the ${known ?? 'needed'} service to start automatically and start it.`,
      commands: [ps('Set-Service', '-Name', word, '-StartupType', 'Automatic'), ps('Start-Service', '-Name', word)],
    };
  },
  excludeFromTlsInspection(hosts: string[], platform: Platform = 'windows'): Fix {
    const { named, others } = adviceHosts(hosts);
    return {
      summary: `Exclude ${named.length ? named.join(', ') : 'the Arc and WAC endpoints'} from TLS inspection (HTTPS decryption) on the proxy or firewall: Arc and WAC need the Microsoft certificates end to end.${othersNote(others)}`,
      commands: perHost(hosts, (h) => (isLinux(platform) ? reachCmd(platform, h) : ps('Invoke-WebRequest', '-UseBasicParsing', '-Method', 'GET', '-Uri', url(h)))),
    };
  },
  /**
   * WebSockets to the relay dropped by a TLS-terminating proxy or firewall: exempt the relay from inspection (or bypass
   * the proxy for it) so the Upgrade reaches it; then curl's upgrade request gets the relay's own answer.
   */
  allowWebSockets(hosts: string[]): Fix {
    const { others } = adviceHosts(hosts);
    const upgradeUrl = (h: Word): Word => (typeof h === 'object' && 'value' in h ? value(`https://${h.value}/$hc/`) : placeholder('<relay-upgrade-url>'));
    return {
      summary: `Let WebSockets to *.servicebus.windows.net through: on the proxy or firewall, exempt *.servicebus.windows.net from TLS inspection (or bypass the proxy for it) and allow the HTTP Upgrade to WebSocket. WAC's Remote Desktop, Events and PowerShell tools need it. Afterwards the upgrade below gets the relay's own answer (HTTP 101, or the relay's refusal since no token is sent), not the proxy's 403 or block page.${othersNote(others)}`,
      // The key header without a space after the colon (valid HTTP): `Key: <base64>` would read as a secret to redaction.
      commands: perHost(hosts, (h) => ps('curl.exe', '-sS', '-i', '--http1.1', '-H', value('Connection: Upgrade'), '-H', value('Upgrade: websocket'),
        '-H', value('Sec-WebSocket-Version: 13'), '-H', value('Sec-WebSocket-Key:d2FjLWRvY3Rvci1wcm9iZQ=='), upgradeUrl(h))),
    };
  },
  /** Arc endpoints answering with private addresses on a machine without Private Link. */
  fixPrivateDns(hosts: string[], platform: Platform = 'windows'): Fix {
    const { others } = adviceHosts(hosts);
    const linux = isLinux(platform);
    return {
      summary: `The machine is not in a Private Link Scope, yet Arc endpoints resolve to private addresses: remove the privatelink DNS zones, conditional forwarders or hosts-file entries that answer for it, then clear the DNS cache (WAC and SSH need the public endpoints; they are not supported over private link).${othersNote(others)}`,
      commands: linux
        ? [...perHost(hosts, (h) => sh('getent', 'hosts', h)), sh('sudo', 'resolvectl', 'flush-caches')]
        : [...perHost(hosts, (h) => ps('Resolve-DnsName', '-Name', h)), ps('Clear-DnsClientCache')],
    };
  },
  assignWacRole(resourceId?: string): Fix {
    return {
      summary: `Assign "${WAC_ROLE}" (with Reader) on the machine to the users who connect (on the machine, its resource group or subscription: whether a management-group assignment works is disputed).`,
      commands: [az('role', 'assignment', 'create', '--assignee', placeholder('<user-or-group>'), '--role', value(WAC_ROLE), '--scope', v(valid.machineId(resourceId)?.id, '<machine-resource-id>'))],
    };
  },
  setAgentProxy(proxy?: string, platform: Platform = 'windows'): Fix {
    return {
      summary: 'Point the agent at an unauthenticated proxy (authenticated proxies are not supported).',
      commands: [agentCmd(platform, 'config', 'set', 'proxy.url', v(valid.proxyUrl(proxy), '<http://proxy-host:port>'))],
    };
  },
  openOutbound(hosts: string[], platform: Platform = 'windows'): Fix {
    const { named, others } = adviceHosts(hosts);
    const wac = named.some((h) => /wac\.azure\.com$|waconazure\.com$/.test(h));
    return {
      summary: `Allow outbound HTTPS (TCP 443) to ${named.length ? named.join(', ') : 'the Arc and WAC endpoints'}${wac ? ' (or the WindowsAdminCenter service tag)' : ''} on the firewall, without TLS inspection.${othersNote(others)}`,
      commands: [
        // The WAC home-page probe only where WAC's own endpoints are among the hosts (WAC targets are Windows).
        ...(wac && !isLinux(platform) ? [ps('Invoke-RestMethod', '-Method', 'GET', '-Uri', value('https://wac.azure.com'))] : []),
        ...perHost(hosts, (h) => reachCmd(platform, h)),
      ],
    };
  },
  /** Refused or no route: nothing listens where the connection went (a rejecting firewall, a missing proxy, a wrong route). */
  checkRefusedConnection(hosts: string[], platform: Platform = 'windows'): Fix {
    const { named, others } = adviceHosts(hosts);
    const linux = isLinux(platform);
    return {
      summary: `The connection to ${named.length ? named.join(', ') : 'the endpoints'} was refused or had no route: something in the path rejects it. Check whether the network only lets HTTPS out through a proxy (then set it for the agent), whether a firewall rejects TCP 443 to these hosts (allow them), and, when the name resolves to a local or private address, what listens there.${othersNote(others)}`,
      commands: [
        ...perHost(hosts, (h) => reachCmd(platform, h)),
        agentCmd(platform, 'config', 'get', 'proxy.url'),
        ...(linux ? [] : [ps('netsh', 'winhttp', 'show', 'proxy')]),
      ],
    };
  },
  installExtension(resourceId?: string, port?: number, region?: string): Fix {
    return {
      summary: `Install the AdminCenter extension (portal: Windows management > Windows Admin Center > Install, or the commands below: the extension, then the HybridConnectivity endpoint and its WAC service configuration on port ${wacPort(port)}, as the portal install creates them).`,
      commands: [createExtension(resourceId, port, region), ...fixes.setWacServiceConfiguration(resourceId, port).commands],
    };
  },
  /** Documented cleanup for an extension stuck in Deleting (HandlerManifest.json missing): delete, remove the plugin folder, reinstall. */
  clearStuckExtension(resourceId?: string, port?: number, region?: string): Fix {
    return {
      summary: 'Clear the stuck AdminCenter extension: delete it in Azure, remove its plugin folder on the machine, then install it again.',
      commands: [
        deleteExtension(resourceId),
        destructive(ps('Remove-Item', '-Recurse', '-Force', raw('"$env:SystemDrive\\Packages\\Plugins\\Microsoft.AdminCenter.AdminCenter"'))),
        createExtension(resourceId, port, region),
      ],
    };
  },
  /**
   * DNS failures: resolve each catalog host with the machine's resolver (and with the DNS server the input names, when
   * it names one: a validated IP address), then fix the forwarder (or, last, the hosts file).
   */
  fixDnsResolution(hosts: string[], platform: Platform = 'windows', dnsServer?: string): Fix {
    const { named, others } = adviceHosts(hosts);
    const server = valid.ipAddress(dnsServer);
    const linux = isLinux(platform);
    const hostsFile = linux ? '/etc/hosts' : '%SystemRoot%\\System32\\drivers\\etc\\hosts';
    return {
      summary: `Make ${named.length ? named.join(', ') : 'the Arc endpoints'} resolve on the machine: the DNS server it uses${server ? ` (${server})` : ''} must resolve these public names (a conditional forwarder for their zones to a resolver that can, or fix the corporate resolver's forwarding); add entries to ${hostsFile} only as a last resort, since the addresses change.${othersNote(others)}`,
      commands: perHost(hosts, (h) => (linux
        ? (server ? cmd('bash', ['getent', 'hosts', h], ['nslookup', h, value(server)]) : sh('getent', 'hosts', h))
        : ps('Resolve-DnsName', '-Name', h, '-Type', 'A', ...(server ? ['-Server', value(server)] : [])))),
    };
  },
  /** `azcmagent upgrade` (agent 1.62 and later; https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-upgrade, checked 2026-12). */
  upgradeAgentInPlace(platform: 'windows' | 'linux' = 'windows'): Fix {
    return {
      summary: 'Upgrade the Connected Machine agent in place to the latest release with azcmagent upgrade (agent 1.62 and later).',
      commands: [platform === 'linux' ? sh('sudo', 'azcmagent', 'upgrade') : ps('azcmagent', 'upgrade')],
    };
  },
  /**
   * Today's WAC endpoints: `*.waconazure.com`, probed as `<region>.service.waconazure.com`, or the service tags
   * WindowsAdminCenter and (since April 2026) AzureFrontDoor.Frontend (arc-wac-facts "Updates checked 2026-12";
   * https://learn.microsoft.com/azure/azure-arc/servers/network-requirements). The region is validated; without one it is a placeholder.
   */
  openWacOutbound(region: string | undefined, hosts: string[], platform: Platform = 'windows'): Fix {
    const r = valid.region(region);
    const { named, others } = adviceHosts(hosts);
    return {
      summary: `Allow outbound HTTPS (TCP 443) to ${named.length ? named.join(', ') : '*.waconazure.com'} (or the WindowsAdminCenter and AzureFrontDoor.Frontend service tags), without TLS inspection.${othersNote(others)}`,
      commands: [
        ...(isLinux(platform) ? [] : [ps('Invoke-RestMethod', '-Method', 'GET', '-Uri', r ? value(`https://${r}.service.waconazure.com`) : placeholder('<https://region.service.waconazure.com>'))]),
        ...perHost(hosts, (h) => reachCmd(platform, h)),
      ],
    };
  },
  /**
   * The Azure side of the reverse proxy (WAC doc automation script; HybridConnectivity REST api-version 2023-03-15):
   * PUT the default endpoint, then the WAC service configuration with the port as an integer. `az rest --body` takes
   * JSON (no shorthand), and Windows PowerShell 5.1 strips the double quotes inside a native command's argument, so
   * each body is written to a file by a cmdlet (which keeps them) and passed as `--body @file`.
   */
  setWacServiceConfiguration(resourceId: string | undefined, port: number | undefined): Fix {
    const id = valid.machineId(resourceId)?.id;
    const p = wacPort(port);
    const base = id ? `https://management.azure.com${id}/providers/Microsoft.HybridConnectivity/endpoints/default` : undefined;
    const uri = (suffix: string): Word => (base ? value(`${base}${suffix}?api-version=${HYBRID_CONNECTIVITY_API}`) : placeholder('<endpoint-uri>'));
    const body = (file: string, json: string): FixCommand => ps('Set-Content', '-Path', value(file), '-Value', value(json), '-Encoding', 'ascii');
    return {
      summary: `Create the machine's default HybridConnectivity endpoint and point its WAC service configuration at port ${p} (a reinstall on a new port otherwise leaves the portal using the old one).`,
      commands: [
        body('wac-endpoint.json', '{"properties":{"type":"default"}}'),
        az('rest', '--method', 'put', '--uri', uri(''), '--body', value('@wac-endpoint.json')),
        body('wac-serviceconfig.json', `{"properties":{"serviceName":"WAC","port":${p}}}`),
        az('rest', '--method', 'put', '--uri', uri('/serviceconfigurations/WAC'), '--body', value('@wac-serviceconfig.json')),
      ],
    };
  },
  /** A demand-start Windows service that was disabled: back to Manual (it starts when needed). */
  demandStartService(name: KnownService): Fix {
    const known = SERVICES.includes(name) && !LINUX_SERVICES.includes(name) ? name : undefined;
    return {
      summary: `Set the ${known ?? 'needed'} service back to start on demand (Manual); it starts when needed.`,
      commands: [ps('Set-Service', '-Name', v(known, '<service-name>'), '-StartupType', 'Manual')],
    };
  },
  /**
   * Enable the GCM cipher suites Windows agents 1.56-1.63 need one of (troubleshoot-networking, 2026-01-14). Only names of
   * AGENT_CIPHER_SUITES are ever written; any other becomes a placeholder. Group policy overrides local cipher-suite settings.
   */
  enableTlsCipherSuites(names: string[]): Fix {
    const known = [...new Set(names)].filter((n): n is (typeof AGENT_CIPHER_SUITES)[number] => (AGENT_CIPHER_SUITES as readonly string[]).includes(n));
    const words: Word[] = known.length === names.length && known.length > 0 ? known.map((n) => value(n)) : [...known.map((n) => value(n)), placeholder('<cipher-suite>')];
    return {
      summary: `Enable ${known.length ? known.join(', ') : 'one of the GCM cipher suites the agent needs'} (no reboot needed), or upgrade the agent to 1.64 or later, which no longer enforces them (azcmagent upgrade from 1.62). On a domain-joined machine, group policy (SSL Cipher Suite Order) overrides local settings: change the GPO instead.`,
      commands: [...words.map((w) => ps('Enable-TlsCipherSuite', '-Name', w)), ps('Get-TlsCipherSuite')],
    };
  },
  /**
   * Software Assurance attestation for Windows Server Management enabled by Azure Arc: PUT the machine's default license
   * profile with softwareAssurance.softwareAssuranceCustomer true (windows-server-management-overview, attestation script;
   * HybridCompute REST 2024-07-10 LicenseProfile_CreateOrUpdate). Id and region are validated, else placeholders; the
   * JSON body goes through a file, as in setWacServiceConfiguration.
   */
  attestSoftwareAssurance(resourceId: string | undefined, region: string | undefined): Fix {
    const id = valid.machineId(resourceId)?.id;
    const r = valid.region(region) ?? '<region>';
    return {
      summary: 'If the machine\'s Windows Server license has active Software Assurance (or is a subscription license), attest it (agent 1.47 or later; portal: Azure Arc > Licensing > Windows Server Azure benefits and licenses > Activate benefits); otherwise enroll the machine in Windows Server pay-as-you-go, which needs dls.microsoft.com reachable.',
      commands: [
        ps('Set-Content', '-Path', value('wac-license.json'), '-Value', value(`{"location":"${r}","properties":{"softwareAssurance":{"softwareAssuranceCustomer":true}}}`), '-Encoding', 'ascii'),
        az('rest', '--method', 'put', '--uri', id ? value(`https://management.azure.com${id}/licenseProfiles/default?api-version=${LICENSE_PROFILE_API}`) : placeholder('<license-profile-uri>'), '--body', value('@wac-license.json')),
      ],
    };
  },
  /**
   * Revocation checks failing: Schannel fetches CRLs and OCSP answers over plain HTTP from the CAs' endpoints, through
   * the WinHTTP proxy when one is set (an explicit proxy that refuses them, or a firewall without port 80, fails every
   * handshake that checks revocation). The endpoints are the ones ArcEndpointCheck validates (Jumpstart, PKI bypass).
   */
  allowRevocationChecks(platform: Platform = 'windows'): Fix {
    const hosts = 'crl.microsoft.com, crl2.microsoft.com, oneocsp.microsoft.com, ocsp.digicert.com, crl3.digicert.com, crl4.digicert.com, www.microsoft.com (pkiops), caissuers.microsoft.com and ctldl.windowsupdate.com';
    if (isLinux(platform)) {
      return {
        summary: `Let the machine reach the certificate revocation endpoints over HTTP (port 80): ${hosts}; allow them on the firewall and the proxy.`,
        commands: [sh('curl', '-sS', '-v', '-o', '/dev/null', 'http://oneocsp.microsoft.com'), sh('curl', '-sS', '-v', '-o', '/dev/null', 'http://crl.microsoft.com')],
      };
    }
    return {
      summary: `Let Windows check certificate revocation: Schannel fetches CRLs and OCSP answers over HTTP (port 80) from ${hosts}, through the WinHTTP proxy when one is set. Allow them on the firewall, and either let them through that proxy or add them to its bypass list (netsh winhttp set proxy ... bypass-list=...).`,
      commands: [ps('netsh', 'winhttp', 'show', 'proxy'), ps('Test-NetConnection', '-ComputerName', 'oneocsp.microsoft.com', '-Port', '80'), ps('Test-NetConnection', '-ComputerName', 'crl.microsoft.com', '-Port', '80')],
    };
  },
  /** Proxy bypass is not supported with the Azure Arc gateway (arc-gateway, Current limitations): clear it. */
  clearProxyBypass(platform: Platform = 'windows'): Fix {
    return {
      summary: 'Clear proxy.bypass: with the Azure Arc gateway, traffic cannot bypass the proxy, so the setting does nothing but mislead.',
      commands: [agentCmd(platform, 'config', 'clear', 'proxy.bypass'), agentCmd(platform, 'check')],
    };
  },
  /** The gateway URL unreachable: allow it through the enterprise proxy, without TLS inspection (arc-gateway). */
  openGateway(host: string | undefined, platform: Platform = 'windows'): Fix {
    const h = host && /^[a-z0-9][a-z0-9-]{0,62}\.gw\.arc\.azure\.com$/.test(host.toLowerCase()) ? host.toLowerCase() : undefined;
    return {
      summary: `Allow outbound HTTPS to the Azure Arc gateway ${h ?? '<prefix>.gw.arc.azure.com'} through the enterprise proxy and skip TLS inspection for it; then check again.`,
      commands: [reachCmd(platform, v(h, '<gateway-host>')), agentCmd(platform, 'check')],
    };
  },
  /** Clock off: resynchronize Windows Time now (domain members follow the domain hierarchy; others a public source). */
  resyncClock(platform: Platform = 'windows'): Fix {
    if (isLinux(platform)) {
      return {
        summary: 'Fix the clock: turn on NTP synchronization (systemd-timesyncd or chrony) and check that it syncs. A VM may also take time from its host (check the host\'s clock).',
        commands: [sh('sudo', 'timedatectl', 'set-ntp', 'true'), sh('timedatectl', 'status')],
      };
    }
    return {
      summary: 'Fix the clock: start Windows Time and resynchronize. A domain member follows its domain controller (fix the PDC emulator\'s source if the domain is off); a standalone server can use time.windows.com. A VM may also take time from its host (check the host\'s clock and time-sync integration).',
      commands: [
        cmd('powershell', ['Set-Service', '-Name', 'W32Time', '-StartupType', 'Automatic'], ['Start-Service', '-Name', 'W32Time']),
        ps('w32tm', '/resync', '/force'),
        ps('w32tm', '/stripchart', '/computer:time.windows.com', '/samples:3', '/dataonly'),
      ],
    };
  },
  /** Several catalog fixes as one: summaries joined, commands in order without repeats. */
  combine(...list: Fix[]): Fix {
    const commands: FixCommand[] = [];
    for (const f of list) {
      for (const c of f.commands) if (!commands.some((x) => x.shell === c.shell && x.command === c.command)) commands.push(c);
    }
    return { summary: list.map((f) => f.summary).join(' '), commands };
  },
  manual(summary: string): Fix {
    return { summary, commands: [] };
  },
};

/** `https://<host>` for a catalog host word (placeholders stay whole: `<host>` becomes `https://<host>`). */
function url(h: Word): Word {
  return typeof h === 'object' && 'value' in h ? value(`https://${h.value}`) : placeholder('<https://host>');
}

function deleteExtension(resourceId: string | undefined): FixCommand {
  return destructive(az('connectedmachine', 'extension', 'delete', '--name', 'AdminCenter', ...machineArgs(resourceId), '--yes'));
}

function createExtension(resourceId: string | undefined, port: number | undefined, region: string | undefined): FixCommand {
  return az('connectedmachine', 'extension', 'create', '--name', 'AdminCenter', '--publisher', 'Microsoft.AdminCenter', '--type', 'AdminCenter',
    ...machineArgs(resourceId), '--location', v(valid.region(region), '<region>'), ...settingsArgs(wacPort(port)));
}

/** What each catalog fix takes, so tests can feed every parameter hostile values (a new fix must be listed here). */
export type FixParameter = 'resourceId' | 'port' | 'ports' | 'proxyUrl' | 'hosts' | 'region' | 'service' | 'gatewayService' | 'provider' | 'platform' | 'flag' | 'fixes' | 'text' | 'suites' | 'gatewayHost' | 'dnsServer';
export const FIX_PARAMETERS: { readonly [K in keyof typeof fixes]: readonly FixParameter[] } = {
  setIncomingPorts: ['ports'],
  enableIncomingConnections: [],
  startService: ['service', 'flag'],
  registerProvider: ['provider'],
  upgradeAgent: ['platform'],
  reconnectAgent: ['resourceId', 'region', 'platform'],
  allowWacExtension: [],
  unblockWacExtension: [],
  enableExtensions: [],
  fullConfigMode: [],
  reinstallExtension: ['resourceId', 'port', 'region'],
  setExtensionProxy: ['resourceId', 'port', 'proxyUrl'],
  updateExtensionPort: ['resourceId', 'port'],
  restartWacGateway: ['gatewayService'],
  allowWacInbound: ['gatewayService', 'port', 'flag'],
  enableService: ['service'],
  excludeFromTlsInspection: ['hosts', 'platform'],
  allowWebSockets: ['hosts'],
  fixPrivateDns: ['hosts', 'platform'],
  assignWacRole: ['resourceId'],
  setAgentProxy: ['proxyUrl', 'platform'],
  openOutbound: ['hosts', 'platform'],
  checkRefusedConnection: ['hosts', 'platform'],
  installExtension: ['resourceId', 'port', 'region'],
  clearStuckExtension: ['resourceId', 'port', 'region'],
  fixDnsResolution: ['hosts', 'platform', 'dnsServer'],
  upgradeAgentInPlace: ['platform'],
  openWacOutbound: ['region', 'hosts', 'platform'],
  setWacServiceConfiguration: ['resourceId', 'port'],
  demandStartService: ['service'],
  enableTlsCipherSuites: ['suites'],
  attestSoftwareAssurance: ['resourceId', 'region'],
  clearProxyBypass: ['platform'],
  allowRevocationChecks: ['platform'],
  openGateway: ['gatewayHost', 'platform'],
  resyncClock: ['platform'],
  combine: ['fixes'],
  manual: ['text'],
};

/** HybridConnectivity api-version of the WAC doc script and the REST examples. */
export const HYBRID_CONNECTIVITY_API = '2023-03-15';
/** HybridCompute licenseProfiles api-version (stable; azure-rest-api-specs hybridcompute stable/2024-07-10, checked 2026-12). */
export const LICENSE_PROFILE_API = '2024-07-10';

/**
 * The cipher suites Windows agents 1.56-1.63 need at least one of: TLS 1.3 first, then TLS 1.2, in server-preferred order
 * (https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-networking, 2026-01-14; checked 2026-12).
 */
export const AGENT_CIPHER_SUITES = [
  'TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
] as const;
