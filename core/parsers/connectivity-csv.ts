/**
 * Connectivity-test results exported as CSV (`Export-Csv`), one endpoint per row: Azure Local's connectivity test
 * (`RowID,URL,Port,...,Layer7Status,Layer7Response,...,CertificateIssuer,...,RootCertificateSubject`) and any
 * export with a URL/host column and a status column. A row becomes a probe of its host:
 * - `Success` (or True/Passed) is reachable, and an HTTP answer in the response column (`(400) Bad Request`) proves
 *   the endpoint was reached even when it is a 4xx;
 * - `Failed`/False with the response column's error text is a failure (the error taxonomy reads the layer);
 * - `Skipped` and wildcard rows are not probes (nothing was tested);
 * - the certificate columns give the issuer and root: a root outside the public CAs Microsoft's endpoints chain to
 *   is what TLS inspection looks like.
 */
import { observe, probeKey, type EndpointProbe, type Observation, type TlsProbe } from '../model/facts';
import { excerpt, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';
import { classifyError } from '../catalog/error-taxonomy';
import { usableHost } from './logs/endpoints';

const URL_COLUMNS = ['url', 'uri', 'endpoint', 'host', 'hostname', 'computername', 'target'];
const STATUS_COLUMNS = ['layer7status', 'status', 'result', 'teststatus', 'tcpteststatus', 'tcpstatus'];
const RESPONSE_COLUMNS = ['layer7response', 'response', 'error', 'message', 'exception', 'note'];

/** Roots the certificates of Microsoft's public endpoints chain to (public CAs in the Microsoft root program). */
const PUBLIC_ROOTS = /DigiCert|Microsoft (?:RSA|ECC|Root)|Baltimore CyberTrust|GlobalSign|Entrust|Sectigo|USERTrust|ISRG|Google Trust|GTS Root|Amazon Root|Starfield|Go Daddy/i;

/** One CSV line into fields (RFC 4180 quotes, `""` inside quotes). Linear: one pass over the characters. */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += line[i++];
      }
      out.push(v);
      while (i < line.length && line[i] !== ',') i++;
      i++;
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      out.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}

function columnIndex(header: string[], names: string[]): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

function headerOf(text: string): string[] | undefined {
  const first = text.slice(0, Math.min(text.length, 8192)).split('\n').find((l) => l.trim()) ?? '';
  if (!first.includes(',')) return undefined;
  const header = csvFields(first.trim());
  return columnIndex(header, URL_COLUMNS) >= 0 && columnIndex(header, STATUS_COLUMNS) >= 0 ? header : undefined;
}

function statusWord(s: string): 'ok' | 'failed' | 'skipped' | undefined {
  if (/^(success|succeeded|passed|pass|true|ok|reachable)$/i.test(s.trim())) return 'ok';
  if (/^(fail|failed|failure|false|error|unreachable|blocked)$/i.test(s.trim())) return 'failed';
  if (/^(skipped|skip|n\/a|not tested)$/i.test(s.trim())) return 'skipped';
  return undefined;
}

function parseCsv(text: string, input: InputRef): ParseResult {
  const header = headerOf(text);
  if (!header) throw new ParseError('has no header row with a URL and a status column');
  const urlCol = columnIndex(header, URL_COLUMNS);
  const statusCol = columnIndex(header, STATUS_COLUMNS);
  const responseCol = columnIndex(header, RESPONSE_COLUMNS);
  const portCol = columnIndex(header, ['port', 'remoteport']);
  const issuerCol = columnIndex(header, ['certificateissuer', 'issuer']);
  const rootCol = columnIndex(header, ['rootcertificatesubject', 'rootcertificateissuer', 'root']);
  const lines = text.split('\n');
  const observations: Observation[] = [];
  const warnings: string[] = [];
  let headerSeen = false;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    if (!headerSeen) {
      headerSeen = true;
      return;
    }
    const f = csvFields(line);
    const target = (f[urlCol] ?? '').trim();
    if (!target || target.includes('*')) return;
    const host = usableHost(target.replace(/^[a-z]+:\/\//i, '').split(/[/:?]/, 1)[0]!);
    if (!host) return;
    const status = statusWord(f[statusCol] ?? '');
    if (status === undefined) {
      warnings.push(`line ${index + 1}: ${host}: unknown status "${excerpt(f[statusCol] ?? '')}"`);
      return;
    }
    if (status === 'skipped') return;
    const portText = portCol >= 0 ? (f[portCol] ?? '').trim() : '';
    const probe: EndpointProbe = { host, port: /^\d{1,5}$/.test(portText) ? Number(portText) : 443 };
    const response = responseCol >= 0 ? (f[responseCol] ?? '').trim() : '';
    const http = /\((\d{3})\)/.exec(response)?.[1] ?? /^(\d{3})\b/.exec(response)?.[1];
    if (status === 'ok') {
      probe.reachable = true;
      if (http) probe.http = { status: Number(http) };
    } else {
      probe.reachable = false;
      if (response && !/^n\/a$/i.test(response)) probe.error = response;
      const layer = classifyError(response)?.layer;
      if (layer) probe.layer = layer;
    }
    const issuer = issuerCol >= 0 ? (f[issuerCol] ?? '').trim() : '';
    const root = rootCol >= 0 ? (f[rootCol] ?? '').trim() : '';
    // Only a certificate's distinguished name is an issuer (port-80 rows say `Port 80 - SSL not required`).
    if (issuer.includes('=') && probe.port !== 80) {
      const cn = (s: string): string => /CN=([^,]{1,200})/.exec(s)?.[1]?.trim() ?? s;
      const tls: TlsProbe = { ok: status === 'ok' || probe.layer === undefined || !probe.layer.startsWith('tls'), issuer: cn(issuer) };
      if (root.includes('=')) {
        tls.chain = [cn(issuer), cn(root)];
        tls.trustedPublicCa = PUBLIC_ROOTS.test(root);
      }
      probe.tls = tls;
    }
    observations.push(observe(probeKey(host), probe, { source: input.source, path: input.path, line: index + 1, excerpt: excerpt(line) }));
  });
  if (observations.length === 0 && warnings.length === 0) warnings.push('no tested endpoint rows (every row was skipped or a wildcard)');
  return { observations, warnings };
}

export const connectivityCsvParser: TextParser = {
  id: 'connectivity-csv',
  label: 'connectivity test results (CSV)',
  detect: (text) => (headerOf(text) ? 80 : 0),
  parse: parseCsv,
};
