/**
 * Fuzz: 2,000+ mutated bundles (bit flips, truncations, header corruption, spliced bytes) from a seeded PRNG,
 * so every run tests the same inputs. Each must come back as a Report (findings, or a clean input error):
 * no exception, no rule crash, and each within a generous time cap.
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeBundle } from '../../core/bundle';
import { RULES } from '../../rules';
import { bundlePath, NOW, scratchDir } from './fixtures';

const SEED = 0x5eed2026;
const CASES = 2_000;
const MAX_MS_PER_INPUT = 5_000;
const STATUSES = new Set(['pass', 'fail', 'warn', 'skip']);

/** mulberry32. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIGNATURES = [[0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x01, 0x02], [0x50, 0x4b, 0x05, 0x06]];

/** Offsets of zip record signatures: where header corruption does the most damage. */
function headerOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  for (const sig of SIGNATURES) for (let i = buf.indexOf(Buffer.from(sig)); i >= 0; i = buf.indexOf(Buffer.from(sig), i + 1)) out.push(i);
  return out;
}

function mutate(base: Buffer, r: () => number): { data: Buffer; how: string } {
  const pick = (n: number): number => Math.floor(r() * n);
  const data = Buffer.from(base);
  switch (pick(5)) {
    case 0: {
      const flips = 1 + pick(16);
      for (let i = 0; i < flips; i++) data[pick(data.length)]! ^= 1 << pick(8);
      return { data, how: `${flips} bit flips` };
    }
    case 1: {
      const len = pick(data.length);
      return { data: data.subarray(0, len), how: `truncated to ${len}` };
    }
    case 2: {
      // Corrupt fields right after a record signature: versions, flags, method, sizes, name lengths, offsets.
      const offsets = headerOffsets(data);
      const at = offsets.length ? offsets[pick(offsets.length)]! + 4 + pick(42) : pick(data.length);
      const n = 1 + pick(4);
      for (let i = 0; i < n && at + i < data.length; i++) data[at + i] = r() < 0.3 ? 0xff : pick(256);
      return { data, how: `header bytes at ${at}` };
    }
    case 3: {
      // Splice: a run of bytes copied over another place (shifted structures, duplicated headers).
      const from = pick(data.length);
      const to = pick(data.length);
      const len = 1 + pick(256);
      data.copy(data, to, from, Math.min(data.length, from + len));
      return { data, how: `splice ${from}->${to} (${len})` };
    }
    default: {
      const at = pick(data.length);
      const zeros = 1 + pick(64);
      data.fill(0, at, Math.min(data.length, at + zeros));
      return { data, how: `${zeros} zeros at ${at}` };
    }
  }
}

describe('bundle fuzz (seeded)', function () {
  this.timeout(120_000);
  const scratch = scratchDir('fuzz');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it(`${CASES} mutated bundles: only findings or clean input errors, each in bounded time`, async () => {
    const names = ['win-healthy', 'win-proxy-timeouts', 'linux-healthy', 'snapshot', 'hostile-encodings', 'hostile-bomb'];
    const bases = await Promise.all(names.map(async (n) => readFile(await bundlePath(n))));
    const r = prng(SEED);
    const kinds = { parsed: 0, unrecognized: 0, error: 0 };
    let slowest = 0;
    for (let i = 0; i < CASES; i++) {
      const base = bases[i % bases.length]!;
      const { data, how } = mutate(base, r);
      const path = join(scratch, `case-${i % 4}.zip`);
      writeFileSync(path, data);
      const what = `case ${i} (${names[i % names.length]}, ${how})`;
      const t0 = Date.now();
      let report;
      try {
        report = await analyzeBundle(path, { rules: RULES, now: NOW });
      } catch (err) {
        assert.fail(`${what} threw: ${(err as Error).stack}`);
      }
      const ms = Date.now() - t0;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < MAX_MS_PER_INPUT, `${what} took ${ms} ms`);
      assert.equal(report.inputs.length, 1, what);
      const input = report.inputs[0]!;
      kinds[input.status]++;
      if (input.status === 'error') assert.match(input.messages[0]!, /case-\d\.zip: .*expected an azcmagent logs zip/, what);
      for (const f of report.results) assert.ok(STATUSES.has(f.status), `${what}: ${f.ruleId} is ${f.status}: ${f.message}`);
      assert.ok(report.target, what);
    }
    // The mutations must exercise both paths: some inputs still analyzed, some refused.
    assert.ok(kinds.parsed > CASES / 4, JSON.stringify(kinds));
    assert.ok(kinds.error > 50, JSON.stringify(kinds));
    assert.ok(slowest < MAX_MS_PER_INPUT);
  });
});
