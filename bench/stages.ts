/**
 * Where the tool's own log reading spends its time, stage by stage, on the 1x bench bundles' logs (inflated into
 * memory first, so that only the log pipeline is timed): decode; + block split and candidate scan (records found,
 * none parsed); + reading keys (Grammar.readingKey on every candidate); + memo lookups (a Map per file, as the
 * interpreter keeps); the whole LogFileReader into LogFacts. Stages alternate run by run in one process; medians.
 *
 *   npm run bench -- stages
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yauzl from 'yauzl';
import { BlockSplitter } from '../core/parsers/logs/blocks';
import { StreamDecoder } from '../core/parsers/logs/decode';
import type { RecordReading } from '../core/parsers/logs/grammar';
import { detectGrammar } from '../core/parsers/logs/log-file';
import { LogFacts, LogFileReader } from '../core/parsers/logs';
import { RecordScanner, type RecordSink } from '../core/parsers/logs/scanner';
import { classifyEntry } from '../core/sources/bundle/classify';
import { writeBigBundle, type Mix } from './generate';

const PIECE = 64 * 1024;
const SNIFF = 16 * 1024;

/** The bundle's log entries, inflated. */
function logEntries(path: string): Promise<Array<{ path: string; data: Buffer }>> {
  return new Promise((resolve, reject) => {
    const out: Array<{ path: string; data: Buffer }> = [];
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`));
      zip.on('entry', (e: yauzl.Entry) => {
        if (classifyEntry(e.fileName).kind !== 'log') return zip.readEntry();
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2 ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => { out.push({ path: e.fileName, data: Buffer.concat(chunks) }); zip.readEntry(); });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

type Cut = 'decode' | 'scan' | 'keys' | 'lookups';

/** The pipeline up to `cut`: the scanner's sink takes every keyed record and parses none. */
function upTo(cut: Cut, data: Buffer): number {
  const decoder = new StreamDecoder();
  let chars = 0;
  if (cut === 'decode') {
    for (let at = 0; at < data.length; at += PIECE) chars += decoder.push(data.subarray(at, at + PIECE)).length;
    return chars + decoder.end().length;
  }
  const memo = new Map<string, true>();
  let records = 0;
  const sink: RecordSink = {
    keying: cut !== 'scan',
    keyed: (r: RecordReading) => {
      records++;
      if (cut === 'lookups' && !memo.get(r.key)) memo.set(` ${r.key}`.slice(1), true);
      return true;
    },
    record: () => { records++; },
  };
  const head = decoder.push(data.subarray(0, SNIFF));
  const grammar = detectGrammar(head);
  // Scan only: candidates are found and cut into records, which nothing parses.
  const scanner = new RecordScanner(cut === 'scan' ? { ...grammar, readingKey: undefined, parse: () => undefined } : { ...grammar, parse: () => undefined }, sink);
  const splitter = new BlockSplitter(scanner);
  splitter.push(head);
  for (let at = SNIFF; at < data.length; at += PIECE) splitter.push(decoder.push(data.subarray(at, at + PIECE)));
  splitter.push(decoder.end());
  splitter.end();
  scanner.end();
  return records;
}

function whole(entries: Array<{ path: string; data: Buffer }>): number {
  const facts = new LogFacts();
  for (const e of entries) {
    const reader = new LogFileReader({ path: e.path, source: 'bundle', role: classifyEntry(e.path).role }, facts);
    reader.push(e.data);
    reader.end();
  }
  return facts.observations().length;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runStagesBench(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const runs = Math.max(1, Number(process.env.WAC_BENCH_RUNS) || 5);
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-bench-stages-'));
  try {
    out(`log pipeline stages on the 1x bench bundles' logs (inflated first), one process, medians of ${runs}, stages alternating`);
    for (const mix of ['typical', 'noisy'] as Mix[]) {
      const zip = join(dir, `${mix}.zip`);
      await writeBigBundle(zip, 210 * 1024 * 1024, 50, 1, mix);
      const entries = await logEntries(zip);
      rmSync(zip, { force: true });
      const stages: Array<[string, () => number]> = [
        ['decode', () => entries.reduce((n, e) => n + upTo('decode', e.data), 0)],
        ['+ blocks and candidates', () => entries.reduce((n, e) => n + upTo('scan', e.data), 0)],
        ['+ reading keys', () => entries.reduce((n, e) => n + upTo('keys', e.data), 0)],
        ['+ memo lookups', () => entries.reduce((n, e) => n + upTo('lookups', e.data), 0)],
        ['whole (LogFileReader, LogFacts)', () => whole(entries)],
      ];
      const times = stages.map(() => [] as number[]);
      const counts = stages.map(() => 0);
      for (let i = 0; i < runs; i++) {
        stages.forEach(([, fn], j) => {
          const t0 = process.hrtime.bigint();
          counts[j] = fn();
          times[j]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
        });
      }
      out(`  ${mix}: ${entries.length} logs, ${counts[2]} candidate records`);
      const total = median(times[times.length - 1]!);
      stages.forEach(([label], j) => {
        const ms = median(times[j]!);
        out(`    ${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${(100 * ms / total).toFixed(0).padStart(3)} % of whole`);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runStagesBench().catch((err: Error) => {
    process.stderr.write(`stages bench failed: ${err.message}\n`);
    process.exitCode = 1;
  });
}
