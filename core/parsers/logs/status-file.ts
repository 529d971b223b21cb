/**
 * Extension handler `.status` files (`Packages/Plugins/<Publisher.Type>/<version>/Status/<n>.status` on Windows,
 * `/var/lib/waagent/<Publisher.Type>-<version>/status/<n>.status` on Linux): a JSON array whose items hold
 * `status.{status, code, formattedMessage.message, substatus[]}`. The AdminCenter one becomes
 * `extension.adminCenter`; the version comes from the path, which is where the handler keeps it.
 */
import { observe, type AdminCenterExtensionFact, type Observation } from '../../model/facts';
import { jsonKeyLine, lineEvidence, inputEvidence, ParseError, prop, type InputRef } from '../parser';
import { normalizeTime } from './record';

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

const STATE: Record<string, { provisioningState: string; statusLevel: string }> = {
  success: { provisioningState: 'Succeeded', statusLevel: 'Info' },
  warning: { provisioningState: 'Succeeded', statusLevel: 'Warning' },
  error: { provisioningState: 'Failed', statusLevel: 'Error' },
  transitioning: { provisioningState: 'Creating', statusLevel: 'Info' },
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function messageOf(status: unknown): string | undefined {
  return str(prop(prop(status, 'formattedMessage'), 'message')) ?? str(prop(status, 'message'));
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
  const items = Array.isArray(data) ? data : [data];
  const item = items.find((i) => prop(i, 'status') !== undefined);
  const status = prop(item, 'status');
  if (!status || typeof status !== 'object') throw new ParseError('has no `status` object; expected `[{"status": {"status": ..., "code": ...}}]`');
  const where = extensionFromPath(input.path);
  const name = where?.name ?? str(prop(status, 'name')) ?? 'unknown extension';
  const result: StatusFileResult = { extension: name, observations: [] };
  if (where?.version) result.version = where.version;
  if (name.toLowerCase() !== ADMIN_CENTER.toLowerCase()) return result;

  const state = (str(prop(status, 'status')) ?? '').toLowerCase();
  const mapped = STATE[state];
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
