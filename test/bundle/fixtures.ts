/** Test bundles, generated once per run into a temp folder by the real generator (scripts/make-bundles.ts). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allBundles } from '../../scripts/make-bundles';
import { analyzeBundle } from '../../core/sources/bundle';
import { RULES } from '../../rules';
import type { Report } from '../../core/model/report';
import type { Finding, Status } from '../../core/model/types';

let dir: string | undefined;
let ready: Promise<string> | undefined;

export function bundleDir(): Promise<string> {
  ready ??= (async () => {
    dir = mkdtempSync(join(tmpdir(), 'wac-doctor-bundles-'));
    for (const [name, buf] of Object.entries(await allBundles())) writeFileSync(join(dir, name), buf);
    return dir;
  })();
  return ready;
}

export async function bundlePath(name: string): Promise<string> {
  return join(await bundleDir(), name.endsWith('.zip') ? name : `${name}.zip`);
}

/** A scratch folder for one test file, removed at the end of the run. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `wac-doctor-${prefix}-`));
}

export const NOW = new Date('2026-09-14T12:00:00Z');

export async function analyzeNamed(name: string): Promise<Report> {
  return analyzeBundle(await bundlePath(name), { rules: RULES, now: NOW });
}

export function finding(report: Report, ruleId: string): Finding {
  const f = report.results.find((r) => r.ruleId === ruleId);
  if (!f) throw new Error(`no finding for ${ruleId}`);
  return f;
}

/** Rule ids by status, for exact assertions. */
export function byStatus(report: Report): Record<Status, string[]> {
  const out: Record<Status, string[]> = { pass: [], fail: [], warn: [], skip: [], error: [] };
  for (const r of report.results) out[r.status].push(r.ruleId);
  return out;
}

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
