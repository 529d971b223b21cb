/**
 * rbac: connecting to WAC needs Reader plus "Windows Admin Center Administrator Login" on the machine (or its
 * resource group or subscription). Owner and Contributor can install WAC but do not grant connecting.
 *
 * The role (a6333a3e-0164-44c3-b281-7a577aff287f) grants `Microsoft.HybridConnectivity/endpoints/listManagedProxyDetails/action`
 * (serviceName WAC) and the data action `Microsoft.HybridCompute/machines/WACLoginAsAdmin/action`; it does not grant
 * `.../endpoints/listCredentials/action`, which is what SSH uses (arc-wac-facts "Updates checked 2026-12"; built-in role
 * definition; https://learn.microsoft.com/azure/azure-arc/servers/ssh-arc-troubleshoot). Whether the role works when
 * assigned at management-group scope is disputed in the docs, so that is a warning.
 */
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes, WAC_ROLE } from '../core/catalog/fixes';
import type { RoleAssignmentFact, SignatureHit } from '../core/model/facts';
import { trimSlashes } from './support/text';

/** WAC's actions (the role grants them) and SSH's (it doesn't, and WAC doesn't use it). */
export const WAC_ACTIONS = [
  'Microsoft.HybridConnectivity/endpoints/listManagedProxyDetails/action',
  'Microsoft.HybridCompute/machines/WACLoginAsAdmin/action',
];
export const SSH_ACTION = 'Microsoft.HybridConnectivity/endpoints/listCredentials/action';

const isSshAction = (a: string | undefined): boolean => !!a && a.toLowerCase() === SSH_ACTION.toLowerCase();

const MG_SCOPE = /^\/providers\/microsoft\.management\/managementgroups\//i;
const READ_ROLES = ['reader', 'contributor', 'owner'];
const BROAD_ROLES = ['Owner', 'Contributor', 'Azure Connected Machine Resource Administrator'];
const MAX_LISTED = 3;

const isWacRole = (a: RoleAssignmentFact): boolean => a.roleDefinitionName.trim().toLowerCase() === WAC_ROLE.toLowerCase();

/** Whether an assignment scope includes the machine (unknown scope or machine: assume it does). */
function covers(scope: string | undefined, machineId: string | undefined): boolean {
  if (!scope || !machineId) return true;
  const s = trimSlashes(scope.trim()).toLowerCase();
  const m = machineId.trim().toLowerCase();
  return s === '' || m === s || m.startsWith(`${s}/`);
}

function who(list: RoleAssignmentFact[]): string {
  const names = [...new Set(list.map((a) => a.principalName?.trim()).filter((n): n is string => !!n))];
  if (names.length === 0) return '';
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return ` to ${shown}${names.length > MAX_LISTED ? ` and ${names.length - MAX_LISTED} more` : ''}`;
}

const scopesOf = (list: RoleAssignmentFact[]): string => {
  const scopes = [...new Set(list.map((a) => a.scope?.trim() || '(scope not shown)'))];
  return scopes.slice(0, MAX_LISTED).join(', ') + (scopes.length > MAX_LISTED ? ` and ${scopes.length - MAX_LISTED} more` : '');
};

