/**
 * Resource provider registration: `az provider show -n Microsoft.HybridConnectivity -o json` (object),
 * `az provider list -o json` (array) or `-o table`, and `Get-AzResourceProvider -ProviderNamespace X` list output
 * (one block per resource type, all with the same namespace and state).
 */
import { observe, providerKey, type Observation } from '../model/facts';
import { lineEvidence, ParseError, prop, type InputRef, type ParseResult, type TextParser } from './parser';
import { isObject, parseJsonInput, str } from './az-extension';
import { findTableHeader, listGet, parseListBlocks, parseTable } from './get-service';

const STATES = /^(Registered|NotRegistered|Registering|Unregistering|Unregistered)$/i;

function add(
  found: Map<string, { ns: string; state: string; line: number }>, warnings: string[], ns: string, state: string, line: number,
): void {
  const key = ns.toLowerCase();
  const prev = found.get(key);
  if (!STATES.test(state)) warnings.push(`line ${line + 1}: unexpected registration state "${state}" for ${ns}`);
  if (!prev) found.set(key, { ns, state, line });
  else if (prev.state.toLowerCase() !== state.toLowerCase()) {
    warnings.push(`line ${line + 1}: ${ns} is ${state} here but ${prev.state} on line ${prev.line + 1}; keeping the first`);
  }
}

function parseProviders(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const found = new Map<string, { ns: string; state: string; line: number }>();
  const json = /^[ \t]*[[{]/m.test(text) && /"namespace"\s*:/i.test(text);
  if (json) {
    const parsed = parseJsonInput(text);
    let root = parsed.value;
    let base = '';
    if (isObject(root) && Array.isArray(prop(root, 'value'))) [root, base] = [prop(root, 'value'), 'value'];
    const list = Array.isArray(root);
    const items = list ? (root as unknown[]) : [root];
    items.forEach((item, i) => {
      const at = list ? `${base}[${i}]` : '';
      const ns = str(prop(item, 'namespace'));
      const state = str(prop(item, 'registrationState'));
      if (!ns || !state) {
        warnings.push(`item ${i + 1}: no "namespace" or "registrationState"`);
        return;
      }
      const line = parsed.lineOf(at ? `${at}.registrationstate` : 'registrationstate') ?? parsed.lineOf(at) ?? parsed.firstLine;
      add(found, warnings, ns, state, line);
    });
  } else {
    const h = findTableHeader(lines, ['Namespace', 'RegistrationState']);
    const table = h >= 0 ? parseTable(lines, h) : undefined;
    if (table) {
      const iNs = table.columns.findIndex((c) => c.toLowerCase() === 'namespace');
      const iState = table.columns.findIndex((c) => c.toLowerCase() === 'registrationstate');
      for (const row of table.rows) {
        const [ns, state] = [row.cells[iNs], row.cells[iState]];
        if (ns && state) add(found, warnings, ns, state, row.line);
        else warnings.push(`line ${row.line + 1}: expected "<Namespace> ... <RegistrationState>"`);
      }
    }
    for (const block of parseListBlocks(lines)) {
      const ns = listGet(block, 'ProviderNamespace', 'Namespace');
      const state = listGet(block, 'RegistrationState');
      if (ns && state && ns.value && state.value) add(found, warnings, ns.value, state.value, state.line);
    }
  }
  if (found.size === 0) {
    throw new ParseError(
      'expected "namespace" and "registrationState" (az provider show -n Microsoft.HybridConnectivity -o json), '
      + 'or "ProviderNamespace : ..." / "RegistrationState : ..." (Get-AzResourceProvider)',
    );
  }
  const observations: Observation[] = [...found.values()].map((f) =>
    observe(providerKey(f.ns), { namespace: f.ns, registrationState: f.state }, lineEvidence(input, f.line, lines[f.line]!)));
  return { observations, warnings };
}

export const azProviderParser: TextParser = {
  id: 'az-provider',
  label: 'az provider show',
  detect(text) {
    if (/"namespace"\s*:/i.test(text) && /"registrationState"\s*:/i.test(text)) return 90;
    // Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run.
    // The table header's second column is a lookahead: `.*\bRegistrationState\b.*\n` retried the tail at each occurrence.
    if (/^[ \t]*ProviderNamespace\s+:/m.test(text) && /^[ \t]*RegistrationState\s+:/m.test(text)) return 90;
    if (/^[ \t]*Namespace[^\S\n](?=[^\n]*\bRegistrationState\b)[^\n]*\n\s*-{3,}/m.test(text)) return 85;
    return 0;
  },
  parse: parseProviders,
};
