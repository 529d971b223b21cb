/**
 * Which proxy the probes use, as the agent would: `proxy.url` (azcmagent config), then HTTPS_PROXY; the agent's
 * `proxy.bypass` groups (documented in arc:manage-agent: AAD, ARM, Arc) and, for HTTPS_PROXY, NO_PROXY.
 * Credentials in a proxy URL are never sent and never kept: URLs are stored without them.
 */
import type { ProxyProbeFact } from '../../model/facts';
import { BYPASS_GROUPS } from './collector-spec';

export interface ProxyChoice {
  /** The URL without user:password. */
  url: string;
  source: 'proxy.url' | 'HTTPS_PROXY';
  host: string;
  port: number;
  /** Scheme other than http: the probe cannot use it. */
  unsupported?: string;
  hasCredentials: boolean;
  bypassGroups: string[];
  noProxy: string[];
}


/** The URL without its user:password (not masked: nothing of the credentials is kept, not even that there were some). */
export function stripCredentials(url: string): string {
  const t = url.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(t)?.[0] ?? '';
  const rest = t.slice(scheme.length);
  const at = rest.lastIndexOf('@', rest.search(/[/?#]|$/));
  return at < 0 ? t : `${scheme}${rest.slice(at + 1)}`;
}

/** Parses a proxy URL (`http://host:port`, `host:port`); undefined when empty or unusable. */
export function parseProxyUrl(raw: string | undefined, source: ProxyChoice['source'], bypassGroups: string[], noProxy: string[]): ProxyChoice | undefined {
  const text = raw?.trim();
  if (!text || /^(none|not set|\(none\)|\[\])$/i.test(text)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { url: stripCredentials(text), source, host: '', port: 0, unsupported: 'not a URL', hasCredentials: text.includes('@'), bypassGroups, noProxy };
  }
  const hasCredentials = u.username !== '' || u.password !== '';
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  const url = stripCredentials(text);
  const choice: ProxyChoice = { url, source, host, port, hasCredentials, bypassGroups, noProxy };
  if (u.protocol !== 'http:') choice.unsupported = `${u.protocol.replace(/:$/, '')} proxies are not probed (only http:// with CONNECT)`;
  return choice;
}

export function chooseProxy(proxyUrl: string | undefined, env: NodeJS.ProcessEnv, bypass: string[]): ProxyChoice | undefined {
  const agent = parseProxyUrl(proxyUrl, 'proxy.url', bypass, []);
  if (agent) return agent;
  const envUrl = env.HTTPS_PROXY ?? env.https_proxy;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return parseProxyUrl(envUrl, 'HTTPS_PROXY', bypass, noProxy);
}

const suffixMatch = (host: string, suffix: string): boolean => host === suffix || host.endsWith(`.${suffix}`);

/** Why the host goes direct despite the proxy, or undefined when it goes through it. */
export function bypassReason(choice: ProxyChoice, host: string, port: number): string | undefined {
  const h = host.toLowerCase();
  for (const g of choice.bypassGroups) {
    const hosts = BYPASS_GROUPS[g.trim().toLowerCase()];
    if (hosts?.some((s) => suffixMatch(h, s))) return `proxy.bypass ${g}`;
  }
  for (const entry of choice.noProxy) {
    if (entry === '*') return 'NO_PROXY *';
    const [name, p] = entry.replace(/^\*?\./, '').split(':');
    if (p && Number(p) !== port) continue;
    if (name && suffixMatch(h, name)) return `NO_PROXY ${entry}`;
  }
  if (h === 'localhost' || h === '127.0.0.1' || h === '::1') return 'loopback';
  return undefined;
}

/** The proxy.probe fact from what the tunnels through it saw. */
export function proxyProbeFrom(choice: ProxyChoice, tunnels: Array<{ status?: number; ok: boolean; proxyUnreachable?: boolean; error?: string }>): ProxyProbeFact | undefined {
  if (choice.unsupported) return { url: choice.url, status: 'error', error: choice.unsupported };
  if (tunnels.length === 0) return undefined;
  const auth = tunnels.find((t) => t.status === 407);
  if (auth) return { url: choice.url, status: 'auth-required', error: auth.error ?? '407 Proxy Authentication Required' };
  if (tunnels.some((t) => t.ok)) return { url: choice.url, status: 'ok' };
  const down = tunnels.find((t) => t.proxyUnreachable);
  if (down) return { url: choice.url, status: 'unreachable', ...(down.error ? { error: down.error } : {}) };
  const other = tunnels.find((t) => t.error);
  return { url: choice.url, status: 'error', ...(other?.error ? { error: other.error } : {}) };
}
