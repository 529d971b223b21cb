/**
 * azure-vm: Arc (and so WAC through Arc) is for machines outside Azure. The Connected Machine agent's install scripts
 * refuse an Azure VM ("Cannot install Azure Connected Machine agent on an Azure Virtual Machine", with the test-only
 * override at aka.ms/azcmagent-testwarning); an Azure VM gets Windows Admin Center from its own blade in the portal.
 */
import { defineRule, fail, pass, skip } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

const ARC_MACHINE = /\/providers\/Microsoft\.HybridCompute\/machines\/[^/]+$/i;

export default defineRule({
  meta: {
    id: 'azure-vm',
    title: 'The machine is an Arc-enabled server, not an Azure VM',
    category: 'requirements',
    severity: 'fail',
    description: [
      'Windows Admin Center through Azure Arc is for servers outside Azure. On an Azure VM the Connected Machine agent',
      'does not install (its install script says `Cannot install Azure Connected Machine agent on an Azure Virtual',
      'Machine`); the VM gets Windows Admin Center from its own page in the portal, without Arc.',
      '',
      '- **fail**: an install transcript or log says the agent refused to install on an Azure VM.',
      '- **pass**: the machine\'s resource is an Arc machine (`Microsoft.HybridCompute/machines`).',
      '- **skip**: neither was seen.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/plan-evaluate-on-azure-virtual-machine',
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-vm',
    ],
    requires: [],
    anyOf: [['log.signatures', 'machine.resourceId']],
    wacOnly: true,
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: [],
  },
  check(ctx) {
    const refused = (ctx.get('log.signatures') ?? []).filter((h) => h.id === 'azure-vm-refused');
    if (refused.length > 0) {
      return fail(
        'The machine is an Azure VM: the Connected Machine agent refused to install there, and Windows Admin Center through Azure Arc is for servers outside Azure.',
        fixes.manual('Use Windows Admin Center for Azure VMs: in the Azure portal open the virtual machine (not an Arc machine) and choose Windows Admin Center to install and connect. Onboarding an Azure VM to Arc is for evaluation only (https://aka.ms/azcmagent-testwarning).'),
      );
    }
    const id = ctx.get('machine.resourceId');
    if (id && ARC_MACHINE.test(id.trim())) return pass('The machine\'s resource is an Arc-enabled server (Microsoft.HybridCompute/machines), so Windows Admin Center connects through Arc.');
    return skip('Not checked: no Arc machine resource id (azcmagent show) and no agent install transcript saying whether the machine is an Azure VM.');
  },
});
