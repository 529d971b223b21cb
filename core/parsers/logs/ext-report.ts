/**
 * Extension manager reports (`GuestConfig/extension_reports/<Publisher.Type>_report.txt`): JSON with the
 * extension's `Name`, version and last `status{status, statusMessage}` (field names vary in case; tolerated).
 * The AdminCenter report becomes `extension.adminCenter`.
 */
import { observe, type AdminCenterExtensionFact, type Observation } from '../../model/facts';
import { inputEvidence, jsonKeyLine, lineEvidence, ParseError, prop, type InputRef } from '../parser';
import { ADMIN_CENTER } from './status-file';
import { normalizeTime } from './record';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** `.../extension_reports/Microsoft.AdminCenter.AdminCenter_report.txt` -> the extension name. */
export function extensionFromReportPath(path: string): string | undefined {
  return /(?:^|\/)([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+)(?:-[\d.]+)?_report\.txt$/i.exec(path)?.[1];
}

const LEVEL: Record<string, { provisioningState: string; statusLevel: string }> = {
  success: { provisioningState: 'Succeeded', statusLevel: 'Info' },
  succeeded: { provisioningState: 'Succeeded', statusLevel: 'Info' },
  warning: { provisioningState: 'Succeeded', statusLevel: 'Warning' },
  error: { provisioningState: 'Failed', statusLevel: 'Error' },
  failed: { provisioningState: 'Failed', statusLevel: 'Error' },
  transitioning: { provisioningState: 'Creating', statusLevel: 'Info' },
  inprogress: { provisioningState: 'Creating', statusLevel: 'Info' },
};

export interface ReportResult {
  extension: string;
  observations: Observation[];
}

export function parseExtensionReport(text: string, input: InputRef): ReportResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ParseError(`is not valid JSON (${(err as Error).message}); expected an extension report`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ParseError('is not a JSON object; expected an extension report');
  const name = str(prop(data, 'Name', 'name', 'extensionName')) ?? extensionFromReportPath(input.path) ?? 'unknown extension';
  const result: ReportResult = { extension: name, observations: [] };
  if (!name.toLowerCase().replace('/', '.').endsWith(ADMIN_CENTER.toLowerCase())) return result;
  const status = prop(data, 'status', 'Status');
  const state = (str(prop(status, 'status', 'state', 'code')) ?? '').toLowerCase().replace(/\s+/g, '');
  const mapped = LEVEL[state];
  const fact: AdminCenterExtensionFact = {
    installed: true,
    name: 'AdminCenter',
    statusMessage: str(prop(status, 'statusMessage', 'message', 'formattedMessage')) ?? '',
  };
  const code = str(prop(status, 'code', 'statusCode'));
  if (code) fact.statusCode = code;
  if (mapped) Object.assign(fact, mapped);
  const version = str(prop(data, 'Version', 'version', 'typeHandlerVersion', 'extensionVersion'));
  if (version) fact.version = version;
  const lines = text.split('\n');
  const at = jsonKeyLine(lines, 'status');
  const evidence = at >= 0 ? lineEvidence(input, at, lines[at]!) : inputEvidence(input, name);
  const time = normalizeTime(str(prop(status, 'statusTime', 'time', 'timestampUTC')) ?? str(prop(data, 'timestamp', 'Timestamp')));
  result.observations.push(observe('extension.adminCenter', fact, evidence, time));
  return result;
}
