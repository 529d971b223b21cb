import { strict as assert } from 'node:assert';
import { renderText } from './text';
import { render } from './index';
import {
  BUNDLE_PATH, bundleReport, FOLDER_PATH, folderReport, liveReport, reportOf, SAS_SIG, SAS_URL, SECRET_PASSWORD, SECRET_PROXY,
  sampleMulti, sampleOptions, sampleReport,
} from '../../test/support/sample-report';
import { multiReport } from '../model/report';
import type { Finding } from '../model/types';
import { docsUrlFor } from '../engine/rule';

const ESC = '\u001b';

function f(ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return { ruleId, status, title: `Title of ${ruleId}`, category: 'agent', message: `Message of ${ruleId}.`, evidence: [], docsUrl: docsUrlFor(ruleId), ...extra };
}

describe('text reporter', () => {
  const out = renderText(sampleReport(), sampleOptions());
  const lines = out.split('\n');

  it('starts with a header naming the tool, version and input count', () => {
    assert.equal(lines[0], 'WAC Doctor 0.1.0 (wac-doctor) · 7 inputs · 2026-11-26T12:00:00.000Z');
  });

  it('lists input problems with their messages before the checks', () => {
    const unused = lines.indexOf('Inputs not used');
    assert.ok(unused > 0);
    assert.equal(lines[unused + 1], '[!] notes.txt: not recognized');
    assert.equal(lines[unused + 3], '[✗] broken.json: could not be read as az connectedmachine show');
    assert.equal(lines[unused + 4], '    looks like az connectedmachine show but the JSON ends early at line 3');
    assert.ok(unused < lines.indexOf('Problems'));
    // Parsed inputs only in verbose mode.
    assert.ok(!out.includes('Inputs used'));
    assert.ok(!out.includes('ignored unknown key'));
  });

  it('puts problems first: fail, then warn, then error, catalog order inside each, each ending with its rule id (issue 9 item 9)', () => {
    const heads = lines.filter((l) => /^\[[✗!☠]\] /.test(l) && !l.includes(': not recognized') && !l.includes('could not be read'));
    assert.deepEqual(heads.map((l) => /  ([a-z-]+)$/.exec(l)?.[1]), ['agent-status', 'proxy', 'extension-status', 'endpoint-wac', 'incoming-ports', 'tls-inspection']);
    assert.deepEqual(heads.map((l) => l.slice(0, 3)), ['[✗]', '[✗]', '[✗]', '[!]', '[!]', '[☠]']);
    assert.ok(lines.indexOf('Problems') < lines.indexOf('Passed'));
    // The same order as JSON, SARIF, JUnit and markdown: one ordering function (core/model/order).
    const json = JSON.parse(render('json', sampleReport(), sampleOptions())) as { results: Finding[] };
    assert.deepEqual(json.results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => r.ruleId), heads.map((l) => /  ([a-z-]+)$/.exec(l)![1]));
  });

  it('collapses passes to one line per category, in CATEGORY_ORDER, unless verbose', () => {
    const i = lines.indexOf('Passed');
    assert.deepEqual(lines.slice(i + 1, i + 5), [
      '[✓] Machine requirements: 2 checks (os-version, memory)',
      '[✓] Connected Machine agent: 1 check (agent-version)',
      '[✓] Windows Admin Center gateway: 1 check (wac-port)',
      '[✓] Azure resources and access: 1 check (resource-provider)',
    ]);
    const verbose = renderText(sampleReport(), sampleOptions({ verbose: true })).split('\n');
    const v = verbose.indexOf('Passed');
    assert.deepEqual(verbose.slice(v + 1, v + 4), [
      'Machine requirements:',
      '[✓] The operating system supports Windows Admin Center — Windows Server 2022 Datacenter (build 20348) is supported.  os-version',
      '[✓] The machine has enough memory for the WAC gateway — The machine has 16 GiB of memory.  memory',
    ]);
  });

  it('prints one glyph line per problem: ! warn, ✗ fail, ☠ error', () => {
    assert.ok(lines.includes('[!] The agent accepts incoming connections on the WAC port — incomingconnections.ports is [22]; the WAC port 6516 is missing.  incoming-ports'));
    assert.ok(lines.includes('[✗] The AdminCenter extension is installed and healthy — The AdminCenter extension is in state Failed.  extension-status'));
    assert.ok(lines.includes("[☠] No TLS inspection on the WAC endpoints — The rule failed to run: Cannot read properties of undefined (reading 'issuer')  tls-inspection"));
  });

  it('shows evidence (with and without line), the fix with shell labels and the docs URL under problems', () => {
    const i = lines.indexOf('[✗] The Connected Machine agent is connected — Agent status is Disconnected; the last heartbeat was 2026-11-20T08:00:00Z, 6 days before this report.  agent-status');
    assert.ok(i > 0);
    assert.deepEqual(lines.slice(i + 1, i + 12), [
      '    Evidence:',
      '      azcmagent-show.txt:14  Agent Status                            : Disconnected',
      '      azcmagent-show.txt:15  Agent Last Heartbeat                    : 2026-11-20T08:00:00Z',
      '    Fix: Find out why the agent cannot reach Azure, then restart the agent service.',
      '      PowerShell:',
      '        azcmagent check --location westeurope',
      '        Restart-Service himds',
      '      Azure CLI (PowerShell):',
      '        az connectedmachine show --name SRV-WEB01 --resource-group rg-arc --query status -o tsv',
      `    Docs: ${docsUrlFor('agent-status')}`,
      '[✗] The agent proxy lets WAC traffic through — The agent proxy http://***@10.1.2.3:3128 answered 407 Proxy Authentication Required for wac.azure.com.  proxy',
    ]);
    assert.ok(lines.includes('      az-extension-list.json  "provisioningState": "Failed"'));
    assert.ok(lines.some((l) => l.startsWith("        curl -sS -o /dev/null -w '%{http_code}' -x http://***@10.1.2.3:3128")));
    assert.ok(lines.includes('      bash:'));
    assert.ok(lines.includes(`    Docs: ${docsUrlFor('tls-inspection')}`), 'errors get a docs link');
    assert.ok(!out.includes(docsUrlFor('os-version')), 'passes do not');
  });

  it('only counts skips unless verbose', () => {
    assert.ok(!out.includes('Private Link is configured for WAC'));
    assert.ok(!out.includes('[?]'));
    assert.equal(lines.at(-3), 'Summary: 3 failed, 2 warnings, 5 passed, 2 skipped (use --verbose to list), 1 error');

    const verbose = renderText(sampleReport(), sampleOptions({ verbose: true })).split('\n');
    assert.ok(verbose.includes('[?] Private Link is configured for WAC — Not applicable: the machine is not in a Private Link Scope.  private-link'));
    assert.ok(verbose.includes('[?] You hold the Windows Admin Center Administrator Login role — Not checked: needs role assignments (azure.roleAssignments; from az role assignment list -o json).  rbac'));
    assert.equal(verbose.at(-3), 'Summary: 3 failed, 2 warnings, 5 passed, 2 skipped, 1 error');
    assert.ok(verbose.includes('[✓] az-machine.json: az connectedmachine show, 6 facts'));
    assert.ok(verbose.includes('    ignored unknown key "proxy.foo"'));
  });

  it('lists skips only when verbose', () => {
    const r = reportOf([f('a', 'pass'), f('b', 'skip', { category: 'azure', missing: ['azure.roleAssignments'] })]);
    assert.ok(!renderText(r, sampleOptions()).includes('Skipped'));
    assert.ok(renderText(r, sampleOptions({ verbose: true })).includes('[?] Title of b — Message of b.  b'));
  });

  it('ends with a verdict counting problem categories', () => {
    assert.equal(lines.at(-2), 'WAC Doctor found problems in 4 categories.');
    assert.equal(lines.at(-1), '');
    const one = renderText(reportOf([f('a', 'warn'), f('b', 'warn'), f('c', 'pass')]), sampleOptions());
    assert.match(one, /Summary: 0 failed, 2 warnings, 1 passed, 0 skipped, 0 errors\nWAC Doctor found problems in 1 category\.\n$/);
    assert.match(renderText(reportOf([f('a', 'pass'), f('b', 'skip')]), sampleOptions()), /\nNo problems found\.\n$/);
    assert.match(renderText(reportOf([f('b', 'skip')]), sampleOptions()), /\nNo problems found, but no check could run/);
  });

  it('uses ANSI colour only when asked', () => {
    assert.ok(!out.includes(ESC));
    const coloured = renderText(sampleReport(), sampleOptions({ color: true }));
    assert.ok(coloured.includes(`${ESC}[31m[✗]${ESC}[39m The agent proxy`), 'red fail glyph');
    assert.ok(coloured.includes(`${ESC}[33m[!]${ESC}[39m wac.azure.com is reachable`), 'yellow warn glyph');
    assert.ok(coloured.includes(`${ESC}[32m[✓]${ESC}[39m Windows Admin Center gateway: 1 check`), 'green pass glyph');
    const verbose = renderText(sampleReport(), sampleOptions({ color: true, verbose: true }));
    assert.ok(verbose.includes(`${ESC}[2m[?] Private Link is configured for WAC — Not applicable: the machine is not in a Private Link Scope.  private-link${ESC}[22m`), 'whole skip line dim');
  });

  it('never passes terminal escapes or newlines from input through', () => {
    const hostile = f('a', 'fail', { message: `bad\u001b[2J\u0007 text\nsecond line`, evidence: [{ source: 'pasted', path: 'x.txt', line: 1, excerpt: 'ex\u001b]0;title\u0007' }] });
    const text = renderText(reportOf([hostile]), sampleOptions());
    assert.ok(!text.includes(ESC));
    assert.ok(!text.includes('\u0007'));
    assert.ok(text.includes('[✗] Title of a — bad\\x1b[2J\\x07 text ⏎ second line'), 'shown, as git and unzip show them');
    assert.ok(text.includes('x.txt:1  ex\\x1b]0;title\\x07'));
  });

  it('keeps the continuation lines of a multi-line command under its first line', () => {
    const multi = f('a', 'fail', { fix: { summary: 's', commands: [{ shell: 'powershell', command: 'Get-Service himds |\n  Restart-Service' }] } });
    const text = renderText(reportOf([multi]), sampleOptions()).split('\n');
    const i = text.indexOf('        Get-Service himds |');
    assert.ok(i > 0);
    assert.equal(text[i - 1], '      PowerShell:');
    assert.equal(text[i + 1], '          Restart-Service');
  });

  it('prints no prompt inside command text: each command line is exactly the command (issue 9 item 5)', () => {
    const all = sampleReport().results.flatMap((r) => r.fix?.commands ?? []);
    assert.ok(all.length >= 4);
    const text = renderText(sampleReport(), sampleOptions({ redact: false })).split('\n').map((l) => l.trim());
    for (const c of all) assert.ok(text.includes(c.command), `the line is the command: ${c.command}`);
    assert.ok(!text.some((l) => /^(PS>|azcli>|\$ )/.test(l)), 'no PS> / azcli> / $ prompt');
  });

  it('redacts secrets in messages, excerpts, commands and input messages', () => {
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!out.includes(secret), `no ${secret}`);
    assert.ok(out.includes('[✗] The agent proxy lets WAC traffic through — The agent proxy http://***@10.1.2.3:3128 answered 407'));
    assert.ok(out.includes('config-list.txt:7  proxy.url                          http://***@10.1.2.3:3128'));
    assert.ok(out.includes('        azcmagent config set proxy.url "http://***@10.1.2.3:3128"'));
    assert.ok(out.includes('    not a recognized output; it mentions http://***@10.1.2.3:3128'));
    assert.ok(out.includes('sv=2022-11-02&sig=***'));
  });

  it('prints input verbatim when redaction is off, without changing the report', () => {
    const report = sampleReport();
    const before = JSON.stringify(report);
    renderText(report, sampleOptions());
    assert.equal(JSON.stringify(report), before, 'rendering does not mutate the report');
    const raw = renderText(report, sampleOptions({ redact: false }));
    assert.ok(raw.includes(`The agent proxy ${SECRET_PROXY} answered 407`));
    assert.ok(raw.includes(`        azcmagent config set proxy.url "${SECRET_PROXY}"`));
    assert.ok(raw.includes(`proxy.url                          ${SECRET_PROXY}`));
    assert.ok(raw.includes(`it mentions ${SECRET_PROXY}`));
    assert.ok(raw.includes(`&sig=${SAS_SIG}`));
  });

  it('is what render("text") returns', () => {
    assert.equal(render('text', sampleReport(), sampleOptions()), out);
  });
});

