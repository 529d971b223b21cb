import { strict as assert } from 'node:assert';
import rule from './arc-gateway';
import endpointPas from './endpoint-pas';
import { fact, runRuleOn } from '../test/support/testing';

const GW = 'https://contoso01.gw.arc.azure.com';
const gatewayMode = [fact('config.connectionType', 'gateway'), fact('agent.gatewayUrl', GW)];
const gwProbe = (reachable: boolean) => fact('probe.contoso01.gw.arc.azure.com', { host: 'contoso01.gw.arc.azure.com', port: 443, reachable, proxy: 'set' });

describe('rule arc-gateway', () => {
  it('passes without the gateway', () => {
    const f = runRuleOn(rule, fact('config.connectionType', 'direct'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'The machine does not use the Azure Arc gateway (connection.type direct, no gateway URL).');
  });

  it('warns in gateway mode that WAC through the gateway is not documented, naming the gateway', () => {
    const f = runRuleOn(rule, ...gatewayMode, gwProbe(true));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^The machine uses the Azure Arc gateway \(contoso01\.gw\.arc\.azure\.com\)\. contoso01\.gw\.arc\.azure\.com is reachable\. Windows Admin Center through the gateway is not documented \(.*2026-04-01\)/);
    // A gateway URL alone (azcmagent show) is gateway mode too.
    assert.equal(runRuleOn(rule, fact('agent.gatewayUrl', GW)).status, 'warn');
  });

  it('fails when the gateway URL is unreachable', () => {
    const f = runRuleOn(rule, ...gatewayMode, gwProbe(false));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /contoso01\.gw\.arc\.azure\.com is unreachable \(reported unreachable \(proxy set\)\)/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ["Test-NetConnection -ComputerName 'contoso01.gw.arc.azure.com' -Port 443", 'azcmagent check']);
  });

  it('warns that proxy bypass is unsupported in gateway mode', () => {
    const f = runRuleOn(rule, ...gatewayMode, fact('config.proxyBypass', ['AAD', 'ARM']));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /proxy\.bypass set \(AAD, ARM\): proxy bypass is not supported with the gateway/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), ['azcmagent config clear proxy.bypass', 'azcmagent check']);
  });

  it('never puts a gateway name that is not <prefix>.gw.arc.azure.com into a command', () => {
    const f = runRuleOn(rule, fact('config.connectionType', 'gateway'), fact('probe.x.gw.arc.azure.com', { host: 'x;calc.gw.arc.azure.com', port: 443, reachable: false }));
    assert.equal(f.status, 'fail');
    assert.ok(f.fix!.commands.every((c) => !c.command.includes('calc')));
  });

  it('skips without the connection type or gateway URL', () => {
    const f = runRuleOn(rule, fact('config.proxyBypass', []));
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['config.connectionType | agent.gatewayUrl']);
  });

  it('in gateway mode, endpoint rules warn (not fail) on a failed direct probe of a host the gateway carries', () => {
    const pas = fact('probe.pas.windows.net', { host: 'pas.windows.net', port: 443, dns: { status: 'ok', addresses: ['40.126.1.1'] }, tcp: { ok: false, error: 'i/o timeout' } });
    const viaGateway = runRuleOn(endpointPas, pas, ...gatewayMode);
    assert.equal(viaGateway.status, 'warn');
    assert.match(viaGateway.message, /^Not judged directly: the machine uses the Azure Arc gateway \(https:\/\/contoso01\.gw\.arc\.azure\.com\), which carries pas\.windows\.net/);
    assert.equal(runRuleOn(endpointPas, pas, fact('config.connectionType', 'default')).status, 'fail');
    assert.equal(runRuleOn(endpointPas, pas).status, 'fail');
  });
});
