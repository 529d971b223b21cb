/**
 * `reg query HKLM\SOFTWARE\Microsoft\ServerManagementGateway` (optionally `/v SmePort`, `/s`) and
 * `Get-ItemProperty -Path HKLM:\SOFTWARE\Microsoft\ServerManagementGateway` list output. Only this key is claimed.
 */
import { observe, type Observation, type RegistryGatewayFact } from '../model/facts';
import { isSpace, lineEvidence, ParseError, type InputRef, type ParseResult, type TextParser } from './parser';
import { parsePort } from '../model/ports';
import { listGet, parseListBlocks } from './get-service';

const KEY_PATH = String.raw`SOFTWARE\\(?:WOW6432Node\\)?Microsoft\\ServerManagementGateway`;
/** The key line reg.exe prints (also with the HKLM abbreviation some users type back). */
const SMG_KEY_LINE_RE = new RegExp(String.raw`^\s*(?:HKEY_LOCAL_MACHINE|HKLM)\\${KEY_PATH}\\?\s*$`, 'i');
const ANY_KEY_LINE_RE = /^\s*HKEY_[A-Z_]+(?:\\\S.*)?$/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const TYPE_CHAR = /[A-Z0-9_]/;

/**
 * `    SmePort    REG_DWORD    0x1974` (6516; data may be empty): the name is everything before the first `REG_<TYPE>`
 * that has two spaces or a tab before it and a separator or nothing after it. Read by hand: the regex
 * `^\s+(\S.*?)(?: {2,}|\t)(REG_[A-Z0-9_]+)(?:(?: {2,}|\t)(.*?))?\s*$` backtracks quadratically over long space runs.
 */
export function regValueLine(line: string): { name: string; type: string; data: string } | undefined {
  let nameStart = 0;
  while (isSpace(line[nameStart])) nameStart++;
  if (nameStart === 0 || nameStart >= line.length) return undefined;
  const end = line.trimEnd().length;
  // Neither the name nor the data may hold a line break (`.` did not match one): found once, compared per candidate.
  let firstBreak = line.slice(nameStart).search(LINE_BREAK);
  firstBreak = firstBreak < 0 ? Infinity : firstBreak + nameStart;
  let lastBreak = -1;
  for (let i = end - 1; i >= nameStart && lastBreak < 0; i--) if (LINE_BREAK.test(line[i]!)) lastBreak = i;
  for (let at = line.indexOf('REG_', nameStart + 1); at >= 0; at = line.indexOf('REG_', at + 1)) {
    let sep = at;
    if (line[at - 1] === '\t') sep = at - 1;
    else if (line[at - 1] === ' ' && line[at - 2] === ' ') while (sep > nameStart && line[sep - 1] === ' ') sep--;
    else continue;
    if (sep <= nameStart || firstBreak < sep) continue;
    let typeEnd = at + 4;
    while (typeEnd < line.length && TYPE_CHAR.test(line[typeEnd]!)) typeEnd++;
    if (typeEnd === at + 4) continue;
    const name = line.slice(nameStart, sep);
    const type = line.slice(at, typeEnd);
    if (typeEnd >= end) return { name, type, data: '' };
    let dataStart: number;
    if (line[typeEnd] === '\t') dataStart = typeEnd + 1;
    else if (line[typeEnd] === ' ' && line[typeEnd + 1] === ' ') for (dataStart = typeEnd; line[dataStart] === ' '; dataStart++);
    else continue;
    if (lastBreak >= dataStart) continue;
    return { name, type, data: line.slice(dataStart, Math.max(dataStart, end)) };
  }
  return undefined;
}

