import { strict as assert } from 'node:assert';
import { copyFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyzeFiles } from '../../core/sources/pasted';
import { analyzeBundles } from '../../core/sources/bundle';
import { multiReport } from '../../core/model/report';
import { analyzeInputs, classifyInput } from '../../core/sources/targets';
import { RULES } from '../../rules';
import { defineRule, pass } from '../../core/engine/rule';
import { bundlePath, finding, NOW, scratchDir } from './fixtures';

const SAMPLES = join(__dirname, '..', '..', 'fixtures', 'samples', 'failed-to-connect');
const options = { rules: RULES, now: NOW };

describe('analyzeInputs: zips, folders and text files as targets', () => {
  const scratch = scratchDir('targets');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('classifies by content: a zip by its magic bytes whatever its name, folders, and text', async () => {
    const disguised = join(scratch, 'bundle.txt');
    copyFileSync(await bundlePath('win-healthy'), disguised);
    assert.equal(await classifyInput(disguised), 'zip');
    assert.equal(await classifyInput(scratch), 'folder');
    assert.equal(await classifyInput(join(SAMPLES, '01-azcmagent-show.txt')), 'text');
    assert.equal(await classifyInput('-'), 'text');
    assert.equal(await classifyInput(join(scratch, 'missing')), 'text');
  });

  it('only text files: one pasted report, exactly what analyzeFiles gives (no target)', async () => {
    const files = readdirSync(SAMPLES).map((f) => join(SAMPLES, f));
    const [report, ...rest] = await analyzeInputs(files, options);
    assert.equal(rest.length, 0);
    const expected = await analyzeFiles(files, options);
    assert.deepEqual({ ...report!, generatedAt: '' }, { ...expected, generatedAt: '' });
    assert.equal(report!.target, undefined);
  });

  it('mixed: one report per bundle (in parallel workers, from source) and one for the text files, in input order', async function () {
    this.timeout(60_000);
    const show = join(SAMPLES, '01-azcmagent-show.txt');
    const inputs = [await bundlePath('win-agent-136'), show, await bundlePath('hostile-not-a-zip'), await bundlePath('win-blocklist'), join(SAMPLES, '02-azcmagent-config-list.txt')];
    // hostile-not-a-zip is text by its bytes: it joins the pasted target, refused there as a .zip that is not one.
    const reports = await analyzeInputs(inputs, { ...options, workers: 2 });
    assert.deepEqual(reports.map((r) => r.target?.kind), ['bundle', 'pasted', 'bundle']);
    assert.equal(finding(reports[0]!, 'agent-version').status, 'fail');
    assert.equal(finding(reports[2]!, 'extension-allowed').status, 'fail');
    const pasted = reports[1]!;
    assert.equal(pasted.target!.name, 'pasted inputs');
    assert.deepEqual(pasted.inputs.map((i) => [i.status, i.kind]), [['parsed', 'azcmagent-show-text'], ['error', null], ['parsed', 'azcmagent-config-text']]);
    const multi = multiReport(reports, NOW.toISOString());
    const version = multi.crossSummary.find((c) => c.ruleId === 'agent-version')!;
    assert.equal(version.counts.fail, 2); // win-agent-136 and the pasted 1.45 (24 months old)
  });

  it('an unusable bundle input comes back as its own report with an input error, the others still analyzed', async function () {
    this.timeout(60_000);
    const truncated = await bundlePath('hostile-truncated');
    const reports = await analyzeBundles([truncated, await bundlePath('win-healthy'), join(scratch, 'gone')], { ...options, workers: 2 });
    assert.equal(reports.length, 3);
    assert.equal(reports[0]!.inputs[0]!.status, 'error');
    assert.match(reports[0]!.inputs[0]!.messages[0]!, /hostile-truncated\.zip: not a readable zip/);
    assert.equal(reports[1]!.summary.fail, 0);
    assert.ok(reports[1]!.summary.pass >= 10);
    assert.match(reports[2]!.inputs[0]!.messages[0]!, /gone: no such file or folder; expected/);
  });

  it('workers give the same reports as analyzing in this thread, and report progress', async function () {
    this.timeout(60_000);
    const paths = [await bundlePath('win-resolved'), await bundlePath('linux-healthy'), await bundlePath('snapshot')];
    const progress: string[] = [];
    const inThread = await analyzeBundles(paths, { ...options, workers: 1 });
    const pooled = await analyzeBundles(paths, { ...options, workers: 2, onProgress: (p) => { if (p.done) progress.push(p.input); } });
    assert.deepEqual(pooled, inThread);
    assert.deepEqual(progress.sort(), [...paths].sort());
  });

  it('custom (non-catalog) rules keep the work in this thread', async () => {
    const custom = defineRule({
      meta: { id: 'custom-check', title: 't', category: 'agent', severity: 'fail', description: 'd', references: [], requires: ['agent.version'], appliesTo: ['bundle'] },
      check: (ctx) => pass(`seen ${ctx.get('agent.version')}`),
    });
    const [r] = await analyzeBundles([await bundlePath('win-agent-136'), await bundlePath('win-healthy')], { rules: [custom], now: NOW, workers: 2 });
    assert.equal(r!.results[0]!.message.startsWith('seen 1.36.02538.1064'), true);
  });

  it('a worker that runs out of time is stopped; its bundle gets an error report', async function () {
    this.timeout(60_000);
    const reports = await analyzeBundles([await bundlePath('win-healthy'), await bundlePath('win-blocklist')], { ...options, workers: 2, timeoutMs: 1 });
    for (const r of reports) {
      assert.equal(r.inputs[0]!.status, 'error');
      assert.match(r.inputs[0]!.messages[0]!, /: analysis stopped \(no result within 0 s\); the other inputs were analyzed$/);
    }
  });
});

