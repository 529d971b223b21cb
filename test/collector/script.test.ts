import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redact } from '../../core/text/redact';
import { hasPester, requirePwsh, ROOT, runPwsh, SCRIPT } from './pwsh';

const COMPAT = join(ROOT, 'collector', 'tests', 'Test-Ps51Compatibility.ps1');

describe('wac-doctor-collect.ps1 in PowerShell: 5.1 compatibility, Pester, redaction', function () {
  this.timeout(300_000);
  let pwsh: string;
  let dir: string;
  before(async function () {
    pwsh = requirePwsh(this);
    dir = await mkdtemp(join(tmpdir(), 'wac-doctor-ps-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('parses with PowerShell\'s parser and uses nothing Windows PowerShell 5.1 lacks, and no alias', async () => {
    for (const file of [SCRIPT, join(ROOT, 'collector', 'tests', 'Replay.ps1'), join(ROOT, 'collector', 'tests', 'RecordedRun.ps1')]) {
      const r = await runPwsh(pwsh, ['-File', COMPAT, '-Path', file]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
  });

  it('the compatibility check catches each construct 5.1 lacks', async () => {
    const bad = join(dir, 'bad.ps1');
    await writeFile(bad, [
      '$a = $null ?? 1', '$b = $x ? 1 : 2', '$c = ${y}?.Name', 'Get-Thing && Get-Other', '1..3 | ForEach-Object -Parallel { $_ }',
      "'{}' | ConvertFrom-Json -AsHashtable", 'gci | % { $_ } | ? { $_ }', 'function f { process { 1 } clean { 2 } }', 'using namespace System.Text', '',
    ].join('\n'));
    const r = await runPwsh(pwsh, ['-File', COMPAT, '-Path', bad]);
    assert.equal(r.code, 1);
    for (const what of [/^1: \?\?/m, /^2: ternary/m, /^3: \?\./m, /^4: && \/ \|\|/m, /^5: ForEach-Object -Parallel/m, /^6: ConvertFrom-Json -AsHashtable/m, /^7: alias gci/m, /^7: alias %/m, /^7: alias \?/m, /^8: clean block/m, /^9: using statement after code/m]) {
      assert.match(r.stdout, what);
    }
  });

  it('runs clean under Set-StrictMode -Version Latest when only loaded', async () => {
    const r = await runPwsh(pwsh, ['-Command', `Set-StrictMode -Version Latest; $ErrorActionPreference = 'Stop'; . '${SCRIPT.replace(/'/g, "''")}'; if ($Spec.commands.Count -lt 5) { exit 3 }`]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('exits 2 with one line on bad parameters, as a process (no PowerShell binding error)', async () => {
    for (const args of [['-TimeoutSeconds'], ['-Bogus', '1'], ['-TimeoutSeconds', 'soon'], ['-ConnectTo', 'nope']]) {
      const r = await runPwsh(pwsh, ['-File', SCRIPT, '-OutputPath', join(dir, 'never.zip'), ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^wac-doctor-collect: /);
    }
  });

  it('redacts every secret class while collecting (the analyzer redacts again on output)', async () => {
    const cases: Array<[sample: string, secret: string | undefined]> = [
      ['proxy.url : http://svc-arc:S3cret!@proxy.corp.example:3128', 'S3cret!'],
      ['proxy.url : http://contoso\\svc-arc:S3cr3tP@ss@proxy.contoso.com:8080', 'P@ss'],
      ['proxy.url : http://svc:pa/ss/wd@proxy.corp.example:3128', 'pa/ss/wd'],
      ['GET /x?sv=2020&sig=Zm9vYmFyYmF6%2Bbar&se=1 HTTP/1.1', 'Zm9vYmFyYmF6'],
      ['Authorization: Bearer abcdefghijkl.mnop', 'abcdefghijkl'], ['Basic c3ZjLWFyYzpTM2NyZXQh', 'c3ZjLWFyYzpTM2NyZXQh'],
      ['token eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.sig_-x', 'eyJzdWIiOiIxMjM0'],
      ['AccountKey=abc123==;EndpointSuffix=core', 'abc123'], ['{"clientSecret": "s3cr3t", "name": "ok"}', 's3cr3t'],
      ['{"proxyPassword": "hunter22"}', 'hunter22'], ['Proxy-Authorization: Basic Zm9vOmJhcg==', 'Zm9vOmJhcg'],
      ['password = hunter2', 'hunter2'], ['a;pwd=xyzzy&b=2', 'xyzzy'], ['nothing secret here', undefined],
      ['https://gbl.his.arc.azure.com/path?location=eastus', undefined],
    ];
    const input = join(dir, 'samples.json');
    await writeFile(input, JSON.stringify(cases.map(([s]) => s)));
    const r = await runPwsh(pwsh, ['-Command', `. '${SCRIPT.replace(/'/g, "''")}'; $s = Get-Content -Raw '${input}' | ConvertFrom-Json; ConvertTo-Json -Compress -InputObject @(foreach ($x in $s) { Invoke-Redaction $x })`]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as string[];
    cases.forEach(([sample, secret], i) => {
      if (secret === undefined) assert.equal(out[i], sample, 'ordinary text stays as it was');
      else assert.ok(!out[i]!.includes(secret), `${sample} -> ${out[i]}`);
      // What the script keeps, the analyzer's redactor would not reveal either.
      if (secret !== undefined) assert.ok(!redact(out[i]!).includes(secret));
    });
  });

  it('passes its Pester suite (collector/tests/*.Tests.ps1: recorded Windows outputs, mocked cmdlets)', async function () {
    if (!hasPester(pwsh)) {
      if (process.env.CI === 'true') throw new Error('Pester 5 not found and CI=true; install it with bash scripts/install-powershell.sh');
      console.log('      Pester tests skipped: Pester 5 not found; install it with bash scripts/install-powershell.sh');
      this.skip();
    }
    const r = await runPwsh(pwsh, ['-Command', [
      'Import-Module Pester -MinimumVersion 5.0', '$c = New-PesterConfiguration', `$c.Run.Path = '${join(ROOT, 'collector', 'tests')}'`,
      '$c.Run.PassThru = $true', "$c.Output.Verbosity = 'Normal'", '$r = Invoke-Pester -Configuration $c',
      "Write-Output ('PESTER passed={0} failed={1}' -f $r.PassedCount, $r.FailedCount)", 'if ($r.FailedCount -gt 0 -or $r.PassedCount -eq 0) { exit 1 }',
    ].join('; ')]);
    const line = /PESTER passed=(\d+) failed=(\d+)/.exec(r.stdout);
    assert.ok(line, r.stdout + r.stderr);
    assert.equal(r.code, 0, r.stdout.split('\n').filter((l) => /\[-\]|Expected|at /.test(l)).join('\n'));
    assert.ok(Number(line[1]) >= 15, `${line[1]} Pester tests passed`);
  });
});
