/**
 * The output (or log file, `ArcEndpointCheck_<HOST>.txt`) of Arc Jumpstart's "Azure Arc Connectivity Check"
 * (`ArcEndpointCheck.ps1`, arc_jumpstart_drops `script_automation/arc_endpoint_check`), which support engineers ask
 * customers to run:
 * - the header: `Agent: Installed | Connected | v1.65.03439.3010` (status and version), `Region: eastus2 (...)`,
 *   `Mode: Public | Private | Gateway`;
 * - the proxy table (`Source | Proxy | Used By`): the agent's `proxy.url` and `HTTPS_PROXY` when they are URLs;
 * - the results table (`Group | Endpoint | IP | Type | Result | Latency`): one endpoint probe per row, `Result` read
 *   as documented (`Reachable`, `Reachable*`, `FAIL(DNS)`, `FAIL(TCP)` (a TCP/443 timeout), `FAIL(DNS,TCP)`,
 *   `FAIL(HTTP)`, `Warning`: a mode mismatch, reachable), `Type` PRIV/PUB as the address's privacy;
 * - the issues table (`# | Severity | Category | Message`, `Fix:` lines under it): its CRITICAL and HIGH issues become
 *   the input's messages, quoted.
 * Columns are found by their header names; each line is read once, by splitting on `|` (no regex over a whole line).
 */
import { isIP } from 'node:net';
import { observe, probeKey, type DnsProbe, type EndpointProbe, type Observation } from '../model/facts';
import { lineEvidence, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';
import { usableHost } from './logs/endpoints';

const BANNER = /AZURE ARC ENDPOINT CHECK/i;
// `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines rescans the rest of the run.
const RESULTS_HEADER = /^[ \t]*Group[ \t]*\|[ \t]*Endpoint[ \t]*\|/im;
const SUMMARY = /^[ \t]*STATUS:[ \t]*(?:PASS|WARN|FAIL)\b/im;

/** Cells of a `|`-delimited line, trimmed. */
const cells = (line: string): string[] => line.split('|').map((c) => c.trim());

/** `  Key:   value` of the header block (the key at most 20 characters of letters and spaces). */
function headerValue(line: string, key: string): string | undefined {
  const t = line.trimStart();
  if (t.length <= key.length || t.slice(0, key.length + 1).toLowerCase() !== `${key.toLowerCase()}:`) return undefined;
  return t.slice(key.length + 1).trim();
}

const AGENT_STATES: Record<string, string> = { connected: 'Connected', disconnected: 'Disconnected', expired: 'Expired' };

interface Columns { endpoint: number; ip: number; type: number; result: number; latency: number }

function columnsOf(header: string): Columns | undefined {
  const names = cells(header).map((c) => c.toLowerCase());
  const at = (n: string): number => names.indexOf(n);
  const c = { endpoint: at('endpoint'), ip: at('ip'), type: at('type'), result: at('result'), latency: at('latency') };
  return c.endpoint >= 0 && c.result >= 0 ? c : undefined;
}

/** `24ms` -> 24. */
function latencyMs(cell: string | undefined): number | undefined {
  const m = cell ? /^(\d{1,6})\s?ms$/i.exec(cell) : null;
  return m ? Number(m[1]) : undefined;
}

/** A results row as a probe, or a warning why not. */
function rowProbe(row: readonly string[], c: Columns): EndpointProbe | string {
  const raw = row[c.endpoint] ?? '';
  const bare = raw.replace(/^https?:\/\//i, '').split(/[/:]/, 1)[0]!;
  const host = usableHost(bare);
  if (!host) return `"${raw.slice(0, 80)}" is not a host name`;
  const result = (row[c.result] ?? '').replace(/\s+/g, '').toUpperCase();
  const ip = c.ip >= 0 ? row[c.ip] ?? '' : '';
  const type = c.type >= 0 ? (row[c.type] ?? '').toUpperCase() : '';
  const probe: EndpointProbe = { host, port: 443 };
  const isPrivate = type === 'PRIV' ? true : type === 'PUB' ? false : undefined;
  const resolved = (): DnsProbe => {
    const dns: DnsProbe = { status: 'ok', addresses: isIP(ip) ? [ip] : [] };
    if (isPrivate !== undefined) dns.private = isPrivate;
    return dns;
  };
  if (isPrivate !== undefined) probe.private = isPrivate;
  const ms = latencyMs(c.latency >= 0 ? row[c.latency] : undefined);
  const connected = ms === undefined ? { ok: true } : { ok: true, ms };
  if (result === 'REACHABLE' || result === 'REACHABLE*' || result === 'WARNING') {
    probe.reachable = true;
    probe.dns = resolved();
    probe.tcp = connected;
    return probe;
  }
  const failed = /^FAIL\(([A-Z,]{3,20})\)$/.exec(result);
  if (!failed) return `Result "${(row[c.result] ?? '').slice(0, 40)}" is not one the script prints (Reachable, FAIL(DNS), FAIL(TCP), FAIL(HTTP), Warning)`;
  const layers = failed[1]!.split(',');
  probe.reachable = false;
  if (layers.includes('DNS')) {
    probe.dns = { status: 'error', addresses: [], error: 'DNS resolution failed (ArcEndpointCheck)' };
    probe.layer = 'dns';
    probe.error = 'DNS resolution failed';
  } else if (layers.includes('TCP')) {
    probe.dns = resolved();
    probe.tcp = { ok: false, error: 'TCP/443 connection timed out (ArcEndpointCheck)' };
    probe.layer = 'tcp-timeout';
    probe.error = 'TCP/443 connection timed out';
  } else if (layers.includes('HTTP')) {
    probe.dns = resolved();
    probe.tcp = connected;
    probe.http = { error: 'HTTP probe failed (proxy or firewall blocking, ArcEndpointCheck)' };
    probe.error = 'HTTP probe failed (proxy or firewall blocking)';
  } else {
    return `Result "${(row[c.result] ?? '').slice(0, 40)}" names no layer the script tests`;
  }
  return probe;
}

/** The issues table's CRITICAL and HIGH rows, each with its `Fix:` continuation, as one sentence each. */
function issues(lines: readonly string[], from: number): string[] {
  const out: string[] = [];
  let current: string | undefined;
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^[\s\-+|]*$/.test(line) && line.includes('-')) continue; // the table's rule
    const row = cells(line);
    if (row.length < 4) break;
    const [num, severity, category, ...message] = row;
    const text = message.join(' | ').trim();
    if (/^\d{1,4}$/.test(num!)) {
      if (current) out.push(current);
      current = /^(?:CRITICAL|HIGH)$/i.test(severity!) ? `${severity!.toUpperCase()} ${category}: ${text}` : undefined;
    } else if (current && num === '' && text) {
      current += ` (${text})`;
    }
  }
  if (current) out.push(current);
  return out;
}

