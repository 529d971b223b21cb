import { strict as assert } from 'node:assert';
import { renderJson, toJsonContract } from './json';
import { render } from './index';
import {
  bundleReport, liveReport, reportOf, SAS_SIG, SAS_URL, SECRET_PASSWORD, SECRET_PROXY, sampleBundleTarget, sampleMulti, sampleOptions, sampleReport,
} from '../../test/support/sample-report';
import { multiReport, type MultiReport, type Report, type TargetSummary } from '../model/report';
import type { Finding } from '../model/types';

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
    assert.equal(parsed.results.find((r) => r.ruleId === 'agent-status')!.evidence[0]!.line, 14);
  });

  it('is what render("json") returns', () => {
    assert.equal(render('json', sampleReport(), sampleOptions()), out);
  });
});

describe('json reporter: targets', () => {
  it('puts target right after generatedAt, fields in a stable order', () => {
    const parsed = JSON.parse(renderJson(bundleReport(), sampleOptions())) as Report;
    assert.deepEqual(Object.keys(parsed), ['version', 'tool', 'generatedAt', 'target', 'inputs', 'results', 'summary']);
    assert.deepEqual(Object.keys(parsed.target!), ['kind', 'name', 'machine', 'os', 'agentVersion', 'timeRange', 'filesFound', 'filesMissing', 'notes']);
    assert.deepEqual(Object.keys(parsed.target!.timeRange!), ['from', 'to']);
    const live = JSON.parse(renderJson(liveReport(), sampleOptions())) as Report;
    assert.deepEqual(live.target, { kind: 'live', name: 'SRV-WEB-08', machine: 'SRV-WEB-08', os: 'Windows Server 2019', agentVersion: '1.44.02627.1515' });
  });

  it('orders target keys whatever the input order, and drops keys outside the contract', () => {
    const t = { notes: ['n'], timeRange: { to: 'b', from: 'a', extra: 1 }, name: 'x.zip', kind: 'bundle', secretField: 'no' } as unknown as TargetSummary;
    const parsed = JSON.parse(renderJson(reportOf([], [], t), sampleOptions())) as Report;
    assert.deepEqual(Object.keys(parsed.target!), ['kind', 'name', 'timeRange', 'notes']);
    assert.deepEqual(Object.keys(parsed.target!.timeRange!), ['from', 'to']);
    assert.ok(!JSON.stringify(parsed).includes('secretField'));
  });

  it('round-trips a target unchanged without redaction and redacts its strings with it', () => {
    const raw = JSON.parse(renderJson(bundleReport(), sampleOptions({ redact: false }))) as Report;
    assert.deepEqual(raw.target, sampleBundleTarget());
    const red = JSON.parse(renderJson(reportOf([], [], { kind: 'snapshot', name: SAS_URL, machine: `m ${SECRET_PROXY}`, notes: [`n ${SECRET_PROXY}`] }), sampleOptions())) as Report;
    assert.equal(red.target!.name, 'https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=***');
    assert.equal(red.target!.machine, 'm http://***@10.1.2.3:3128');
    assert.deepEqual(red.target!.notes, ['n http://***@10.1.2.3:3128']);
  });
});

describe('json reporter: several targets', () => {
  const out = renderJson(sampleMulti(), sampleOptions());
  const parsed = JSON.parse(out) as MultiReport;

  it('is the MultiReport contract: version 1, reports[], crossSummary[]', () => {
    assert.deepEqual(Object.keys(parsed), ['version', 'tool', 'generatedAt', 'reports', 'crossSummary']);
    assert.equal(parsed.version, 1);
    assert.deepEqual(parsed.tool, { name: 'wac-doctor', version: '0.1.0' });
    assert.equal(parsed.reports.length, 3);
    for (const r of parsed.reports) assert.deepEqual(Object.keys(r), ['version', 'tool', 'generatedAt', 'target', 'inputs', 'results', 'summary']);
    assert.deepEqual(Object.keys(parsed.crossSummary[0]!), ['ruleId', 'title', 'counts', 'failing']);
    assert.deepEqual(Object.keys(parsed.crossSummary[0]!.counts), ['pass', 'fail', 'warn', 'skip', 'error']);
    const agent = parsed.crossSummary.find((r) => r.ruleId === 'agent-status')!;
    assert.deepEqual(agent.counts, { pass: 1, fail: 2, warn: 0, skip: 0, error: 0 });
    assert.deepEqual(agent.failing, ['/ci/bundles/azcmagent-logs-241118T0912-SRV-WEB-07.zip', 'SRV-WEB-08']);
  });

  it('round-trips unchanged when redaction is off', () => {
    const multi = sampleMulti();
    const raw = renderJson(multi, sampleOptions({ redact: false }));
    assert.deepEqual(JSON.parse(raw), JSON.parse(JSON.stringify(multi)));
    assert.ok(raw.includes(SECRET_PROXY));
    // A pasted report inside a MultiReport keeps the original shape (no target key).
    const mixed = JSON.parse(renderJson(multiReport([sampleReport(), bundleReport()], '2026-11-26T12:00:00.000Z'), sampleOptions({ redact: false }))) as MultiReport;
    assert.deepEqual(mixed.reports[0], JSON.parse(JSON.stringify(sampleReport())));
    assert.ok(!('target' in mixed.reports[0]!));
  });

  it('redacts nested reports, their targets and the cross summary', () => {
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!out.includes(secret), `no ${secret}`);
    const bundle = parsed.reports[0]!;
    assert.equal(bundle.target!.notes![1], 'azcmagent-config-list.txt sets proxy.url http://***@10.1.2.3:3128');
    assert.equal(bundle.results.find((r) => r.ruleId === 'proxy')!.message, 'The agent proxy http://***@10.1.2.3:3128 refused CONNECT.');
    assert.equal(parsed.reports[1]!.results.find((r) => r.ruleId === 'endpoint-wac')!.evidence[0]!.excerpt, 'Location: https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=***');
    const leaky = multiReport([reportOf([sampleReport().results[2]!], [], { kind: 'snapshot', name: SAS_URL })], '2026-11-26T12:00:00.000Z');
    const red = JSON.parse(renderJson(leaky, sampleOptions())) as MultiReport;
    assert.deepEqual(red.crossSummary[0]!.failing, ['https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=***']);
    assert.equal(red.reports[0]!.target!.name, 'https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=***');
  });

  it('is what render("json") returns', () => {
    assert.equal(render('json', sampleMulti(), sampleOptions()), out);
  });
});
