/**
 * Reports before and after a performance change, compared: renders `wac-doctor analyze --format json` for every
 * fixture input with two builds of the tool (this checkout's and another's, each with its dist/ built) and says
 * which differ. `generatedAt` is left out (it is the clock); nothing else is. Inputs: fixtures/bundles, the test
 * bundles (scripts/make-bundles), pasted outputs, samples, the live folders, fixtures/real-world and
 * ../shared/corpus samples, and small typical and noisy bench bundles (bench/generate.ts).
 *
 *   node dist/bench/report-diff.js <other checkout>   # e.g. a worktree of main
 * Exit 0 when every report is identical, 1 otherwise (the differing inputs are listed, with the first line that differs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBigBundle } from './generate';

const ROOT = join(__dirname, '..', ...(__filename.endsWith('.ts') ? [] : ['..']));
const MB = 1024 * 1024;

function list(dir: string, keep: (name: string) => boolean = () => true): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter(keep).sort().map((f) => join(dir, f));
}

/** Each input is one `analyze` run: one file, one folder, or a set of files analyzed together. */
async function inputs(scratch: string): Promise<string[][]> {
  const runs: string[][] = [];
  for (const p of list(join(ROOT, 'fixtures', 'bundles'), (f) => f.endsWith('.zip'))) runs.push([p]);
  for (const p of list(join(ROOT, 'fixtures', 'pasted'))) runs.push([p]);
  for (const d of list(join(ROOT, 'fixtures', 'samples'))) {
    runs.push(list(d));
    for (const f of list(d)) runs.push([f]);
  }
  for (const d of list(join(ROOT, 'fixtures', 'live'), (f) => statSync(join(ROOT, 'fixtures', 'live', f)).isDirectory())) runs.push([d]);
  for (const p of list(join(ROOT, 'fixtures', 'real-world', 'samples'))) runs.push([p]);
  for (const p of list(join(ROOT, '..', 'shared', 'corpus', 'samples'))) runs.push([p]);
  const made = join(ROOT, 'scripts', 'make-bundles.ts');
  if (existsSync(made)) {
    // The test bundles, from the generator the tests use (run through tsx: it is not part of dist/).
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', `
      const { allBundles } = require(${JSON.stringify(made)});
      const { writeFileSync } = require('node:fs');
      allBundles().then((all) => { for (const [n, b] of Object.entries(all)) writeFileSync(require('node:path').join(${JSON.stringify(scratch)}, n), b); });`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('scripts/make-bundles failed');
    for (const p of list(scratch, (f) => f.endsWith('.zip'))) runs.push([p]);
  }
  for (const mix of ['typical', 'noisy'] as const) {
    const p = join(scratch, `bench-${mix}.zip`);
    await writeBigBundle(p, 24 * MB, 12, 7, mix);
    runs.push([p]);
  }
  const batch = list(scratch, (f) => f.startsWith('bench-'));
  runs.push(batch);
  return runs;
}

function render(checkout: string, args: string[]): string {
  const r = spawnSync(process.execPath, [join(checkout, 'bin', 'wac-doctor.js'), 'analyze', '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 256 * MB });
  const out = r.stdout.replace(/^ +"generatedAt": "[^"]*",\n/gm, '');
  return `exit ${r.status}\n${out}\n--- stderr\n${r.stderr}`;
}

function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n    - ${(x[i] ?? '').slice(0, 300)}\n    + ${(y[i] ?? '').slice(0, 300)}`;
  }
  return '';
}

async function main(): Promise<void> {
  const other = process.argv[2];
  if (!other || !existsSync(join(other, 'dist'))) {
    process.stderr.write('usage: node dist/bench/report-diff.js <other checkout with dist/ built>\n');
    process.exitCode = 2;
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'wac-doctor-report-diff-'));
  try {
    const runs = await inputs(scratch);
    let differ = 0;
    for (const args of runs) {
      const before = render(other, args);
      const after = render(ROOT, args);
      const label = args.map((a) => a.replace(`${ROOT}/`, '').replace(`${scratch}/`, '')).join(' ');
      if (before === after) continue;
      differ++;
      process.stdout.write(`DIFFERS: ${label}\n  ${firstDifference(before, after)}\n`);
    }
    process.stdout.write(`${runs.length} inputs rendered with both builds: ${runs.length - differ} identical, ${differ} differ\n`);
    if (differ > 0) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`report-diff failed: ${err.message}\n`);
  process.exitCode = 2;
});
