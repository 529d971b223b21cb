import { strict as assert } from 'node:assert';
import { azLicenseProfileParser as parser } from './az-license-profile';
import { azMachineParser } from './az-machine';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, observationRows, pastedInput, powerShellUtf16 } from '../../test/support/testing';

const ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';

describe('license profile parser', () => {
  it('reads az rest licenseProfiles/default (pay-as-you-go enabled, no attestation), pointing at the attestation line', () => {
    const text = fixtureText('az-rest-license-profile.json');
    assert.equal(detectParser(text), parser);
    assert.deepEqual(observationRows(parser.parse(text, pastedInput('lp.json'))), [
      ['azure.licenseProfile', { present: true, softwareAssuranceCustomer: false, productType: 'WindowsServer', subscriptionStatus: 'Enabled' }, 19],
    ]);
  });

  it('reads the same from UTF-16LE with a BOM', () => {
    const utf16 = decodeText(powerShellUtf16(fixtureBuffer('az-rest-license-profile.json').toString('utf8')), 'lp.json');
    assert.equal(detectParser(utf16), parser);
    assert.deepEqual(parser.parse(utf16, pastedInput('lp.json')).observations, parser.parse(fixtureText('az-rest-license-profile.json'), pastedInput('lp.json')).observations);
  });

  it('reads flattened output (SDK-style softwareAssuranceCustomer at the top)', () => {
    const text = JSON.stringify({ id: `${ID}/licenseProfiles/default`, name: 'default', softwareAssuranceCustomer: true, resourceGroup: 'rg-arc' }, null, 2);
    assert.equal(detectParser(text), parser);
    assert.deepEqual(parser.parse(text, pastedInput('f.json')).observations[0]!.value, { present: true, softwareAssuranceCustomer: true });
  });

  it('reads a 404 as no license profile', () => {
    const text = [
      `$ az rest --method get --uri "${ID}/licenseProfiles/default?api-version=2024-07-10"`,
      `ERROR: Not Found({"error":{"code":"ResourceNotFound","message":"The Resource 'Microsoft.HybridCompute/machines/srv01/licenseProfiles/default' under resource group 'rg-arc' was not found."}})`,
    ].join('\n');
    assert.equal(detectParser(text), parser);
    assert.deepEqual(observationRows(parser.parse(text, pastedInput('e.txt'))), [['azure.licenseProfile', { present: false }, 2]]);
  });

  it('the machine view (az connectedmachine show) carries its licenseProfile too', () => {
    const machine = JSON.stringify({ id: ID, type: 'Microsoft.HybridCompute/machines', name: 'srv01', location: 'westeurope', properties: {
      agentVersion: '1.60.03293.2680', licenseProfile: { licenseStatus: 'Licensed', softwareAssurance: { softwareAssuranceCustomer: true }, productProfile: { subscriptionStatus: 'Disabled', productType: 'WindowsServer' } },
    } }, null, 2);
    assert.equal(detectParser(machine), azMachineParser);
    const obs = azMachineParser.parse(machine, pastedInput('m.json')).observations.find((o) => o.name === 'azure.licenseProfile')!;
    assert.deepEqual(obs.value, { present: true, softwareAssuranceCustomer: true, productType: 'WindowsServer', subscriptionStatus: 'Disabled', licenseStatus: 'Licensed' });
    assert.equal(obs.evidence[0]!.line, 11);
    // A licenseProfile with only ESU data says nothing about WAC licensing.
    const esu = JSON.stringify({ id: ID, type: 'Microsoft.HybridCompute/machines', properties: { agentVersion: '1.60', licenseProfile: { esuProfile: { esuEligibility: 'Ineligible' } } } });
    assert.equal(azMachineParser.parse(esu, pastedInput('m.json')).observations.some((o) => o.name === 'azure.licenseProfile'), false);
  });

  it('refuses malformed or unrelated input', () => {
    assert.throws(() => parser.parse('{"type":"Microsoft.HybridCompute/machines/licenseProfiles","properties":', pastedInput('x.json')), ParseError);
    assert.throws(() => parser.parse('{"type":"Microsoft.HybridCompute/machines/licenseProfiles","properties":{"esuProfile":{}}}', pastedInput('x.json')), /without softwareAssurance or productProfile/);
    assert.throws(() => parser.parse('ERROR: Not Found', pastedInput('x.txt')), ParseError);
    assert.equal(parser.detect('{"type": "Microsoft.HybridCompute/machines"}'), 0);
  });

  it('runs in linear time on hostile input', () => {
    const start = Date.now();
    parser.detect(`"type"${' '.repeat(100_000)}:${' '.repeat(100_000)}x /licenseProfiles/default`);
    parser.detect(`${'StatusCode :'.repeat(20_000)}`);
    assert.ok(Date.now() - start < 1000);
  });
});
