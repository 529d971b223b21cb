import { strict as assert } from 'node:assert';
import { renderJson, toJsonContract } from './json';
import { render } from './index';
import { reportOf, SAS_SIG, SAS_URL, SECRET_PASSWORD, SECRET_PROXY, sampleOptions, sampleReport } from './sample-report';
import type { Report } from '../report';
import type { Finding } from '../types';

describe('json reporter', () => {
  const out = renderJson(sampleReport(), sampleOptions());
  const parsed = JSON.parse(out) as Report;

  it('is pretty-printed with two spaces and ends with a newline', () => {
    assert.ok(out.startsWith('{\n  "version": 1,\n  "tool": {\n    "name": "wac-doctor",\n    "version": "0.1.0"\n  },\n  "generatedAt": "2026-11-26T12:00:00.000Z",\n'));
    assert.ok(out.endsWith('\n}\n'));
  });

  it('has the contract keys in a stable order', () => {
    assert.deepEqual(Object.keys(parsed), ['version', 'tool', 'generatedAt', 'inputs', 'results', 'summary']);
    assert.deepEqual(Object.keys(parsed.summary), ['pass', 'fail', 'warn', 'skip', 'error']);
    assert.deepEqual(parsed.summary, { pass: 5, fail: 3, warn: 2, skip: 2, error: 1 });
    assert.deepEqual(Object.keys(parsed.inputs[0]!), ['path', 'kind', 'label', 'status', 'messages', 'facts']);
    assert.deepEqual(Object.keys(parsed.inputs[5]!), ['path', 'kind', 'status', 'messages', 'facts'], 'no label on an unrecognized input');
    assert.equal(parsed.inputs[5]!.kind, null);
    const byId = new Map(parsed.results.map((r) => [r.ruleId, r]));
    assert.deepEqual(Object.keys(byId.get('agent-status')!), ['ruleId', 'status', 'title', 'category', 'message', 'evidence', 'fix', 'docsUrl']);
    assert.deepEqual(Object.keys(byId.get('rbac')!), ['ruleId', 'status', 'title', 'category', 'message', 'evidence', 'docsUrl', 'missing']);
    assert.deepEqual(Object.keys(byId.get('agent-status')!.evidence[0]!), ['source', 'path', 'line', 'excerpt']);
    assert.deepEqual(Object.keys(byId.get('extension-status')!.evidence[0]!), ['source', 'path', 'excerpt'], 'no line key when the evidence has none');
    assert.deepEqual(Object.keys(byId.get('agent-status')!.fix!.commands[0]!), ['shell', 'command']);
  });

  it('orders keys the same whatever order the input objects had', () => {
    const scrambled = {
      missing: ['os'], docsUrl: 'https://x/y.md', evidence: [{ excerpt: 'e', line: 2, path: 'p.txt', source: 'pasted' }],
      message: 'm', category: 'requirements', title: 't', status: 'skip', ruleId: 'r',
    } as unknown as Finding;
    const report = reportOf([scrambled]);
    const scrambledReport = { summary: report.summary, results: report.results, inputs: report.inputs, generatedAt: report.generatedAt, tool: report.tool, version: 1 } as Report;
    const text = renderJson(scrambledReport, sampleOptions());
    assert.ok(text.indexOf('"version"') < text.indexOf('"tool"') && text.indexOf('"results"') < text.indexOf('"summary"'));
    const r = (JSON.parse(text) as Report).results[0]!;
    assert.deepEqual(Object.keys(r), ['ruleId', 'status', 'title', 'category', 'message', 'evidence', 'docsUrl', 'missing']);
    assert.deepEqual(Object.keys(r.evidence[0]!), ['source', 'path', 'line', 'excerpt']);
  });

  it('leaks nothing outside the contract', () => {
    const extra = { ...sampleReport().results[0]!, internal: 'do not serialise' } as Finding;
    const text = renderJson(reportOf([extra]), sampleOptions());
    assert.ok(!text.includes('internal'));
    assert.ok(!text.includes('do not serialise'));
  });

  it('round-trips the report unchanged when redaction is off', () => {
    const report = sampleReport();
    const raw = renderJson(report, sampleOptions({ redact: false }));
    assert.deepEqual(JSON.parse(raw), JSON.parse(JSON.stringify(report)));
    assert.deepEqual(toJsonContract(report), JSON.parse(raw));
    assert.ok(raw.includes(SECRET_PROXY));
    assert.ok(raw.includes(JSON.stringify(`Location: ${SAS_URL}`)));
  });

  it('redacts every input-derived string when redaction is on', () => {
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!out.includes(secret), `no ${secret}`);
    const proxy = parsed.results.find((r) => r.ruleId === 'proxy')!;
    assert.equal(proxy.message, 'The agent proxy http://***@10.1.2.3:3128 answered 407 Proxy Authentication Required for wac.azure.com.');
    assert.equal(proxy.evidence[0]!.excerpt, 'proxy.url                          http://***@10.1.2.3:3128');
    assert.equal(proxy.fix!.commands[0]!.command, 'azcmagent config set proxy.url "http://***@10.1.2.3:3128"');
    assert.equal(parsed.inputs[5]!.messages[0], 'notes.txt: not a recognized output; it mentions http://***@10.1.2.3:3128');
    const wac = parsed.results.find((r) => r.ruleId === 'endpoint-wac')!;
    assert.equal(wac.evidence[0]!.excerpt, 'Location: https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=***');
    // Everything else is untouched.
    assert.equal(parsed.results.length, 13);
    assert.equal(parsed.results[2]!.evidence[0]!.line, 14);
  });

  it('is what render("json") returns', () => {
    assert.equal(render('json', sampleReport(), sampleOptions()), out);
  });
});
