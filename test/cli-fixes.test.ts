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
});
