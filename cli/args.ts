/** Command-line parsing for wac-doctor, on node:util parseArgs. Usage errors are UsageError (exit 2). */
import { parseArgs } from 'node:util';
import { FORMATS, type Format } from '../core/reporters';
import { parsePort } from '../core/model/ports';
import type { FailOn } from '../core/model/report';
import { LiveOptionError, parseConnectTo, parseDnsServer, parseResolve, regionLabel } from '../core/sources/live/options';
import { AZURE_REGIONS, isAzureRegion } from '../core/catalog/regions';
import { didYouMean, nearest } from '../core/text/suggest';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const COMMANDS = ['analyze', 'check', 'collect', 'collector-script', 'rules', 'explain', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CommonOptions {
  format: Format;
  output?: string;
  color: boolean | undefined;
  verbose: boolean;
  redact: boolean;
  /** SARIF: passes and skips too (default: problems only). */
  sarifAll: boolean;
}

export interface RuleSelection {
  only?: string[];
  skip?: string[];
  port?: number;
  failOn: FailOn;
}

/** Probe options, kept as text once validated: core/sources/live parses them (the CLI only checks them early). */
export interface ProbeArgs {
  timeoutMs: number;
  resolve: string[];
  connectTo: string[];
  dnsServers: string[];
  region?: string;
  caFile?: string;
}

export interface AnalyzeArgs extends CommonOptions, RuleSelection { command: 'analyze'; paths: string[] }
export interface CheckArgs extends CommonOptions, RuleSelection, ProbeArgs { command: 'check' }
export interface CollectArgs extends ProbeArgs { command: 'collect'; output: string; port?: number; redact: boolean; color: boolean | undefined }
export interface CollectorScriptArgs { command: 'collector-script'; output?: string }
export interface RulesArgs extends CommonOptions { command: 'rules' }
export interface ExplainArgs extends CommonOptions { command: 'explain'; id: string }
/** `usage`: run with no arguments at all: the usage goes to stderr and the exit code is 2. */
export interface HelpArgs { command: 'help'; topic?: string; usage?: true }
export interface VersionArgs { command: 'version' }

export type ParsedArgs = AnalyzeArgs | CheckArgs | CollectArgs | CollectorScriptArgs | RulesArgs | ExplainArgs | HelpArgs | VersionArgs;

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
  'sarif-all': { type: 'boolean' },
  timeout: { type: 'string', short: 't' },
  resolve: { type: 'string', multiple: true },
  'connect-to': { type: 'string', multiple: true },
  'dns-server': { type: 'string', multiple: true },
  region: { type: 'string' },
  'ca-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const REPORTING = ['format', 'output', 'only', 'skip', 'port', 'fail-on', 'no-color', 'color', 'verbose', 'no-redact', 'sarif-all'];
const PROBING = ['timeout', 'resolve', 'connect-to', 'dns-server', 'region', 'ca-file'];
const ALLOWED: Record<Exclude<Command, 'help'>, readonly string[]> = {
  analyze: REPORTING,
  check: [...REPORTING, ...PROBING],
  collect: ['output', 'port', 'no-redact', 'no-color', 'color', ...PROBING],
  'collector-script': ['output'],
  rules: ['format', 'output', 'no-color', 'color'],
  explain: ['format', 'output', 'no-color', 'color'],
};

/** `--only a,b --only c` -> [a, b, c]. */
function idList(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** `5`, `5s`, `2.5s`, `500ms` -> milliseconds (100 ms to 10 minutes). */
export function parseTimeout(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
  if (!Number.isFinite(ms) || ms < 100 || ms > 600_000) throw new UsageError(`--timeout '${text}': expected seconds (5, 2.5s) or milliseconds (500ms), from 100ms to 600s`);
  return Math.round(ms);
}

function parsePortOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = /^\d+$/.test(text) ? parsePort(text) : undefined;
  if (port === undefined) throw new UsageError(`--port must be 1-65535 (got '${text}')`);
  return port;
}

/** Options taking a number: `--port -1` would be an "ambiguous" option to parseArgs; it is a value to check. */
const NUMERIC = new Set(['--port', '-p', '--timeout', '-t']);

function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (NUMERIC.has(a) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a.startsWith('--') ? a : a === '-p' ? '--port' : '--timeout'}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** parseArgs' "Unknown option '--verbos'" plus the nearest option, when one is close. */
function unknownOptionMessage(message: string): string {
  const m = /^Unknown option '(--?[^']*)'/.exec(message);
  if (!m) return message;
  const given = m[1]!;
  const names = Object.keys(OPTIONS).map((k) => `--${k}`);
  const close = given.startsWith('--') ? didYouMean(given, names) : undefined;
  return close ? `unknown option '${given}'; did you mean ${close}? (see wac-doctor --help)` : `unknown option '${given}' (see wac-doctor --help)`;
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

