/**
 * The fix catalog: every command WAC Doctor ever suggests is built here, from validated values.
 * Nothing from logs or tickets is pasted into a command; an invalid value is refused (throws) and
 * unknown values stay as <placeholders> for the user to fill in.
 */
import type { Fix, FixCommand } from './types';
import { parsePort } from './ports';

export class FixValueError extends Error {}

function port(p: number): number {
  if (parsePort(p) === undefined) throw new FixValueError(`not a port (1-65535): ${String(p)}`);
  return p;
}

const SERVICES = ['himds', 'GCArcService', 'ExtensionService', 'arcproxy', 'ServerManagementGateway', 'WindowsAdminCenter',
  'WindowsAdminCenterAccountManagement', 'himdsd', 'gcad', 'extd', 'arcproxyd', 'WinRM'] as const;
export type KnownService = (typeof SERVICES)[number];

const LINUX_SERVICES: readonly string[] = ['himdsd', 'gcad', 'extd', 'arcproxyd'];

const PROVIDERS = ['Microsoft.HybridConnectivity', 'Microsoft.HybridCompute', 'Microsoft.GuestConfiguration'] as const;
export type KnownProvider = (typeof PROVIDERS)[number];

export const WAC_EXTENSION = 'Microsoft.AdminCenter/AdminCenter';
export const WAC_ROLE = 'Windows Admin Center Administrator Login';

