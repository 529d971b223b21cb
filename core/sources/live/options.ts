/**
 * Options of live checks and the parsing of the curl-style ones (`--resolve`, `--connect-to`, `--dns-server`).
 * Invalid values throw LiveOptionError with a one-line message the CLI can print as a usage error.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads node:net for start-up time */
import type { NetworkInterfaceInfo } from 'node:os';
import type { Rule } from '../../engine/rule';
import type { CommandRunner } from './command-runner';
import type { SystemInfoSource } from './collectors/system';

/** node:net is loaded on first use: the CLI parses these options for every command, `rules` included. */
const isIP = (s: string): number => (require('node:net') as typeof import('node:net')).isIP(s);

export class LiveOptionError extends Error {
  override name = 'LiveOptionError';
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_DNS_PORT = 53;

/** Where a probe of `host:port` connects instead of the address DNS gives. Empty host or port = any. */
export interface ConnectOverride {
  host: string;
  port?: number;
  /** Absent: keep the address DNS gives (curl's empty connect-to host), change only the port. */
  address?: string;
  toPort?: number;
  /** The option text, for notes. */
  text: string;
  /** Which option it came from. */
  option: '--resolve' | '--connect-to';
}

export interface DnsServer {
  address: string;
  port: number;
}

/** Progress of a live run: which checks are still running. */
export interface LiveProgress {
  event: 'start' | 'end';
  /** The check that started or ended, e.g. `tls wac.azure.com`. */
  check: string;
  running: string[];
  done: number;
  total: number;
  elapsedMs: number;
}

export interface LivePaths {
  /** Linux resolver configuration (default /etc/resolv.conf). */
  resolvConf?: string;
  /** Hosts file (default /etc/hosts, or %SystemRoot%\System32\drivers\etc\hosts). */
  hostsFile?: string;
  /** Folders holding AdminCenter extension versions (`<root>\<version>\Status\*.status`). */
  extensionRoots?: string[];
  /** Candidate appsettings.json files of the modernized gateway. */
  appsettings?: string[];
}

export interface CheckOptions {
  /** Rules to run (the CLI's --only/--skip selection). */
  rules: readonly Rule[];
  /** --port: the WAC port; default the extension's setting, else SmePort, else appsettings.json, else 6516. */
  port?: number;
  /** --timeout in milliseconds (default 5000): every probe and command ends by start + timeout. */
  timeoutMs?: number;
  /** --resolve host:port:address (curl): connect there instead of the DNS answer; DNS is still probed. Text or parsed. */
  resolve?: Array<string | { host: string; port: number; address: string }>;
  /** --connect-to host:port:address:port (curl): like --resolve, to another port too. */
  connectTo?: string[];
  /** --dns-server address[:port]: query these resolvers instead of the system's. Text or parsed. */
  dnsServers?: Array<string | DnsServer>;
  /** --region: the Azure region for the regional endpoints; default azcmagent show's location. */
  region?: string;
  /** PEM certificates standing for the public roots instead of Node's bundled Mozilla roots (a test's own root CA). */
  caCertificates?: string[];
  /**
   * --ca-file: CA certificates the user trusts besides the public roots (e.g. a TLS-inspection CA). A chain ending at
   * one verifies, and is reported as ending there, not at a public root.
   */
  suppliedCa?: string[];
  /** Called when a check starts or ends (for a progress line on a TTY). */
  onProgress?: (progress: LiveProgress) => void;

  // Seams for tests and recorded runs; defaults are the real machine.
  runner?: CommandRunner;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  paths?: LivePaths;
  system?: SystemInfoSource;
  hostname?: string;
  /** Replace the endpoint list (`host` or `host:port`); relays are still read from the allowlist when listed. */
  endpoints?: string[];
  /** Probe https://localhost:<port> (default: on Windows only, where the gateway runs). */
  localHttps?: boolean;
  /** HIMDS status endpoint (default http://127.0.0.1:40342), asked only when azcmagent is missing. */
  himdsUrl?: string;
  /** The machine's network interfaces (default os.networkInterfaces()). */
  networkInterfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  now?: () => Date;
}

/** Splits `a:b:[::1]:c` on colons outside brackets. */
function splitColons(text: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of text) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === ':' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

const unbracket = (s: string): string => s.replace(/^\[(.*)\]$/, '$1');

function optionalPort(text: string, option: string, whole: string): number | undefined {
  if (text === '') return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new LiveOptionError(`${option} ${whole}: "${text}" is not a port; expected 1-65535`);
  }
  return Number(text);
}

function address(text: string, option: string, whole: string): string {
  const a = unbracket(text.trim());
  if (a.toLowerCase() === 'localhost') return '127.0.0.1';
  if (!isIP(a)) throw new LiveOptionError(`${option} ${whole}: "${text}" is not an IP address; expected e.g. 127.0.0.1 or [::1]`);
  return a;
}

