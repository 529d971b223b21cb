import { strict as assert } from 'node:assert';
import { code, codeBlock, escapeMd, renderMarkdown } from './markdown';
import { render } from './index';
import {
  BUNDLE_PATH, bundleReport, FOLDER_PATH, folderReport, liveReport, reportOf, SAS_SIG, SAS_URL, SECRET_PASSWORD, SECRET_PROXY,
  sampleMulti, sampleOptions, sampleReport,
} from '../../test/support/sample-report';
import { multiReport } from '../model/report';
import { docsUrlFor } from '../engine/rule';
import type { Finding } from '../model/types';

function f(ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return { ruleId, status, title: `Title of ${ruleId}`, category: 'agent', message: `Message of ${ruleId}.`, evidence: [], docsUrl: docsUrlFor(ruleId), ...extra };
}

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
const cells = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());

/** Text outside code spans and fenced blocks (where HTML would be live). */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

describe('markdown reporter', () => {
  const out = renderMarkdown(sampleReport(), sampleOptions());
  const lines = out.split('\n');

  it('starts with the title and a line of counts', () => {
    assert.equal(lines[0], '## WAC Doctor report');
    assert.equal(lines[2], 'wac-doctor 0.1.0 · 2026-11-26T12:00:00.000Z · 3 failed · 2 warnings · 1 error · 5 passed · 2 skipped');
  });

  it('lists the inputs with their problems', () => {
    const i = lines.indexOf('### Inputs');
    assert.deepEqual(lines.slice(i + 2, i + 14), [
      '- `azcmagent-show.txt`: azcmagent show, 14 facts',
      '- `C:\\Users\\alice\\Desktop\\config-list.txt`: azcmagent config list, 9 facts',
      '  - ignored unknown key "proxy.foo"',
      '- `az-extension-list.json`: az connectedmachine extension list, 3 facts',
      '- `az-machine.json`: az connectedmachine show, 6 facts',
      '- `reg-query.txt`: reg query, 2 facts',
      '- `notes.txt`: **not recognized**',
      '  - not a recognized output; it mentions http\\://\\*\\*\\*\\@10.1.2.3:3128',
      '- `broken.json`: **could not be read**',
      '  - looks like az connectedmachine show but the JSON ends early at line 3',
      '',
      '### Problems',
    ]);
  });

  it('tabulates fail, warn and error findings in report order (core/model/order)', () => {
    const h = lines.indexOf('| Status | Check | Finding |');
    assert.ok(h > 0);
    assert.equal(lines[h + 1], '| --- | --- | --- |');
    const rows = lines.slice(h + 2, lines.indexOf('', h));
    assert.deepEqual(rows.map((r) => cells(r)[0]), ['✗ Fail', '✗ Fail', '✗ Fail', '! Warning', '! Warning', '☠ Error']);
    assert.deepEqual(rows.map((r) => /\(`([a-z-]+)`\)/.exec(r)![1]), ['agent-status', 'proxy', 'extension-status', 'endpoint-wac', 'incoming-ports', 'tls-inspection']);
    assert.equal(rows[4], '| ! Warning | The agent accepts incoming connections on the WAC port (`incoming-ports`) | incomingconnections.ports is \\[22\\]; the WAC port 6516 is missing. |');
    for (const r of rows) assert.equal(cells(r).length, 3);
  });

  it('details each problem with evidence and fenced fix commands', () => {
    const start = lines.indexOf('#### ✗ The Connected Machine agent is connected (`agent-status`)');
    assert.ok(start > lines.indexOf('### Details'));
    const block = lines.slice(start, lines.indexOf('#### ✗ The agent proxy lets WAC traffic through (`proxy`)')).join('\n');
    assert.equal(block, [
      '#### ✗ The Connected Machine agent is connected (`agent-status`)',
      '',
      '**Fail** · Connected Machine agent',
      '',
      'Agent status is Disconnected; the last heartbeat was 2026-11-20T08:00:00Z, 6 days before this report.',
      '',
      '**Evidence**',
      '',
      '- `azcmagent-show.txt:14`: `Agent Status                            : Disconnected`',
      '- `azcmagent-show.txt:15`: `Agent Last Heartbeat                    : 2026-11-20T08:00:00Z`',
      '',
      '**Fix:** Find out why the agent cannot reach Azure, then restart the agent service.',
      '',
      'PowerShell:',
      '',
      '```powershell',
      'azcmagent check --location westeurope',
      '```',
      '',
      'PowerShell:',
      '',
      '```powershell',
      'Restart-Service himds',
      '```',
      '',
      'Azure CLI (PowerShell):',
      '',
      '```powershell',
      'az connectedmachine show --name SRV-WEB01 --resource-group rg-arc --query status -o tsv',
      '```',
      '',
      `Docs: <${docsUrlFor('agent-status')}>`,
      '',
    ].join('\n'));
    assert.ok(out.includes('bash:\n\n```bash\ncurl -sS'));
    assert.ok(out.includes('- `az-extension-list.json`: `"provisioningState": "Failed"`'), 'evidence without a line');
    assert.ok(out.includes('- _live_') === false && out.includes('- `Invoke-WebRequest https://wac.azure.com`: `Location: '));
  });

  it('lists passed checks compactly and counts skips unless verbose', () => {
    const p = lines.indexOf('### Passed (5)');
    assert.deepEqual(lines.slice(p + 2, p + 7), [
      '- ✓ The operating system supports Windows Admin Center (`os-version`)',
      '- ✓ The machine has enough memory for the WAC gateway (`memory`)',
      '- ✓ The agent version works with WAC (`agent-version`)',
      '- ✓ The WAC port is the same everywhere (`wac-port`)',
      '- ✓ Microsoft.HybridConnectivity is registered (`resource-provider`)',
    ]);
    assert.ok(out.includes('### Skipped (2)\n\n2 checks could not run or did not apply; run with `--verbose` to list them.'));
    assert.ok(!out.includes('Private Link is configured'));
    const verbose = renderMarkdown(sampleReport(), sampleOptions({ verbose: true }));
    assert.ok(verbose.includes('- ? Private Link is configured for WAC (`private-link`): Not applicable: the machine is not in a Private Link Scope.'));
    assert.ok(verbose.includes('- ? You hold the Windows Admin Center Administrator Login role (`rbac`): Not checked: needs role assignments (azure.roleAssignments; from az role assignment list -o json).'));
  });

  it('ends with a footer of counts and the redaction state', () => {
    assert.equal(lines.at(-2), '_3 failed · 2 warnings · 1 error · 5 passed · 2 skipped. Secrets in inputs were redacted._');
    assert.equal(lines.at(-4), '---');
    const raw = renderMarkdown(sampleReport(), sampleOptions({ redact: false })).split('\n');
    assert.equal(raw.at(-2), '_3 failed · 2 warnings · 1 error · 5 passed · 2 skipped. Redaction was off: review before sharing._');
  });

  it('says so when there are no problems', () => {
    const md = renderMarkdown(reportOf([f('a', 'pass')]), sampleOptions());
    assert.ok(md.includes('### Problems\n\nNo problems found.\n'));
    assert.ok(!md.includes('| Status |'));
    assert.ok(!md.includes('### Details'));
  });

  it('escapes input so it can neither break the table nor inject HTML', () => {
    const html = '<img src=x onerror=alert(1)>';
    const hostile = f('hostile', 'fail', {
      title: `Pipe | and ${html}`,
      message: `line one | cell\nline two **bold** [link](javascript:alert(1)) ${html} \`tick\` # not heading`,
      evidence: [{ source: 'pasted', path: 'a|b.txt', line: 2, excerpt: 'has `backticks` and | pipe <b>' }, { source: 'pasted', path: 'multi.txt', excerpt: 'first\n```\nsecond' }],
      fix: { summary: `Do <script>x</script>`, commands: [{ shell: 'bash', command: 'echo ```\necho done' }] },
    });
    const md = renderMarkdown(reportOf([hostile, f('h2', 'warn', { message: '- looks like a list\n1. or numbered' })]), sampleOptions({ redact: false }));
    const row = md.split('\n').find((l) => l.startsWith('| ✗ Fail'))!;
    assert.equal(cells(row).length, 3, row);
    assert.equal(row, '| ✗ Fail | Pipe \\| and &lt;img src=x onerror=alert(1)&gt; (`hostile`) | line one \\| cell line two \\*\\*bold\\*\\* \\[link\\](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt; \\`tick\\` \\# not heading |');
    const prose = outsideCode(md);
    assert.ok(!/<(?!https:\/\/)[a-z/]/i.test(prose), `no raw HTML outside code: ${prose}`);
    assert.ok(md.includes('**Fix:** Do &lt;script&gt;x&lt;/script&gt;'));
    assert.ok(md.includes('- `a|b.txt:2`: ``has `backticks` and | pipe <b>``'), 'code span outside a table keeps the text verbatim');
    assert.ok(md.includes('- `multi.txt`\n\n  ````text\n  first\n  ```\n  second\n  ````'), 'multi-line excerpt in a longer fence');
    assert.ok(md.includes('````bash\necho ```\necho done\n````'), 'command fence longer than its content');
    assert.ok(md.includes('\n\\- looks like a list 1. or numbered\n'), 'a leading list marker is escaped');
  });

  it('escape helpers', () => {
    assert.equal(escapeMd('a|b*c_d`e[f]g<h>i&j\\k'), 'a\\|b\\*c\\_d\\`e\\[f\\]g&lt;h&gt;i&amp;j\\\\k');
    // Fix placeholders read as written (a code span), not `&lt;region&gt;` (issue 9 item 10).
    assert.equal(escapeMd('set --location <region> in <b>'), 'set --location `<region>` in &lt;b&gt;');
    assert.equal(escapeMd('1. first'), '1\\. first');
    assert.equal(escapeMd('line\nnext\u0000'), 'line next');
    assert.equal(code('a`b'), '``a`b``');
    assert.equal(code('`x`'), '`` `x` ``');
    assert.equal(code('a|b', true), '`a\\|b`');
    assert.equal(codeBlock('x', 'powershell'), '```powershell\nx\n```');
  });

  it('redacts input-derived strings; verbatim without redaction', () => {
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!out.includes(secret), `no ${secret}`);
    assert.ok(out.includes('```powershell\nazcmagent config set proxy.url "http://***@10.1.2.3:3128"\n```'));
    assert.ok(out.includes('`proxy.url                          http://***@10.1.2.3:3128`'));
    const raw = renderMarkdown(sampleReport(), sampleOptions({ redact: false }));
    assert.ok(raw.includes(`\`\`\`powershell\nazcmagent config set proxy.url "${SECRET_PROXY}"\n\`\`\``));
    assert.ok(raw.includes('sig=abc123'));
    assert.ok(raw.includes('it mentions http\\://alice:S3cret\\@10.1.2.3:3128'));
  });

  it('is what render("markdown") returns', () => {
    assert.equal(render('markdown', sampleReport(), sampleOptions()), out);
  });
});

