import { strict as assert } from 'node:assert';
import { arcEndpointCheckParser } from './arc-endpoint-check';
import { detectParser } from '.';
import { ParseError, type ParseResult } from './parser';
import type { EndpointProbe } from '../model/facts';

const input = { path: 'ArcEndpointCheck_SRV01.txt', source: 'pasted' as const };

function output(rows: string[], header: string[] = [], issues: string[] = []): string {
  return [
    '==========================================================================',
    '  AZURE ARC ENDPOINT CHECK',
    '==========================================================================',
    '  Host:                  SRV01',
    '  Time:                  2026-11-28 09:14:03',
    ...header,
    '',
    '  Group | Endpoint                                | IP              | Type | Result        | Latency',
    '  ------+-----------------------------------------+-----------------+------+---------------+--------',
    ...rows,
    '',
    ...issues,
    '  STATUS: FAIL  |  OK:1 Fail:1 Warn:0 Issues:0  |  Public westeurope',
    '',
  ].join('\r\n');
}

const byName = (r: ParseResult): Map<string, ParseResult['observations'][number]> => new Map(r.observations.map((o) => [o.name, o]));
const probe = (r: ParseResult, host: string): EndpointProbe => byName(r).get(`probe.${host}`)!.value as EndpointProbe;

describe('ArcEndpointCheck output parser', () => {
  it('is detected by its banner or summary with its results header, and not for azcmagent check', () => {
    const text = output(['  Core  | gbl.his.arc.azure.com | 20.50.2.1 | PUB | Reachable | 24ms']);
    assert.equal(detectParser(text), arcEndpointCheckParser);
    assert.equal(arcEndpointCheckParser.detect('ENDPOINT | REACHABLE | PRIVATE | TLS | PROXY\nhttps://gbl.his.arc.azure.com | true | false | TLS 1.2 | not set\n'), 0);
    assert.equal(arcEndpointCheckParser.detect('Group | Endpoint | Owner\nCore | x | y\n'), 0);
  });

  it('reads each documented Result as the layers it tested', () => {
    const r = arcEndpointCheckParser.parse(output([
      '  Core  | login.windows.net                       | 20.190.173.132  | PUB  | Reachable     | 24ms',
      '  Core  | gbl.his.arc.azure.com                   | 10.1.0.4        | PRIV | Reachable*    | 305ms',
      '  Core  | westeurope.his.arc.azure.com            | -               | -    | FAIL(DNS)     | -',
      '  WAC   | westeurope.service.waconazure.com       | 20.73.1.9       | PUB  | FAIL(TCP)     | -',
      '  Core  | pas.windows.net                         | -               | -    | FAIL(DNS,TCP) | -',
      '  Core  | management.azure.com                    | 4.150.240.10    | PUB  | FAIL(HTTP)    | 30ms',
      '  Core  | agentserviceapi.guestconfiguration.azure.com | 20.61.94.7 | PUB  | Warning       | 40ms',
    ]), input);
    assert.deepEqual(probe(r, 'login.windows.net'), { host: 'login.windows.net', port: 443, private: false, reachable: true, dns: { status: 'ok', addresses: ['20.190.173.132'], private: false }, tcp: { ok: true, ms: 24 } });
    assert.equal(probe(r, 'gbl.his.arc.azure.com').private, true);
    assert.equal(probe(r, 'gbl.his.arc.azure.com').dns!.private, true);
    const dns = probe(r, 'westeurope.his.arc.azure.com');
    assert.deepEqual([dns.reachable, dns.layer, dns.dns!.status], [false, 'dns', 'error']);
    const tcp = probe(r, 'westeurope.service.waconazure.com');
    assert.deepEqual([tcp.reachable, tcp.layer, tcp.tcp!.ok, tcp.dns!.addresses], [false, 'tcp-timeout', false, ['20.73.1.9']]);
    assert.equal(probe(r, 'pas.windows.net').layer, 'dns');
    const http = probe(r, 'management.azure.com');
    assert.deepEqual([http.reachable, http.layer, http.tcp!.ok, typeof http.http!.error], [false, undefined, true, 'string']);
    assert.equal(probe(r, 'agentserviceapi.guestconfiguration.azure.com').reachable, true);
    assert.equal(byName(r).get('probe.westeurope.service.waconazure.com')!.evidence[0]!.line, 12);
  });

  it('reads the header (agent status and version, region, gateway mode) and the proxy table\'s URLs', () => {
    const r = arcEndpointCheckParser.parse(output(['  Core  | gbl.his.arc.azure.com | 20.50.2.1 | PUB | Reachable | 24ms'], [
      '  Agent:                 Installed | Connected | v1.65.03439.3010',
      '  Region:                eastus2 (auto-detected)',
      '  Mode:                  Gateway',
      '',
      '  Source             | Proxy                               | Used By',
      '  -------------------+-------------------------------------+-----------------------',
      '  WinHTTP (OS)       | http://10.0.1.4:8443                | SCHANNEL/OCSP/CRL',
      '  azcmagent          | http://10.0.1.4:8443                | Arc Agent',
      '  HTTPS_PROXY        | (none)                              | Extensions',
    ]), input);
    const m = byName(r);
    assert.deepEqual(['agent.status', 'agent.version', 'agent.location', 'config.connectionType', 'config.proxyUrl'].map((n) => m.get(n as never)?.value),
      ['Connected', '1.65.03439.3010', 'eastus2', 'gateway', 'http://10.0.1.4:8443']);
    assert.equal(m.has('env.httpsProxy'), false, '(none) is not a proxy');
    // The proxy rows are not endpoints.
    assert.deepEqual([...m.keys()].filter((k) => k.startsWith('probe.')), ['probe.gbl.his.arc.azure.com']);
  });

  it('quotes the CRITICAL and HIGH issues with their Fix lines; WARN issues are not said', () => {
    const r = arcEndpointCheckParser.parse(output(['  Core  | gbl.his.arc.azure.com | 20.50.2.1 | PUB | Reachable | 24ms'], [], [
      '  #   | Severity | Category     | Message',
      '  ----+----------+--------------+---------------------------------------------------',
      '  1   | CRITICAL | PKI Bypass   | 2 PKI endpoint(s) not in proxy bypass',
      '      |          |              | Fix: Add to GPO NO_PROXY: crl4.digicert.com',
      '  2   | WARN     | Discovery    | Regional endpoints taken from the abbreviation map',
      '  3   | HIGH     | TLS          | TLS 1.2 client disabled in SCHANNEL',
      '',
    ]), input);
    assert.deepEqual(r.warnings, [
      'ArcEndpointCheck reported CRITICAL PKI Bypass: 2 PKI endpoint(s) not in proxy bypass (Fix: Add to GPO NO_PROXY: crl4.digicert.com)',
      'ArcEndpointCheck reported HIGH TLS: TLS 1.2 client disabled in SCHANNEL',
    ]);
  });

  it('malformed: rows it cannot read are skipped with a warning; no rows at all is a ParseError', () => {
    const r = arcEndpointCheckParser.parse(output([
      '  Core  | not a host!                             | -               | -    | FAIL(DNS)     | -',
      '  Core  | gbl.his.arc.azure.com                   | 20.50.2.1       | PUB  | Sideways      | -',
      '  Core  | pas.windows.net                         | 40.126.1.1      | PUB  | FAIL(DISK)    | -',
      '  Core  | login.windows.net                       | 20.190.173.132  | PUB  | Reachable     | 24ms',
    ]), input);
    assert.deepEqual([...byName(r).keys()], ['probe.login.windows.net']);
    assert.equal(r.warnings!.length, 3);
    assert.match(r.warnings![1]!, /^line 10: Result "Sideways" is not one the script prints/);
    assert.throws(() => arcEndpointCheckParser.parse(output([]), input), (e: unknown) => e instanceof ParseError && /has no results rows/.test(e.message));
  });
});
