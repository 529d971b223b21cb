import { strict as assert } from 'node:assert';
import { azRoleAssignmentParser } from './az-role-assignment';
import { detectParser } from '../sources/pasted';
import { ParseError } from './parser';
import { decodeText } from '../text/text-input';
import { fixtureBuffer, fixtureText, pastedInput, powerShellUtf16 } from '../../test/support/testing';


const SUB = '/subscriptions/7c1f3b2e-5d4a-4e8b-9f21-0a6c3d8e9b47';
const RG = `${SUB}/resourceGroups/rg-arc-demo`;
const MACHINE = `${RG}/providers/Microsoft.HybridCompute/machines/arc-srv-01`;

describe('az role assignment parser', () => {
  const text = fixtureText('az-role-assignment-list.json');

  it('reads az role assignment list -o json with one evidence line per assignment', () => {
    assert.equal(azRoleAssignmentParser.detect(text), 95);
    assert.equal(detectParser(text), azRoleAssignmentParser);
    const r = azRoleAssignmentParser.parse(text, pastedInput('ra.json'));
    assert.deepEqual(r.warnings, []);
    assert.equal(r.observations.length, 1);
    const o = r.observations[0]!;
    assert.equal(o.name, 'azure.roleAssignments');
    assert.deepEqual(o.value, [
      { roleDefinitionName: 'Reader', principalName: 'ops-admin@contoso.com', principalType: 'User', scope: RG },
      { roleDefinitionName: 'Windows Admin Center Administrator Login', principalName: 'WAC Operators', principalType: 'Group', scope: MACHINE },
    ]);
    assert.deepEqual(o.evidence, [
      { source: 'pasted', path: 'ra.json', line: 16, excerpt: '"roleDefinitionName": "Reader",' },
      { source: 'pasted', path: 'ra.json', line: 36, excerpt: '"roleDefinitionName": "Windows Admin Center Administrator Login",' },
    ]);
  });

  it('reads the same from UTF-16LE', () => {
    const fromUtf16 = decodeText(powerShellUtf16(fixtureBuffer('az-role-assignment-list.json').toString('utf8')), 'ra.json');
    assert.equal(detectParser(fromUtf16), azRoleAssignmentParser);
    assert.deepEqual(azRoleAssignmentParser.parse(fromUtf16, pastedInput('ra.json')).observations, azRoleAssignmentParser.parse(text, pastedInput('ra.json')).observations);
  });

  it('reads Get-AzRoleAssignment list output', () => {
    const ps = [
      'PS C:\\> Get-AzRoleAssignment -Scope /subscriptions/7c1f3b2e-5d4a-4e8b-9f21-0a6c3d8e9b47/resourceGroups/rg-arc-demo', '',
      'RoleAssignmentName : 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      `RoleAssignmentId   : ${RG}/providers/Microsoft.Authorization/roleAssignments/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`,
      `Scope              : ${RG}`, 'DisplayName        : Ops Admin', 'SignInName         : ops-admin@contoso.com', 'RoleDefinitionName : Reader',
      'RoleDefinitionId   : acdd72a7-3385-48ef-bd42-f606fba81ae7', 'ObjectId           : 1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', 'ObjectType         : User',
      'CanDelegate        : False', 'Description        :', 'ConditionVersion   :', 'Condition          :', '',
      'RoleAssignmentName : 6a7b8c9d-0e1f-4a2b-3c4d-5e6f7a8b9c0d', `Scope              : ${MACHINE}`, 'DisplayName        : WAC Operators',
      'SignInName         :', 'RoleDefinitionName : Windows Admin Center Administrator Login', 'ObjectType         : Group', '',
    ].join('\n');
    assert.equal(detectParser(ps), azRoleAssignmentParser);
    const o = azRoleAssignmentParser.parse(ps, pastedInput('ps.txt')).observations[0]!;
    assert.deepEqual(o.value, [
      { roleDefinitionName: 'Reader', principalName: 'ops-admin@contoso.com', principalType: 'User', scope: RG },
      { roleDefinitionName: 'Windows Admin Center Administrator Login', principalName: 'WAC Operators', principalType: 'Group', scope: MACHINE },
    ]);
    assert.deepEqual(o.evidence.map((e) => e.line), [8, 21]);
  });

  it('reads az role assignment list -o table', () => {
    const table = [
      'Principal              Role                                      Scope', '---------------------  ----------------------------------------  ---------------',
      `ops-admin@contoso.com  Windows Admin Center Administrator Login  ${MACHINE}`,
    ].join('\n');
    assert.equal(detectParser(table), azRoleAssignmentParser);
    const o = azRoleAssignmentParser.parse(table, pastedInput('t.txt')).observations[0]!;
    assert.deepEqual(o.value, [{ roleDefinitionName: 'Windows Admin Center Administrator Login', principalName: 'ops-admin@contoso.com', scope: MACHINE }]);
    assert.equal(o.evidence[0]!.line, 3);
  });

  it('reads an empty result as no assignments', () => {
    const empty = 'PS C:\\> az role assignment list --assignee ops-admin@contoso.com --all -o json\n[]\n';
    assert.equal(detectParser(empty), azRoleAssignmentParser);
    const o = azRoleAssignmentParser.parse(empty, pastedInput('e.txt')).observations[0]!;
    assert.deepEqual(o.value, []);
    assert.deepEqual(o.evidence, [{ source: 'pasted', path: 'e.txt', excerpt: 'no role assignments listed' }]);
  });

  it('does not claim other outputs', () => {
    for (const f of ['az-extension-list.json', 'az-machine-show.json', 'az-provider-hybridconnectivity.json', 'test-netconnection.txt']) {
      assert.equal(azRoleAssignmentParser.detect(fixtureText(f)), 0, f);
    }
  });

  it('throws ParseError for ARM assignments without role names and for broken JSON', () => {
    const arm = JSON.stringify([{ id: `${RG}/providers/Microsoft.Authorization/roleAssignments/x`, properties: { roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`, scope: RG } }]);
    assert.equal(detectParser(arm), azRoleAssignmentParser);
    assert.throws(() => azRoleAssignmentParser.parse(arm, pastedInput('arm.json')), (err: unknown) => err instanceof ParseError && /only a roleDefinitionId/.test(err.message));
    assert.throws(() => azRoleAssignmentParser.parse('[{"roleDefinitionName": "Reader",', pastedInput('b.json')), (err: unknown) => err instanceof ParseError && /invalid JSON/.test(err.message));
  });
});
