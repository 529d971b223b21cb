/**
 * npm run bench: performance figures as ratios against baselines measured in the same run.
 * - CLI cold start: `wac-doctor rules` and `--version` vs `node -e 0` (target <= 1.5x), and the tsc build's `rules` for comparison.
 * - analyze of the shipped sample vs `node -e 0`.
 * - bundles (bench/bundle.ts): analysis vs `unzip -p`, peak RSS, scaling, batch speed-up.
 * - live checks (bench/live.ts): wall time vs the timeout with blackholed endpoints, vs sequential probes.
 * - fleets (bench/fleet.ts): 10k and 100k-machine Resource Graph exports: time per 10k machines, peak RSS, growth.
 * - the Node floor (bench/floor.ts) stage by stage, both readers, vs `unzip -p` on the 1x bench bundles.
 * `npm run bench -- cli|bundle|floor|live|fleet|extension` runs one part.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads each bench only when it is selected, and extension.ts is optional */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'wac-doctor.js');

function timeRun(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Interleaves the runs so machine noise hits both sides alike. */
function compare(label: string, baseline: string[], subject: string[], runs = 21): { base: number; subj: number; ratio: number } {
  timeRun(baseline);
  timeRun(subject); // warm the file cache
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(timeRun(baseline));
    b.push(timeRun(subject));
  }
  const base = median(a);
  const subj = median(b);
  const ratio = subj / base;
  process.stdout.write(`${label.padEnd(44)} ${subj.toFixed(1).padStart(7)} ms  vs baseline ${base.toFixed(1).padStart(6)} ms  ratio ${ratio.toFixed(2)}\n`);
  return { base, subj, ratio };
}

const sampleDir = join(ROOT, 'fixtures', 'samples', 'failed-to-connect');
const sample = readdirSync(sampleDir).map((f) => join(sampleDir, f));

/** The tsc build run directly (what bin/wac-doctor.js runs when the bundle is missing or stale): the bundle's baseline. */
const TSC_CLI = (args: string[]): string[] => ['-e', `require(${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, '--', ...args];

function runCliBench(): void {
  process.stdout.write(`== CLI (node ${process.version}, 21 runs each, medians; bin/wac-doctor.js runs the bundle dist/cli/wac-doctor.js with its V8 code cache)\n`);
  process.stdout.write(`  load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const cold = compare('cold start: wac-doctor rules', ['-e', '0'], [BIN, 'rules']);
  compare('cold start: wac-doctor --version', ['-e', '0'], [BIN, '--version']);
  compare('  the same rules from the tsc build (no bundle)', ['-e', '0'], TSC_CLI(['rules']));
  compare('analyze sample (' + sample.length + ' files, text)', ['-e', '0'], [BIN, 'analyze', ...sample]);
  compare('analyze sample (json)', ['-e', '0'], [BIN, 'analyze', '--format', 'json', ...sample]);
  process.stdout.write(`cold-start target <= 1.5x (issue 13): ${cold.ratio <= 1.5 ? 'met' : 'NOT met'}\n`);
}

/** Wall time of one command (any executable), failing on a non-zero exit. */
function timeCommand(command: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * The floor's stages (bench/floor.ts) on the 1x bench bundles, each as its own process, interleaved run by run with
 * `unzip -p > /dev/null`: where a Node tool's time must go before any analysis, and what yauzl's reader adds.
 */
async function runFloorBench(): Promise<void> {
  if (spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status !== 0) {
    process.stdout.write('floor bench skipped: unzip is not installed (apt-get install unzip)\n');
    return;
  }
  const { writeBigBundle } = require('./generate') as typeof import('./generate');
  const runs = Math.max(1, Number(process.env.WAC_BENCH_RUNS) || 5);
  const floor = join(__dirname, 'floor.js');
  const lines: Array<[string, string[]]> = [
    ['direct inflate', ['--stage', 'inflate']], ['direct + decode', ['--stage', 'decode']], ['direct + scan (the floor)', []],
    ['yauzl inflate', ['--reader', 'yauzl', '--stage', 'inflate']], ['yauzl + decode', ['--reader', 'yauzl', '--stage', 'decode']], ['yauzl + scan', ['--reader', 'yauzl']],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-bench-floor-'));
  try {
    process.stdout.write(`floor stages, each in its own process (node ${process.version}), medians of ${runs}, interleaved with unzip -p; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    for (const mix of ['typical', 'noisy'] as const) {
      const zip = join(dir, `${mix}.zip`);
      await writeBigBundle(zip, 210 * 1024 * 1024, 50, 1, mix);
      const unzip: number[] = [];
      const stages = lines.map(() => [] as number[]);
      timeCommand('unzip', ['-p', zip]); // warms the page cache
      for (let i = 0; i < runs; i++) {
        unzip.push(timeCommand('unzip', ['-p', zip]));
        lines.forEach(([, args], j) => stages[j]!.push(timeCommand(process.execPath, [floor, zip, ...args])));
      }
      const base = median(unzip);
      process.stdout.write(`  ${mix} 1x (${(statSync(zip).size / 1048576).toFixed(0)} MB zip): unzip -p ${base.toFixed(0)} ms\n`);
      lines.forEach(([label], j) => {
        const ms = median(stages[j]!);
        process.stdout.write(`    ${label.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / base).toFixed(2)}x unzip -p\n`);
      });
      rmSync(zip, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'cli') runCliBench();
  if (!only || only === 'bundle') {
    process.stdout.write('== Bundles\n');
    await (require('./bundle') as typeof import('./bundle')).runBundleBench();
  }
  if (only === 'stages') {
    process.stdout.write('== Log pipeline stages\n');
    await (require('./stages') as typeof import('./stages')).runStagesBench();
  }
  if (!only || only === 'floor') {
    process.stdout.write('== Node floor (bench/floor.ts)\n');
    await runFloorBench();
  }
  if (!only || only === 'fleet') {
    process.stdout.write('== Fleets (Resource Graph exports)\n');
    await (require('./fleet') as typeof import('./fleet')).runFleetBench();
  }
  if (!only || only === 'live') {
    process.stdout.write('== Live checks\n');
    await (require('./live') as typeof import('./live')).runLiveBench();
  }
  if (only === 'extension' || (!only && existsSync(join(ROOT, 'bench', 'extension.ts')))) {
    process.stdout.write('== VS Code extension\n');
    await (require('./extension') as { runExtensionBench(): Promise<unknown> }).runExtensionBench();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
