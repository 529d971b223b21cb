import { strict as assert } from 'node:assert';
import rule from './wac-local-https';
import { FactStore } from '../core/engine/fact-store';
import { runRule } from '../core/engine/run';
import { fact, runRuleOn, TEST_NOW } from '../test/support/testing';

const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';

describe('rule wac-local-https', () => {
  it('passes when the TLS handshake works and the gateway answers below 500', () => {
    const f = runRuleOn(rule, fact('wac.localHttps', { port: 6516, tls: { ok: true, protocol: 'TLSv1.3', subject: 'srv01' }, httpStatus: 200 }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'https://localhost:6516 answers: TLS ok (TLSv1.3), certificate "srv01", HTTP 200.');
  });

  it('fails on a TLS failure with the documented fix: end the gateway process, start it, then reinstall', () => {
    const f = runRuleOn(rule, fact('wac.localHttps', { port: 6516, tls: { ok: false, error: 'wrong version number' } }), fact('machine.resourceId', RID));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The TLS handshake with https://localhost:6516 failed: wrong version number. The gateway\'s certificate or binding is broken.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command).slice(0, 3), [
      'Stop-Process -Name \'sme\' -Force',
      'Start-Service -Name \'ServerManagementGateway\'',
      'az connectedmachine extension delete --name AdminCenter --machine-name \'srv01\' --resource-group \'rg-arc\' --subscription \'00000000-0000-0000-0000-000000000000\' --yes',
    ]);
    assert.match(f.fix!.commands[3]!.command, /--settings 'port=6516'$/);
  });

  it('restarts the modern gateway when it is the one installed', () => {
    const f = runRuleOn(rule, fact('wac.localHttps', { port: 443, error: 'connect ECONNREFUSED 127.0.0.1:443' }),
      fact('service.windowsadmincenter', { name: 'WindowsAdminCenter', state: 'stopped' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      'Nothing listens on https://localhost:443: the connection was refused (connect ECONNREFUSED 127.0.0.1:443). The WAC gateway (WindowsAdminCenter) is not running or listens on another port.');
    assert.deepEqual(f.fix!.commands.slice(0, 2).map((c) => c.command), ['Stop-Process -Name \'WindowsAdminCenter\' -Force', 'Start-Service -Name \'WindowsAdminCenter\'']);
  });

  it('fails on HTTP 5xx', () => {
    const f = runRuleOn(rule, fact('wac.localHttps', { port: 6516, tls: { ok: true }, httpStatus: 503 }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'https://localhost:6516 answered HTTP 503: the WAC gateway (ServerManagementGateway) is running but failing.');
  });

  it('fails on another request error', () => {
    const f = runRuleOn(rule, fact('wac.localHttps', { port: 6516, error: 'timeout after 10000 ms' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The request to https://localhost:6516 failed: timeout after 10000 ms.');
  });

  it('skips when the probe has no result', () => {
    const f = runRuleOn(rule, fact('wac.localHttps', { port: 6516 }));
    assert.equal(f.status, 'skip');
    assert.equal(f.message, 'The probe of https://localhost:6516 records no TLS, HTTP or error result.');
  });

  it('skips without a live probe, saying a live check is needed', () => {
    const store = new FactStore();
    store.add(fact('agent.version', '1.45.0'));
    const f = runRule(rule, store, { now: TEST_NOW, sourceKinds: new Set(['pasted']) });
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['wac.localHttps']);
    assert.match(f.message, /This check needs a live check on the machine\./);
  });
});
