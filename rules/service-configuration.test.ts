import { strict as assert } from 'node:assert';
import rule from './service-configuration';
import { fact, runRuleOn } from '../test/support/testing';

const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';
const machine = fact('machine.resourceId', RID);
const BASE = `https://management.azure.com${RID}/providers/Microsoft.HybridConnectivity/endpoints/default`;
const puts = (port: number): string[] => [
  `Set-Content -Path 'wac-endpoint.json' -Value '{"properties":{"type":"default"}}' -Encoding ascii`,
  `az rest --method put --uri '${BASE}?api-version=2023-03-15' --body '@wac-endpoint.json'`,
  `Set-Content -Path 'wac-serviceconfig.json' -Value '{"properties":{"serviceName":"WAC","port":${port}}}' -Encoding ascii`,
  `az rest --method put --uri '${BASE}/serviceconfigurations/WAC?api-version=2023-03-15' --body '@wac-serviceconfig.json'`,
];

describe('rule service-configuration', () => {
  it('passes when the service configuration is on the machine\'s WAC port', () => {
    const f = runRuleOn(rule, machine, fact('wac.port', { port: 6516, source: 'SmePort' }),
      fact('azure.wacServiceConfiguration', { present: true, port: 6516, serviceName: 'WAC', provisioningState: 'Succeeded' }));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, "The WAC service configuration exists on port 6516, the machine's WAC port (from SmePort).");
  });

  it('passes, saying what to compare, when the machine port is unknown', () => {
    const f = runRuleOn(rule, fact('azure.wacServiceConfiguration', { present: true, port: 443 }));
    assert.equal(f.status, 'pass');
    assert.match(f.message, /port 443; the machine's WAC port was not seen/);
  });

  it('fails when the port disagrees with the machine (a reinstall on a new port), with both PUTs on the machine port', () => {
    const f = runRuleOn(rule, machine, fact('wac.port', { port: 8443, source: 'extension' }), fact('azure.wacServiceConfiguration', { present: true, port: 6516 }));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'The WAC service configuration points the portal at port 6516, but Windows Admin Center on the machine uses port 8443 (from extension): the portal connects to the wrong port (typical after a command-line reinstall on a new port).');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), puts(8443));
  });

  it('fails when the service configuration or the endpoint is missing', () => {
    const cfg = runRuleOn(rule, machine, fact('azure.wacServiceConfiguration', { present: false }));
    assert.equal(cfg.status, 'fail');
    assert.match(cfg.message, /^The machine's HybridConnectivity endpoint has no WAC service configuration/);
    assert.deepEqual(cfg.fix!.commands.map((c) => c.command), puts(6516));
    const ep = runRuleOn(rule, fact('azure.hybridEndpoint', { present: false }), fact('wac.port', { port: 443, source: 'SmePort' }));
    assert.equal(ep.status, 'fail');
    assert.equal(ep.message, "The machine has no HybridConnectivity endpoint (endpoints/default was not found), so the portal has nothing to connect through. The machine's WAC port is 443 (from SmePort).");
    // Without the machine's resource id the URIs are placeholders; the port is the machine's.
    assert.equal(ep.fix!.commands[1]!.command, "az rest --method put --uri '<endpoint-uri>' --body '@wac-endpoint.json'");
    assert.match(ep.fix!.commands[2]!.command, /"port":443\}\}' -Encoding ascii$/);
  });

  it('warns on a port that is not an integer, or a provisioning state other than Succeeded', () => {
    assert.equal(runRuleOn(rule, fact('azure.wacServiceConfiguration', { present: true, portText: '6516' })).status, 'warn');
    const f = runRuleOn(rule, fact('azure.wacServiceConfiguration', { present: true, port: 6516, provisioningState: 'Failed' }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /provisioningState Failed/);
  });

  it('skips when only the endpoint was seen, and without either fact', () => {
    assert.equal(runRuleOn(rule, fact('azure.hybridEndpoint', { present: true, type: 'default' })).status, 'skip');
    const f = runRuleOn(rule, machine);
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['azure.wacServiceConfiguration | azure.hybridEndpoint']);
    assert.match(f.message, /serviceconfigurations\/WAC/);
  });
});
