/**
 * Seeded fuzzing of the three input paths untrusted text takes: bundles (zips), pasted outputs, and logs.
 * Every input must come back as a report (findings, or an input in error with a clear message), never as an
 * exception, an "internal error" report, or a rule that crashed. Same seed, same inputs.
 *
 * Mutations: bytes (bit flips, truncation, splices, zero runs), zip structure (sizes, offsets, name lengths,
 * names, methods and flags of local and central records; entry counts and offsets of the end record; records
 * duplicated or pointed at each other), and JSON types (a value swapped for another type, deep nesting, long
 * keys and strings) inside bundle entries and pasted JSON outputs. Log lines are fed in random chunk sizes.
 *
 *   npm run fuzz -- [--seed N] [--count N] [--only bundle,pasted,log] [--max-string N]   (random seed, 20,000)
 *
 * The test suite runs a bounded slice of this (test/bundle/fuzz.test.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeBundle } from '../core/sources/bundle';
import { evaluate } from '../core/engine/pipeline';
import { ingestText } from '../core/engine/ingest';
import { FactStore } from '../core/engine/fact-store';
import { scanLogText, LogFacts, LogFileReader } from '../core/parsers/logs';
import type { Report } from '../core/model/report';
import { decodeText, InputError } from '../core/text/text-input';
import { RULES } from '../rules';
import { allBundles, logrus, SCENARIOS, WIN_VERSION, zipBuffer, type BundleFile } from './make-bundles';
import { craftZip } from './zip-craft';

const ROOT = __filename.endsWith('.ts') ? join(__dirname, '..') : join(__dirname, '..', '..');
const NOW = new Date('2026-09-14T12:00:00Z');
const STATUSES = new Set(['pass', 'fail', 'warn', 'skip']);

export type FuzzPath = 'bundle' | 'pasted' | 'log';

export interface FuzzOptions {
  seed: number;
  count: number;
  /** The paths, cycled in this order (default bundle, bundle, pasted, pasted, log). */
  only?: FuzzPath[];
  /** Called for each input (progress). */
  onCase?: (i: number) => void;
  /**
   * Longest string or key the JSON mutations make (default 40,000). Over 32,767 characters three pasted
   * parsers build a RegExp too large from it (issue 12 item 5, fixed on its own): the suite stays below.
   */
  maxString?: number;
}

export interface Crash {
  case: number;
  path: FuzzPath;
  how: string;
  error: string;
}

export interface FuzzFigures {
  seed: number;
  inputs: number;
  byPath: Record<FuzzPath, number>;
  /** Reports by their first input's status: the mutations must exercise both success and refusal. */
  statuses: Record<string, number>;
  crashes: Crash[];
  ms: number;
  slowestMs: number;
  slowest: string;
}

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = (r: Rand, n: number): number => Math.floor(r() * n);
const choose = <T>(r: Rand, list: readonly T[]): T => list[pick(r, list.length)]!;

// ---- byte mutations (any input) ----

export function mutateBytes(base: Buffer, r: Rand): { data: Buffer; how: string } {
  const data = Buffer.from(base);
  if (data.length === 0) return { data: Buffer.from([pick(r, 256)]), how: 'one byte' };
  switch (pick(r, 5)) {
    case 0: {
      const flips = 1 + pick(r, 16);
      for (let i = 0; i < flips; i++) data[pick(r, data.length)]! ^= 1 << pick(r, 8);
      return { data, how: `${flips} bit flips` };
    }
    case 1: {
      const len = pick(r, data.length);
      return { data: data.subarray(0, len), how: `truncated to ${len}` };
    }
    case 2: {
      const from = pick(r, data.length);
      const to = pick(r, data.length);
      const len = 1 + pick(r, 256);
      data.copy(data, to, from, Math.min(data.length, from + len));
      return { data, how: `splice ${from}->${to} (${len})` };
    }
    case 3: {
      const at = pick(r, data.length);
      const zeros = 1 + pick(r, 64);
      data.fill(0, at, Math.min(data.length, at + zeros));
      return { data, how: `${zeros} zeros at ${at}` };
    }
    default: {
      // Bytes that mean something to parsers and terminals: quotes, brackets, CR, ESC, NUL, 0xFF, UTF-8 lead bytes.
      const at = pick(r, data.length);
      const n = 1 + pick(r, 8);
      for (let i = 0; i < n && at + i < data.length; i++) data[at + i] = choose(r, [0x22, 0x5b, 0x5d, 0x7b, 0x7d, 0x0d, 0x1b, 0x00, 0xff, 0xc3, 0xe2, 0x3a, 0x3d, 0x20, 0x09]);
      return { data, how: `${n} special bytes at ${at}` };
    }
  }
}

