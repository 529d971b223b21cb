import { strict as assert } from 'node:assert';
import rule from './tls-cipher-suites';
import { fact, runRuleOn } from '../test/support/testing';
import { fixes } from '../core/catalog/fixes';

const CBC = ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'];
const suites = (names: string[]) => fact('tls.cipherSuites', names);
const agent = (v: string) => fact('agent.version', v);
const WS2019 = fact('os', { platform: 'windows', name: 'Windows Server 2019 Datacenter', build: 17763 });
const WS2022 = fact('os', { platform: 'windows', name: 'Windows Server 2022 Datacenter', build: 20348 });
const TLS12 = ["Enable-TlsCipherSuite -Name 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'", "Enable-TlsCipherSuite -Name 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'", 'Get-TlsCipherSuite'];

describe('rule tls-cipher-suites', () => {
  it('passes when one of the four suites is enabled, naming it', () => {
    const f = runRuleOn(rule, suites([...CBC, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']), agent('1.58.03224.2567'), WS2019);
    assert.equal(f.status, 'pass');
    assert.match(f.message, /^Enabled: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \(Windows agents 1\.56 through 1\.63 need one of/);
  });

  it('fails on agents 1.56 through 1.63 without any of them (an ECDSA GCM suite does not count), enabling the TLS 1.2 suites', () => {
    for (const v of ['1.56.03167.2465', '1.63.03400.2900']) {
      const f = runRuleOn(rule, suites(CBC), agent(v), WS2019);
      assert.equal(f.status, 'fail', v);
      assert.match(f.message, new RegExp(`^None of TLS_AES_256_GCM_SHA384, .* is enabled \\(2 suites listed\\): Windows agent ${v.replace(/\./g, '\\.')} \\(1\\.56 through 1\\.63\\) cannot reach Azure`));
      assert.deepEqual(f.fix!.commands.map((c) => c.command), TLS12);
    }
  });

  it('adds the TLS 1.3 suites to the fix on Windows Server 2022 and later', () => {
    const f = runRuleOn(rule, suites(CBC), agent('1.60.03293.2680'), WS2022);
    assert.equal(f.status, 'fail');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      "Enable-TlsCipherSuite -Name 'TLS_AES_256_GCM_SHA384'", "Enable-TlsCipherSuite -Name 'TLS_AES_128_GCM_SHA256'", ...TLS12,
    ]);
    assert.match(f.fix!.summary, /upgrade the agent to 1\.64 or later/);
  });

  it('passes without them on agents that do not enforce (before 1.56, 1.64 and later) and on Windows Server 2012 R2', () => {
    const old = runRuleOn(rule, suites(CBC), agent('1.55.03130.2410'), WS2019);
    assert.equal(old.status, 'pass');
    assert.match(old.message, /predates the requirement/);
    const reverted = runRuleOn(rule, suites(CBC), agent('1.64.03414.2961'), WS2019);
    assert.equal(reverted.status, 'pass');
    assert.match(reverted.message, /reverted in 1\.64/);
    const r2 = runRuleOn(rule, suites(CBC), agent('1.60.03293.2680'), fact('os', { platform: 'windows', name: 'Windows Server 2012 R2 Standard', build: 9600 }));
    assert.equal(r2.status, 'pass');
    assert.match(r2.message, /2012 and 2012 R2 are excluded/);
  });

  it('warns without the agent version', () => {
    const f = runRuleOn(rule, suites(CBC));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /the agent version was not seen/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), TLS12);
  });

  it('skips without the cipher-suite list, and on Linux', () => {
    const f = runRuleOn(rule, agent('1.60.03293.2680'));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['tls.cipherSuites']);
    assert.equal(runRuleOn(rule, suites(CBC), fact('os', { platform: 'linux', name: 'Ubuntu 22.04' })).status, 'skip');
  });

  it('the fix only ever names the four catalog suites', () => {
    // A name outside the catalog becomes a placeholder the user fills in; it never reaches the command.
    const bad = fixes.enableTlsCipherSuites(['TLS_AES_256_GCM_SHA384; Remove-Item C:\\']).commands.map((c) => c.command);
    assert.deepEqual(bad, ["Enable-TlsCipherSuite -Name '<cipher-suite>'", 'Get-TlsCipherSuite']);
    assert.deepEqual(fixes.enableTlsCipherSuites([]).commands[0]!.command, "Enable-TlsCipherSuite -Name '<cipher-suite>'");
  });
});
