/**
 * Extension handler settings (`<plugins>\Microsoft.AdminCenter.AdminCenter\<version>\RuntimeSettings\<n>.settings`):
 * JSON whose `runtimeSettings[0].handlerSettings.publicSettings` carry the WAC port and proxy. Protected settings are
 * never read.
 */
import type { AdminCenterExtensionFact } from '../model/facts';
import { parsePort } from '../model/ports';
import { prop } from './parser';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Port and proxy from the public handler settings; {} when the text is not a settings file. */
export function settingsFields(text: string): Partial<AdminCenterExtensionFact> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return {};
  }
  const rs = prop(json, 'runtimeSettings');
  const pub = prop(prop(Array.isArray(rs) ? rs[0] : rs, 'handlerSettings'), 'publicSettings');
  const out: Partial<AdminCenterExtensionFact> = {};
  const port = parsePort(prop(pub, 'port'));
  if (port !== undefined) out.settingsPort = port;
  const proxy = prop(pub, 'proxy');
  const mode = str(prop(proxy, 'mode'));
  const address = str(prop(proxy, 'address'));
  if (mode) out.proxyMode = mode;
  if (address) out.proxyAddress = address;
  return out;
}