const HOST_RE = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?$/i;

export function isHostName(text: string): boolean {
  return HOST_RE.test(text);
}

/** `--resolve host:port:address` as curl takes it (several comma-separated addresses: the first is used). */
export function parseResolve(text: string): ConnectOverride {
  const parts = splitColons(text.trim().replace(/^\+/, ''));
  if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) {
    throw new LiveOptionError(`--resolve ${text}: expected host:port:address, e.g. wac.azure.com:443:127.0.0.1`);
  }
  const host = parts[0].toLowerCase();
  if (host !== '*' && !isHostName(host)) throw new LiveOptionError(`--resolve ${text}: "${parts[0]}" is not a host name`);
  const port = optionalPort(parts[1], '--resolve', text);
  return { host: host === '*' ? '' : host, ...(port !== undefined ? { port } : {}), address: address(parts[2].split(',')[0]!, '--resolve', text), text, option: '--resolve' };
}

/**
 * `--connect-to host:port:address:port` as curl takes it: an empty host or port matches any; an empty address
 * keeps the DNS answer, an empty last port keeps the port.
 */
export function parseConnectTo(text: string): ConnectOverride {
  const parts = splitColons(text.trim());
  if (parts.length !== 4 || (!parts[2] && !parts[3])) {
    throw new LiveOptionError(`--connect-to ${text}: expected host:port:address:port, e.g. wac.azure.com:443:127.0.0.1:8443`);
  }
  const host = parts[0]!.toLowerCase();
  if (host && !isHostName(host)) throw new LiveOptionError(`--connect-to ${text}: "${parts[0]}" is not a host name`);
  const port = optionalPort(parts[1]!, '--connect-to', text);
  const toPort = optionalPort(parts[3]!, '--connect-to', text);
  return {
    host, ...(port !== undefined ? { port } : {}), ...(parts[2] ? { address: address(parts[2], '--connect-to', text) } : {}),
    ...(toPort !== undefined ? { toPort } : {}), text, option: '--connect-to',
  };
}

/** `--dns-server address[:port]`: `10.0.0.2`, `10.0.0.2:5353`, `::1`, `[::1]:5353`. */
export function parseDnsServer(text: string): DnsServer {
  const t = text.trim();
  if (isIP(t)) return { address: t, port: DEFAULT_DNS_PORT };
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(t) ?? /^([^:]+):(\d+)$/.exec(t);
  if (!m || !isIP(m[1]!)) throw new LiveOptionError(`--dns-server ${text}: expected address[:port], e.g. 10.0.0.2 or [::1]:5353`);
  const port = m[2] ? optionalPort(m[2], '--dns-server', text) : undefined;
  return { address: m[1]!, port: port ?? DEFAULT_DNS_PORT };
}

/** A --resolve given as text or already parsed (the CLI's `{host, port, address}`). */
export function resolveOverride(r: string | { host: string; port: number; address: string }): ConnectOverride {
  return typeof r === 'string' ? parseResolve(r) : parseResolve(`${r.host}:${r.port}:${isIP(r.address) === 6 ? `[${r.address}]` : r.address}`);
}

export function dnsServerOption(s: string | DnsServer): DnsServer {
  return typeof s === 'string' ? parseDnsServer(s) : parseDnsServer(isIP(s.address) === 6 ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`);
}

/** The timeout option: whole milliseconds, 100 ms to 10 minutes. */
export function validTimeout(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(ms) || ms < 100 || ms > 600_000) throw new LiveOptionError(`--timeout ${ms}: expected 100 to 600000 milliseconds`);
  return Math.round(ms);
}

/** The region as a host label: lowercase letters and digits only (it is put into host names). */
export function regionLabel(region: string | undefined): string | undefined {
  const r = region?.trim().toLowerCase().replace(/\s+/g, '');
  return r && /^[a-z0-9]{2,40}$/.test(r) ? r : undefined;
}

/** The override for host:port, most specific first: host and port, host only, port only, any. */
export function overrideFor(overrides: readonly ConnectOverride[], host: string, port: number): ConnectOverride | undefined {
  const h = host.toLowerCase();
  const score = (o: ConnectOverride): number => {
    if (o.host && o.host !== h) return -1;
    if (o.port !== undefined && o.port !== port) return -1;
    return (o.host ? 2 : 0) + (o.port !== undefined ? 1 : 0);
  };
  let best: ConnectOverride | undefined;
  let bestScore = -1;
  for (const o of overrides) {
    const s = score(o);
    if (s > bestScore) [best, bestScore] = [o, s];
  }
  return best;
}
