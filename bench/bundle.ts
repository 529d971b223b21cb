/**
 * Bundle analysis benchmark (wired into `npm run bench` by bench/run.ts): figures as ratios to baselines
 * measured in the same run, on the same files.
 * - A realistic >= 200 MB (uncompressed) bundle of >= 50 log files: analysis wall time vs `unzip -p > /dev/null`
 *   (or, without unzip, a Node zlib inflate-only pass), and the analysis process's peak RSS; at 1x also the CLI as users
 *   run it (`wac-doctor analyze`: its esbuild bundle through the code cache, the report written), which the child
 *   process loading the tsc build's modules does not show.
 * - The same at 2x size: time growth and peak RSS.
 * - 8 bundles on the worker pool vs one at a time, twice: inside one process (warm, the strictest baseline), and
 *   as a user would run them: 8 `wac-doctor analyze <one.zip>` runs vs one `wac-doctor analyze <8 zips>`.
 * Analyses run in child processes so their peak RSS (process.resourceUsage().maxRSS) is theirs alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yauzl from 'yauzl';
import { writeBigBundle, type Mix } from './generate';
import { POOL_MIN_BYTES } from '../core/sources/bundle/pool';

export { writeBigBundle } from './generate';

const MB = 1024 * 1024;
/** Runs per figure (WAC_BENCH_RUNS lowers it on a busy machine; the figures then say so). */
const RUNS = Math.max(1, Number(process.env.WAC_BENCH_RUNS) || 5);
const FEW = Math.min(3, RUNS);
const FROM_SOURCE = __filename.endsWith('.ts');
const BUNDLE_MODULE = join(__dirname, '..', 'core', 'sources', 'bundle', FROM_SOURCE ? 'index.ts' : 'index.js');
const RULES_MODULE = join(__dirname, '..', 'rules', FROM_SOURCE ? 'index.ts' : 'index.js');
/** The CLI as installed (it runs the compiled dist/, so `npm run bench` builds first). */
const BIN = join(__dirname, '..', FROM_SOURCE ? '' : '..', 'bin', 'wac-doctor.js');