// ---- zip structure mutations ----

interface ZipRecords {
  eocd: number;
  centrals: number[];
  locals: number[];
}

/** Record offsets of a (well-formed) zip: end record, central records, and the local headers they point at. */
function zipRecords(buf: Buffer): ZipRecords | undefined {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) return undefined;
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const centrals: number[] = [];
  const locals: number[] = [];
  for (let i = 0; i < count && p + 46 <= buf.length && buf.readUInt32LE(p) === 0x02014b50; i++) {
    centrals.push(p);
    locals.push(buf.readUInt32LE(p + 42));
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return centrals.length ? { eocd, centrals, locals } : undefined;
}

const NAME_TRICKS = ['../../x.log', 'C:\\Windows\\x.log', '/etc/passwd', 'a\u001b[2J.log', 'a\r# h.log', 'ProgramData/AzureConnectedMachineAgent/Log/himds.log', 'x/', '', '\u0000', 'ü.log', 'a'.repeat(300)];

export function mutateZip(base: Buffer, r: Rand): { data: Buffer; how: string } {
  try {
    return mutateZipRecords(base, r);
  } catch {
    // A field pointing outside the buffer (a zip already mutated): damage it byte-wise instead.
    return mutateBytes(base, r);
  }
}

function mutateZipRecords(base: Buffer, r: Rand): { data: Buffer; how: string } {
  const rec = zipRecords(base);
  if (!rec) return mutateBytes(base, r);
  let data = Buffer.from(base);
  const i = pick(r, rec.centrals.length);
  const c = rec.centrals[i]!;
  const l = rec.locals[i]!;
  const u32 = (): number => choose(r, [0, 1, 100, 0xffff, 0x7fffffff, 0xffffffff, pick(r, data.length), Math.min(0xffffffff, data.readUInt32LE(c + 24) * (2 + pick(r, 1000)))]);
  switch (pick(r, 12)) {
    case 0: data.writeUInt32LE(u32() >>> 0, c + 24); return { data, how: `central ${i} uncompressed size` };
    case 1: data.writeUInt32LE(u32() >>> 0, c + 20); return { data, how: `central ${i} compressed size` };
    case 2: {
      // Point the entry at another entry's local header: overlapping components.
      const other = rec.locals[pick(r, rec.locals.length)]!;
      data.writeUInt32LE(r() < 0.8 ? other : pick(r, data.length), c + 42);
      return { data, how: `central ${i} offset -> ${data.readUInt32LE(c + 42)}` };
    }
    case 3: data.writeUInt16LE(pick(r, 0x10000), c + 28); return { data, how: `central ${i} name length` };
    case 4: data.writeUInt16LE(choose(r, [0, 1, 6, 12, 14, 99, 0xffff]), c + 10); return { data, how: `central ${i} method` };
    case 5: data.writeUInt16LE(data.readUInt16LE(c + 8) ^ choose(r, [0x1, 0x8, 0x40, 0x800, 0x2000]), c + 8); return { data, how: `central ${i} flags` };
    case 6: {
      if (l + 30 > data.length) return mutateBytes(base, r);
      const field = choose(r, [18, 22, 26, 28, 8]);
      if (field >= 26) data.writeUInt16LE(pick(r, 0x10000), l + field);
      else if (field === 8) data.writeUInt16LE(choose(r, [0, 8, 12, 99]), l + field);
      else data.writeUInt32LE(u32() >>> 0, l + field);
      return { data, how: `local ${i} field ${field}` };
    }
    case 7: {
      // A different name in the central record (same length when possible, so the rest stays parseable).
      const len = data.readUInt16LE(c + 28);
      const trick = Buffer.from(choose(r, NAME_TRICKS));
      if (c + 46 + len > data.length) return mutateBytes(base, r);
      trick.copy(data, c + 46, 0, Math.min(len, trick.length));
      return { data, how: `central ${i} name "${trick.toString('latin1').slice(0, 20)}"` };
    }
    case 8: {
      // Another entry's name in the local header: central/local mismatch.
      const len = Math.min(data.readUInt16LE(l + 26), 64);
      for (let k = 0; k < len && l + 30 + k < data.length; k++) data[l + 30 + k] = 0x61 + pick(r, 26);
      return { data, how: `local ${i} name scrambled` };
    }
    case 9: data.writeUInt16LE(choose(r, [0, 1, rec.centrals.length + 1, 0xffff]), rec.eocd + (r() < 0.5 ? 8 : 10)); return { data, how: 'end record entry count' };
    case 10: data.writeUInt32LE(r() < 0.5 ? pick(r, data.length) : 0xffffffff, rec.eocd + (r() < 0.5 ? 12 : 16)); return { data, how: 'end record directory size/offset' };
    default: {
      // Duplicate a central record (same name, same data): duplicate entries and an overlap at once.
      const end = (i + 1 < rec.centrals.length ? rec.centrals[i + 1]! : rec.eocd);
      const copy = data.subarray(c, end);
      data = Buffer.concat([data.subarray(0, rec.eocd), copy, data.subarray(rec.eocd)]);
      const e = rec.eocd + copy.length;
      data.writeUInt16LE(data.readUInt16LE(e + 8) + 1, e + 8);
      data.writeUInt16LE(data.readUInt16LE(e + 10) + 1, e + 10);
      data.writeUInt32LE(data.readUInt32LE(e + 12) + copy.length, e + 12);
      return { data, how: `central ${i} duplicated` };
    }
  }
}

