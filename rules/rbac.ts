/**
 * rbac: connecting to WAC needs Reader plus "Windows Admin Center Administrator Login" on the machine (or its
 * resource group or subscription). Owner and Contributor can install WAC but do not grant connecting.
 */
import { defineRule, fail, pass, skip } from '../core/rule';
import { fixes, WAC_ROLE } from '../core/fixes';
import type { RoleAssignmentFact, SignatureHit } from '../core/facts';
import { trimSlashes } from './support/text';

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
      'server (assigned on the machine, its resource group or its subscription). The role uses dataActions, so it **cannot**',
      'be assigned at management-group scope. Owner, Contributor and Azure Connected Machine Resource Administrator can',
      'install the extension but do **not** grant connecting.',
      '',
      'Inputs: `az role assignment list -o json` (for the machine or the user), and authorization errors in logs or',
      'pasted text (for example on `Microsoft.HybridConnectivity/endpoints/listCredentials/action`).',
      '',
      '- **fail**: an authorization failure was seen (the action is cited); or assignments were listed and none grants',
      `  ${WAC_ROLE} at a scope that includes the machine (a management-group assignment is called out).`,
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
        assignmentText = `${WAC_ROLE} is assigned${who(atMg)} only at management-group scope ${scopesOf(atMg)}, which cannot grant it (the role uses dataActions; assign it on the subscription, resource group or machine)${broadNote}`;
      } else if (usable.length > 0) {
        assignmentText = `${WAC_ROLE} is assigned${who(usable)} at scope ${scopesOf(usable)}, which does not include the machine ${machineId ?? ''}`.trimEnd() + broadNote;
      } else if (assignments.length === 0) {
        assignmentText = `no role assignments were listed, so nobody has ${WAC_ROLE}`;
      } else {
        const roles = [...new Set(assignments.map((a) => a.roleDefinitionName.trim()))];
        assignmentText = `none of the ${assignments.length} role assignment${assignments.length === 1 ? '' : 's'} listed (${roles.slice(0, 5).join(', ')}${roles.length > 5 ? ', ...' : ''}) is ${WAC_ROLE}${broadNote}`;
      }
    }

    if (hits.length > 0) {
      const actions = [...new Set(hits.map((h) => actionOf(h) ?? 'an action that was not named'))];
      const when = hits.find((h) => h.time)?.time;
      const suffix = assignmentText ? `; ${assignmentText}${granted ? ' (a new assignment can take a few minutes to apply; sign out of the portal and in again)' : ''}` : '';
      return fail(
        `Authorization failed for ${actions.slice(0, MAX_LISTED).join(', ')}${actions.length > MAX_LISTED ? ` and ${actions.length - MAX_LISTED} more` : ''}${when ? ` (at ${when})` : ''}: the user lacks ${WAC_ROLE} (with Reader) on the machine${suffix}.`,
        fix,
      );
    }
    if (granted) return pass(`${assignmentText}; the connecting user must be one of these principals (or in one of these groups).`);
    return fail(`${assignmentText.charAt(0).toUpperCase()}${assignmentText.slice(1)}; connecting to Windows Admin Center needs ${WAC_ROLE} with Reader.`, fix);
  },
});
