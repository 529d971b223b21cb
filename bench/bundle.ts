/**
 * Bundle analysis benchmark (wired into `npm run bench` by bench/run.ts): figures as ratios to baselines
 * measured in the same run, on the same files.
 * - A realistic >= 200 MB (uncompressed) bundle of >= 50 log files: analysis wall time vs `unzip -p > /dev/null`
 *   (or, without unzip, a Node zlib inflate-only pass), and the analysis process's peak RSS.
 * - The same at 2x size: time growth and peak RSS.
 * - 8 bundles on the worker pool vs one at a time, twice: inside one process (warm, the strictest baseline), and
 *   as a user would run them: 8 `wac-doctor analyze <one.zip>` runs vs one `wac-doctor analyze <8 zips>`.
 * Analyses run in child processes so their peak RSS (process.resourceUsage().maxRSS) is theirs alone.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as yazl from 'yazl';
import * as yauzl from 'yauzl';

const MB = 1024 * 1024;
const RUNS = 5;
const FROM_SOURCE = __filename.endsWith('.ts');
const BUNDLE_MODULE = join(__dirname, '..', 'core', 'sources', 'bundle', FROM_SOURCE ? 'index.ts' : 'index.js');
const RULES_MODULE = join(__dirname, '..', 'rules', FROM_SOURCE ? 'index.ts' : 'index.js');
/** The CLI as installed (it runs the compiled dist/, so `npm run bench` builds first). */
const BIN = join(__dirname, '..', FROM_SOURCE ? '' : '..', 'bin', 'wac-doctor.js');

// ---- a deterministic, realistic log generator ----

/** xorshift32: the same bytes on every run. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

const HOSTS = ['gbl.his.arc.azure.com', 'westeurope.his.arc.azure.com', 'management.azure.com', 'login.microsoftonline.com', 'agentserviceapi.guestconfiguration.azure.com', 'guestnotificationservice.azure.com'];
const INFO = ['Heartbeat sent', 'Processing request', 'Token refreshed', 'Extension manager polling', 'Metadata request served', 'Checking for agent updates', 'Certificate cache refreshed', 'Reading local configuration'];

function logrusLine(r: () => number, t: number): string {
  const time = new Date(Date.UTC(2026, 8, 14) + t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const host = HOSTS[Math.floor(r() * HOSTS.length)]!;
  const id = `${Math.floor(r() * 0xffffffff).toString(16).padStart(8, '0')}-${Math.floor(r() * 0xffff).toString(16).padStart(4, '0')}-4e0a-9b7d-${Math.floor(r() * 0xffffffffffff).toString(16).padStart(12, '0')}`;
  const p = r();
  if (p < 0.004) return `time="${time}" level=error msg="Request failed" Error="Get \\"https://${host}/metadata\\": dial tcp 20.50.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}:443: i/o timeout" Endpoint="https://${host}" RequestId=${id}`;
  if (p < 0.01) return `time="${time}" level=warning msg="Retrying request" Endpoint="https://${host}" Attempt=${1 + Math.floor(r() * 3)} RequestId=${id}`;
  if (p < 0.04) return `time="${time}" level=info msg="Request succeeded" Endpoint="https://${host}" Status Code=200 Duration=${Math.floor(r() * 900)}ms RequestId=${id}`;
  if (p < 0.06) return `time="${time}" level=debug msg="Cache lookup" Key="${id}" Hit=${r() < 0.5}`;
  return `time="${time}" level=info msg="${INFO[Math.floor(r() * INFO.length)]}" Component=himds RequestId=${id} Duration=${Math.floor(r() * 900)}ms`;
}

function gcLine(r: () => number, t: number): string {
  const time = new Date(Date.UTC(2026, 8, 14) + t).toISOString().replace('T', ' ').replace('Z', '');
  const lvl = r() < 0.005 ? 'ERROR' : 'INFO';
  const msg = lvl === 'ERROR' ? 'Download of extension package failed: no such host' : ['Polling for assignments', 'Timer fired', 'Policy evaluation completed', 'Sending telemetry batch'][Math.floor(r() * 4)];
  return `[${time}] [PID ${4000 + Math.floor(r() * 900)}] [TID ${4400 + Math.floor(r() * 90)}] [${r() < 0.5 ? 'EXTMGR' : 'Pull Client'}] [${lvl}] [3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef] ${msg}`;
}

/** A file of about `bytes` bytes, produced in ~1 MB pieces. */
function logStream(seed: number, bytes: number, gcFormat: boolean): Readable {
  const r = prng(seed);
  let produced = 0;
  let t = 0;
  return Readable.from((function* gen() {
    while (produced < bytes) {
      const lines: string[] = [];
      let size = 0;
      while (size < MB && produced + size < bytes) {
        t += Math.floor(r() * 2000);
        const l = gcFormat ? gcLine(r, t) : logrusLine(r, t);
        lines.push(l);
        size += l.length + 2;
      }
      produced += size;
      yield Buffer.from(`${lines.join('\r\n')}\r\n`);
    }
  })());
}