// ---- JSON type mutations ----

let maxString = 40_000;
const long = (r: Rand, c: string): string => c.repeat(Math.min(maxString, choose(r, [1000, 10_000, 40_000])));

function otherType(r: Rand, depth: number): unknown {
  switch (pick(r, 11)) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return choose(r, [0, -1, 1e308, -0, 65536, 6516.5, Number.MAX_SAFE_INTEGER + 2]);
    case 3: return choose(r, ['', ' ', 'null', '6516', '[]', '{}', 'a\u001b]52;c;eA==\u0007', 'x\r# h', '\u2028', '🙂'.repeat(50), '"', '\\']);
    case 4: return long(r, 'x');
    case 5: return [];
    case 6: return {};
    case 7: return Array.from({ length: 1 + pick(r, 5) }, () => (depth < 3 ? otherType(r, depth + 1) : 1));
    case 8: {
      let v: unknown = 1;
      for (let d = 0; d < choose(r, [10, 100, 1000]); d++) v = r() < 0.5 ? [v] : { a: v };
      return v;
    }
    case 9: return { [long(r, 'k')]: 1, '__proto__': { polluted: true }, constructor: 'x' };
    default: return depth < 3 ? { name: otherType(r, depth + 1), value: otherType(r, depth + 1) } : 'v';
  }
}

