/**
 * npm run bench: performance figures as ratios against baselines measured in the same run.
 * - CLI cold start: `wac-doctor rules` vs `node -e 0` (target <= 3x).
 * - analyze of the shipped sample vs `node -e 0`.
 * - bundles (bench/bundle.ts): analysis vs `unzip -p`, peak RSS, scaling, batch speed-up.
 * - live checks (bench/live.ts): wall time vs the timeout with blackholed endpoints, vs sequential probes.
 * - fleets (bench/fleet.ts): 10k and 100k-machine Resource Graph exports: time per 10k machines, peak RSS, growth.
 * `npm run bench -- cli|bundle|live|fleet` runs one part.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads each bench only when it is selected, and extension.ts is optional */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';

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

function runCliBench(): void {
  process.stdout.write(`== CLI (node ${process.version}, 21 runs each, medians)\n`);
  const cold = compare('cold start: wac-doctor rules', ['-e', '0'], [BIN, 'rules']);
  compare('analyze sample (' + sample.length + ' files, text)', ['-e', '0'], [BIN, 'analyze', ...sample]);
  compare('analyze sample (json)', ['-e', '0'], [BIN, 'analyze', '--format', 'json', ...sample]);
  process.stdout.write(`cold-start target <= 3x: ${cold.ratio <= 3 ? 'met' : 'NOT met'}\n`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'cli') runCliBench();
  if (!only || only === 'bundle') {
    process.stdout.write('== Bundles\n');
    await (require('./bundle') as typeof import('./bundle')).runBundleBench();
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
