/**
 * Test-side tokenizers for the subset of PowerShell and bash that fix commands may use, plus cross-checks with the
 * real shells: bash (always on the test machine) and pwsh (when on PATH). Deliberately strict: anything outside the
 * subset (a bare `(`, `$`, `,`, a quote glued to a word...) throws, so a quoting mistake cannot pass as "some token".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class TokenizeError extends Error {}

/** PowerShell treats these as single quotes (and any of them closes a string any of them opened). */
const PS_SINGLE = new Set(['\'', '\u2018', '\u2019', '\u201a', '\u201b']);
/** ... and these as double quotes. */
const PS_DOUBLE = new Set(['"', '\u201c', '\u201d', '\u201e']);
/** Bare words this tokenizer accepts in PowerShell: nothing PowerShell reads as syntax in argument mode. */
const PS_BARE = /^[A-Za-z0-9_./:\\=*+-]+$/;
const BASH_BARE = /^[A-Za-z0-9_./:=+,@%-]+$/;

export interface Statement {
  argv: string[];
  /** The statement's source text (without the operator that ends it). */
  source: string;
}

/** PowerShell: statements separated by `;`, `&&` or `|`; words are bare, '...' (quotes doubled) or "..." (kept raw). */
export function tokenizePowerShell(line: string): Statement[] {
  const out: Statement[] = [];
  let argv: string[] = [];
  let start = 0;
  let i = 0;
  const end = (at: number, skip: number): void => {
    if (argv.length === 0) throw new TokenizeError(`empty statement at ${at}`);
    out.push({ argv, source: line.slice(start, at).trim() });
    argv = [];
    i = at + skip;
    start = i;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === ';' || c === '|') { end(i, 1); continue; }
    if (line.startsWith('&&', i)) { end(i, 2); continue; }
    let j: number;
    if (PS_SINGLE.has(c)) {
      let buf = '';
      j = i + 1;
      for (;;) {
        if (j >= line.length) throw new TokenizeError(`unterminated single-quoted string at ${i}`);
        const ch = line[j]!;
        if (PS_SINGLE.has(ch)) {
          if (j + 1 < line.length && PS_SINGLE.has(line[j + 1]!)) { buf += line[j + 1]!; j += 2; continue; }
          j++;
          break;
        }
        buf += ch;
        j++;
      }
      argv.push(buf);
    } else if (PS_DOUBLE.has(c)) {
      j = i + 1;
      while (j < line.length && !PS_DOUBLE.has(line[j]!)) {
        if (line[j] === '`') throw new TokenizeError('escape in a double-quoted string');
        j++;
      }
      if (j >= line.length) throw new TokenizeError(`unterminated double-quoted string at ${i}`);
      j++;
      argv.push(line.slice(i, j));
    } else {
      j = i;
      while (j < line.length && !' \t;|&'.includes(line[j]!)) j++;
      const word = line.slice(i, j);
      if (!PS_BARE.test(word) || PS_SINGLE.has(word[0]!) || word.startsWith('@')) throw new TokenizeError(`not a plain bare word: ${JSON.stringify(word)}`);
      argv.push(word);
    }
    if (j < line.length && !' \t;|&'.includes(line[j]!)) throw new TokenizeError(`token glued to ${JSON.stringify(line[j])} at ${j}`);
    i = j;
  }
  if (argv.length) out.push({ argv, source: line.slice(start).trim() });
  return out;
}

/** bash: statements separated by `;`, `&&` or `|`; words made of bare runs, '...' and \' (so '\'' works). */
export function tokenizeBash(line: string): Statement[] {
  const out: Statement[] = [];
  let argv: string[] = [];
  let start = 0;
  let i = 0;
  const end = (at: number, skip: number): void => {
    if (argv.length === 0) throw new TokenizeError(`empty statement at ${at}`);
    out.push({ argv, source: line.slice(start, at).trim() });
    argv = [];
    i = at + skip;
    start = i;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === ';' || (c === '|' && line[i + 1] !== '|')) { end(i, 1); continue; }
    if (line.startsWith('&&', i)) { end(i, 2); continue; }
    let word = '';
    while (i < line.length && !' \t;|&'.includes(line[i]!)) {
      const ch = line[i]!;
      if (ch === '\'') {
        const close = line.indexOf('\'', i + 1);
        if (close < 0) throw new TokenizeError(`unterminated single-quoted string at ${i}`);
        word += line.slice(i + 1, close);
        i = close + 1;
      } else if (ch === '\\') {
        if (line[i + 1] !== '\'') throw new TokenizeError(`backslash escape other than \\' at ${i}`);
        word += '\'';
        i += 2;
      } else {
        let j = i;
        while (j < line.length && !' \t;|&\'\\'.includes(line[j]!)) j++;
        const run = line.slice(i, j);
        if (!BASH_BARE.test(run)) throw new TokenizeError(`not a plain bare run: ${JSON.stringify(run)}`);
        word += run;
        i = j;
      }
    }
    argv.push(word);
  }
  if (argv.length) out.push({ argv, source: line.slice(start).trim() });
  return out;
}

