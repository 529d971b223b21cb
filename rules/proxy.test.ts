import { strict as assert } from 'node:assert';
import rule, { hasCredentials, maskCredentials } from './proxy';
import { fact, runRuleOn } from '../test/support/testing';

const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';
const ext = (extra: object = {}) => fact('extension.adminCenter', { installed: true, version: '0.31.0.0', ...extra });

describe('rule proxy', () => {
  it('masks credentials in URLs', () => {
    assert.equal(maskCredentials('http://alice:S3cr3t@proxy.contoso.com:8080'), 'http://***@proxy.contoso.com:8080');
    assert.equal(maskCredentials('alice:p@ss@proxy:3128'), '***@proxy:3128');
    assert.equal(maskCredentials('http://proxy:3128'), 'http://proxy:3128');
    assert.ok(hasCredentials('http://bob@proxy:3128'));
    assert.ok(!hasCredentials('http://proxy:3128'));
  });

  it('passes with no proxy anywhere', () => {
    const f = runRuleOn(rule, fact('config.proxyUrl', ''), fact('agent.httpsProxy', ''), ext());
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'No proxy configured: proxy.url and "Using HTTPS Proxy" of azcmagent show are empty; the AdminCenter extension has no proxy settings.');
  });

  it('passes with a proxy the extension also uses, listing the bypass values', () => {
    const f = runRuleOn(rule,
      fact('config.proxyUrl', 'http://proxy.contoso.com:8080'),
      fact('config.proxyBypass', ['AAD', 'ARM']),
      ext({ proxyMode: 'application', proxyAddress: 'http://proxy.contoso.com:8080' }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message,
      'The agent uses the proxy http://proxy.contoso.com:8080 (proxy.url); the AdminCenter extension uses http://proxy.contoso.com:8080 (mode application). proxy.bypass is [AAD, ARM] (AAD, including pas.windows.net, goes direct and must be reachable without the proxy).');
  });

  it('passes with an agent proxy, reminding that the extension settings were not seen', () => {
    const f = runRuleOn(rule, fact('config.proxyUrl', 'http://10.20.30.40:8080'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message,
      'The agent uses the proxy http://10.20.30.40:8080 (proxy.url); the AdminCenter extension settings weren\'t provided (extensions don\'t inherit the agent proxy; check its proxy settings).');
  });

  it('fails on credentials in proxy.url without echoing them, in the message or the fix', () => {
    const f = runRuleOn(rule, fact('config.proxyUrl', 'http://alice:S3cr3t@proxy.contoso.com:8080'), ext({ proxyAddress: 'http://proxy.contoso.com:8080' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message,
      'proxy.url is http://***@proxy.contoso.com:8080: the URL carries credentials, and authenticated proxies aren\'t supported by the WAC extension (nor on Azure Local).');
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'azcmagent config set proxy.url \'http://proxy.contoso.com:8080\'' }]);
    assert.ok(!JSON.stringify(f.fix).includes('S3cr3t') && !f.message.includes('S3cr3t') && !f.message.includes('alice'));
  });

  it('fails on credentials in the extension proxy address, fixing the extension settings', () => {
    const f = runRuleOn(rule, fact('machine.resourceId', RID), fact('wac.port', { port: 6516, source: 'extension' }),
      ext({ proxyMode: 'application', proxyAddress: 'http://svc:pw@10.0.0.9:3128' }));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^The AdminCenter extension proxy address is http:\/\/\*\*\*@10\.0\.0\.9:3128: it carries credentials/);
    assert.deepEqual(f.fix!.commands, [{
      shell: 'azcli',
      command: 'az connectedmachine extension update --name AdminCenter --machine-name \'srv01\' --resource-group \'rg-arc\' --subscription \'00000000-0000-0000-0000-000000000000\' --settings \'port=6516\' \'proxy={mode:application,address:\'\'http://10.0.0.9:3128\'\'}\'',
    }]);
  });

  it('fails when the proxy asks for authentication (407)', () => {
    const f = runRuleOn(rule, fact('env.httpsProxy', 'http://proxy:3128'),
      fact('log.signatures', [{ id: 'proxy-auth', text: '407 Proxy Authentication Required', time: '2026-11-20T10:00:00Z' }]));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^407 Proxy Authentication Required seen once in logs \(first at 2026-11-20T10:00:00Z\): the proxy requires authentication/);
    assert.equal(f.fix!.commands[0]!.command, 'azcmagent config set proxy.url \'<http://proxy-host:port>\'');
  });

  it('fails when the live probe cannot reach the proxy', () => {
    const f = runRuleOn(rule, fact('config.proxyUrl', 'http://proxy:3128'), fact('proxy.probe', { url: 'http://proxy:3128', status: 'unreachable', error: 'connect ECONNREFUSED 10.0.0.5:3128' }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The proxy http://proxy:3128 is unreachable (connect ECONNREFUSED 10.0.0.5:3128): nothing that uses it can reach Azure.');
    assert.equal(f.fix!.commands[0]!.command, 'azcmagent config set proxy.url \'<http://proxy-host:port>\'');
  });

  it('warns when the agent uses a proxy but the AdminCenter extension has no proxy settings', () => {
    const f = runRuleOn(rule, fact('agent.httpsProxy', 'http://proxy.contoso.com:8080'), fact('machine.resourceId', RID), ext());
    assert.equal(f.status, 'warn');
    assert.equal(f.message,
      'The agent uses the proxy http://proxy.contoso.com:8080 ("Using HTTPS Proxy" of azcmagent show) but the AdminCenter extension 0.31.0.0 has no proxy settings; extensions don\'t inherit the agent proxy, so WAC may not reach its endpoints.');
    assert.match(f.fix!.commands[0]!.command, /--settings 'port=6516' 'proxy=\{mode:application,address:''http:\/\/proxy\.contoso\.com:8080''\}'$/);
  });

  it('warns when the extension predates proxy support', () => {
    const f = runRuleOn(rule, fact('config.proxyUrl', 'http://proxy:3128'), ext({ version: '0.0.0.313' }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /AdminCenter extension 0\.0\.0\.313 predates proxy settings/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command.split(' ').slice(0, 4).join(' ')), [
      'az connectedmachine extension delete', 'az connectedmachine extension create', "Set-Content -Path 'wac-endpoint.json' -Value", 'az rest --method put',
      "Set-Content -Path 'wac-serviceconfig.json' -Value", 'az rest --method put',
      'az connectedmachine extension update',
    ]);
  });

  it('skips in check when no input says whether the agent uses a proxy', () => {
    const f = runRuleOn(rule, fact('log.signatures', [{ id: 'authorization-failed', text: 'AuthorizationFailed' }]));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /^No input says whether the agent uses a proxy/);
  });

  it('skips, naming the inputs, without any proxy fact', () => {
    const f = runRuleOn(rule, fact('agent.version', '1.45.0'));
    assert.equal(f.status, 'skip');
    assert.equal(f.missing?.length, 1);
    assert.match(f.message, /azcmagent config list/);
  });
});
