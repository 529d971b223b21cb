import { strict as assert } from 'node:assert';
import rule from './agent-error-code';
import { fact, runRuleOn } from '../test/support/testing';
import { AZCM_CODES, azcmCode, exitCodeMeaning, normalizeAzcmCode } from '../core/catalog/azcm-codes';

describe('rule agent-error-code', () => {
  it('passes on an empty list of codes', () => {
    const f = runRuleOn(rule, fact('agent.errorCodes', []));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'No agent error: no AZCM error code was found in the inputs.');
  });

  it('passes on an empty Agent Error Code and on AZCM0000 (success)', () => {
    const f = runRuleOn(rule, fact('agent.error', { code: '' }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'No agent error: azcmagent show reports an empty agent error code.');
    assert.equal(runRuleOn(rule, fact('agent.errorCodes', [{ code: 'AZCM0000' }])).status, 'pass');
  });

  it('fails on a network error, listing its meaning and details', () => {
    const f = runRuleOn(rule, fact('agent.error', { code: 'AZCM0026', details: 'Network Error: no IP addresses found' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The agent reported error code AZCM0026 (network configuration error, or critical services temporarily unavailable): "Network Error: no IP addresses found".');
    assert.match(f.fix!.summary, /^AZCM0026: Check that the required endpoints resolve and are reachable/);
    assert.match(f.fix!.summary, /https:\/\/aka\.ms\/arc\/azcmerror$/);
    assert.deepEqual(f.fix!.commands, []);
  });

  it('lists every code once, and restarts himds for "agent service not responding"', () => {
    const f = runRuleOn(rule,
      fact('agent.errorCodes', [{ code: 'azcm0061' }, { code: 'AZCM0041', details: 'invalid client secret' }, { code: 'AZCM0061', details: 'timeout' }]),
      fact('agent.error', { code: 'AZCM0156' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The agent reported error codes AZCM0061 (the agent service (HIMDS) is not responding or unavailable): "timeout"; AZCM0041 (the credentials supplied are invalid; as exit code 41, the exit-code table says: failed to obtain an access token): "invalid client secret"; AZCM0156 (a fatal error occurred during MSI installation (msiexec 1603)).');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Restart-Service -Name \'himds\'' }]);
  });

  it('uses himdsd on Linux', () => {
    const f = runRuleOn(rule, fact('agent.error', { code: 'AZCM0070' }), fact('os', { platform: 'linux' }));
    assert.deepEqual(f.fix!.commands, [{ shell: 'bash', command: 'sudo systemctl restart \'himdsd\'' }]);
  });

  it('fails on a code not in the catalog, pointing to the help link', () => {
    const f = runRuleOn(rule, fact('agent.errorCodes', [{ code: 'AZCM0999' }]));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The agent reported error code AZCM0999 (unknown code, see https://aka.ms/arc/azcmerror).');
    assert.match(f.fix!.summary, /AZCM0999: not in the documented list/);
  });

  it('skips without any error-code fact', () => {
    const f = runRuleOn(rule, fact('agent.status', 'Connected'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['agent.errorCodes | agent.error']);
  });

  describe('AZCM catalog', () => {
    it('has unique, well-formed codes, including the ones WAC troubleshooting meets', () => {
      const codes = AZCM_CODES.map((c) => c.code);
      assert.equal(new Set(codes).size, codes.length);
      for (const c of codes) assert.match(c, /^AZCM\d{4}$/);
      for (const c of ['AZCM0004', 'AZCM0026', 'AZCM0041', 'AZCM0042', 'AZCM0043', 'AZCM0061', 'AZCM0064', 'AZCM0065', 'AZCM0066', 'AZCM0067', 'AZCM0070', 'AZCM0081', 'AZCM0148', 'AZCM0156', 'AZCM0160']) {
        assert.ok(azcmCode(c), c);
      }
      for (const c of ['AZCM0061', 'AZCM0064', 'AZCM0065', 'AZCM0066', 'AZCM0070']) assert.equal(azcmCode(c)!.restartService, 'himds');
    });

    it('states the exit-code table\'s meaning where it differs from the AZCM list (41, 44, 65-67, 70, 81, 82)', () => {
      const differing = AZCM_CODES.filter((c) => c.exitMeaning).map((c) => c.code);
      assert.deepEqual(differing, ['AZCM0041', 'AZCM0044', 'AZCM0065', 'AZCM0066', 'AZCM0067', 'AZCM0070', 'AZCM0081', 'AZCM0082']);
      assert.equal(exitCodeMeaning(65), 'unable to obtain the agent metadata');
      assert.equal(exitCodeMeaning(26), azcmCode('AZCM0026')!.meaning);
      assert.equal(exitCodeMeaning(104), 'failed to retrieve the private key');
      assert.equal(exitCodeMeaning(9), undefined);
      assert.equal(exitCodeMeaning(-1), undefined);
      const f = runRuleOn(rule, fact('agent.errorCodes', [{ code: 'AZCM0066' }]));
      assert.match(f.message, /AZCM0066 \(the agent service \(HIMDS\) is not responding or unavailable; as exit code 66, the exit-code table says: unable to obtain the agent status\)/);
    });

    it('normalizes codes', () => {
      assert.equal(normalizeAzcmCode(' azcm0026 '), 'AZCM0026');
      assert.equal(normalizeAzcmCode('AZCM26'), undefined);
    });
  });
});
