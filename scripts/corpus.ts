/**
 * Scores WAC Doctor on a folder of real samples: `npm run corpus -- <dir>` (default ../shared/corpus).
 * The folder holds `cases.json` ({ cases: [{ file, fail?, notFail?, noCrash?, scored? }] }) and `samples/`.
 * Each case runs the real CLI (`analyze <file> --format json`) in a child process, as a user would:
 * - `fail`: at least one of these rules is fail or warn (the expected problem was found);
 * - `notFail`: none of these rules is fail (no false alarm);
 * - a crash is an exit code other than 0/1, or 2 without a one-line message, or output that is not JSON.
 * Prints one line per case and the totals; exits 1 when a scored case is wrong or any sample crashes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

interface Case {
  file: string;
  fail?: string[];
  notFail?: string[];
  noCrash?: boolean;
  scored?: boolean;
}

interface Finding { ruleId: string; status: string }
interface Report { results: Finding[] }

export interface CaseScore {
  file: string;
  scored: boolean;
  crashed: boolean;
  /** The expected problem was found (undefined when the case expects none). */
  found?: boolean;
  /** Rules that failed although the case says they must not. */
  falseAlarms: string[];
  right: boolean;
  detail: string;
}

// From dist/scripts (npm run corpus) or from the source tree (the test runs it through tsx).
const ROOT = basename(resolve(__dirname, '..')) === 'dist' ? resolve(__dirname, '..', '..') : resolve(__dirname, '..');
const CLI = join(ROOT, 'bin', 'wac-doctor.js');

function runCli(path: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'analyze', path, '--format', 'json'], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function reportsOf(stdout: string): Report[] | undefined {
  try {
    const parsed = JSON.parse(stdout) as Report | { reports: Report[] };
    return 'reports' in parsed ? parsed.reports : [parsed];
  } catch {
    return undefined;
  }
}

export function scoreCase(c: Case, dir: string): CaseScore {
  const scored = c.scored !== false;
  const run = runCli(join(dir, 'samples', c.file));
  const reports = run.code === 0 || run.code === 1 ? reportsOf(run.stdout) : undefined;
  const cleanRefusal = run.code === 2 && run.stderr.trim().split('\n').length === 1 && !/\n\s+at /.test(run.stderr);
  const crashed = !(reports || cleanRefusal);
  const statuses = new Map<string, string>();
  for (const r of reports ?? []) for (const f of r.results) {
    const prev = statuses.get(f.ruleId);
    if (!prev || prev === 'skip' || prev === 'pass') statuses.set(f.ruleId, f.status);
  }
  const found = c.fail?.length ? c.fail.some((id) => ['fail', 'warn'].includes(statuses.get(id) ?? '')) : undefined;
  const falseAlarms = (c.notFail ?? []).filter((id) => statuses.get(id) === 'fail');
  // A refusal (exit 2) cannot show an expected problem, and counts as a crash when a report was expected.
  const right = !crashed && found !== false && falseAlarms.length === 0 && !(c.noCrash && !reports);
  const problems = [...statuses].filter(([, s]) => s === 'fail' || s === 'warn').map(([id, s]) => `${id}:${s}`);
  const detail = crashed
    ? `crash (exit ${run.code}): ${run.stderr.trim().split('\n')[0]?.slice(0, 160) ?? ''}`
    : reports ? (problems.length ? problems.join(' ') : 'no problems') : `refused: ${run.stderr.trim().slice(0, 160)}`;
  return { file: c.file, scored, crashed, ...(found !== undefined ? { found } : {}), falseAlarms, right, detail };
}

function main(): number {
  const dir = resolve(process.argv[2] ?? join(ROOT, '..', 'shared', 'corpus'));
  const casesPath = join(dir, 'cases.json');
  if (!existsSync(casesPath)) {
    process.stderr.write(`corpus: ${casesPath}: no such file; expected a folder with cases.json and samples/\n`);
    return 2;
  }
  const { cases } = JSON.parse(readFileSync(casesPath, 'utf8')) as { cases: Case[] };
  const scores = cases.map((c) => scoreCase(c, dir));
  for (const s of scores) {
    const mark = s.crashed ? 'CRASH' : !s.scored ? '  -  ' : s.right ? ' ok  ' : 'WRONG';
    const why = [s.found === false ? 'expected problem not found' : '', s.falseAlarms.length ? `false alarm: ${s.falseAlarms.join(', ')}` : ''].filter(Boolean).join('; ');
    process.stdout.write(`${mark} ${s.file}${why ? `  [${why}]` : ''}\n        ${s.detail}\n`);
  }
  const scored = scores.filter((s) => s.scored);
  const expected = scored.filter((s) => s.found !== undefined);
  const negatives = scored.filter((s) => s.found === undefined);
  const crashes = scores.filter((s) => s.crashed).length;
  process.stdout.write([
    '',
    `cases right: ${scored.filter((s) => s.right).length}/${scored.length} scored`,
    `expected problems found: ${expected.filter((s) => s.found).length}/${expected.length}`,
    `negative controls without a false alarm: ${negatives.filter((s) => s.falseAlarms.length === 0).length}/${negatives.length}`,
    `false alarms: ${scored.reduce((n, s) => n + s.falseAlarms.length, 0)}`,
    `crashes: ${crashes} of ${scores.length} samples`,
    '',
  ].join('\n'));
  return scored.every((s) => s.right) && crashes === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main();
