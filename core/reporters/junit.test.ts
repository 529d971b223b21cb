import { strict as assert } from 'node:assert';
import { escapeXmlAttr, escapeXmlText, renderJunit, stripIllegalXml } from './junit';
import { render } from './index';
import {
  BUNDLE_PATH, bundleReport, FOLDER_PATH, folderReport, liveReport, reportOf, SAS_SIG, SAS_URL, SECRET_PASSWORD, SECRET_PROXY, sampleInputs,
  sampleMulti, sampleOptions, sampleReport,
} from '../../test/support/sample-report';
import { multiReport } from '../model/report';
import { docsUrlFor } from '../engine/rule';
import type { Finding } from '../model/types';

// ---------------------------------------------------------------------------------------------
// A small, strict XML 1.0 parser for the tests: well-formedness (nesting, quoting, entities,
// characters) is what matters here, so anything outside what the reporter may emit is rejected.
// ---------------------------------------------------------------------------------------------
interface XmlNode { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string }

// eslint-disable-next-line no-control-regex
const ILLEGAL_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (body in ENTITIES) return ENTITIES[body]!;
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (!num) throw new Error(`unknown entity &${body}; in ${where}`);
    const cp = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2]!, 10);
    const ch = String.fromCodePoint(cp);
    if (ILLEGAL_CHAR.test(ch)) throw new Error(`illegal character reference &${body}; in ${where}`);
    return ch;
  });
}

function parseXml(doc: string): XmlNode {
  const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!doc.startsWith(PROLOG)) throw new Error('missing XML declaration');
  const bad = ILLEGAL_CHAR.exec(doc);
  if (bad) throw new Error(`illegal character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`);
  let pos = PROLOG.length;
  const skipWs = (): void => { while (pos < doc.length && /\s/.test(doc[pos]!)) pos++; };
  const expect = (s: string): void => {
    if (!doc.startsWith(s, pos)) throw new Error(`expected ${JSON.stringify(s)} at ${pos}: ${JSON.stringify(doc.slice(pos, pos + 30))}`);
    pos += s.length;
  };
  const name = (): string => {
    const m = NAME.exec(doc.slice(pos, pos + 200));
    if (!m) throw new Error(`expected a name at ${pos}`);
    pos += m[0].length;
    return m[0];
  };
  function element(): XmlNode {
    expect('<');
    const node: XmlNode = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = pos;
      skipWs();
      if (doc.startsWith('/>', pos)) { pos += 2; return node; }
      if (doc[pos] === '>') { pos++; break; }
      if (pos === before) throw new Error(`expected whitespace before attribute at ${pos}`);
      const attr = name();
      if (attr in node.attrs) throw new Error(`duplicate attribute ${attr}`);
      expect('="');
      const end = doc.indexOf('"', pos);
      if (end < 0) throw new Error('unterminated attribute');
      const raw = doc.slice(pos, end);
      if (raw.includes('<')) throw new Error(`< in attribute ${attr}`);
      node.attrs[attr] = decode(raw, `attribute ${attr}`);
      pos = end + 1;
    }
    for (;;) {
      if (pos >= doc.length) throw new Error(`unclosed <${node.name}>`);
      if (doc.startsWith('</', pos)) {
        pos += 2;
        const close = name();
        if (close !== node.name) throw new Error(`</${close}> closes <${node.name}>`);
        skipWs();
        expect('>');
        return node;
      }
      if (doc.startsWith('<!--', pos)) {
        const end = doc.indexOf('-->', pos);
        if (end < 0) throw new Error('unterminated comment');
        pos = end + 3;
      } else if (doc.startsWith('<![CDATA[', pos)) {
        const end = doc.indexOf(']]>', pos);
        if (end < 0) throw new Error('unterminated CDATA');
        node.text += doc.slice(pos + 9, end);
        pos = end + 3;
      } else if (doc[pos] === '<') {
        node.children.push(element());
      } else {
        const end = doc.indexOf('<', pos);
        const raw = doc.slice(pos, end < 0 ? doc.length : end);
        if (raw.includes(']]>')) throw new Error(']]> in text');
        node.text += decode(raw, `<${node.name}> text`);
        pos += raw.length;
      }
    }
  }
  skipWs();
  const root = element();
  skipWs();
  if (pos !== doc.length) throw new Error(`content after the root element at ${pos}`);
  return root;
}

