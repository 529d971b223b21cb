/**
 * Validation of every value a fix command may carry. Each function returns the value in the form the command uses,
 * or undefined: the caller then writes a <placeholder>, never a shortened or "cleaned" version of the input.
 * Validation says what a value may be (ARM's name rules, the endpoint catalog); quoting (core/text/shell) is what makes it
 * safe in a shell. Both always apply.
 */
import { WAC_REGIONS, normalizeRegion } from './regions';

/** Longest value worth looking at: ARM ids are < 400 characters; anything longer is not one of ours. */
const MAX_VALUE = 1024;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ARM resource group: 1-90 of letters, digits, _ . ( ) -, not ending with `.`. A leading `-` is refused (it would read as an option). */
const RESOURCE_GROUP = /^[\p{L}\p{N}_.()-]{1,90}$/u;
/** Arc machine name (Microsoft.HybridCompute/machines): ^[a-zA-Z0-9-_.]{1,54}$; a leading `-` is refused. */
const MACHINE_NAME = /^[A-Za-z0-9_.-]{1,54}$/;

export function port(p: unknown): number | undefined {
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535 ? p : undefined;
}

export function guid(s: unknown): string | undefined {
  return typeof s === 'string' && GUID.test(s) ? s.toLowerCase() : undefined;
}

export function resourceGroup(s: unknown): string | undefined {
  return typeof s === 'string' && RESOURCE_GROUP.test(s) && !s.endsWith('.') && !s.startsWith('-') ? s : undefined;
}

export function machineName(s: unknown): string | undefined {
  return typeof s === 'string' && MACHINE_NAME.test(s) && !s.startsWith('-') ? s : undefined;
}

/** A region of the WAC region list, as ARM spells locations (`westeurope`). */
export function region(s: unknown): string | undefined {
  if (typeof s !== 'string' || s.length > 64) return undefined;
  const n = normalizeRegion(s);
  return WAC_REGIONS.some((r) => normalizeRegion(r) === n) ? n : undefined;
}

export interface MachineId {
  id: string;
  subscription: string;
  resourceGroup: string;
  machine: string;
}

/** `/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.HybridCompute/machines/<name>`, each part validated. */
export function machineId(s: unknown): MachineId | undefined {
  if (typeof s !== 'string' || s.length > MAX_VALUE) return undefined;
  const p = s.split('/');
  if (p.length !== 9 || p[0] !== '') return undefined;
  const [, subs, sub, rgs, rg, providers, ns, machines, name] = p as [string, string, string, string, string, string, string, string, string];
  const is = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  if (!is(subs, 'subscriptions') || !is(rgs, 'resourceGroups') || !is(providers, 'providers') || !is(ns, 'Microsoft.HybridCompute') || !is(machines, 'machines')) return undefined;
  const subscription = guid(sub);
  const group = resourceGroup(rg);
  const machine = machineName(name);
  return subscription && group && machine ? { id: s, subscription, resourceGroup: group, machine } : undefined;
}

/**
 * The endpoint catalog: the hosts a command may name (Arc and WAC network requirements). A host seen in a log or an
 * error message is only ever a reason to look, never a command's target: outside this list it becomes <host>.
 * Families accept one DNS label under a Microsoft-run zone; the relay family only Microsoft's own azgnrelay-* names.
 */
