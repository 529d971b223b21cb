/**
 * wac-doctor CLI: a thin shell over core. Parses arguments, runs the pipeline, renders, sets the
 * exit code. User errors are one line on stderr and exit 2; no stack traces.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads node:crypto and the fleet commands for start-up time */
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { HELP, parseCommandLine, UsageError, type AnalyzeArgs, type CheckArgs, type CollectArgs, type CollectorScriptArgs, type CommonOptions, type ExplainArgs, type ProbeArgs, type RuleSelection, type RulesArgs } from './args';
import {
  analyze, check, collect, collectorScriptPath, exitCodeFor, formatLiveProgress, isCatalogFormat, LiveOptionError, multiReport, redact, render,
  renderRuleCatalog, renderRuleExplanation, TOOL_NAME, TOOL_VERSION, visible, type LiveProgress, type Rule,
} from '../core';
import { RULES, ruleById } from '../rules';

class InputUnusable extends Error {}

/** The module `RULES` comes from, for worker threads to load the same rules by id (dist/rules/index.js, or rules/index.ts from source). */
const RULE_SET_MODULE = require.resolve('../rules');

// In the bundle (dist/cli/wac-doctor.js, cli/esbuild.js) RULES is the bundle's copy of rules/, not the module
// RULE_SET_MODULE names: register it as that module for this thread, so the pool, which accepts only rules of that
// module, still sends bundles to workers (each worker loads the tsc output of rules/ and looks them up by id).
if (!require.cache[RULE_SET_MODULE]) {
  const { Module } = require('node:module') as typeof import('node:module');
  const rulesModule = new Module(RULE_SET_MODULE);
  rulesModule.filename = RULE_SET_MODULE;
  rulesModule.exports = { RULES, ruleById };
  rulesModule.loaded = true;
  require.cache[RULE_SET_MODULE] = rulesModule;
}

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
      if (err) reject(err instanceof Error ? err : new Error(errCode(err)));
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
    // node:crypto is loaded only here: `rules` and `explain` start without it.
    const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
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
  if (await fleetCli.hasFleetInput(args.paths, io.stdin)) return fleetCli.runFleetAnalyzeInWorker(args, rules, io, { say: (t) => say(io, t), color: useColor(args, io) });
  const progress = progressLine(io);
  let reports;
  let analysis: import('../core').BatchAnalysis | undefined;
  try {
    reports = await analyze(args.paths, {
      rules, ruleSetModule: RULE_SET_MODULE, ...(args.port !== undefined ? { port: args.port } : {}),
      onMode: (mode, workers) => { analysis = { mode, workers, bundles: 0 }; },
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
  // The batch mode is said for runs of several bundles (one bundle is always analyzed in this thread).
  const bundles = reports.filter((r) => r.target?.kind !== 'pasted').length;
  const report = reports.length === 1 ? reports[0]! : multiReport(reports, undefined, analysis && bundles > 1 ? { ...analysis, bundles } : undefined);
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
    options: {
      timeoutMs: args.timeoutMs, resolve: args.resolve, connectTo: args.connectTo, dnsServers: args.dnsServers,
      ...(args.region ? { region: args.region } : {}), ...(caCertificates ? { suppliedCa: caCertificates } : {}), ...(args.port !== undefined ? { port: args.port } : {}),
      onProgress: (p: LiveProgress) => progress.show(formatLiveProgress(p, (io.stderr.columns ?? 80) - 1)),
    },
  };
}

async function runCheck(args: CheckArgs, io: Io): Promise<number> {
  const rules = selectRules(args);
  const progress = progressLine(io);
  const { options } = await liveOptions(args, io, progress);
  let report;
  try {
    report = await check({ ...options, rules });
  } catch (err) {
    if (err instanceof LiveOptionError) throw new UsageError(err.message);
    throw err;
  } finally {
    progress.clear();
  }
  await emit(render(args.format, report, { rules, color: useColor(args, io), verbose: args.verbose, redact: args.redact, failOn: args.failOn, sarifAll: args.sarifAll }), args, io);
  return exitCodeFor(report, args.failOn);
}

/**
 * Where `collect` writes: refuses an existing file unless --force, and `-o -` unless standard output is not a
 * terminal (a zip on a terminal is garbage, and can carry escape sequences). `-` is written to a private temp
 * file first and copied to standard output, so a failed run writes nothing there.
 */
async function collectTarget(args: CollectArgs, io: Io): Promise<{ path: string; toStdout: boolean; cleanup: () => Promise<void> }> {
  if (args.output === '-') {
    if (io.stdout.isTTY === true) throw new UsageError('--output -: standard output is a terminal; redirect it (> snapshot.zip) or give -o <snapshot.zip>');
    const dir = await mkdtemp(join(tmpdir(), 'wac-doctor-collect-'));
    return { path: join(dir, 'snapshot.zip'), toStdout: true, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  if (!args.force && (await stat(args.output).catch(() => undefined))) {
    throw new UsageError(`--output ${args.output}: already exists; use --force to replace it, or choose another path`);
  }
  return { path: args.output, toStdout: false, cleanup: () => Promise.resolve() };
}

async function runCollect(args: CollectArgs, io: Io): Promise<number> {
  const target = await collectTarget(args, io);
  try {
    return await collectTo(target.path, target.toStdout, args, io);
  } finally {
    await target.cleanup();
  }
}

async function collectTo(path: string, toStdout: boolean, args: CollectArgs, io: Io): Promise<number> {
  const progress = progressLine(io);
  const { options } = await liveOptions(args, io, progress);
  let result;
  try {
    result = await collect(path, { ...options, redact: args.redact });
  } catch (err) {
    if (err instanceof LiveOptionError) throw new UsageError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code && ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EROFS', 'ENOSPC'].includes(code)) {
      throw new UsageError(`--output ${args.output}: cannot write (${code}); expected a writable file path`);
    }
    throw err;
  } finally {
    progress.clear();
  }
  const what = `${result.entries.length} entries${args.redact ? ', redacted' : ', NOT redacted'}`;
  if (toStdout) {
    try {
      await pipeline(createReadStream(path), io.stdout, { end: false });
    } catch (err) {
      throw new UsageError(`cannot write the snapshot to standard output (${errCode(err)})`);
    }
    say(io, `wrote the snapshot to standard output (${what}) in ${(result.durationMs / 1000).toFixed(1)} s; analyze it anywhere with: wac-doctor analyze <file>`);
  } else {
    say(io, `wrote ${result.path} (${what}) in ${(result.durationMs / 1000).toFixed(1)} s; analyze it anywhere with: wac-doctor analyze ${result.path}`);
  }
  for (const note of result.notes) say(io, `note: ${note}`);
  return 0;
}

/** Prints the PowerShell collector (collector/wac-doctor-collect.ps1, shipped in the package), or writes it to -o. */
async function runCollectorScript(args: CollectorScriptArgs, io: Io): Promise<number> {
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
  if (!isCatalogFormat(args.format)) throw new UsageError(`'rules' supports --format text, json or markdown`);
  await emit(renderRuleCatalog(RULES, args.format), args, io);
  return 0;
}

async function runExplain(args: ExplainArgs, io: Io): Promise<number> {
  const rule = ruleById(args.id);
  if (!rule) throw new UsageError(`unknown rule id '${args.id}'; see wac-doctor rules`);
  if (!isCatalogFormat(args.format)) throw new UsageError(`'explain' supports --format text, json or markdown`);
  await emit(renderRuleExplanation(rule, args.format), args, io);
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