const kids = (n: XmlNode, name: string): XmlNode[] => n.children.filter((c) => c.name === name);
const one = (n: XmlNode, name: string): XmlNode => {
  const list = kids(n, name);
  assert.equal(list.length, 1, `one <${name}> in <${n.name}>`);
  return list[0]!;
};

function f(ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return { ruleId, status, title: `Title of ${ruleId}`, category: 'agent', message: `Message of ${ruleId}.`, evidence: [], docsUrl: docsUrlFor(ruleId), ...extra };
}

describe('test XML parser', () => {
  const P = '<?xml version="1.0" encoding="UTF-8"?>';
  it('accepts well-formed XML and decodes entities', () => {
    const n = parseXml(`${P}\n<a x="1&#10;&quot;&apos;"><b>t &amp; &lt;u&gt; &#x41;</b><c/></a>\n`);
    assert.equal(n.attrs.x, '1\n"\'');
    assert.equal(one(n, 'b').text, 't & <u> A');
  });
  for (const [why, bad] of [
    ['crossed tags', '<a><b></a></b>'], ['< in attribute', '<a x="<"/>'], ['unknown entity', '<a>&foo;</a>'], ['bare &', '<a>a & b</a>'],
    [']]> in text', '<a>]]></a>'], ['control character', '<a>\u0001</a>'], ['unclosed', '<a><b></b>'], ['two roots', '<a/><b/>'],
    ['unquoted attribute', '<a x=1/>'], ['lone surrogate', '<a>\ud800</a>'], ['illegal char reference', '<a>&#0;</a>'],
  ] as const) {
    it(`rejects ${why}`, () => assert.throws(() => parseXml(`${P}${bad}`)));
  }
});

