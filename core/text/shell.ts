/**
 * Command lines built from argument arrays and quoted for the shell that runs them.
 *
 * - PowerShell (`powershell`, and `azcli`: the az commands WAC Doctor proposes are for Windows targets and are run
 *   from PowerShell, Windows PowerShell 5.1 or pwsh): every value is a single-quoted string. Inside one, PowerShell
 *   treats ' and the unicode quotes ‘ ’ ‚ ‛ alike (any of them ends the string), so each of them is doubled; nothing
 *   else is special there ($, `, (, ;, " are literal).
 * - bash: every value is a POSIX single-quoted string, ' written as '\''.
 *
 * Literal words (command names, flags, constants written in code) stay bare, and must be made of characters that no
 * shell gives a meaning to (checked here, so a careless constant fails loudly in tests rather than in a terminal).
 * Values never reach this module unvalidated: the fix catalog validates each one and passes a placeholder instead.
 */
import type { FixCommand, Shell } from '../model/types';

/** A part of a command line: a literal word, a value to quote, a placeholder, or trusted shell syntax written in code. */
export type Word = string | { value: string } | { placeholder: string } | { raw: string };

/** An argument vector per statement; statements run one after the other. */
export interface CommandSpec {
  shell: Shell;
  statements: Word[][];
  /** How statements are joined: `;` (PowerShell 5.1 has no `&&`) or `&&` (bash, stop on failure). */
  join?: ';' | '&&';
}

export const value = (v: string): Word => ({ value: v });
export const placeholder = (name: string): Word => ({ placeholder: name });
/** Shell syntax written in code, e.g. an expandable "$env:SystemDrive\..." path. Never built from input. */
export const raw = (text: string): Word => ({ raw: text });

/** Placeholder names: `<resource-group>`, `<http://proxy-host:port>` (what the extension looks for). */
const PLACEHOLDER_NAME = /^<[A-Za-z][\w:/.-]*>$/;

/** Characters a bare word may hold. PowerShell: no `,` (array), `@` (splat), `$`, quotes, brackets, `;|&<>#`. */
const BARE: Record<'powershell' | 'bash', RegExp> = {
  powershell: /^[A-Za-z0-9_./:\\=*+-]+$/,
  bash: /^[A-Za-z0-9_./:=+,@%-]+$/,
};

/** C0/C1 controls, DEL and the unicode line separators: refused in any value (a newline would end the command). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export class ShellWordError extends Error {}

const family = (shell: Shell): 'powershell' | 'bash' => (shell === 'bash' ? 'bash' : 'powershell');

/** PowerShell single-quoted string: ' ‘ ’ ‚ ‛ doubled. */
export function quotePowerShell(s: string): string {
  if (CONTROL.test(s)) throw new ShellWordError('control character in a value');
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** POSIX single-quoted string: ' -> '\''. */
export function quotePosix(s: string): string {
  if (CONTROL.test(s)) throw new ShellWordError('control character in a value');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function quoteFor(shell: Shell, s: string): string {
  return family(shell) === 'bash' ? quotePosix(s) : quotePowerShell(s);
}

function renderWord(shell: Shell, w: Word): string {
  if (typeof w === 'string') {
    if (!BARE[family(shell)].test(w)) throw new ShellWordError(`not a bare ${shell} word: ${JSON.stringify(w)}`);
    return w;
  }
  if ('value' in w) return quoteFor(shell, w.value);
  if ('placeholder' in w) {
    if (!PLACEHOLDER_NAME.test(w.placeholder)) throw new ShellWordError(`not a placeholder: ${JSON.stringify(w.placeholder)}`);
    return quoteFor(shell, w.placeholder);
  }
  return w.raw;
}

/** What the program receives for a word (raw syntax: its source text). */
function argOf(w: Word): string {
  if (typeof w === 'string') return w;
  if ('value' in w) return w.value;
  if ('placeholder' in w) return w.placeholder;
  return w.raw;
}

/** The argument vectors each rendered command was built from (kept beside it, not in reports: see argvOf). */
const ARGV = new WeakMap<FixCommand, string[][]>();

/** What the shell hands the program(s) for a command the catalog built: one vector per statement. */
export function argvOf(command: FixCommand): string[][] | undefined {
  return ARGV.get(command);
}

export function render(spec: CommandSpec): FixCommand {
  const sep = spec.join === '&&' ? ' && ' : '; ';
  const command: FixCommand = {
    shell: spec.shell,
    command: spec.statements.map((words) => words.map((w) => renderWord(spec.shell, w)).join(' ')).join(sep),
  };
  ARGV.set(command, spec.statements.map((words) => words.map(argOf)));
  return command;
}
