import { strict as assert } from 'node:assert';
import rule from './endpoint-wac';
import { fact, runRuleOn } from '../core/testing';

const HOME = "You've found the Windows Admin Center in Azure APIs' home page. Please use the Azure portal to manage your virtual machines with Windows Admin Center.";
const CERT = 'Microsoft Certificate and DNS service for Windows Admin Center in the Azure Portal';

describe('rule endpoint-wac', () => {
  it('passes when wac.azure.com and the regional service answer with their documented pages', () => {
    const f = runRuleOn(rule,
      fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, tls: { ok: true }, http: { status: 200, body: HOME } }),
      fact('probe.westeurope.service.waconazure.com', { host: 'westeurope.service.waconazure.com', port: 443, http: { status: 200, body: CERT } }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message,
      'Reachable: wac.azure.com (TLS ok, HTTP 200 with the expected page); westeurope.service.waconazure.com (HTTP 200 with the expected page).');
    assert.equal(f.evidence[0]?.path, 'test-input.txt');
  });

  it('fails on NXDOMAIN, naming the host, and suggests opening the WAC endpoints', () => {
    const f = runRuleOn(rule,
      fact('probe.westeurope.service.waconazure.com', {
        host: 'westeurope.service.waconazure.com', port: 443, dns: { status: 'nxdomain', addresses: [] },
      }),
      fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: true }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Cannot reach the Windows Admin Center service: westeurope.service.waconazure.com: DNS NXDOMAIN. Reachable: wac.azure.com.');
    assert.match(f.fix!.summary, /\*\.waconazure\.com, westeurope\.service\.waconazure\.com/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      'Invoke-RestMethod -Method GET -Uri \'https://wac.azure.com\'',
      'Test-NetConnection -ComputerName \'westeurope.service.waconazure.com\' -Port 443',
    ]);
  });

  it('fails when a proxy block page answers instead of the WAC home page', () => {
    const f = runRuleOn(rule, fact('probe.wac.azure.com', {
      host: 'wac.azure.com', port: 443, tls: { ok: true }, http: { status: 200, body: '<html><head><title>Blocked by Contoso Proxy</title></head></html>' },
    }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^Cannot reach the Windows Admin Center service: wac\.azure\.com: HTTP 200 with "Blocked by Contoso Proxy" instead of the expected/);
    assert.match(f.message, /proxy block page/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      'Invoke-RestMethod -Method GET -Uri \'https://wac.azure.com\'',
      'Test-NetConnection -ComputerName \'wac.azure.com\' -Port 443',
    ]);
  });

  it('fails on a TCP or TLS failure and on an error as reported', () => {
    const tcp = runRuleOn(rule, fact('probe.eastus.wac.azure.com', { host: 'eastus.wac.azure.com', port: 443, tcp: { ok: false, error: 'connect ETIMEDOUT 20.1.2.3:443' } }));
    assert.equal(tcp.status, 'fail');
    assert.match(tcp.message, /eastus\.wac\.azure\.com: TCP connection to port 443 failed: connect ETIMEDOUT 20\.1\.2\.3:443/);
    assert.match(tcp.fix!.summary, /\*\.wac\.azure\.com/);
    const reported = runRuleOn(rule, fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: false, error: 'no such host' }));
    assert.equal(reported.message, 'Cannot reach the Windows Admin Center service: wac.azure.com: no such host.');
  });

  it('skips, naming the probes it needs, without any WAC probe', () => {
    const f = runRuleOn(rule, fact('probe.pas.windows.net', { host: 'pas.windows.net', port: 443, reachable: true }));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['probe.wac.azure.com | probe.*.wac.azure.com | probe.*.waconazure.com']);
    assert.match(f.message, /Invoke-RestMethod https:\/\/wac\.azure\.com/);
  });

  it('skips when the probes carry no result', () => {
    const f = runRuleOn(rule, fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443 }));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /wac\.azure\.com record no DNS, TCP, TLS, HTTP or reachability result/);
  });
});
