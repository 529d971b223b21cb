import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, escapeHtml, renderEmptyPage, renderReportPage, type Report } from '../../../core';
import { parsePageMessage } from './reportHtml';
import { bundleTarget, editorTarget, FAILED_SAMPLE, filesTarget } from './testing';

const RES = { cspSource: 'https://*.vscode-cdn.net', nonce: 'bm9uY2Utbm9uY2Utbm9uY2U=', scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js', styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css' };
const HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>\'`&';

/** Every tag name in the page, to show that input text never became markup. */
function tags(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
}

function hostileReport(): Report {
  return {
    version: 1, tool: { name: 'wac-doctor', version: '0.1.0' }, generatedAt: '2026-11-26T12:00:00.000Z',
    target: { kind: 'bundle', name: `/tickets/${HOSTILE}.zip`, machine: HOSTILE, notes: [HOSTILE], filesMissing: [HOSTILE] },
    inputs: [{ path: HOSTILE, kind: null, status: 'unrecognized', facts: 0, messages: [HOSTILE] }],
    results: [{
      ruleId: 'incoming-ports', status: 'fail', title: HOSTILE, category: 'configuration', message: HOSTILE, docsUrl: 'https://example.test/',
      evidence: [{ source: 'bundle', path: HOSTILE, line: 1, excerpt: HOSTILE }],
      fix: { summary: HOSTILE, commands: [{ shell: 'powershell', command: `azcmagent config set x ${HOSTILE}` }] },
    }],
    summary: { pass: 0, fail: 1, warn: 0, skip: 0, error: 0 },
  };
}

