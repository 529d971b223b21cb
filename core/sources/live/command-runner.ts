/**
 * Runs the machine's commands (azcmagent, powershell.exe, reg.exe, sc.exe, systemctl) with execFile and fixed
 * argument arrays: no shell, nothing from any input interpolated. The recorded runner replays saved outputs
 * (fixtures/live) so Windows collectors are tested on any machine through the same parsers.
 */
import { execFile } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { decodeText, InputError } from '../../text/text-input';

export interface CommandResult {
  /** Exit code; null when the process could not start or was killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The program is not installed (ENOENT). */
  notFound?: boolean;
  /** Killed at the deadline. */
  timedOut?: boolean;
  /** Start failure or kill reason. */
  error?: string;
  durationMs: number;
}

export interface CommandRunner {
  run(file: string, args: readonly string[], options: { timeoutMs: number }): Promise<CommandResult>;
}

/** `azcmagent show -j` as the user would type it (for evidence paths and notes). */
export function commandLine(file: string, args: readonly string[]): string {
  const base = file.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '');
  return [base, ...args.map((a) => (a.length >= 60 ? '<script>' : /[\s"]/.test(a) ? `"${a}"` : a))].join(' ');
}

const MAX_OUTPUT = 8 * 1024 * 1024;

function decode(buf: Buffer, name: string): string {
  if (buf.length === 0) return '';
  try {
    return decodeText(buf, name);
  } catch (err) {
    if (err instanceof InputError) return '';
    throw err;
  }
}

export class ExecFileRunner implements CommandRunner {
  /** `env`: the commands' environment (default: this process's). */
  constructor(private readonly env?: NodeJS.ProcessEnv) {}

  run(file: string, args: readonly string[], options: { timeoutMs: number }): Promise<CommandResult> {
    const started = Date.now();
    return new Promise((resolve) => {
      if (options.timeoutMs <= 0) {
        resolve({ exitCode: null, stdout: '', stderr: '', timedOut: true, error: 'no time left', durationMs: 0 });
        return;
      }
      execFile(
        file, [...args],
        { timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, windowsHide: true, encoding: 'buffer', shell: false, ...(this.env ? { env: this.env } : {}) },
        (err, stdout, stderr) => {
          const durationMs = Date.now() - started;
          const out = decode(stdout, file);
          const errText = decode(stderr, file);
          if (!err) {
            resolve({ exitCode: 0, stdout: out, stderr: errText, durationMs });
            return;
          }
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
          if (e.code === 'ENOENT') {
            resolve({ exitCode: null, stdout: '', stderr: '', notFound: true, error: `${file} not found`, durationMs });
          } else if (e.killed) {
            resolve({ exitCode: null, stdout: out, stderr: errText, timedOut: true, error: `killed after ${durationMs} ms (timeout)`, durationMs });
          } else if (typeof e.code === 'number') {
            resolve({ exitCode: e.code, stdout: out, stderr: errText, durationMs });
          } else {
            resolve({ exitCode: null, stdout: out, stderr: errText, error: e.message, durationMs });
          }
        },
      );
    });
  }
}

/** One recorded command, keyed by its command line as commandLine() prints it (`azcmagent show -j`). */
export interface RecordedCommand {
  command: string;
  exitCode: number | null;
  /** Files (relative to the fixture folder) holding the outputs, or inline text. */
  stdoutFile?: string;
  stderrFile?: string;
  stdout?: string;
  stderr?: string;
  notFound?: boolean;
  timedOut?: boolean;
}

/**
 * Replays recorded outputs. A command that was not recorded is "not found", as on a machine without it;
 * every call is logged so tests can assert what was run.
 */
export class RecordedRunner implements CommandRunner {
  readonly calls: string[] = [];

  constructor(private readonly commands: readonly RecordedCommand[], private readonly dir = '.') {}

  /** Loads `<dir>/commands.json` (an array of RecordedCommand). */
  static fromDir(dir: string): RecordedRunner {
    const list = JSON.parse(readFileSync(join(dir, 'commands.json'), 'utf8')) as RecordedCommand[];
    return new RecordedRunner(list, dir);
  }

  private text(file: string | undefined, inline: string | undefined): string {
    if (inline !== undefined) return inline;
    if (!file) return '';
    const path = join(this.dir, file);
    return existsSync(path) ? decode(readFileSync(path), path) : '';
  }

  run(file: string, args: readonly string[]): Promise<CommandResult> {
    const command = commandLine(file, args);
    this.calls.push(command);
    const hit = this.commands.find((c) => c.command === command);
    if (!hit || hit.notFound) return Promise.resolve({ exitCode: null, stdout: '', stderr: '', notFound: true, error: `${file} not found`, durationMs: 0 });
    if (hit.timedOut) return Promise.resolve({ exitCode: null, stdout: '', stderr: '', timedOut: true, error: 'killed (timeout)', durationMs: 0 });
    return Promise.resolve({ exitCode: hit.exitCode, stdout: this.text(hit.stdoutFile, hit.stdout), stderr: this.text(hit.stderrFile, hit.stderr), durationMs: 0 });
  }
}