function probeArgs(values: Values): ProbeArgs {
  const resolve = values.resolve ?? [];
  const connectTo = values['connect-to'] ?? [];
  const dnsServers = values['dns-server'] ?? [];
  try {
    resolve.forEach(parseResolve);
    connectTo.forEach(parseConnectTo);
    dnsServers.forEach(parseDnsServer);
  } catch (err) {
    if (err instanceof LiveOptionError) throw new UsageError(err.message);
    throw err;
  }
  if (values.region !== undefined && (!regionLabel(values.region) || !isAzureRegion(values.region))) {
    throw new UsageError(`--region '${values.region}': not a known Azure region; nearest: ${nearest(values.region, AZURE_REGIONS).join(', ')}`);
  }
  if (values['ca-file'] === '') throw new UsageError('--ca-file needs a PEM file path');
  return {
    timeoutMs: values.timeout === undefined ? 5000 : parseTimeout(values.timeout),
    resolve, connectTo, dnsServers,
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values['ca-file'] !== undefined ? { caFile: values['ca-file'] } : {}),
  };
}

function ruleSelection(values: Values): RuleSelection {
  const failOn = values['fail-on'] ?? 'fail';
  if (failOn !== 'fail' && failOn !== 'warn') throw new UsageError(`--fail-on '${failOn}': expected fail or warn`);
  const only = idList(values.only);
  const skip = idList(values.skip);
  if (only && only.length === 0) throw new UsageError(`--only '${values.only!.join(',')}' names no rule; expected rule ids (see wac-doctor rules)`);
  if (skip && skip.length === 0) throw new UsageError(`--skip '${values.skip!.join(',')}' names no rule; expected rule ids (see wac-doctor rules)`);
  const port = parsePortOption(values.port);
  return { failOn, ...(only ? { only } : {}), ...(skip ? { skip } : {}), ...(port !== undefined ? { port } : {}) };
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs messages are already one line, e.g. "Unknown option '--bogus'".
    throw new UsageError(unknownOptionMessage((err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '')));
  }
  const { values, positionals } = parsed;
  if (values.version) return { command: 'version' };
  if (argv.length === 0) return { command: 'help', usage: true };
  const [given, ...rest] = positionals;
  // `collector` (the name issue 14 uses) is `collector-script`, which keeps working.
  const first = given === 'collector' ? 'collector-script' : given;
  if (values.help || first === undefined || first === 'help') {
    return { command: 'help', ...(first === 'help' ? (rest[0] ? { topic: rest[0] } : {}) : first ? { topic: first } : {}) };
  }
  if (!(COMMANDS as readonly string[]).includes(first)) {
    const close = didYouMean(first, COMMANDS);
    throw new UsageError(`unknown command '${first}'; ${close ? `did you mean ${close}? ` : ''}expected one of: analyze, check, collect, collector-script, rules, explain (see wac-doctor --help)`);
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
    sarifAll: values['sarif-all'] === true,
  };
  switch (command) {
    case 'rules':
      if (rest.length > 0) throw new UsageError(`'rules' takes no arguments (got '${rest[0]}')`);
      return { command, ...common };
    case 'explain':
      if (rest.length !== 1) throw new UsageError(`'explain' takes one rule id (see wac-doctor rules)`);
      return { command, id: rest[0]!, ...common };
    case 'check':
      if (rest.length > 0) throw new UsageError(`'check' takes no arguments (got '${rest[0]}'); it checks this machine`);
      return { command, ...common, ...ruleSelection(values), ...probeArgs(values) };
    case 'collect': {
      if (rest.length > 0) throw new UsageError(`'collect' takes no arguments (got '${rest[0]}')`);
      if (!values.output) throw new UsageError(`'collect' needs --output <snapshot.zip>`);
      const port = parsePortOption(values.port);
      return {
        command, output: values.output, redact: common.redact, color: common.color, ...probeArgs(values), ...(port !== undefined ? { port } : {}),
      };
    }
    case 'collector-script':
      if (rest.length > 0) throw new UsageError(`'collector-script' takes no arguments (got '${rest[0]}')`);
      return { command, ...(values.output !== undefined ? { output: values.output } : {}) };
    case 'analyze':
      if (rest.length === 0) throw new UsageError(`'analyze' needs at least one file, folder or zip (or - for standard input)`);
      return { command, paths: rest, ...common, ...ruleSelection(values) };
  }
}

