/**
 * The modernized WAC gateway's `appsettings.json` (`%ProgramFiles%\\WindowsAdminCenter\\Service\\appsettings.json`):
 * the Kestrel endpoint URL carries the port. JSON, or JSON with comments (then the first https Url is read).
 */
import { parsePort } from '../model/ports';

/** The port of `Kestrel.Endpoints.WindowsAdminCenter.Url` (`https://*:6600`), else of the first https endpoint. */
export function appsettingsPort(text: string): { port: number; excerpt: string } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    json = undefined;
  }
  const urls: string[] = [];
  const endpoints = (json as { Kestrel?: { Endpoints?: Record<string, { Url?: unknown }> } } | undefined)?.Kestrel?.Endpoints;
  if (endpoints && typeof endpoints === 'object') {
    const wac = endpoints.WindowsAdminCenter?.Url;
    if (typeof wac === 'string') urls.push(wac);
    for (const e of Object.values(endpoints)) if (typeof e?.Url === 'string' && /^https:/i.test(e.Url)) urls.push(e.Url);
  } else {
    // Not plain JSON (comments are allowed there): the first https Url.
    const m = /"Url"\s*:\s*"(https:[^"]+)"/i.exec(text);
    if (m) urls.push(m[1]!);
  }
  for (const url of urls) {
    const m = /:(\d{1,5})(?:\/|$)/.exec(url.replace(/^https?:\/\//i, 'x:'));
    const port = m ? parsePort(m[1]) : undefined;
    if (port !== undefined) return { port, excerpt: `"Url": "${url.slice(0, 100)}"` };
  }
  return undefined;
}
