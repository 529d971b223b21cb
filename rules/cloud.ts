/**
 * cloud: WAC in the Azure portal exists only in the Azure public cloud, in the regions its doc lists.
 * Agent 1.67 reports `Azure.Local` for machines on Azure Local connected to public Azure: that is Azure Local, not
 * disconnected operations (which show `AzureStackCloud`), so it is judged like `AzureCloud`
 * (arc-wac-facts "Updates checked 2026-12"; https://learn.microsoft.com/azure/azure-arc/servers/agent-release-notes).
 */
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { isWacRegion, regionDisplayName, WAC_REGIONS_DATE } from '../core/catalog/regions';

const PUBLIC_CLOUD = 'AzureCloud';
/** Cloud names that are the Azure public cloud. */
const PUBLIC_CLOUDS = ['azurecloud', 'azure.local'];

const CLOUD_NAMES: Record<string, string> = {
  azureusgovernment: 'Azure Government',
  azurechinacloud: 'Azure China (21Vianet)',
  azurestackcloud: 'Azure Stack (a private cloud, such as Azure Local disconnected operations)',
};

const cloudLabel = (cloud: string): string => (cloud.toLowerCase() === 'azure.local' ? 'Azure.Local: Azure Local, not disconnected operations' : PUBLIC_CLOUD);

export default defineRule({
  meta: {
    id: 'cloud',
    title: 'The machine is in the Azure public cloud, in a Windows Admin Center region',
    category: 'requirements',
    severity: 'fail',
    description: [
      'Windows Admin Center in the Azure portal is available only in the Azure public cloud (`Cloud : AzureCloud` in',
      '`azcmagent show`); it is not supported in Azure Government, Azure China or other non-public clouds. Its doc also',
      `lists the regions where it is available (as of ${WAC_REGIONS_DATE}).`,
      '',
      '`Azure.Local` (agent 1.67 and later, machines on Azure Local) is Azure Local connected to the public cloud, not',
      'disconnected operations, and is judged like `AzureCloud`.',
      '',
      '- **fail**: the cloud is anything other than `AzureCloud` or `Azure.Local` (`AzureUSGovernment`, `AzureChinaCloud`, `AzureStackCloud`, ...).',
      '- **warn**: the cloud is `AzureCloud` or `Azure.Local` (or not shown) and the machine resource region is not in the documented list.',
      '- **pass**: a public cloud and a listed region, or whichever of the two was seen is fine.',
      '',
      'Either fact is enough to run the rule; the message says which one was not seen.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines#azure-region-availability',
      'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-show',
    ],
    requires: [],
    anyOf: [['agent.cloud', 'agent.location']],
    appliesTo: ['pasted', 'bundle', 'live'],
  },
  check(ctx) {
    const cloud = ctx.get('agent.cloud')?.trim() || undefined;
    const location = ctx.get('agent.location')?.trim() || undefined;

    if (cloud && !PUBLIC_CLOUDS.includes(cloud.toLowerCase())) {
      const known = CLOUD_NAMES[cloud.toLowerCase()];
      const where = location ? ` (region ${location})` : '';
      return fail(
        `The agent is connected to the ${cloud} cloud${known ? `, ${known}` : ''}${where}; Windows Admin Center in the Azure portal is available only in the Azure public cloud (AzureCloud).`,
        fixes.manual('Windows Admin Center in the Azure portal cannot be used in this cloud; install Windows Admin Center locally, or onboard the machine to the Azure public cloud.'),
      );
    }
    if (!location) {
      if (!cloud) return skip('Not checked: the agent cloud was not seen and the machine location is empty (a disconnected agent shows no resource fields).');
      return pass(`The agent is connected to the Azure public cloud (${cloudLabel(cloud)}); the machine region was not seen, so it was not checked against the Windows Admin Center region list.`);
    }
    const cloudPart = cloud ? `The agent is in the Azure public cloud (${cloudLabel(cloud)}) and the` : 'The';
    const noCloud = cloud ? '' : ' (the agent cloud was not seen)';
    if (isWacRegion(location)) {
      return pass(`${cloudPart} machine region ${regionDisplayName(location)} is one where Windows Admin Center is available${noCloud}.`);
    }
    return warn(
      `${cloudPart} machine region ${location} is not in the Windows Admin Center region list (as of ${WAC_REGIONS_DATE})${noCloud}; the Windows Admin Center blade may be missing or fail there.`,
      fixes.manual('Use a machine resource in a listed region: the region is chosen when the agent connects, so moving it means disconnecting and connecting again with --location set to a listed region.'),
    );
  },
});
