/**
 * Service states. Windows: one fixed PowerShell script (Get-Service ... | ConvertTo-Json), `sc query` per service
 * when PowerShell is unavailable. Linux: `systemctl show` of the agent's units.
 */
import type { ServiceFact, ServiceState } from '../../../model/facts';
import { getServiceJsonParser, getServiceTableParser } from '../../../parsers/get-service';
import { scQueryParser } from '../../../parsers/sc-query';
import type { CommandArtifact, Unavailable } from '../artifacts';
import type { CommandResult, CommandRunner } from '../command-runner';
import type { Deadline } from '../deadline';

import { commandSpec, WINDOWS_AGENT_SERVICES, WINDOWS_GATEWAY_SERVICES } from '../collector-spec';

export { WINDOWS_AGENT_SERVICES, WINDOWS_GATEWAY_SERVICES };
export const LINUX_AGENT_UNITS = ['himdsd', 'gcad', 'extd', 'arcproxyd'];

/**
 * The fixed script: no input is ever put into it. Missing services are written to stderr with Get-Service's own
 * wording, which the Get-Service parser reads as not installed. Single quotes only (no quoting across execFile).
 */
export const GET_SERVICE_SCRIPT = [
  `$names = @(${[...WINDOWS_AGENT_SERVICES, ...WINDOWS_GATEWAY_SERVICES].map((n) => `'${n}'`).join(',')})`,
  '$found = @(Get-Service -Name $names -ErrorAction SilentlyContinue)',
  "foreach ($n in $names) { if (-not ($found | Where-Object { $_.Name -eq $n })) { [Console]::Error.WriteLine('Get-Service : Cannot find any service with service name ''' + $n + '''.') } }",
  'if ($found.Count -gt 0) { ConvertTo-Json -InputObject @($found | Select-Object Name,DisplayName,Status,StartType) }',
].join('; ');

export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-Command', GET_SERVICE_SCRIPT];

export interface ServicesResult {
  commands: CommandArtifact[];
  unavailable: Unavailable[];
  /** From systemctl (no pasted parser reads its output: these go to probes.json). */
  systemd?: ServiceFact[];
}

const firstLine = (s: string): string => s.split('\n').map((l) => l.trim()).find(Boolean)?.slice(0, 200) ?? '';

function why(r: CommandResult): string {
  if (r.notFound) return 'not found';
  if (r.timedOut) return `no answer before the timeout (${r.durationMs} ms)`;
  return r.error ?? `exited with code ${r.exitCode}${firstLine(r.stderr) ? `: ${firstLine(r.stderr)}` : ''}`;
}

async function windowsServices(runner: CommandRunner, deadline: Deadline): Promise<ServicesResult> {
  const out: ServicesResult = { commands: [], unavailable: [] };
  const ps = await runner.run('powershell.exe', POWERSHELL_ARGS, { timeoutMs: deadline.remaining() });
  const command = 'Get-Service <agent and gateway services> | Select Name,DisplayName,Status,StartType | ConvertTo-Json';
  const json = ps.stdout.trim();
  const errors = ps.stderr.split('\n').filter((l) => /Cannot find any service with service name/i.test(l)).join('\n');
  if (!ps.notFound && !ps.timedOut && (json || errors)) {
    if (json) out.commands.push({ entry: commandSpec('get-service').entry, command, text: ps.stdout, parser: getServiceJsonParser });
    if (errors) out.commands.push({ entry: commandSpec('get-service-errors').entry, command: `${command} (errors)`, text: `${errors}\n`, parser: getServiceTableParser });
    return out;
  }
  out.unavailable.push({ source: 'powershell.exe Get-Service', message: `powershell.exe Get-Service: ${why(ps)}; using sc query` });
  // sc.exe prints "FAILED 1060" for a missing service without its name: the echoed command line names it.
  const names = [...WINDOWS_AGENT_SERVICES, ...WINDOWS_GATEWAY_SERVICES];
  const results = await Promise.all(names.map((n) => runner.run('sc.exe', ['query', n], { timeoutMs: deadline.remaining() })));
  results.forEach((r, i) => {
    const name = names[i]!;
    const text = `${r.stdout}${r.stderr}`;
    if (r.notFound || r.timedOut || !/SERVICE_NAME|FAILED/i.test(text)) {
      out.unavailable.push({ source: `sc query ${name}`, message: `sc query ${name}: ${why(r)}` });
      return;
    }
    out.commands.push({ entry: commandSpec(`sc-query-${name.toLowerCase()}`).entry, command: `sc query ${name}`, text: `> sc query ${name}\n${text}`, parser: scQueryParser });
  });
  return out;
}

/** systemctl show blocks (`Key=value` lines, a blank line between units) -> service facts. */
export function parseSystemctlShow(text: string): ServiceFact[] {
  const facts: ServiceFact[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const kv = new Map<string, string>();
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) kv.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
    const id = kv.get('Id');
    if (!id) continue;
    const name = id.replace(/\.service$/, '');
    const load = kv.get('LoadState');
    const active = kv.get('ActiveState') ?? '';
    const sub = kv.get('SubState') ?? '';
    let state: ServiceState;
    if (load === 'not-found') state = 'not_found';
    else if (active === 'active' || active === 'reloading') state = sub === 'running' || sub === 'exited' || active === 'reloading' ? 'running' : 'unknown';
    else if (active === 'activating') state = 'start_pending';
    else if (active === 'deactivating') state = 'stop_pending';
    else if (active === 'inactive' || active === 'failed') state = 'stopped';
    else state = 'unknown';
    const fact: ServiceFact = { name, state };
    const unit = kv.get('UnitFileState');
    const startType = unit === 'enabled' ? 'automatic' : unit === 'disabled' || unit === 'masked' ? 'disabled' : unit === 'static' || unit === 'indirect' ? 'manual' : undefined;
    if (startType) fact.startType = startType;
    facts.push(fact);
  }
  return facts;
}

async function linuxServices(runner: CommandRunner, deadline: Deadline): Promise<ServicesResult> {
  const args = ['show', '-p', 'Id,LoadState,ActiveState,SubState,UnitFileState', ...LINUX_AGENT_UNITS];
  const r = await runner.run('systemctl', args, { timeoutMs: deadline.remaining() });
  const facts = r.exitCode === 0 ? parseSystemctlShow(r.stdout) : [];
  if (facts.length === 0) return { commands: [], unavailable: [{ source: 'systemctl show', message: `systemctl show ${LINUX_AGENT_UNITS.join(' ')}: ${why(r)}` }] };
  return { commands: [], unavailable: [], systemd: facts };
}

export function collectServices(runner: CommandRunner, platform: NodeJS.Platform, deadline: Deadline): Promise<ServicesResult> {
  if (platform === 'win32') return windowsServices(runner, deadline);
  if (platform === 'linux') return linuxServices(runner, deadline);
  return Promise.resolve({ commands: [], unavailable: [] });
}
