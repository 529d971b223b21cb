/** Command-line parsing for wac-doctor, on node:util parseArgs. Usage errors are UsageError (exit 2). */
import { parseArgs } from 'node:util';
import { FORMATS, type Format } from '../core/reporters';
import { parsePort } from '../core/ports';
import type { FailOn } from '../core/report';

export class UsageError extends Error {}

export const COMMANDS = ['analyze', 'rules', 'explain', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CommonOptions {
  format: Format;
  output?: string;
  color: boolean | undefined;
  verbose: boolean;
  redact: boolean;
}

export interface AnalyzeArgs extends CommonOptions {
  command: 'analyze';
  paths: string[];
  only?: string[];
  skip?: string[];
  port?: number;
  failOn: FailOn;
}

export interface RulesArgs extends CommonOptions { command: 'rules' }
export interface ExplainArgs extends CommonOptions { command: 'explain'; id: string }
export interface HelpArgs { command: 'help'; topic?: string }
export interface VersionArgs { command: 'version' }

export type ParsedArgs = AnalyzeArgs | RulesArgs | ExplainArgs | HelpArgs | VersionArgs;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  port: { type: 'string', short: 'p' },
  'fail-on': { type: 'string' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  'no-redact': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const ALLOWED: Record<Exclude<Command, 'help'>, readonly string[]> = {
  analyze: ['format', 'output', 'only', 'skip', 'port', 'fail-on', 'no-color', 'color', 'verbose', 'no-redact'],
  rules: ['format', 'output', 'no-color', 'color'],
  explain: ['format', 'output', 'no-color', 'color'],
};

/** `--only a,b --only c` -> [a, b, c]. */
function idList(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs messages are already one line, e.g. "Unknown option '--bogus'".
    throw new UsageError((err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''));
  }
  const { values, positionals } = parsed;
  if (values.version) return { command: 'version' };
  const [first, ...rest] = positionals;
  if (values.help || first === undefined || first === 'help') {
    return { command: 'help', ...(first === 'help' ? (rest[0] ? { topic: rest[0] } : {}) : first ? { topic: first } : {}) };
  }
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new UsageError(`unknown command '${first}'; expected one of: analyze, rules, explain (see wac-doctor --help)`);
  }
  const command = first as Exclude<Command, 'help'>;
  for (const key of Object.keys(values)) {
    if (!ALLOWED[command].includes(key)) throw new UsageError(`option --${key} does not apply to '${command}'`);
  }
  const format = (values.format ?? 'text') as Format;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format '${values.format}': expected one of ${FORMATS.join(', ')}`);
  if (values.output === '') throw new UsageError('--output needs a file path');
  const common: CommonOptions = {
    format,
    ...(values.output !== undefined ? { output: values.output } : {}),
    color: values['no-color'] ? false : values.color ? true : undefined,
    verbose: values.verbose === true,
    redact: values['no-redact'] !== true,
  };
  if (command === 'rules') {
    if (rest.length > 0) throw new UsageError(`'rules' takes no arguments (got '${rest[0]}')`);
    return { command, ...common };
  }
  if (command === 'explain') {
    if (rest.length !== 1) throw new UsageError(`'explain' takes one rule id (see wac-doctor rules)`);
    return { command, id: rest[0]!, ...common };
  }
  if (rest.length === 0) throw new UsageError(`'analyze' needs at least one file (or - for standard input)`);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = parsePort(values.port);
    if (port === undefined || !/^\d+$/.test(values.port)) throw new UsageError(`--port '${values.port}': expected an integer from 1 to 65535`);
  }
  const failOn = values['fail-on'] ?? 'fail';
  if (failOn !== 'fail' && failOn !== 'warn') throw new UsageError(`--fail-on '${failOn}': expected fail or warn`);
  const only = idList(values.only);
  const skip = idList(values.skip);
  return {
    command, paths: rest, failOn, ...common,
    ...(only ? { only } : {}), ...(skip ? { skip } : {}), ...(port !== undefined ? { port } : {}),
  };
}

export const HELP = `wac-doctor: why won't Windows Admin Center in the Azure portal connect to my Arc server?

Usage:
  wac-doctor analyze <file|-> [...]   Analyze pasted command outputs (azcmagent show/config list/check,
                                      reg query, sc query, Get-Service, az connectedmachine ... JSON,
                                      Invoke-RestMethod https://wac.azure.com, Test-NetConnection)
  wac-doctor rules                    List the checks
  wac-doctor explain <rule-id>        What a check looks at and how to fix it
  wac-doctor --version

Options for analyze:
  -f, --format <fmt>      text (default), json, sarif, junit, markdown
  -o, --output <file>     Write the report to <file> instead of standard output
      --only <ids>        Run only these rules (comma-separated, repeatable)
      --skip <ids>        Do not run these rules
  -p, --port <n>          The WAC port (default: extension setting, else SmePort, else 6516)
      --fail-on <level>   fail (default) or warn: the lowest status that makes the exit code 1
  -v, --verbose           List skipped checks and why
      --no-color          No ANSI colours (also NO_COLOR=1); colours are used only on a terminal
      --no-redact         Keep proxy credentials, tokens and SAS signatures in the output

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error or no usable input.
`;