/**
 * Each source through real bash as `eval "set -- <source>"`: sets the positional parameters from the words, runs no
 * command (a broken quote would run a `$(...)` in it, which the callers' marker files catch). Returns the argv, or
 * undefined where bash refused the text.
 */
export function bashArgv(sources: readonly string[]): Array<string[] | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-bash-'));
  try {
    const file = join(dir, 'in');
    writeFileSync(file, sources.map((s) => `${s}\0`).join(''));
    const script = 'while IFS= read -r -d "" s; do if eval "set -- $s" 2>/dev/null; then printf "%s\\0" "$#" "$@"; else printf "ERR\\0"; fi; done < "$1"';
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
    const parts = r.stdout.split('\0');
    const out: Array<string[] | undefined> = [];
    let k = 0;
    for (let n = 0; n < sources.length; n++) {
      const head = parts[k++];
      if (head === 'ERR') { out.push(undefined); continue; }
      const count = Number(head);
      out.push(parts.slice(k, k + count));
      k += count;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hasPwsh(): boolean {
  const r = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.Major'], { encoding: 'utf8', timeout: 60000 });
  return r.status === 0;
}

/** PowerShell's own parser on each line: per statement, the command elements as the command receives them. */
const PARSE_SCRIPT = `
param($inFile, $outFile)
$lines = Get-Content -Raw -LiteralPath $inFile | ConvertFrom-Json
$result = foreach ($line in $lines) {
  $tokens = $null; $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($line, [ref]$tokens, [ref]$errors)
  $statements = @(foreach ($st in $ast.EndBlock.Statements) {
    if ($st -isnot [System.Management.Automation.Language.PipelineAst] -or $st.PipelineElements.Count -ne 1) { ,@('!!statement:' + $st.Extent.Text); continue }
    $c = $st.PipelineElements[0]
    if ($c -isnot [System.Management.Automation.Language.CommandAst]) { ,@('!!element:' + $c.Extent.Text); continue }
    ,@(foreach ($e in $c.CommandElements) {
      if ($e -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $e.Value }
      elseif ($e -is [System.Management.Automation.Language.ConstantExpressionAst] -or $e -is [System.Management.Automation.Language.CommandParameterAst] -or $e -is [System.Management.Automation.Language.ExpandableStringExpressionAst]) { $e.Extent.Text }
      else { '!!' + $e.GetType().Name + ':' + $e.Extent.Text }
    })
  })
  [pscustomobject]@{ errors = $errors.Count; statements = $statements }
}
ConvertTo-Json -InputObject @($result) -Depth 6 -Compress | Set-Content -LiteralPath $outFile -Encoding utf8
`;

export interface PwshParse { errors: number; statements: string[][] }

export function pwshArgv(lines: readonly string[]): PwshParse[] {
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-pwsh-'));
  try {
    const script = join(dir, 'parse.ps1');
    const input = join(dir, 'in.json');
    const output = join(dir, 'out.json');
    writeFileSync(script, PARSE_SCRIPT);
    writeFileSync(input, JSON.stringify(lines));
    const r = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-File', script, input, output], { encoding: 'utf8', timeout: 120000 });
    if (r.status !== 0) throw new Error(`pwsh failed: ${r.stderr}`);
    const parsed = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as Array<{ errors: number; statements: unknown }>;
    // ConvertTo-Json flattens one-element arrays; put the nesting back.
    const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : x === null || x === undefined ? [] : [x]);
    return parsed.map((p) => {
      const st = arr(p.statements);
      const nested = st.length > 0 && st.every((s) => !Array.isArray(s)) ? [st] : st.map(arr);
      return { errors: p.errors, statements: nested.map((s) => s.map(String)) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
