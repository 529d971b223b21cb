/**
 * The fleet commands of the CLI: `fleet-query`, `fleet-collect`, and `analyze` when Resource Graph exports are among
 * the inputs. text, json and csv are written while the fleet is analyzed (a 100,000-machine fleet is never held);
 * sarif, junit and markdown render every report at the end, as for any multi-target run.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads core and rules for start-up time */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { feedStdin } from './fleet-stdin';
import type { AnalyzeArgs } from './args';
import { UsageError } from './args';
import type { CollectTarget, Report, Rule } from '../core';

/** The fleet worker's protocol (cli/fleet-worker.ts): what it is given and what it answers. */
export interface FleetWorkerData { args: AnalyzeArgs; ruleIds: string[]; color: boolean; stdinPort?: MessagePort }
export type FleetWorkerResult = { code: number } | { error: string; kind: 'usage' | 'input' | 'internal' };

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export interface CliHelpers {
  /** A line on stderr, made inert. */
  say(text: string): void;
  color: boolean;
}

/** Standard output or a file written beside its target and renamed over it at the end (as the CLI's emit). */
interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

function writeChunk(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(text, (err?: Error | null) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else stream.once('drain', resolve);
  });
}

function openSink(output: string | undefined, io: CliIo): Sink {
  if (!output) {
    let closed = false;
    return {
      async write(text) {
        if (closed) return;
        try {
          await writeChunk(io.stdout, text);
        } catch (err) {
          // `| head` closed the pipe: stop writing, quietly.
          if ((err as NodeJS.ErrnoException).code === 'EPIPE') closed = true;
          else throw new UsageError(`cannot write the report to standard output (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        }
      },
      close: () => Promise.resolve(),
    };
  }
  const temp = join(dirname(output), `.${basename(output)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const refuse = (err: unknown): UsageError => new UsageError(`--output ${output}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected a writable file path (any previous file there is unchanged)`);
  let stream: WriteStream | undefined;
  let failed: unknown;
  const file = (): WriteStream => {
    stream ??= createWriteStream(temp, { flags: 'wx' }).on('error', (err) => { failed = err; });
    return stream;
  };
  return {
    async write(text) {
      if (failed) throw refuse(failed);
      try {
        await writeChunk(file(), text);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        throw refuse(err);
      }
    },
    async close() {
      const s = file();
      await new Promise<void>((resolve) => s.end(resolve));
      if (failed) {
        await unlink(temp).catch(() => undefined);
        throw refuse(failed);
      }
      try {
        await rename(temp, output);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        throw refuse(err);
      }
    },
  };
}

/**
 * Whether any input is a Resource Graph export (then `analyze` runs as a fleet). `-` is standard input: its head is
 * sniffed and put back, so the stream is whole for the next reader either way.
 */
export async function hasFleetInput(paths: readonly string[], stdin?: NodeJS.ReadableStream): Promise<boolean> {
  const { classifyInput, sniffFleetStream } = require('../core') as typeof import('../core');
  for (const p of paths) if ((await classifyInput(p)) === 'fleet') return true;
  return stdin !== undefined && paths.includes(STDIN) && (await sniffFleetStream(stdin));
}

const STDIN = '-';

/**
 * Heap of the fleet worker, MB: a small young generation, so a fleet's per-machine garbage is collected early, and an
 * old generation that holds the summary of a 100,000-machine fleet (about 40 MB) with room to spare.
 */
const FLEET_YOUNG_MB = 4;
const FLEET_OLD_MB = 96;

/**
 * runFleetAnalyze on a worker thread with a capped young generation (cli/fleet-worker); its stdout and stderr are
 * piped here. Errors come back as the same UsageError / InputError the main thread reports.
 */
export async function runFleetAnalyzeInWorker(args: AnalyzeArgs, rules: Rule[], io: CliIo, h: CliHelpers): Promise<number> {
  const { InputError } = require('../core') as typeof import('../core');
  const data: FleetWorkerData = { args, ruleIds: rules.map((r) => r.meta.id), color: h.color };
  // Standard input, when named, is the worker's: fed through a channel with backpressure (cli/fleet-stdin).
  const readsStdin = args.paths.includes(STDIN);
  const channel = readsStdin ? new MessageChannel() : undefined;
  if (channel) data.stdinPort = channel.port2;
  const options = {
    workerData: data, transferList: channel ? [channel.port2] : [],
    resourceLimits: { maxYoungGenerationSizeMb: FLEET_YOUNG_MB, maxOldGenerationSizeMb: FLEET_OLD_MB }, stdout: true, stderr: true,
  };
  const worker = __filename.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(join(__dirname, 'fleet-worker.ts'))});`, { ...options, eval: true })
    : new Worker(join(__dirname, 'fleet-worker.js'), options);
  worker.stdout.pipe(io.stdout, { end: false });
  worker.stderr.pipe(io.stderr, { end: false });
  // Once the worker has its result, what it did not read of standard input (it stopped at a bad page or a failed
  // write) stays unread: let go of it.
  const releaseStdin = channel ? feedStdin(io.stdin, channel.port1) : (): void => undefined;
  const result = await new Promise<FleetWorkerResult>((resolve) => {
    let got: FleetWorkerResult | undefined;
    worker.on('message', (m: FleetWorkerResult) => { got = m; releaseStdin(); });
    worker.on('error', (err: NodeJS.ErrnoException) => {
      got ??= err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? { error: `the fleet analysis needed more than its ${FLEET_OLD_MB} MB heap; analyze the pages in smaller groups`, kind: 'input' }
        : { error: err.message, kind: 'internal' };
    });
    worker.on('exit', () => resolve(got ?? { error: 'the fleet worker stopped without a result', kind: 'internal' }));
  });
  releaseStdin();
  // Let the piped output drain before the caller writes or exits.
  await Promise.all([worker.stdout, worker.stderr].map((s) => (s.readableEnded ? Promise.resolve() : new Promise<void>((r) => s.once('end', () => r())))));
  if ('code' in result) return result.code;
  if (result.kind === 'usage') throw new UsageError(result.error);
  if (result.kind === 'input') throw new InputError(result.error);
  throw new Error(result.error);
}

const blocksExit = (r: Report, failOn: 'fail' | 'warn'): boolean => r.summary.fail > 0 || r.summary.error > 0 || (failOn === 'warn' && r.summary.warn > 0);

export async function runFleetAnalyze(args: AnalyzeArgs, rules: Rule[], io: CliIo, h: CliHelpers): Promise<number> {
  const core = require('../core') as typeof import('../core');
  const { classifyInput, analyze: analyzeInputs, render, redact, InputError } = core;

  const classes = await Promise.all(args.paths.map(classifyInput));
  // Standard input is an export page when its head says so (sniffed again here: this is the worker).
  const stdinIndex = args.paths.indexOf(STDIN);
  if (stdinIndex >= 0 && (await core.sniffFleetStream(io.stdin))) classes[stdinIndex] = 'fleet';
  const fleetPaths = args.paths.filter((_, i) => classes[i] === 'fleet');
  const docs = args.paths.filter((_, i) => classes[i] === 'document');
  const rest = args.paths.filter((_, i) => classes[i] !== 'fleet' && classes[i] !== 'document');
  const renderOptions = { rules, color: h.color, verbose: args.verbose, redact: args.redact, failOn: args.failOn, sarifAll: args.sarifAll };
  const streamed = args.format === 'text' || args.format === 'json' || args.format === 'csv';
  const sink = streamed ? openSink(args.output, io) : undefined;
  const generatedAt = new Date().toISOString();
  const json = args.format === 'json' ? core.fleetJsonWriter(args.redact, generatedAt) : undefined;
  let blocked = false;
  const kept: Report[] = [];
  const verboseText: string[] = [];

  const onReport = async (report: Report): Promise<void> => {
    if (blocksExit(report, args.failOn)) blocked = true;
    if (json) await sink!.write(json.report(report));
    else if (args.format === 'csv') await sink!.write(core.csvRow(report, renderOptions));
    else if (args.format === 'text') {
      if (args.verbose) verboseText.push(render('text', report, renderOptions));
    } else kept.push(report);
  };

  if (json) await sink!.write(json.head());
  if (args.format === 'csv') await sink!.write(core.csvHeader());
  const run = await core.analyzeFleetExports(fleetPaths, docs, {
    rules, ...(args.port !== undefined ? { port: args.port } : {}), blocking: args.failOn, onReport, ...(stdinIndex >= 0 ? { stdin: io.stdin } : {}),
  });
  for (const r of run.snapshotReports) await onReport(r);
  const others = rest.length > 0 ? await analyzeInputs(rest, { rules, ...(args.port !== undefined ? { port: args.port } : {}) }, io.stdin) : [];
  for (const r of others) await onReport(r);

  const shareable = (m: string): string => (args.redact ? redact(m) : m);
  // Every message about an export page is a problem with it (a cut, a skipped row, a missing page).
  for (const input of run.inputs) for (const m of input.messages) h.say(`warning: ${shareable(m)}`);
  for (const input of others.flatMap((r) => r.inputs)) {
    for (const m of input.messages) h.say(`${input.status === 'parsed' ? 'note' : 'warning'}: ${shareable(m)}`);
  }
  const usable = run.inputs.some((i) => i.status === 'parsed') || run.snapshotReports.length > 0 || others.some((r) => r.inputs.some((i) => i.status === 'parsed'));
  if (!usable) {
    await sink?.close().catch(() => undefined);
    throw new InputError(shareable(run.inputs.length === 1 ? run.inputs[0]!.messages[0]! : `none of the ${run.inputs.length} export pages could be used: ${run.inputs.map((i) => i.messages[0]).join('; ')}`));
  }
  if (json) await sink!.write(json.tail(run.summary, run.inputs));
  else if (args.format === 'text') {
    // Line by line in chunks: the summary of a large fleet is never held as one string.
    let chunk: string[] = [];
    for (const line of core.fleetSummaryLines(run.summary, run.inputs, { redact: args.redact, verbose: args.verbose })) {
      chunk.push(line);
      if (chunk.length === 512) { await sink!.write(`${chunk.join('\n')}\n`); chunk = []; }
    }
    if (chunk.length > 0) await sink!.write(`${chunk.join('\n')}\n`);
    for (const t of verboseText) await sink!.write(`\n${t}`);
  } else if (!streamed) {
    const text = args.format === 'markdown'
      ? core.renderFleetReport('markdown', { reports: kept, summary: run.summary, pages: run.inputs, generatedAt }, renderOptions)
      : render(args.format, core.multiReport(kept, generatedAt), renderOptions);
    const out = openSink(args.output, io);
    await out.write(text);
    await out.close();
  }
  await sink?.close();
  return blocked ? 1 : 0;
}

export async function runFleetQuery(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFleetArgs(argv, { kql: { type: 'boolean' }, output: { type: 'string', short: 'o' } });
  if (positionals.length > 0) throw new UsageError(`'fleet-query' takes no arguments (got '${positionals[0]}')`);
  const core = require('../core') as typeof import('../core');
  const sink = openSink(values.output as string | undefined, io);
  await sink.write(values.kql ? `${core.fleetQuery().kql}\n` : core.fleetQueryText());
  await sink.close();
  return 0;
}

function parseFleetArgs(argv: readonly string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const r = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values, positionals: r.positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see wac-doctor --help)`);
  }
}

/**
 * `fleet-collect <fleet.json...|resource ids...>`: for exports, the machines not ready or unknown; for ids, those
 * machines. Refused names are one line each on stderr (exit 2 when nothing is left to collect).
 */
export async function runFleetCollect(argv: readonly string[], io: CliIo, h: CliHelpers): Promise<number> {
  const { values, positionals } = parseFleetArgs(argv, { output: { type: 'string', short: 'o' } });
  if (positionals.length === 0) throw new UsageError(`'fleet-collect' needs Resource Graph export files or Arc machine resource ids`);
  const core = require('../core') as typeof import('../core');
  const { RULES } = require('../rules') as typeof import('../rules');
  const targets: CollectTarget[] = [];
  const files: string[] = [];
  let refused = 0;
  for (const p of positionals) {
    if (p.startsWith('/subscriptions/') || p.startsWith('/SUBSCRIPTIONS/')) {
      const t = core.fleetTargetFromId(p);
      if (t) targets.push({ ...t, reason: 'named on the command line' });
      else {
        refused++;
        h.say(`${JSON.stringify(p.length > 120 ? `${p.slice(0, 117)}...` : p)} is not an Arc machine resource id (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.HybridCompute/machines/<name>); refused`);
      }
    } else if (await core.sniffFleetExport(p)) files.push(p);
    else throw new UsageError(`${p}: not an Azure Resource Graph export nor a machine resource id; expected the files 'wac-doctor fleet-query' exports, or /subscriptions/.../machines/<name>`);
  }
  if (files.length > 0) {
    const run = await core.analyzeFleetExports(files, [], {
      rules: RULES,
      onReport: (report, m) => {
        const v = core.machineVerdict(report);
        if (v.readiness === 'ready') return;
        targets.push({ id: m.id, name: m.name, ...(m.resourceGroup ? { resourceGroup: m.resourceGroup } : {}), ...(m.subscriptionId ? { subscriptionId: m.subscriptionId } : {}), ...(m.location ? { location: m.location } : {}), reason: `${v.readiness}${v.cause ? `: ${v.cause.ruleId}` : ''}` });
      },
    });
    for (const input of run.inputs) for (const m of input.messages) h.say(`warning: ${m}`);
  }
  const script = core.collectorScriptPath();
  const lines: string[] = [
    `# Azure Arc Run Command: run ${basename(script)} -AsJson on each machine and save its snapshot (PowerShell; az connectedmachine extension).`,
    '# Then analyze the snapshots with the fleet: wac-doctor analyze <fleet pages> <machine>.json ...',
  ];
  let planned = 0;
  for (const t of targets) {
    const r = core.fleetCollectCommands(t, script);
    if (!r.ok) {
      refused++;
      h.say(r.message);
      continue;
    }
    planned++;
    lines.push('', `# ${r.plan.machine}${r.plan.reason ? ` (${r.plan.reason})` : ''}`, r.plan.create.command, r.plan.show.command);
  }
  if (planned === 0 && refused > 0) throw new UsageError(`no machine to collect from: ${refused} refused`);
  if (planned === 0) lines.push('', '# Every machine in the export is ready as far as Azure shows: nothing to collect.');
  const sink = openSink(values.output as string | undefined, io);
  await sink.write(`${lines.join('\n')}\n`);
  await sink.close();
  return refused > 0 ? 2 : 0;
}
