/**
 * license: since 2024-11-01 Windows Admin Center in the Azure portal is a benefit of Windows Server Management enabled
 * by Azure Arc (WAC doc v3, 2024-10-30: installs from 2024-11-01 need it; earlier installs could continue to
 * 2025-11-01). A machine gets it by Software Assurance attestation (`licenseProfiles/default`
 * `properties.softwareAssurance.softwareAssuranceCustomer: true`, Connected Machine agent 1.47 or later) or by Windows
 * Server pay-as-you-go (`productProfile.productType WindowsServer`, `subscriptionStatus Enabled`): "Eligibility isn't
 * inferred directly from the enablement to Azure Arc" (https://learn.microsoft.com/azure/azure-arc/servers/windows-server-management-overview,
 * checked 2026-12). Pay-as-you-go and the benefits validate the license at `dls.microsoft.com`
 * (https://learn.microsoft.com/azure/azure-arc/servers/network-requirements, 2025-09-29). Property names: HybridCompute
 * REST 2024-07-10 examples LicenseProfile_Get.json and Machines_Get_LicenseProfileInstanceView.json.
 */
import { defineRule, fail, pass, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { compareVersions, parseVersion } from '../core/model/version';
import { probesMatching } from './support/endpoint-check';

/** Software Assurance attestation needs this agent version (windows-server-management-overview, Requirements). */
export const ATTESTATION_AGENT = '1.47';
const DLS = 'dls.microsoft.com';

export default defineRule({
  meta: {
    id: 'license',
    title: 'The machine is licensed for Windows Admin Center in Azure (Software Assurance or pay-as-you-go)',
    category: 'azure',
    severity: 'fail',
    description: [
      'Since 2024-11-01, Windows Admin Center in the Azure portal is part of Windows Server Management enabled by Azure Arc.',
      'The machine needs either Software Assurance attestation (its `licenseProfiles/default` has',
      '`softwareAssurance.softwareAssuranceCustomer: true`; attestation needs Connected Machine agent 1.47 or later) or',
      'Windows Server pay-as-you-go (`productProfile.productType` `WindowsServer`, `subscriptionStatus` `Enabled`), which',
      'validates the license at `dls.microsoft.com`. Being connected to Arc is not enough. Inputs: `az connectedmachine show`',
      '(its `licenseProfile`), or `az rest --method get --uri <machine id>/licenseProfiles/default?api-version=2024-07-10`.',
      '',
      '- **pass**: Software Assurance is attested (agent 1.47 or later, or its version unknown); or pay-as-you-go is',
      '  enabled and `dls.microsoft.com` was reachable or not probed (the message says so).',
      '- **fail**: the license profile does not exist (404), or it shows neither attestation nor enabled pay-as-you-go;',
      '  attestation on an agent older than 1.47; pay-as-you-go with `dls.microsoft.com` unreachable.',
      '- **warn**: pay-as-you-go is being enabled (`Enabling`); or attestation is absent and the source does not show the',
      '  pay-as-you-go product profile, so that could not be ruled out.',
      '- **skip**: no license profile data.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/windows-server-management-overview',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/azure/azure-arc/servers/network-requirements',
      'https://learn.microsoft.com/rest/api/hybridcompute/license-profiles/get',
    ],
    requires: ['azure.licenseProfile'],
    optional: ['agent.version', 'machine.resourceId', 'agent.location', 'probe.dls.microsoft.com'],
    appliesTo: ['pasted'],
    fixes: ['attestSoftwareAssurance', 'upgradeAgent', 'openOutbound'],
  },
  check(ctx) {
    const lp = ctx.get('azure.licenseProfile')!;
    const attest = fixes.attestSoftwareAssurance(ctx.get('machine.resourceId'), ctx.get('agent.location'));
    const why = 'Windows Admin Center in the portal needs Windows Server Management enabled by Azure Arc since 2024-11-01';
    if (!lp.present) return fail(`The machine has no license profile (licenseProfiles/default was not found): it is neither attested for Software Assurance nor enrolled in pay-as-you-go. ${why}.`, attest);

    if (lp.softwareAssuranceCustomer === true) {
      const version = ctx.get('agent.version');
      const parsed = version ? parseVersion(version) : undefined;
      if (parsed && compareVersions(parsed, ATTESTATION_AGENT) < 0) {
        return fail(`Software Assurance is attested, but agent ${version} is older than ${ATTESTATION_AGENT}, which the attestation needs.`, fixes.upgradeAgent());
      }
      return pass(`Software Assurance is attested (softwareAssuranceCustomer true)${parsed ? ` on agent ${version}` : '; the agent version was not seen (1.47 or later is needed)'}.`);
    }

    const payg = /^windowsserver$/i.test(lp.productType ?? '');
    const status = lp.subscriptionStatus?.trim();
    if (payg && /^enabled$/i.test(status ?? '')) {
      const dls = probesMatching(ctx, [DLS]);
      const failed = dls.find((c) => c.verdict.state === 'failed');
      if (failed) return fail(`Windows Server pay-as-you-go is enabled, but ${DLS} is unreachable (${failed.verdict.reason}); pay-as-you-go validates the license there.`, fixes.openOutbound([DLS]));
      const ok = dls.some((c) => c.verdict.state === 'ok');
      return pass(`Windows Server pay-as-you-go is enabled${ok ? ` and ${DLS} is reachable` : `; ${DLS} was not probed, and it must be reachable (Test-NetConnection -ComputerName ${DLS} -Port 443)`}.`);
    }
    if (payg && /^enabling$/i.test(status ?? '')) return warn('Windows Server pay-as-you-go is being enabled (subscriptionStatus Enabling); Windows Admin Center works once it is Enabled.');

    const saText = lp.softwareAssuranceCustomer === false ? 'Software Assurance is not attested (softwareAssuranceCustomer false)' : 'Software Assurance attestation is not shown';
    if (lp.productType === undefined && status === undefined) {
      return warn(`${saText}, and the source does not show the pay-as-you-go product profile. ${why}: check licenseProfiles/default.`, attest);
    }
    const paygText = payg ? `Windows Server pay-as-you-go is ${status ?? 'in an unknown state'}` : `the product profile is ${lp.productType ?? 'not Windows Server'}${status ? ` (${status})` : ''}, not Windows Server pay-as-you-go`;
    return fail(`${saText} and ${paygText}. ${why}.`, attest);
  },
});
