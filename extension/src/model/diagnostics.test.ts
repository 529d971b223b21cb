import { strict as assert } from 'node:assert';
import type { Report } from '../../../core/model/report';
import { buildDiagnostics, columnsFor } from './diagnostics';
import { bundleEntryUriParts, docKey, parseBundleEntryUri } from './location';
import { bundleTarget, editorTarget, FAILED_SAMPLE, filesTarget } from './testing';

describe('extension diagnostics model', () => {
  const target = filesTarget(FAILED_SAMPLE);
  const byDoc = buildDiagnostics([target], { failOn: 'fail', redact: true });
  const all = [...byDoc.values()].flat();

  it('puts failures and warnings on the lines they quote, nothing for passes and skips', () => {
    const failing = new Set(target.report.results.filter((r) => r.status === 'fail' || r.status === 'warn').map((r) => r.ruleId));
    assert.deepEqual(new Set(all.map((d) => d.ruleId)), failing);
    const agent = all.find((d) => d.ruleId === 'agent-version')!;
    assert.equal(docKey(agent.doc), `file://${FAILED_SAMPLE[0]}`);
    assert.equal(agent.line, 9, '0-based line of the quoted "Agent Version" line 10');
    assert.equal(agent.severity, 'error');
    assert.equal(agent.docsUrl, 'https://github.com/wac-doctor/wac-doctor/blob/main/docs/rules/agent-version.md');
    assert.match(agent.message, /1\.36\.02345\.678/);
  });

  it('makes one diagnostic per quoted line, each pointing at the other lines', () => {
    const ports = all.filter((d) => d.ruleId === 'incoming-ports');
    const lines = ports.map((d) => `${docKey(d.doc).split('/').pop()}:${d.line + 1}`).sort();
    assert.ok(lines.includes('02-azcmagent-config-list.txt:3'), lines.join(' '));
    assert.equal(new Set(lines).size, lines.length);
    for (const d of ports) {
      assert.equal(d.severity, 'warning');
      assert.equal(d.related.length, ports.length - 1);
      assert.ok(d.related.every((r) => !(docKey(r.location.doc) === docKey(d.doc) && r.location.line === d.line + 1)));
    }
  });

  it('underlines the quoted text, after the indentation', () => {
    const d = all.find((x) => x.ruleId === 'incoming-ports' && docKey(x.doc).endsWith('02-azcmagent-config-list.txt') && x.line === 2)!;
    assert.equal(d.startColumn, 2);
    assert.equal(d.endColumn, '  incomingconnections.ports (preview)     : [22]'.length);
    assert.deepEqual(columnsFor(undefined, 'abc'), [0, 3]);
    assert.deepEqual(columnsFor('   ', undefined), [0, 3]);
  });

  it('makes warnings errors when failOn is warn', () => {
    const warnAsError = [...buildDiagnostics([target], { failOn: 'warn', redact: true }).values()].flat();
    assert.ok(warnAsError.filter((d) => d.ruleId === 'incoming-ports').every((d) => d.severity === 'error'));
  });

  it('points pasted-editor findings at the editor document', () => {
    const t = editorTarget('Untitled-1', 'Local Configuration Settings\n  incomingconnections.enabled (preview)   : true\n  incomingconnections.ports (preview)     : []\n');
    const docs = [...buildDiagnostics([t], { failOn: 'fail', redact: true }).keys()];
    assert.deepEqual(docs, ['untitled:Untitled-1']);
  });

  it('points bundle findings at read-only entries of the zip', () => {
    const report: Report = {
      version: 1, tool: { name: 'wac-doctor', version: '0.1.0' }, generatedAt: '2026-11-26T12:00:00.000Z',
      target: { kind: 'bundle', name: '/tickets/4711/azcmagent-logs.zip' }, inputs: [],
      results: [{
        ruleId: 'incoming-ports', status: 'warn', title: 't', category: 'configuration', message: 'ports is []', docsUrl: 'https://example.test/d',
        evidence: [{ source: 'bundle', path: 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json', line: 3, excerpt: '"incomingconnections.ports": [' }],
      }],
      summary: { pass: 0, fail: 0, warn: 1, skip: 0, error: 0 },
    };
    const [d] = [...buildDiagnostics([bundleTarget(report)], { failOn: 'fail', redact: true }).values()].flat();
    assert.deepEqual(d!.doc, { kind: 'bundle', bundle: '/tickets/4711/azcmagent-logs.zip', entry: 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json' });
    const parts = bundleEntryUriParts('/tickets/4711/azcmagent-logs.zip', 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json');
    assert.deepEqual(parts, { scheme: 'wac-doctor-bundle', path: '/ProgramData/AzureConnectedMachineAgent/Config/localconfig.json', query: '/tickets/4711/azcmagent-logs.zip' });
    assert.deepEqual(parseBundleEntryUri(parts), { bundle: '/tickets/4711/azcmagent-logs.zip', entry: 'ProgramData/AzureConnectedMachineAgent/Config/localconfig.json' });
    assert.equal(parseBundleEntryUri({ ...parts, scheme: 'file' }), undefined);
  });
});
