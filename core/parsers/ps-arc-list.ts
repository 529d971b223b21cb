/**
 * Az PowerShell's Arc objects in list form (`Get-AzConnectedMachine | Format-List`, `Get-AzConnectedMachineExtension
 * | Format-List`, and the default list view they print): `Key : value` blocks.
 * - a machine block (AgentVersion with Status, OSName or OSSku): agent version, status, heartbeat, region, OS;
 * - an extension block (Publisher or ExtensionType/MachineExtensionType with ProvisioningState): the AdminCenter
 *   extension's state and version, and the list of installed extensions.
 * The JSON forms (`| ConvertTo-Json`) are read by the az-machine and az-extension parsers.
 */
import { observe, type AdminCenterExtensionFact, type Observation, type OsFact } from '../model/facts';
import { lineEvidence, type InputRef, type ParseResult, type TextParser } from './parser';
import { listGet, parseListBlocks, type ListBlock } from './get-service';

const MACHINE_KEY = /^\s{0,8}AgentVersion\s{0,40}:\s{0,4}\S/m;
const MACHINE_OTHER = /^\s{0,8}(?:Status|OSName|OSSku|OsType)\s{0,40}:/m;
const EXTENSION_KEY = /^\s{0,8}(?:Publisher|MachineExtensionType|ExtensionType|TypeHandlerVersion)\s{0,40}:\s{0,4}\S/m;
const PROVISIONING = /^\s{0,8}ProvisioningState\s{0,40}:/m;

const val = (b: ListBlock, ...keys: string[]): { value: string; line: number } | undefined => {
  const e = listGet(b, ...keys);
  const v = e?.value.trim();
  return e && v ? { value: v, line: e.line } : undefined;
};

function machine(b: ListBlock, input: InputRef, lines: readonly string[], out: Observation[]): void {
  const ev = (line: number) => lineEvidence(input, line, lines[line] ?? '');
  const version = val(b, 'AgentVersion');
  if (version) out.push(observe('agent.version', version.value, ev(version.line)));
  const status = val(b, 'Status');
  if (status && /^(Connected|Disconnected|Expired)$/i.test(status.value)) out.push(observe('agent.status', status.value, ev(status.line)));
  const name = val(b, 'Name', 'MachineName');
  if (name) out.push(observe('machine.name', name.value, ev(name.line)));
  const id = val(b, 'Id', 'ResourceId');
  if (id && /\/providers\/Microsoft\.HybridCompute\/machines\//i.test(id.value)) out.push(observe('machine.resourceId', id.value, ev(id.line)));
  const location = val(b, 'Location');
  if (location) out.push(observe('agent.location', location.value.toLowerCase().replace(/\s+/g, ''), ev(location.line)));
  const sku = val(b, 'OSSku', 'OsSku');
  const osName = val(b, 'OSName', 'OsName', 'OsType');
  const osVersion = val(b, 'OSVersion', 'OsVersion');
  if (sku || osName) {
    const text = `${osName?.value ?? ''} ${sku?.value ?? ''}`;
    const os: OsFact = { platform: /windows/i.test(text) ? 'windows' : /linux|ubuntu|red hat|suse|debian|centos|rhel/i.test(text) ? 'linux' : 'other' };
    if (sku) os.name = sku.value;
    else if (osName) os.name = osName.value;
    if (osVersion && /^\d+(\.\d+){1,3}$/.test(osVersion.value)) os.version = osVersion.value;
    out.push(observe('os', os, ev((sku ?? osName)!.line)));
  }
}

function extension(b: ListBlock, input: InputRef, lines: readonly string[], out: Observation[], installed: string[]): boolean {
  const publisher = val(b, 'Publisher')?.value;
  const type = val(b, 'MachineExtensionType', 'ExtensionType', 'Type')?.value.replace(/^Microsoft\.HybridCompute\/machines\/extensions$/i, '');
  const name = val(b, 'Name');
  if (publisher && type) installed.push(`${publisher}.${type}`);
  const isWac = /^Microsoft\.AdminCenter$/i.test(publisher ?? '') || /^AdminCenter$/i.test(type ?? '');
  if (!isWac) return false;
  const fact: AdminCenterExtensionFact = { installed: true };
  if (name) fact.name = name.value;
  const version = val(b, 'TypeHandlerVersion');
  if (version) fact.version = version.value;
  const state = val(b, 'ProvisioningState');
  if (state) fact.provisioningState = state.value;
  const code = val(b, 'InstanceViewStatusCode', 'StatusCode');
  if (code) fact.statusCode = code.value;
  const level = val(b, 'InstanceViewStatusLevel', 'StatusLevel');
  if (level) fact.statusLevel = level.value;
  const message = val(b, 'InstanceViewStatusMessage', 'StatusMessage');
  if (message) fact.statusMessage = message.value;
  const line = (state ?? name ?? version)?.line ?? 0;
  out.push(observe('extension.adminCenter', fact, lineEvidence(input, line, lines[line] ?? '')));
  return true;
}

function parse(text: string, input: InputRef): ParseResult {
  const lines = text.split('\n');
  const observations: Observation[] = [];
  const installed: string[] = [];
  let extensionBlocks = 0;
  let sawWac = false;
  for (const b of parseListBlocks(lines)) {
    if (listGet(b, 'AgentVersion')) machine(b, input, lines, observations);
    else if (listGet(b, 'ProvisioningState') && (listGet(b, 'Publisher') || listGet(b, 'MachineExtensionType') || listGet(b, 'ExtensionType'))) {
      extensionBlocks++;
      if (extension(b, input, lines, observations, installed)) sawWac = true;
    }
  }
  if (extensionBlocks > 0) {
    const ev = lineEvidence(input, 0, lines[0] ?? '');
    observations.push(observe('extension.installed', installed, ev));
    // One block is one extension asked for by name (`-Name X`): only a list without AdminCenter says it is missing.
    if (!sawWac && extensionBlocks > 1) observations.push(observe('extension.adminCenter', { installed: false }, ev));
  }
  return { observations, warnings: observations.length === 0 ? ['no machine or extension block with the expected keys'] : [] };
}

export const psArcListParser: TextParser = {
  id: 'ps-arc-list',
  label: 'Get-AzConnectedMachine / Get-AzConnectedMachineExtension (list)',
  detect: (text) => {
    const head = text.slice(0, 64 * 1024);
    if (MACHINE_KEY.test(head) && MACHINE_OTHER.test(head)) return 60;
    if (EXTENSION_KEY.test(head) && PROVISIONING.test(head)) return 55;
    return 0;
  },
  parse,
};