describe('text reporter: targets', () => {
  const out = renderText(bundleReport(), sampleOptions());
  const lines = out.split('\n');

  it('prints a target block between the header and the findings', () => {
    assert.equal(lines[0], 'WAC Doctor 0.1.0 (wac-doctor) · 3 inputs · 2026-11-26T12:00:00.000Z');
    assert.deepEqual(lines.slice(1, 7), [
      '',
      `Bundle: ${BUNDLE_PATH} · machine SRV-WEB-07 · Windows Server 2022 · agent 1.45.02669.1635 · logs 2024-11-17T08:00:00Z … 2024-11-18T09:12:00Z`,
      'Files: 14 read; missing: ProgramData/GuestConfig/ext_mgr_logs/gc_ext.log (checks that need it skip)',
      'Note: refused entry ../../Windows/evil.ps1 (outside the bundle)',
      'Note: azcmagent-config-list.txt sets proxy.url http://***@10.1.2.3:3128',
      '',
    ]);
    assert.equal(lines[7], 'Inputs not used');
    assert.ok(lines.indexOf('Problems') > 7);
  });

  it('leaves out what the target does not know, and the machine when it is the name', () => {
    const live = renderText(liveReport(), sampleOptions()).split('\n');
    assert.equal(live[2], 'Live host: SRV-WEB-08 · Windows Server 2019 · agent 1.44.02627.1515');
    assert.equal(live[3], '');
    const folder = renderText(folderReport(), sampleOptions()).split('\n');
    assert.deepEqual(folder.slice(2, 5), [`Folder: ${FOLDER_PATH} · machine SRV-DB-01`, 'Files: 2 read', '']);
    const pasted = renderText(reportOf([f('a', 'pass')], undefined, { kind: 'pasted', name: 'pasted inputs', machine: 'SRV-WEB01' }), sampleOptions()).split('\n');
    assert.equal(pasted[2], 'Pasted inputs · machine SRV-WEB01');
  });

  it('redacts target fields and shows their control characters inert', () => {
    const hostile = reportOf([f('a', 'fail')], [], {
      kind: 'snapshot', name: `${SAS_URL}\u001b[2J`, machine: `SRV\nEVIL ${SECRET_PROXY}`, notes: [`note\u0007 ${SECRET_PROXY}`],
      filesMissing: [`x\u001b]0;t\u0007.log`],
    });
    const text = renderText(hostile, sampleOptions());
    assert.ok(!text.includes(ESC) && !text.includes('\u0007'));
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!text.includes(secret), `no ${secret}`);
    assert.ok(text.includes('Snapshot: https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=*** · machine SRV ⏎ EVIL http://***@10.1.2.3:3128'));
    assert.ok(text.includes('Note: note\\x07 http://***@10.1.2.3:3128'));
    const raw = renderText(hostile, sampleOptions({ redact: false }));
    assert.ok(raw.includes(`Note: note\\x07 ${SECRET_PROXY}`));
  });
});