/** The JSON with one value (or key) somewhere in it replaced by one of another type; undefined if not JSON. */
export function mutateJson(text: string, r: Rand): { text: string; how: string } | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  const paths: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 20 || paths.length > 5000) return;
    if (Array.isArray(v)) v.forEach((x, i) => { paths.push({ parent: v, key: i }); walk(x, depth + 1); });
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { paths.push({ parent: v as Record<string, unknown>, key: k }); walk(x, depth + 1); }
  };
  walk(root, 0);
  if (paths.length === 0 || r() < 0.05) return { text: JSON.stringify(otherType(r, 0)), how: 'json root replaced' };
  const at = choose(r, paths);
  const value = otherType(r, 0);
  if (typeof at.key === 'string' && r() < 0.2 && !Array.isArray(at.parent)) {
    const obj = at.parent;
    const v = obj[at.key];
    delete obj[at.key];
    obj[choose(r, [at.key.toUpperCase(), `${at.key} `, long(r, 'k'), '', '__proto__'])] = v;
    return { text: JSON.stringify(root, null, r() < 0.5 ? 2 : undefined), how: `json key ${at.key} renamed` };
  }
  (at.parent as Record<string | number, unknown>)[at.key] = value;
  return { text: JSON.stringify(root, null, r() < 0.5 ? 2 : undefined), how: `json ${String(at.key)} -> ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}` };
}

// ---- the three paths ----

interface Bases {
  zips: Array<{ name: string; data: Buffer }>;
  /** Bundles as file lists, for JSON mutations inside entries. */
  trees: Array<{ name: string; files: BundleFile[] }>;
  pasted: Array<{ name: string; data: Buffer }>;
  logs: Array<{ name: string; data: Buffer }>;
}

async function loadBases(): Promise<Bases> {
  const all = await allBundles();
  const zipNames = ['win-healthy', 'win-proxy-timeouts', 'linux-healthy', 'snapshot', 'hostile-encodings', 'hostile-bomb', 'win-incoming-ports', 'win-extension-error'];
  const zips = zipNames.map((n) => ({ name: n, data: all[`${n}.zip`]! }));
  const line = (v: string): Buffer => Buffer.from(`${logrus('2026-09-14T08:00:00Z', 'info', 'Starting', { Version: v })}\n`);
  // Crafted shapes yazl cannot write: the fuzzer mutates around them too.
  zips.push({ name: 'crafted-overlap', data: craftZip([{ name: 'ProgramData/AzureConnectedMachineAgent/Log/himds.log', data: line(WIN_VERSION) }, ...Array.from({ length: 20 }, (_, i) => ({ name: `ProgramData/AzureConnectedMachineAgent/Log/h${i}.log`, data: Buffer.alloc(0), sameAs: 0 }))]) });
  zips.push({ name: 'crafted-lies', data: craftZip([{ name: 'ProgramData/AzureConnectedMachineAgent/Log/himds.log', data: line('1.36.02538.1064'), declaredSize: 10 }, { name: 'ProgramData/AzureConnectedMachineAgent/Log/himds.log', localName: 'other.log', data: line(WIN_VERSION), declaredSize: 4000 }]) });
  const trees = ['win-healthy', 'win-incoming-ports', 'snapshot', 'win-extension-error'].map((n) => ({ name: n, files: SCENARIOS[n]!.files() }));
  const pastedDir = join(ROOT, 'fixtures', 'pasted');
  const pasted = readdirSync(pastedDir).sort().map((f) => ({ name: f, data: readFileSync(join(pastedDir, f)) }));
  const logs = trees.flatMap((t) => t.files.filter((f) => /\.log$/i.test(f.name)).map((f) => ({ name: `${t.name}:${f.name}`, data: Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data) })));
  return { zips, trees, pasted, logs };
}

