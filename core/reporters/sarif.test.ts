import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { artifactUri, bundleBaseUri, firstParagraph, markdownToText, pascalCase, renderSarif, toSarif } from './sarif';
import { render } from './index';
import {
  AZCMAGENT_LOG, BUNDLE_PATH, bundleReport, folderReport, HIMDS_LOG, liveReport, reportOf, SAS_SIG, SAS_URL, SECRET_PASSWORD, SECRET_PROXY,
  sampleBundleTarget, sampleInputs, sampleMulti, sampleOptions, sampleReport, sampleRules,
} from '../../test/support/sample-report';
import { docsUrlFor } from '../engine/rule';
import { multiReport } from '../model/report';
import type { Finding } from '../model/types';

/* eslint-disable @typescript-eslint/no-explicit-any -- the rendered SARIF document is read by path in these tests */
type Any = any;

// The OASIS schema (draft-04), vendored from shared/reference/schemas so CI needs nothing else.
const schema = JSON.parse(readFileSync(join(__dirname, 'testdata', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s) && URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s) && URL.canParse(s, 'file:///base/'));
const validate = ajv.compile(schema);
/** Passes and skips included (`--sarif-all`): most tests look at every status. */
const ALL = sampleOptions({ sarifAll: true });

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, `schema errors: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
}

function f(ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return { ruleId, status, title: `Title of ${ruleId}`, category: 'agent', message: `Message of ${ruleId}.`, evidence: [], docsUrl: docsUrlFor(ruleId), ...extra };
}

const CWD = '/work/repo';

describe('sarif reporter: default (GitHub code scanning)', () => {
  it('reports only problems, in report order; --sarif-all adds passes and skips', () => {
    const log = toSarif(sampleReport(), sampleOptions(), CWD) as Any;
    assertValid(log);
    const statuses = log.runs[0].results.map((r: Any) => `${r.ruleId}:${r.properties.status}`);
    assert.deepEqual(statuses, ['agent-status:fail', 'proxy:fail', 'extension-status:fail', 'endpoint-wac:warn', 'incoming-ports:warn']);
    // Rule crashes stay tool execution notifications either way.
    assert.equal(log.runs[0].invocations[0].toolExecutionNotifications[0].associatedRule.id, 'tls-inspection');
    const all = (toSarif(sampleReport(), ALL, CWD) as Any).runs[0].results.map((r: Any) => r.properties.status);
    assert.deepEqual([...new Set(all)], ['fail', 'warn', 'pass', 'skip']);
  });
});

describe('sarif reporter', () => {
  const log = toSarif(sampleReport(), ALL, CWD) as Any;
  const run = log.runs[0];
  const results: Any[] = run.results;
  const byId = (id: string): Any => results.find((r) => r.ruleId === id);

  it('validates against the SARIF 2.1.0 schema', () => {
    assertValid(log);
    assertValid(JSON.parse(renderSarif(sampleReport(), sampleOptions({ redact: false, sarifAll: true }))));
  });

  it('the validator rejects a broken log (the schema check can fail)', () => {
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].kind = 'passed';
    delete broken.runs[0].tool.driver.name;
    assert.equal(validate(broken), false);
    const badUri = JSON.parse(JSON.stringify(log));
    badUri.runs[0].results[2].locations[0].physicalLocation.artifactLocation.uri = 'C:\\Users\\x y.txt';
    assert.equal(validate(badUri), false);
  });

  it('has the header, one run and the driver', () => {
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const d = run.tool.driver;
    assert.equal(d.name, 'wac-doctor');
    assert.equal(d.version, '0.1.0');
    assert.equal(d.informationUri, 'https://github.com/wac-doctor/wac-doctor');
  });

  it('describes every catalog rule the way GitHub code scanning requires', () => {
    const rules: Any[] = run.tool.driver.rules;
    assert.deepEqual(rules.map((r) => r.id), sampleRules().map((r) => r.meta.id), 'all rules, even ones without a finding');
    for (const r of rules) {
      for (const key of ['shortDescription', 'fullDescription', 'help']) assert.ok(typeof r[key]?.text === 'string' && r[key].text.length > 0, `${r.id}.${key}.text`);
      assert.ok(r.help.markdown.length > 0);
      assert.equal(r.helpUri, docsUrlFor(r.id));
    }
    const incoming = rules.find((r) => r.id === 'incoming-ports');
    assert.equal(incoming.name, 'IncomingPorts');
    assert.equal(incoming.shortDescription.text, 'The agent accepts incoming connections on the WAC port');
    assert.equal(incoming.fullDescription.text, 'The agent only lets the reverse proxy through on ports listed in incomingconnections.ports.');
    assert.equal(incoming.help.text, 'The agent only lets the reverse proxy through on ports listed in incomingconnections.ports.\n\n- warn: the WAC port is not listed.\n\nReferences:\n- https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-config');
    assert.match(incoming.help.markdown, /`incomingconnections\.ports`[\s\S]*\*\*References\*\*\n\n- <https:\/\/learn\.microsoft\.com\/azure\/azure-arc\/servers\/azcmagent-config>$/);
    assert.deepEqual(incoming.properties.tags, ['configuration']);
    assert.equal(incoming.defaultConfiguration.level, 'error');
    assert.equal(rules.find((r) => r.id === 'endpoint-wac').defaultConfiguration.level, 'warning');
  });

  it('maps statuses to kind and level, with ruleIndex pointing at the rule', () => {
    const rules: Any[] = run.tool.driver.rules;
    const pairs = Object.fromEntries(results.map((r) => [r.ruleId, `${r.kind}/${r.level}`]));
    assert.deepEqual(pairs, {
      'os-version': 'pass/none', memory: 'pass/none', 'agent-status': 'fail/error', 'agent-version': 'pass/none',
      proxy: 'fail/error', 'endpoint-wac': 'fail/warning', 'private-link': 'notApplicable/none', 'incoming-ports': 'fail/warning',
      'wac-port': 'pass/none', 'extension-status': 'fail/error', rbac: 'open/none', 'resource-provider': 'pass/none',
    });
    for (const r of results) assert.equal(rules[r.ruleIndex].id, r.ruleId);
    for (const r of results) if (r.kind !== 'fail') assert.equal(r.level, 'none');
  });

  it('reports rule crashes as tool execution notifications, not results', () => {
    assert.equal(byId('tls-inspection'), undefined);
    assert.equal(results.length, 12);
    const inv = run.invocations[0];
    assert.equal(inv.executionSuccessful, true);
    assert.equal(inv.endTimeUtc, '2026-11-26T12:00:00.000Z');
    const n = inv.toolExecutionNotifications[0];
    assert.equal(n.level, 'error');
    assert.equal(n.message.text, "The rule failed to run: Cannot read properties of undefined (reading 'issuer')");
    assert.deepEqual(n.associatedRule, { id: 'tls-inspection', index: 7 });
    const inputs = inv.toolExecutionNotifications.slice(1).map((x: Any) => [x.level, x.locations[0].physicalLocation.artifactLocation.uri]);
    assert.deepEqual(inputs, [['note', 'notes.txt'], ['warning', 'broken.json']]);
  });

  it('puts the message and fix summary in message.text and the commands in properties', () => {
    const r = byId('agent-status');
    assert.equal(r.message.text, 'Agent status is Disconnected; the last heartbeat was 2026-11-20T08:00:00Z, 6 days before this report. Fix: Find out why the agent cannot reach Azure, then restart the agent service.');
    assert.equal(r.properties.status, 'fail');
    assert.deepEqual(r.properties.fix.commands[2], { shell: 'azcli', command: 'az connectedmachine show --name SRV-WEB01 --resource-group rg-arc --query status -o tsv' });
    assert.deepEqual(byId('rbac').properties.missing, ['azure.roleAssignments']);
    assert.equal(byId('memory').message.text, 'The machine has 16 GiB of memory.');
  });

  it('locates evidence with a line as physicalLocation + region', () => {
    assert.deepEqual(byId('agent-status').locations, [{ physicalLocation: { artifactLocation: { uri: 'azcmagent-show.txt' }, region: { startLine: 14 } } }]);
    assert.deepEqual(byId('proxy').locations[0].physicalLocation, { artifactLocation: { uri: 'file:///C:/Users/alice/Desktop/config-list.txt' }, region: { startLine: 7 } });
  });

  it('falls back to a logical location plus line 1 of the evidence file, or of the first input', () => {
    assert.deepEqual(byId('extension-status').locations, [{
      logicalLocations: [{ kind: 'resource', fullyQualifiedName: 'wac-doctor/extension-status' }],
      physicalLocation: { artifactLocation: { uri: 'az-extension-list.json' }, region: { startLine: 1 } },
    }]);
    // Live evidence is a probe, not a file: the first input stands in.
    assert.deepEqual(byId('endpoint-wac').locations[0].physicalLocation, { artifactLocation: { uri: 'azcmagent-show.txt' }, region: { startLine: 1 } });
    // Without any input path, only the logical location remains.
    const lone = toSarif(reportOf([f('a', 'fail')], []), ALL, CWD) as Any;
    assertValid(lone);
    assert.deepEqual(lone.runs[0].results[0].locations, [{ logicalLocations: [{ kind: 'resource', fullyQualifiedName: 'wac-doctor/a' }] }]);
  });

  it('gives every fail and warn result a physicalLocation with a region when any input path is known', () => {
    const problems = results.filter((r) => r.kind === 'fail');
    assert.equal(problems.length, 5);
    for (const r of problems) {
      const p = r.locations[0].physicalLocation;
      assert.ok(p?.artifactLocation?.uri && Number.isInteger(p.region?.startLine), `${r.ruleId} has a displayable location`);
    }
    for (const r of results) assert.ok(r.locations.length >= 1, `${r.ruleId} has a location (GitHub rejects results without one)`);
  });

  it('fingerprints results with sha256(ruleId|path|line)', () => {
    const expected = createHash('sha256').update('agent-status|azcmagent-show.txt|14').digest('hex');
    assert.equal(byId('agent-status').partialFingerprints['wacDoctor/v1'], expected);
    const noLine = createHash('sha256').update('extension-status|az-extension-list.json|').digest('hex');
    assert.equal(byId('extension-status').partialFingerprints['wacDoctor/v1'], noLine);
    const all = results.map((r) => r.partialFingerprints['wacDoctor/v1']);
    assert.equal(new Set(all).size, all.length);
  });

  it('adds a descriptor for a finding whose rule is not in the catalog', () => {
    const out = toSarif(reportOf([f('not-in-catalog', 'warn')]), ALL, CWD) as Any;
    assertValid(out);
    const rules: Any[] = out.runs[0].tool.driver.rules;
    assert.equal(rules.length, sampleRules().length + 1);
    assert.equal(out.runs[0].results[0].ruleIndex, rules.length - 1);
    assert.equal(rules.at(-1).id, 'not-in-catalog');
    assert.equal(rules.at(-1).name, 'NotInCatalog');
  });

  it('redacts messages, excerpts, commands and input messages; verbatim without redaction', () => {
    const text = renderSarif(sampleReport(), ALL);
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!text.includes(secret), `no ${secret}`);
    assert.match(byId('proxy').message.text, /^The agent proxy http:\/\/\*\*\*@10\.1\.2\.3:3128 answered 407/);
    assert.equal(byId('proxy').properties.fix.commands[0].command, 'azcmagent config set proxy.url "http://***@10.1.2.3:3128"');
    const raw = toSarif(sampleReport(), sampleOptions({ redact: false, sarifAll: true }), CWD) as Any;
    const rawProxy = raw.runs[0].results.find((r: Any) => r.ruleId === 'proxy');
    assert.ok(rawProxy.message.text.includes(SECRET_PROXY));
    assert.equal(rawProxy.properties.fix.commands[0].command, `azcmagent config set proxy.url "${SECRET_PROXY}"`);
    assert.ok(raw.runs[0].invocations[0].toolExecutionNotifications[1].message.text.includes(SECRET_PROXY));
  });

  it('adds no target, base or category properties for pasted files', () => {
    assert.deepEqual(Object.keys(run), ['tool', 'invocations', 'results']);
    assert.equal(run.invocations[0].machine, undefined);
  });

  it('is what render("sarif") returns', () => {
    assert.equal(render('sarif', sampleReport(), ALL), renderSarif(sampleReport(), ALL));
    assert.ok(render('sarif', sampleReport(), ALL).endsWith('}\n'));
  });
});

describe('sarif reporter: targets', () => {
  const bundleLog = toSarif(bundleReport(), ALL, CWD) as Any;
  const bundleRun = bundleLog.runs[0];
  const byId = (id: string): Any => bundleRun.results.find((r: Any) => r.ruleId === id);

  it('validates against the schema for bundle, folder and live targets', () => {
    assertValid(bundleLog);
    assertValid(toSarif(folderReport(), ALL, CWD));
    assertValid(toSarif(liveReport(), ALL, CWD));
  });

  it('locates bundle entries relative to BUNDLE, the bundle\'s file URI', () => {
    assert.deepEqual(bundleRun.originalUriBaseIds, { BUNDLE: { uri: 'file:///ci/bundles/azcmagent-logs-241118T0912-SRV-WEB-07.zip/' } });
    assert.deepEqual(byId('agent-status').locations, [{ physicalLocation: { artifactLocation: { uri: HIMDS_LOG, uriBaseId: 'BUNDLE' }, region: { startLine: 42 } } }]);
    assert.deepEqual(byId('proxy').locations[0].physicalLocation.artifactLocation, { uri: AZCMAGENT_LOG, uriBaseId: 'BUNDLE' });
    // Without a line: logical location plus line 1 of the entry, still inside the bundle.
    assert.deepEqual(byId('incoming-ports').locations[0].physicalLocation, { artifactLocation: { uri: 'azcmagent-config-list.txt', uriBaseId: 'BUNDLE' }, region: { startLine: 1 } });
    // A skip has no evidence: no file:line of some unrelated entry, only the logical location.
    assert.deepEqual(byId('extension-status').locations, [{ logicalLocations: [{ kind: 'resource', fullyQualifiedName: 'wac-doctor/extension-status' }] }]);
    const note = bundleRun.invocations[0].toolExecutionNotifications[0];
    assert.deepEqual(note.locations[0].physicalLocation.artifactLocation, { uri: 'ProgramData/AzureConnectedMachineAgent/Log/odd%20file.log', uriBaseId: 'BUNDLE' });
    assert.equal(bundleRun.invocations[0].machine, undefined, 'the run did not happen on the bundle\'s machine');
  });

  it('uses the folder as BUNDLE for a folder, and keeps absolute paths inside it relative', () => {
    const run = (toSarif(folderReport(), ALL, CWD) as Any).runs[0];
    assert.deepEqual(run.originalUriBaseIds.BUNDLE, { uri: 'file:///C:/Support/SRV-DB-01%20logs/' });
    const inside = reportOf([f('a', 'fail', { evidence: [{ source: 'bundle', path: 'c:\\support\\SRV-DB-01 logs\\x\\y.log', line: 2 }] })], [], { kind: 'folder', name: 'C:\\Support\\SRV-DB-01 logs\\' });
    const elsewhere = reportOf([f('a', 'fail', { evidence: [{ source: 'bundle', path: '/tmp/other.log', line: 2 }] })], [], { kind: 'snapshot', name: '/srv/snap.json' });
    const a = (toSarif(inside, ALL, CWD) as Any).runs[0];
    assertValid({ version: '2.1.0', runs: [a] });
    assert.deepEqual(a.results[0].locations[0].physicalLocation.artifactLocation, { uri: 'x/y.log', uriBaseId: 'BUNDLE' });
    const b = (toSarif(elsewhere, ALL, CWD) as Any).runs[0];
    assert.deepEqual(b.results[0].locations[0].physicalLocation.artifactLocation, { uri: 'file:///tmp/other.log' });
    assert.deepEqual(b.originalUriBaseIds.BUNDLE, { uri: 'file:///srv/snap.json/' });
  });

  it('records the target in run.properties', () => {
    assert.deepEqual(Object.keys(bundleRun), ['tool', 'invocations', 'originalUriBaseIds', 'results', 'properties']);
    const redacted = { ...sampleBundleTarget(), notes: ['refused entry ../../Windows/evil.ps1 (outside the bundle)', 'azcmagent-config-list.txt sets proxy.url http://***@10.1.2.3:3128'] };
    assert.deepEqual(bundleRun.properties.target, redacted);
    const raw = (toSarif(bundleReport(), sampleOptions({ redact: false, sarifAll: true }), CWD) as Any).runs[0];
    assert.deepEqual(raw.properties.target, sampleBundleTarget());
  });

  it('fingerprints with the machine, so a new collection of the same machine keeps its alerts', () => {
    const expected = createHash('sha256').update(`agent-status|SRV-WEB-07|${HIMDS_LOG}|42`).digest('hex');
    assert.equal(byId('agent-status').partialFingerprints['wacDoctor/v1'], expected);
    const later = bundleReport();
    later.target = { ...later.target!, name: '/ci/bundles/azcmagent-logs-241119T1000-SRV-WEB-07.zip' };
    const again = (toSarif(later, ALL, CWD) as Any).runs[0].results.find((r: Any) => r.ruleId === 'agent-status');
    assert.equal(again.partialFingerprints['wacDoctor/v1'], expected);
  });

  it('places live findings on the host: logical locations <host>/<rule> and invocation.machine', () => {
    const run = (toSarif(liveReport(), ALL, CWD) as Any).runs[0];
    assert.equal(run.invocations[0].machine, 'SRV-WEB-08');
    assert.equal(run.originalUriBaseIds, undefined);
    assert.equal(run.properties.target.kind, 'live');
    for (const r of run.results) {
      assert.deepEqual(r.locations, [{ logicalLocations: [{ kind: 'resource', fullyQualifiedName: `SRV-WEB-08/${r.ruleId}` }] }]);
    }
    assert.equal(run.invocations[0].toolExecutionNotifications[0].associatedRule.id, 'tls-inspection');
  });

  it('redacts target fields, including the base URI built from the name', () => {
    const leaky = reportOf([f('a', 'fail', { evidence: [{ source: 'bundle', path: 'x.log', line: 1 }] })], [], {
      kind: 'bundle', name: `/tmp/${SAS_URL.replace(/\//g, '_')}`, machine: `m ${SECRET_PROXY}`, notes: [`n ${SECRET_PROXY}`],
    });
    const text = renderSarif(leaky, ALL);
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!text.includes(secret), `no ${secret}`);
    assertValid(JSON.parse(text));
  });
});