describe('text inputs no pasted parser claims go through the log parsers and the signature scan', () => {
  const scratch = scratchDir('text');
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('a ticket with an error pasted in is parsed, not "unrecognized"', async () => {
    const ticket = join(scratch, 'ticket.txt');
    writeFileSync(ticket, [
      'Hi team, the customer sees this when opening WAC in the portal:',
      '',
      "  (AuthorizationFailed) The client 'alice@contoso.com' with object id '...' does not have authorization to perform action 'Microsoft.HybridConnectivity/endpoints/listCredentials/action' over scope '/subscriptions/...'",
      'They also ran azcmagent connect earlier and got:',
      'FATAL   Exit Code:  AZCM0026: Network Error',
      'Thanks',
    ].join('\r\n'));
    const r = await analyzeFiles([ticket], options);
    assert.deepEqual(r.inputs.map((i) => [i.kind, i.status]), [['log-plain', 'parsed']]);
    assert.equal(finding(r, 'rbac').status, 'warn'); // listCredentials is SSH's action
    assert.match(finding(r, 'rbac').message, /Microsoft\.HybridConnectivity\/endpoints\/listCredentials\/action/);
    const ev = finding(r, 'rbac').evidence[0]!;
    assert.deepEqual([ev.source, ev.path, ev.line], ['pasted', ticket, 3]);
    assert.match(ev.excerpt!, /^\(AuthorizationFailed\) The client 'alice@contoso\.com' .* over scope '\/su…$/, 'trimmed, cut at 200 characters');
    assert.match(finding(r, 'agent-error-code').message, /AZCM0026/);
  });

  it('a logrus log from standard input is read as an agent log with its time range', async () => {
    const text = [
      'time="2025-06-03T14:07:12Z" level=info msg="Testing connectivity"',
      'time="2025-06-03T14:08:02Z" level=error msg="Connectivity test failed" Error="dial tcp 10.20.30.41:443: connectex: A connection attempt failed because the connected party did not properly respond',
      ' after a period of time." Endpoint="https://pas.windows.net"',
    ].join('\n');
    const r = await analyzeFiles(['-'], options, Readable.from([Buffer.from(text)]));
    assert.deepEqual(r.inputs.map((i) => [i.kind, i.status]), [['log-logrus', 'parsed']]);
    assert.ok(r.inputs[0]!.messages.includes('<stdin>: agent log (logrus) from 2025-06-03T14:07:12.000Z to 2025-06-03T14:08:02.000Z'));
    const pas = finding(r, 'endpoint-pas');
    assert.equal(pas.status, 'fail');
    // The multi-line Go-quoted error is read as one value (the rule clips it).
    assert.match(pas.message, /pas\.windows\.net: TCP connection to port 443 failed: dial tcp 10\.20\.30\.41:443: connectex: A connection attempt failed because the connected party did not properly respond\.\.\./);
    // Cut at a word boundary, never mid-word (issue 9 item 10).
    assert.doesNotMatch(pas.message, / af\.\.\./);
    assert.equal(pas.evidence[0]!.line, 2);
  });

  it('text with nothing known in it is still an input: the report concludes there is not enough data and says what to collect', async () => {
    const note = join(scratch, 'note.txt');
    writeFileSync(note, 'Please call me back tomorrow.\n');
    const r = await analyzeFiles([note], options);
    assert.deepEqual([r.inputs[0]!.status, r.inputs[0]!.kind, r.inputs[0]!.facts], ['parsed', 'text', 0]);
    assert.match(r.inputs[0]!.messages[0]!, /note\.txt: no known command output, log format or error message found$/);
    assert.equal(r.conclusion?.verdict, 'insufficient-data');
    assert.ok(r.conclusion!.collect.some((c) => c.command === 'azcmagent show -j'));
    assert.ok(r.results.every((f) => f.status === 'skip'));
  });

  it('text that states one fact gets verdicts, not the insufficient-data conclusion', async () => {
    const note = join(scratch, 'ticket.txt');
    writeFileSync(note, 'Customer runs Windows Server 2012 R2 and WAC will not connect.\n');
    const r = await analyzeFiles([note], options);
    assert.equal(r.conclusion, undefined);
    assert.equal(finding(r, 'os-version').status, 'fail');
  });

  it('a text file over 8 MiB is streamed through the log grammars, not refused', async function () {
    this.timeout(30_000);
    const big = join(scratch, 'himds.log');
    const line = 'time="2026-09-14T08:00:00Z" level=info msg="Heartbeat sent" Endpoint="https://gbl.his.arc.azure.com" RequestId=3f9d6b2e-8c41-4e0a-9b7d-12ab34cd56ef\n';
    writeFileSync(big, `${line.repeat(Math.ceil((9 * 1024 * 1024) / line.length))}time="2026-09-14T09:00:00Z" level=error msg="Exit Code: AZCM0041: invalid credentials"\n`);
    const r = await analyzeFiles([big], options);
    assert.equal(r.inputs[0]!.status, 'parsed');
    assert.match(finding(r, 'agent-error-code').message, /AZCM0041/);
  });
});
