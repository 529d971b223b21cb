/**
 * PowerShell `Get-TlsCipherSuite` (module TLS; https://learn.microsoft.com/powershell/module/tls/get-tlsciphersuite,
 * checked 2026-12): the enabled cipher suites, in order. Three shapes:
 * - the default output and `| Format-List` / `| Format-List Name`: `Name : TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384` blocks
 *   (with KeyType, Certificate, CipherSuite, ..., Protocols in the default view);
 * - `| Format-Table Name` (or `ft Name, CipherSuite`): a `Name` column under a dash line;
 * - `| ConvertTo-Json` (objects with `Name`), `| Select-Object Name | ConvertTo-Json`, or `... -ExpandProperty Name | ConvertTo-Json`
 *   (an array of strings); one suite serializes as a single object or string.
 * The Arc troubleshooting page asks for `Get-TlsCipherSuite | Format-List Name`
 * (https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-networking, 2026-01-14).
 */
import { observe } from '../model/facts';
import { inputEvidence, lineEvidence, ParseError, prop, type InputRef, type ParseResult, type TextParser } from './parser';
import { parseJsonInput, str } from './az-extension';
import { findTableHeader, parseListBlocks, parseTable } from './get-service';

/** A Schannel cipher suite name: `TLS_...` or `SSL_...`, upper case, digits and underscores (bounded, linear). */
export const SUITE_NAME = /^(?:TLS|SSL)_[A-Z0-9_]{3,100}$/;
/** `Name : TLS_...` of the list view; one bounded run of spaces on each side of the colon. */
const LIST_NAME = /^Name[ \t]{0,40}:[ \t]{0,4}(?:TLS|SSL)_[A-Z0-9_]{3,100}[ \t]{0,40}$/m;
/** Keys only the cipher-suite objects have, in the list view or JSON. */
const SUITE_KEYS = /\b(?:BaseCipherSuite|CipherBlockLength|MaximumExchangeLength)\b/;

function parseJson(text: string, input: InputRef): ParseResult {
  // One suite through -ExpandProperty serializes as a bare JSON string.
  if (/^\s*"/.test(text)) {
    let one: unknown;
    try {
      one = JSON.parse(text.trim());
    } catch (err) {
      throw new ParseError(`invalid JSON: ${(err as Error).message}`);
    }
    if (typeof one !== 'string' || !SUITE_NAME.test(one)) throw new ParseError('a JSON string that is not a cipher suite name');
    return { observations: [observe('tls.cipherSuites', [one], inputEvidence(input, one))] };
  }
  const json = parseJsonInput(text);
  const items = Array.isArray(json.value) ? json.value : [json.value];
  const names: string[] = [];
  const warnings: string[] = [];
  items.forEach((item, i) => {
    const name = typeof item === 'string' ? item.trim() : str(prop(item, 'Name'));
    if (name && SUITE_NAME.test(name)) names.push(name);
    else warnings.push(`item ${i + 1} has no cipher suite Name`);
  });
  if (names.length === 0) throw new ParseError('JSON without any cipher suite Name (expected Get-TlsCipherSuite | Select-Object Name | ConvertTo-Json)');
  const line = json.lineOf(Array.isArray(json.value) ? '[0].Name' : 'Name', '[0]') ?? json.firstLine;
  return { observations: [observe('tls.cipherSuites', names, lineEvidence(input, line, json.lines[line]!))], warnings };
}

function parseText(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const names: string[] = [];
  const warnings: string[] = [];
  let first = -1;
  // List view: every block's Name entry.
  for (const block of parseListBlocks(lines)) {
    const entry = block.entries.find((e) => e.key.toLowerCase() === 'name');
    if (!entry) continue;
    if (SUITE_NAME.test(entry.value)) {
      names.push(entry.value);
      if (first < 0) first = entry.line;
    } else warnings.push(`line ${entry.line + 1}: "${entry.value.slice(0, 60)}" is not a cipher suite name`);
  }
  // Table view: a Name column.
  if (names.length === 0) {
    const header = findTableHeader(lines, ['Name']);
    const table = header >= 0 ? parseTable(lines, header) : undefined;
    const col = table ? table.columns.findIndex((c) => c.toLowerCase() === 'name') : -1;
    if (table && col >= 0) {
      for (const row of table.rows) {
        const name = row.cells[col] ?? '';
        if (SUITE_NAME.test(name)) {
          names.push(name);
          if (first < 0) first = row.line;
        } else warnings.push(`line ${row.line + 1}: "${name.slice(0, 60)}" is not a cipher suite name`);
      }
    }
  }
  if (names.length === 0) throw new ParseError('no cipher suite names found (expected Get-TlsCipherSuite | Format-List Name)');
  return { observations: [observe('tls.cipherSuites', names, first >= 0 ? lineEvidence(input, first, lines[first]!) : inputEvidence(input))], warnings };
}

/** A table whose Name column starts with suite names: `Name` header, dash line, `TLS_...` row. */
function looksLikeTable(text: string): boolean {
  return /^[ \t]{0,8}Name\b[^\n]{0,200}\n[ \t]{0,8}-{4}[- \t]{0,200}\n[ \t]{0,8}(?:TLS|SSL)_[A-Z0-9_]{3,100}\b/m.test(text);
}

export const getTlsCipherSuiteParser: TextParser = {
  id: 'get-tls-cipher-suite',
  label: 'Get-TlsCipherSuite',
  detect(text) {
    const json = /^[ \t]*[[{"]/m.test(text.slice(0, 2000));
    if (json && /"Name"\s*:\s*"(?:TLS|SSL)_[A-Z0-9_]{3,100}"/.test(text)) return SUITE_KEYS.test(text) ? 95 : 85;
    if (json && /^\s*(?:\[\s*)?"(?:TLS|SSL)_[A-Z0-9_]{3,100}"\s*(?:[,\]]|$)/.test(text)) return 80;
    if (LIST_NAME.test(text)) return SUITE_KEYS.test(text) ? 95 : 85;
    if (looksLikeTable(text)) return 80;
    return 0;
  },
  parse(text, input) {
    return /^\s*[[{"]/.test(text) ? parseJson(text, input) : parseText(text, input);
  },
};
