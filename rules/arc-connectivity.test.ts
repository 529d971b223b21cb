import { strict as assert } from 'node:assert';
import rule from './arc-connectivity';
import { fact, runRuleOn } from '../test/support/testing';
import { scanLogText } from '../core/parsers/logs';
import { FactStore } from '../core/engine/fact-store';
import { runRule } from '../core/engine/run';

const NOW = new Date('2026-11-20T12:00:00Z');

/** The rule over what a log text states, as the pipeline sees it. */
function onLog(lines: string[]) {
  const store = new FactStore();
  store.add(...scanLogText('himds.log', lines.join('\n'), 'pasted').observations);
  return runRule(rule, store, { now: NOW });
}

const logrus = (level: string, msg: string, rest = ''): string => `time="2026-11-20T10:00:00Z" level=${level} msg="${msg}"${rest}`;

describe('rule arc-connectivity', () => {
  it('passes when every agent endpoint seen was reached, a 4xx answer included', () => {
    const f = runRuleOn(rule,
      fact('probe.gbl.his.arc.azure.com', { host: 'gbl.his.arc.azure.com', port: 443, reachable: true, http: { status: 400 } }),
      fact('probe.management.azure.com', { host: 'management.azure.com', port: 443, dns: { status: 'ok', addresses: ['4.150.241.10'] }, tcp: { ok: true }, tls: { ok: true } }));
    assert.equal(f.status, 'pass');
    assert.match(f.message, /^The agent reaches its endpoints: gbl\.his\.arc\.azure\.com \(HTTP 400\); management\.azure\.com \(DNS ok/);
  });

  it('fails on DNS with a DNS fix for the failing host, not "allow 443"', () => {
    const f = onLog([
      logrus('error', 'Failed to get regional endpoint', ' Error="Get \\"https://gbl.his.arc.azure.com/discovery?location=westeurope\\": dial tcp: lookup gbl.his.arc.azure.com on 10.0.0.2:53: no such host"'),
    ]);
    assert.equal(f.status, 'fail');
    assert.match(f.message, /gbl\.his\.arc\.azure\.com: the name does not resolve \(DNS\)/);
    assert.match(f.fix!.summary, /^Make gbl\.his\.arc\.azure\.com resolve on the machine/);
    // The log names the DNS server the agent asked (`on 10.0.0.2:53`): the fix asks it too.
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: "Resolve-DnsName -Name 'gbl.his.arc.azure.com' -Type A -Server '10.0.0.2'" }]);
  });

  it('a revocation check that could not reach its CRL/OCSP endpoints gets the revocation fix, not TLS inspection', () => {
    const f = onLog([
      logrus('error', 'Failed to reach https://gbl.his.arc.azure.com', ' Error="The remote certificate is invalid because of errors in the certificate chain: RevocationStatusUnknown, OfflineRevocation"'),
    ]);
    assert.equal(f.status, 'fail');
    assert.match(f.message, /gbl\.his\.arc\.azure\.com: the certificate's revocation could not be checked \(CRL\/OCSP endpoints unreachable\)/);
    assert.match(f.fix!.summary, /^Let Windows check certificate revocation: .*oneocsp\.microsoft\.com/);
    assert.doesNotMatch(f.fix!.summary, /TLS inspection/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ['netsh winhttp show proxy', 'Test-NetConnection -ComputerName oneocsp.microsoft.com -Port 80', 'Test-NetConnection -ComputerName crl.microsoft.com -Port 80']);
  });

  it('one record, many endpoints: each gets its own layer and the fixes follow the layers', () => {
    const f = onLog([
      logrus('fatal', 'required endpoints unavailable: https://gbl.his.arc.azure.com/ (error: Get \\"https://gbl.his.arc.azure.com/\\": remote error: tls: handshake failure), https://management.azure.com/ (error: Get \\"https://management.azure.com/\\": dial tcp 20.1.2.3:443: i/o timeout), https://login.microsoftonline.com/ (error: Get \\"https://login.microsoftonline.com/\\": x509: certificate signed by unknown authority)'),
    ]);
    assert.equal(f.status, 'fail');
    assert.match(f.message, /gbl\.his\.arc\.azure\.com: the TLS handshake failed or was cut/);
    assert.match(f.message, /management\.azure\.com: the connection timed out/);
    assert.match(f.message, /login\.microsoftonline\.com: the certificate chain ends at an untrusted root/);
    assert.match(f.fix!.summary, /Exclude login\.microsoftonline\.com from TLS inspection/);
    assert.match(f.fix!.summary, /Allow outbound HTTPS \(TCP 443\) to management\.azure\.com/);
  });

  it('a failure followed by a success of the same endpoint is resolved', () => {
    const f = onLog([
      logrus('error', 'connection failed', ' Error="dial tcp: lookup pas.windows.net: no such host" Endpoint="https://pas.windows.net"'),
      'time="2026-11-20T10:05:00Z" level=info msg="https://pas.windows.net is available, using cryptographic protocol: TLS 1.3"',
    ]);
    assert.equal(f.status, 'pass');
    assert.match(f.message, /pas\.windows\.net \(.*TLS ok \(TLS 1\.3\)/);
  });

  it('warns, pointing at the proxy, when the requests died at the proxy', () => {
    const f = onLog([
      logrus('error', 'Regional Service Discovery', ' Error="Get \\"https://gbl.his.arc.azure.com/discovery\\": proxyconnect tcp: dial tcp 10.0.0.9:3128: connect: connection refused"'),
    ]);
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^Not tested: the agent's requests to gbl\.his\.arc\.azure\.com failed at the proxy/);
  });

  it('debug-level failures and the IMDS probe are not failures', () => {
    const store = new FactStore();
    store.add(...scanLogText('himds.log', [
      logrus('debug', 'retrying', ' Error="dial tcp: lookup gbl.his.arc.azure.com: no such host"'),
      logrus('error', 'IMDS probe failed', ' Error="Get \\"http://169.254.169.254/metadata/instance\\": dial tcp 169.254.169.254:80: i/o timeout"'),
    ].join('\n'), 'pasted').observations);
    assert.equal(runRule(rule, store, { now: NOW }).status, 'skip');
  });

  it('skips without any probe of an agent endpoint', () => {
    const f = runRuleOn(rule, fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: true }));
    assert.equal(f.status, 'skip');
    assert.ok(f.missing![0]!.includes('probe.gbl.his.arc.azure.com'));
  });
  it('on a Linux machine (issue 9 item 6): getent / nslookup for DNS, curl for a timeout, sudo azcmagent for the proxy', () => {
    const linux = fact('os', { platform: 'linux', name: 'Ubuntu 22.04.4 LTS' });
    const dns = runRuleOn(rule, linux, fact('probe.gbl.his.arc.azure.com', { host: 'gbl.his.arc.azure.com', port: 443, dns: { status: 'nxdomain', addresses: [], resolver: '10.0.0.2' } }));
    assert.deepEqual(dns.fix!.commands, [{ shell: 'bash', command: "getent hosts 'gbl.his.arc.azure.com' && nslookup 'gbl.his.arc.azure.com' '10.0.0.2'" }]);
    assert.match(dns.fix!.summary, /\/etc\/hosts/);
    const timeout = runRuleOn(rule, linux, fact('probe.management.azure.com', { host: 'management.azure.com', port: 443, tcp: { ok: false, error: 'i/o timeout' } }));
    assert.deepEqual(timeout.fix!.commands, [{ shell: 'bash', command: "curl -sS -v -o /dev/null 'https://management.azure.com'" }]);
    const proxy = runRuleOn(rule, linux, fact('probe.management.azure.com', { host: 'management.azure.com', port: 443, tcp: { ok: true }, tls: { ok: true }, http: { status: 407 } }));
    assert.deepEqual(proxy.fix!.commands, [{ shell: 'bash', command: "sudo azcmagent config set proxy.url '<http://proxy-host:port>'" }]);
  });
});
