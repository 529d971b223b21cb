import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeBundle, analyzeFleetExport, analyzeTexts, decode, InputError, isFleetExport, readBundleEntry, renderReport, ruleIds, UserError } from './engine';
import { DEFAULT_SETTINGS } from './model/settings';
import { FAILED_SAMPLE } from './model/testing';
import { SCENARIOS, zipBuffer } from '../../scripts/make-bundles';
import { CLASSES, writeFleetFixtures } from '../../scripts/fleet-fixtures';
import { targetId, targetLabel, type Origin } from './model/target';

describe('extension engine (the door into core)', () => {
  const inputs = FAILED_SAMPLE.map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));

  it('analyzes pasted texts like the CLI, honouring disabled rules and the port', () => {
    const report = analyzeTexts(inputs, DEFAULT_SETTINGS);
    assert.equal(report.results.length, ruleIds().length);
    assert.equal(report.results.find((r) => r.ruleId === 'wac-service')!.status, 'fail');
    const fewer = analyzeTexts(inputs, { ...DEFAULT_SETTINGS, disabledRules: ['wac-service'] });
    assert.ok(!fewer.results.some((r) => r.ruleId === 'wac-service'));
    const port = analyzeTexts(inputs, { ...DEFAULT_SETTINGS, wacPort: 6600 });
    assert.match(port.results.find((r) => r.ruleId === 'incoming-ports')!.message, /6600/);
  });

  it('reports unreadable inputs without throwing', () => {
    const report = analyzeTexts([{ path: 'a.bin', error: 'a.bin: binary data' }, inputs[0]!], DEFAULT_SETTINGS);
    assert.equal(report.inputs[0]!.status, 'error');
    assert.equal(report.inputs[1]!.status, 'parsed');
  });

  it('decodes UTF-16 and refuses binary', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Local Configuration Settings\r\n', 'utf16le')]);
    assert.equal(decode(new Uint8Array(utf16), 'x.txt'), 'Local Configuration Settings\n');
    assert.throws(() => decode(new Uint8Array([0, 1, 2, 0, 0, 0, 3, 4]), 'y.bin'), InputError);
  });

  it('renders markdown and SARIF, redacted by default', () => {
    const text = 'Local Configuration Settings\n  incomingconnections.enabled (preview)   : true\n  incomingconnections.ports (preview)     : []\n  proxy.url                               : http://admin:S3cret@proxy.contoso.com:8080\n';
    const report = analyzeTexts([{ path: 'config.txt', text }], DEFAULT_SETTINGS);
    const md = renderReport('markdown', report, { ...DEFAULT_SETTINGS, failOn: 'fail' });
    assert.ok(!md.includes('S3cret'));
    assert.ok(renderReport('markdown', report, { ...DEFAULT_SETTINGS, redact: false }).includes('S3cret'));
    assert.equal(JSON.parse(renderReport('sarif', report, DEFAULT_SETTINGS)).version, '2.1.0');
  });

  describe('bundles', () => {
    let dir: string;
    before(() => { dir = mkdtempSync(join(tmpdir(), 'wacd-ext-')); });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('analyzes a logs zip and reads its entries back for the read-only documents', async () => {
      const zip = join(dir, 'azcmagent-logs-test.zip');
      writeFileSync(zip, await zipBuffer(SCENARIOS['win-incoming-ports']!.files()));
      const progress: string[] = [];
      const [report] = await analyzeBundle(zip, DEFAULT_SETTINGS, (m) => progress.push(m));
      assert.equal(report!.target!.kind, 'bundle');
      const finding = report!.results.find((r) => r.ruleId === 'incoming-ports')!;
      assert.equal(finding.status, 'warn');
      const ev = finding.evidence.find((e) => e.line !== undefined && e.path)!;
      const text = await readBundleEntry(zip, ev.path!);
      assert.equal(text.split('\n')[ev.line! - 1]!.trim(), ev.excerpt);
      assert.ok(progress.length > 0);
      await assert.rejects(readBundleEntry(zip, 'no/such/entry.log'), UserError);
    });
  });

  describe('Resource Graph exports', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'wac-doctor-ext-fleet-'));
      writeFleetFixtures(dir);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('tells an export from a single machine\'s output by content', async () => {
      assert.equal(await isFleetExport(join(dir, 'query-az.json')), true);
      assert.equal(await isFleetExport(join(dir, 'plain-search-azgraph.json')), true);
      assert.equal(await isFleetExport(join(dir, 'nowhere.json')), false);
      assert.equal(await isFleetExport(FAILED_SAMPLE[0]!), false);
      assert.equal(await isFleetExport(FAILED_SAMPLE[3]!), false, 'one machine\'s az connectedmachine extension list');
    });

    it('gives one report per machine, named and identified by ARM id, joining extensions across pages', async () => {
      const { reports, pages } = await analyzeFleetExport([join(dir, 'paged-plain-1.json'), join(dir, 'paged-plain-2.json')], DEFAULT_SETTINGS);
      assert.equal(reports.length, CLASSES.length);
      assert.equal(pages.length, 2);
      const origin: Origin = { kind: 'fleet', paths: [join(dir, 'paged-plain-1.json'), join(dir, 'paged-plain-2.json')] };
      const ids = reports.map((r) => targetId(origin, r.target!.id));
      assert.equal(new Set(ids).size, reports.length, 'one target per machine');
      assert.ok(ids.every((id) => /^fleet:\/subscriptions\/[^/]+\/resourceGroups\/rg-[a-z-]+\/providers\/Microsoft\.HybridCompute\/machines\/srv-[a-z-]+$/i.test(id)), ids[0]);
      assert.deepEqual(reports.map((r) => targetLabel(origin, { report: r })).sort(), CLASSES.map((c) => `srv-${c}`).sort());
      // The extension rows were on the other page: the AdminCenter extension's state was still judged.
      const failed = reports.find((r) => r.target!.name === 'srv-extension-failed')!;
      assert.equal(failed.results.find((f) => f.ruleId === 'extension-status')!.status, 'fail');
    });

    it('keeps the good pages\' machines when a page is cut, and says which page', async () => {
      const { reports, pages } = await analyzeFleetExport([join(dir, 'query-az.json'), join(dir, 'bad-truncated.json')], DEFAULT_SETTINGS);
      assert.ok(reports.length >= CLASSES.length);
      assert.ok(pages[1]!.messages.some((m) => m.includes('bad-truncated.json')), JSON.stringify(pages[1]));
    });
  });
});
