import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { artifactUri, firstParagraph, markdownToText, pascalCase, renderSarif, toSarif } from './sarif';
import { render } from './index';
import { reportOf, SAS_SIG, SECRET_PASSWORD, SECRET_PROXY, sampleInputs, sampleOptions, sampleReport, sampleRules } from './sample-report';
import { docsUrlFor } from '../rule';
import type { Finding } from '../types';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

// The OASIS schema (draft-04), vendored from shared/reference/schemas so CI needs nothing else.
const schema = JSON.parse(readFileSync(join(__dirname, 'testdata', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s) && URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s) && URL.canParse(s, 'file:///base/'));
const validate = ajv.compile(schema);

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, `schema errors: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
}

function f(ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return { ruleId, status, title: `Title of ${ruleId}`, category: 'agent', message: `Message of ${ruleId}.`, evidence: [], docsUrl: docsUrlFor(ruleId), ...extra };
}

const CWD = '/work/repo';

describe('sarif reporter', () => {
  const log = toSarif(sampleReport(), sampleOptions(), CWD) as Any;
  const run = log.runs[0];
  const results: Any[] = run.results;
  const byId = (id: string): Any => results.find((r) => r.ruleId === id);

  it('validates against the SARIF 2.1.0 schema', () => {
    assertValid(log);
    assertValid(JSON.parse(renderSarif(sampleReport(), sampleOptions({ redact: false }))));
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
    const lone = toSarif(reportOf([f('a', 'fail')], []), sampleOptions(), CWD) as Any;
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
    const out = toSarif(reportOf([f('not-in-catalog', 'warn')]), sampleOptions(), CWD) as Any;
    assertValid(out);
    const rules: Any[] = out.runs[0].tool.driver.rules;
    assert.equal(rules.length, sampleRules().length + 1);
    assert.equal(out.runs[0].results[0].ruleIndex, rules.length - 1);
    assert.equal(rules.at(-1).id, 'not-in-catalog');
    assert.equal(rules.at(-1).name, 'NotInCatalog');
  });

  it('redacts messages, excerpts, commands and input messages; verbatim without redaction', () => {
    const text = renderSarif(sampleReport(), sampleOptions());
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!text.includes(secret), `no ${secret}`);
    assert.match(byId('proxy').message.text, /^The agent proxy http:\/\/\*\*\*@10\.1\.2\.3:3128 answered 407/);
    assert.equal(byId('proxy').properties.fix.commands[0].command, 'azcmagent config set proxy.url "http://***@10.1.2.3:3128"');
    const raw = toSarif(sampleReport(), sampleOptions({ redact: false }), CWD) as Any;
    const rawProxy = raw.runs[0].results.find((r: Any) => r.ruleId === 'proxy');
    assert.ok(rawProxy.message.text.includes(SECRET_PROXY));
    assert.equal(rawProxy.properties.fix.commands[0].command, `azcmagent config set proxy.url "${SECRET_PROXY}"`);
    assert.ok(raw.runs[0].invocations[0].toolExecutionNotifications[1].message.text.includes(SECRET_PROXY));
  });

  it('is what render("sarif") returns', () => {
    assert.equal(render('sarif', sampleReport(), sampleOptions()), renderSarif(sampleReport(), sampleOptions()));
    assert.ok(render('sarif', sampleReport(), sampleOptions()).endsWith('}\n'));
  });
});

describe('sarif helpers', () => {
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