describe('extension report page', () => {
  it('labels a destructive command DESTRUCTIVE beside its shell (issue 9 item 4)', () => {
    const report = hostileReport();
    report.results[0]!.fix = { summary: 's', commands: [
      { shell: 'azcli', command: 'az connectedmachine extension update --name AdminCenter' },
      { shell: 'azcli', command: 'az connectedmachine extension delete --name AdminCenter --yes', destructive: true },
    ] };
    const html = renderReportPage(bundleTarget(report), RES, { redact: false, trusted: true });
    const blocks = html.split('<div class="command">').slice(1);
    assert.equal(blocks.length, 2);
    assert.doesNotMatch(blocks[0]!, /DESTRUCTIVE/);
    assert.match(blocks[1]!, /<span class="shell">azcli <strong class="destructive">DESTRUCTIVE<\/strong><\/span>/);
  });

  it('escapes &, <, >, quotes and backticks', () => {
    assert.equal(escapeHtml(HOSTILE), '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#39;&#96;&amp;');
  });

  it('turns no input text into markup, in text or attributes', () => {
    const html = renderReportPage(bundleTarget(hostileReport()), RES, { redact: false, trusted: true });
    assert.ok(!html.includes('<script>alert'), 'raw script from input');
    assert.ok(!html.includes('<img'), 'raw img from input');
    assert.ok(!html.includes('onerror=alert(2)>'), 'raw event handler from input');
    // Only our own elements: one script (the nonce'd bundle), no img/iframe/object/a with href to input.
    const t = tags(html);
    assert.equal(t.filter((x) => x === 'script').length, 1);
    for (const bad of ['img', 'iframe', 'object', 'embed', 'form', 'base']) assert.ok(!t.includes(bad), `<${bad}> in page`);
    // Attribute values cannot be closed early: every title/heading attribute is well formed.
    for (const m of html.matchAll(/ (title|heading|description)="([^"]*)"/g)) assert.ok(!m[2]!.includes('<'), m[0]);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the text is still shown, escaped');
  });

  it('has a strict CSP: nothing by default, scripts only with the nonce, no inline or remote code', () => {
    const csp = contentSecurityPolicy(RES);
    assert.equal(csp, "default-src 'none'; img-src https://*.vscode-cdn.net; font-src https://*.vscode-cdn.net; style-src https://*.vscode-cdn.net; script-src 'nonce-bm9uY2Utbm9uY2Utbm9uY2U='");
    const html = renderReportPage(filesTarget(FAILED_SAMPLE), RES, { redact: true, trusted: true });
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`));
    assert.ok(html.includes(`<script nonce="${RES.nonce}" src="${RES.scriptUri}"></script>`));
    assert.ok(!/ on[a-z]+=/.test(html), 'no inline event handlers');
    assert.ok(!/ style=/.test(html), 'no inline styles');
    assert.ok(!/https?:\/\/(?!file\+\.vscode-resource)[^"]*\.(js|css)"/.test(html), 'no remote scripts or styles');
    assert.ok(renderEmptyPage(RES).includes(`content="${escapeHtml(csp)}"`));
  });

  it('shows summary, categories, evidence links and fix commands with copy buttons', () => {
    const t = filesTarget(FAILED_SAMPLE);
    const html = renderReportPage(t, RES, { redact: true, trusted: true });
    assert.ok(html.includes('<h1>failed-to-connect (5 files)</h1>'));
    assert.ok(html.includes(`<vscode-badge variant="counter">${t.report.summary.fail}</vscode-badge> failed`));
    assert.ok(html.includes('heading="Connected Machine agent"'));
    assert.ok(html.includes('data-action="openEvidence" data-rule="agent-version" data-index="0"'));
    assert.ok(html.includes('>01-azcmagent-show.txt:10</a>'));
    assert.ok(html.includes('<pre><code>Start-Service -Name &#39;WindowsAdminCenter&#39;</code></pre>'));
    assert.ok(html.includes('data-action="copyFix" data-rule="wac-service" data-index="0">Copy</vscode-button>'));
    assert.ok(html.includes('data-action="runFix" data-rule="wac-service" data-index="0"'));
    assert.ok(html.includes(`heading="Not checked (${t.report.summary.skip})"`));
  });

  it('offers Run only in a trusted workspace', () => {
    const html = renderReportPage(filesTarget(FAILED_SAMPLE), RES, { redact: true, trusted: false });
    assert.ok(!html.includes('data-action="runFix"'));
    assert.ok(html.includes('data-action="copyFix"'));
  });

  it('redacts secrets from the inputs by default', () => {
    const text = 'Local Configuration Settings\n  incomingconnections.enabled (preview)   : true\n  incomingconnections.ports (preview)     : []\n  proxy.url                               : http://admin:S3cret@proxy.contoso.com:8080\n';
    const t = editorTarget('Untitled-2', text);
    assert.ok(!renderReportPage(t, RES, { redact: true, trusted: true }).includes('S3cret'));
    assert.ok(renderReportPage(t, RES, { redact: false, trusted: true }).includes('S3cret'));
  });

  it('accepts only well-formed messages from the page', () => {
    assert.deepEqual(parsePageMessage({ type: 'copyFix', ruleId: 'wac-service', index: 0 }), { type: 'copyFix', ruleId: 'wac-service', index: 0 });
    assert.deepEqual(parsePageMessage({ type: 'copySummary', extra: 1 }), { type: 'copySummary' });
    for (const bad of [null, 'runFix', { type: 'runFix', ruleId: 'wac-service' }, { type: 'runFix', ruleId: 'x; rm -rf /', index: 0 },
      { type: 'runFix', ruleId: 'wac-service', index: -1 }, { type: 'runFix', ruleId: 'wac-service', index: 1.5 }, { type: 'runCommand', command: 'rm -rf /' }]) {
      assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('opens at a finding when told (fleet view), only for a rule the report has', () => {
    const target = filesTarget(FAILED_SAMPLE);
    const opts = { redact: true, trusted: true };
    const focused = renderReportPage(target, RES, { ...opts, focusRuleId: 'wac-service' });
    assert.match(focused, /<body data-focus-rule="wac-service">/);
    assert.match(focused, /<details class="rule rule-fail" open data-rule="wac-service">/, 'the script finds it by this attribute');
    assert.match(renderReportPage(target, RES, opts), /<body>/);
    // A rule this report lacks (or any other text) is not written into the page.
    assert.match(renderReportPage(target, RES, { ...opts, focusRuleId: `x${HOSTILE}` }), /<body>/);
  });
});
