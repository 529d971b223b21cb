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
