/**
 * The WAC gateway's configuration on Windows: the ServerManagementGateway registry key (legacy gateway, SmePort)
 * and the modernized gateway's appsettings.json (its Kestrel endpoint URL carries the port).
 */
import { readFile } from 'node:fs/promises';
import { parsePort } from '../../../model/ports';
import { regQueryParser } from '../../../parsers/reg-query';
import type { CommandArtifact, Unavailable } from '../artifacts';
import type { CommandRunner } from '../command-runner';
import type { Deadline } from '../deadline';
import { commandSpec, SME_KEY, WINDOWS_FILES } from '../collector-spec';

export { SME_KEY };

export async function collectRegistry(runner: CommandRunner, deadline: Deadline): Promise<{ commands: CommandArtifact[]; unavailable: Unavailable[] }> {
  const r = await runner.run('reg.exe', ['query', SME_KEY], { timeoutMs: deadline.remaining() });
  const command = `reg query ${SME_KEY}`;
  const output = `${r.stdout}${r.stderr}`;
  // Exit code 1 with "unable to find the specified registry key" is a result (the key is absent), not a failure.
  if (r.notFound || r.timedOut || !output.trim()) {
    const why = r.notFound ? 'reg.exe not found' : r.timedOut ? `no answer before the timeout (${r.durationMs} ms)` : `no output (exit code ${r.exitCode})`;
    return { commands: [], unavailable: [{ source: command, message: `${command}: ${why}` }] };
  }
  // The echoed command line names the key, as in a pasted console transcript.
  return { commands: [{ entry: commandSpec('reg-query-sme').entry, command, text: `> ${command}\n${output}`, parser: regQueryParser }], unavailable: [] };
}

export function appsettingsCandidates(env: NodeJS.ProcessEnv): string[] {
  const pf = env.ProgramFiles ?? 'C:\\Program Files';
  return WINDOWS_FILES.appsettings.map((f) => `${pf}\\${f}`);
}

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

export async function collectAppsettings(files: string[]): Promise<{ port?: number; file?: string; excerpt?: string; error?: string }> {
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const hit = appsettingsPort(text);
    if (hit) return { port: hit.port, file, excerpt: hit.excerpt };
    return { file, error: `${file}: no Kestrel https endpoint URL with a port` };
  }
  return {};
}
