import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectorSpec, collectorSpecJson, commandSpec, WINDOWS_COMMANDS } from '../../core/sources/live/collector-spec';
import { commandLine, type RecordedCommand } from '../../core/sources/live/command-runner';
import { GET_SERVICE_SCRIPT } from '../../core/sources/live/collectors/services';
import { defaultEndpoints } from '../../core/sources/live/endpoints';
import { scriptSpecBlock, withSpecBlock } from '../../scripts/collector-spec';
import { ROOT, SCRIPT } from './pwsh';

describe('the PowerShell collector and the spec table (no drift)', () => {
  const script = readFileSync(SCRIPT, 'utf8');

  it('carries the spec table as generated (node dist/scripts/collector-spec.js --write)', () => {
    const block = scriptSpecBlock(script);
    assert.ok(block, 'the script has its # BEGIN GENERATED SPEC block');
    assert.equal(block, collectorSpecJson(), 'the script\'s spec block differs from core/sources/live/collector-spec.ts: run npm run build && node dist/scripts/collector-spec.js --write');
    assert.deepEqual(JSON.parse(block!), JSON.parse(JSON.stringify(collectorSpec())));
    assert.equal(withSpecBlock(script, collectorSpecJson()), script);
  });

  it('runs only the commands of the table, each table command somewhere', () => {
    const ids = [...script.matchAll(/(?:Get-SpecCommand|Invoke-RawCommandCollector)\s+(?:'([^']+)'|\(\s*'([^']+)'\s*-f)/g)].map((m) => m[1] ?? m[2]!);
    const scriptIds = WINDOWS_COMMANDS.filter((c) => c.collectors.includes('script')).map((c) => c.id);
    for (const id of ids) {
      if (id.includes('{0}')) assert.ok(scriptIds.some((s) => s.startsWith(id.replace('{0}', ''))), id);
      else assert.ok(scriptIds.includes(id), `the script asks for ${id}, which the table lacks`);
    }
    for (const id of scriptIds) {
      const used = ids.includes(id) || ids.some((x) => x.includes('{0}') && id.startsWith(x.replace('{0}', '')));
      assert.ok(used, `the table's ${id} is never run by the script`);
    }
    // No command line of its own: programs start in one place only (Invoke-NativeCommandSet), from table entries.
    const code = script.replace(/# BEGIN GENERATED SPEC[\s\S]*# END GENERATED SPEC/, '').replace(/^\s*#.*$/gm, '');
    assert.equal(code.match(/ProcessStartInfo/g)?.length, 1);
    assert.doesNotMatch(code, /Start-Process|Invoke-Expression|cmd(?:\.exe)?\s+\/c|\[System\.Diagnostics\.Process\]::Start\((?!\$psi\))/im);
    assert.doesNotMatch(code, /\b(?:Set|New|Remove|Stop|Start|Restart|Clear)-(?:Item|ItemProperty|Service|Content|NetFirewallRule)\b(?![^\n]*-LiteralPath \$tmp)/, 'read-only: nothing on the machine is changed');
  });

  it('is the table the Node collector runs (recorded command lines, service script, endpoints)', () => {
    const recorded = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'live', 'windows-legacy', 'commands.json'), 'utf8')) as RecordedCommand[];
    for (const c of WINDOWS_COMMANDS.filter((x) => x.collectors.includes('node') && x.file !== 'Get-Service')) {
      assert.ok(recorded.some((r) => r.command === commandLine(c.file, c.args)), `${commandLine(c.file, c.args)} is what the Node collector runs`);
    }
    for (const name of commandSpec('get-service').args[1]!.split(',')) assert.match(GET_SERVICE_SCRIPT, new RegExp(`'${name}'`));
    assert.deepEqual(defaultEndpoints('westeurope').map((e) => e.host), (collectorSpec().endpoints as Array<{ host: string }>).map((e) => e.host.replace('{region}', 'westeurope')));
  });

  it('ships with the npm package', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    assert.ok(pkg.files.includes('collector/wac-doctor-collect.ps1'), 'package.json files lists collector/wac-doctor-collect.ps1');
  });
});
