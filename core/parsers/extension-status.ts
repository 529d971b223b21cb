/**
 * Extension handler `.status` files (`Packages/Plugins/<Publisher.Type>/<version>/Status/<n>.status` on Windows,
 * `/var/lib/waagent/<Publisher.Type>-<version>/status/<n>.status` on Linux): a JSON array whose items hold
 * `status.{name, operation, status, code, formattedMessage.message, substatus[]}`. The AdminCenter one becomes
 * `extension.adminCenter`; the version comes from the path, which is where the handler keeps it.
 *
 * The one parser of this format, whichever source delivered the text: a bundle entry, a pasted file, or the file
 * `check` reads on the machine (core/sources/live/collectors/extension.ts).
 */
import { observe, type AdminCenterExtensionFact, type Observation } from '../model/facts';
import { jsonKeyLine, lineEvidence, inputEvidence, ParseError, prop, type InputRef, type TextParser } from './parser';
import { normalizeTime } from './logs/record';

export const ADMIN_CENTER = 'Microsoft.AdminCenter.AdminCenter';

/** `Publisher.Type` and version from a status file's (normalised) path. */
export function extensionFromPath(path: string): { name: string; version?: string } | undefined {
  const p = path.replace(/\\/g, '/');
  const win = /(?:^|\/)plugins\/([^/]+)\/([^/]+)\/status\/[^/]+$/i.exec(p);
  if (win) return { name: win[1]!, version: win[2]! };
  const lin = /(?:^|\/)waagent\/([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+)-(\d+(?:\.\d+)+)\/status\/[^/]+$/i.exec(p);
  if (lin) return { name: lin[1]!, version: lin[2]! };
  return undefined;
}

export interface ExtensionState {
  provisioningState: string;
  statusLevel: string;
}

/**
 * A handler status word (`success|warning|error|transitioning`, and the report's `succeeded|failed|inprogress`) as
 * the portal's provisioningState and level. Transitioning is an install in progress (`Creating`) unless the handler's
 * operation says it is an update (`Updating`): the operation of a first install is often `Enable`, so only `Update`
 * is taken to mean an update. Undefined for a word outside the set (the caller keeps the word itself).
 */
export function extensionState(status: string, operation = ''): ExtensionState | undefined {
  switch (status.toLowerCase().replace(/\s+/g, '')) {
    case 'success':
    case 'succeeded':
      return { provisioningState: 'Succeeded', statusLevel: 'Info' };
    case 'warning':
      return { provisioningState: 'Succeeded', statusLevel: 'Warning' };
    case 'error':
    case 'failed':
      return { provisioningState: 'Failed', statusLevel: 'Error' };
    case 'transitioning':
    case 'inprogress':
      return { provisioningState: /update/i.test(operation) ? 'Updating' : 'Creating', statusLevel: 'Info' };
    default:
      return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function messageOf(status: unknown): string | undefined {
  return str(prop(prop(status, 'formattedMessage'), 'message')) ?? str(prop(status, 'message'));
}

/**
 * Whether a status file's extension name is the AdminCenter extension's: its path's `Microsoft.AdminCenter.AdminCenter`,
 * or, for a file pasted without its path, the name its handler writes in `status.name` (`AdminCenter`, or the product's).
 */
export function isAdminCenterName(name: string): boolean {
  const n = name.trim().toLowerCase();
  return n === ADMIN_CENTER.toLowerCase() || n === 'admincenter' || n === 'windows admin center';
}

export interface StatusFileResult {
  extension: string;
  version?: string;
  observations: Observation[];
}

/** Throws ParseError when the file is not a status array. */
export function parseStatusFile(text: string, input: InputRef): StatusFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ParseError(`is not valid JSON (${(err as Error).message}); expected an extension status array`);
  }
  const items: unknown[] = Array.isArray(data) ? (data as unknown[]) : [data];
  const item = items.find((i) => prop(i, 'status') !== undefined);
  const status = prop(item, 'status');
  if (!status || typeof status !== 'object') throw new ParseError('has no `status` object; expected `[{"status": {"status": ..., "code": ...}}]`');
  const where = extensionFromPath(input.path);
  const name = where?.name ?? (str(prop(status, 'name')) || 'unknown extension');
  const result: StatusFileResult = { extension: name, observations: [] };
  if (where?.version) result.version = where.version;
  if (!isAdminCenterName(name)) return result;

  const state = (str(prop(status, 'status')) ?? '').toLowerCase();
  const mapped = extensionState(state, str(prop(status, 'operation')));
  const problems = (Array.isArray(prop(status, 'substatus')) ? (prop(status, 'substatus') as unknown[]) : [])
    .filter((s) => /^(error|warning)$/i.test(str(prop(s, 'status')) ?? ''))
    .map((s) => messageOf(s))
    .filter((m): m is string => !!m && m.trim() !== '');
  const message = [messageOf(status), ...problems].filter((m) => m && m.trim()).join(' / ');
  const fact: AdminCenterExtensionFact = {
    installed: true,
    name: 'AdminCenter',
    provisioningState: mapped?.provisioningState ?? (state || 'unknown'),
    statusLevel: mapped?.statusLevel ?? 'Info',
    statusCode: str(prop(status, 'code')) ?? '',
    // Set even when empty, so an older file's message doesn't survive the merge with a newer one.
    statusMessage: message,
  };
  if (where?.version) fact.version = where.version;
  const lines = text.split('\n');
  const at = jsonKeyLine(lines, 'status');
  const evidence = at >= 0 ? lineEvidence(input, at, lines[at]!) : inputEvidence(input, `status ${state}`);
  const time = normalizeTime(str(prop(item, 'timestampUTC')));
  result.observations.push(observe('extension.adminCenter', fact, evidence, time));
  return result;
}

/**
 * The same format pasted (or met by content in a bundle or snapshot outside its Plugins folder): a JSON array that
 * starts with `[`, with the handler's `timestampUTC` and `formattedMessage` keys, which no other output has.
 */
export const extensionStatusParser: TextParser = {
  id: 'extension-status',
  label: 'extension .status file',
  detect(text) {
    if (!/^\uFEFF?\s*\[/.test(text)) return 0;
    return /"timestampUTC"\s*:/i.test(text) && /"formattedMessage"\s*:/i.test(text) ? 90 : 0;
  },
  parse(text, input) {
    const r = parseStatusFile(text, input);
    return r.observations.length > 0 ? { observations: r.observations } : { observations: [], warnings: [`the status of ${r.extension}, not of the AdminCenter extension (${ADMIN_CENTER}); nothing to check`] };
  },
};
