/**
 * wac-doctor CLI: a thin shell over core. Parses arguments, runs the pipeline, renders, sets the
 * exit code. User errors are one line on stderr and exit 2; no stack traces.
 */
import { writeFile } from 'node:fs/promises';
import { HELP, parseCommandLine, UsageError, type AnalyzeArgs, type CommonOptions, type ExplainArgs, type RulesArgs } from './args';
import { TOOL_NAME, TOOL_VERSION } from '../core/report';
import { RULES, ruleById } from '../rules';
import type { Rule } from '../core/rule';

class InputUnusable extends Error {}

interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
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

function selectRules(args: AnalyzeArgs): Rule[] {
  for (const id of [...(args.only ?? []), ...(args.skip ?? [])]) {
    if (!ruleById(id)) throw new UsageError(`unknown rule id '${id}'; see wac-doctor rules`);
  }
  return RULES.filter((r) => (!args.only || args.only.includes(r.meta.id)) && !(args.skip ?? []).includes(r.meta.id));
}

async function runAnalyze(args: AnalyzeArgs, io: Io): Promise<number> {
  const rules = selectRules(args);
  // Loaded here so `rules`/`explain` start fast.
  const { analyzeFiles } = require('../core/analyze') as typeof import('../core/analyze');
  const { render } = require('../core/reporters') as typeof import('../core/reporters');
  const { exitCodeFor } = require('../core/report') as typeof import('../core/report');
  const report = await analyzeFiles(args.paths, { rules, ...(args.port !== undefined ? { port: args.port } : {}) }, io.stdin);
  const { redact } = require('../core/redact') as typeof import('../core/redact');
  const shareable = (m: string): string => (args.redact ? redact(m) : m);
  if (!report.inputs.some((i) => i.status === 'parsed')) {
    const first = report.inputs.length === 1 ? report.inputs[0]!.messages[0] : undefined;
    throw new InputUnusable(shareable(first ?? `none of the ${report.inputs.length} inputs could be used: ${report.inputs.map((i) => i.messages[0]).join('; ')}`));
  }
  for (const input of report.inputs) for (const m of input.messages) io.stderr.write(`wac-doctor: ${input.status === 'parsed' ? 'note' : 'warning'}: ${shareable(m)}\n`);
  const text = render(args.format, report, { rules, color: useColor(args, io), verbose: args.verbose, redact: args.redact, failOn: args.failOn });
  await emit(text, args, io);
  return exitCodeFor(report, args.failOn);
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
    }
  } catch (err) {
    const known = err instanceof UsageError || err instanceof InputUnusable || (err as Error)?.name === 'InputError';
    const msg = err instanceof Error ? err.message : String(err);
    io.stderr.write(known ? `wac-doctor: ${msg}\n` : `wac-doctor: internal error: ${msg} (please report this with the input that caused it)\n`);
    if (!known && io.env.WAC_DOCTOR_DEBUG) io.stderr.write(`${(err as Error).stack}\n`);
    return 2;
  }
}