const CATALOG_HOSTS: ReadonlySet<string> = new Set([
  'wac.azure.com', 'pas.windows.net', 'guestnotificationservice.azure.com', 'login.microsoftonline.com', 'login.windows.net',
  'management.azure.com', 'gbl.his.arc.azure.com', 'agentserviceapi.guestconfiguration.azure.com', 'aka.ms',
  'download.microsoft.com', 'packages.microsoft.com',
  // Windows Server pay-as-you-go licensing (network-requirements, checked 2026-12).
  'dls.microsoft.com',
]);
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const FAMILIES: ReadonlyArray<[suffix: string, label: (l: string) => boolean]> = [
  ['.service.waconazure.com', (l) => region(l) === l],
  ['.wac.azure.com', (l) => LABEL.test(l)],
  ['.his.arc.azure.com', (l) => LABEL.test(l)],
  ['.guestnotificationservice.azure.com', (l) => LABEL.test(l)],
  ['.guestconfiguration.azure.com', (l) => l.endsWith('-gas') && region(l.slice(0, -4)) === l.slice(0, -4)],
  ['.servicebus.windows.net', (l) => LABEL.test(l) && l.startsWith('azgnrelay-')],
];
/** Wildcard names the rules put in allowlist advice (summaries only: never a command's target). */
const CATALOG_WILDCARDS: ReadonlySet<string> = new Set([
  '*.wac.azure.com', '*.waconazure.com', '*.servicebus.windows.net', '*.guestnotificationservice.azure.com',
  '*.his.arc.azure.com', '*.guestconfiguration.azure.com',
]);

/** A catalog host (lower case, no trailing dot), or undefined. */
export function catalogHost(s: unknown): string | undefined {
  if (typeof s !== 'string' || s.length > 253) return undefined;
  const h = s.toLowerCase().replace(/\.$/, '');
  if (CATALOG_HOSTS.has(h)) return h;
  for (const [suffix, ok] of FAMILIES) {
    if (!h.endsWith(suffix)) continue;
    const label = h.slice(0, -suffix.length);
    if (!label.includes('.') && ok(label)) return h;
  }
  return undefined;
}

/** A catalog host or one of the catalog's wildcard families (for allowlist advice). */
export function catalogHostOrFamily(s: unknown): string | undefined {
  if (typeof s === 'string' && CATALOG_WILDCARDS.has(s.toLowerCase())) return s.toLowerCase();
  return catalogHost(s);
}

/** A DNS name (labels of letters, digits and inner hyphens) or an IPv4 address, lower case. */
function hostName(s: string): string | undefined {
  if (s.length === 0 || s.length > 253) return undefined;
  const h = s.toLowerCase();
  return h.split('.').every((l) => LABEL.test(l)) ? h : undefined;
}

const PROXY_SCHEME = /^(https?):\/\/(.*)$/i;

/**
 * A proxy URL in the form the agent takes (`http://host:port`, also `https://`), credentials dropped (authenticated
 * proxies aren't supported, and a fix never repeats a secret). Accepted input: `scheme://[userinfo@]host[:port][/]`,
 * or `[userinfo@]host:port` without a scheme (as HTTPS_PROXY often holds it; Go reads it as http). The host is what
 * follows the LAST `@` of the authority. The WHATWG parser must agree on host and port: it reads `\` as `/`, so
 * `http://contoso\svc:p@ss@proxy:8080` has host `contoso` there and `proxy` by the agent's reading -> no value.
 */
export function proxyUrl(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  // eslint-disable-next-line no-control-regex
  if (t.length === 0 || t.length > MAX_VALUE || /[\s\\\u0000-\u001f\u007f-\u009f]/.test(t)) return undefined;
  const m = PROXY_SCHEME.exec(t);
  const scheme = m ? m[1]!.toLowerCase() : 'http';
  let rest = m ? m[2]! : t;
  if (!m && !/:\d{1,5}\/?$/.test(rest)) return undefined;
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  if (/[/?#]/.test(rest)) return undefined;
  const at = rest.lastIndexOf('@');
  const hostPort = at < 0 ? rest : rest.slice(at + 1);
  const hp = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostPort);
  if (!hp) return undefined;
  const bracketed = hp[1]!.startsWith('[');
  const host = bracketed ? hp[1]!.toLowerCase() : hostName(hp[1]!);
  const p = hp[2] === undefined ? undefined : port(Number(hp[2]));
  if (!host || (hp[2] !== undefined && p === undefined)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${rest}`);
  } catch {
    return undefined;
  }
  const defaultPort = scheme === 'https' ? 443 : 80;
  if (parsed.hostname !== host || (parsed.port === '' ? defaultPort : Number(parsed.port)) !== (p ?? defaultPort)) return undefined;
  return `${scheme}://${host}${p !== undefined ? `:${p}` : ''}`;
}
