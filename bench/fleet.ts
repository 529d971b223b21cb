/**
 * Fleet bench: Resource Graph exports of 10,000 and 100,000 machines (fleet query rows, generated at bench time by
 * scripts/fleet-fixtures), analyzed by the CLI as a user runs it (`analyze -f csv -o out.csv`, text, and csv with the
 * export piped on standard input: `analyze -f csv -o out.csv - < export.json`), in child
 * processes so each peak RSS (process.resourceUsage().maxRSS, the fleet worker thread included) is its own. Baselines measured in the same run:
 * `node -e 0`, and a plain streaming parse of the same file (stream-json parser + pick data + streamArray, rows
 * counted and dropped). Figures: time per 10k machines, ratio to the parse, peak RSS (target <= 150 MB), and the
 * growth of the time per machine from 10k to 100k (linear: 1.0).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleetFile } from '../scripts/fleet-fixtures';

const FROM_SOURCE = __filename.endsWith('.ts');
const MAIN = join(__dirname, '..', 'cli', FROM_SOURCE ? 'main.ts' : 'main.js');
const MB = 1024 * 1024;

interface Child { wallMs: number; maxRssMb: number; detail: string }

function child(code: string, stdinFile?: string): Child {
  const args = [...(FROM_SOURCE ? ['--require', 'tsx/cjs'] : []), '-e', code];
  const fd = stdinFile !== undefined ? openSync(stdinFile, 'r') : undefined;
  const t0 = process.hrtime.bigint();
  let r;
  try {
    r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * MB, ...(fd !== undefined ? { stdio: [fd, 'pipe', 'pipe'] } : {}) });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`child failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const out = JSON.parse(r.stderr.trim().split('\n').pop()!) as { maxRssKb: number; detail: string };
  return { wallMs, maxRssMb: out.maxRssKb / 1024, detail: out.detail };
}

const report = (detail: string): string => `process.stderr.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, detail: ${detail} }) + '\\n')`;

function nodeStartup(): Child {
  return child(report("'node -e 0'"));
}

function plainParse(path: string): Child {
  return child(`
    const { createReadStream } = require('node:fs');
    const { chain } = require('stream-chain');
    const { parser } = require('stream-json');
    const { pick } = require('stream-json/filters/pick.js');
    const { streamArray } = require('stream-json/streamers/stream-array.js');
    let n = 0;
    chain([createReadStream(${JSON.stringify(path)}), parser(), pick({ filter: 'data' }), streamArray()])
      .on('data', () => { n++; })
      .on('end', () => { ${report("n + ' rows parsed'")}; });`);
}

/** `analyze -f <format> -o <out> <path>`; with `stdin`, the export is piped on standard input (`analyze -`) from that file. */
function analyze(path: string, format: 'csv' | 'text', out: string, stdin?: string): Child {
  return child(`
    require(${JSON.stringify(MAIN)}).main(['analyze', '-f', ${JSON.stringify(format)}, '-o', ${JSON.stringify(out)}, ${JSON.stringify(path)}], {
      stdout: process.stdout, stderr: new (require('node:stream').Writable)({ write(c, e, cb) { cb(); } }), stdin: process.stdin, env: {},
    }).then((code) => { process.exitCode = code; ${report("'exit ' + code")}; });`, stdin);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runFleetBench(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-fleet-bench-'));
  try {
    const startup = median([nodeStartup(), nodeStartup(), nodeStartup()].map((c) => c.wallMs));
    out(`  baseline node -e 0: ${startup.toFixed(0)} ms`);
    const perMachine: number[] = [];
    const rss: number[] = [];
    // WAC_BENCH_QUICK=1: the 10k figures only (for measuring rounds); `npm run bench` reports both sizes.
    const sizes = process.env.WAC_BENCH_QUICK === '1' ? [10_000] : [10_000, 100_000];
    for (const n of sizes) {
      const file = join(dir, `fleet-${n}.json`);
      await generateFleetFile(file, n);
      const size = statSync(file).size / MB;
      const parse = plainParse(file);
      const csv = analyze(file, 'csv', join(dir, `out-${n}.csv`));
      const text = analyze(file, 'text', join(dir, `out-${n}.txt`));
      const piped = analyze('-', 'csv', join(dir, `out-${n}-stdin.csv`), file);
      const per10k = (ms: number): number => ((ms - startup) / n) * 10_000;
      perMachine.push((csv.wallMs - startup) / n);
      rss.push(csv.maxRssMb, text.maxRssMb, piped.maxRssMb);
      out(`  ${n} machines (${size.toFixed(0)} MB export): plain streaming parse ${parse.wallMs.toFixed(0)} ms (${parse.detail}, peak RSS ${parse.maxRssMb.toFixed(0)} MB)`);
      out(`    analyze -f csv: ${csv.wallMs.toFixed(0)} ms wall, ${per10k(csv.wallMs).toFixed(0)} ms per 10k machines, ratio to the parse ${(csv.wallMs / parse.wallMs).toFixed(1)}, peak RSS ${csv.maxRssMb.toFixed(0)} MB (${csv.detail})`);
      out(`    analyze -f text: ${text.wallMs.toFixed(0)} ms wall, ${per10k(text.wallMs).toFixed(0)} ms per 10k machines, peak RSS ${text.maxRssMb.toFixed(0)} MB (${text.detail})`);
      out(`    analyze -f csv - (stdin): ${piped.wallMs.toFixed(0)} ms wall, ${per10k(piped.wallMs).toFixed(0)} ms per 10k machines, peak RSS ${piped.maxRssMb.toFixed(0)} MB (${piped.detail})`);
      rmSync(file, { force: true });
    }
    const maxRss = Math.max(...rss);
    const rssLine = `peak RSS ${maxRss.toFixed(0)} MB (target <= 150 MB ${maxRss <= 150 ? 'met' : 'NOT met'})`;
    if (perMachine.length < 2) out(`  ${rssLine}`);
    else {
      const growth = perMachine[1]! / perMachine[0]!;
      out(`  growth of the time per machine 10k -> 100k: ${growth.toFixed(2)} (linear 1.0; target <= 1.3 ${growth <= 1.3 ? 'met' : 'NOT met'}); ${rssLine}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runFleetBench().catch((err: unknown) => {
    process.stderr.write(`fleet bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