// Indentation is `[ \t]*`, not `\s*`: under /m, `^\s*` at each of a run of blank lines (or `\r`s) rescans the rest of the run.
const MISSING_RE = /^[ \t]*ERROR: The system was unable to find the specified registry key or value\./im;
const NAMES_KEY_RE = new RegExp(String.raw`(?:HKEY_LOCAL_MACHINE|HKLM:?)\\${KEY_PATH}(?![\w\\])`, 'i');
const REG_COMMAND_RE = /\breg(?:\.exe)?\s+query\b.*$/im;
const PS_MISSING_RE = new RegExp(String.raw`Cannot find path '(?:HKLM:|HKEY_LOCAL_MACHINE)\\${KEY_PATH}' because it does not exist`, 'i');
/** Get-ItemProperty -Name X on the existing key without that value. */
const PS_NO_VALUE_RE = new RegExp(String.raw`Property (\S+) does not exist at path HKEY_LOCAL_MACHINE\\${KEY_PATH}(?![\w\\])`, 'i');
const PS_PATH_RE = new RegExp(String.raw`Registry::HKEY_LOCAL_MACHINE\\${KEY_PATH}$`, 'i');

/**
 * 0-based line where a PowerShell error matching `re` starts. PowerShell 5.1 wraps long error messages at the
 * console width (mid-word), so the line is joined with the next two before testing.
 */
function psErrorLine(lines: readonly string[], re: RegExp): number {
  for (let i = 0; i < lines.length; i++) {
    if (!/Cannot find path|does not exist at path/i.test(lines[i]!)) continue;
    if (re.test(lines.slice(i, i + 3).join(''))) return i;
  }
  return -1;
}

function regData(type: string, data: string): string {
  const t = type.toUpperCase();
  // At most 64 bits: BigInt's decimal conversion of a huge hex string is super-linear.
  if ((t === 'REG_DWORD' || t === 'REG_DWORD_BIG_ENDIAN' || t === 'REG_QWORD') && /^0x[0-9a-f]{1,16}$/i.test(data)) {
    return BigInt(data).toString(10);
  }
  return data;
}

function smePortOf(values: Record<string, string>): string | undefined {
  const key = Object.keys(values).find((k) => k.toLowerCase() === 'smeport');
  return key === undefined ? undefined : values[key];
}

function fact(present: boolean, values: Record<string, string>, warnings: string[]): RegistryGatewayFact {
  const value: RegistryGatewayFact = { present, values };
  const raw = smePortOf(values);
  if (raw !== undefined) {
    const port = parsePort(raw);
    if (port !== undefined) value.smePort = port;
    else warnings.push(`SmePort "${raw}" is not a valid port`);
  }
  return value;
}

function parseRegExe(lines: readonly string[], input: InputRef, warnings: string[]): Observation | undefined {
  const keyLine = lines.findIndex((l) => SMG_KEY_LINE_RE.test(l));
  if (keyLine < 0) return undefined;
  const values: Record<string, string> = {};
  let smeLine = -1;
  let inKey = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (ANY_KEY_LINE_RE.test(line) || SMG_KEY_LINE_RE.test(line)) {
      // Values after a subkey line (reg query /s) belong to the subkey.
      inKey = SMG_KEY_LINE_RE.test(line);
      continue;
    }
    if (!inKey || line.trim() === '') continue;
    const m = regValueLine(line);
    if (!m) {
      if (!/^\s*End of search:/i.test(line)) warnings.push(`line ${i + 1}: expected "<Name>    <REG_TYPE>    <Data>", got "${line.trim()}"`);
      continue;
    }
    const name = m.name;
    values[name] = regData(m.type, m.data);
    if (name.toLowerCase() === 'smeport') smeLine = i;
  }
  const line = smeLine >= 0 ? smeLine : keyLine;
  return observe('registry.serverManagementGateway', fact(true, values, warnings), lineEvidence(input, line, lines[line]!));
}