describe('markdown reporter: targets', () => {
  const out = renderMarkdown(bundleReport(), sampleOptions());
  const lines = out.split('\n');

  it('has a short Target section after the counts, before the inputs', () => {
    const i = lines.indexOf('### Target');
    assert.equal(i, 4);
    assert.deepEqual(lines.slice(i + 2, i + 13), [
      `- **Bundle:** \`${BUNDLE_PATH}\``,
      '- **Machine:** `SRV-WEB-07`',
      '- **OS:** Windows Server 2022',
      '- **Agent:** `1.45.02669.1635`',
      '- **Logs:** 2024-11-17T08:00:00Z … 2024-11-18T09:12:00Z',
      '- **Files:** 14 read; missing: `ProgramData/GuestConfig/ext_mgr_logs/gc_ext.log` (checks that need it skip)',
      '- **Notes:**',
      '  - refused entry ../../Windows/evil.ps1 (outside the bundle)',
      '  - azcmagent-config-list.txt sets proxy.url http\\://\\*\\*\\*\\@10.1.2.3:3128',
      '',
      '### Inputs',
    ]);
  });

  it('shows only what the target knows', () => {
    const live = renderMarkdown(liveReport(), sampleOptions());
    assert.ok(live.includes('### Target\n\n- **Live host:** `SRV-WEB-08`\n- **OS:** Windows Server 2019\n- **Agent:** `1.44.02627.1515`\n\n### Problems'));
    const pasted = renderMarkdown(reportOf([f('a', 'pass')], [], { kind: 'pasted', name: 'pasted inputs', machine: 'SRV-WEB01' }), sampleOptions());
    assert.ok(pasted.includes('### Target\n\n- **Pasted inputs**\n- **Machine:** `SRV-WEB01`\n'));
  });

  it('escapes and redacts target fields', () => {
    const hostile = reportOf([f('a', 'pass')], [], {
      kind: 'snapshot', name: `a\`b|${SAS_URL}`, machine: '<img src=x>', os: '**bold** <script>', notes: ['1. list', `<b>${SECRET_PROXY}</b>`],
    });
    const md = renderMarkdown(hostile, sampleOptions());
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!md.includes(secret), `no ${secret}`);
    assert.ok(md.includes('- **Snapshot:** ``a`b|https://waceus.blob.core.windows.net/c/probe.txt?sv=2022-11-02&sig=***``'));
    assert.ok(md.includes('- **OS:** \\*\\*bold\\*\\* &lt;script&gt;'));
    assert.ok(md.includes('  - 1\\. list\n  - &lt;b&gt;http\\://\\*\\*\\*\\@10.1.2.3:3128&lt;/b&gt;'));
    assert.ok(!/<(?!https:\/\/)[a-z/]/i.test(outsideCode(md)), 'no raw HTML outside code');
  });
});

