/**
 * The documented HTTPS probes: `Invoke-RestMethod -Method GET -Uri https://wac.azure.com` (v1/v2 docs) and
 * `https://<region>.service.waconazure.com` (v3), their PowerShell 5.1/7 errors, and `curl -sS` of the same URLs.
 * Several probes may be pasted together: each echoed command line starts a new one.
 */
import { observe, probeKey, type EndpointProbe, type Observation } from '../model/facts';
import { lineEvidence, type InputRef, type ParseResult, type TextParser, ParseError } from './parser';

export const WAC_HOME_TEXT = "You've found the Windows Admin Center in Azure APIs' home page.";
export const WAC_CERT_DNS_TEXT = 'Microsoft Certificate and DNS service for Windows Admin Center in the Azure Portal';

const squash = (s: string): string => s.replace(/\s+/g, ' ').replace(/[\u2018\u2019]/g, "'");
const HOME_RE = /You've found the Windows Admin Center in Azure APIs' home page/i;
const CERT_RE = /Microsoft Certificate and DNS service for Windows Admin Center in the Azure Portal/i;

/**
 * An echoed probe command (a prompt may precede it); not PowerShell's `+ Invoke-RestMethod ...` error echo.
 * The `user@host:~$` prompt is `[\w.@-][\w.-]*@` or `[\w.@-]+:` up to the first `$`/`#`: the former
 * `[\w.@-]+[:@]` could split at every `@`, rescanning the line from each.
 */
const COMMAND_RE = /^(?:PS [^>]*>\s*|[A-Za-z]:\\[^>]*>\s*|[$#>]\s*|(?:[\w.@-][\w.-]*@|[\w.@-]+:)[^$#]*[$#]\s*)?(?:Invoke-RestMethod|Invoke-WebRequest|irm|iwr|curl(?:\.exe)?|wget)\b.*?\b(https?:\/\/[^\s'"`)]+)/i;

interface ErrorClass {
  re: RegExp;
  apply(probe: EndpointProbe, text: string): void;
}

const tlsFail = (probe: EndpointProbe, text: string): void => { probe.tls = { ok: false, error: text }; };
const dnsFail = (probe: EndpointProbe): void => { probe.dns = { status: 'nxdomain', addresses: [] }; };
const tcpFail = (probe: EndpointProbe, text: string): void => { probe.tcp = { ok: false, error: text }; };

/** Known failure texts, most specific first. Proxy name failures are not the endpoint's DNS. */
const ERRORS: ErrorClass[] = [
  { re: /proxy name could not be resolved|Could not resolve proxy/i, apply: () => undefined },
  // (`407 ... Proxy Authentication Required` is covered by the plain phrase; as `\b407\b.*` it rescanned each line per 407.)
  { re: /\(407\)|Proxy Authentication Required/i, apply: (p, t) => { p.http = { status: 407, error: t }; } },
  { re: /remote name could not be resolved|No such host is known|Name or service not known|nodename nor servname|Could not resolve host|Temporary failure in name resolution/i, apply: dnsFail },
  {
    re: /trust relationship for the SSL\/TLS|Could not create SSL\/TLS secure channel|SSL connection could not be established|remote certificate is invalid|SSL certificate problem|curl: \((35|51|58|59|60|77|83|90|91)\)|schannel|certificate (verify|chain)|unexpected error occurred on a send|self[- ]signed certificate/i,
    apply: tlsFail,
  },
  { re: /Unable to connect to the remote server|actively refused|Connection refused|Failed to connect to|connected party did not properly respond|Network is unreachable|No route to host|curl: \(7\)/i, apply: tcpFail },
  { re: /timed out|Timeout|curl: \(28\)|HttpClient\.Timeout/i, apply: () => undefined },
];

/** Line of a failure message in a segment: PowerShell `Invoke-RestMethod : ...`, PS 7 `Invoke-RestMethod: ...`, `curl: (N) ...`. */
const ERROR_LINE_RE = /^(?:Invoke-RestMethod|Invoke-WebRequest|irm|iwr)\s*:\s*\S|^curl:\s*\(\d+\)|^wget:|^\s*(?:The remote name could not be resolved|Unable to connect to the remote server|The underlying connection was closed|The operation has timed out|The request was aborted|The remote server returned an error)/i;

function hostFromText(body: readonly string[]): { host: string; port?: number } | undefined {
  const text = body.filter((l) => !/proxy name could not be resolved|Could not resolve proxy/i.test(l)).join('\n');
  const patterns = [
    /could not be resolved:\s*'([^']+)'/i, // PS 5.1
    /\(([A-Za-z0-9.-]+\.[A-Za-z]{2,}):(\d+)\)/, // PS 7: "No such host is known. (wac.azure.com:443)"
    /Could not resolve host:\s*([^\s;]+)/i,
    /Failed to connect to\s+([^\s]+)\s+port\s+(\d+)/i,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) return m[2] ? { host: m[1]!, port: Number(m[2]) } : { host: m[1]! };
  }
  // PowerShell echoes the failing command under the error: "+ Invoke-RestMethod ... https://wac.azure.com".
  for (const line of body) {
    if (!/^\s*(?:\+|(?:\d+\s*)?\|)\s*(?:Invoke-RestMethod|Invoke-WebRequest|irm|iwr|curl)/i.test(line)) continue;
    const m = /https?:\/\/([^\s/'"`:]+)(?::(\d+))?/i.exec(line);
    if (m) return m[2] ? { host: m[1]!, port: Number(m[2]) } : { host: m[1]! };
  }
  return undefined;
}

interface Segment {
  start: number;
  end: number;
  url?: string;
}

function segments(lines: readonly string[]): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = COMMAND_RE.exec(lines[i]!);
    if (m) out.push({ start: i, end: lines.length, url: m[1]!.replace(/[;,]+$/, '') });
  }
  for (let k = 0; k + 1 < out.length; k++) out[k]!.end = out[k + 1]!.start;
  if (out.length === 0) return [{ start: 0, end: lines.length }];
  if (out[0]!.start > 0 && lines.slice(0, out[0]!.start).some((l) => l.trim() !== '')) out.unshift({ start: 0, end: out[0]!.start });
  return out;
}