/** Sum of uncompressed sizes, as the zip declares them. */
function uncompressedSize(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`));
      let total = 0;
      zip.on('entry', (e: yauzl.Entry) => { total += e.uncompressedSize; zip.readEntry(); });
      zip.on('end', () => { zip.close(); resolve(total); });
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

// ---- measurements ----

interface ChildResult { wallMs: number; analysisMs: number; maxRssMb: number; summary: string; cores: number }

function runChild(code: string): ChildResult {
  const args = [...(FROM_SOURCE ? ['--require', 'tsx/cjs'] : []), '-e', code];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * MB });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`analysis child failed (${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { analysisMs: number; maxRssKb: number; summary: string; cpuMs: number };
  return { wallMs, analysisMs: out.analysisMs, maxRssMb: out.maxRssKb / 1024, summary: out.summary, cores: out.cpuMs / out.analysisMs };
}

function analyzeOne(path: string, logWorkers: 'on' | 'off' = 'off'): ChildResult {
  return runChild(`
    const { analyzeBundle } = require(${JSON.stringify(BUNDLE_MODULE)});
    const { RULES } = require(${JSON.stringify(RULES_MODULE)});
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    analyzeBundle(${JSON.stringify(path)}, { rules: RULES, logWorkers: ${JSON.stringify(logWorkers)} }).then((r) => {
      const analysisMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const c = process.cpuUsage(c0);
      const summary = Object.entries(r.summary).map(([k, v]) => k + ' ' + v).join(', ');
      console.log(JSON.stringify({ analysisMs, maxRssKb: process.resourceUsage().maxRSS, summary, cpuMs: (c.user + c.system) / 1000 }));
    });`);
}

function analyzeBatch(paths: string[], workers: number, mode: 'auto' | 'workers' | 'in-thread' = 'workers'): ChildResult {
  return runChild(`
    const { analyzeBundles } = require(${JSON.stringify(BUNDLE_MODULE)});
    const { RULES } = require(${JSON.stringify(RULES_MODULE)});
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let used = '';
    analyzeBundles(${JSON.stringify(paths)}, { rules: RULES, ruleSetModule: ${JSON.stringify(RULES_MODULE)}, workers: ${workers}, mode: ${JSON.stringify(mode)}, onMode: (m, n) => { used = m + ' ' + n; } }).then((rs) => {
      const analysisMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const c = process.cpuUsage(c0);
      console.log(JSON.stringify({ analysisMs, maxRssKb: process.resourceUsage().maxRSS, summary: rs.length + ' reports, ' + used, cpuMs: (c.user + c.system) / 1000 }));
    });`);
}

function hasUnzip(): boolean {
  return spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;
}

/** `unzip -p bundle.zip > /dev/null`, or a Node inflate-only pass when unzip is missing. */
function baselineMs(path: string, unzip: boolean): number {
  const t0 = process.hrtime.bigint();
  if (unzip) {
    const r = spawnSync('unzip', ['-p', path], { stdio: ['ignore', 'ignore', 'ignore'] });
    if (r.status !== 0) throw new Error(`unzip -p ${path} exited ${r.status}`);
  } else {
    const r = spawnSync(process.execPath, ['-e', `
      const yauzl = require(${JSON.stringify(require.resolve('yauzl'))});
      yauzl.open(${JSON.stringify(path)}, { lazyEntries: true }, (err, zip) => {
        zip.on('entry', (e) => zip.openReadStream(e, (err2, s) => { s.on('data', () => {}); s.on('end', () => zip.readEntry()); }));
        zip.readEntry();
      });`], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('inflate baseline failed');
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall time of `wac-doctor analyze --format json <args>` as a user runs it (the esbuild bundle and its code cache). */
function cli(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'analyze', '--format', 'json', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0 && r.status !== 1) throw new Error(`wac-doctor analyze failed (${r.status}): ${r.stderr.toString()}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const FLOOR = join(__dirname, FROM_SOURCE ? 'floor.ts' : 'floor.js');

/** The Node floor (bench/floor.ts) in its own process: 1 MiB reads + zlib inflateRaw + UTF-8 decode + one candidate regex. */
function floorMs(path: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...(FROM_SOURCE ? ['--require', 'tsx/cjs'] : []), FLOOR, path], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`node floor failed (${r.status}): ${r.stderr.toString()}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

interface SizeFigures {
  label: string; uncompressedMb: number; zipMb: number; baseMs: number; floorMs?: number; wallMs: number; analysisMs: number;
  maxRssMb: number; summary: string; cores: number;
  /** `wac-doctor analyze` on the bundle, wall (at 1x): the analysis plus the CLI's start and its report. */
  cliMs?: number;
  /** With a log worker beside the main thread (BundleOptions.logWorkers 'on'), at 1x. */
  worker?: { wallMs: number; maxRssMb: number; cores: number; summary: string };
}

/** Baseline, floor (optional) and analysis interleaved run by run, so machine noise hits all alike; medians. */
function measure(label: string, path: string, uncompressed: number, unzip: boolean, runs: number, withFloor: boolean): SizeFigures {
  baselineMs(path, unzip); // warm the page cache
  const base: number[] = [];
  const floor: number[] = [];
  const results: ChildResult[] = [];
  const worker: ChildResult[] = [];
  const cliRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(baselineMs(path, unzip));
    if (withFloor) floor.push(floorMs(path));
    results.push(analyzeOne(path));
    if (withFloor) worker.push(analyzeOne(path, 'on'));
    if (withFloor) cliRuns.push(cli([path]));
  }
  const f: SizeFigures = {
    label, uncompressedMb: uncompressed / MB, zipMb: statSync(path).size / MB, baseMs: median(base), wallMs: median(results.map((r) => r.wallMs)),
    analysisMs: median(results.map((r) => r.analysisMs)), maxRssMb: Math.max(...results.map((r) => r.maxRssMb)), summary: results[0]!.summary,
    cores: median(results.map((r) => r.cores)),
  };
  if (withFloor) {
    f.floorMs = median(floor);
    f.cliMs = median(cliRuns);
    f.worker = { wallMs: median(worker.map((r) => r.wallMs)), maxRssMb: Math.max(...worker.map((r) => r.maxRssMb)), cores: median(worker.map((r) => r.cores)), summary: worker[0]!.summary };
  }
  return f;
}

const TARGET_RATIO: Record<Mix, number> = { typical: 1.2, noisy: 1.5 };
const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export async function runBundleBench(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), scale = 1): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-bench-'));
  try {
    const unzip = hasUnzip();
    const baseName = unzip ? 'unzip -p > /dev/null' : 'Node zlib inflate-only (unzip not installed: apt-get install unzip)';
    const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
    out(`bundle bench: baseline = ${baseName}; floor = bench/floor.ts (1 MiB reads + zlib inflateRaw + UTF-8 decode + one candidate regex over blocks; 'npm run bench -- floor' for its stages and yauzl); analysis in a child process (node ${process.version}); medians of ${RUNS} (${FEW} at 2x, 4x and for batches), interleaved run by run`);
    out(`  load average at start: ${load()} (other work on the machine inflates all sides, unevenly: read the ratios)`);
    const mixes: Mix[] = ['typical', 'noisy'];
    // WAC_BENCH_QUICK=1: the 1x figures only (for profiling rounds); `npm run bench` reports them all.
    const quick = process.env.WAC_BENCH_QUICK === '1';
    const sizes = quick ? [1] : [1, 2, 4];
    const figures = new Map<string, SizeFigures>();
    for (const mix of mixes) {
      for (const k of sizes) {
        const path = join(dir, `${mix}-${k}x.zip`);
        // The same seeds for both mixes: the typical 1x bundle is the one the bench has always measured.
        await writeBigBundle(path, 210 * MB * k * scale, 50 * k, k, mix);
        const f = measure(`${mix} ${k}x`, path, await uncompressedSize(path), unzip, k === 1 ? RUNS : FEW, k === 1);
        figures.set(`${mix} ${k}x`, f);
        rmSync(path, { force: true });
      }
    }
    for (const mix of mixes) {
      const f = figures.get(`${mix} 1x`)!;
      out(`  ${f.label}: ${f.uncompressedMb.toFixed(0)} MB uncompressed (${f.zipMb.toFixed(0)} MB zip): analysis ${f.wallMs.toFixed(0)} ms wall (${f.analysisMs.toFixed(0)} ms in-process); unzip -p ${f.baseMs.toFixed(0)} ms; floor ${f.floorMs!.toFixed(0)} ms`);
      out(`    ratio vs unzip -p ${(f.wallMs / f.baseMs).toFixed(2)} (in-process ${(f.analysisMs / f.baseMs).toFixed(2)}; target <= ${TARGET_RATIO[mix]}: ${met(f.wallMs / f.baseMs <= TARGET_RATIO[mix])}); vs the Node floor ${(f.wallMs / f.floorMs!).toFixed(2)} (floor itself ${(f.floorMs! / f.baseMs).toFixed(2)}x unzip -p); ${f.cores.toFixed(2)} cores busy; findings: ${f.summary}`);
      const c = f.cliMs!;
      out(`    as users run it, \`wac-doctor analyze --format json\` (its bundle and code cache, the report written): ${c.toFixed(0)} ms wall, ratio vs unzip -p ${(c / f.baseMs).toFixed(2)} (target <= ${TARGET_RATIO[mix]}: ${met(c / f.baseMs <= TARGET_RATIO[mix])}), vs the Node floor ${(c / f.floorMs!).toFixed(2)}`);
      const w = f.worker!;
      out(`    with a log worker (logWorkers 'on', off by default): ${w.wallMs.toFixed(0)} ms wall, ${(f.wallMs / w.wallMs).toFixed(2)}x ${w.wallMs < f.wallMs ? 'faster' : 'slower'}, ${w.cores.toFixed(2)} cores busy, peak RSS ${w.maxRssMb.toFixed(0)} MB (${f.maxRssMb.toFixed(0)} without)${w.summary === f.summary ? '' : `; findings DIFFER: ${w.summary}`}`);
    }
    for (const mix of quick ? [] : mixes) {
      const [a, b, c] = sizes.map((k) => figures.get(`${mix} ${k}x`)!);
      const rssOk = [a, b, c].every((f) => f!.maxRssMb <= 150);
      const linear = b!.wallMs / a!.wallMs <= 2.2 && c!.wallMs / a!.wallMs <= 4.4;
      out(`  ${mix} scaling: 1x ${a!.wallMs.toFixed(0)} ms, 2x ${b!.wallMs.toFixed(0)} ms, 4x ${c!.wallMs.toFixed(0)} ms: growth ${(b!.wallMs / a!.wallMs).toFixed(2)}x and ${(c!.wallMs / a!.wallMs).toFixed(2)}x (linear: <= 2.2 and <= 4.4: ${met(linear)}); ratio vs unzip -p at 2x ${(b!.wallMs / b!.baseMs).toFixed(2)}, 4x ${(c!.wallMs / c!.baseMs).toFixed(2)}`);
      out(`    peak RSS 1x ${a!.maxRssMb.toFixed(0)} MB, 2x ${b!.maxRssMb.toFixed(0)} MB, 4x ${c!.maxRssMb.toFixed(0)} MB (target <= 150: ${met(rssOk)})`);
    }

    // Pool crossover: batches of 8 bundles of growing size, in one thread vs on 2 workers (in one process each).
    out(`  pool crossover (8 bundles each, 2 workers vs one thread; the CLI uses workers from ${(POOL_MIN_BYTES / MB).toFixed(0)} MB of zip per batch):`);
    for (const mb of quick ? [] : [3, 12, 50, 200]) {
      const paths: string[] = [];
      for (let i = 0; i < 8; i++) {
        const p = join(dir, `cross-${mb}-${i}.zip`);
        await writeBigBundle(p, mb * MB * scale, 10, 30 + i);
        paths.push(p);
      }
      const zipMb = paths.reduce((n, p) => n + statSync(p).size, 0) / MB;
      const one: number[] = [];
      const two: number[] = [];
      for (let i = 0; i < FEW; i++) {
        one.push(analyzeBatch(paths, 2, 'in-thread').analysisMs);
        two.push(analyzeBatch(paths, 2, 'workers').analysisMs);
      }
      const ratio = median(one) / median(two);
      const auto = analyzeBatch(paths, 2, 'auto').summary;
      out(`    8 x ${mb} MB (${zipMb.toFixed(0)} MB zip): one thread ${median(one).toFixed(0)} ms, workers ${median(two).toFixed(0)} ms: workers ${ratio.toFixed(2)}x ${ratio >= 1 ? 'faster' : 'slower'}; auto chose ${auto.replace(/^\d+ reports, /, '')}`);
      for (const p of paths) rmSync(p, { force: true });
    }
    if (quick) return;

    // Batch: 8 bundles of ~50 MB each, worker pool vs one at a time.
    const batch: string[] = [];
    for (let i = 0; i < 8; i++) {
      const p = join(dir, `batch-${i}.zip`);
      await writeBigBundle(p, 50 * MB * scale, 20, 10 + i);
      batch.push(p);
    }
    const seqRuns: ChildResult[] = [];
    const par: ChildResult[] = [];
    for (let i = 0; i < FEW; i++) {
      seqRuns.push(analyzeBatch(batch, 1));
      par.push(analyzeBatch(batch, 2));
    }
    const seq = median(seqRuns.map((r) => r.analysisMs));
    const parMs = median(par.map((r) => r.analysisMs));
    const speedup = seq / parMs;
    const seqCores = median(seqRuns.map((r) => r.cores));
    out(`  batch of 8 x 50 MB: one at a time ${seq.toFixed(0)} ms, 2 workers ${parMs.toFixed(0)} ms: ${speedup.toFixed(2)}x faster (target >= 1.6: ${speedup >= 1.6 ? 'met' : 'NOT met'}); peak RSS with workers ${Math.max(...par.map((r) => r.maxRssMb)).toFixed(0)} MB`);
    out(`  one at a time already keeps ${seqCores.toFixed(2)} cores busy, so 2 cores allow at most ${(2 / seqCores).toFixed(2)}x in one process`);

    // The same batch through the CLI: what a support engineer runs with and without the batch.
    const cliSeq: number[] = [];
    const cliBatch: number[] = [];
    for (let i = 0; i < FEW; i++) {
      cliSeq.push(batch.reduce((sum, p) => sum + cli([p]), 0));
      cliBatch.push(cli(batch));
    }
    const cliSpeedup = median(cliSeq) / median(cliBatch);
    out(`  batch via the CLI: 8 runs one at a time ${median(cliSeq).toFixed(0)} ms, one run of 8 ${median(cliBatch).toFixed(0)} ms: ${cliSpeedup.toFixed(2)}x faster (target >= 1.6: ${cliSpeedup >= 1.6 ? 'met' : 'NOT met'})`);
    out(`  load average at end: ${load()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runBundleBench().catch((err: Error) => {
    process.stderr.write(`bundle bench failed: ${err.message}\n`);
    process.exitCode = 1;
  });
}
