/** The extension's settings, validated: bad values fall back to defaults and are reported once. */
import { parsePort } from '../../../core/model/ports';
import type { FailOn } from '../../../core/model/report';
import { parseDnsServer } from '../../../core/sources/live/options';

export interface Settings {
  wacPort?: number;
  proxy?: string;
  probeTimeoutMs: number;
  /** `address[:port]` resolvers the live checks ask instead of the system's. */
  dnsServers: string[];
  disabledRules: string[];
  failOn: FailOn;
  redact: boolean;
}

export const DEFAULT_SETTINGS: Settings = { probeTimeoutMs: 5000, dnsServers: [], disabledRules: [], failOn: 'fail', redact: true };

/** `get` reads one key under `wacDoctor.` (vscode's WorkspaceConfiguration.get). */
export function readSettings(get: (key: string) => unknown, knownRules: readonly string[]): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings: Settings = { ...DEFAULT_SETTINGS, dnsServers: [], disabledRules: [] };

  const port = get('wacPort');
  if (port !== null && port !== undefined && port !== '') {
    const p = parsePort(port);
    if (p === undefined) problems.push(`wacDoctor.wacPort: ${JSON.stringify(port)} is not a port (1-65535); using the detected port`);
    else settings.wacPort = p;
  }

  const proxy = get('proxy');
  if (typeof proxy === 'string' && proxy.trim()) {
    try {
      const u = new URL(proxy.trim());
      if (!/^https?:$/.test(u.protocol)) throw new Error();
      settings.proxy = proxy.trim();
    } catch {
      problems.push('wacDoctor.proxy: not an http(s):// URL; using the agent\'s proxy settings');
    }
  }

  const timeout = get('probeTimeoutMs');
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout === 'number' && Number.isInteger(timeout) && timeout >= 500 && timeout <= 120_000) settings.probeTimeoutMs = timeout;
    else problems.push(`wacDoctor.probeTimeoutMs: ${JSON.stringify(timeout)} is not 500-120000; using ${DEFAULT_SETTINGS.probeTimeoutMs}`);
  }

  const dns = get('dnsServers');
  if (Array.isArray(dns)) {
    for (const server of dns) {
      try {
        if (typeof server !== 'string') throw new Error();
        parseDnsServer(server);
        settings.dnsServers.push(server.trim());
      } catch {
        problems.push(`wacDoctor.dnsServers: ${JSON.stringify(server)} is not address[:port] (e.g. 10.0.0.2 or [::1]:5353); ignored`);
      }
    }
  }

  const disabled = get('disabledRules');
  if (Array.isArray(disabled)) {
    for (const id of disabled) {
      if (typeof id === 'string' && knownRules.includes(id)) settings.disabledRules.push(id);
      else problems.push(`wacDoctor.disabledRules: unknown rule id ${JSON.stringify(id)}`);
    }
  }

  const failOn = get('failOn');
  if (failOn === 'warn' || failOn === 'fail') settings.failOn = failOn;
  else if (failOn !== undefined) problems.push(`wacDoctor.failOn: ${JSON.stringify(failOn)} is not fail or warn; using fail`);

  const redact = get('redact');
  if (typeof redact === 'boolean') settings.redact = redact;

  return { settings, problems };
}
