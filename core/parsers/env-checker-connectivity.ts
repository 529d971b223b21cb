/**
 * Azure Local's Environment Checker connectivity results (`Invoke-AzStackHciConnectivityValidation`, and the
 * deployment's `Type 'ValidateConnectivity' of Role 'EnvironmentValidator' raised an exception: {...}`): JSON result
 * objects, each naming its endpoint (`TargetResourceName`), with `AdditionalData.Status` (`SUCCESS`/`FAILURE`),
 * `ExceptionMessage` and `StatusCode`. One endpoint probe per result; a failure's layer is the error taxonomy's reading
 * of its exception message. The message names no host of its own, so a line-by-line scan cannot attribute it: this
 * parser does.
 *
 * Read line by line, key by key (the JSON as pasted is often cut short, as the portal's and tickets' copies are): a
 * result starts at its `TargetResourceName`, and its keys are the ones that follow until the next result's.
 */
import { observe, probeKey, type EndpointProbe, type Observation } from '../model/facts';
import { lineEvidence, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';
import { classifyErrors } from '../catalog/error-taxonomy';
import { failureLayers, usableHost } from './logs/endpoints';

/** `"Key": "value"` on one line (the value a JSON string, escapes kept), at most this long. */
const MAX_VALUE = 4096;

/** The string value of `"key": "..."` on `line`, unescaped, or undefined; keys compared case-insensitively. */
export function jsonStringAt(line: string, key: string): string | undefined {
  const at = line.toLowerCase().indexOf(`"${key.toLowerCase()}"`);
  if (at < 0) return undefined;
  let i = at + key.length + 2;
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (line[i] !== ':') return undefined;
  i++;
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (line[i] !== '"') return undefined;
  let out = '';
  for (i++; i < line.length && out.length < MAX_VALUE; i++) {
    const c = line[i]!;
    if (c === '"') return out;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = line[++i];
    if (e === 'n' || e === 'r' || e === 't') out += ' ';
    else if (e === 'u') {
      const hex = line.slice(i + 1, i + 5);
      out += /^[0-9a-fA-F]{4}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : '';
      i += 4;
    } else if (e !== undefined) out += e;
  }
  return undefined; // unterminated (cut short)
}

interface Result { host: string; url: string; line: number; status?: string; exception?: string; statusCode?: string; tcp?: boolean }

function toProbe(r: Result): EndpointProbe | undefined {
  const probe: EndpointProbe = { host: r.host, port: 443, url: r.url };
  const status = r.status?.toUpperCase();
  const code = r.statusCode && /^\d{3}$/.test(r.statusCode) ? Number(r.statusCode) : undefined;
  if (status === 'SUCCESS') {
    probe.reachable = true;
    if (code !== undefined) probe.http = { status: code };
    return probe;
  }
  if (status !== 'FAILURE') return undefined; // not tested, or the result was cut before its status
  probe.reachable = false;
  const error = r.exception?.trim();
  if (error) {
    // The failed layer's own field (tls, dns, tcp), as a log record's failure gets it; the most specific is the layer.
    const matches = classifyErrors(error);
    Object.assign(probe, failureLayers(new Set(matches.map((m) => m.layer)), error));
    if (matches[0]) probe.layer = matches[0].layer;
  }
  // The validator's own TCP test, when its Detail says (a TLS failure after TCP connected).
  if (r.tcp !== undefined) probe.tcp = r.tcp ? { ok: true } : { ok: false, ...(error ? { error } : {}) };
  if (code !== undefined) probe.http = { status: code };
  return probe;
}

function parse(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const observations: Observation[] = [];
  const warnings: string[] = [];
  let current: Result | undefined;
  let results = 0;
  const flush = (): void => {
    if (!current) return;
    const probe = toProbe(current);
    if (probe) observations.push(observe(probeKey(probe.host), probe, lineEvidence(input, current.line, lines[current.line] ?? '')));
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const target = jsonStringAt(line, 'TargetResourceName');
    if (target !== undefined) {
      flush();
      results++;
      const url = target.trim();
      const host = usableHost(url.replace(/^[a-z][a-z0-9+.-]{0,20}:\/\//i, '').split(/[/:?#]/, 1)[0]!);
      if (host && !url.includes('*')) current = { host, url, line: i };
      else warnings.push(`line ${i + 1}: "${url.slice(0, 80)}" is not an endpoint; result skipped`);
      continue;
    }
    if (!current) continue;
    const status = jsonStringAt(line, 'Status');
    if (status !== undefined) current.status = status;
    const exception = jsonStringAt(line, 'ExceptionMessage');
    if (exception !== undefined) current.exception = exception;
    const code = jsonStringAt(line, 'StatusCode');
    if (code !== undefined) current.statusCode = code;
    const detail = jsonStringAt(line, 'Detail');
    if (detail !== undefined) {
      const tcp = /TCPNetConnection: (True|False)/i.exec(detail);
      if (tcp) current.tcp = tcp[1]!.toLowerCase() === 'true';
    }
  }
  flush();
  if (results === 0) throw new ParseError('has no results; expected result objects with "TargetResourceName" and "AdditionalData": { "Status": "FAILURE", "ExceptionMessage": ... }');
  return warnings.length ? { observations, warnings } : { observations };
}

export const envCheckerConnectivityParser: TextParser = {
  id: 'env-checker-connectivity',
  label: 'Azure Local Environment Checker connectivity results',
  detect(text) {
    const head = text.slice(0, 262144);
    if (!/"TargetResourceName"\s{0,4}:/.test(head) || !/"AdditionalData"\s{0,4}:/.test(head)) return 0;
    return /EnvironmentValidator|ValidateConnectivity|"HealthCheckSource"|"TargetResourceType"\s{0,4}:\s{0,4}"External Endpoint"/.test(head) ? 85 : 60;
  },
  parse,
};
