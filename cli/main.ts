/**
 * wac-doctor CLI: a thin shell over core. Parses arguments, runs the pipeline, renders, sets the
 * exit code. User errors are one line on stderr and exit 2; no stack traces.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { HELP, parseCommandLine, UsageError, type AnalyzeArgs, type CheckArgs, type CollectArgs, type CollectorScriptArgs, type CommonOptions, type ExplainArgs, type ProbeArgs, type RuleSelection, type RulesArgs } from './args';
import { TOOL_NAME, TOOL_VERSION } from '../core/model/report';
import { RULES, ruleById } from '../rules';
import type { Rule } from '../core/engine/rule';
import { visible } from '../core/text/visible';

class InputUnusable extends Error {}

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

const errCode = (err: unknown): string => (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));

/**
 * One write to a stream, settled by its callback or an 'error' event, whichever comes first; a file stream
 * (`> /dev/full`) can also throw.
 */
function writeTo(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      stream.removeListener('error', settle);
      if (err) reject(err);
      else resolvePromise();
    };
    stream.once('error', settle);
    try {
      stream.write(text, (err?: Error | null) => settle(err ?? undefined));
    } catch (err) {
      settle(err);
    }
  });
}

/**
 * The report to `--output` or standard output. A file is written beside the target and renamed over it, so a
 * failed write leaves the previous report as it was and no truncated file. Standard output closed by its
 * reader (`| head`) ends quietly: the caller still returns the report's exit code. Any other failure is one
 * line, exit 2.
 */
async function emit(text: string, opts: { output?: string }, io: Io): Promise<void> {
  if (opts.output) {
    const target = opts.output;
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temp, text, { flag: 'wx' });
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw new UsageError(`--output ${target}: cannot write (${errCode(err)}); expected a writable file path (any previous file there is unchanged)`);
    }
    return;
  }
  try {
    await writeTo(io.stdout, text);
  } catch (err) {
    if (errCode(err) === 'EPIPE') return;
    throw new UsageError(`cannot write the report to standard output (${errCode(err)})`);
  }
}

/** A line on stderr: input text in it is shown inert (core/text/visible); a failing stderr is not worth a crash. */
function say(io: Io, text: string): void {
  try {
    io.stderr.write(`wac-doctor: ${visible(text)}\n`);
  } catch {
    // stderr gone (closed pipe, full disk): nothing left to tell
  }
}

/** Write errors arrive as 'error' events too; with no listener, Node would crash with a stack trace. */
const guarded = new WeakSet<object>();
function guardStreams(io: Io): void {
  for (const s of [io.stdout, io.stderr]) {
    if (guarded.has(s)) continue;
    guarded.add(s);
    s.on('error', () => undefined);
  }
}

/** `-o x.txt` with `x.txt` an input would overwrite the input with its own report (also via another path or a link). */
async function refuseOutputOverInput(output: string | undefined, inputs: readonly string[]): Promise<void> {
  if (!output) return;
  const out = await stat(output).catch(() => undefined);
  for (const input of inputs) {
    if (input === '-') continue;
    let same = resolve(input) === resolve(output);
    if (!same && out) {
      const info = await stat(input).catch(() => undefined);
      same = info !== undefined && info.dev === out.dev && info.ino === out.ino;
    }
    if (same) throw new UsageError(`--output ${output}: is also an input (${input}); writing the report there would destroy it`);
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
  const selected = RULES.filter((r) => (!args.only || args.only.includes(r.meta.id)) && !(args.skip ?? []).includes(r.meta.id));
  // A run of no rule would report "no problems": say that the selection is empty instead.
  if (selected.length === 0) throw new UsageError(`--only ${(args.only ?? []).join(',') || '(all)'} with --skip ${(args.skip ?? []).join(',')} selects no rule; see wac-doctor rules`);
  return selected;
}

async function runAnalyze(args: AnalyzeArgs, io: Io): Promise<number> {
  const rules = selectRules(args);
  await refuseOutputOverInput(args.output, args.paths);
  // Resource Graph exports among the inputs: a fleet, streamed (cli/fleet).
  const fleetCli = require('./fleet') as typeof import('./fleet');
  if (await fleetCli.hasFleetInput(args.paths)) return fleetCli.runFleetAnalyzeInWorker(args, rules, io, { say: (t) => say(io, t), color: useColor(args, io) });
  // Loaded here so `rules`/`explain` start fast.
  const { analyzeInputs } = require('../core/sources/targets') as typeof import('../core/sources/targets');
  const { render } = require('../core/reporters') as typeof import('../core/reporters');
  const { exitCodeFor, multiReport } = require('../core/model/report') as typeof import('../core/model/report');
  const { redact } = require('../core/text/redact') as typeof import('../core/text/redact');
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
  for (const input of inputs) for (const m of input.messages) say(io, `${input.status === 'parsed' ? 'note' : 'warning'}: ${shareable(m)}`);
  const report = reports.length === 1 ? reports[0]! : multiReport(reports);
  const text = render(args.format, report, { rules, color: useColor(args, io), verbose: args.verbose, redact: args.redact, failOn: args.failOn, sarifAll: args.sarifAll });
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
      io.stderr.write(`\r\x1b[2K${visible(text).slice(0, width)}`);
      shown = true;
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

async function liveOptions(args: ProbeArgs & { port?: number }, io: Io, progress: ReturnType<typeof progressLine>) {
  const live = require('../core/sources/live') as typeof import('../core/sources/live');
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
      onProgress: (p: import('../core/sources/live').LiveProgress) => progress.show(live.formatProgress(p, (io.stderr.columns ?? 80) - 1)),
    },
  };
}

