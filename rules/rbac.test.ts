import { strict as assert } from 'node:assert';
import rule from './rbac';
import { fact, runRuleOn } from '../test/support/testing';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000';
const RID = `${SUB}/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/srv01`;
const machine = fact('machine.resourceId', RID);
const ASSIGN = `az role assignment create --assignee '<user-or-group>' --role 'Windows Admin Center Administrator Login' --scope '${RID}'`;

describe('rule rbac', () => {
  it('passes when the WAC role is assigned at a scope including the machine, naming principal and scope', () => {
    const f = runRuleOn(rule, machine, fact('azure.roleAssignments', [
      { roleDefinitionName: 'Windows Admin Center Administrator Login', principalName: 'alice@contoso.com', scope: `${SUB}/resourceGroups/rg-arc` },
      { roleDefinitionName: 'Reader', principalName: 'alice@contoso.com', scope: `${SUB}/resourceGroups/rg-arc` },
    ]));
    assert.equal(f.status, 'pass');
    assert.equal(f.message, `Windows Admin Center Administrator Login is assigned to alice@contoso.com at scope ${SUB}/resourceGroups/rg-arc; the connecting user must be one of these principals (or in one of these groups).`);
  });

  it('notes a missing Reader when passing', () => {
    const f = runRuleOn(rule, fact('azure.roleAssignments', [{ roleDefinitionName: 'windows admin center administrator login', scope: RID }]));
    assert.equal(f.status, 'pass');
    assert.match(f.message, /Reader, which connecting also needs, was not in the list/);
  });

  it('fails when only Owner/Contributor are assigned, saying they do not grant connect', () => {
    const f = runRuleOn(rule, machine, fact('azure.roleAssignments', [
      { roleDefinitionName: 'Owner', principalName: 'bob@contoso.com', scope: SUB },
      { roleDefinitionName: 'Contributor', principalName: 'ops', scope: `${SUB}/resourceGroups/rg-arc` },
    ]));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'None of the 2 role assignments listed (Owner, Contributor) is Windows Admin Center Administrator Login; Owner and Contributor do not grant connecting (only installing); connecting to Windows Admin Center needs Windows Admin Center Administrator Login with Reader.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [ASSIGN]);
  });

  it('warns (disputed in the docs) when the role is assigned only at management-group scope', () => {
    const f = runRuleOn(rule, machine, fact('azure.roleAssignments', [
      { roleDefinitionName: 'Windows Admin Center Administrator Login', principalName: 'admins', scope: '/providers/Microsoft.Management/managementGroups/corp' },
    ]));
    assert.equal(f.status, 'warn');
    assert.match(f.message, /^Windows Admin Center Administrator Login is assigned to admins only at management-group scope \/providers\/Microsoft\.Management\/managementGroups\/corp; whether that works is disputed in the docs/);
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [ASSIGN]);
  });

  it('fails when the role is assigned on another resource group', () => {
    const f = runRuleOn(rule, machine, fact('azure.roleAssignments', [
      { roleDefinitionName: 'Windows Admin Center Administrator Login', scope: `${SUB}/resourceGroups/rg-arc-other` },
    ]));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /at scope .*rg-arc-other, which does not include the machine/);
  });

  it('fails on an authorization failure on a WAC action, citing it', () => {
    const f = runRuleOn(rule, machine, fact('log.signatures', [{
      id: 'authorization-failed', subject: 'Microsoft.HybridConnectivity/endpoints/listManagedProxyDetails/action', time: '2026-11-26T10:00:00Z',
      text: "does not have authorization to perform action 'Microsoft.HybridConnectivity/endpoints/listManagedProxyDetails/action'",
    }]));
    assert.equal(f.status, 'fail');
    assert.equal(f.message, 'Authorization failed for Microsoft.HybridConnectivity/endpoints/listManagedProxyDetails/action (at 2026-11-26T10:00:00Z): the user lacks Windows Admin Center Administrator Login (with Reader) on the machine.');
    assert.deepEqual(f.fix!.commands.map((c) => c.command), [ASSIGN]);
  });

  it('warns, not fails, when the only failure is on SSH\'s listCredentials action, which the WAC role does not grant', () => {
    const ssh = fact('log.signatures', [{
      id: 'authorization-failed', subject: 'Microsoft.HybridConnectivity/endpoints/listCredentials/action', time: '2026-11-26T10:00:00Z',
      text: "does not have authorization to perform action 'Microsoft.HybridConnectivity/endpoints/listCredentials/action'",
    }]);
    const f = runRuleOn(rule, machine, ssh);
    assert.equal(f.status, 'warn');
    assert.equal(f.message, 'Authorization failed for Microsoft.HybridConnectivity/endpoints/listCredentials/action (at 2026-11-26T10:00:00Z), which SSH (az ssh arc) uses, not Windows Admin Center: Windows Admin Center Administrator Login does not include it and assigning it will not fix this failure; WAC uses listManagedProxyDetails and WACLoginAsAdmin.');
    assert.deepEqual(f.fix!.commands, []);
    // With assignments that lack the WAC role, the rule still fails on those, and names the SSH failure.
    const none = runRuleOn(rule, machine, ssh, fact('azure.roleAssignments', [{ roleDefinitionName: 'Reader', scope: RID }]));
    assert.equal(none.status, 'fail');
    assert.match(none.message, /^None of the 1 role assignment listed \(Reader\) is Windows Admin Center Administrator Login; .* Authorization failed for .*listCredentials\/action .*which SSH/);
    // Both: the WAC failure decides, the SSH one is noted.
    const both = runRuleOn(rule, machine, ssh, fact('log.signatures', [{ id: 'authorization-failed', subject: 'Microsoft.HybridCompute/machines/WACLoginAsAdmin/action', text: 'x' }]));
    assert.equal(both.status, 'fail');
    assert.match(both.message, /^Authorization failed for Microsoft\.HybridCompute\/machines\/WACLoginAsAdmin\/action: .*\(The failure on .*listCredentials\/action is SSH's/);
  });

  it('still fails on an authorization failure when the role is assigned, mentioning propagation', () => {
    const f = runRuleOn(rule, fact('azure.roleAssignments', [{ roleDefinitionName: 'Windows Admin Center Administrator Login', scope: RID }]),
      fact('log.signatures', [{ id: 'authorization-failed', text: 'AuthorizationFailed' }]));
    assert.equal(f.status, 'fail');
    assert.match(f.message, /^Authorization failed for an action that was not named: .*a new assignment can take a few minutes/);
    assert.match(f.fix!.commands[0]!.command, /--scope '<machine-resource-id>'$/);
  });

  it('skips when only unrelated signatures were seen', () => {
    const f = runRuleOn(rule, fact('log.signatures', [{ id: 'missing-registration', subject: 'Microsoft.HybridCompute', text: 'x' }]));
    assert.equal(f.status, 'skip');
    assert.match(f.message, /no role assignments/);
  });

  it('skips without assignments or signatures', () => {
    const f = runRuleOn(rule, machine);
    assert.equal(f.status, 'skip');
    assert.deepEqual(f.missing, ['azure.roleAssignments | log.signatures']);
    assert.match(f.message, /az role assignment list/);
  });
});
