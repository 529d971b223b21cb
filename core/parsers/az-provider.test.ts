import { strict as assert } from 'node:assert';
import { azProviderParser } from './az-provider';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';


describe('az provider parser', () => {
  it('reads az provider show, with the registrationState line as evidence', () => {
    const text = fixtureText('az-provider-hybridconnectivity.json');
    assert.equal(azProviderParser.detect(text), 90);
    assert.equal(detectParser(text), azProviderParser);
    const r = azProviderParser.parse(text, pastedInput('p.json'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(observationRows(r), [['provider.microsoft.hybridconnectivity', { namespace: 'Microsoft.HybridConnectivity', registrationState: 'NotRegistered' }, 7]]);
    assert.deepEqual(r.observations[0]!.evidence, [{ source: 'pasted', path: 'p.json', line: 7, excerpt: '"registrationState": "NotRegistered",' }]);
  });

  it('reads the same from UTF-16LE', () => {
    const text = fixtureText('az-provider-hybridconnectivity.json');
    const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('az-provider-hybridconnectivity.json').toString('utf8')), 'p.json');
    assert.equal(detectParser(fromUtf16), azProviderParser);
    assert.deepEqual(azProviderParser.parse(fromUtf16, pastedInput('p.json')).observations, azProviderParser.parse(text, pastedInput('p.json')).observations);
  });

  it('reads az provider list (array)', () => {
    const text = JSON.stringify([
      { namespace: 'Microsoft.HybridCompute', registrationState: 'Registered', resourceTypes: [{ resourceType: 'machines' }] },
      { namespace: 'Microsoft.HybridConnectivity', registrationState: 'Registering' },
    ], null, 2);
    assert.equal(detectParser(text), azProviderParser);
    assert.deepEqual(observationRows(azProviderParser.parse(text, pastedInput('l.json'))), [
      ['provider.microsoft.hybridcompute', { namespace: 'Microsoft.HybridCompute', registrationState: 'Registered' }, 4],
      ['provider.microsoft.hybridconnectivity', { namespace: 'Microsoft.HybridConnectivity', registrationState: 'Registering' }, 13],
    ]);
  });

  it('reads Get-AzResourceProvider (one block per resource type, one fact)', () => {
    const text = [
      'PS C:\\> Get-AzResourceProvider -ProviderNamespace Microsoft.HybridConnectivity', '',
      'ProviderNamespace : Microsoft.HybridConnectivity', 'RegistrationState : Registered', 'ResourceTypes     : {endpoints}', 'Locations         : {}', '',
      'ProviderNamespace : Microsoft.HybridConnectivity', 'RegistrationState : Registered', 'ResourceTypes     : {endpoints/serviceConfigurations}', 'Locations         : {}', '',
    ].join('\n');
    assert.equal(detectParser(text), azProviderParser);
    const r = azProviderParser.parse(text, pastedInput('ps.txt'));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(observationRows(r), [['provider.microsoft.hybridconnectivity', { namespace: 'Microsoft.HybridConnectivity', registrationState: 'Registered' }, 4]]);
  });

  it('reads az provider list -o table, and warns on disagreeing rows', () => {
    const text = [
      'Namespace                     RegistrationPolicy    RegistrationState', '----------------------------  --------------------  -------------------',
      'Microsoft.HybridConnectivity  RegistrationRequired  NotRegistered', 'Microsoft.GuestConfiguration  RegistrationRequired  Registered',
      'Microsoft.HybridConnectivity  RegistrationRequired  Registered',
    ].join('\n');
    assert.equal(detectParser(text), azProviderParser);
    const r = azProviderParser.parse(text, pastedInput('t.txt'));
    assert.deepEqual(observationRows(r), [
      ['provider.microsoft.hybridconnectivity', { namespace: 'Microsoft.HybridConnectivity', registrationState: 'NotRegistered' }, 3],
      ['provider.microsoft.guestconfiguration', { namespace: 'Microsoft.GuestConfiguration', registrationState: 'Registered' }, 4],
    ]);
    assert.match(r.warnings![0]!, /line 5: Microsoft\.HybridConnectivity is Registered here but NotRegistered on line 3/);
  });

  it('does not claim other outputs', () => {
    for (const f of ['az-extension-list.json', 'az-machine-show.json', 'az-role-assignment-list.json', 'get-service.json']) {
      assert.equal(azProviderParser.detect(fixtureText(f)), 0, f);
    }
  });

  it('throws ParseError without a registration state', () => {
    const bad = '{\n  "namespace": "Microsoft.HybridConnectivity",\n  "registrationState": null\n}';
    assert.equal(detectParser(bad), azProviderParser);
    assert.throws(() => azProviderParser.parse(bad, pastedInput('b.json')), (err: unknown) => err instanceof ParseError && /"namespace" and "registrationState"/.test(err.message));
  });
});
