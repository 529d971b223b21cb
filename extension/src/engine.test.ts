import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeBundle, analyzeTexts, decode, InputError, readBundleEntry, renderReport, ruleIds, UserError } from './engine';
import { DEFAULT_SETTINGS } from './model/settings';
import { FAILED_SAMPLE } from './model/testing';
import { SCENARIOS, zipBuffer } from '../../scripts/make-bundles';

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
});