describe('junit reporter', () => {
  const out = renderJunit(sampleReport(), sampleOptions());
  const root = parseXml(out);
  const suite = one(root, 'testsuite');
  const cases = kids(suite, 'testcase');
  const byName = (n: string): XmlNode => cases.find((c) => c.attrs.name === n)!;

  it('is well-formed: declaration, testsuites > one testsuite', () => {
    assert.ok(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
    assert.equal(root.name, 'testsuites');
    assert.equal(suite.attrs.name, 'wac-doctor');
    assert.equal(suite.attrs.time, '0');
    assert.equal(suite.attrs.timestamp, '2026-11-26T12:00:00');
  });

  it('has counts matching the summary', () => {
    const s = sampleReport().summary;
    for (const n of [root, suite]) {
      assert.equal(n.attrs.tests, String(s.pass + s.fail + s.warn + s.skip + s.error));
      assert.equal(n.attrs.failures, String(s.fail));
      assert.equal(n.attrs.errors, String(s.error));
      assert.equal(n.attrs.skipped, String(s.skip));
    }
    assert.equal(cases.length, 13);
    assert.equal(cases.filter((c) => kids(c, 'failure').length > 0).length, s.fail);
    assert.equal(cases.filter((c) => kids(c, 'error').length > 0).length, s.error);
    assert.equal(cases.filter((c) => kids(c, 'skipped').length > 0).length, s.skip);
  });

  it('names testcases by rule id and classname by category', () => {
    assert.deepEqual(cases.map((c) => c.attrs.name), sampleReport().results.map((r) => r.ruleId));
    assert.equal(byName('incoming-ports').attrs.classname, 'wac-doctor.configuration');
    assert.equal(byName('extension-status').attrs.classname, 'wac-doctor.extension');
  });

  it('writes failures with message, type and details (evidence, fix, docs)', () => {
    const failure = one(byName('agent-status'), 'failure');
    assert.equal(failure.attrs.type, 'fail');
    assert.equal(failure.attrs.message, 'The Connected Machine agent is connected: Agent status is Disconnected; the last heartbeat was 2026-11-20T08:00:00Z, 6 days before this report.');
    assert.equal(failure.text, [
      'Agent status is Disconnected; the last heartbeat was 2026-11-20T08:00:00Z, 6 days before this report.',
      '',
      'Evidence:',
      '  azcmagent-show.txt:14  Agent Status                            : Disconnected',
      '  azcmagent-show.txt:15  Agent Last Heartbeat                    : 2026-11-20T08:00:00Z',
      '',
      'Fix: Find out why the agent cannot reach Azure, then restart the agent service.',
      '  PowerShell:',
      '    azcmagent check --location westeurope',
      '    Restart-Service himds',
      '  Azure CLI (PowerShell):',
      '    az connectedmachine show --name SRV-WEB01 --resource-group rg-arc --query status -o tsv',
      '',
      `Docs: ${docsUrlFor('agent-status')}`,
    ].join('\n'));
    assert.match(one(byName('extension-status'), 'failure').text, /\n {2}az-extension-list\.json {2}"provisioningState": "Failed"\n/);
  });

  it('writes warnings to system-out unless failOn is warn', () => {
    const warn = byName('incoming-ports');
    assert.equal(kids(warn, 'failure').length, 0);
    assert.match(one(warn, 'system-out').text, /^WARNING: The agent accepts incoming connections on the WAC port\nincomingconnections\.ports is \[22\]; the WAC port 6516 is missing\./);

    const strict = parseXml(renderJunit(sampleReport(), sampleOptions({ failOn: 'warn' })));
    const strictSuite = one(strict, 'testsuite');
    assert.equal(strictSuite.attrs.failures, '5');
    const w = kids(strictSuite, 'testcase').find((c) => c.attrs.name === 'incoming-ports')!;
    assert.equal(one(w, 'failure').attrs.type, 'warn');
    assert.match(one(w, 'failure').text, /\n {2}PowerShell:\n {4}azcmagent config set incomingconnections\.ports 22,6516\n/);
    assert.doesNotMatch(one(w, 'failure').text, /PS>|azcli>/, 'no prompt inside command text');
  });

  it('writes errors, skips and passes', () => {
    const err = one(byName('tls-inspection'), 'error');
    assert.equal(err.attrs.message, "The rule failed to run: Cannot read properties of undefined (reading 'issuer')");
    assert.equal(err.attrs.type, 'error');
    assert.equal(one(byName('rbac'), 'skipped').attrs.message, 'missing: azure.roleAssignments (Not checked: needs role assignments (azure.roleAssignments; from az role assignment list -o json).)');
    assert.equal(one(byName('private-link'), 'skipped').attrs.message, 'Not applicable: the machine is not in a Private Link Scope.');
    assert.equal(one(reportCase(f('x', 'skip', { message: 'Linux machine.' })), 'skipped').attrs.message, 'not applicable: Linux machine.');
    const pass = byName('wac-port');
    assert.deepEqual(pass.children.map((c) => c.name), ['system-out']);
    assert.equal(one(pass, 'system-out').text, 'The WAC port is the same everywhere: The WAC port is 6516 in the extension settings and in SmePort.');
  });

  it('records the tool version and inputs as properties', () => {
    const props = kids(one(suite, 'properties'), 'property');
    const map = Object.fromEntries(props.map((p) => [p.attrs.name, p.attrs.value]));
    assert.equal(map['wac-doctor.version'], '0.1.0');
    assert.equal(map['input:azcmagent-show.txt'], 'parsed as azcmagent show, 14 facts');
    assert.equal(map['input:broken.json'], 'error: broken.json: looks like az connectedmachine show but the JSON ends early at line 3');
    assert.equal(props.length, 2 + sampleInputs().length);
  });

  it('escapes hostile strings everywhere and strips characters XML 1.0 forbids', () => {
    const hostile = 'x</failure><x>]]>"\'&amp;<![CDATA[ \u0000\u0001\u0008\u000b\u001b\ud800 end\r\n';
    const finding = f('hostile', 'fail', {
      title: `T ${hostile}`, message: `M ${hostile}`,
      evidence: [{ source: 'pasted', path: `p${hostile}`, line: 3, excerpt: `E ${hostile}` }],
      fix: { summary: `S ${hostile}`, commands: [{ shell: 'bash', command: `echo '${hostile}'` }] },
    });
    const inputs = [{ path: `in${hostile}`, kind: null, status: 'unrecognized' as const, messages: [`msg ${hostile}`], facts: 0 }];
    const text = renderJunit(reportOf([finding, f('w', 'warn', { message: hostile }), f('s', 'skip', { message: hostile }), f('e', 'error', { message: hostile })], inputs), sampleOptions({ redact: false }));
    const doc = parseXml(text); // throws on any well-formedness problem
    const clean = stripIllegalXml(hostile);
    assert.equal(clean, 'x</failure><x>]]>"\'&amp;<![CDATA[  end\r\n');
    const s = one(doc, 'testsuite');
    const tc = kids(s, 'testcase');
    assert.equal(tc.length, 4);
    const failure = one(tc[0]!, 'failure');
    assert.equal(failure.attrs.message, `T ${clean}: M ${clean}`, 'attribute round-trips, newlines included');
    assert.ok(failure.text.startsWith(`M ${clean}\n`));
    assert.ok(failure.text.includes(`  bash:\n    echo '${clean}'`));
    assert.deepEqual(tc[0]!.children.map((c) => c.name), ['failure'], 'no injected elements');
    // Report order (core/model/order): fail, warn, error, then skip.
    assert.equal(one(tc[2]!, 'error').attrs.message, clean);
    assert.equal(one(tc[3]!, 'skipped').attrs.message, `not applicable: ${clean}`);
    const props = kids(one(s, 'properties'), 'property');
    assert.equal(props[2]!.attrs.name, `input:in${clean}`);
    assert.ok(!text.includes('</failure><x>'));
    assert.ok(!text.includes(']]>'));
  });

  it('escape helpers', () => {
    assert.equal(escapeXmlText('a<b>&c]]>'), 'a&lt;b&gt;&amp;c]]&gt;');
    assert.equal(escapeXmlAttr('"q" \'a\'\t\n\r'), '&quot;q&quot; &apos;a&apos;&#9;&#10;&#13;');
    assert.equal(stripIllegalXml('ok\u0000\u0008\t\n\r\ufffe\uffff😀'), 'ok\t\n\r😀', 'keeps whitespace and surrogate pairs');
  });

  it('redacts input-derived strings; verbatim without redaction', () => {
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!out.includes(secret), `no ${secret}`);
    assert.match(one(byName('proxy'), 'failure').text, /\n {4}azcmagent config set proxy\.url "http:\/\/\*\*\*@10\.1\.2\.3:3128"/);
    const raw = parseXml(renderJunit(sampleReport(), sampleOptions({ redact: false })));
    const proxy = kids(one(raw, 'testsuite'), 'testcase').find((c) => c.attrs.name === 'proxy')!;
    assert.ok(one(proxy, 'failure').attrs.message!.includes(SECRET_PROXY));
    assert.ok(one(proxy, 'failure').text.includes(`    azcmagent config set proxy.url "${SECRET_PROXY}"`));
    const wac = kids(one(raw, 'testsuite'), 'testcase').find((c) => c.attrs.name === 'endpoint-wac')!;
    assert.ok(one(wac, 'system-out').text.includes(`sig=${SAS_SIG}`));
  });

  it('is what render("junit") returns', () => {
    assert.equal(render('junit', sampleReport(), sampleOptions()), out);
  });
});