describe('sarif reporter: several targets', () => {
  const log = toSarif(sampleMulti(), ALL, CWD) as Any;

  it('validates against the schema, with and without redaction', () => {
    assertValid(log);
    assertValid(JSON.parse(renderSarif(sampleMulti(), sampleOptions({ redact: false, sarifAll: true }))));
  });

  it('has one run per target, each with the same driver', () => {
    assert.equal(log.runs.length, 3);
    for (const run of log.runs) assert.deepEqual(run.tool, log.runs[0].tool);
    assert.deepEqual(log.runs.map((r: Any) => r.properties.target.kind), ['bundle', 'live', 'folder']);
    assert.deepEqual(log.runs.map((r: Any) => r.results.length), [5, 4, 2]);
    assert.equal(log.runs[1].invocations[0].machine, 'SRV-WEB-08');
    assert.equal(log.runs[0].originalUriBaseIds.BUNDLE.uri, `file://${BUNDLE_PATH}/`);
  });

  it('gives each run its own category (automationDetails.id) so GitHub accepts them in one upload', () => {
    assert.deepEqual(log.runs.map((r: Any) => r.automationDetails.id), ['wac-doctor/SRV-WEB-07/', 'wac-doctor/SRV-WEB-08/', 'wac-doctor/SRV-DB-01/']);
    const twice = toSarif(multiReport([bundleReport(), bundleReport(), sampleReport()], '2026-11-26T12:00:00.000Z'), ALL, CWD) as Any;
    assertValid(twice);
    assert.deepEqual(twice.runs.map((r: Any) => r.automationDetails.id), ['wac-doctor/SRV-WEB-07/', 'wac-doctor/SRV-WEB-07-2/', 'wac-doctor/pasted-inputs/']);
    assert.equal(twice.runs[2].properties, undefined, 'a pasted report has no target');
  });

  it('lists a rule missing from the catalog in every run\'s driver', () => {
    const multi = multiReport([liveReport(), reportOf([f('not-in-catalog', 'warn')])], '2026-11-26T12:00:00.000Z');
    const out = toSarif(multi, ALL, CWD) as Any;
    assertValid(out);
    assert.deepEqual(out.runs[0].tool, out.runs[1].tool);
    const rules: Any[] = out.runs[0].tool.driver.rules;
    assert.equal(rules.length, sampleRules().length + 1);
    assert.equal(out.runs[1].results[0].ruleIndex, rules.length - 1);
    for (const run of out.runs) for (const r of run.results) assert.equal(rules[r.ruleIndex].id, r.ruleId);
  });

  it('redacts every run', () => {
    const text = renderSarif(sampleMulti(), ALL);
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!text.includes(secret), `no ${secret}`);
    assert.equal(log.runs[0].properties.target.notes[1], 'azcmagent-config-list.txt sets proxy.url http://***@10.1.2.3:3128');
    const raw = renderSarif(sampleMulti(), sampleOptions({ redact: false, sarifAll: true }));
    assert.ok(raw.includes(SECRET_PROXY));
  });

  it('is what render("sarif") returns', () => {
    assert.equal(render('sarif', sampleMulti(), ALL), renderSarif(sampleMulti(), ALL));
  });
});

