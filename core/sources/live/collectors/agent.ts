/**
 * The Connected Machine agent: `azcmagent show -j` and `azcmagent config list -j` (text when -j fails, as old
 * agents have no -j), and the HIMDS status endpoint when the CLI is missing.
 */
import type { Observation } from '../../../model/facts';
import { prop, type TextParser } from '../../../parsers/parser';
import { showJsonParser, showTextParser } from '../../../parsers/azcmagent-show';
import { configJsonParser, configTextParser } from '../../../parsers/azcmagent-config';
import type { ProbesDocument } from '../../../parsers/wac-doctor-probes';
import type { CommandArtifact, Unavailable } from '../artifacts';
import { commandSpec, HIMDS, WINDOWS_FILES } from '../collector-spec';
import { commandLine, type CommandResult, type CommandRunner } from '../command-runner';
import { httpGetPlain } from '../connect';
import type { Deadline } from '../deadline';

export interface AgentResult {
  /** azcmagent ran, or HIMDS answered. */
  present: boolean;
  cliMissing: boolean;
  commands: CommandArtifact[];
  unavailable: Unavailable[];
  location?: string;
  proxyUrl?: string;
  proxyBypass?: string[];
  agentStatus?: ProbesDocument['agentStatus'];
}

export const DEFAULT_HIMDS_URL = HIMDS.url;

export function azcmagentCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') return ['azcmagent', `${env.ProgramFiles ?? 'C:\\Program Files'}\\${WINDOWS_FILES.azcmagentExe}`];
  return ['azcmagent', '/opt/azcmagent/bin/azcmagent'];
}

async function runFirst(runner: CommandRunner, files: string[], args: string[], deadline: Deadline): Promise<{ file: string; result: CommandResult }> {
  let last: { file: string; result: CommandResult } | undefined;
  for (const file of files) {
    last = { file, result: await runner.run(file, args, { timeoutMs: deadline.remaining() }) };
    if (!last.result.notFound) return last;
  }
  return last!;
}

const firstLine = (s: string): string => s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';

function failure(command: string, r: CommandResult): string {
  if (r.timedOut) return `${command}: no answer before the timeout (${r.durationMs} ms)`;
  if (r.error) return `${command}: ${r.error}`;
  const why = firstLine(r.stderr) || firstLine(r.stdout);
  return `${command}: exited with code ${r.exitCode}${why ? `: ${why.slice(0, 200)}` : ''}`;
}

/** Runs `args` with -j, then without; returns the artifact whose output its parser accepts. */
async function jsonThenText(
  runner: CommandRunner, files: string[], args: string[], deadline: Deadline,
  parsers: { json: TextParser; text: TextParser }, spec: string,
): Promise<{ artifact?: CommandArtifact; missing: boolean; errors: string[] }> {
  const errors: string[] = [];
  const attempts: Array<{ args: string[]; parser: TextParser; entry: string }> = [
    { args: [...args, '-j'], parser: parsers.json, entry: commandSpec(spec).entry },
    { args, parser: parsers.text, entry: commandSpec(`${spec}-text`).entry },
  ];
  for (const a of attempts) {
    const { result } = await runFirst(runner, files, a.args, deadline);
    const command = commandLine('azcmagent', a.args);
    if (result.notFound) return { missing: true, errors };
    if (result.exitCode === 0 && a.parser.detect(result.stdout) > 0) {
      return { artifact: { entry: a.entry, command, text: result.stdout, parser: a.parser }, missing: false, errors };
    }
    errors.push(result.exitCode === 0 ? `${command}: output not recognized as ${a.parser.label}` : failure(command, result));
    if (result.timedOut) break;
  }
  return { missing: false, errors };
}

async function himdsStatus(url: string, deadline: Deadline): Promise<{ status?: ProbesDocument['agentStatus']; error?: string }> {
  const target = new URL(HIMDS.path, url);
  const res = await httpGetPlain(target, deadline, { Metadata: 'true' });
  if (res.error) return { error: `HIMDS ${target.host}: ${res.error}` };
  if (res.status !== 200) return { error: `HIMDS ${target.host} answered HTTP ${res.status}` };
  let body: unknown;
  try {
    body = JSON.parse(res.body ?? '');
  } catch {
    return { error: `HIMDS ${target.host}: the answer is not JSON` };
  }
  const s = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 100) : undefined);
  const status: NonNullable<ProbesDocument['agentStatus']> = { source: `HIMDS ${target.origin}/agentstatus` };
  const st = s(prop(body, 'status', 'agentStatus'));
  const hb = s(prop(body, 'lastHeartBeat', 'lastHeartbeat'));
  const ver = s(prop(body, 'agentVersion', 'version'));
  if (st) status.status = st;
  if (hb) status.lastHeartbeat = hb;
  if (ver) status.version = ver;
  return { status };
}

export async function collectAgent(runner: CommandRunner, platform: NodeJS.Platform, env: NodeJS.ProcessEnv, deadline: Deadline, himdsUrl: string): Promise<AgentResult> {
  const files = azcmagentCandidates(platform, env);
  const [show, config] = await Promise.all([
    jsonThenText(runner, files, commandSpec('azcmagent-show-text').args, deadline, { json: showJsonParser, text: showTextParser }, 'azcmagent-show'),
    jsonThenText(runner, files, commandSpec('azcmagent-config-list-text').args, deadline, { json: configJsonParser, text: configTextParser }, 'azcmagent-config-list'),
  ]);
  const result: AgentResult = { present: false, cliMissing: show.missing && config.missing, commands: [], unavailable: [] };
  for (const [what, r] of [['azcmagent show -j', show], ['azcmagent config list -j', config]] as const) {
    if (r.artifact) result.commands.push(r.artifact);
    else if (r.errors.length) result.unavailable.push({ source: what, message: r.errors.join('; ') });
  }
  result.present = !result.cliMissing;

  // What the other probes depend on: the region and the proxy settings.
  for (const a of result.commands) {
    let observations: Observation[] = [];
    try {
      observations = a.parser.parse(a.text, { path: a.command, source: 'live' }).observations;
    } catch {
      continue; // reported when the artifacts are ingested
    }
    for (const o of observations) {
      if (o.name === 'agent.location') result.location = o.value as string;
      if (o.name === 'config.proxyUrl') result.proxyUrl = o.value as string;
      if (o.name === 'config.proxyBypass') result.proxyBypass = o.value as string[];
    }
  }

  if (result.cliMissing) {
    const h = await himdsStatus(himdsUrl, deadline);
    if (h.status) {
      result.present = true;
      result.agentStatus = h.status;
      result.unavailable.push({ source: 'azcmagent', message: `azcmagent: not found (${files.join(', ')}); the agent status came from ${h.status.source}` });
    } else {
      result.unavailable.push({ source: 'azcmagent', message: `azcmagent: not installed (not found as ${files.join(' or ')}), and ${h.error}` });
    }
  }
  return result;
}