describe('junit reporter: targets', () => {
  const suite = one(parseXml(renderJunit(bundleReport(), sampleOptions())), 'testsuite');
  const props = (n: XmlNode): Record<string, string> => Object.fromEntries(kids(one(n, 'properties'), 'property').map((p) => [p.attrs.name!, p.attrs.value!]));

  it('names the testsuite after the target', () => {
    assert.equal(suite.attrs.name, BUNDLE_PATH);
    assert.equal(one(parseXml(renderJunit(liveReport(), sampleOptions())), 'testsuite').attrs.name, 'SRV-WEB-08');
  });

  it('records the target as properties, before the inputs', () => {
    const list = kids(one(suite, 'properties'), 'property').map((p) => p.attrs.name);
    assert.deepEqual(list.slice(0, 12), [
      'wac-doctor.version', 'wac-doctor.failOn', 'target.kind', 'target.name', 'target.machine', 'target.os', 'target.agentVersion',
      'target.timeRange', 'target.filesRead', 'target.filesMissing', 'target.note.1', 'target.note.2',
    ]);
    const map = props(suite);
    assert.equal(map['target.machine'], 'SRV-WEB-07');
    assert.equal(map['target.agentVersion'], '1.45.02669.1635');
    assert.equal(map['target.timeRange'], '2024-11-17T08:00:00Z/2024-11-18T09:12:00Z');
    assert.equal(map['target.filesRead'], '14');
    assert.equal(map['target.filesMissing'], 'ProgramData/GuestConfig/ext_mgr_logs/gc_ext.log');
    assert.equal(map['target.note.2'], 'azcmagent-config-list.txt sets proxy.url http://***@10.1.2.3:3128');
    const folder = props(one(parseXml(renderJunit(folderReport(), sampleOptions())), 'testsuite'));
    assert.equal(folder['target.filesMissing'], undefined, 'nothing missing, no property');
    assert.equal(folder['target.os'], undefined);
  });

  it('escapes and redacts hostile target fields', () => {
    const hostile = reportOf([f('a', 'fail')], [], {
      kind: 'snapshot', name: `"/></testsuite><x a="${SAS_URL}\u0001`, machine: `SRV<&>\n${SECRET_PROXY}`, notes: [']]><!-- x'],
    });
    const text = renderJunit(hostile, sampleOptions());
    const s = one(parseXml(text), 'testsuite');
    assert.equal(s.attrs.name, '"/></testsuite><x a="https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=***');
    assert.equal(props(s)['target.machine'], 'SRV<&>\nhttp://***@10.1.2.3:3128');
    assert.equal(props(s)['target.note.1'], ']]><!-- x');
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!text.includes(secret), `no ${secret}`);
    assert.ok(props(one(parseXml(renderJunit(hostile, sampleOptions({ redact: false }))), 'testsuite'))['target.machine']!.includes(SECRET_PROXY));
  });
});

