import { strict as assert } from 'node:assert';
import rule, { isWacExtensionEntry } from './extension-allowed';
import { fact, runRuleOn } from '../test/support/testing';

describe('rule extension-allowed', () => {
  it('passes with the default configuration', () => {
    const f = runRuleOn(rule, fact('config.extensionsEnabled', true), fact('config.mode', 'full'),
      fact('config.extensionsAllowlist', []), fact('config.extensionsBlocklist', []));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The agent allows AdminCenter: extensions.enabled is true; config.mode is full; extensions.allowlist is empty; extensions.blocklist is empty.');
  });

  it('passes with an allowlist that includes AdminCenter in either spelling, naming what was not seen', () => {
    const f = runRuleOn(rule, fact('config.extensionsAllowlist', ['Microsoft.Azure.Monitor/AzureMonitorWindowsAgent', 'microsoft.admincenter.admincenter']));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The agent allows AdminCenter: extensions.allowlist [Microsoft.Azure.Monitor/AzureMonitorWindowsAgent, microsoft.admincenter.admincenter] includes AdminCenter (not seen: extensions.enabled, config.mode, extensions.blocklist).');
  });

  it('fails when extensions are disabled', () => {
    const f = runRuleOn(rule, fact('config.extensionsEnabled', false));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'extensions.enabled is false, so no extension (AdminCenter included) can be installed or updated (not seen: config.mode, extensions.allowlist, extensions.blocklist).');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'azcmagent config set extensions.enabled true' }]);
  });

  it('fails in monitor mode (without also blaming the mode\'s own allowlist)', () => {
    const f = runRuleOn(rule, fact('config.mode', 'monitor'), fact('config.extensionsAllowlist', ['Microsoft.Azure.Monitor/AzureMonitorWindowsAgent']));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'config.mode is monitor, which allows only monitoring and security extensions, not AdminCenter (not seen: extensions.enabled, extensions.blocklist).');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'azcmagent config set config.mode full' }]);
  });

  it('fails on an allowlist without AdminCenter', () => {
    const f = runRuleOn(rule, fact('config.extensionsAllowlist', ['Allow/None']), fact('config.extensionsBlocklist', []));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'extensions.allowlist is [Allow/None] and lacks Microsoft.AdminCenter/AdminCenter, so AdminCenter is refused (not seen: extensions.enabled, config.mode).');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'azcmagent config set extensions.allowlist Microsoft.AdminCenter/AdminCenter --add' }]);
  });

  it('fails on a blocklist containing AdminCenter, even if also allowed, combining fixes', () => {
    const f = runRuleOn(rule, fact('config.extensionsEnabled', false),
      fact('config.extensionsAllowlist', ['Microsoft.AdminCenter/AdminCenter']), fact('config.extensionsBlocklist', ['MICROSOFT.ADMINCENTER/ADMINCENTER']));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /extensions\.blocklist \[MICROSOFT\.ADMINCENTER\/ADMINCENTER\] contains AdminCenter, which blocks it even though the allowlist has it too/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      'azcmagent config set extensions.enabled true',
      'azcmagent config set extensions.blocklist Microsoft.AdminCenter/AdminCenter --remove',
    ]);
  });

  it('warns on an unknown config.mode', () => {
    const f = runRuleOn(rule, fact('config.mode', 'audit'));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^config\.mode is "audit", neither full nor monitor/);
  });

  it('matches entries loosely', () => {
    assert.ok(isWacExtensionEntry(' Microsoft.AdminCenter/AdminCenter '));
    assert.ok(isWacExtensionEntry('Microsoft.AdminCenter.AdminCenter'));
    assert.ok(!isWacExtensionEntry('Microsoft.AdminCenter/Other'));
  });

  it('skips without any of the four settings', () => {
    const f = runRuleOn(rule, fact('config.incomingConnectionsPorts', [6516]));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['config.extensionsEnabled | config.mode | config.extensionsAllowlist | config.extensionsBlocklist']);
    assert.match(f.message, /azcmagent config list/);
  });
});
