import { strict as assert } from 'node:assert';
import rule from './endpoint-wac';
import { fact, runRuleOn } from '../test/support/testing';

const HOME = "You've found the Windows Admin Center in Azure APIs' home page. Please use the Azure portal to manage your virtual machines with Windows Admin Center.";
const CERT = 'Microsoft Certificate and DNS service for Windows Admin Center in the Azure Portal';
const REGIONAL_OK = fact('probe.westeurope.service.waconazure.com', { host: 'westeurope.service.waconazure.com', port: 443, http: { status: 200, body: CERT } });

describe('rule endpoint-wac', () => {
  it('passes when the regional service answers with its documented page', () => {
    const f = runRuleOn(rule, REGIONAL_OK,
      fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, tls: { ok: true }, http: { status: 200, body: HOME } }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Reachable: westeurope.service.waconazure.com (HTTP 200 with the expected page).');
    assert.equal(f.evidence[0]?.path, 'test-input.txt');
  });

  it('passes on the regional service even when the legacy wac.azure.com fails, saying so', () => {
    const f = runRuleOn(rule, REGIONAL_OK, fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: false, error: 'no such host' }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Reachable: westeurope.service.waconazure.com (HTTP 200 with the expected page). Legacy wac.azure.com (no such host) failed; only extensions before 0.0.0.203 need it.');
  });

  it('fails on NXDOMAIN of the regional name, naming it, and opens *.waconazure.com', () => {
    const f = runRuleOn(rule,
      fact('probe.westeurope.service.waconazure.com', {
        host: 'westeurope.service.waconazure.com', port: 443, dns: { status: 'nxdomain', addresses: [] },
      }),
      fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: true }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Cannot reach the Windows Admin Center service: westeurope.service.waconazure.com: DNS NXDOMAIN.');
    assert.match(f.fix!.summary, /^Make westeurope\.service\.waconazure\.com resolve on the machine/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ['Resolve-DnsName -Name \'westeurope.service.waconazure.com\' -Type A']);
  });

  it('a timeout of the regional name opens *.waconazure.com on the firewall', () => {
    const f = runRuleOn(rule, fact('probe.westeurope.service.waconazure.com', {
      host: 'westeurope.service.waconazure.com', port: 443, dns: { status: 'ok', addresses: ['150.171.1.1'] }, tcp: { ok: false, error: 'i/o timeout' },
    }));
    assert.match(f.fix!.summary, /\*\.waconazure\.com, westeurope\.service\.waconazure\.com \(or the WindowsAdminCenter and AzureFrontDoor\.Frontend service tags\)/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      'Invoke-RestMethod -Method GET -Uri \'https://westeurope.service.waconazure.com\'',
      'Test-NetConnection -ComputerName \'westeurope.service.waconazure.com\' -Port 443',
    ]);
  });

  it('TLS interception of the regional name: the exemption list names *.waconazure.com', () => {
    const f = runRuleOn(rule, fact('probe.westeurope.service.waconazure.com', {
      host: 'westeurope.service.waconazure.com', port: 443, tcp: { ok: true }, tls: { ok: false, error: 'x509: certificate signed by unknown authority' },
    }));
    assert.match(f.fix!.summary, /^Exclude \*\.waconazure\.com, westeurope\.service\.waconazure\.com from TLS inspection/);
  });

  it('a handshake that failed its revocation check (CRL/OCSP blocked) gets the revocation fix, not a TLS inspection exemption', () => {
    const f = runRuleOn(rule, fact('probe.westeurope.service.waconazure.com', {
      host: 'westeurope.service.waconazure.com', port: 443, tcp: { ok: true },
      tls: { ok: false, error: 'schannel: next InitializeSecurityContext failed: CRYPT_E_REVOCATION_OFFLINE (0x80092013) - The revocation function was unable to check revocation because the revocation server was offline.' },
    }));
    assert.equal(f.status, 'fail');
    assert.match(f.fix!.summary, /^Let Windows check certificate revocation/);
    assert.doesNotMatch(f.fix!.summary, /TLS inspection/);
  });

  it('fails when a proxy block page answers instead of the certificate service page', () => {
    const f = runRuleOn(rule, fact('agent.location', 'northeurope'), fact('probe.northeurope.service.waconazure.com', {
      host: 'northeurope.service.waconazure.com', port: 443, tls: { ok: true }, http: { status: 200, body: '<html><head><title>Blocked by Contoso Proxy</title></head></html>' },
    }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^Cannot reach the Windows Admin Center service: northeurope\.service\.waconazure\.com: HTTP 200 with "Blocked by Contoso Proxy" instead of the expected/);
    assert.equal(f.fix!.commands[0]!.command, 'Invoke-RestMethod -Method GET -Uri \'https://northeurope.service.waconazure.com\'');
  });

  it('says when the machine region is known but its regional name was not the one probed', () => {
    const f = runRuleOn(rule, fact('agent.location', 'eastus'), REGIONAL_OK);
    assert.equal(f.status, 'pass');
    assert.match(f.message, / eastus\.service\.waconazure\.com itself was not probed\.$/);
  });

  it('judges the legacy endpoint when the extension is older than 0.0.0.203', () => {
    const f = runRuleOn(rule, fact('extension.adminCenter', { installed: true, version: '0.0.0.169' }),
      fact('probe.eastus.wac.azure.com', { host: 'eastus.wac.azure.com', port: 443, tcp: { ok: false, error: 'connect ETIMEDOUT 20.1.2.3:443' } }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /eastus\.wac\.azure\.com: TCP connection to port 443 failed: connect ETIMEDOUT 20\.1\.2\.3:443.*older than 0\.0\.0\.203, so it still uses \*\.wac\.azure\.com/);
    assert.match(f.fix!.summary, /\*\.wac\.azure\.com/);
  });

  it('warns when only the legacy wac.azure.com was probed and it failed', () => {
    const f = runRuleOn(rule, fact('agent.location', 'westeurope'), fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: false, error: 'no such host' }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, "Only the legacy WAC endpoint was probed and it failed: wac.azure.com: no such host. Extensions before 0.0.0.203 needed it; today's requirement is westeurope.service.waconazure.com (*.waconazure.com), which was not probed; probe https://westeurope.service.waconazure.com (Invoke-RestMethod -Method GET -Uri https://westeurope.service.waconazure.com).");
    assert.equal(f.fix!.commands[0]!.command, "Invoke-RestMethod -Method GET -Uri 'https://westeurope.service.waconazure.com'");
  });

  it('skips when only the legacy name was probed and it worked, and without a region uses a placeholder', () => {
    const f = runRuleOn(rule, fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, http: { status: 200, body: HOME } }));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /^Only the legacy wac\.azure\.com was probed \(reachable\); it says nothing about today's endpoint <region>\.service\.waconazure\.com/);
  });

  it('skips, naming the probes it needs, without any WAC probe', () => {
    const f = runRuleOn(rule, fact('probe.pas.windows.net', { host: 'pas.windows.net', port: 443, reachable: true }));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['probe.*.waconazure.com | probe.wac.azure.com | probe.*.wac.azure.com']);
  });

  it('skips when the probes carry no result', () => {
    const f = runRuleOn(rule, fact('probe.westeurope.service.waconazure.com', { host: 'westeurope.service.waconazure.com', port: 443 }));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /westeurope\.service\.waconazure\.com record no DNS, TCP, TLS, HTTP or reachability result/);
  });
});
