/**
 * Two builds' bundle analysis compared in one process: this checkout's dist/ and another checkout's (both built),
 * each loaded once, run alternately on the same generated bundle (the order swapped every round), medians and
 * minimums. On the shared vCPUs this runs on, separate processes' wall times drift by 10-20 % from minute to minute;
 * alternating in one process puts the drift on both sides, so a change of a few per cent shows.
 *
 *   node dist/bench/ab.js <other checkout> [typical|noisy] [rounds]   # e.g. a worktree of main at the session start
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBigBundle, type Mix } from './generate';

const ROOT = join(__dirname, '..', ...(__filename.endsWith('.ts') ? [] : ['..']));
const MB = 1024 * 1024;

interface Build {
  label: string;
  analyze: (path: string) => Promise<unknown>;
  ms: number[];
  /** CPU time of the process (every thread: inflate runs on libuv's) during each run. */
  cpuMs: number[];
}

function load(root: string, label: string): Build {
  /* eslint-disable @typescript-eslint/no-require-imports -- two builds of the same modules, named at run time */
  const bundle = require(join(root, 'dist', 'core', 'sources', 'bundle', 'index.js')) as typeof import('../core/sources/bundle');
  const { RULES } = require(join(root, 'dist', 'rules', 'index.js')) as typeof import('../rules');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { label, analyze: (path) => bundle.analyzeBundle(path, { rules: RULES }), ms: [], cpuMs: [] };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const [other, mixArg = 'noisy', roundsArg = '10'] = process.argv.slice(2);
  if (!other) throw new Error('usage: node dist/bench/ab.js <other checkout> [typical|noisy] [rounds]');
  const mix = mixArg as Mix;
  if (mix !== 'typical' && mix !== 'noisy') throw new Error(`unknown mix ${mixArg}: typical or noisy`);
  const rounds = Math.max(2, Number(roundsArg) || 10);
  const builds = [load(ROOT, 'this checkout'), load(resolve(other), other)];
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-ab-'));
  try {
    const path = join(dir, `${mix}.zip`);
    await writeBigBundle(path, 210 * MB, 50, 1, mix);
    for (let i = 0; i < rounds; i++) {
      for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
        const t0 = process.hrtime.bigint();
        const c0 = process.cpuUsage();
        await b.analyze(path);
        const c = process.cpuUsage(c0);
        b.ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
        b.cpuMs.push((c.user + c.system) / 1000);
      }
    }
    for (const b of builds) {
      process.stdout.write(`${b.label}: median ${median(b.ms).toFixed(0)} ms, min ${Math.min(...b.ms).toFixed(0)} ms (${b.ms.map((x) => x.toFixed(0)).join(' ')}); CPU median ${median(b.cpuMs).toFixed(0)} ms\n`);
    }
    const [a, b] = builds as [Build, Build];
    process.stdout.write(`${mix} 210 MB, ${rounds} rounds: this checkout takes ${(median(a.ms) / median(b.ms)).toFixed(3)}x the other's time (median), ${(Math.min(...a.ms) / Math.min(...b.ms)).toFixed(3)}x (min), ${(median(a.cpuMs) / median(b.cpuMs)).toFixed(3)}x its CPU time (median)\n`);
    // The same build against itself drifted to 0.91x here (12 rounds): run it both ways before trusting a few per cent.
    process.stdout.write(`(differences of a few per cent are within this machine's drift: run it the other way round too, \`node <other>/dist/bench/ab.js <this checkout>\`)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`ab failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