/** Get-ItemProperty list: the block whose PSPath is the key. Values are what is not a PS* property. */
function parseItemProperty(lines: readonly string[], input: InputRef, warnings: string[]): Observation | undefined {
  for (const block of parseListBlocks(lines)) {
    const psPath = listGet(block, 'PSPath');
    if (!psPath || !PS_PATH_RE.test(psPath.value.replace(/\s+/g, ''))) continue;
    const values: Record<string, string> = {};
    let smeLine = -1;
    for (const e of block.entries) {
      if (/^PS(Path|ParentPath|ChildName|Drive|Provider)$/i.test(e.key)) continue;
      values[e.key] = e.value.replace(/\n/g, '');
      if (e.key.toLowerCase() === 'smeport') smeLine = e.line;
    }
    const line = smeLine >= 0 ? smeLine : psPath.line;
    return observe('registry.serverManagementGateway', fact(true, values, warnings), lineEvidence(input, line, lines[line]!));
  }
  return undefined;
}

function parseRegQuery(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const warnings: string[] = [];
  const present = parseRegExe(lines, input, warnings) ?? parseItemProperty(lines, input, warnings);
  if (present) return { observations: [present], warnings };

  const psMissing = psErrorLine(lines, PS_MISSING_RE);
  if (psMissing >= 0) {
    return { observations: [observe('registry.serverManagementGateway', { present: false, values: {} }, lineEvidence(input, psMissing, lines[psMissing]!))], warnings };
  }
  const noValue = psErrorLine(lines, PS_NO_VALUE_RE);
  if (noValue >= 0) {
    const name = PS_NO_VALUE_RE.exec(lines.slice(noValue, noValue + 3).join(''))![1]!;
    warnings.push(`line ${noValue + 1}: the key exists but has no ${name} value; other values were not listed`);
    return { observations: [observe('registry.serverManagementGateway', { present: true, values: {} }, lineEvidence(input, noValue, lines[noValue]!))], warnings };
  }
  const missing = lines.findIndex((l) => MISSING_RE.test(l));
  if (missing >= 0) {
    const cmd = REG_COMMAND_RE.exec(text);
    if (cmd && /\s\/v\s+\S/i.test(cmd[0])) {
      // `reg query KEY /v NAME` prints the same error when only the value is missing: the key may exist.
      warnings.push(`line ${missing + 1}: reg query /v found no such value; the key itself may exist (run reg query without /v)`);
      return { observations: [], warnings };
    }
    if (!NAMES_KEY_RE.test(text)) warnings.push('the output does not name the key; assuming it is HKLM\\SOFTWARE\\Microsoft\\ServerManagementGateway');
    return { observations: [observe('registry.serverManagementGateway', { present: false, values: {} }, lineEvidence(input, missing, lines[missing]!))], warnings };
  }
  throw new ParseError(
    'expected the key line HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\ServerManagementGateway followed by "<Name>    <REG_TYPE>    <Data>" lines, '
    + 'Get-ItemProperty output with its PSPath, or reg.exe\'s "ERROR: The system was unable to find the specified registry key or value."',
  );
}

export const regQueryParser: TextParser = {
  id: 'reg-query',
  label: 'reg query ServerManagementGateway',
  detect(text) {
    const namesKey = NAMES_KEY_RE.test(text);
    if (namesKey && /^\s*(?:HKEY_LOCAL_MACHINE|HKLM)\\SOFTWARE\\(?:WOW6432Node\\)?Microsoft\\ServerManagementGateway\\?\s*$/im.test(text)) return 95;
    if (namesKey && /^\s*PSPath\s+:/m.test(text)) return 95;
    if (/Cannot find path|does not exist at path/i.test(text)) {
      const lines = text.split('\n');
      if (psErrorLine(lines, PS_MISSING_RE) >= 0 || psErrorLine(lines, PS_NO_VALUE_RE) >= 0) return 90;
    }
    const missing = MISSING_RE.test(text);
    if (missing && namesKey) return 90;
    if (namesKey && /^\s+SmePort\s+REG_/im.test(text)) return 60;
    if (missing) {
      // A bare error: claim it only when it names no other key.
      if (/HKEY_|HKLM|HKCU|HKCR|HKU\\/i.test(text)) return 0;
      return 30;
    }
    return namesKey && /\breg(?:\.exe)?\s+query\b/i.test(text) ? 40 : 0;
  },
  parse: parseRegQuery,
};