function parse(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const observations: Observation[] = [];
  const warnings: string[] = [];
  let columns: Columns | undefined;
  let inResults = false;
  let inProxies = false;
  let probes = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const ev = () => lineEvidence(input, i, line);
    const agent = headerValue(line, 'Agent');
    if (agent !== undefined) {
      for (const part of agent.split('|').map((p) => p.trim())) {
        const state = AGENT_STATES[part.toLowerCase()];
        if (state) observations.push(observe('agent.status', state, ev()));
        const v = /^v?(\d{1,2}\.\d{1,3}\.\d{1,6}\.\d{1,6})$/i.exec(part);
        if (v) observations.push(observe('agent.version', v[1]!, ev()));
      }
      continue;
    }
    const region = headerValue(line, 'Region');
    if (region !== undefined) {
      const r = /^([a-z][a-z0-9]{2,30})\b/i.exec(region);
      if (r && !line.includes('|')) observations.push(observe('agent.location', r[1]!.toLowerCase(), ev()));
      continue;
    }
    const mode = headerValue(line, 'Mode');
    if (mode !== undefined && /^gateway\b/i.test(mode)) {
      observations.push(observe('config.connectionType', 'gateway', ev()));
      continue;
    }
    // A table's rule (`------+-----`) or the banner's (`=====`) ends nothing.
    if (/^[\s\-+|=]*$/.test(line) && /[-=]/.test(line)) continue;
    const row = cells(line);
    if (row.length >= 3 && row[0]!.toLowerCase() === 'source' && row[1]!.toLowerCase() === 'proxy') {
      inProxies = true;
      continue;
    }
    if (RESULTS_HEADER.test(line)) {
      columns = columnsOf(line);
      inResults = columns !== undefined;
      inProxies = false;
      continue;
    }
    if (row.length >= 4 && row[0] === '#' && row[1]!.toLowerCase() === 'severity') {
      for (const issue of issues(lines, i)) warnings.push(`ArcEndpointCheck reported ${issue}`);
      inResults = false;
      continue;
    }
    if (row.length < 3) {
      inResults = inProxies = false;
      continue;
    }
    if (inProxies) {
      const [source, proxy] = row;
      if (/^https?:\/\/\S{1,500}$/i.test(proxy!)) {
        if (/^azcmagent$/i.test(source!)) observations.push(observe('config.proxyUrl', proxy!, ev()));
        else if (/^HTTPS_PROXY$/i.test(source!)) observations.push(observe('env.httpsProxy', proxy!, ev()));
      }
      continue;
    }
    if (inResults && columns) {
      const probe = rowProbe(row, columns);
      if (typeof probe === 'string') warnings.push(`line ${i + 1}: ${probe}; row skipped`);
      else {
        observations.push(observe(probeKey(probe.host), probe, ev()));
        probes++;
      }
    }
  }
  if (probes === 0 && observations.length === 0) {
    throw new ParseError('has no results rows; expected `Group | Endpoint | IP | Type | Result | Latency` and rows such as `Core | gbl.his.arc.azure.com | 20.50.2.1 | PUB | Reachable | 24ms`');
  }
  return warnings.length ? { observations, warnings } : { observations };
}

export const arcEndpointCheckParser: TextParser = {
  id: 'arc-endpoint-check',
  label: 'ArcEndpointCheck (Azure Arc Connectivity Check)',
  detect(text) {
    const head = text.slice(0, 262144);
    const results = RESULTS_HEADER.test(head);
    if (results && (BANNER.test(head) || SUMMARY.test(head))) return 95;
    return results && /\|[ \t]*(?:Reachable\*?|FAIL\((?:DNS|TCP|HTTP)[A-Z,]{0,10}\))[ \t]*\|/i.test(head) ? 70 : 0;
  },
  parse,
};
