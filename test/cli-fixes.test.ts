/**
 * End to end through the CLI (the compiled bin; npm test builds first): a hostile resource group from a bundle's
 * agentconfig.json or from `az connectedmachine show` is only ever a quoted token in fix commands (issue 12 item 1),
 * a proxy password never reaches any format (issue 12 item 3, issue 9 item 2), the \ proxy URL never becomes
 * `proxy.url http://contoso` (issue 9 item 1), and no format puts a prompt inside command text (issue 9 item 5).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS, zipBuffer } from '../scripts/make-bundles';
import { tokenizePowerShell } from './core/shell-tokenizers';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'wac-doctor.js');
const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
const HOSTILE_RG = 'rg(Restart-Computer)';

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' }, timeout: 30000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonCommand { shell: string; command: string }
const commandsOf = (json: string): JsonCommand[] => {
  const doc = JSON.parse(json) as { results: Array<{ fix?: { commands: JsonCommand[] } }> };
  return doc.results.flatMap((r) => r.fix?.commands ?? []);
};

/** In every format: each command naming the resource group has it as one quoted token, never bare. */
function assertQuotedEverywhere(file: string): void {
  const json = cli(['analyze', '--format', 'json', file]);
  const commands = commandsOf(json.stdout).filter((c) => c.command.includes(HOSTILE_RG));
  assert.ok(commands.length > 0, `a fix names the resource group: ${json.stdout.slice(0, 400)} ${json.stderr}`);
  for (const c of commands) {
    const words = tokenizePowerShell(c.command).flatMap((s) => s.argv);
    if (c.command.includes('--resource-group')) {
      assert.match(c.command, /--resource-group 'rg\(Restart-Computer\)'/, c.command);
      assert.ok(words.includes(HOSTILE_RG), `one token: ${c.command}`);
    } else {
      // az rest: the resource id is inside one quoted URI token.
      assert.ok(words.some((w) => w.startsWith('https://management.azure.com/') && w.includes(`/resourceGroups/${HOSTILE_RG}/`)), `inside one URI token: ${c.command}`);
    }
  }
  for (const format of FORMATS) {
    const out = cli(['analyze', '--format', format, file]).stdout;
    assert.ok(out.includes(`--resource-group '${HOSTILE_RG}'`), `${format}: quoted`);
    assert.doesNotMatch(out, /--resource-group rg\(/, `${format}: never bare`);
  }
}

describe('wac-doctor CLI: fix commands and redaction end to end', function () {
  this.timeout(120000);
  let tmp: string;
  before(() => {
    assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'run `npm run build` (npm test does) before these tests');
    tmp = mkdtempSync(join(tmpdir(), 'wac-doctor-cli-fixes-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('quotes rg(Restart-Computer) from a bundle\'s agentconfig.json in every format', async () => {
    const files = SCENARIOS['win-extension-error']!.files().map((f) => (/agentconfig\.json$/.test(f.name) && typeof f.data === 'string'
      ? { ...f, data: f.data.replace(/"resourceGroup": "[^"]*"/, `"resourceGroup": "${HOSTILE_RG}"`) }
      : f));
    assert.ok(files.some((f) => typeof f.data === 'string' && f.data.includes(HOSTILE_RG)));
    const zip = join(tmp, 'hostile-rg.zip');
    writeFileSync(zip, await zipBuffer(files));
    assertQuotedEverywhere(zip);
  });

  it('quotes rg(Restart-Computer) from `az connectedmachine show` JSON in every format', () => {
    const show = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'pasted', 'az-machine-show.json'), 'utf8')) as { id: string; properties: { status: string } };
    show.id = show.id.replace(/resourceGroups\/[^/]+/, `resourceGroups/${HOSTILE_RG}`);
    show.properties.status = 'Disconnected';
    const file = join(tmp, 'az-machine-show.json');
    writeFileSync(file, JSON.stringify(show, null, 2));
    assertQuotedEverywhere(file);
  });

  const PASSWORDS: Array<[what: string, url: string, secretParts: string[]]> = [
    ['a domain user (\\) and a password with @', 'http://contoso\\svc-arc:S3cr3tP@ss@proxy.contoso.com:8080', ['S3cr3t', 'P@ss', 'svc-arc', '@ss@']],
    ['a password with /', 'http://svc-arc:Pa/ssW0rd/x@proxy.contoso.com:8080', ['Pa/ss', 'W0rd', 'svc-arc']],
    ['a password with %40', 'http://svc-arc:Pa%40ssW0rd@proxy.contoso.com:8080', ['Pa%40ss', 'W0rd']],
    ['a unicode password with :', 'http://svc-arc:Pä:ssWörd@proxy.contoso.com:8080', ['ssWörd', 'svc-arc']],
    ['an empty password', 'http://svc-arc:@proxy.contoso.com:8080', ['svc-arc']],
    ['user:pass@host without a scheme', 'svc-arc:S3cr3tW0rd@proxy.contoso.com:8080', ['S3cr3tW0rd', 'svc-arc']],
  ];
  for (const [what, url, parts] of PASSWORDS) {
    it(`never shows proxy credentials (${what}) in any format`, () => {
      const cfg = join(tmp, 'azcmagent-config-list.txt');
      writeFileSync(cfg, [
        'Local Configuration Settings',
        '  incomingconnections.enabled (preview)   : true',
        '  incomingconnections.ports (preview)     : [6516]',
        `  proxy.url                               : ${url}`,
        '',
      ].join('\n'));
      for (const format of FORMATS) {
        const r = cli(['analyze', '--format', format, '--verbose', cfg]);
        assert.ok(r.stdout.length > 0, `${format}: ${r.stderr}`);
        for (const p of parts) assert.ok(!r.stdout.includes(p) && !r.stderr.includes(p), `${format}: ${p} leaked`);
        assert.match(r.stdout, /proxy\.contoso\.com/, `${format}: the host stays`);
        // Issue 9 item 1: never a truncated URL as the fix.
        assert.doesNotMatch(r.stdout, /proxy\.url '?http:\/\/contoso\b(?!\\)/, `${format}: truncated proxy URL in a fix`);
      }
      const fix = commandsOf(cli(['analyze', '--format', 'json', cfg]).stdout).find((c) => c.command.startsWith('azcmagent config set proxy.url'));
      assert.ok(fix, 'the proxy rule proposes a proxy.url');
      assert.ok(["azcmagent config set proxy.url 'http://proxy.contoso.com:8080'", "azcmagent config set proxy.url '<http://proxy-host:port>'"].includes(fix.command), fix.command);
      if (url.includes('\\')) assert.equal(fix.command, "azcmagent config set proxy.url '<http://proxy-host:port>'", 'does not parse cleanly: a placeholder');
    });
  }

  it('JSON-escaped credentials in az connectedmachine show never reach any format', () => {
    const show = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'pasted', 'az-machine-show.json'), 'utf8')) as { properties: { agentConfiguration: { proxyUrl: string } } };
    show.properties.agentConfiguration.proxyUrl = 'http://contoso\\svc-arc:S3cr3tP@ss@proxy.contoso.com:8080';
    const file = join(tmp, 'az-machine-show-proxy.json');
    writeFileSync(file, JSON.stringify(show, null, 2));
    assert.ok(readFileSync(file, 'utf8').includes('contoso\\\\svc-arc'), 'the file holds the JSON-escaped form');
    for (const format of FORMATS) {
      const out = cli(['analyze', '--format', format, '--verbose', file]).stdout;
      for (const p of ['S3cr3t', 'P@ss', '@ss@', 'svc-arc']) assert.ok(!out.includes(p), `${format}: ${p}`);
    }
  });

  it('puts no PS> / azcli> prompt inside command text in any format', () => {
    const sample = join(ROOT, 'fixtures', 'samples', 'failed-to-connect');
    const args = readdirSync(sample).sort().map((f) => join(sample, f));
    const json = cli(['analyze', '--format', 'json', ...args]).stdout;
    const commands = commandsOf(json);
    assert.ok(commands.length > 0);
    for (const format of FORMATS) {
      const out = cli(['analyze', '--format', format, ...args]).stdout;
      assert.doesNotMatch(out, /PS> |azcli> /, format);
    }
    const text = cli(['analyze', ...args]).stdout.split('\n').map((l) => l.trim());
    for (const c of commands) assert.ok(text.includes(c.command), `a text line is exactly the command: ${c.command}`);
  });
  it('--port 6600 against an extension on 6516 (issue 9 item 4): sources named, least destructive first, values filled, DESTRUCTIVE labelled in every format', () => {
    const inputs = [join(ROOT, 'fixtures', 'pasted', 'az-extension-list.json'), join(ROOT, 'fixtures', 'pasted', 'az-machine-show.json')];
    const json = JSON.parse(cli(['analyze', '--format', 'json', '--port', '6600', ...inputs]).stdout) as {
      results: Array<{ ruleId: string; message: string; fix?: { destructive?: boolean; commands: Array<{ command: string; destructive?: boolean }> } }>;
    };
    const port = json.results.find((r) => r.ruleId === 'wac-port')!;
    assert.match(port.message, /configured for 6516 but --port is 6600/);
    assert.equal(port.fix!.destructive, true, 'the fix says it holds a destructive command');
    const cmds = port.fix!.commands;
    const update = cmds.findIndex((c) => c.command.startsWith('az connectedmachine extension update'));
    const del = cmds.findIndex((c) => c.command.startsWith('az connectedmachine extension delete'));
    assert.ok(update === 0 && del > update, 'the in-place update comes first, the delete last');
    assert.deepEqual(cmds.filter((c) => c.destructive).map((c) => c.command.split(' --')[0]), ['az connectedmachine extension delete']);
    const create = cmds.find((c) => c.command.startsWith('az connectedmachine extension create'))!.command;
    assert.match(create, /--machine-name 'arc-srv-01' --resource-group 'rg-arc-demo' --subscription '7c1f3b2e-5d4a-4e8b-9f21-0a6c3d8e9b47' --location 'westeurope' --settings 'port=6600'/);
    assert.ok(cmds.every((c) => !/<(region|machine-name|resource-group|subscription-id)>/.test(c.command)), 'every value the inputs state is filled in');
    const labels: Record<string, RegExp> = {
      text: /Azure CLI \(PowerShell\), DESTRUCTIVE:\n\s+az connectedmachine extension delete/,
      junit: /Azure CLI \(PowerShell\), DESTRUCTIVE:\n\s+az connectedmachine extension delete/,
      markdown: /\*\*DESTRUCTIVE\*\* Azure CLI \(PowerShell\):\n\n```powershell\naz connectedmachine extension delete/,
      sarif: /"destructive": ?true/,
    };
    for (const [format, re] of Object.entries(labels)) {
      const out = cli(['analyze', '--format', format, '--port', '6600', ...inputs]).stdout;
      assert.match(format === 'junit' ? out.replace(/&#10;|&#xA;/g, '\n') : out, re, format);
    }
    const sarif = JSON.parse(cli(['analyze', '--format', 'sarif', '--port', '6600', ...inputs]).stdout) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string } }> }> };
    assert.match(sarif.runs[0]!.results.find((r) => r.ruleId === 'wac-port')!.message.text, /DESTRUCTIVE/);
  });
  it('a Linux target (issue 9 item 6): bash commands with sudo azcmagent, WAC-only rules skipped with the reason, no 6516 advice', () => {
    const show = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'pasted', 'az-machine-show.json'), 'utf8')) as { properties: Record<string, unknown> & { agentConfiguration: Record<string, unknown> } };
    Object.assign(show.properties, { osType: 'linux', osName: 'linux', osSku: 'Ubuntu 22.04.4 LTS', osVersion: '5.15.0-1057-azure', status: 'Disconnected' });
    show.properties.agentConfiguration.incomingConnectionsPorts = [];
    const file = join(tmp, 'linux-machine-show.json');
    writeFileSync(file, JSON.stringify(show, null, 2));
    const doc = JSON.parse(cli(['analyze', '--format', 'json', file]).stdout) as { results: Array<{ ruleId: string; status: string; message: string; fix?: { commands: JsonCommand[] } }> };
    const byId = new Map(doc.results.map((r) => [r.ruleId, r]));
    for (const id of ['wac-port', 'incoming-ports', 'wac-service', 'wac-local-https', 'extension-status', 'extension-allowed', 'endpoint-wac', 'service-configuration', 'rbac', 'license']) {
      const r = byId.get(id)!;
      assert.equal(r.status, 'skip', id);
      assert.equal(r.message, 'Not applicable: WAC in the Azure portal manages Windows Server only, and this machine runs Ubuntu 22.04.4 LTS.', id);
    }
    const commands = doc.results.flatMap((r) => r.fix?.commands ?? []);
    assert.ok(commands.length >= 3, JSON.stringify(commands));
    for (const c of commands) {
      assert.equal(c.shell, 'bash', c.command);
      assert.doesNotMatch(c.command, /6516|Restart-Service|Test-NetConnection/, c.command);
    }
    assert.deepEqual(byId.get('agent-status')!.fix!.commands.map((c) => c.command).slice(0, 2), ['sudo systemctl restart himdsd', 'sudo azcmagent check']);
    const text = cli(['analyze', file]).stdout;
    assert.match(text, /bash, DESTRUCTIVE:\n\s+sudo azcmagent disconnect && sudo azcmagent connect --resource-group 'rg-arc-demo' --location 'westeurope'/);
  });
});
