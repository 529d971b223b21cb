import { strict as assert } from 'node:assert';
import rule from './tls-inspection';
import type { TlsProbe } from '../core/model/facts';
import { fact, runRuleOn } from '../test/support/testing';

const withTls = (host: string, tls: TlsProbe) => fact(`probe.${host}`, { host, port: 443, tls });

describe('rule tls-inspection', () => {
  it('passes when certificates chain to public roots, naming the issuers', () => {
    const f = runRuleOn(rule,
      withTls('wac.azure.com', { ok: true, issuer: 'Microsoft Azure RSA TLS Issuing CA 04', trustedPublicCa: true, hostnameMatch: true, validTo: '2027-05-01T00:00:00Z' }),
      withTls('pas.windows.net', { ok: true, issuer: 'DigiCert SHA2 Secure Server CA', trustedPublicCa: true }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message,
      'Certificates chain to public roots: pas.windows.net (issuer "DigiCert SHA2 Secure Server CA"), wac.azure.com (issuer "Microsoft Azure RSA TLS Issuing CA 04").');
  });

  it('fails on a re-signing proxy, naming host and issuer, and suggests excluding the host from inspection', () => {
    const f = runRuleOn(rule,
      withTls('wac.azure.com', { ok: true, issuer: 'Contoso SSL Inspection CA', trustedPublicCa: false }),
      withTls('pas.windows.net', { ok: true, issuer: 'DigiCert SHA2 Secure Server CA', trustedPublicCa: true }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      'wac.azure.com: certificate issued by "Contoso SSL Inspection CA" does not chain to a public root. A re-signing proxy or firewall (TLS inspection) is likely in the path.');
    assert.match(f.fix!.summary, /^Exclude wac\.azure\.com from TLS inspection/);
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Invoke-WebRequest -UseBasicParsing -Method GET -Uri \'https://wac.azure.com\'' }]);
  });

  it('reads handshake errors through the error taxonomy: an untrusted chain fails; an expired or misnamed certificate and a revocation check alone do not', () => {
    const err = (error: string) => runRuleOn(rule, withTls('gbl.his.arc.azure.com', { ok: false, error }));
    for (const untrusted of ['The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot', 'x509: certificate signed by unknown authority',
      'The remote certificate is invalid because of errors in the certificate chain: PartialChain', 'The remote certificate is invalid according to the validation procedure.']) {
      assert.equal(err(untrusted).status, 'fail', untrusted);
    }
    for (const other of ['The remote certificate is invalid because of errors in the certificate chain: NotTimeValid',
      'The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch',
      'The remote certificate is invalid because of errors in the certificate chain: RevocationStatusUnknown, OfflineRevocation']) {
      assert.notEqual(err(other).status, 'fail', other);
    }
  });

  it('warns when the chain ends at the CA given with --ca-file, naming it, never "public roots" (issue 9 item 8)', () => {
    const f = runRuleOn(rule,
      withTls('wac.azure.com', { ok: true, issuer: 'Contoso TLS Inspection CA', trustedPublicCa: false, suppliedCa: 'Contoso TLS Inspection CA' }),
      withTls('pas.windows.net', { ok: true, issuer: 'DigiCert SHA2 Secure Server CA', trustedPublicCa: true }));
    assert.equal(f.status, 'warn');
    assert.equal(f.message,
      'wac.azure.com: certificate chain ends at "Contoso TLS Inspection CA", the CA given with --ca-file, not at a public root. A non-public CA re-signing Microsoft\'s endpoints is what TLS inspection looks like; WAC, the relay and the agent do not trust it.');
    assert.match(f.fix!.summary, /^Exclude wac\.azure\.com from TLS inspection/);
    // With another problem besides (an expired certificate) it is a failure.
    const g = runRuleOn(rule, withTls('wac.azure.com', { ok: true, trustedPublicCa: false, suppliedCa: 'Contoso TLS Inspection CA', validTo: '2020-01-01T00:00:00Z' }));
    assert.equal(g.status, 'fail');
    assert.match(g.message, /ends at "Contoso TLS Inspection CA".*; certificate expired on 2020-01-01/);
  });

  it('fails on an untrusted-chain handshake error', () => {
    const f = runRuleOn(rule, withTls('gbl.his.arc.azure.com', { ok: false, error: 'x509: certificate signed by unknown authority', chain: ['Fortinet CA'] }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      'gbl.his.arc.azure.com: certificate issued by "Fortinet CA" is not trusted (x509: certificate signed by unknown authority). A re-signing proxy or firewall (TLS inspection) is likely in the path.');
  });

  it('fails on the Windows PowerShell trust error, without an issuer', () => {
    const f = runRuleOn(rule, withTls('wac.azure.com', {
      ok: false, error: 'The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.',
    }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^wac\.azure\.com: certificate issued by an unnamed issuer is not trusted \(The underlying connection was closed: Could not establish trust relationship/);
  });

  it('fails on a host name mismatch and on an expired certificate', () => {
    const f = runRuleOn(rule,
      withTls('pas.windows.net', { ok: true, subject: 'proxy.contoso.local', hostnameMatch: false, trustedPublicCa: true }),
      withTls('wac.azure.com', { ok: true, trustedPublicCa: true, validTo: '2026-01-01T00:00:00Z' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      'pas.windows.net: certificate for "proxy.contoso.local" does not match the host name. wac.azure.com: certificate expired on 2026-01-01T00:00:00Z.');
  });

  it('skips from check when no probe has TLS data', () => {
    const f = runRuleOn(rule, fact('probe.wac.azure.com', { host: 'wac.azure.com', port: 443, reachable: true }));
    assert.equal(f.status, 'skip');
    assert.equal(f.message, 'No endpoint probe records TLS details (issuer, chain or handshake result), so TLS inspection could not be checked.');
  });

  it('skips when the TLS data does not say which root the certificate chains to', () => {
    const f = runRuleOn(rule, withTls('wac.azure.com', { ok: true, protocol: 'TLS 1.2' }));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /wac\.azure\.com \(handshake ok\) does not say whether the certificates chain to a public root/);
  });

  it('skips, naming what is missing, without any probe', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.45.0'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['probe.*']);
  });
  it("skips a gateway's own self-signed certificate: only Microsoft's endpoints are judged", () => {
    const f = runRuleOn(rule, fact('probe.srv01.contoso.local', { host: 'srv01.contoso.local', port: 6516, tls: { ok: false, error: 'self signed certificate' } }));
    assert.equal(f.status, 'skip');
  });
});