/** A problem with a report: an internal error, a rule that crashed, or a malformed summary. */
function reportProblem(report: Report, errorPattern: RegExp): string | undefined {
  if (report.inputs.length === 0) return 'no input summary';
  for (const input of report.inputs) {
    for (const m of input.messages) if (/internal error/i.test(m)) return m;
    if (input.status === 'error' && !errorPattern.test(input.messages[0] ?? '')) return `unclear input error: ${input.messages[0]}`;
  }
  for (const f of report.results) if (!STATUSES.has(f.status)) return `${f.ruleId} is ${f.status}: ${f.message}`;
  return undefined;
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzFigures> {
  const bases = await loadBases();
  const r = prng(opts.seed);
  maxString = opts.maxString ?? 40_000;
  const dir = mkdtempSync(join(tmpdir(), 'wac-doctor-fuzz-'));
  const paths: FuzzPath[] = opts.only ?? ['bundle', 'bundle', 'pasted', 'pasted', 'log'];
  const figures: FuzzFigures = { seed: opts.seed, inputs: 0, byPath: { bundle: 0, pasted: 0, log: 0 }, statuses: {}, crashes: [], ms: 0, slowestMs: 0, slowest: '' };
  const t0 = Date.now();
  try {
    for (let i = 0; i < opts.count; i++) {
      opts.onCase?.(i);
      const path = paths[i % paths.length]!;
      const started = Date.now();
      const c = { how: '' };
      try {
        if (path === 'bundle') await bundleCase(i, r, bases, dir, figures, c);
        else if (path === 'pasted') pastedCase(r, bases, figures, c);
        else logCase(r, bases, c);
      } catch (err) {
        const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        figures.crashes.push({ case: i, path, how: c.how, error: error.split('\n').map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l)).join('\n') });
      }
      const how = c.how;
      const ms = Date.now() - started;
      if (ms > figures.slowestMs) [figures.slowestMs, figures.slowest] = [ms, `case ${i} (${path}, ${how})`];
      figures.inputs++;
      figures.byPath[path]++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  figures.ms = Date.now() - t0;
  return figures;
}

class CaseProblem extends Error {}

type CaseNote = { how: string };

async function bundleCase(i: number, r: Rand, bases: Bases, dir: string, figures: FuzzFigures, c: CaseNote): Promise<void> {
  let data: Buffer;
  let how: string;
  const kind = r();
  if (kind < 0.2) {
    // A JSON entry of a bundle with a value of another type, zipped again.
    const tree = choose(r, bases.trees);
    const jsonFiles = tree.files.filter((f) => /\.(json|status)$/i.test(f.name));
    const target = choose(r, jsonFiles);
    const mutated = mutateJson(typeof target.data === 'string' ? target.data : target.data.toString('utf8'), r);
    data = await zipBuffer(tree.files.map((f) => (f === target && mutated ? { ...f, data: mutated.text } : f)));
    how = `${tree.name}: ${target.name}: ${mutated?.how ?? 'not json'}`;
  } else {
    const base = choose(r, bases.zips);
    const m = kind < 0.6 ? mutateZip(base.data, r) : mutateBytes(base.data, r);
    // Sometimes a second mutation on top (a structure change plus damage).
    const twice = r() < 0.2 ? mutateZip(m.data, r) : undefined;
    data = twice?.data ?? m.data;
    how = `${base.name}: ${m.how}${twice ? ` + ${twice.how}` : ''}`;
  }
  c.how = how;
  const path = join(dir, `case-${i % 4}.zip`);
  writeFileSync(path, data);
  const report = await analyzeBundle(path, { rules: RULES, now: NOW });
  const status = `bundle ${report.inputs[0]?.status ?? 'none'}`;
  figures.statuses[status] = (figures.statuses[status] ?? 0) + 1;
  const problem = reportProblem(report, /case-\d\.zip: .*expected an azcmagent logs zip/);
  if (problem) throw new CaseProblem(problem);
  if (!report.target) throw new CaseProblem('no target summary');
}

function pastedCase(r: Rand, bases: Bases, figures: FuzzFigures, c: CaseNote): void {
  const base = choose(r, bases.pasted);
  let bytes: Buffer;
  let how: string;
  const json = /\.json$/.test(base.name) && r() < 0.5 ? mutateJson(base.data.toString('utf8'), r) : undefined;
  if (json) {
    bytes = Buffer.from(json.text);
    how = `${base.name}: ${json.how}`;
  } else if (r() < 0.3) {
    // Line-level: duplicated, dropped or very long lines.
    const lines = base.data.toString('utf8').split('\n');
    const at = pick(r, lines.length);
    const op = pick(r, 3);
    if (op === 0) lines.splice(at, 0, ...Array<string>(1 + pick(r, 50)).fill(lines[at] ?? ''));
    else if (op === 1) lines.splice(at, 1 + pick(r, 5));
    else lines[at] = `${lines[at] ?? ''}${choose(r, [' ', ':', '=', '"', '[', '\t', 'a'])}`.repeat(1 + pick(r, 5000));
    bytes = Buffer.from(lines.join(choose(r, ['\n', '\r\n', '\r'])));
    how = `${base.name}: line op ${op} at ${at}`;
  } else {
    const m = mutateBytes(base.data, r);
    bytes = m.data;
    how = `${base.name}: ${m.how}`;
  }
  c.how = how;
  let text: string;
  try {
    text = decodeText(bytes, base.name);
  } catch (err) {
    if (err instanceof InputError) {
      figures.statuses['pasted refused'] = (figures.statuses['pasted refused'] ?? 0) + 1;
      return;
    }
    throw err;
  }
  const facts = new FactStore();
  const summary = ingestText(facts, base.name, text);
  const report = evaluate(facts, [summary], { rules: RULES, now: NOW }, new Set(['pasted']));
  figures.statuses[`pasted ${summary.status}`] = (figures.statuses[`pasted ${summary.status}`] ?? 0) + 1;
  const problem = reportProblem(report, new RegExp(`^${base.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  if (problem) throw new CaseProblem(problem);
}

function logCase(r: Rand, bases: Bases, c: CaseNote): void {
  const base = choose(r, bases.logs);
  const m = mutateBytes(base.data, r);
  c.how = `${base.name}: ${m.how}`;
  if (r() < 0.5) {
    // Streamed, in chunks that split lines, UTF-8 sequences and UTF-16 pairs anywhere.
    const facts = new LogFacts();
    const reader = new LogFileReader({ path: base.name, source: 'bundle', role: choose(r, ['agent-log', 'gc-log', 'extension-log', 'text'] as const) }, facts, choose(r, [64, 1024, 64 * 1024]));
    for (let p = 0; p < m.data.length;) {
      const n = 1 + pick(r, 4096);
      reader.push(m.data.subarray(p, p + n));
      p += n;
    }
    reader.end();
    facts.observations();
  } else {
    scanLogText(base.name, m.data.toString('utf8'), 'pasted');
  }
}

// ---- command line ----

function arg(name: string, argv: readonly string[]): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const seed = Number(arg('seed', argv) ?? Math.floor(Math.random() * 2 ** 31));
  const count = Number(arg('count', argv) ?? 20_000);
  const only = arg('only', argv)?.split(',') as FuzzPath[] | undefined;
  const maxStringArg = arg('max-string', argv);
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1) {
    console.error('usage: npm run fuzz -- [--seed N] [--count N] [--only bundle,pasted,log]');
    return 2;
  }
  console.log(`fuzzing ${count} inputs, seed ${seed}${only ? `, only ${only.join(',')}` : ''}`);
  const f = await fuzz({ seed, count, ...(only ? { only } : {}), ...(maxStringArg ? { maxString: Number(maxStringArg) } : {}), onCase: (i) => { if (i > 0 && i % 1000 === 0) process.stdout.write(`  ${i}\n`); } });
  const rate = (f.inputs / (f.ms / 1000)).toFixed(0);
  console.log(`${f.inputs} inputs in ${(f.ms / 1000).toFixed(1)} s (${rate} inputs/s): bundle ${f.byPath.bundle}, pasted ${f.byPath.pasted}, log ${f.byPath.log}`);
  console.log(`statuses: ${JSON.stringify(f.statuses)}; slowest ${f.slowestMs} ms: ${f.slowest}`);
  console.log(`crashes: ${f.crashes.length}`);
  for (const c of f.crashes.slice(0, 20)) console.log(`  case ${c.case} (${c.path}, ${c.how}):\n    ${c.error.split('\n').slice(0, 6).join('\n    ')}`);
  return f.crashes.length > 0 ? 1 : 0;
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