describe('text reporter: several targets', () => {
  const out = renderText(sampleMulti(), sampleOptions());
  const lines = out.split('\n');

  it('renders each target in turn under a heading', () => {
    assert.equal(lines[0], 'WAC Doctor 0.1.0 (wac-doctor) · 3 targets · 2026-11-26T12:00:00.000Z');
    const headings = lines.filter((l) => l.startsWith('━━ '));
    assert.deepEqual(headings, [`━━ Target 1 of 3: ${BUNDLE_PATH} ━━`, '━━ Target 2 of 3: SRV-WEB-08 ━━', `━━ Target 3 of 3: ${FOLDER_PATH} ━━`]);
    const [h1, h2, h3] = headings.map((h) => lines.indexOf(h));
    // Each section is the single-target rendering minus its header line.
    const single = renderText(bundleReport(), sampleOptions()).split('\n');
    assert.deepEqual(lines.slice(h1! + 1, h2! - 1), single.slice(1, -1));
    assert.equal(lines[h2! + 2], 'Live host: SRV-WEB-08 · Windows Server 2019 · agent 1.44.02627.1515');
    assert.equal(lines[h3! - 3], 'Summary: 1 failed, 1 warning, 1 passed, 1 skipped (use --verbose to list), 1 error');
    assert.ok(lines.indexOf('No problems found.') > h3!);
  });

  it('ends with a cross-target table of failing and warning rules, then a verdict', () => {
    const i = lines.indexOf('Across 3 targets');
    assert.ok(i > lines.indexOf(`━━ Target 3 of 3: ${FOLDER_PATH} ━━`));
    assert.deepEqual(lines.slice(i + 1), [
      'Rule            Fail  Warn  Error  Targets',
      `agent-status    2     0     0      ${BUNDLE_PATH}, SRV-WEB-08`,
      `proxy           1     0     0      ${BUNDLE_PATH}`,
      `incoming-ports  0     1     0      ${BUNDLE_PATH}`,
      'endpoint-wac    0     1     0      SRV-WEB-08',
      'tls-inspection  0     0     1      SRV-WEB-08',
      '',
      'WAC Doctor found problems on 2 of 3 targets.',
      '',
    ]);
  });

  it('says so when no target has a problem', () => {
    const clean = renderText(multiReport([folderReport(), reportOf([f('a', 'pass'), f('b', 'skip')])], '2026-11-26T12:00:00.000Z'), sampleOptions({ color: true }));
    assert.ok(clean.includes('\nNo check failed or warned on any target.\n'));
    assert.ok(clean.endsWith(`\n${ESC}[32mNo problems found on 2 targets.${ESC}[39m\n`));
    assert.ok(clean.includes(`${ESC}[1m━━ Target 2 of 2: pasted inputs ━━${ESC}[22m`), 'a report without target is "pasted inputs"');
  });

  it('redacts every target (notes, names in the table, evidence) unless told not to', () => {
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!out.includes(secret), `no ${secret}`);
    assert.ok(out.includes('Note: azcmagent-config-list.txt sets proxy.url http://***@10.1.2.3:3128'));
    assert.ok(out.includes('Location: https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=***'));
    const leaky = multiReport([reportOf([f('a', 'fail')], [], { kind: 'snapshot', name: SAS_URL }), liveReport()], '2026-11-26T12:00:00.000Z');
    const text = renderText(leaky, sampleOptions());
    assert.ok(!text.includes(SAS_SIG));
    assert.ok(text.split('\n').some((l) => l.startsWith('a   ') && l.endsWith('sig=***')), 'target names in the table are redacted');
    const raw = renderText(sampleMulti(), sampleOptions({ redact: false }));
    assert.ok(raw.includes(`proxy.url ${SECRET_PROXY}`));
    assert.ok(raw.includes(`sig=${SAS_SIG}`));
  });

  it('is what render("text") returns', () => {
    assert.equal(render('text', sampleMulti(), sampleOptions()), out);
  });
});
