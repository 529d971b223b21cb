/**
 * The log worker (BundleOptions.logWorkers 'on'): a report is the same whichever thread read which log, because
 * each log is read into its own LogFacts and absorbed in entry order. Bundles with lies and damage between the logs
 * check that what entries say (notes, messages, tallies) keeps its order too.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBundle } from '../../core/sources/bundle';
import { LogWorkers } from '../../core/sources/bundle/log-workers';
import type { Report } from '../../core/model/report';
import { RULES } from '../../rules';
import { writeBigBundle } from '../../bench/generate';
import { logrus } from '../../scripts/make-bundles';
import { craftZip } from '../../scripts/zip-craft';
import { NOW, scratchDir } from './fixtures';

const LOG = 'ProgramData/AzureConnectedMachineAgent/Log';
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'bundles');

async function both(path: string): Promise<{ off: Report; on: Report }> {
  const off = await analyzeBundle(path, { rules: RULES, now: NOW, logWorkers: 'off' });
  const on = await analyzeBundle(path, { rules: RULES, now: NOW, logWorkers: 'on' });
  return { off: { ...off, generatedAt: '' }, on: { ...on, generatedAt: '' } };
}

function agentLog(lines: number, host: string, seed: number): Buffer {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = `2026-09-14T08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String((i + seed) % 60).padStart(2, '0')}Z`;
    out.push((i + seed) % 3 === 0
      ? logrus(t, 'error', 'Request failed', { Error: `Get "https://${host}/x": dial tcp 20.50.1.${seed}:443: i/o timeout` })
      : logrus(t, 'warning', 'Request completed after retries', { Endpoint: `https://${host}`, Status: '200' }));
  }
  return Buffer.from(`${out.join('\n')}\n`);
}

describe('bundle log worker', function () {
  this.timeout(120_000);
  const scratch = scratchDir('log-worker');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives the same report as one thread on a noisy generated bundle (caps hit, files overlapping in time)', async () => {
    const path = join(scratch, 'noisy.zip');
    await writeBigBundle(path, 12 * 1024 * 1024, 8, 3, 'noisy');
    const { off, on } = await both(path);
    // Hundreds of failures of a host that also answers between them: far more runs than a host keeps (caps hit).
    assert.ok((off.target?.notes ?? []).some((n) => /: \d{3,} failures/.test(n)), `the bundle should hit the run caps: ${JSON.stringify(off.target?.notes)}`);
    assert.deepEqual(on, off);
  });

  it('gives the same report as one thread on every fixture bundle (hostile ones included)', async () => {
    const zips = readdirSync(FIXTURES).filter((f) => f.endsWith('.zip'));
    assert.ok(zips.length >= 10);
    for (const zip of zips) {
      const { off, on } = await both(join(FIXTURES, zip));
      assert.deepEqual(on, off, zip);
    }
  });

  it('keeps the order of what entries say when lies and damage sit between logs', async () => {
    const path = join(scratch, 'mixed.zip');
    writeFileSync(path, craftZip([
      { name: `${LOG}/himds.log`, data: agentLog(3000, 'gbl.his.arc.azure.com', 1) },
      { name: `${LOG}/himds-1.log`, localName: `${LOG}/other.log`, data: agentLog(2000, 'management.azure.com', 2) },
      { name: `${LOG}/himds-2.log`, data: agentLog(2000, 'gbl.his.arc.azure.com', 3), declaredSize: 1000 },
      { name: 'ProgramData/AzureConnectedMachineAgent/Config/agentconfig.json', data: Buffer.from('{"config.mode":"full"}') },
      { name: `${LOG}/azcmagent.log`, data: agentLog(2500, 'login.microsoftonline.com', 4) },
      { name: `${LOG}/himds-3.log`, data: Buffer.alloc(0) },
      { name: `${LOG}/himds.log`, data: agentLog(10, 'pas.windows.net', 5) },
      { name: `${LOG}/himds-4.log`, data: agentLog(4000, 'gbl.his.arc.azure.com', 6), declaredSize: 400_000 },
      { name: `${LOG}/arcproxy.log`, data: agentLog(1500, 'pas.windows.net', 7) },
    ]));
    const { off, on } = await both(path);
    assert.ok(off.inputs[0]!.messages.length >= 3, 'the lies are said');
    assert.deepEqual(on, off);
  });

  it('fails the entries it holds, with a message, when its worker stops', async () => {
    assert.ok(LogWorkers.available());
    const workers = new LogWorkers();
    const path = join(scratch, 'one.zip');
    writeFileSync(path, craftZip([{ name: `${LOG}/himds.log`, data: agentLog(20_000, 'gbl.his.arc.azure.com', 1), method: 0 }]));
    const task = { zipPath: path, at: { dataStart: 30 + `${LOG}/himds.log`.length, compressedSize: 1000, method: 0, declared: 1000 }, path: `${LOG}/himds.log`, role: 'agent-log' as const, file: 1, maxLineChars: 65536, cap: 1001, deadline: Date.now() + 60_000 };
    const read = await workers.submit(task);
    assert.equal(read.bytes, 1000);
    const pending = workers.submit(task);
    workers.close();
    await assert.rejects(pending, /log worker|closed/);
    await assert.rejects(workers.submit(task), /closed/);
  });
});
