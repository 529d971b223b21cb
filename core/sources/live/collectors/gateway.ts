/**
 * The WAC gateway's configuration on Windows: the ServerManagementGateway registry key (legacy gateway, SmePort)
 * and the modernized gateway's appsettings.json (its Kestrel endpoint URL carries the port).
 */
import { readFile } from 'node:fs/promises';
import { appsettingsPort } from '../../../parsers/wac-appsettings';
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
  return { commands: [{ entry: commandSpec('reg-query-sme').entry, command, text: `> ${command}\n${output}`, spec: 'reg-query-sme' }], unavailable: [] };
}

export function appsettingsCandidates(env: NodeJS.ProcessEnv): string[] {
  const pf = env.ProgramFiles ?? 'C:\\Program Files';
  return WINDOWS_FILES.appsettings.map((f) => `${pf}\\${f}`);
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