const actionOf = (h: SignatureHit): string | undefined => (h.subject && /^[A-Za-z0-9./*_-]+$/.test(h.subject.trim()) ? h.subject.trim() : undefined);

export default defineRule({
  meta: {
    id: 'rbac',
    title: 'Users have the Azure role needed to connect to Windows Admin Center',
    category: 'azure',
    severity: 'fail',
    description: [
      `Connecting to Windows Admin Center in the portal needs **Reader** and **${WAC_ROLE}** on the Arc-enabled`,
      'server (assigned on the machine, its resource group or its subscription). The role grants',
      '`Microsoft.HybridConnectivity/endpoints/listManagedProxyDetails/action` (service WAC) and the data action',
      '`Microsoft.HybridCompute/machines/WACLoginAsAdmin/action`. Because it uses data actions, one doc says it cannot be',
      'assigned at management-group scope; that is disputed, so such an assignment is a warning. Owner, Contributor and Azure',
      'Connected Machine Resource Administrator can install the extension but do **not** grant connecting.',
      '',
      'An authorization failure on `Microsoft.HybridConnectivity/endpoints/listCredentials/action` is SSH\'s (`az ssh arc`):',
      `${WAC_ROLE} does not include that action, WAC does not use it, and assigning the WAC role will not fix it.`,
      '',
      'Inputs: `az role assignment list -o json` (for the machine or the user), and authorization errors in logs or pasted text.',
      '',
      '- **fail**: an authorization failure on a WAC action or on an action that is not SSH\'s (the action is cited); or',
      `  assignments were listed and none grants ${WAC_ROLE} at a scope that includes the machine or a management group.`,
      `- **warn**: ${WAC_ROLE} is assigned only at management-group scope; or the only authorization failures are on SSH's`,
      '  `listCredentials` action (and the assignments, if listed, grant WAC).',
      `- **pass**: ${WAC_ROLE} is assigned at a scope that includes the machine (principal and scope are named).`,
      '- **skip**: only log texts were given and they contain no authorization failure.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines#configuring-role-assignments',
      'https://learn.microsoft.com/azure/azure-arc/servers/security-machine-configuration',
      'https://learn.microsoft.com/azure/azure-arc/servers/ssh-arc-troubleshoot',
    ],
    requires: [],
    anyOf: [['azure.roleAssignments', 'log.signatures']],
    optional: ['machine.resourceId'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['assignWacRole'],
  },
  check(ctx) {
    const assignments = ctx.get('azure.roleAssignments');
    const hits = (ctx.get('log.signatures') ?? []).filter((h) => h.id === 'authorization-failed');
    const machineId = ctx.get('machine.resourceId');
    const fix = fixes.assignWacRole(machineId);

    if (!assignments && hits.length === 0) {
      return skip('Not checked: no role assignments (az role assignment list -o json) and no authorization failures in the logs or pasted text.');
    }

    // What the assignments say.
    let assignmentText = '';
    let granted = false;
    let mgOnly = false;
    if (assignments) {
      const wac = assignments.filter(isWacRole);
      const atMg = wac.filter((a) => a.scope && MG_SCOPE.test(a.scope.trim()));
      const usable = wac.filter((a) => !atMg.includes(a));
      const covering = usable.filter((a) => covers(a.scope, machineId));
      const broad = [...new Set(assignments.filter((a) => BROAD_ROLES.some((r) => r.toLowerCase() === a.roleDefinitionName.trim().toLowerCase())).map((a) => a.roleDefinitionName.trim()))];
      const broadNote = broad.length > 0 ? `; ${broad.join(' and ')} ${broad.length === 1 ? 'does' : 'do'} not grant connecting (only installing)` : '';
      if (covering.length > 0) {
        granted = true;
        const reader = assignments.some((a) => READ_ROLES.includes(a.roleDefinitionName.trim().toLowerCase()));
        const readerNote = reader ? '' : '; Reader, which connecting also needs, was not in the list';
        assignmentText = `${WAC_ROLE} is assigned${who(covering)} at scope ${scopesOf(covering)}${readerNote}`;
      } else if (atMg.length > 0) {
        mgOnly = true;
        assignmentText = `${WAC_ROLE} is assigned${who(atMg)} only at management-group scope ${scopesOf(atMg)}; whether that works is disputed in the docs (the role uses data actions), so assign it on the subscription, resource group or machine to be sure${broadNote}`;
      } else if (usable.length > 0) {
        assignmentText = `${WAC_ROLE} is assigned${who(usable)} at scope ${scopesOf(usable)}, which does not include the machine ${machineId ?? ''}`.trimEnd() + broadNote;
      } else if (assignments.length === 0) {
        assignmentText = `no role assignments were listed, so nobody has ${WAC_ROLE}`;
      } else {
        const roles = [...new Set(assignments.map((a) => a.roleDefinitionName.trim()))];
        assignmentText = `none of the ${assignments.length} role assignment${assignments.length === 1 ? '' : 's'} listed (${roles.slice(0, 5).join(', ')}${roles.length > 5 ? ', ...' : ''}) is ${WAC_ROLE}${broadNote}`;
      }
    }

    const wacHits = hits.filter((h) => !isSshAction(actionOf(h)));
    const sshHits = hits.filter((h) => isSshAction(actionOf(h)));
    if (wacHits.length > 0) {
      const actions = [...new Set(wacHits.map((h) => actionOf(h) ?? 'an action that was not named'))];
      const when = wacHits.find((h) => h.time)?.time;
      const suffix = assignmentText ? `; ${assignmentText}${granted ? ' (a new assignment can take a few minutes to apply; sign out of the portal and in again)' : ''}` : '';
      const sshNote = sshHits.length > 0 ? ` (The failure on ${SSH_ACTION} is SSH's; the WAC role does not include it.)` : '';
      return fail(
        `Authorization failed for ${actions.slice(0, MAX_LISTED).join(', ')}${actions.length > MAX_LISTED ? ` and ${actions.length - MAX_LISTED} more` : ''}${when ? ` (at ${when})` : ''}: the user lacks ${WAC_ROLE} (with Reader) on the machine${suffix}.${sshNote}`,
        fix,
      );
    }
    const sshText = sshHits.length > 0
      ? `Authorization failed for ${SSH_ACTION}${sshHits.find((h) => h.time)?.time ? ` (at ${sshHits.find((h) => h.time)!.time})` : ''}, which SSH (az ssh arc) uses, not Windows Admin Center: ${WAC_ROLE} does not include it and assigning it will not fix this failure; WAC uses listManagedProxyDetails and WACLoginAsAdmin`
      : '';
    if (sshText && (granted || !assignments)) {
      const tail = granted ? `; ${assignmentText}` : '';
      return warn(`${sshText}${tail}.`, fixes.manual(`If the failure came from SSH, grant the user a role that includes ${SSH_ACTION}; for Windows Admin Center, make sure the user has ${WAC_ROLE} with Reader on the machine.`));
    }
    if (granted) return pass(`${assignmentText}; the connecting user must be one of these principals (or in one of these groups).`);
    if (mgOnly) return warn(`${assignmentText.charAt(0).toUpperCase()}${assignmentText.slice(1)}.${sshText ? ` ${sshText}.` : ''}`, fix);
    if (sshText) return fail(`${assignmentText.charAt(0).toUpperCase()}${assignmentText.slice(1)}; connecting to Windows Admin Center needs ${WAC_ROLE} with Reader. ${sshText}.`, fix);
    return fail(`${assignmentText.charAt(0).toUpperCase()}${assignmentText.slice(1)}; connecting to Windows Admin Center needs ${WAC_ROLE} with Reader.`, fix);
  },
});
