/**
 * wac-doctor CLI: a thin shell over core. Parses arguments, runs the pipeline, renders, sets the
 * exit code. User errors are one line on stderr and exit 2; no stack traces.
 */
import { writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { HELP, parseCommandLine, UsageError, type AnalyzeArgs, type CheckArgs, type CollectArgs, type CollectorScriptArgs, type CommonOptions, type ExplainArgs, type ProbeArgs, type RuleSelection, type RulesArgs } from './args';
import { TOOL_NAME, TOOL_VERSION } from '../core/report';
import { RULES, ruleById } from '../rules';
import type { Rule } from '../core/rule';

class InputUnusable extends Error {}

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

async function emit(text: string, opts: CommonOptions, io: Io): Promise<void> {
  if (opts.output) {
    try {
      await writeFile(opts.output, text);
    } catch (err) {
      throw new UsageError(`--output ${opts.output}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a writable file path`);
    }
  } else {
    io.stdout.write(text);
  }
}

function useColor(opts: CommonOptions, io: Io): boolean {
  if (opts.color !== undefined) return opts.color;
  if (opts.output || io.env.NO_COLOR) return false;
  return io.stdout.isTTY === true;
}

function selectRules(args: RuleSelection): Rule[] {
  for (const id of [...(args.only ?? []), ...(args.skip ?? [])]) {
    if (!ruleById(id)) throw new UsageError(`unknown rule id '${id}'; see wac-doctor rules`);
  }
  return RULES.filter((r) => (!args.only || args.only.includes(r.meta.id)) && !(args.skip ?? []).includes(r.meta.id));
}

async function runAnalyze(args: AnalyzeArgs, io: Io): Promise<number> {
  const rules = selectRules(args);
  // Loaded here so `rules`/`explain` start fast.
  const { analyzeInputs } = require('../core/targets') as typeof import('../core/targets');
  const { render } = require('../core/reporters') as typeof import('../core/reporters');
  const { exitCodeFor, multiReport } = require('../core/report') as typeof import('../core/report');
  const { redact } = require('../core/redact') as typeof import('../core/redact');
  const progress = progressLine(io);
  let reports;
  try {
    reports = await analyzeInputs(args.paths, {
      rules, ...(args.port !== undefined ? { port: args.port } : {}),
      onProgress: (p) => progress.show(`reading ${p.input}: ${p.entries}${p.entriesTotal ? `/${p.entriesTotal}` : ''} entries, ${(p.bytes / 1048576).toFixed(0)} MiB`),
    }, io.stdin);
  } finally {
    progress.clear();
  }
  const shareable = (m: string): string => (args.redact ? redact(m) : m);
  const inputs = reports.flatMap((r) => r.inputs);
  if (!inputs.some((i) => i.status === 'parsed')) {
    const first = inputs.length === 1 ? inputs[0]!.messages[0] : undefined;
    throw new InputUnusable(shareable(first ?? `none of the ${inputs.length} inputs could be used: ${inputs.map((i) => i.messages[0]).join('; ')}`));
  }
  for (const input of inputs) for (const m of input.messages) io.stderr.write(`wac-doctor: ${input.status === 'parsed' ? 'note' : 'warning'}: ${shareable(m)}\n`);
  const report = reports.length === 1 ? reports[0]! : multiReport(reports);
  const text = render(args.format, report, { rules, color: useColor(args, io), verbose: args.verbose, redact: args.redact, failOn: args.failOn });
  await emit(text, args, io);
  return exitCodeFor(report, args.failOn);
}

/** A one-line progress display on a terminal's stderr; silent elsewhere. */
function progressLine(io: Io): { show(text: string): void; clear(): void } {
  let shown = false;
  const width = Math.max(20, (io.stderr.columns ?? 80) - 1);
  return {
    show(text) {
      if (!io.stderr.isTTY) return;
      io.stderr.write(`\r\x1b[2K${text.slice(0, width)}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

async function liveOptions(args: ProbeArgs & { port?: number }, io: Io, progress: ReturnType<typeof progressLine>) {
  const live = require('../core/live') as typeof import('../core/live');
  let caCertificates: string[] | undefined;
  if (args.caFile) {
    try {
      caCertificates = [await readFile(args.caFile, 'utf8')];
    } catch (err) {
      throw new UsageError(`--ca-file ${args.caFile}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a PEM file`);
    }
    if (!/-----BEGIN CERTIFICATE-----/.test(caCertificates[0]!)) throw new UsageError(`--ca-file ${args.caFile}: no PEM certificate in it; expected -----BEGIN CERTIFICATE-----`);
  }
  return {
    live,
    options: {
      timeoutMs: args.timeoutMs, resolve: args.resolve, connectTo: args.connectTo, dnsServers: args.dnsServers,
      ...(args.region ? { region: args.region } : {}), ...(caCertificates ? { caCertificates } : {}), ...(args.port !== undefined ? { port: args.port } : {}),
      onProgress: (p: import('../core/live').LiveProgress) => progress.show(live.formatProgress(p, (io.stderr.columns ?? 80) - 1)),
    },
  };
}

async function runCheck(args: CheckArgs, io: Io): Promise<number> {
  const rules = selectRules(args);
  const progress = progressLine(io);
  const { live, options } = await liveOptions(args, io, progress);
  const { render } = require('../core/reporters') as typeof import('../core/reporters');
  const { exitCodeFor } = require('../core/report') as typeof import('../core/report');
  let report;
  try {
    report = await live.checkMachine({ ...options, rules });
  } catch (err) {
    if (err instanceof live.LiveOptionError) throw new UsageError(err.message);
    throw err;
  } finally {
    progress.clear();
  }
  await emit(render(args.format, report, { rules, color: useColor(args, io), verbose: args.verbose, redact: args.redact, failOn: args.failOn }), args, io);
  return exitCodeFor(report, args.failOn);
}

async function runCollect(args: CollectArgs, io: Io): Promise<number> {
  const progress = progressLine(io);
  const { live, options } = await liveOptions(args, io, progress);
  let result;
  try {
    result = await live.collectSnapshot(args.output, { ...options, redact: args.redact });
  } catch (err) {
    if (err instanceof live.LiveOptionError) throw new UsageError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EROFS', 'ENOSPC'].includes(code)) {
      throw new UsageError(`--output ${args.output}: cannot write (${code}); expected a writable file path`);
    }
    throw err;
  } finally {
    progress.clear();
  }
  io.stderr.write(`wac-doctor: wrote ${result.path} (${result.entries.length} entries${args.redact ? ', redacted' : ', NOT redacted'}) in ${(result.durationMs / 1000).toFixed(1)} s; analyze it anywhere with: wac-doctor analyze ${result.path}\n`);
  for (const note of result.notes) io.stderr.write(`wac-doctor: note: ${note}\n`);
  return 0;
}

/** Prints the PowerShell collector (collector/wac-doctor-collect.ps1, shipped in the package), or writes it to -o. */
async function runCollectorScript(args: CollectorScriptArgs, io: Io): Promise<number> {
  const { collectorScriptPath } = require('../core/live/collector-spec') as typeof import('../core/live/collector-spec');
  const text = await readFile(collectorScriptPath(), 'utf8');
  if (!args.output) {
    io.stdout.write(text);
    return 0;
  }
  try {
    await writeFile(args.output, text);
  } catch (err) {
    throw new UsageError(`--output ${args.output}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a writable file path`);
  }
  io.stderr.write(`wac-doctor: wrote ${args.output}; on the server: powershell -NoProfile -ExecutionPolicy Bypass -File .\\${args.output.replace(/^.*[\\/]/, '')} -OutputPath wac-snapshot.zip\n`);
  return 0;
}

async function runRulesCommand(args: RulesArgs, io: Io): Promise<number> {
  const catalog = require('../core/catalog') as typeof import('../core/catalog');
  const text = args.format === 'json'
    ? JSON.stringify(catalog.catalogEntries(RULES), null, 2) + '\n'
    : args.format === 'markdown' ? catalog.catalogMarkdownTable(RULES) : args.format === 'text' ? catalog.catalogText(RULES) : undefined;
  if (text === undefined) throw new UsageError(`'rules' supports --format text, json or markdown`);
  await emit(text, args, io);
  return 0;
}

async function runExplain(args: ExplainArgs, io: Io): Promise<number> {
  const rule = ruleById(args.id);
  if (!rule) throw new UsageError(`unknown rule id '${args.id}'; see wac-doctor rules`);
  const catalog = require('../core/catalog') as typeof import('../core/catalog');
  const text = args.format === 'json'
    ? JSON.stringify(catalog.catalogEntries([rule])[0], null, 2) + '\n'
    : args.format === 'markdown' ? catalog.explainMarkdown(rule) : args.format === 'text' ? catalog.explainText(rule) : undefined;
  if (text === undefined) throw new UsageError(`'explain' supports --format text, json or markdown`);
  await emit(text, args, io);
  return 0;
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    switch (args.command) {
      case 'version': io.stdout.write(`${TOOL_NAME} ${TOOL_VERSION}\n`); return 0;
      case 'help': io.stdout.write(HELP); return 0;
      case 'rules': return await runRulesCommand(args, io);
      case 'explain': return await runExplain(args, io);
      case 'analyze': return await runAnalyze(args, io);
      case 'check': return await runCheck(args, io);
      case 'collect': return await runCollect(args, io);
      case 'collector-script': return await runCollectorScript(args, io);
    }
  } catch (err) {
    const known = err instanceof UsageError || err instanceof InputUnusable || (err as Error)?.name === 'InputError';
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr.write(known ? `wac-doctor: ${msg}\n` : `wac-doctor: internal error: ${msg} (please report this with the input that caused it)\n`);
    if (!known && io.env.WAC_DOCTOR_DEBUG) io.stderr.write(`${(err as Error).stack}\n`);
    return 2;
  }
}
