/**
 * service-configuration: the Azure side of the WAC reverse proxy. The portal connects through the machine's
 * HybridConnectivity endpoint `.../providers/Microsoft.HybridConnectivity/endpoints/default` to the port of its service
 * configuration `.../endpoints/default/serviceconfigurations/WAC` (`properties.port`, an integer). Installing from the
 * portal creates both; a command-line (re)install on a new port leaves the old port there. Sources: WAC doc automation
 * script and the HybridConnectivity REST spec, api-version 2023-03-15 (arc-wac-facts §11, "Updates checked 2026-12").
 */
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

export default defineRule({
  meta: {
    id: 'service-configuration',
    title: 'Azure has the WAC endpoint and service configuration on the machine\'s WAC port',
    category: 'azure',
    severity: 'fail',
    description: [
      'Windows Admin Center in the portal reaches the machine through the HybridConnectivity endpoint',
      '`<machine id>/providers/Microsoft.HybridConnectivity/endpoints/default` and its service configuration',
      '`.../endpoints/default/serviceconfigurations/WAC`, whose `port` (an integer) is the port the reverse proxy connects to.',
      'The portal install creates both; installing or reinstalling from the command line on another port leaves the service',
      'configuration on the old port. Inputs: `az rest --method get --uri <machine id>/providers/Microsoft.HybridConnectivity/endpoints/default/serviceconfigurations/WAC?api-version=2023-03-15`',
      '(or the endpoint itself, or `Invoke-AzRestMethod -Method GET -Path ...`).',
      '',
      '- **fail**: the endpoint or the WAC service configuration does not exist (404), or its port differs from the',
      '  machine\'s WAC port (extension setting, `SmePort`, `appsettings.json` or `--port`). The fix is the two PUTs: the',
      '  endpoint `{"properties":{"type":"default"}}`, then the service configuration `{"properties":{"serviceName":"WAC","port":<port>}}`.',
      '- **warn**: the port is not an integer 1-65535, or the service configuration\'s provisioningState is not `Succeeded`.',
      '- **pass**: the service configuration exists on the machine\'s WAC port (or, with the port unknown, on the port it names).',
      '- **skip**: only the endpoint was seen (it exists), so the port could not be compared.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines',
      'https://learn.microsoft.com/rest/api/hybridconnectivity/service-configurations/get',
      'https://learn.microsoft.com/azure/azure-arc/servers/ssh-arc-troubleshoot',
    ],
    requires: [],
    anyOf: [['azure.wacServiceConfiguration', 'azure.hybridEndpoint']],
    optional: ['wac.port', 'machine.resourceId'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['setWacServiceConfiguration'],
  },
  check(ctx) {
    const config = ctx.get('azure.wacServiceConfiguration');
    const endpoint = ctx.get('azure.hybridEndpoint');
    const resourceId = ctx.get('machine.resourceId');
    const wacPort = ctx.get('wac.port');
    const known = wacPort && wacPort.source !== 'default' ? wacPort : undefined;
    const fix = fixes.setWacServiceConfiguration(resourceId, wacPort?.port);
    const portNote = known ? ` The machine's WAC port is ${known.port} (from ${known.source}).` : wacPort ? ' The machine\'s WAC port was not seen, so 6516 (the default) is used in the fix.' : '';

    if (endpoint && !endpoint.present) {
      return fail(`The machine has no HybridConnectivity endpoint (endpoints/default was not found), so the portal has nothing to connect through.${portNote}`, fix);
    }
    if (!config) {
      return skip('The HybridConnectivity default endpoint exists, but its WAC service configuration was not seen (az rest --method get --uri <machine id>/providers/Microsoft.HybridConnectivity/endpoints/default/serviceconfigurations/WAC?api-version=2023-03-15), so the port could not be compared.');
    }
    if (!config.present) {
      const what = config.endpointMissing ? 'The machine has no HybridConnectivity endpoint (endpoints/default was not found)' : 'The machine\'s HybridConnectivity endpoint has no WAC service configuration (serviceconfigurations/WAC was not found)';
      return fail(`${what}, so the portal does not know which port to connect to.${portNote}`, fix);
    }
    if (config.port === undefined) {
      return warn(`The WAC service configuration's port is ${config.portText !== undefined ? `"${config.portText}", not an integer 1-65535` : 'missing'}; the reverse proxy needs an integer port.${portNote}`, fix);
    }
    if (known && known.port !== config.port) {
      return fail(`The WAC service configuration points the portal at port ${config.port}, but Windows Admin Center on the machine uses port ${known.port} (from ${known.source}): the portal connects to the wrong port (typical after a command-line reinstall on a new port).`, fix);
    }
    const state = config.provisioningState?.trim();
    if (state && state.toLowerCase() !== 'succeeded') {
      return warn(`The WAC service configuration (port ${config.port}) has provisioningState ${state}, not Succeeded.${portNote}`, fix);
    }
    if (!known) return pass(`The WAC service configuration exists on port ${config.port}; the machine's WAC port was not seen, so compare it with SmePort or the extension's port setting.`);
    return pass(`The WAC service configuration exists on port ${config.port}, the machine's WAC port (from ${known.source}).`);
  },
});