/** Writes a bundle of `files` log files totalling about `totalBytes` uncompressed. */
export function writeBigBundle(path: string, totalBytes: number, files = 50, seed = 1): Promise<void> {
  const zip = new yazl.ZipFile();
  const per = Math.ceil(totalBytes / files);
  const mtime = new Date('2026-09-14T09:00:00Z');
  for (let i = 0; i < files; i++) {
    const gcFile = i % 3 === 2;
    const name = gcFile
      ? `ProgramData/GuestConfig/ext_mgr_logs/gc_ext.${i}.log`
      : `ProgramData/AzureConnectedMachineAgent/Log/${i === 0 ? 'himds.log' : i === 1 ? 'azcmagent.log' : `himds-${i}.log`}`;
    zip.addReadStream(logStream(seed * 1000 + i, per, gcFile), name, { mtime });
  }
  zip.addBuffer(Buffer.from(JSON.stringify({ 'incomingconnections.ports': ['6516'], 'proxy.url': '' })), 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json', { mtime });
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject);
  });
}

/** Sum of uncompressed sizes, as the zip declares them. */
function uncompressedSize(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
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

function analyzeOne(path: string): ChildResult {
  return runChild(`
    const { analyzeBundle } = require(${JSON.stringify(BUNDLE_MODULE)});
    const { RULES } = require(${JSON.stringify(RULES_MODULE)});
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    analyzeBundle(${JSON.stringify(path)}, { rules: RULES }).then((r) => {
      const analysisMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const c = process.cpuUsage(c0);
      const summary = Object.entries(r.summary).map(([k, v]) => k + ' ' + v).join(', ');
      console.log(JSON.stringify({ analysisMs, maxRssKb: process.resourceUsage().maxRSS, summary, cpuMs: (c.user + c.system) / 1000 }));
    });`);
}

function analyzeBatch(paths: string[], workers: number): ChildResult {
  return runChild(`
    const { analyzeBundles } = require(${JSON.stringify(BUNDLE_MODULE)});
    const { RULES } = require(${JSON.stringify(RULES_MODULE)});
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    analyzeBundles(${JSON.stringify(paths)}, { rules: RULES, workers: ${workers} }).then((rs) => {
      const analysisMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const c = process.cpuUsage(c0);
      console.log(JSON.stringify({ analysisMs, maxRssKb: process.resourceUsage().maxRSS, summary: rs.length + ' reports', cpuMs: (c.user + c.system) / 1000 }));
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

interface SizeFigures { label: string; uncompressedMb: number; zipMb: number; baseMs: number; wallMs: number; analysisMs: number; maxRssMb: number; summary: string; cores: number }

function measure(label: string, path: string, uncompressed: number, unzip: boolean, runs: number): SizeFigures {
  baselineMs(path, unzip); // warm the page cache
  const base: number[] = [];
  const results: ChildResult[] = [];
  for (let i = 0; i < runs; i++) {
    base.push(baselineMs(path, unzip));
    results.push(analyzeOne(path));
  }
  const wall = median(results.map((r) => r.wallMs));
  return {
    label, uncompressedMb: uncompressed / MB, zipMb: statSync(path).size / MB, baseMs: median(base), wallMs: wall,
    analysisMs: median(results.map((r) => r.analysisMs)), maxRssMb: Math.max(...results.map((r) => r.maxRssMb)), summary: results[0]!.summary,
    cores: median(results.map((r) => r.cores)),
  };
}

export async function runBundleBench(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), scale = 1): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-bench-'));
  try {
    const unzip = hasUnzip();
    const baseName = unzip ? 'unzip -p > /dev/null' : 'Node zlib inflate-only (unzip not installed: apt-get install unzip)';
    const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
    out(`bundle bench: baseline = ${baseName}; analysis in a child process (node ${process.version}); medians of ${RUNS}, interleaved with the baseline`);
    out(`  load average at start: ${load()} (other work on the machine inflates both sides, unevenly)`);
    const one = join(dir, 'bundle-1x.zip');
    const two = join(dir, 'bundle-2x.zip');
    await writeBigBundle(one, 210 * MB * scale, 50, 1);
    await writeBigBundle(two, 420 * MB * scale, 100, 2);
    const f1 = measure('1x', one, await uncompressedSize(one), unzip, RUNS);
    const f2 = measure('2x', two, await uncompressedSize(two), unzip, RUNS);
    for (const f of [f1, f2]) {
      out(`  ${f.label}: ${f.uncompressedMb.toFixed(0)} MB uncompressed (${f.zipMb.toFixed(0)} MB zip): analysis ${f.wallMs.toFixed(0)} ms wall (${f.analysisMs.toFixed(0)} ms in-process) vs baseline ${f.baseMs.toFixed(0)} ms: ratio ${(f.wallMs / f.baseMs).toFixed(2)} (in-process ${(f.analysisMs / f.baseMs).toFixed(2)}); ${f.cores.toFixed(2)} cores busy on average (inflate overlaps parsing); peak RSS ${f.maxRssMb.toFixed(0)} MB; findings: ${f.summary}`);
    }
    const growth = f2.wallMs / f1.wallMs;
    out(`  time growth for 2x input: ${growth.toFixed(2)}x (target <= 2.2)`);
    const ratioOk = f1.wallMs / f1.baseMs <= 1.5 && f2.wallMs / f2.baseMs <= 1.5;
    const rssOk = f1.maxRssMb <= 150 && f2.maxRssMb <= 150;
    out(`  targets: ratio <= 1.5 ${ratioOk ? 'met' : 'NOT met'}; peak RSS <= 150 MB ${rssOk ? 'met' : 'NOT met'}; growth <= 2.2x ${growth <= 2.2 ? 'met' : 'NOT met'}`);

    // Batch: 8 bundles of ~50 MB each, worker pool vs one at a time.
    const batch: string[] = [];
    for (let i = 0; i < 8; i++) {
      const p = join(dir, `batch-${i}.zip`);
      await writeBigBundle(p, 50 * MB * scale, 20, 10 + i);
      batch.push(p);
    }
    const seqRuns: ChildResult[] = [];
    const par: ChildResult[] = [];
    for (let i = 0; i < 3; i++) {
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
    const cli = (args: string[]): number => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [BIN, 'analyze', '--format', 'json', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0 && r.status !== 1) throw new Error(`wac-doctor analyze failed (${r.status}): ${r.stderr}`);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const cliSeq: number[] = [];
    const cliBatch: number[] = [];
    for (let i = 0; i < 3; i++) {
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