describe('sarif helpers', () => {
  it('bundleBaseUri: absolute file URIs ending in a slash', () => {
    assert.equal(bundleBaseUri('/ci/b/logs.zip', CWD), 'file:///ci/b/logs.zip/');
    assert.equal(bundleBaseUri('bundles/a b.zip', CWD), 'file:///work/repo/bundles/a%20b.zip/');
    assert.equal(bundleBaseUri('./extracted/', CWD), 'file:///work/repo/extracted/');
    assert.equal(bundleBaseUri('C:\\Support\\logs\\', CWD), 'file:///C:/Support/logs/');
    assert.equal(bundleBaseUri('logs.zip', 'C:\\work'), 'file:///C:/work/logs.zip/');
    assert.equal(bundleBaseUri('\\\\server\\share\\b.zip', CWD), 'file://server/share/b.zip/');
    for (const u of ['/ci/b/logs.zip', 'bundles/a b.zip', 'C:\\x#1\\y?.zip']) assert.ok(URL.canParse(bundleBaseUri(u, CWD)), u);
  });

  it('artifactUri: relative paths, backslashes, absolute paths under cwd and elsewhere', () => {
    assert.equal(artifactUri('logs\\himds.log', CWD), 'logs/himds.log');
    assert.equal(artifactUri('./azcmagent show.txt', CWD), 'azcmagent%20show.txt');
    assert.equal(artifactUri('/work/repo/fixtures/show.txt', CWD), 'fixtures/show.txt');
    assert.equal(artifactUri('/tmp/a b/show#1.txt', CWD), 'file:///tmp/a%20b/show%231.txt');
    assert.equal(artifactUri('C:\\Users\\alice\\show.txt', CWD), 'file:///C:/Users/alice/show.txt');
    assert.equal(artifactUri('c:\\Work\\Repo\\x\\show.txt', 'C:\\work\\repo'), 'x/show.txt');
    assert.equal(artifactUri('\\\\server\\share\\show.txt', CWD), 'file://server/share/show.txt');
    assert.equal(artifactUri('weird:name.txt', CWD), 'weird%3Aname.txt', 'a colon must not look like a scheme');
  });

  it('artifactUri: every sample input gives a valid uri-reference', () => {
    for (const i of sampleInputs()) assert.ok(URL.canParse(artifactUri(i.path, CWD), 'file:///base/'), i.path);
  });

  it('pascalCase, firstParagraph and markdownToText', () => {
    assert.equal(pascalCase('incoming-ports'), 'IncomingPorts');
    assert.equal(pascalCase('wac-local-https'), 'WacLocalHttps');
    assert.equal(firstParagraph('One\ntwo.\n\nThree.'), 'One two.');
    assert.equal(markdownToText('Use **bold**, *it*, `code` and [docs](https://x.test/a).'), 'Use bold, it, code and docs (https://x.test/a).');
    assert.equal(markdownToText('See <https://x.test/b> and [https://x.test/c](https://x.test/c).'), 'See https://x.test/b and https://x.test/c.');
    assert.equal(markdownToText('keep snake_case_names and 2 * 3 * 4'), 'keep snake_case_names and 2 * 3 * 4');
  });
});