async function runCheck(args: CheckArgs, io: Io): Promise<number> {
  const rules = selectRules(args);
  const progress = progressLine(io);
  const { live, options } = await liveOptions(args, io, progress);
  const { render } = require('../core/reporters') as typeof import('../core/reporters');
  const { exitCodeFor } = require('../core/model/report') as typeof import('../core/model/report');
  let report;
  try {
    report = await live.checkMachine({ ...options, rules });
  } catch (err) {
    if (err instanceof live.LiveOptionError) throw new UsageError(err.message);
    throw err;
  } finally {
    progress.clear();
  }
  await emit(render(args.format, report, { rules, color: useColor(args, io), verbose: args.verbose, redact: args.redact, failOn: args.failOn, sarifAll: args.sarifAll }), args, io);
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
  say(io, `wrote ${result.path} (${result.entries.length} entries${args.redact ? ', redacted' : ', NOT redacted'}) in ${(result.durationMs / 1000).toFixed(1)} s; analyze it anywhere with: wac-doctor analyze ${result.path}`);
  for (const note of result.notes) say(io, `note: ${note}`);
  return 0;
}

/** Prints the PowerShell collector (collector/wac-doctor-collect.ps1, shipped in the package), or writes it to -o. */
async function runCollectorScript(args: CollectorScriptArgs, io: Io): Promise<number> {
  const { collectorScriptPath } = require('../core/sources/live/collector-spec') as typeof import('../core/sources/live/collector-spec');
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
  const catalog = require('../core/catalog/rule-docs') as typeof import('../core/catalog/rule-docs');
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
  const catalog = require('../core/catalog/rule-docs') as typeof import('../core/catalog/rule-docs');
  const text = args.format === 'json'
    ? JSON.stringify(catalog.catalogEntries([rule])[0], null, 2) + '\n'
    : args.format === 'markdown' ? catalog.explainMarkdown(rule) : args.format === 'text' ? catalog.explainText(rule) : undefined;
  if (text === undefined) throw new UsageError(`'explain' supports --format text, json or markdown`);
  await emit(text, args, io);
  return 0;
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  guardStreams(io);
  try {
    // The fleet commands parse their own few options (cli/fleet).
    if (argv[0] === 'fleet-query' || argv[0] === 'fleet-collect') {
      const fleetCli = require('./fleet') as typeof import('./fleet');
      return argv[0] === 'fleet-query' ? await fleetCli.runFleetQuery(argv.slice(1), io) : await fleetCli.runFleetCollect(argv.slice(1), io, { say: (t) => say(io, t), color: false });
    }
    const args = parseCommandLine(argv);
    switch (args.command) {
      case 'version': await emit(`${TOOL_NAME} ${TOOL_VERSION}\n`, {}, io); return 0;
      case 'help':
        // No arguments at all is a usage error (exit 2, usage on stderr), as git and curl do; --help is not.
        if (args.usage) {
          io.stderr.write(HELP);
          return 2;
        }
        await emit(HELP, {}, io);
        return 0;
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
    // Messages carry input text (paths, entry names, V8's JSON error snippets with raw bytes): say() shows it inert.
    say(io, known ? msg : `internal error: ${msg} (please report this with the input that caused it)`);
    if (!known && io.env.WAC_DOCTOR_DEBUG) io.stderr.write(`${(err as Error).stack}\n`);
    return 2;
  }
}
