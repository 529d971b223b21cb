import { strict as assert } from 'node:assert';
import rule from './resource-provider';
import { fact, runRuleOn } from '../test/support/testing';

const prov = (namespace: string, registrationState: string) => fact(`provider.${namespace.toLowerCase()}`, { namespace, registrationState });
const REGISTER_HC = [
  { shell: 'azcli', command: 'az provider register --namespace \'Microsoft.HybridConnectivity\'' },
  { shell: 'azcli', command: 'az provider show --namespace \'Microsoft.HybridConnectivity\' --query registrationState -o tsv' },
];

describe('rule resource-provider', () => {
  it('passes when every provider seen is Registered, naming those not seen', () => {
    const f = runRuleOn(rule, prov('Microsoft.HybridConnectivity', 'Registered'), prov('Microsoft.HybridCompute', 'Registered'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Microsoft.HybridConnectivity is Registered; Microsoft.HybridCompute is Registered (state not seen: Microsoft.GuestConfiguration).');
  });

  it('fails when Microsoft.HybridConnectivity is NotRegistered, with the register fix', () => {
    const f = runRuleOn(rule, prov('Microsoft.HybridConnectivity', 'NotRegistered'), prov('Microsoft.HybridCompute', 'Registered'), prov('Microsoft.GuestConfiguration', 'Registered'));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Microsoft.HybridConnectivity is NotRegistered: Windows Admin Center connections go through it.');
    assert.deepEqual(f.fix!.commands, REGISTER_HC);
  });

  it('warns while Registering', () => {
    const f = runRuleOn(rule, prov('Microsoft.HybridConnectivity', 'Registering'));
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'Microsoft.HybridConnectivity is still Registering; WAC can be installed and used once it is Registered (state not seen: Microsoft.HybridCompute, Microsoft.GuestConfiguration).');
  });

  it('fails on a missing-registration error text alone, using its namespace', () => {
    const f = runRuleOn(rule, fact('log.signatures', [{
      id: 'missing-registration', subject: 'Microsoft.HybridCompute', time: '2026-11-25T08:00:00Z',
      text: "The subscription isn't registered to use namespace 'Microsoft.HybridCompute'",
    }]));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'An error at 2026-11-25T08:00:00Z says the subscription is not registered for Microsoft.HybridCompute (state not seen: Microsoft.HybridConnectivity, Microsoft.GuestConfiguration).');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [
      'az provider register --namespace \'Microsoft.HybridCompute\'',
      'az provider show --namespace \'Microsoft.HybridCompute\' --query registrationState -o tsv',
    ]);
  });

  it('fails on NoRegisteredProviderFound for HybridConnectivity, matching the namespace case-insensitively', () => {
    const f = runRuleOn(rule, fact('log.signatures', [{ id: 'no-registered-provider', subject: 'microsoft.hybridconnectivity', text: 'NoRegisteredProviderFound' }]));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /not registered for Microsoft\.HybridConnectivity, which Windows Admin Center connections go through/);
    assert.deepEqual(f.fix!.commands, REGISTER_HC);
  });

  it('warns when Registered now but an error said otherwise, suggesting an agent restart', () => {
    const f = runRuleOn(rule, prov('Microsoft.HybridConnectivity', 'Registered'),
      fact('log.signatures', [{ id: 'no-registered-provider', subject: 'Microsoft.HybridConnectivity', text: 'NoRegisteredProviderFound' }]));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^Microsoft\.HybridConnectivity is Registered now, but an error said it was not registered/);
    assert.deepEqual(f.fix!.commands, [{ shell: 'powershell', command: 'Restart-Service -Name \'himds\'' }]);
  });

  it('keeps unknown namespaces out of commands', () => {
    const f = runRuleOn(rule, fact('log.signatures', [{ id: 'missing-registration', subject: 'Microsoft.Foo; rm -rf /', text: 'x' }, { id: 'missing-registration', subject: 'Microsoft.Insights', text: 'y' }]));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /not registered for Microsoft\.Insights/);
    assert.doesNotMatch(f.message, /rm -rf/);
    assert.deepEqual(f.fix!.commands, []);
  });

  it('skips when only unrelated signatures were seen', () => {
    const f = runRuleOn(rule, fact('log.signatures', [{ id: 'authorization-failed', text: 'AuthorizationFailed' }]));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /no resource provider state/);
  });

  it('skips without provider facts or signatures', () => {
    const f = runRuleOn(rule, fact('agent.status', 'Connected'));
    assert.equal(f.status, 'skip');
    assert.equal(f.missing!.length, 1);
    assert.match(f.message, /az provider show/);
  });
});