export const HELP = `wac-doctor: why won't Windows Admin Center in the Azure portal connect to my Arc server?

Usage:
  wac-doctor analyze <path|-> [...]   Analyze azcmagent logs zips, extracted folders, single logs, and pasted
                                      command outputs (azcmagent show/config list/check, reg query, sc query,
                                      Get-Service, az connectedmachine ... JSON, Invoke-RestMethod
                                      https://wac.azure.com, Test-NetConnection, ticket text)
  wac-doctor check                    Check this machine and its network path now
  wac-doctor collect -o <snapshot.zip> Record this machine's outputs and probes (redacted) for analyze elsewhere
  wac-doctor collector-script [-o <file>] The same collection as one PowerShell script, for servers without
                                      Node.js (Windows PowerShell 5.1 or PowerShell 7): writes the snapshot zip
  wac-doctor fleet-query [--kql]      Azure Resource Graph query (KQL) of every Arc machine's WAC readiness facts,
                                      with the az graph query / Search-AzGraph commands that export it page by page
  wac-doctor analyze <fleet pages...> A Resource Graph export (any page shape) is a fleet: one report per machine,
                                      a summary first (ready / not ready / unknown, fixes by machines unblocked)
  wac-doctor fleet-collect <pages|ids> Run Command lines collecting snapshots from the machines not ready/unknown
  wac-doctor rules                    List the checks
  wac-doctor explain <rule-id>        What a check looks at and how to fix it
  wac-doctor --version

Options for analyze and check:
  -f, --format <fmt>      text (default), json, sarif, junit, markdown, csv (one row per machine, for Excel)
  -o, --output <file>     Write the report to <file> instead of standard output
      --only <ids>        Run only these rules (comma-separated, repeatable)
      --skip <ids>        Do not run these rules
  -p, --port <n>          The WAC port (default: extension setting, else SmePort, else 6516)
      --fail-on <level>   fail (default) or warn: the lowest status that makes the exit code 1
  -v, --verbose           List skipped checks and why
      --no-color          No ANSI colours (also NO_COLOR=1); colours are used only on a terminal
      --no-redact         Keep proxy credentials, tokens and SAS signatures in the output
      --sarif-all         SARIF: also passed and skipped checks (default: only fail, warn and error results)

Options for check and collect:
  -t, --timeout <time>    Time budget: every probe and command ends by start + timeout (default 5s; 2.5s, 800ms)
      --resolve <h:p:a>   Connect to address a for host h, port p (as curl; DNS is still asked; repeatable)
      --connect-to <h:p:a:p2> Connect to a:p2 instead of h:p (as curl; repeatable)
      --dns-server <a[:p]> Ask this DNS server instead of the system's (repeatable)
      --region <name>     Azure region for regional endpoints (default: azcmagent show's location)
      --ca-file <pem>     Trust these CA certificates instead of the public roots (TLS inspection tests)

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error or no usable input.
`;