/** ARM names are restricted; anything else becomes a placeholder rather than part of a command. */
const MACHINE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const RESOURCE_GROUP = /^[A-Za-z0-9_.()-]{1,90}$/;
const RESOURCE_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[A-Za-z0-9_.()-]{1,90}\/providers\/Microsoft\.HybridCompute\/machines\/[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function safeMachineName(name: string | undefined): string {
  return name && MACHINE_NAME.test(name) ? name : '<machine-name>';
}

export function safeResourceGroup(name: string | undefined): string {
  return name && RESOURCE_GROUP.test(name) && !name.endsWith('.') ? name : '<resource-group>';
}

export function safeResourceId(id: string | undefined): string {
  return id && RESOURCE_ID.test(id) ? id : '<machine-resource-id>';
}

/** Resource group from an Arc machine id, if it is well formed. */
export function resourceGroupOf(id: string | undefined): string | undefined {
  return id && RESOURCE_ID.test(id) ? /\/resourceGroups\/([^/]+)\//.exec(id)![1] : undefined;
}

/** A proxy URL reduced to scheme://host:port (credentials and paths dropped), or a placeholder. */
export function safeProxyUrl(url: string | undefined): string {
  if (!url) return '<http://proxy-host:port>';
  try {
    const u = new URL(url);
    if (!/^https?:$/.test(u.protocol) || !/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/.test(u.hostname)) return '<http://proxy-host:port>';
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return '<http://proxy-host:port>';
  }
}

const ps = (command: string): FixCommand => ({ shell: 'powershell', command });
const sh = (command: string): FixCommand => ({ shell: 'bash', command });
const az = (command: string): FixCommand => ({ shell: 'azcli', command });

export const fixes = {
  setIncomingPorts(ports: number[]): Fix {
    const list = [...new Set(ports.map(port))].sort((a, b) => a - b).join(',');
    return {
      summary: `Allow the port(s) ${list} for reverse-proxy connections (keep ports other experiences such as SSH use).`,
      commands: [ps(`azcmagent config set incomingconnections.ports ${list}`)],
    };
  },
  enableIncomingConnections(): Fix {
    return {
      summary: 'Turn incoming connections back on; WAC and SSH both need them.',
      commands: [ps('azcmagent config set incomingconnections.enabled true')],
    };
  },
  startService(name: KnownService, restart = false): Fix {
    if (!SERVICES.includes(name)) throw new FixValueError(`unknown service: ${String(name)}`);
    const verb = restart ? 'Restart' : 'Start';
    return LINUX_SERVICES.includes(name)
      ? { summary: `${verb} the ${name} service.`, commands: [sh(`sudo systemctl ${restart ? 'restart' : 'start'} ${name}`)] }
      : { summary: `${verb} the ${name} service.`, commands: [ps(`${verb}-Service -Name ${name}`)] };
  },
  registerProvider(namespace: KnownProvider): Fix {
    if (!PROVIDERS.includes(namespace)) throw new FixValueError(`unknown provider: ${String(namespace)}`);
    return {
      summary: `Register the ${namespace} resource provider on the subscription (needs */register/action).`,
      commands: [az(`az provider register --namespace ${namespace}`), az(`az provider show --namespace ${namespace} --query registrationState -o tsv`)],
    };
  },
  upgradeAgent(platform: 'windows' | 'linux' = 'windows'): Fix {
    return platform === 'linux'
      ? {
        summary: 'Upgrade the Connected Machine agent to the latest release (1.37 or later for WAC).',
        commands: [sh('sudo apt-get update && sudo apt-get install --only-upgrade -y azcmagent'), sh('sudo dnf upgrade -y azcmagent')],
      }
      : {
        summary: 'Upgrade the Connected Machine agent to the latest release (1.37 or later for WAC).',
        commands: [
          ps('Invoke-WebRequest -Uri https://aka.ms/AzureConnectedMachineAgent -OutFile AzureConnectedMachineAgent.msi'),
          ps('msiexec.exe /i AzureConnectedMachineAgent.msi /qn /l*v installationlog.txt'),
        ],
      };
  },
  reconnectAgent(resourceId?: string): Fix {
    const rg = safeResourceGroup(resourceGroupOf(resourceId));
    return {
      summary: 'Check the agent services and network, then reconnect the agent if it stays disconnected or expired.',
      commands: [
        ps('Restart-Service -Name himds'),
        ps('azcmagent check'),
        ps(`azcmagent disconnect; azcmagent connect --resource-group ${rg} --location <region> --subscription-id <subscription-id>`),
      ],
    };
  },
  allowWacExtension(): Fix {
    return {
      summary: `Add ${WAC_EXTENSION} to the extension allowlist.`,
      commands: [ps(`azcmagent config set extensions.allowlist ${WAC_EXTENSION} --add`)],
    };
  },
  unblockWacExtension(): Fix {
    return {
      summary: `Remove ${WAC_EXTENSION} from the extension blocklist.`,
      commands: [ps(`azcmagent config set extensions.blocklist ${WAC_EXTENSION} --remove`)],
    };
  },
  enableExtensions(): Fix {
    return { summary: 'Allow extensions on this machine.', commands: [ps('azcmagent config set extensions.enabled true')] };
  },
  fullConfigMode(): Fix {
    return { summary: 'Switch the agent to full mode; monitor mode does not allow the AdminCenter extension.', commands: [ps('azcmagent config set config.mode full')] };
  },
  reinstallExtension(resourceId?: string, wacPort?: number): Fix {
    const rg = safeResourceGroup(resourceGroupOf(resourceId));
    const machine = safeMachineName(resourceId && safeResourceId(resourceId) === resourceId ? resourceId.split('/').pop() : undefined);
    const p = wacPort === undefined ? 6516 : port(wacPort);
    return {
      summary: `Remove the AdminCenter extension and install it again (portal: Extensions > AdminCenter > Uninstall, then Windows Admin Center > Install). From the command line, also point the HybridConnectivity endpoint's WAC service configuration at port ${p}, as the portal install does.`,
      commands: [
        az(`az connectedmachine extension delete --name AdminCenter --machine-name ${machine} --resource-group ${rg} --yes`),
        az(`az connectedmachine extension create --name AdminCenter --publisher Microsoft.AdminCenter --type AdminCenter --machine-name ${machine} --resource-group ${rg} --location <region> --settings '{"port":"${p}"}'`),
        ...fixes.setWacServiceConfiguration(resourceId, p).commands,
      ],
    };
  },
  /** AdminCenter extension proxy settings (extension 0.0.0.322+); the URL is reduced by safeProxyUrl, so credentials never appear. */
  setExtensionProxy(resourceId?: string, wacPort?: number, proxyUrl?: string): Fix {
    const rg = safeResourceGroup(resourceGroupOf(resourceId));
    const machine = safeMachineName(resourceId && safeResourceId(resourceId) === resourceId ? resourceId.split('/').pop() : undefined);
    const p = wacPort === undefined ? 6516 : port(wacPort);
    return {
      summary: 'Give the AdminCenter extension its own proxy settings: extensions do not inherit the agent proxy (needs extension 0.0.0.322 or later; unauthenticated proxies only).',
      commands: [
        az(`az connectedmachine extension update --name AdminCenter --machine-name ${machine} --resource-group ${rg} --settings '{"port":"${p}","proxy":{"mode":"application","address":"${safeProxyUrl(proxyUrl)}"}}'`),
      ],
    };
  },
  /** WAC doc troubleshooting: end the gateway process, start the service, retry https://localhost:<port>. */
  restartWacGateway(service: 'ServerManagementGateway' | 'WindowsAdminCenter' = 'ServerManagementGateway'): Fix {
    if (service !== 'ServerManagementGateway' && service !== 'WindowsAdminCenter') throw new FixValueError(`not a WAC gateway service: ${String(service)}`);
    const proc = service === 'WindowsAdminCenter' ? 'WindowsAdminCenter' : 'sme';
    return {
      summary: `End the gateway process (${proc}.exe), start ${service} again and retry https://localhost:<port>.`,
      commands: [ps(`Stop-Process -Name ${proc} -Force`), ps(`Start-Service -Name ${service}`)],
    };
  },
  /** A disabled Windows service: set it to start automatically, then start it. */
  enableService(name: KnownService): Fix {
    if (!SERVICES.includes(name) || LINUX_SERVICES.includes(name)) throw new FixValueError(`unknown Windows service: ${String(name)}`);
    return {
      summary: `Set the ${name} service to start automatically and start it.`,
      commands: [ps(`Set-Service -Name ${name} -StartupType Automatic`), ps(`Start-Service -Name ${name}`)],
    };
  },
  excludeFromTlsInspection(hosts: string[]): Fix {
    const clean = [...new Set(hosts.filter((h) => /^[A-Za-z0-9*.-]+$/.test(h)))];
    return {
      summary: `Exclude ${clean.join(', ')} from TLS inspection (HTTPS decryption) on the proxy or firewall: Arc and WAC need the Microsoft certificates end to end.`,
      commands: clean.filter((h) => !h.includes('*')).map((h) => ps(`Invoke-WebRequest -UseBasicParsing -Method GET -Uri https://${h} | Select-Object StatusCode`)),
    };
  },
  /** Arc endpoints answering with private addresses on a machine without Private Link. */
  fixPrivateDns(hosts: string[]): Fix {
    const clean = [...new Set(hosts.filter((h) => /^[A-Za-z0-9.-]+$/.test(h)))];
    return {
      summary: 'The machine is not in a Private Link Scope, yet Arc endpoints resolve to private addresses: remove the privatelink DNS zones, conditional forwarders or hosts-file entries that answer for it, then clear the DNS cache (WAC and SSH need the public endpoints; they are not supported over private link).',
      commands: [...clean.map((h) => ps(`Resolve-DnsName -Name ${h}`)), ps('Clear-DnsClientCache')],
    };
  },
  assignWacRole(resourceId?: string): Fix {
    return {
      summary: `Assign "${WAC_ROLE}" (with Reader) on the machine to the users who connect (on the machine, its resource group or subscription: whether a management-group assignment works is disputed).`,
      commands: [az(`az role assignment create --assignee <user-or-group> --role "${WAC_ROLE}" --scope ${safeResourceId(resourceId)}`)],
    };
  },
  setAgentProxy(url?: string): Fix {
    return {
      summary: 'Point the agent at an unauthenticated proxy (authenticated proxies are not supported).',
      commands: [ps(`azcmagent config set proxy.url ${safeProxyUrl(url)}`)],
    };
  },
  openOutbound(hosts: string[]): Fix {
    const clean = hosts.filter((h) => /^[A-Za-z0-9*.-]+$/.test(h));
    return {
      summary: `Allow outbound HTTPS (TCP 443) to ${clean.join(', ')} (or the WindowsAdminCenter service tag), without TLS inspection.`,
      commands: [
        ps('Invoke-RestMethod -Method GET -Uri https://wac.azure.com'),
        ...clean.filter((h) => !h.includes('*')).map((h) => ps(`Test-NetConnection -ComputerName ${h} -Port 443`)),
      ],
    };
  },
  installExtension(resourceId?: string, wacPort?: number): Fix {
    const rg = safeResourceGroup(resourceGroupOf(resourceId));
    const machine = safeMachineName(resourceId && safeResourceId(resourceId) === resourceId ? resourceId.split('/').pop() : undefined);
    const p = wacPort === undefined ? 6516 : port(wacPort);
    return {
      summary: `Install the AdminCenter extension (portal: Windows management > Windows Admin Center > Install, or the commands below: the extension, then the HybridConnectivity endpoint and its WAC service configuration on port ${p}, as the portal install creates them).`,
      commands: [
        az(`az connectedmachine extension create --name AdminCenter --publisher Microsoft.AdminCenter --type AdminCenter --machine-name ${machine} --resource-group ${rg} --location <region> --settings '{"port":"${p}"}'`),
        ...fixes.setWacServiceConfiguration(resourceId, p).commands,
      ],
    };
  },
  /** Documented cleanup for an extension stuck in Deleting (HandlerManifest.json missing): delete, remove the plugin folder, reinstall. */
  clearStuckExtension(resourceId?: string, wacPort?: number): Fix {
    const rg = safeResourceGroup(resourceGroupOf(resourceId));
    const machine = safeMachineName(resourceId && safeResourceId(resourceId) === resourceId ? resourceId.split('/').pop() : undefined);
    const p = wacPort === undefined ? 6516 : port(wacPort);
    return {
      summary: 'Clear the stuck AdminCenter extension: delete it in Azure, remove its plugin folder on the machine, then install it again.',
      commands: [
        az(`az connectedmachine extension delete --name AdminCenter --machine-name ${machine} --resource-group ${rg} --yes`),
        ps('Remove-Item -Recurse -Force "$env:SystemDrive\\Packages\\Plugins\\Microsoft.AdminCenter.AdminCenter"'),
        az(`az connectedmachine extension create --name AdminCenter --publisher Microsoft.AdminCenter --type AdminCenter --machine-name ${machine} --resource-group ${rg} --location <region> --settings '{"port":"${p}"}'`),
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
  /** DNS failures: resolve each catalog host with the machine's resolver, then fix the forwarder (or hosts file). */
  fixDnsResolution(hosts: string[], platform: 'windows' | 'linux' = 'windows'): Fix {
    const clean = [...new Set(hosts.filter((h) => /^[A-Za-z0-9.-]{1,253}$/.test(h)))];
    return {
      summary: `Make ${clean.join(', ')} resolve on the machine: the DNS server it uses must forward these public names (a conditional forwarder for the zone, or fix the corporate resolver); add hosts-file entries only as a last resort, since the addresses change.`,
      commands: clean.map((h) => (platform === 'linux' ? sh(`getent hosts ${h} || nslookup ${h}`) : ps(`Resolve-DnsName -Name ${h} -Type A`))),
    };
  },
  /** `azcmagent upgrade` (agent 1.62 and later; https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-upgrade, checked 2026-12). */
  upgradeAgentInPlace(platform: 'windows' | 'linux' = 'windows'): Fix {
    return {
      summary: 'Upgrade the Connected Machine agent in place to the latest release with azcmagent upgrade (agent 1.62 and later).',
      commands: [platform === 'linux' ? sh('sudo azcmagent upgrade') : ps('azcmagent upgrade')],
    };
  },
  /**
   * Today's WAC endpoints: `*.waconazure.com`, probed as `<region>.service.waconazure.com`, or the service tags
   * WindowsAdminCenter and (since April 2026) AzureFrontDoor.Frontend (arc-wac-facts "Updates checked 2026-12";
   * https://learn.microsoft.com/azure/azure-arc/servers/network-requirements). The region is validated; without one it is a placeholder.
   */
  openWacOutbound(region: string | undefined, hosts: string[]): Fix {
    const r = safeRegion(region);
    const clean = [...new Set(hosts.filter((h) => /^[A-Za-z0-9*.-]+$/.test(h)))];
    return {
      summary: `Allow outbound HTTPS (TCP 443) to ${clean.join(', ')} (or the WindowsAdminCenter and AzureFrontDoor.Frontend service tags), without TLS inspection.`,
      commands: [
        ps(`Invoke-RestMethod -Method GET -Uri https://${r}.service.waconazure.com`),
        ...clean.filter((h) => !h.includes('*') && !h.includes('<')).map((h) => ps(`Test-NetConnection -ComputerName ${h} -Port 443`)),
      ],
    };
  },
  /**
   * The Azure side of the reverse proxy (WAC doc automation script; HybridConnectivity REST api-version 2023-03-15):
   * PUT the default endpoint, then the WAC service configuration with the port as an integer.
   */
  setWacServiceConfiguration(resourceId: string | undefined, wacPort: number | undefined): Fix {
    const id = safeResourceId(resourceId);
    const p = wacPort === undefined ? 6516 : port(wacPort);
    const base = `https://management.azure.com${id}/providers/Microsoft.HybridConnectivity/endpoints/default`;
    return {
      summary: `Create the machine's default HybridConnectivity endpoint and point its WAC service configuration at port ${p} (a reinstall on a new port otherwise leaves the portal using the old one).`,
      commands: [
        az(`az rest --method put --uri "${base}?api-version=${HYBRID_CONNECTIVITY_API}" --body '{"properties":{"type":"default"}}'`),
        az(`az rest --method put --uri "${base}/serviceconfigurations/WAC?api-version=${HYBRID_CONNECTIVITY_API}" --body '{"properties":{"serviceName":"WAC","port":${p}}}'`),
      ],
    };
  },
  /** A demand-start Windows service that was disabled: back to Manual (it starts when needed). */
  demandStartService(name: KnownService): Fix {
    if (!SERVICES.includes(name) || LINUX_SERVICES.includes(name)) throw new FixValueError(`unknown Windows service: ${String(name)}`);
    return {
      summary: `Set the ${name} service back to start on demand (Manual); it starts when needed.`,
      commands: [ps(`Set-Service -Name ${name} -StartupType Manual`)],
    };
  },
  /**
   * Enable the GCM cipher suites Windows agents 1.56-1.63 need one of (troubleshoot-networking, 2026-01-14). Only names of
   * AGENT_CIPHER_SUITES are ever written; anything else is refused. Group policy overrides local cipher-suite settings.
   */
  enableTlsCipherSuites(names: string[]): Fix {
    const clean = [...new Set(names)].filter((n) => (AGENT_CIPHER_SUITES as readonly string[]).includes(n));
    if (clean.length === 0 || clean.length !== new Set(names).size) throw new FixValueError(`not an agent cipher suite: ${names.join(', ')}`);
    return {
      summary: `Enable ${clean.join(', ')} (no reboot needed), or upgrade the agent to 1.64 or later, which no longer enforces them (azcmagent upgrade from 1.62). On a domain-joined machine, group policy (SSL Cipher Suite Order) overrides local settings: change the GPO instead.`,
      commands: [...clean.map((n) => ps(`Enable-TlsCipherSuite -Name ${n}`)), ps('Get-TlsCipherSuite | Format-List Name')],
    };
  },
  /**
   * Software Assurance attestation for Windows Server Management enabled by Azure Arc: PUT the machine's default license
   * profile with softwareAssurance.softwareAssuranceCustomer true (windows-server-management-overview, attestation script;
   * HybridCompute REST 2024-07-10 LicenseProfile_CreateOrUpdate). Id and region are validated, else placeholders.
   */
  attestSoftwareAssurance(resourceId: string | undefined, region: string | undefined): Fix {
    const id = safeResourceId(resourceId);
    return {
      summary: 'If the machine\'s Windows Server license has active Software Assurance (or is a subscription license), attest it (agent 1.47 or later; portal: Azure Arc > Licensing > Windows Server Azure benefits and licenses > Activate benefits); otherwise enroll the machine in Windows Server pay-as-you-go, which needs dls.microsoft.com reachable.',
      commands: [
        az(`az rest --method put --uri "https://management.azure.com${id}/licenseProfiles/default?api-version=${LICENSE_PROFILE_API}" --body '{"location":"${safeRegion(region)}","properties":{"softwareAssurance":{"softwareAssuranceCustomer":true}}}'`),
      ],
    };
  },
  /** Proxy bypass is not supported with the Azure Arc gateway (arc-gateway, Current limitations): clear it. */
  clearProxyBypass(): Fix {
    return {
      summary: 'Clear proxy.bypass: with the Azure Arc gateway, traffic cannot bypass the proxy, so the setting does nothing but mislead.',
      commands: [ps('azcmagent config clear proxy.bypass'), ps('azcmagent check')],
    };
  },
  /** The gateway URL unreachable: allow it through the enterprise proxy, without TLS inspection (arc-gateway). */
  openGateway(host: string | undefined): Fix {
    const h = host && /^[A-Za-z0-9][A-Za-z0-9-]{0,62}\.gw\.arc\.azure\.com$/.test(host) ? host : '<prefix>.gw.arc.azure.com';
    return {
      summary: `Allow outbound HTTPS to the Azure Arc gateway ${h} through the enterprise proxy and skip TLS inspection for it; then check again.`,
      commands: [...(h.startsWith('<') ? [] : [ps(`Test-NetConnection -ComputerName ${h} -Port 443`)]), ps('azcmagent check')],
    };
  },
  /** Clock off: resynchronize Windows Time now (domain members follow the domain hierarchy; others a public source). */
  resyncClock(): Fix {
    return {
      summary: 'Fix the clock: start Windows Time and resynchronize. A domain member follows its domain controller (fix the PDC emulator\'s source if the domain is off); a standalone server can use time.windows.com. A VM may also take time from its host (check the host\'s clock and time-sync integration).',
      commands: [
        ps('Set-Service -Name W32Time -StartupType Automatic; Start-Service -Name W32Time'),
        ps('w32tm /resync /force'),
        ps('w32tm /stripchart /computer:time.windows.com /samples:3 /dataonly'),
      ],
    };
  },
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
/** An Azure region name (`westeurope`), or a placeholder. */
export function safeRegion(region: string | undefined): string {
  return region && /^[a-z][a-z0-9]{2,30}$/.test(region) ? region : '<region>';
}