describe('junit reporter: several targets', () => {
  const out = renderJunit(sampleMulti(), sampleOptions());
  const root = parseXml(out);
  const suites = kids(root, 'testsuite');

  it('is well-formed with one testsuite per target, in order', () => {
    assert.equal(root.name, 'testsuites');
    assert.equal(root.attrs.name, 'wac-doctor');
    assert.deepEqual(suites.map((s) => s.attrs.name), [BUNDLE_PATH, 'SRV-WEB-08', FOLDER_PATH]);
    assert.deepEqual(suites.map((s) => kids(s, 'testcase').length), [5, 5, 2]);
    // Each suite is the single-target rendering's suite, classnames aside (qualified by target, below).
    const single = one(parseXml(renderJunit(liveReport(), sampleOptions())), 'testsuite');
    const unqualified = JSON.parse(JSON.stringify(suites[1]).replaceAll('wac-doctor.SRV-WEB-08.', 'wac-doctor.')) as unknown;
    assert.deepEqual(unqualified, single);
  });

  it('qualifies classnames by target, so the same rule on two targets is two distinct tests', () => {
    const names = suites.map((s) => [...new Set(kids(s, 'testcase').map((t) => t.attrs.classname!.split('.').slice(0, 2).join('.')))]);
    assert.deepEqual(names, [['wac-doctor.SRV-WEB-07'], ['wac-doctor.SRV-WEB-08'], ['wac-doctor.SRV-DB-01']]);
    const single = one(parseXml(renderJunit(liveReport(), sampleOptions())), 'testsuite');
    assert.ok(kids(single, 'testcase').every((t) => /^wac-doctor\.[a-z]+$/.test(t.attrs.classname!)), 'one target: not qualified');
  });

  it('sums the totals on <testsuites>, each suite counting its own', () => {
    assert.deepEqual(suites.map((s) => [s.attrs.tests, s.attrs.failures, s.attrs.errors, s.attrs.skipped]), [
      ['5', '2', '0', '1'], ['5', '1', '1', '1'], ['2', '0', '0', '0'],
    ]);
    for (const key of ['tests', 'failures', 'errors', 'skipped']) {
      assert.equal(root.attrs[key], String(suites.reduce((n, s) => n + Number(s.attrs[key]), 0)), key);
    }
    assert.deepEqual([root.attrs.tests, root.attrs.failures, root.attrs.errors, root.attrs.skipped], ['12', '3', '1', '2']);
    const strict = parseXml(renderJunit(sampleMulti(), sampleOptions({ failOn: 'warn' })));
    assert.equal(strict.attrs.failures, '5', 'warnings count as failures with --fail-on warn');
    assert.deepEqual(kids(strict, 'testsuite').map((s) => s.attrs.failures), ['3', '2', '0']);
  });

  it('names a report without target after the tool', () => {
    const mixed = parseXml(renderJunit(multiReport([sampleReport(), liveReport()], '2026-11-26T12:00:00.000Z'), sampleOptions()));
    assert.deepEqual(kids(mixed, 'testsuite').map((s) => s.attrs.name), ['wac-doctor', 'SRV-WEB-08']);
    assert.equal(mixed.attrs.tests, '18');
  });

  it('redacts every suite', () => {
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!out.includes(secret), `no ${secret}`);
    const raw = renderJunit(sampleMulti(), sampleOptions({ redact: false }));
    assert.ok(raw.includes(SECRET_PROXY));
    assert.ok(raw.includes(`sig=${SAS_SIG}`));
  });

  it('is what render("junit") returns', () => {
    assert.equal(render('junit', sampleMulti(), sampleOptions()), out);
  });
});

function reportCase(finding: Finding): XmlNode {
  return kids(one(parseXml(renderJunit(reportOf([finding]), sampleOptions())), 'testsuite'), 'testcase')[0]!;
}