describe('markdown reporter: several targets', () => {
  const out = renderMarkdown(sampleMulti(), sampleOptions());
  const lines = out.split('\n');

  it('starts with totals over all targets', () => {
    assert.equal(lines[0], '## WAC Doctor report');
    assert.equal(lines[2], 'wac-doctor 0.1.0 · 2026-11-26T12:00:00.000Z · 3 targets · 3 failed · 2 warnings · 1 error · 4 passed · 2 skipped');
  });

  it('has a section per target with its sections one level down', () => {
    const headings = lines.filter((l) => l.startsWith('### '));
    assert.deepEqual(headings, [`### Target 1 of 3: \`${BUNDLE_PATH}\``, '### Target 2 of 3: `SRV-WEB-08`', `### Target 3 of 3: \`${FOLDER_PATH}\``, '### Across 3 targets']);
    const t1 = lines.indexOf(headings[0]!);
    assert.deepEqual(lines.slice(t1 + 1, t1 + 6), ['', '2 failed · 1 warning · 0 errors · 1 passed · 1 skipped', '', '#### Target', '']);
    assert.ok(lines.includes('##### ✗ The Connected Machine agent is connected (`agent-status`)'), 'details one level below the sections');
    assert.ok(!lines.some((l) => /^#{3} (Target|Inputs|Problems|Details|Passed|Skipped)\b(?! \d)/.test(l)), 'no section at the top level');
    const t3 = lines.indexOf(headings[2]!);
    assert.ok(lines.slice(t3).includes(`- **Folder:** \`${FOLDER_PATH}\``));
    assert.ok(lines.slice(t3).includes('No problems found.'));
  });

  it('ends with a cross-target table and one footer', () => {
    const i = lines.indexOf('### Across 3 targets');
    assert.equal(lines[i + 2], '| Check | Fail | Warn | Error | Targets |');
    const rows = lines.slice(i + 4, lines.indexOf('', i + 2));
    assert.deepEqual(rows, [
      `| The Connected Machine agent is connected (\`agent-status\`) | 2 | 0 | 0 | \`${BUNDLE_PATH}\`, \`SRV-WEB-08\` |`,
      `| The agent proxy lets WAC traffic through (\`proxy\`) | 1 | 0 | 0 | \`${BUNDLE_PATH}\` |`,
      `| The agent accepts incoming connections on the WAC port (\`incoming-ports\`) | 0 | 1 | 0 | \`${BUNDLE_PATH}\` |`,
      '| wac.azure.com is reachable (`endpoint-wac`) | 0 | 1 | 0 | `SRV-WEB-08` |',
      '| No TLS inspection on the WAC endpoints (`tls-inspection`) | 0 | 0 | 1 | `SRV-WEB-08` |',
    ]);
    for (const r of rows) assert.equal(cells(r).length, 5);
    assert.equal(lines.filter((l) => l === '---').length, 1);
    assert.equal(lines.at(-2), '_3 failed · 2 warnings · 1 error · 4 passed · 2 skipped. Secrets in inputs were redacted._');
  });

  it('keeps the table intact with hostile target names, and says so when nothing failed', () => {
    const hostile = multiReport([reportOf([f('a', 'fail')], [], { kind: 'folder', name: 'a|b`c\nd' }), liveReport()], '2026-11-26T12:00:00.000Z');
    const md = renderMarkdown(hostile, sampleOptions());
    const row = md.split('\n').find((l) => l.startsWith('| Title of a'))!;
    assert.equal(cells(row).length, 5, row);
    assert.equal(row, '| Title of a (`a`) | 1 | 0 | 0 | ``a\\|b`c ⏎ d`` |');
    const clean = renderMarkdown(multiReport([folderReport(), reportOf([f('a', 'pass')])], '2026-11-26T12:00:00.000Z'), sampleOptions());
    assert.ok(clean.includes('### Across 2 targets\n\nNo check failed or warned on any target.\n'));
    assert.ok(clean.includes('### Target 2 of 2: `pasted inputs`'));
  });

  it('redacts every target; verbatim without redaction', () => {
    for (const secret of [SECRET_PASSWORD, SAS_SIG]) assert.ok(!out.includes(secret), `no ${secret}`);
    const leaky = renderMarkdown(multiReport([reportOf([f('a', 'fail')], [], { kind: 'snapshot', name: SAS_URL })], '2026-11-26T12:00:00.000Z'), sampleOptions());
    assert.ok(!leaky.includes(SAS_SIG));
    const raw = renderMarkdown(sampleMulti(), sampleOptions({ redact: false }));
    assert.ok(raw.includes(SECRET_PROXY) && raw.includes(`sig=${SAS_SIG}`));
    assert.ok(raw.endsWith('Redaction was off: review before sharing._\n'));
  });

  it('is what render("markdown") returns', () => {
    assert.equal(render('markdown', sampleMulti(), sampleOptions()), out);
  });
});
