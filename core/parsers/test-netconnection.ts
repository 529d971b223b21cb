/**
 * PowerShell `Test-NetConnection -ComputerName pas.windows.net -Port 443` (one or several result blocks).
 * Failures are announced before their block: `WARNING: TCP connect to (20.190.160.1 : 443) failed`,
 * `WARNING: Name resolution of xyz failed`.
 */
import { observe, probeKey, type EndpointProbe, type Observation } from '../model/facts';
import { lineEvidence, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';
import { isIpAddress, isPrivateAddress } from '../model/net-address';
import { listGet, parseListBlocks } from './get-service';

const NAME_FAIL_RE = /^\s*WARNING:\s*Name resolution of\s+(\S+?)\s+failed/i;
// `\s*(?:\(\s*)?`, not `\s*\(?\s*`: two `\s*` around an optional token split a run of spaces in quadratically many ways.
const TCP_FAIL_RE = /^\s*WARNING:\s*TCP connect to\s*(?:\(\s*)?([^\s()]+)\s*:\s*(\d+)\s*(?:\)\s*)?failed/i;
/** The same, for a whole text. Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run. */
const NAME_FAIL_TEXT_RE = new RegExp(NAME_FAIL_RE.source.replace(/^\^\\s\*/, '^[ \\t]*'), 'im');
const TCP_FAIL_TEXT_RE = new RegExp(TCP_FAIL_RE.source.replace(/^\^\\s\*/, '^[ \\t]*'), 'im');

function bool(value: string | undefined): boolean | undefined {
  if (!value) return undefined;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  return undefined;
}

function parseTnc(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const observations: Observation[] = [];
  const nameFailures = new Map<string, number>();
  const tcpFailures: { address: string; port: number; line: number }[] = [];
  lines.forEach((l, i) => {
    const n = NAME_FAIL_RE.exec(l);
    if (n) nameFailures.set(n[1]!.toLowerCase(), i);
    const t = TCP_FAIL_RE.exec(l);
    if (t) tcpFailures.push({ address: t[1]!, port: Number(t[2]), line: i });
  });

  const seen = new Set<string>();
  for (const block of parseListBlocks(lines)) {
    const computer = listGet(block, 'ComputerName');
    if (!computer) continue;
    const host = computer.value.trim().toLowerCase();
    if (!host) {
      warnings.push(`line ${computer.line + 1}: empty ComputerName`);
      continue;
    }
    const remote = listGet(block, 'RemoteAddress');
    const portEntry = listGet(block, 'RemotePort');
    const tcpEntry = listGet(block, 'TcpTestSucceeded');
    const pingEntry = listGet(block, 'PingSucceeded');
    const resolved = listGet(block, 'NameResolutionResults');
    const tcpOk = bool(tcpEntry?.value);
    const portText = portEntry?.value.trim();
    let port = portText && /^\d+$/.test(portText) ? Number(portText) : undefined;
    const address = remote?.value.trim() ?? '';
    const tcpWarn = tcpFailures.find((f) => f.address === address && (port === undefined || f.port === port));
    port ??= tcpWarn?.port;
    if (port === undefined) {
      warnings.push(`line ${computer.line + 1}: ${host} has no RemotePort (Test-NetConnection without -Port only pings); recording name resolution only, as port 443`);
    }
    const probe: EndpointProbe = { host, port: port ?? 443 };
    const nameFailLine = nameFailures.get(host);
    let evLine = tcpEntry?.line ?? computer.line;
    if (nameFailLine !== undefined || (!address && !isIpAddress(host))) {
      probe.dns = { status: 'nxdomain', addresses: [] };
      probe.reachable = false;
      probe.error = nameFailLine !== undefined ? lines[nameFailLine]!.trim().replace(/^WARNING:\s*/i, '') : 'name resolution failed';
      if (tcpOk === false || tcpEntry) probe.tcp = { ok: false, error: probe.error };
      evLine = nameFailLine ?? evLine;
    } else {
      const addresses = [address, ...(resolved?.value.split(/[\s,]+/) ?? [])]
        .map((a) => a.trim()).filter((a, i, all) => a !== '' && isIpAddress(a) && all.indexOf(a) === i);
      if (!isIpAddress(host)) {
        probe.dns = { status: 'ok', addresses };
        if (addresses.length) probe.dns.private = addresses.some(isPrivateAddress);
        if (probe.dns.private !== undefined) probe.private = probe.dns.private;
      }
      if (tcpOk !== undefined) {
        probe.tcp = tcpOk ? { ok: true } : { ok: false, error: tcpWarn ? lines[tcpWarn.line]!.trim().replace(/^WARNING:\s*/i, '') : 'TCP connect failed' };
        probe.reachable = tcpOk;
        if (!tcpOk) probe.error = probe.tcp.error!;
      } else if (pingEntry && bool(pingEntry.value) === false) {
        warnings.push(`line ${pingEntry.line + 1}: ${host} did not answer ping; ping is often blocked, so this says nothing about port 443`);
      }
    }
    if (seen.has(`${host}:${probe.port}`)) warnings.push(`line ${computer.line + 1}: ${host} appears more than once; the later result wins`);
    seen.add(`${host}:${probe.port}`);
    observations.push(observe(probeKey(host), probe, lineEvidence(input, evLine, lines[evLine]!)));
  }
  // Name-resolution warnings without a result block (the block was cut off when pasting).
  for (const [host, line] of nameFailures) {
    if ([...seen].some((s) => s.startsWith(`${host}:`))) continue;
    observations.push(observe(probeKey(host), {
      host, port: 443, dns: { status: 'nxdomain', addresses: [] }, reachable: false, error: lines[line]!.trim().replace(/^WARNING:\s*/i, ''),
    }, lineEvidence(input, line, lines[line]!)));
  }
  if (observations.length === 0) {
    throw new ParseError('expected Test-NetConnection output: "ComputerName : <host>", "RemoteAddress : <ip>", "TcpTestSucceeded : True|False"');
  }
  return { observations, warnings };
}

export const testNetConnectionParser: TextParser = {
  id: 'test-netconnection',
  label: 'Test-NetConnection',
  detect(text) {
    const computer = /^[ \t]*ComputerName\s+:/m.test(text);
    if (computer && /^[ \t]*TcpTestSucceeded\s+:/m.test(text)) return 95;
    if (computer && /^[ \t]*RemoteAddress\s+:/m.test(text) && /^[ \t]*(InterfaceAlias|SourceAddress|PingSucceeded)\s+:/m.test(text)) return 90;
    if (NAME_FAIL_TEXT_RE.test(text) || TCP_FAIL_TEXT_RE.test(text)) return computer ? 90 : 70;
    return 0;
  },
  parse: parseTnc,
};