function probeSegment(lines: readonly string[], seg: Segment, input: InputRef, warnings: string[]): Observation | undefined {
  const body = lines.slice(seg.url ? seg.start + 1 : seg.start, seg.end);
  const bodyText = body.join('\n');
  const errorIdx = body.findIndex((l) => ERROR_LINE_RE.test(l.trim()));
  const homeIdx = body.findIndex((l) => HOME_RE.test(squash(l)));
  const certIdx = body.findIndex((l) => CERT_RE.test(squash(l)));
  const statusLine = body.findIndex((l) => /^\s*StatusCode\s*:\s*\d{3}\s*$/.test(l));

  let host: string | undefined;
  let port: number | undefined;
  let url = seg.url;
  if (url) {
    try {
      const u = new URL(url);
      host = u.hostname;
      port = u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443;
    } catch {
      url = undefined;
    }
  }
  if (!host && errorIdx >= 0) {
    const found = hostFromText(body);
    if (found) [host, port] = [found.host, found.port];
  }
  if (!host && homeIdx >= 0) host = 'wac.azure.com';
  if (!host) {
    if (homeIdx >= 0 || certIdx >= 0 || errorIdx >= 0) {
      warnings.push(`line ${seg.start + 1}: the output does not say which URL was probed; paste it with the Invoke-RestMethod command line`);
    }
    return undefined;
  }
  host = host.toLowerCase();
  const probe: EndpointProbe = { host, port: port ?? 443, url: url ?? `https://${host}` };
  const at = (idx: number): number => (seg.url ? seg.start + 1 : seg.start) + idx;

  if (errorIdx >= 0) {
    // The message may continue on following lines until PowerShell's "At line:" / "+ " echo.
    const msg: string[] = [];
    for (let k = errorIdx; k < body.length; k++) {
      const t = body[k]!.trim();
      if (k > errorIdx && (t === '' || /^(At line:|At [A-Z]:\\|\+ |\+$|More details here|curl: \(\d+\))/.test(t))) break;
      msg.push(t);
    }
    // PowerShell 7 from a script: "Invoke-RestMethod: C:\\probe.ps1:1" / "Line |" / "     | No such host is known. (...)".
    const framed = body.slice(errorIdx).map((l) => /^\s*\|\s+([^~\s].*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined);
    const text = framed.length ? framed.join(' ').trim() : msg.join(' ').replace(/^(?:Invoke-RestMethod|Invoke-WebRequest|irm|iwr)\s*:\s*/i, '');
    probe.error = text;
    probe.reachable = false;
    const cls = ERRORS.find((e) => e.re.test(bodyText));
    cls?.apply(probe, text);
    return observe(probeKey(host), probe, lineEvidence(input, at(errorIdx), body[errorIdx]!));
  }

  const shown = body.map((l) => l.trim()).filter((l) => l !== '' && !/^(PS [^>]*>|[A-Za-z]:\\[^>]*>)\s*$/.test(l));
  if (shown.length === 0) {
    warnings.push(`line ${seg.start + 1}: no output for ${url ?? host}`);
    return undefined;
  }
  const idx = homeIdx >= 0 ? homeIdx : certIdx >= 0 ? certIdx : body.findIndex((l) => l.trim() !== '');
  const known = homeIdx >= 0 ? squash(body[homeIdx]!.trim()) : certIdx >= 0 ? squash(body[certIdx]!.trim()) : undefined;
  const statusCode = statusLine >= 0 ? Number(/(\d{3})/.exec(body[statusLine]!)![1]) : undefined;
  // Invoke-RestMethod only prints a body for 2xx; curl -sS prints any body, so its status is known only for the WAC texts.
  const irm = seg.url !== undefined && /^(?:.*>\s*)?(Invoke-RestMethod|irm)\b/i.test(lines[seg.start]!.trim());
  const status = statusCode ?? (known || irm ? 200 : undefined);
  probe.http = status !== undefined ? { status, body: known ?? shown.join('\n') } : { body: shown.join('\n') };
  if (status !== undefined && status < 400) probe.reachable = true;
  return observe(probeKey(host), probe, lineEvidence(input, at(idx), body[idx]!));
}

const COMMAND_WORD_RE = /(?:^|[\s>])(?:Invoke-RestMethod|Invoke-WebRequest|irm|iwr|curl(?:\.exe)?)\b/i;

/** A probe command word with a URL after it on the line: only the first command word needs looking at. */
function commandWithUrl(line: string): boolean {
  const m = COMMAND_WORD_RE.exec(line);
  return m !== null && /https?:\/\//i.test(line.slice(m.index + m[0].length));
}

function parseWacHome(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const observations: Observation[] = [];
  for (const seg of segments(lines)) {
    const o = probeSegment(lines, seg, input, warnings);
    if (o) observations.push(o);
  }
  if (observations.length === 0 && warnings.length === 0) {
    throw new ParseError(`expected the output of Invoke-RestMethod -Uri https://wac.azure.com ("${WAC_HOME_TEXT}") or its error`);
  }
  return { observations, warnings };
}

export const wacHomeParser: TextParser = {
  id: 'wac-home',
  label: 'Invoke-RestMethod https://wac.azure.com',
  detect(text) {
    const sample = squash(text.length > 200_000 ? text.slice(0, 200_000) : text);
    if (HOME_RE.test(sample) || CERT_RE.test(sample)) return 95;
    // Host names under the WAC domains match as the domain itself (`(?:[\w-]+\.)*` before it retried every label).
    const wacHost = /\b(?:wac\.azure\.com|waconazure\.com)\b/i.test(sample);
    const command = text.split('\n').some(commandWithUrl);
    const psError = /^(?:Invoke-RestMethod|Invoke-WebRequest)\s*:/im.test(text) || /^curl:\s*\(\d+\)/m.test(text);
    if (wacHost && (command || psError)) return 90;
    if (command && psError) return 45;
    if (command && /^[ \t]*\S/m.test(text.replace(/^.*(?:Invoke-RestMethod|Invoke-WebRequest|irm|iwr|curl)\b.*$/gim, ''))) return 20;
    return 0;
  },
  parse: parseWacHome,
};
