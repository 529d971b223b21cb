import { strict as assert } from 'node:assert';
import rule from './license';
import { fact, runRuleOn } from '../test/support/testing';

const RID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01';
const machine = [fact('machine.resourceId', RID), fact('agent.location', 'westeurope')];
const ATTEST = [
  `Set-Content -Path 'wac-license.json' -Value '{"location":"westeurope","properties":{"softwareAssurance":{"softwareAssuranceCustomer":true}}}' -Encoding ascii`,
  `az rest --method put --uri 'https://management.azure.com${RID}/licenseProfiles/default?api-version=2024-07-10' --body '@wac-license.json'`,
];
const lp = (v: Record<string, unknown>) => fact('azure.licenseProfile', { present: true, ...v });
const dls = (ok: boolean) => fact('probe.dls.microsoft.com', ok
  ? { host: 'dls.microsoft.com', port: 443, tcp: { ok: true }, tls: { ok: true } }
  : { host: 'dls.microsoft.com', port: 443, dns: { status: 'ok', addresses: ['20.1.2.3'] }, tcp: { ok: false, error: 'i/o timeout' } });

describe('rule license', () => {
  it('passes with Software Assurance attested on agent 1.47 or later', () => {
    const f = runRuleOn(rule, lp({ softwareAssuranceCustomer: true }), fact('agent.version', '1.48.02881.1941'));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, 'Software Assurance is attested (softwareAssuranceCustomer true) on agent 1.48.02881.1941.');
    assert.match(runRuleOn(rule, lp({ softwareAssuranceCustomer: true })).message, /agent version was not seen \(1\.47 or later is needed\)/);
  });

  it('fails when the attestation sits on an agent older than 1.47', () => {
    const f = runRuleOn(rule, lp({ softwareAssuranceCustomer: true }), fact('agent.version', '1.46.02781.1800'));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /older than 1\.47, which the attestation needs/);
  });

  it('passes with pay-as-you-go enabled, judging dls.microsoft.com when probed', () => {
    const payg = lp({ softwareAssuranceCustomer: false, productType: 'WindowsServer', subscriptionStatus: 'Enabled' });
    const unprobed = runRuleOn(rule, payg);
    assert.equal(unprobed.status, 'pass');
    assert.match(unprobed.message, /dls\.microsoft\.com was not probed, and it must be reachable/);
    assert.equal(runRuleOn(rule, payg, dls(true)).message, 'Windows Server pay-as-you-go is enabled and dls.microsoft.com is reachable.');
    const blocked = runRuleOn(rule, payg, dls(false));
    assert.equal(blocked.status, 'fail');
    assert.match(blocked.message, /dls\.microsoft\.com is unreachable/);
    assert.ok(blocked.fix!.commands.some((c) => c.command === "Test-NetConnection -ComputerName 'dls.microsoft.com' -Port 443"));
  });

  it('fails without a license profile (404) or with neither attestation nor enabled pay-as-you-go, with the attestation PUT', () => {
    const missing = runRuleOn(rule, fact('azure.licenseProfile', { present: false }), ...machine);
    assert.equal(missing.status, 'fail');
    assert.match(missing.message, /^The machine has no license profile \(licenseProfiles\/default was not found\)/);
    assert.deepEqual(missing.fix!.commands.map((c) => c.command), ATTEST);
    const disabled = runRuleOn(rule, lp({ softwareAssuranceCustomer: false, productType: 'WindowsServer', subscriptionStatus: 'Disabled' }), ...machine);
    assert.equal(disabled.status, 'fail');
    assert.equal(disabled.message, 'Software Assurance is not attested (softwareAssuranceCustomer false) and Windows Server pay-as-you-go is Disabled. Windows Admin Center in the portal needs Windows Server Management enabled by Azure Arc since 2024-11-01.');
  });

  it('warns while pay-as-you-go is Enabling, and when the product profile is not shown', () => {
    assert.equal(runRuleOn(rule, lp({ productType: 'WindowsServer', subscriptionStatus: 'Enabling' })).status, 'warn');
    const f = runRuleOn(rule, lp({ softwareAssuranceCustomer: false }));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /does not show the pay-as-you-go product profile/);
    assert.match(f.fix!.commands[0]!.command, /-Value '\{"location":"<region>"/);
    assert.equal(f.fix!.commands[1]!.command, "az rest --method put --uri '<license-profile-uri>' --body '@wac-license.json'");
  });

  it('skips without license data', () => {
    const f = runRuleOn(rule, ...machine);
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['azure.licenseProfile']);
  });
});
