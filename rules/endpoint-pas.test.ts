import { strict as assert } from 'node:assert';
import rule from './endpoint-pas';
import { fact, runRuleOn } from '../test/support/testing';

describe('rule endpoint-pas', () => {
  it('passes when pas.windows.net is reachable', () => {
    const f = runRuleOn(rule, fact('probe.pas.windows.net', {
      host: 'pas.windows.net', port: 443, dns: { status: 'ok', addresses: ['40.126.1.1'] }, tcp: { ok: true }, tls: { ok: true, protocol: 'TLSv1.2' },
    }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Reachable: pas.windows.net (DNS ok (40.126.1.1), TCP 443 ok, TLS ok (TLSv1.2)).');
  });

  it('fails when azcmagent check says unreachable, and suggests testing pas.windows.net', () => {
    const f = runRuleOn(rule, fact('probe.pas.windows.net', { host: 'pas.windows.net', port: 443, reachable: false, proxy: 'not set' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Cannot reach Microsoft Entra ID (pas.windows.net): pas.windows.net: reported unreachable (proxy not set).');
    assert.match(f.fix!.summary, /pas\.windows\.net/);
    assert.deepEqual(f.fix!.commands.at(-1), { shell: 'powershell', command: 'Test-NetConnection -ComputerName \'pas.windows.net\' -Port 443' });
  });

  it('fails on a TLS handshake failure', () => {
    const f = runRuleOn(rule, fact('probe.pas.windows.net', { host: 'pas.windows.net', port: 443, tcp: { ok: true }, tls: { ok: false, error: 'ECONNRESET' } }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /pas\.windows\.net: TLS handshake failed: ECONNRESET/);
  });

  it('skips without a probe of pas.windows.net', () => {
    const f = runRuleOn(rule, fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: true }));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['probe.pas.windows.net']);
    assert.match(f.message, /azcmagent check/);
  });
});

describe('rule endpoint-pas: the fix follows the failing layer (issue 9 item 3)', () => {
  const probe = (p: Record<string, unknown>) => fact('probe.pas.windows.net', { host: 'pas.windows.net', port: 443, ...p });
  const commands = (f: ReturnType<typeof runRuleOn>) => f.fix!.commands.map((c) => `${c.shell}: ${c.command}`);

  it('DNS: Resolve-DnsName against the DNS server the probe asked, and forwarder / hosts-file advice', () => {
    const f = runRuleOn(rule, probe({ dns: { status: 'nxdomain', addresses: [], resolver: '10.0.0.2' } }));
    assert.equal(f.status, 'fail');
    assert.deepEqual(commands(f), ["powershell: Resolve-DnsName -Name 'pas.windows.net' -Type A -Server '10.0.0.2'"]);
    assert.match(f.fix!.summary, /DNS server it uses \(10\.0\.0\.2\).*conditional forwarder.*hosts/);
    assert.doesNotMatch(f.fix!.summary, /Allow outbound/);
  });

  it('DNS from a Go lookup error: the server in `lookup ... on <ip>:53` is used', () => {
    const f = runRuleOn(rule, probe({ reachable: false, error: 'dial tcp: lookup pas.windows.net on 192.168.1.53:53: no such host' }));
    assert.deepEqual(commands(f), ["powershell: Resolve-DnsName -Name 'pas.windows.net' -Type A -Server '192.168.1.53'"]);
  });

  it('DNS without a stated server: no -Server', () => {
    const f = runRuleOn(rule, probe({ error: "The remote name could not be resolved: 'pas.windows.net'" }));
    assert.deepEqual(commands(f), ["powershell: Resolve-DnsName -Name 'pas.windows.net' -Type A"]);
  });

  it('a 407 from the proxy: the proxy fix, not the firewall', () => {
    const f = runRuleOn(rule, probe({ tcp: { ok: true }, tls: { ok: true }, http: { status: 407 } }));
    assert.equal(f.status, 'fail');
    assert.deepEqual(commands(f), ["powershell: azcmagent config set proxy.url '<http://proxy-host:port>'"]);
  });

  it('TLS interception (untrusted root): the exemption list', () => {
    const f = runRuleOn(rule, probe({ tcp: { ok: true }, tls: { ok: false, error: 'x509: certificate signed by unknown authority' } }));
    assert.match(f.fix!.summary, /^Exclude pas\.windows\.net from TLS inspection/);
    assert.deepEqual(commands(f), ["powershell: Invoke-WebRequest -UseBasicParsing -Method GET -Uri 'https://pas.windows.net'"]);
  });

  it('a timeout: the firewall rule', () => {
    const f = runRuleOn(rule, probe({ dns: { status: 'ok', addresses: ['40.126.1.1'] }, tcp: { ok: false, error: 'connect ETIMEDOUT 40.126.1.1:443' } }));
    assert.match(f.fix!.summary, /^Allow outbound HTTPS \(TCP 443\) to pas\.windows\.net on the firewall/);
    assert.deepEqual(commands(f), ["powershell: Test-NetConnection -ComputerName 'pas.windows.net' -Port 443"]);
  });

  it('refused: what refuses (a proxy the network needs, a rejecting firewall), with the proxy settings to look at', () => {
    const f = runRuleOn(rule, probe({ tcp: { ok: false, error: 'connect ECONNREFUSED 40.126.1.1:443' } }));
    assert.match(f.fix!.summary, /refused or had no route.*proxy.*firewall rejects/);
    assert.deepEqual(commands(f), [
      "powershell: Test-NetConnection -ComputerName 'pas.windows.net' -Port 443", 'powershell: azcmagent config get proxy.url', 'powershell: netsh winhttp show proxy',
    ]);
  });

  it('a DNS server that is not an IP address never reaches the command', () => {
    const f = runRuleOn(rule, probe({ dns: { status: 'nxdomain', addresses: [], resolver: "10.0.0.2'; Restart-Computer" } }));
    assert.deepEqual(commands(f), ["powershell: Resolve-DnsName -Name 'pas.windows.net' -Type A"]);
  });
});
