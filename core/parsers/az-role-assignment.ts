/**
 * `az role assignment list ... -o json` (array; `-o table` too) and `Get-AzRoleAssignment` list output.
 */
import { observe, type Observation, type RoleAssignmentFact } from '../model/facts';
import { inputEvidence, lineEvidence, ParseError, prop, type InputRef, type ParseResult, type TextParser } from './parser';
import type { Evidence } from '../model/types';
import { isObject, parseJsonInput, str } from './az-extension';
import { findTableHeader, listGet, parseListBlocks, parseTable } from './get-service';

function parseJsonAssignments(text: string, input: InputRef, warnings: string[]): { list: RoleAssignmentFact[]; evidence: Evidence[] } {
  const json = parseJsonInput(text);
  let root = json.value;
  let base = '';
  if (isObject(root) && Array.isArray(prop(root, 'value'))) [root, base] = [prop(root, 'value'), 'value'];
  const isList = Array.isArray(root);
  const items = isList ? (root as unknown[]) : [root];
  const list: RoleAssignmentFact[] = [];
  const evidence: Evidence[] = [];
  items.forEach((item, i) => {
    const at = isList ? `${base}[${i}]` : '';
    // ARM (az rest) nests under properties and has roleDefinitionId only.
    const p = isObject(prop(item, 'properties')) ? prop(item, 'properties') : item;
    const role = str(prop(item, 'roleDefinitionName')) ?? str(prop(p, 'roleDefinitionName'));
    if (!role) {
      warnings.push(`item ${i + 1}: no roleDefinitionName${str(prop(p, 'roleDefinitionId')) ? ' (only a roleDefinitionId; use az role assignment list, which adds the name)' : ''}`);
      return;
    }
    const fact: RoleAssignmentFact = { roleDefinitionName: role };
    const principal = str(prop(item, 'principalName')) ?? str(prop(p, 'principalName'));
    const type = str(prop(item, 'principalType')) ?? str(prop(p, 'principalType'));
    const scope = str(prop(item, 'scope')) ?? str(prop(p, 'scope'));
    if (principal) fact.principalName = principal;
    if (type) fact.principalType = type;
    if (scope) fact.scope = scope;
    list.push(fact);
    const line = json.lineOf(at ? `${at}.roledefinitionname` : 'roledefinitionname', at ? `${at}.properties.roledefinitionname` : 'properties.roledefinitionname')
      ?? json.lineOf(at) ?? json.firstLine;
    evidence.push(lineEvidence(input, line, json.lines[line]!));
  });
  return { list, evidence };
}

function parseAssignments(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  let list: RoleAssignmentFact[] = [];
  let evidence: Evidence[] = [];
  let recognized = false;
  if (/^[ \t]*[[{]/m.test(text)) {
    ({ list, evidence } = parseJsonAssignments(text, input, warnings));
    recognized = true;
  } else {
    for (const block of parseListBlocks(lines)) {
      const role = listGet(block, 'RoleDefinitionName');
      if (!role) continue;
      recognized = true;
      if (!role.value) continue;
      const fact: RoleAssignmentFact = { roleDefinitionName: role.value };
      const principal = listGet(block, 'SignInName')?.value || listGet(block, 'DisplayName')?.value;
      const type = listGet(block, 'ObjectType')?.value;
      const scope = listGet(block, 'Scope')?.value.replace(/\n/g, '');
      if (principal) fact.principalName = principal;
      if (type) fact.principalType = type;
      if (scope) fact.scope = scope;
      list.push(fact);
      evidence.push(lineEvidence(input, role.line, lines[role.line]!));
    }
    const h = findTableHeader(lines, ['Principal', 'Role', 'Scope']);
    const table = h >= 0 ? parseTable(lines, h) : undefined;
    if (table) {
      recognized = true;
      const col = (n: string): number => table.columns.findIndex((c) => c.toLowerCase() === n);
      const [iP, iR, iS] = [col('principal'), col('role'), col('scope')];
      for (const row of table.rows) {
        const role = row.cells[iR];
        if (!role) {
          warnings.push(`line ${row.line + 1}: no role`);
          continue;
        }
        const fact: RoleAssignmentFact = { roleDefinitionName: role };
        if (row.cells[iP]) fact.principalName = row.cells[iP];
        if (row.cells[iS]) fact.scope = row.cells[iS];
        list.push(fact);
        evidence.push(lineEvidence(input, row.line, row.text));
      }
    }
  }
  if (!recognized) {
    throw new ParseError('expected az role assignment list -o json (objects with "roleDefinitionName") or Get-AzRoleAssignment output ("RoleDefinitionName : ...")');
  }
  if (list.length === 0 && warnings.length > 0) {
    throw new ParseError(`no usable role assignment: ${warnings[0]}`);
  }
  const observations: Observation[] = [
    observe('azure.roleAssignments', list, evidence.length ? evidence : inputEvidence(input, 'no role assignments listed')),
  ];
  return { observations, warnings };
}

export const azRoleAssignmentParser: TextParser = {
  id: 'az-role-assignment',
  label: 'az role assignment list',
  detect(text) {
    if (/"roleDefinitionName"\s*:/i.test(text)) return 95;
    // Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run.
    // (`[^\S\n]*\n`, not `\s*\n\s*`: two `\s*` around a `\n` split a run of blank lines quadratically.)
    if (/^[ \t]*RoleDefinitionName\s+:/m.test(text) && /^[ \t]*(Scope|RoleAssignmentId|ObjectId)\s+:/m.test(text)) return 90;
    if (/^[ \t]*Principal\s+Role\s+Scope[^\S\n]*\n\s*-{3,}/m.test(text)) return 85;
    if (/Microsoft\.Authorization\/roleAssignments/i.test(text) && /"roleDefinitionId"\s*:/i.test(text)) return 70;
    // An empty result, echoed with its command.
    if (/\baz\s+role\s+assignment\s+list\b/i.test(text) && /^[ \t]*\[\s*\]\s*$/m.test(text)) return 80;
    return 0;
  },
  parse: parseAssignments,
};
